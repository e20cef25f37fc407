package powerdns

import (
	"fmt"
	"net/url"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/redact"
)

// Type is the provider type in zonesync.yaml.
const Type = "powerdns"

// DefaultServerID is the server id of a PowerDNS Authoritative Server: the
// API serves one server, "localhost".
const DefaultServerID = "localhost"

// The server is the user's own: no rate limit is needed to be polite, but
// a limit keeps a runaway plan from flooding it. requests_per_second and
// burst override these.
const (
	DefaultRequestsPerSecond = 50
	DefaultBurst             = 10
	DefaultTimeout           = 30 * time.Second
)

// SecretKeys are the settings that hold credentials: scrubbed from all
// output, and at least config.MinSecretLength characters long.
var SecretKeys = []string{"api_key"}

// Settings are the powerdns provider's keys in zonesync.yaml.
type Settings struct {
	// APIKey is the server's api-key setting, sent as X-API-Key.
	APIKey string `yaml:"api_key"`
	// ServerID is the server in the API's paths (default localhost).
	ServerID string `yaml:"server_id"`
	// MasterKind is the kind zonesync gives the master zones it creates,
	// and the zones it switches to master: Master (default), which
	// notifies secondaries and serves them transfers, or Native, for
	// zones whose database the secondaries share.
	MasterKind string `yaml:"master_kind"`
	// Settings are the HTTP settings every HTTP provider shares: endpoint
	// (required: the API's base URL, such as http://127.0.0.1:8081),
	// timeout (30s), requests_per_second (50), burst (10) and retries (4).
	httpx.Settings `yaml:",inline"`
}

// httpDefaults are the HTTP settings a config leaves out; the endpoint
// has no default, because the server is the user's own.
var httpDefaults = httpx.Defaults{Example: "http://127.0.0.1:8081", Timeout: DefaultTimeout,
	RequestsPerSecond: DefaultRequestsPerSecond, Burst: DefaultBurst}

func init() {
	providers.Register(Type, func(cfg *config.ProviderConfig) (providers.Provider, error) {
		if err := cfg.Secrets(SecretKeys...); err != nil {
			return nil, err
		}
		var s Settings
		if err := cfg.Decode(&s); err != nil {
			return nil, err
		}
		if key, msg := s.problem(); msg != "" {
			return nil, cfg.Errorf(key, "%s", msg)
		}
		if _, err := s.Settings.Resolve(httpDefaults); err != nil {
			return nil, httpx.At(cfg, err)
		}
		return New(s)
	})
}

// problem returns the first thing wrong with the settings outside the
// HTTP ones, and the key it concerns, or an empty message. The API key
// is never echoed.
func (s Settings) problem() (key, msg string) {
	switch {
	case s.APIKey == "":
		return "", "api_key is required: the server's api-key setting"
	case s.ServerID != "" && url.PathEscape(s.ServerID) != s.ServerID:
		return "server_id", fmt.Sprintf("server_id %q holds characters a URL path cannot carry as they are; PowerDNS Authoritative's is localhost", s.ServerID)
	case s.MasterKind != "" && s.MasterKind != KindMaster && s.MasterKind != KindNative:
		return "master_kind", fmt.Sprintf("master_kind %q is not Master or Native", s.MasterKind)
	}
	return "", ""
}

// New builds a provider from its settings without touching the network.
func New(s Settings) (*Provider, error) {
	if _, msg := s.problem(); msg != "" {
		return nil, fmt.Errorf("powerdns: %s", msg)
	}
	h, err := s.Settings.Resolve(httpDefaults)
	if err != nil {
		return nil, fmt.Errorf("powerdns: %v", err)
	}
	id := s.ServerID
	if id == "" {
		id = DefaultServerID
	}
	kind := s.MasterKind
	if kind == "" {
		kind = KindMaster
	}
	c := &client{http: h.Client(redact.New(s.APIKey)), base: h.Endpoint + "/api/v1", server: "/servers/" + id, key: s.APIKey}
	return &Provider{client: c, masterKind: kind, zones: map[string]*zoneIndex{}}, nil
}
