package httpx

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
)

// testSettings are a provider's settings as every HTTP provider writes
// them: its own keys and the shared ones inline.
type testSettings struct {
	Token    string `yaml:"token"`
	Settings `yaml:",inline"`
}

var testDefaults = Defaults{Endpoint: "https://api.example.net", Timeout: 30 * time.Second, RequestsPerSecond: 10, Burst: 5}

// resolveYAML decodes a provider entry's settings from zonesync.yaml and
// resolves them, placing a problem at its key as the providers do.
func resolveYAML(t *testing.T, settings string, d Defaults) (Resolved, error) {
	t.Helper()
	cfg, err := config.Parse("zonesync.yaml", []byte("providers:\n  p:\n    type: x\n    token: t\n"+settings), nil)
	require.NoError(t, err)
	pc := cfg.Providers["p"]
	var s testSettings
	if err := pc.Decode(&s); err != nil {
		return Resolved{}, err
	}
	r, err := s.Resolve(d)
	return r, At(pc, err)
}

func TestSettingsResolve(t *testing.T) {
	defaults := Resolved{Endpoint: "https://api.example.net", Timeout: 30 * time.Second, RequestsPerSecond: 10, Burst: 5, Attempts: 5}
	for _, tc := range []struct {
		name, yaml string
		want       Resolved
	}{
		{"nothing set: the provider's defaults", "", defaults},
		{"every key", "    endpoint: http://127.0.0.1:8053/\n    timeout: 2m\n    requests_per_second: 2.5\n    burst: 1\n    retries: 2\n",
			Resolved{Endpoint: "http://127.0.0.1:8053", Timeout: 2 * time.Minute, RequestsPerSecond: 2.5, Burst: 1, Attempts: 3}},
		{"timeout in whole seconds", "    timeout: 30\n", defaults},
		{"timeout as a quoted number", "    timeout: \"45\"\n", func() Resolved { r := defaults; r.Timeout = 45 * time.Second; return r }()},
		{"zero rate and burst: the defaults", "    requests_per_second: 0\n    burst: 0\n", defaults},
		{"no retries", "    retries: 0\n", func() Resolved { r := defaults; r.Attempts = 1; return r }()},
		{"an endpoint with a path", "    endpoint: https://proxy.example/api/v1\n", func() Resolved { r := defaults; r.Endpoint = "https://proxy.example/api/v1"; return r }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveYAML(t, tc.yaml, testDefaults)
			require.NoError(t, err)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Resolve (-want +got):\n%s", d)
			}
		})
	}
}

func TestSettingsProblems(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		defaults   Defaults
		want       string
	}{
		{"endpoint required without a default", "", Defaults{Example: "https://plesk.example.com:8443", Timeout: time.Minute},
			"zonesync.yaml:3:5: providers.p: endpoint is required: the server's base URL, such as https://plesk.example.com:8443"},
		{"endpoint not a URL", "    endpoint: api.example.net\n", testDefaults,
			`zonesync.yaml:5:5: providers.p: endpoint "api.example.net" is not an http or https URL such as https://api.example.net`},
		{"endpoint of another scheme", "    endpoint: ftp://api.example.net\n", testDefaults,
			`zonesync.yaml:5:5: providers.p: endpoint "ftp://api.example.net" is not an http or https URL such as https://api.example.net`},
		{"endpoint with credentials", "    endpoint: https://admin:hunter2@api.example.net\n", testDefaults,
			"zonesync.yaml:5:5: providers.p: endpoint must not hold credentials; give them in the provider's own settings"},
		{"endpoint with a query", "    endpoint: https://api.example.net/?key=1\n", testDefaults,
			"zonesync.yaml:5:5: providers.p: endpoint must not have a query or a fragment"},
		{"endpoint with a fragment", "    endpoint: https://api.example.net/#top\n", testDefaults,
			"zonesync.yaml:5:5: providers.p: endpoint must not have a query or a fragment"},
		{"timeout not a duration", "    timeout: soon\n", testDefaults,
			`zonesync.yaml:5:5: providers.p: timeout "soon" is not a positive duration such as 30s (or a whole number of seconds, such as 30)`},
		{"timeout zero", "    timeout: 0\n", testDefaults,
			`zonesync.yaml:5:5: providers.p: timeout "0" is not a positive duration such as 30s (or a whole number of seconds, such as 30)`},
		{"timeout negative", "    timeout: -5s\n", testDefaults,
			`zonesync.yaml:5:5: providers.p: timeout "-5s" is not a positive duration such as 30s (or a whole number of seconds, such as 30)`},
		{"negative rate", "    requests_per_second: -1\n", testDefaults,
			"zonesync.yaml:5:5: providers.p: requests_per_second must not be negative (0 or left out: the default, 10)"},
		{"negative burst", "    burst: -2\n", testDefaults,
			"zonesync.yaml:5:5: providers.p: burst must not be negative (0 or left out: the default, 5)"},
		{"negative retries", "    retries: -1\n", testDefaults,
			"zonesync.yaml:5:5: providers.p: retries must not be negative (0: no retries; left out: 4)"},
		{"retries not a number", "    retries: many\n", testDefaults,
			`zonesync.yaml:5:14: providers.p.retries must be a whole number, not "many"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := resolveYAML(t, tc.yaml, tc.defaults)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestResolvedClient(t *testing.T) {
	c := Resolved{Timeout: 7 * time.Second, RequestsPerSecond: 4, Burst: 2, Attempts: 3}.Client(nil)
	assert.Equal(t, 7*time.Second, c.HTTP.Timeout)
	assert.Equal(t, 3, c.MaxAttempts)
	require.NotNil(t, c.Limiter)
	assert.EqualValues(t, 4, c.Limiter.Limit())
	assert.Equal(t, 2, c.Limiter.Burst())
}
