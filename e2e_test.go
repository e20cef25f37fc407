package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	cloudns "github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/httpx"
	plesk "github.com/zonesync/zonesync/providers/plesk/fake"
	telecomx "github.com/zonesync/zonesync/providers/telecomx/fake"
)

// fakeAPI is what every provider's fake offers (as cmd/zonesync-fake uses it).
type fakeAPI interface {
	http.Handler
	Seed(*model.Zone) error
	Faults() *faults.Injector
}

// e2eProviders are the HTTP providers driven end to end through the CLI
// against their fakes, each with the config that points zonesync at it.
var e2eProviders = []struct {
	name   string
	fake   func() fakeAPI
	config string // %s is the fake's URL
	// changes reports whether a request changes the zone.
	changes func(*http.Request) bool
}{
	{"cloudns", func() fakeAPI {
		return cloudns.New(cloudns.Options{AuthID: "4242", Password: "tx-Secret-9f8e7d", RequestsPerSecond: 20})
	}, "type: cloudns\n    endpoint: %s\n    auth_id: 4242\n    auth_password: ${E2E_PASSWORD}\n", func(r *http.Request) bool {
		return !slices.Contains([]string{"login", "list-zones", "get-pages-count", "get-zones-stats", "get-zone-info", "records", "get-records-count", "soa-details", "master-servers", "failover-settings"}, cloudns.Endpoint(r))
	}},
	{"telecomx", func() fakeAPI {
		return telecomx.New(telecomx.Options{Username: "ops@example.com", Password: "tx-Secret-9f8e7d"})
	}, "type: telecomx\n    endpoint: %s\n    username: ops@example.com\n    password: ${E2E_PASSWORD}\n", func(r *http.Request) bool {
		return r.Method != http.MethodGet && !strings.HasPrefix(r.URL.Path, "/auth/")
	}},
	{"plesk", func() fakeAPI {
		return plesk.New(plesk.Options{Login: "admin", Password: "tx-Secret-9f8e7d"})
	}, "type: plesk\n    endpoint: %s\n    login: admin\n    password: ${E2E_PASSWORD}\n", func(r *http.Request) bool {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		return regexp.MustCompile(`<(add_rec|del_rec|set|switch|add_master_server|del_master_server)>`).Match(body)
	}},
}

const e2eSecret = "tx-Secret-9f8e7d"

// seedZone is the live zone every fake starts with.
func seedZone(t *testing.T) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: "e2e.test", Mode: model.Master, TTL: 3600}
	add := func(name, rrtype string, values ...string) {
		rs, err := model.NewRecordSet(name, rrtype, 3600, values...)
		require.NoError(t, err)
		z.Records = append(z.Records, rs)
	}
	add("@", "A", "192.0.2.1")
	add("@", "MX", "10 mail.e2e.test.")
	add("www", "CNAME", "e2e.test.")
	add("mail", "A", "192.0.2.25")
	add("_sip._tcp", "SRV", "10 60 5060 sip.e2e.test.")
	add("txt", "TXT", "hello world")
	z.SortRecords()
	return z
}

func TestEndToEndAgainstFakes(t *testing.T) {
	t.Setenv("E2E_PASSWORD", e2eSecret)
	// Retries back off for real; here they need not wait.
	base, most := httpx.DefaultBaseDelay, httpx.DefaultMaxDelay
	httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = time.Millisecond, 2*time.Millisecond
	defer func() { httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = base, most }()
	for _, p := range e2eProviders {
		t.Run(p.name, func(t *testing.T) {
			api := p.fake()
			require.NoError(t, api.Seed(seedZone(t)))
			srv := httptest.NewServer(api)
			defer srv.Close()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "zonesync.yaml")
			body := "providers:\n  " + p.name + ":\n    " + strings.Replace(p.config, "%s", srv.URL, 1)
			require.NoError(t, os.WriteFile(cfg, []byte(body), 0o644))

			var outputs []string
			step := func(want int, args ...string) string {
				t.Helper()
				code, out, errOut := zonesync(t, append([]string{"--config", cfg, "--verbose"}, args...)...)
				outputs = append(outputs, out, errOut)
				require.Equal(t, want, code, "zonesync %s:\n%s%s", strings.Join(args, " "), out, errOut)
				return out
			}
			step(0, "import", "--provider", p.name, "--all")
			step(0, "validate")
			step(0, "plan", "--detailed-exitcode") // an imported zone plans as no change

			specFile := filepath.Join(dir, "zones", "e2e.test.yaml")
			data, err := os.ReadFile(specFile)
			require.NoError(t, err)
			edited := strings.Replace(string(data), "192.0.2.25", "192.0.2.26", 1) +
				"  new:\n    - type: A\n      value: 198.51.100.7\n"
			edited = strings.Replace(edited, "hello world", "hello again", 1)
			require.NoError(t, os.WriteFile(specFile, []byte(edited), 0o644))

			out := step(2, "plan", "--detailed-exitcode")
			for _, want := range []string{"+new", "-mail", "+mail", "hello again"} {
				assert.Contains(t, out, want, "plan")
			}
			planFile := filepath.Join(dir, "plan.json")
			step(0, "plan", "-out", planFile, "--format", "json")
			step(0, "apply", planFile)
			step(0, "plan", "--detailed-exitcode")
			step(0, "apply") // nothing to do

			// Failures, with verbose output: the reads work, every change
			// fails (and its check, a read, shows it did not land).
			require.NoError(t, os.WriteFile(specFile, []byte(edited+"  failing:\n    - type: A\n      value: 198.51.100.8\n"), 0o644))
			step(2, "plan", "--detailed-exitcode")
			api.Faults().Skip = func(r *http.Request) bool { return !p.changes(r) }
			script := make([]faults.Kind, 50)
			for i := range script {
				script[i] = faults.ServerError
			}
			api.Faults().Script(script...)
			failing := step(1, "apply", "--format", "json")
			api.Faults().Skip = nil
			assert.Contains(t, failing, `"status": "failed"`, "apply against a failing API reports no failed operation")
			srv.Close()
			step(1, "plan")

			for _, o := range outputs {
				require.NotContains(t, o, e2eSecret, "the password appears in zonesync's output")
			}
			data, err = os.ReadFile(planFile)
			require.NoError(t, err)
			require.NotContains(t, string(data), e2eSecret, "the password appears in the plan file")
		})
	}
}
