package telecomx

import (
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

// Type is the provider type in zonesync.yaml.
const Type = "telecomx"

// DefaultEndpoint is the API's base URL.
const DefaultEndpoint = "https://api.telecomx.dk"

// The API documents no rate limit. These defaults are a guess, kept low so
// that a large apply does not look like abuse; requests_per_second and
// burst override them.
const (
	DefaultRequestsPerSecond = 10
	DefaultBurst             = 5
)

// DefaultTimeout bounds one HTTP attempt.
const DefaultTimeout = 30 * time.Second

func init() {
	providers.Register(Type, func(cfg *spec.ProviderConfig) (providers.Provider, error) {
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
		return New(s)
	})
}

// SecretKeys are the settings that hold credentials: scrubbed from all
// output, and at least spec.MinSecretLength characters long.
var SecretKeys = []string{"token", "password"}

// Settings are the telecomx provider's keys in zonesync.yaml.
type Settings struct {
	// Token is a long-lived (machine) token; it replaces username and password.
	Token string `yaml:"token"`
	// Username and Password are exchanged at POST /auth/login for a session token.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// Customer is the customer id whose domains are listed and created; empty means the caller's own.
	Customer string `yaml:"customer"`
	// Product is the invoicing product id new domains are created with; empty leaves it to the API.
	Product string `yaml:"product"`
	// Endpoint overrides the API base URL (a fake, a proxy).
	Endpoint string `yaml:"endpoint"`
	// RequestsPerSecond and Burst set the client-side rate limit.
	RequestsPerSecond *float64 `yaml:"requests_per_second"`
	Burst             *int     `yaml:"burst"`
	// Timeout bounds one HTTP attempt, as a Go duration ("30s").
	Timeout string `yaml:"timeout"`
}

// idPattern is how the API writes customer and product ids (24 hex digits).
var idPattern = regexp.MustCompile(`^[0-9A-Fa-f]{24}$`)

// problem returns the first thing wrong with the settings and the key it
// concerns, or an empty message. Values are never echoed: they may be secrets.
func (s Settings) problem() (key, msg string) {
	hasLogin := s.Username != "" || s.Password != ""
	switch {
	case s.Token != "" && hasLogin:
		return "token", "set either token or username and password, not both"
	case s.Token == "" && !hasLogin:
		return "", "credentials are required: set token, or username and password"
	case hasLogin && s.Username == "":
		return "password", "username is required with password"
	case hasLogin && s.Password == "":
		return "username", "password is required with username"
	case s.Customer != "" && !idPattern.MatchString(s.Customer):
		return "customer", "customer must be a Telecom X id of 24 hex digits"
	case s.Product != "" && !idPattern.MatchString(s.Product):
		return "product", "product must be a Telecom X id of 24 hex digits"
	case s.RequestsPerSecond != nil && *s.RequestsPerSecond <= 0:
		return "requests_per_second", "requests_per_second must be above 0"
	case s.Burst != nil && *s.Burst < 1:
		return "burst", "burst must be at least 1"
	}
	if s.Endpoint != "" {
		u, err := url.Parse(s.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "endpoint", "endpoint must be an http or https URL such as " + DefaultEndpoint
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return "endpoint", "endpoint must not carry credentials, a query or a fragment"
		}
	}
	if s.Timeout != "" {
		d, err := time.ParseDuration(s.Timeout)
		if err != nil || d <= 0 {
			return "timeout", fmt.Sprintf("timeout %q must be a positive duration such as 30s", s.Timeout)
		}
	}
	return "", ""
}
