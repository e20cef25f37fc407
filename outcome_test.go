package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	cloudns "github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/providers/httpx"
)

// TestUnknownOutcomeExitsOne: a create lands at the API, its answer is
// lost and the API then fails every request until the retries run out.
// apply reports the create unknown, in text and JSON, and exits 1; once
// the API is back, a plan shows nothing left to do.
func TestUnknownOutcomeExitsOne(t *testing.T) {
	t.Setenv("E2E_PASSWORD", e2eSecret)
	base, most := httpx.DefaultBaseDelay, httpx.DefaultMaxDelay
	httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = time.Millisecond, 2*time.Millisecond
	defer func() { httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = base, most }()
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			api := cloudns.New(cloudns.Options{AuthID: "4242", Password: e2eSecret, RequestsPerSecond: 1000})
			require.NoError(t, api.Seed(seedZone(t)))
			var down atomic.Bool
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case down.Load():
					http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
				case cloudns.Endpoint(r) == "add-record":
					api.ServeHTTP(httptest.NewRecorder(), r) // the create lands
					down.Store(true)
					if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
						conn.Close() // and its answer is lost
					}
				default:
					api.ServeHTTP(w, r)
				}
			}))
			defer srv.Close()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "zonesync.yaml")
			require.NoError(t, os.WriteFile(cfg, []byte("providers:\n  cloudns:\n    type: cloudns\n    endpoint: "+srv.URL+"\n    auth_id: 4242\n    auth_password: ${E2E_PASSWORD}\n"), 0o644))
			code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "cloudns", "--all")
			require.Equal(t, 0, code, out+errOut)
			specFile := filepath.Join(dir, "zones", "e2e.test.yaml")
			data, err := os.ReadFile(specFile)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(specFile, append(data, "  new:\n    - type: A\n      value: 198.51.100.7\n"...), 0o644))

			code, out, errOut = zonesync(t, "--config", cfg, "apply", "--format", format)
			assert.Equal(t, 1, code, "exit code\n%s%s", out, errOut)
			if format == "text" {
				assert.Contains(t, out, "  unknown   1 create new A: sent, outcome not confirmed — run plan: cloudns: add-record new A in e2e.test: ")
				assert.Contains(t, out, "0 ok, 0 failed, 1 unknown (sent, outcome not confirmed: run plan), 0 skipped")
			} else {
				assert.Contains(t, out, `"status": "unknown"`)
				assert.Contains(t, out, `"unknown": 1`)
				assert.NotContains(t, out, `"status": "failed"`)
			}
			assert.NotContains(t, out+errOut, e2eSecret)

			down.Store(false)
			code, out, errOut = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
			assert.Equal(t, 0, code, "the create landed: nothing left to do\n%s%s", out, errOut)
			assert.True(t, strings.Contains(out, "No changes"), out)
		})
	}
}
