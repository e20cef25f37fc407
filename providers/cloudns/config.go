package cloudns

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/redact"
	"github.com/zonesync/zonesync/spec"
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
	providers.Register(Type, func(cfg *spec.ProviderConfig) (providers.Provider, error) {
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
// output, and at least spec.MinSecretLength characters long.
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
	// Endpoint overrides the API base URL (default https://api.cloudns.net).
	Endpoint string `yaml:"endpoint"`
	// RequestsPerSecond is the client-side rate limit (default 18).
	RequestsPerSecond float64 `yaml:"requests_per_second"`
	// Burst is how many requests may go at once (default 1).
	Burst int `yaml:"burst"`
	// Timeout bounds each request: a Go duration ("30s") or whole seconds (default 30s).
	Timeout string `yaml:"timeout"`
}

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
func (s Settings) check(cfg *spec.ProviderConfig) error {
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
	if _, err := s.endpoint(); err != nil {
		return cfg.Errorf("endpoint", "%v", err)
	}
	if s.RequestsPerSecond < 0 {
		return cfg.Errorf("requests_per_second", "requests_per_second must be positive, not %g", s.RequestsPerSecond)
	}
	if s.Burst < 0 {
		return cfg.Errorf("burst", "burst must be positive, not %d", s.Burst)
	}
	if _, err := s.timeout(); err != nil {
		return cfg.Errorf("timeout", "%v", err)
	}
	return nil
}

func (s Settings) endpoint() (string, error) {
	if s.Endpoint == "" {
		return DefaultEndpoint, nil
	}
	u, err := url.Parse(s.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("endpoint %q is not an http(s) base URL such as %s", s.Endpoint, DefaultEndpoint)
	}
	return strings.TrimSuffix(s.Endpoint, "/"), nil
}

func (s Settings) timeout() (time.Duration, error) {
	if s.Timeout == "" {
		return DefaultTimeout, nil
	}
	if n, err := strconv.Atoi(s.Timeout); err == nil && n > 0 {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s.Timeout)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("timeout %q is not a positive duration such as 30s", s.Timeout)
	}
	return d, nil
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
	base, err := s.endpoint()
	if err != nil {
		return nil, fmt.Errorf("cloudns: %v", err)
	}
	timeout, err := s.timeout()
	if err != nil {
		return nil, fmt.Errorf("cloudns: %v", err)
	}
	rps, burst := s.RequestsPerSecond, s.Burst
	if rps == 0 {
		rps = DefaultRequestsPerSecond
	}
	if burst == 0 {
		burst = DefaultBurst
	}
	c := &client{
		base:     base,
		identity: [2]string{param, value},
		password: s.AuthPassword,
		http: &httpx.Client{
			HTTP:    &http.Client{Timeout: timeout},
			Limiter: httpx.NewLimiter(rps, burst),
			Secrets: redact.New(s.AuthPassword),
		},
	}
	return newProvider(c), nil
}
