package powerdns

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
)

// build runs the registered factory on one provider entry of a config.
func build(t *testing.T, entry string) (providers.Provider, error) {
	t.Helper()
	data := "providers:\n  pdns:\n    type: powerdns\n" + entry
	cfg, err := config.Parse("zonesync.yaml", []byte(data), func(string) (string, bool) { return "", false })
	require.NoError(t, err)
	return providers.New(cfg.Providers["pdns"])
}

func TestFactory(t *testing.T) {
	const ok = "    endpoint: http://127.0.0.1:8081\n    api_key: key-12345678\n"
	for _, tc := range []struct {
		name, entry string
		// want is the error with its position; "" means valid.
		want string
	}{
		{"minimal", ok, ""},
		{"every key", ok + "    server_id: localhost\n    master_kind: Native\n    timeout: 5s\n    requests_per_second: 5\n    burst: 2\n    retries: 1\n", ""},
		{"no endpoint", "    api_key: key-12345678\n", "zonesync.yaml:3:5: providers.pdns: endpoint is required: the server's base URL, such as http://127.0.0.1:8081"},
		{"no key", "    endpoint: http://127.0.0.1:8081\n", "zonesync.yaml:3:5: providers.pdns: api_key is required: the server's api-key setting"},
		{"short key", "    endpoint: http://127.0.0.1:8081\n    api_key: k\n", "zonesync.yaml:5:5: providers.pdns: api_key is 1 characters long; a secret must have at least 8"},
		{"bad kind", ok + "    master_kind: Primary\n", "zonesync.yaml:6:5: providers.pdns: master_kind \"Primary\" is not Master or Native"},
		{"bad server id", ok + "    server_id: a/b\n", "zonesync.yaml:6:5: providers.pdns: server_id \"a/b\" holds characters a URL path cannot carry as they are; PowerDNS Authoritative's is localhost"},
		{"bad endpoint", "    endpoint: 127.0.0.1:8081\n    api_key: key-12345678\n", "zonesync.yaml:4:5: providers.pdns: endpoint \"127.0.0.1:8081\" is not an http or https URL such as http://127.0.0.1:8081"},
		{"unknown key", ok + "    apikey: x\n", "zonesync.yaml:6:5: unknown key \"apikey\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := build(t, tc.entry)
			if tc.want == "" {
				require.NoError(t, err)
				assert.IsType(t, &Provider{}, p)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "key-12345678")
		})
	}
}
