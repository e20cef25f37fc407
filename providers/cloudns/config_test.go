package cloudns

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
)

func providerFromYAML(t *testing.T, settings string) (providers.Provider, error) {
	t.Helper()
	doc := "providers:\n  dns:\n    type: cloudns\n" + settings
	cfg, err := config.Parse("zonesync.yaml", []byte(doc), func(string) (string, bool) { return "", false })
	require.NoError(t, err, "config")
	return providers.New(cfg.Providers["dns"])
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name, settings string
		// wantErr is a piece of the error; "" means the config is valid.
		wantErr string
	}{
		{"auth_id", "    auth_id: 1234\n    auth_password: pw-12345\n", ""},
		{"sub_auth_id", "    sub_auth_id: 12\n    auth_password: pw-12345\n", ""},
		{"sub_auth_user", "    sub_auth_user: ops\n    auth_password: pw-12345\n", ""},
		{"all settings", "    auth_id: 1\n    auth_password: pw-12345\n    endpoint: http://127.0.0.1:8053/\n    requests_per_second: 5\n    burst: 2\n    timeout: 10s\n", ""},
		{"timeout in seconds", "    auth_id: 1\n    auth_password: pw-12345\n    timeout: 15\n", ""},
		{"no identity", "    auth_password: pw-12345\n", "zonesync.yaml:3:5: providers.dns: set exactly one of auth_id, sub_auth_id or sub_auth_user (none is set)"},
		{"two identities", "    auth_id: 1\n    sub_auth_user: ops\n    auth_password: pw-12345\n", "zonesync.yaml:5:5: providers.dns: set exactly one of auth_id, sub_auth_id or sub_auth_user, not auth_id and sub_auth_user"},
		{"three identities", "    auth_id: 1\n    sub_auth_id: 2\n    sub_auth_user: ops\n    auth_password: pw-12345\n", "not auth_id and sub_auth_id and sub_auth_user"},
		{"no password", "    auth_id: 1\n", "auth_password is required"},
		{"unknown key", "    auth_id: 1\n    auth_password: pw-12345\n    password: x\n", `zonesync.yaml:6:5: unknown key "password"`},
		{"bad endpoint", "    auth_id: 1\n    auth_password: pw-12345\n    endpoint: ftp://x\n", "zonesync.yaml:6:5: providers.dns: endpoint \"ftp://x\" is not an http or https URL such as https://api.cloudns.net"},
		{"endpoint with a query", "    auth_id: 1\n    auth_password: pw-12345\n    endpoint: https://x/?auth-password=1\n", "zonesync.yaml:6:5: providers.dns: endpoint must not have a query or a fragment"},
		{"bad timeout", "    auth_id: 1\n    auth_password: pw-12345\n    timeout: soon\n", `timeout "soon" is not a positive duration`},
		{"negative rate", "    auth_id: 1\n    auth_password: pw-12345\n    requests_per_second: -1\n", "zonesync.yaml:6:5: providers.dns: requests_per_second must not be negative (0 or left out: the default, 18)"},
		{"short password", "    auth_id: 1\n    auth_password: pw-1234\n", "zonesync.yaml:5:5: providers.dns: auth_password is 7 characters long; a secret must have at least 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := providerFromYAML(t, tc.settings)
			if tc.wantErr == "" {
				require.NoError(t, err, "a valid config")
				assert.NotNil(t, p.Capabilities().AllowedTTLs, "the provider's capabilities")
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
			assert.NotContains(t, err.Error(), "pw", "the error shows the password")
		})
	}
}

// TestConfigDefaults checks the client a minimal config builds; building
// it must not touch the network (the endpoint does not exist).
func TestConfigDefaults(t *testing.T) {
	p, err := providerFromYAML(t, "    auth_id: 1\n    auth_password: pw-12345\n")
	require.NoError(t, err)
	c := p.(*Provider).c
	assert.Equal(t, DefaultEndpoint, c.base, "endpoint")
	assert.Equal(t, float64(DefaultRequestsPerSecond), float64(c.http.Limiter.Limit()), "rate limit per second")
	assert.Less(t, float64(c.http.Limiter.Limit()), 20.0, "the rate limit stays under the API's 20/s")
	assert.Equal(t, 30*time.Second, c.http.HTTP.Timeout, "timeout")
	assert.Equal(t, [2]string{"auth-id", "1"}, c.identity, "identity")
	assert.Equal(t, "pw-12345", c.password, "password")
}
