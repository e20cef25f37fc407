package cloudns

import (
	"strings"
	"testing"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
)

func providerFromYAML(t *testing.T, settings string) (providers.Provider, error) {
	t.Helper()
	doc := "providers:\n  dns:\n    type: cloudns\n" + settings
	cfg, err := config.Parse("zonesync.yaml", []byte(doc), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
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
				if err != nil {
					t.Fatalf("valid config refused: %v", err)
				}
				if p.Capabilities().AllowedTTLs == nil {
					t.Fatal("provider without its capabilities")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "pw") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

// TestConfigDefaults checks the client a minimal config builds; building
// it must not touch the network (the endpoint does not exist).
func TestConfigDefaults(t *testing.T) {
	p, err := providerFromYAML(t, "    auth_id: 1\n    auth_password: pw-12345\n")
	if err != nil {
		t.Fatal(err)
	}
	c := p.(*Provider).c
	if c.base != DefaultEndpoint {
		t.Errorf("endpoint %q, want %q", c.base, DefaultEndpoint)
	}
	if got := float64(c.http.Limiter.Limit()); got != DefaultRequestsPerSecond || got >= 20 {
		t.Errorf("rate limit %v/s, want %v/s (under the API's 20/s)", got, DefaultRequestsPerSecond)
	}
	if c.http.HTTP.Timeout != 30*time.Second {
		t.Errorf("timeout %v, want 30s", c.http.HTTP.Timeout)
	}
	if c.identity != [2]string{"auth-id", "1"} || c.password != "pw-12345" {
		t.Errorf("identity %v", c.identity)
	}
}
