package plesk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
	_ "github.com/zonesync/zonesync/providers/plesk"
)

// TestConfig checks the settings zonesync.yaml may give, and that every
// problem points at its key.
func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings string
		err      string // "" when valid
	}{
		{"key", "endpoint: https://plesk.example.com:8443\n    secret_key: abc-12345", ""},
		{"login", "endpoint: https://plesk.example.com\n    login: admin\n    password: pw-12345", ""},
		{"all tuning keys", "endpoint: http://127.0.0.1:9/\n    secret_key: abc-12345\n    requests_per_second: 2.5\n    burst: 3\n    timeout: 90s", ""},
		{"no endpoint", "secret_key: abc-12345", "zonesync.yaml:3:5: providers.pl: endpoint is required: the server's base URL, such as https://plesk.example.com:8443"},
		{"endpoint without scheme", "endpoint: plesk.example.com:8443\n    secret_key: abc-12345", "zonesync.yaml:3:5: providers.pl: endpoint \"plesk.example.com:8443\" is not an http or https URL such as https://plesk.example.com:8443"},
		{"credentials in the endpoint", "endpoint: https://admin:pw@plesk.example.com\n    secret_key: abc-12345", "zonesync.yaml:3:5: providers.pl: endpoint must not hold credentials; give them in the provider's own settings"},
		{"no credentials", "endpoint: https://plesk.example.com", "zonesync.yaml:3:5: providers.pl: credentials are required"},
		{"both ways", "endpoint: https://plesk.example.com\n    secret_key: abc-12345\n    login: admin\n    password: pw-12345", "zonesync.yaml:4:5: providers.pl: secret_key: set either secret_key or login and password, not both"},
		{"login without password", "endpoint: https://plesk.example.com\n    login: admin", "login: login needs password"},
		{"password without login", "endpoint: https://plesk.example.com\n    password: pw-12345", "password: password needs login"},
		{"timeout in whole seconds", "endpoint: https://plesk.example.com\n    secret_key: abc-12345\n    timeout: 30", ""},
		{"bad timeout", "endpoint: https://plesk.example.com\n    secret_key: abc-12345\n    timeout: soon", "zonesync.yaml:5:5: providers.pl: timeout \"soon\" is not a positive duration such as 30s"},
		{"negative rate", "endpoint: https://plesk.example.com\n    secret_key: abc-12345\n    requests_per_second: -1", "zonesync.yaml:5:5: providers.pl: requests_per_second must not be negative (0 or left out: the default, 5)"},
		{"unknown key", "endpoint: https://plesk.example.com\n    secret_key: abc-12345\n    insecure_skip_verify: true", "zonesync.yaml:5:5: unknown key \"insecure_skip_verify\" in providers.pl"},
		{"short key", "endpoint: https://plesk.example.com\n    secret_key: abc", "zonesync.yaml:4:5: providers.pl: secret_key is 3 characters long; a secret must have at least 8"},
		{"short password", "endpoint: https://plesk.example.com\n    login: admin\n    password: pw", "zonesync.yaml:5:5: providers.pl: password is 2 characters long; a secret must have at least 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The settings start on line 3, column 5; type comes last.
			doc := "providers:\n  pl:\n    " + tc.settings + "\n    type: plesk\n"
			cfg, err := config.Parse("zonesync.yaml", []byte(doc), func(string) (string, bool) { return "", false })
			require.NoError(t, err, "config")
			p, err := providers.New(cfg.Providers["pl"])
			if tc.err == "" {
				require.NoError(t, err, "providers.New")
				assert.NotNil(t, p)
				return
			}
			assert.ErrorContains(t, err, tc.err, "providers.New")
		})
	}
}
