package telecomx

import (
	"regexp"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
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

// SecretKeys are the settings that hold credentials: scrubbed from all
// output, and at least config.MinSecretLength characters long.
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
	// Settings are the HTTP settings every HTTP provider shares: endpoint
	// (default https://api.telecomx.dk), timeout (30s),
	// requests_per_second (10), burst (5) and retries (4).
	httpx.Settings `yaml:",inline"`
}

// httpDefaults are the HTTP settings a config leaves out.
var httpDefaults = httpx.Defaults{Endpoint: DefaultEndpoint, Timeout: DefaultTimeout, RequestsPerSecond: DefaultRequestsPerSecond, Burst: DefaultBurst}

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
	}
	return "", ""
}
