package plesk

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/zonesync/zonesync/spec"
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
// output, and at least spec.MinSecretLength characters long.
var SecretKeys = []string{"secret_key", "password"}

// Settings are the plesk provider's keys in zonesync.yaml.
type Settings struct {
	// Endpoint is the server's base URL, e.g. https://plesk.example.com:8443.
	Endpoint string `yaml:"endpoint"`
	// SecretKey authenticates with the KEY header (Plesk 12.0+).
	SecretKey string `yaml:"secret_key"`
	// Login and Password authenticate with HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD.
	Login    string `yaml:"login"`
	Password string `yaml:"password"`
	// RequestsPerSecond and Burst pace the client.
	RequestsPerSecond float64 `yaml:"requests_per_second"`
	Burst             int     `yaml:"burst"`
	// Timeout bounds one HTTP request, as a Go duration ("30s").
	Timeout string `yaml:"timeout"`
}

// config is Settings checked and resolved.
type config struct {
	url       string // the agent's full URL
	secretKey string
	login     string
	password  string
	rps       float64
	burst     int
	timeout   time.Duration
}

// settingError names the key a problem is about, so the factory can point
// at it in zonesync.yaml.
type settingError struct {
	key, msg string
}

func (e *settingError) Error() string { return e.key + ": " + e.msg }

// resolve checks the settings and fills in defaults.
func (s Settings) resolve() (*config, error) {
	c := &config{
		secretKey: s.SecretKey,
		login:     s.Login,
		password:  s.Password,
		rps:       s.RequestsPerSecond,
		burst:     s.Burst,
		timeout:   DefaultTimeout,
	}
	u, err := agentURL(s.Endpoint)
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
	switch {
	case s.RequestsPerSecond < 0:
		return nil, &settingError{"requests_per_second", "must not be negative"}
	case s.RequestsPerSecond == 0:
		c.rps = DefaultRequestsPerSecond
	}
	switch {
	case s.Burst < 0:
		return nil, &settingError{"burst", "must not be negative"}
	case s.Burst == 0:
		c.burst = DefaultBurst
	}
	if s.Timeout != "" {
		d, err := time.ParseDuration(s.Timeout)
		if err != nil || d <= 0 {
			return nil, &settingError{"timeout", fmt.Sprintf("%q is not a positive duration such as 30s or 2m", s.Timeout)}
		}
		c.timeout = d
	}
	return c, nil
}

// agentURL turns the endpoint setting into the agent's URL. A missing port
// is Plesk's: 8443 for https, 8880 for http.
func agentURL(endpoint string) (string, error) {
	if endpoint == "" {
		return "", fmt.Errorf("is required: the Plesk server's URL, e.g. https://plesk.example.com:8443")
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("%q is not an http(s) URL such as https://plesk.example.com:8443", endpoint)
	}
	if u.User != nil {
		return "", fmt.Errorf("must not hold credentials; use secret_key, or login and password")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("must not have a query or fragment")
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
func factory(cfg *spec.ProviderConfig) (*Provider, error) {
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
		return nil, err
	}
	return newProvider(c), nil
}
