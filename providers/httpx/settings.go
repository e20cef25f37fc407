package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers/redact"
)

// DefaultRetries is how many times a transient failure is tried again
// when the config does not say: five tries in all.
const DefaultRetries = 4

// Settings are the HTTP settings every HTTP provider takes in
// zonesync.yaml, beside its own keys: a provider's settings struct embeds
// them with `yaml:",inline"`. They have one syntax and one set of
// messages for every provider:
//
//	endpoint: https://api.example.net  # the API's base URL (a fake's, a proxy's)
//	timeout: 30s                       # bounds each try: a Go duration, or whole seconds (30)
//	requests_per_second: 10            # client-side rate limit; 0 or left out: the provider's
//	burst: 5                           # requests that may go at once; 0 or left out: the provider's
//	retries: 4                         # more tries after a transient failure; 0: none; left out: 4
//
// Negative numbers are refused; see Resolve.
type Settings struct {
	// Endpoint overrides the API's base URL: http or https, a host, no
	// credentials, query or fragment.
	Endpoint string `yaml:"endpoint"`
	// Timeout bounds each try: a Go duration ("30s", "1m30s") or a whole
	// number of seconds ("30"), above zero.
	Timeout string `yaml:"timeout"`
	// RequestsPerSecond is the client-side rate limit.
	RequestsPerSecond float64 `yaml:"requests_per_second"`
	// Burst is how many requests may go at once under that limit.
	Burst int `yaml:"burst"`
	// Retries is how many more times a transient failure is tried; nil
	// when the config leaves it out.
	Retries *int `yaml:"retries"`
}

// Defaults are a provider's values for the settings a config leaves out.
type Defaults struct {
	// Endpoint is the API's base URL. Empty makes endpoint required (a
	// server the user runs has no default address); Example is then the
	// URL the message gives as an example.
	Endpoint, Example string
	// Timeout bounds each try.
	Timeout time.Duration
	// RequestsPerSecond and Burst are the client-side rate limit.
	RequestsPerSecond float64
	Burst             int
}

// Resolved are settings checked, with the provider's defaults filled in.
type Resolved struct {
	// Endpoint is the base URL without a trailing slash.
	Endpoint          string
	Timeout           time.Duration
	RequestsPerSecond float64
	Burst             int
	// Attempts is how many tries a transient failure gets: retries + 1.
	Attempts int
}

// SettingError is a problem with one setting. Its message starts with the
// key, and never quotes a secret (the HTTP settings hold none).
type SettingError struct {
	// Key is the setting's key in zonesync.yaml.
	Key string
	Msg string
}

func (e *SettingError) Error() string { return e.Msg }

// Resolve checks the settings and fills in d for what they leave out. A
// problem is a *SettingError; At places it at its key in zonesync.yaml.
func (s Settings) Resolve(d Defaults) (Resolved, error) {
	r := Resolved{Endpoint: d.Endpoint, Timeout: d.Timeout, RequestsPerSecond: d.RequestsPerSecond, Burst: d.Burst, Attempts: DefaultRetries + 1}
	fail := func(key, format string, args ...any) (Resolved, error) {
		return Resolved{}, &SettingError{Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	example := d.Endpoint
	if example == "" {
		example = d.Example
	}
	switch u, err := url.Parse(s.Endpoint); {
	case s.Endpoint == "" && d.Endpoint == "":
		return fail("endpoint", "endpoint is required: the server's base URL, such as %s", example)
	case s.Endpoint == "":
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fail("endpoint", "endpoint %q is not an http or https URL such as %s", s.Endpoint, example)
	case u.User != nil:
		return fail("endpoint", "endpoint must not hold credentials; give them in the provider's own settings")
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s.Endpoint, "?") || strings.HasSuffix(s.Endpoint, "#"):
		return fail("endpoint", "endpoint must not have a query or a fragment")
	default:
		r.Endpoint = s.Endpoint
	}
	r.Endpoint = strings.TrimRight(r.Endpoint, "/")
	if s.Timeout != "" {
		t, ok := parseTimeout(s.Timeout)
		if !ok {
			return fail("timeout", "timeout %q is not a positive duration such as 30s (or a whole number of seconds, such as 30)", s.Timeout)
		}
		r.Timeout = t
	}
	switch {
	case s.RequestsPerSecond < 0:
		return fail("requests_per_second", "requests_per_second must not be negative (0 or left out: the default, %g)", d.RequestsPerSecond)
	case s.RequestsPerSecond > 0:
		r.RequestsPerSecond = s.RequestsPerSecond
	}
	switch {
	case s.Burst < 0:
		return fail("burst", "burst must not be negative (0 or left out: the default, %d)", d.Burst)
	case s.Burst > 0:
		r.Burst = s.Burst
	}
	if s.Retries != nil {
		if *s.Retries < 0 {
			return fail("retries", "retries must not be negative (0: no retries; left out: %d)", DefaultRetries)
		}
		r.Attempts = *s.Retries + 1
	}
	return r, nil
}

// parseTimeout reads a Go duration or a whole number of seconds, above zero.
func parseTimeout(s string) (time.Duration, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, n > 0 && n <= int(time.Duration(1<<62)/time.Second)
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d > 0
}

// At places err at its key in the provider's entry of zonesync.yaml when
// it is a *SettingError (file:line:col: providers.NAME: message), and
// returns other errors as they are.
func At(cfg *config.ProviderConfig, err error) error {
	var se *SettingError
	if errors.As(err, &se) {
		return cfg.Errorf(se.Key, "%s", se.Msg)
	}
	return err
}

// Client builds the client the settings describe: each try bounded by
// Timeout, paced by the rate limit, tried Attempts times, every error
// scrubbed of secrets.
func (r Resolved) Client(secrets *redact.Scrubber) *Client {
	return &Client{
		HTTP:        &http.Client{Timeout: r.Timeout},
		Limiter:     NewLimiter(r.RequestsPerSecond, r.Burst),
		MaxAttempts: r.Attempts,
		Secrets:     secrets,
	}
}
