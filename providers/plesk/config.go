package plesk

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers/httpx"
)

// Type is the provider type in zonesync.yaml.
const Type = "plesk"

// AgentPath is where Plesk's XML API listens on the server.
const AgentPath = "/enterprise/control/agent.php"

// Defaults for settings the config leaves out. Plesk documents no rate
// limit; every packet runs PHP and rewrites zone files on the server, so
// the default stays gentle. This is a guess, not a documented figure.
const (
	DefaultRequestsPerSecond = 5
	DefaultBurst             = 5
	DefaultTimeout           = 60 * time.Second
)

// SecretKeys are the settings that hold credentials: scrubbed from all
// output, and at least config.MinSecretLength characters long.
var SecretKeys = []string{"secret_key", "password"}

// Settings are the plesk provider's keys in zonesync.yaml.
type Settings struct {
	// SecretKey authenticates with the KEY header (Plesk 12.0+).
	SecretKey string `yaml:"secret_key"`
	// Login and Password authenticate with HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD.
	Login    string `yaml:"login"`
	Password string `yaml:"password"`
	// Settings are the HTTP settings every HTTP provider shares: endpoint
	// (required: the server's base URL, e.g. https://plesk.example.com:8443;
	// without a port, Plesk's 8443 for https and 8880 for http), timeout
	// (60s), requests_per_second (5), burst (5) and retries (4).
	httpx.Settings `yaml:",inline"`
}

// httpDefaults are the HTTP settings a config leaves out; a Plesk server
// has no default address.
var httpDefaults = httpx.Defaults{Example: "https://plesk.example.com:8443", Timeout: DefaultTimeout, RequestsPerSecond: DefaultRequestsPerSecond, Burst: DefaultBurst}

// clientConfig is Settings checked and resolved: what the client needs.
type clientConfig struct {
	url       string // the agent's full URL
	secretKey string
	login     string
	password  string
	http      httpx.Resolved
}

// settingError names the key a problem is about, so the factory can point
// at it in zonesync.yaml.
type settingError struct {
	key, msg string
}

func (e *settingError) Error() string { return e.key + ": " + e.msg }

// resolve checks the settings and fills in defaults. A problem with an
// HTTP setting is an *httpx.SettingError, any other a *settingError.
func (s Settings) resolve() (*clientConfig, error) {
	h, err := s.Settings.Resolve(httpDefaults)
	if err != nil {
		return nil, err
	}
	c := &clientConfig{
		secretKey: s.SecretKey,
		login:     s.Login,
		password:  s.Password,
		http:      h,
	}
	u, err := agentURL(h.Endpoint)
	if err != nil {
		return nil, &settingError{"endpoint", err.Error()}
	}
	c.url = u
	switch {
	case s.SecretKey != "" && (s.Login != "" || s.Password != ""):
		return nil, &settingError{"secret_key", "set either secret_key or login and password, not both"}
	case s.SecretKey == "" && s.Login == "" && s.Password == "":
		return nil, &settingError{"", "credentials are required: secret_key, or login and password"}
	case s.SecretKey == "" && s.Login == "":
		return nil, &settingError{"password", "password needs login"}
	case s.SecretKey == "" && s.Password == "":
		return nil, &settingError{"login", "login needs password"}
	}
	return c, nil
}

// agentURL turns the endpoint setting, checked by httpx.Settings.Resolve,
// into the agent's URL. A missing port is Plesk's: 8443 for https, 8880
// for http.
func agentURL(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %v", endpoint, err)
	}
	if u.Port() == "" {
		port := "8443"
		if u.Scheme == "http" {
			port = "8880"
		}
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), AgentPath) + AgentPath
	return u.String(), nil
}

// factory builds the provider from its zonesync.yaml entry, offline.
func factory(cfg *config.ProviderConfig) (*Provider, error) {
	if err := cfg.Secrets(SecretKeys...); err != nil {
		return nil, err
	}
	var s Settings
	if err := cfg.Decode(&s); err != nil {
		return nil, err
	}
	c, err := s.resolve()
	var se *settingError
	if errors.As(err, &se) {
		return nil, cfg.Errorf(se.key, "%s", strings.TrimPrefix(se.Error(), ": "))
	}
	if err != nil {
		return nil, httpx.At(cfg, err)
	}
	return newProvider(c), nil
}
