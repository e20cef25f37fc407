package telecomx

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

// build runs the registered factory on one provider entry of a config.
func build(t *testing.T, entry string) (providers.Provider, error) {
	t.Helper()
	data := "providers:\n  tx:\n    type: telecomx\n" + entry
	cfg, err := config.Parse("zonesync.yaml", []byte(data), func(string) (string, bool) { return "", false })
	require.NoError(t, err, "config.Parse")
	return providers.New(cfg.Providers["tx"])
}

func TestFactory(t *testing.T) {
	for _, tc := range []struct {
		name, entry string
		// want is a piece of the error, with its position; "" means valid.
		want string
	}{
		{"token", "    token: tok-12345\n", ""},
		{"login", "    username: a@example.com\n    password: pw-12345\n    customer: 12345678901234567890ABCD\n    product: 12345678901234567890AAAA\n", ""},
		{"every key", "    token: tok-12345\n    endpoint: http://127.0.0.1:8053/api/\n    requests_per_second: 2.5\n    burst: 3\n    timeout: 5s\n", ""},
		{"no credentials", "    customer: 12345678901234567890ABCD\n", "zonesync.yaml:3:5: providers.tx: credentials are required"},
		{"both", "    token: tok-12345\n    username: u\n    password: pw-12345\n", "zonesync.yaml:4:5: providers.tx: set either token or username and password, not both"},
		{"username alone", "    username: u\n", "zonesync.yaml:4:5: providers.tx: password is required with username"},
		{"password alone", "    password: pw-12345\n", "zonesync.yaml:4:5: providers.tx: username is required with password"},
		{"bad customer", "    token: tok-12345\n    customer: acme\n", "zonesync.yaml:5:5: providers.tx: customer must be a Telecom X id"},
		{"bad product", "    token: tok-12345\n    product: 42\n", "zonesync.yaml:5:5: providers.tx: product must be"},
		{"bad endpoint", "    token: tok-12345\n    endpoint: ftp://x\n", "zonesync.yaml:5:5: providers.tx: endpoint \"ftp://x\" is not an http or https URL such as https://api.telecomx.dk"},
		{"endpoint with credentials", "    token: tok-12345\n    endpoint: https://u:pw@example.com\n", "zonesync.yaml:5:5: providers.tx: endpoint must not hold credentials; give them in the provider's own settings"},
		// Zero is the default, as for every HTTP provider (httpx.Settings).
		{"zero rate and burst", "    token: tok-12345\n    requests_per_second: 0\n    burst: 0\n", ""},
		{"negative rate", "    token: tok-12345\n    requests_per_second: -1\n", "zonesync.yaml:5:5: providers.tx: requests_per_second must not be negative (0 or left out: the default, 10)"},
		{"negative burst", "    token: tok-12345\n    burst: -1\n", "zonesync.yaml:5:5: providers.tx: burst must not be negative (0 or left out: the default, 5)"},
		{"timeout in whole seconds", "    token: tok-12345\n    timeout: 30\n", ""},
		{"bad timeout", "    token: tok-12345\n    timeout: soon\n", "zonesync.yaml:5:5: providers.tx: timeout \"soon\" is not a positive duration such as 30s"},
		{"unknown key", "    token: tok-12345\n    api_key: x\n", "zonesync.yaml:5:5: unknown key \"api_key\""},
		{"wrong kind", "    token: tok-12345\n    burst: many\n", "zonesync.yaml:5:12"},
		{"short token", "    token: t\n", "zonesync.yaml:4:5: providers.tx: token is 1 characters long; a secret must have at least 8"},
		{"short password", "    username: a@example.com\n    password: pw-123\n", "zonesync.yaml:5:5: providers.tx: password is 6 characters long; a secret must have at least 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := build(t, tc.entry)
			if tc.want == "" {
				require.NoError(t, err)
				assert.IsType(t, &Provider{}, p, "the factory's provider")
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			for _, secret := range []string{"tok-123", "pw-123"} {
				assert.NotContains(t, err.Error(), secret, "the error shows a credential")
			}
		})
	}
}

