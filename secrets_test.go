package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	cloudns "github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/redact"
)

// writeProject writes zonesync.yaml (and zone specs by file name) into a
// temporary directory and returns the config's path.
func writeProject(t *testing.T, config string, specs map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "zones"), 0o755))
	for name, body := range specs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", name), []byte(body), 0o644))
	}
	cfg := filepath.Join(dir, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(config), 0o644))
	return cfg
}

// fastRetries makes the HTTP providers' backoff instant for one test.
func fastRetries(t *testing.T) {
	base, most := httpx.DefaultBaseDelay, httpx.DefaultMaxDelay
	httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = time.Millisecond, 2*time.Millisecond
	t.Cleanup(func() { httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = base, most })
}

// TestValidateNeverShowsEnvironmentValues: a setting taken from the
// environment that is wrong is reported by its variable, not its value,
// even when it is no secret setting (issue: an endpoint holding a token).
func TestValidateNeverShowsEnvironmentValues(t *testing.T) {
	t.Setenv("CLOUDNS_ID", "4242")
	t.Setenv("CLOUDNS_PASSWORD", "tx-Secret-9f8e7d")
	t.Setenv("CLOUDNS_ENDPOINT", "Zq9-VerySecret-api-token")
	t.Setenv("CLOUDNS_TIMEOUT", "Zq9-VerySecret-timeout")
	cfg := writeProject(t, "providers:\n  dns:\n    type: cloudns\n    auth_id: ${CLOUDNS_ID}\n    auth_password: ${CLOUDNS_PASSWORD}\n    endpoint: ${CLOUDNS_ENDPOINT}\n", nil)
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, cfg+":6:5: providers.dns: endpoint ${CLOUDNS_ENDPOINT} is not an http or https URL such as https://api.cloudns.net\n", errOut)

	cfg = writeProject(t, "providers:\n  dns:\n    type: cloudns\n    auth_id: ${CLOUDNS_ID}\n    auth_password: ${CLOUDNS_PASSWORD}\n    timeout: ${CLOUDNS_TIMEOUT}\n", nil)
	code, _, errOut = zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 1, code)
	assert.Equal(t, cfg+":6:5: providers.dns: timeout ${CLOUDNS_TIMEOUT} is not a positive duration such as 30s (or a whole number of seconds, such as 30)\n", errOut)
	assert.NotContains(t, errOut, "VerySecret")
}

// TestShortSecretRefusedByValidate: a secret under 8 characters is an
// error at its key naming its variable, never the value (issue: "alpha"
// turned "alpha.com" into "[redacted].com" in every output).
func TestShortSecretRefusedByValidate(t *testing.T) {
	t.Setenv("CLOUDNS_PASSWORD", "alpha")
	cfg := writeProject(t, "providers:\n  dns:\n    type: cloudns\n    auth_id: 4242\n    auth_password: ${CLOUDNS_PASSWORD}\n",
		map[string]string{"alpha.com.yaml": "zone: alpha.com\nprovider: dns\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n"})
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, cfg+":5:5: providers.dns: auth_password (from ${CLOUDNS_PASSWORD}) is 5 characters long; a secret must have at least 8 (use the full password or key)\n", errOut)
}

// TestOnlySecretsAreScrubbed: the password is scrubbed from the output
// wherever it shows, even as record data, while a value of an ordinary
// setting from the environment (the sub-user's name) is left alone in
// unrelated output such as zone names.
func TestOnlySecretsAreScrubbed(t *testing.T) {
	fastRetries(t)
	const password = "examp1e-Passw0rd"
	api := cloudns.New(cloudns.Options{SubAuthUser: "example", Password: password})
	live := &model.Zone{Name: "example.com", Mode: model.Master}
	require.NoError(t, api.Seed(live))
	srv := httptest.NewServer(api)
	defer srv.Close()
	t.Setenv("CLOUDNS_USER", "example")
	t.Setenv("CLOUDNS_PASSWORD", password)
	cfg := writeProject(t, "providers:\n  dns:\n    type: cloudns\n    endpoint: "+srv.URL+"\n    sub_auth_user: ${CLOUDNS_USER}\n    auth_password: ${CLOUDNS_PASSWORD}\n",
		map[string]string{"example.com.yaml": "zone: example.com\nprovider: dns\nrecords:\n  www.example.com.:\n    - {type: TXT, value: \"leaked " + password + " here\", ttl: 3600}\n"})
	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var p struct {
		Zones []struct {
			Zone       string `json:"zone"`
			Operations []struct {
				Name  string `json:"name"`
				After struct {
					Values []string `json:"values"`
				} `json:"after"`
			} `json:"operations"`
		} `json:"zones"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &p), out)
	require.Len(t, p.Zones, 1)
	assert.Equal(t, "example.com", p.Zones[0].Zone)
	require.Len(t, p.Zones[0].Operations, 1)
	assert.Equal(t, "www", p.Zones[0].Operations[0].Name)
	assert.Equal(t, []string{`"leaked ` + redact.Mask + ` here"`}, p.Zones[0].Operations[0].After.Values)
	assert.NotContains(t, out+errOut, password)
}

// TestEchoedSecretNeverPrinted: a server error quoting the password in the
// escaped form of the issue (\u003c for <) reaches stderr scrubbed.
func TestEchoedSecretNeverPrinted(t *testing.T) {
	fastRetries(t)
	const password = `S3cr3t<Cl0uD>&"pw`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		escaped, _ := json.Marshal("no such user with password " + password)
		w.Write([]byte(`{"error":` + string(escaped) + `}`))
	}))
	defer srv.Close()
	t.Setenv("CLOUDNS_PASSWORD", password)
	cfg := writeProject(t, "providers:\n  dns:\n    type: cloudns\n    endpoint: "+srv.URL+"\n    auth_id: 4242\n    auth_password: ${CLOUDNS_PASSWORD}\n",
		map[string]string{"example.com.yaml": "zone: example.com\nprovider: dns\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1, ttl: 3600}\n"})
	code, out, errOut := zonesync(t, "--config", cfg, "plan")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, redact.Mask)
	providertest.AssertNoSecret(t, "output", password, out+errOut)
	assert.NotContains(t, out+errOut, "Cl0uD")
	assert.True(t, strings.HasPrefix(errOut, "zonesync: "), errOut)
}
