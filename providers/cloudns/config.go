package cloudns

import (
	"fmt"
	"strings"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/redact"
)

// Type is the provider type in zonesync.yaml.
const Type = "cloudns"

// Defaults of the settings.
const (
	// DefaultEndpoint is the API's base URL.
	DefaultEndpoint = "https://api.cloudns.net"
	// DefaultRequestsPerSecond keeps the client under the documented
	// per-IP limit of 20 requests per second.
	DefaultRequestsPerSecond = 18
	// DefaultBurst sends requests one at a time, evenly spaced.
	DefaultBurst = 1
	// DefaultTimeout bounds each HTTP attempt.
	DefaultTimeout = 30 * time.Second
)

func init() {
	providers.Register(Type, func(cfg *config.ProviderConfig) (providers.Provider, error) {
		if err := cfg.Secrets(SecretKeys...); err != nil {
			return nil, err
		}
		var s Settings
		if err := cfg.Decode(&s); err != nil {
			return nil, err
		}
		if err := s.check(cfg); err != nil {
			return nil, err
		}
		return New(s)
	})
}

// SecretKeys are the settings that hold credentials: scrubbed from all
// output, and at least config.MinSecretLength characters long.
var SecretKeys = []string{"auth_password"}

// Settings are the ClouDNS provider's keys in zonesync.yaml.
type Settings struct {
	// AuthID is the API user id; exactly one of AuthID, SubAuthID and SubAuthUser is set.
	AuthID string `yaml:"auth_id"`
	// SubAuthID is the API sub-user id.
	SubAuthID string `yaml:"sub_auth_id"`
	// SubAuthUser is the API sub-user name.
	SubAuthUser string `yaml:"sub_auth_user"`
	// AuthPassword is the password of that user; it never appears in any output.
	AuthPassword string `yaml:"auth_password"`
	// Settings are the HTTP settings every HTTP provider shares: endpoint
	// (default https://api.cloudns.net), timeout (30s),
	// requests_per_second (18), burst (1) and retries (4).
	httpx.Settings `yaml:",inline"`
}

// httpDefaults are the HTTP settings a config leaves out.
var httpDefaults = httpx.Defaults{Endpoint: DefaultEndpoint, Timeout: DefaultTimeout, RequestsPerSecond: DefaultRequestsPerSecond, Burst: DefaultBurst}

// identity returns the auth parameter and value the settings choose.
func (s Settings) identity() (param, value string, n int) {
	for _, id := range [][2]string{{"auth-id", s.AuthID}, {"sub-auth-id", s.SubAuthID}, {"sub-auth-user", s.SubAuthUser}} {
		if id[1] != "" {
			if n == 0 {
				param, value = id[0], id[1]
			}
			n++
		}
	}
	return param, value, n
}

// check reports a setting problem at its place in zonesync.yaml.
func (s Settings) check(cfg *config.ProviderConfig) error {
	set := []string{}
	for _, k := range []struct{ key, v string }{{"auth_id", s.AuthID}, {"sub_auth_id", s.SubAuthID}, {"sub_auth_user", s.SubAuthUser}} {
		if k.v != "" {
			set = append(set, k.key)
		}
	}
	switch {
	case len(set) == 0:
		return cfg.Errorf("", "set exactly one of auth_id, sub_auth_id or sub_auth_user (none is set)")
	case len(set) > 1:
		return cfg.Errorf(set[1], "set exactly one of auth_id, sub_auth_id or sub_auth_user, not %s", strings.Join(set, " and "))
	}
	if s.AuthPassword == "" {
		return cfg.Errorf("", "auth_password is required")
	}
	_, err := s.Settings.Resolve(httpDefaults)
	return httpx.At(cfg, err)
}

// New builds a provider from settings without touching the network.
func New(s Settings) (*Provider, error) {
	param, value, n := s.identity()
	if n != 1 {
		return nil, fmt.Errorf("cloudns: set exactly one of auth_id, sub_auth_id or sub_auth_user")
	}
	if s.AuthPassword == "" {
		return nil, fmt.Errorf("cloudns: auth_password is required")
	}
	h, err := s.Settings.Resolve(httpDefaults)
	if err != nil {
		return nil, fmt.Errorf("cloudns: %v", err)
	}
	c := &client{
		base:     h.Endpoint,
		identity: [2]string{param, value},
		password: s.AuthPassword,
		http:     h.Client(redact.New(s.AuthPassword)),
	}
	return newProvider(c), nil
}