// TestFactoryDefaults checks the client a minimal config gets: the real
// API, the guessed rate limit, the default timeout.
func TestFactoryDefaults(t *testing.T) {
	p, err := build(t, "    token: tok-12345\n")
	require.NoError(t, err)
	c := p.(*Provider).client
	assert.Equal(t, DefaultEndpoint, c.base, "base")
	assert.Equal(t, float64(DefaultRequestsPerSecond), float64(c.http.Limiter.Limit()), "rate limit")
	assert.Equal(t, DefaultBurst, c.http.Limiter.Burst(), "burst")
	assert.Equal(t, DefaultTimeout, c.http.HTTP.Timeout, "timeout")
	p, err = build(t, "    token: tok-12345\n    endpoint: http://127.0.0.1:1/api/\n    requests_per_second: 2\n    burst: 7\n    timeout: 1500ms\n")
	require.NoError(t, err)
	c = p.(*Provider).client
	assert.Equal(t, "http://127.0.0.1:1/api", c.base, "base")
	assert.Equal(t, float64(2), float64(c.http.Limiter.Limit()), "rate limit")
	assert.Equal(t, 7, c.http.Limiter.Burst(), "burst")
	assert.Equal(t, 1500*time.Millisecond, c.http.HTTP.Timeout, "timeout")
}

func TestCapabilities(t *testing.T) {
	p, err := New(Settings{Token: "t"})
	require.NoError(t, err)
	want := model.Capabilities{
		RecordTypes: []string{"A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT"},
		ZoneTTL:     true,
		MinTTL:      60,
		CreateZone:  true,
		ApexNS:      true,
		TXTStrings:  true,
		EmptyTXT:    true,
		RootTarget:  true,
	}
	assert.Empty(t, cmp.Diff(want, p.Capabilities()), "Capabilities (-want +got)")
}

// TestValidation loads zone specs against the provider's capabilities: a
// type it cannot hold, a record TTL other than the zone's, and SOA fields
// are rejected at validate time, naming the record and the provider.
func TestValidation(t *testing.T) {
	cfg, err := config.Parse("zonesync.yaml", []byte("providers:\n  tx:\n    type: telecomx\n    token: tok-12345\n"), func(string) (string, bool) { return "", false })
	require.NoError(t, err)
	set, err := providers.Open(cfg)
	require.NoError(t, err)
	for _, tc := range []struct {
		name, records, want string
	}{
		{"ok", "  www: [{type: A, value: 192.0.2.1}]\n  \"@\": [{type: NS, values: [ns1.telecomx.dk., ns2.telecomx.dk.]}]\n", ""},
		{"caa", "  \"@\": [{type: CAA, value: '0 issue \"letsencrypt.org\"'}]\n", "provider tx cannot hold CAA records"},
		{"ptr", "  x: [{type: PTR, value: host.example.com.}]\n", "provider tx cannot hold PTR records"},
		{"record ttl", "  www: [{type: A, ttl: 300, value: 192.0.2.1}]\n", "records.www[0].ttl 300 differs from the zone's ttl 3600: provider tx has one TTL per zone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := "zone: example.com\nprovider: tx\nttl: 3600\nrecords:\n" + tc.records
			_, err := spec.ParseZone("zones/example.com.yaml", []byte(data), cfg, set.Capabilities)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = spec.ParseZone("z.yaml", []byte("zone: example.com\nprovider: tx\nttl: 30\n"), cfg, set.Capabilities)
	require.Error(t, err, "a zone ttl under the guessed minimum")
	assert.Contains(t, err.Error(), "minimum TTL 60")
	_, err = spec.ParseZone("z.yaml", []byte("zone: example.com\nprovider: tx\nsoa: {refresh: 7200}\n"), cfg, set.Capabilities)
	assert.Error(t, err, "a soa section was accepted for a provider without SOA fields")
}
