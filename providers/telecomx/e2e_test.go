package telecomx

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/apply"
	zsconfig "github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

const e2eSpec = `zone: example.com
provider: tx
ttl: 3600
records:
  "@":
    - {type: NS, values: [ns1.telecomx.dk., ns2.telecomx.dk.]}
    - {type: MX, values: ["10 mail.example.com.", "20 mail2.example.com."]}
    - {type: TXT, values: ["v=spf1 mx -all", "google-site-verification=abc"]}
    - {type: A, value: 192.0.2.10}
  www:
    - {type: A, values: [192.0.2.1, 192.0.2.2]}
    - {type: AAAA, value: "2001:db8::1"}
  alias:
    - {type: CNAME, value: www.example.com.}
  _sip._tcp:
    - {type: SRV, value: "0 5 5060 sip.example.com."}
`

// project writes a zonesync.yaml for the env's fake, credentials from the
// environment, and the zone specs, and loads it as the CLI does.
func project(t *testing.T, e *env, specs map[string]string) (*zsconfig.Config, *providers.Set) {
	t.Helper()
	dir := t.TempDir()
	config := "providers:\n  tx:\n    type: telecomx\n    username: ${TX_USER}\n    password: ${TX_PASSWORD}\n" +
		"    endpoint: " + e.srv.URL + "\n    requests_per_second: 1000\n    burst: 100\nzones: zones\n"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "zones"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(config), 0o644))
	for name, body := range specs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", name), []byte(body), 0o644))
	}
	t.Setenv("TX_USER", testUser)
	t.Setenv("TX_PASSWORD", testPassword)
	cfg, err := zsconfig.Load(filepath.Join(dir, "zonesync.yaml"))
	require.NoError(t, err)
	set, err := providers.Open(cfg)
	require.NoError(t, err)
	return cfg, set
}

func runPlan(t *testing.T, prep *apply.Prepared) {
	t.Helper()
	rep := apply.Run(context.Background(), prep, apply.RunOptions{Concurrency: 2})
	for _, z := range rep.Zones {
		for _, r := range z.Results {
			require.Equal(t, apply.OK, r.Status, "%s: operation %d %s %s %s: %s", z.Zone, r.Seq, r.Action, r.Name, r.Type, r.Error)
		}
	}
}

// TestEndToEnd plans and applies specs from files as the CLI does: a zone
// created with every record type, a second plan empty, a change applied
// from a saved plan file, and the zone imported back into a spec that
// plans nothing.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	cfg, set := project(t, e, map[string]string{"example.com.yaml": e2eSpec})
	prep, err := apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err)
	ops := prep.Plan.Zones[0].Operations
	require.Len(t, ops, 9, "first plan: create_zone and 8 creates")
	require.Equal(t, plan.CreateZone, ops[0].Action, "first plan's first operation")
	runPlan(t, prep)
	d, _ := e.fake.Domain("example.com")
	assert.Equal(t, int64(3600), d.TTL, "the fake's ttl after apply")
	assert.Len(t, d.Records, 12, "the fake's records after apply")
	prep, err = apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err, "second plan")
	require.True(t, prep.Plan.Empty(), "second plan is empty")

	// A change, planned to a file and applied from it.
	changed := strings.Replace(e2eSpec, "ttl: 3600", "ttl: 600", 1)
	changed = strings.Replace(changed, "[192.0.2.1, 192.0.2.2]", "[192.0.2.1, 192.0.2.3]", 1)
	require.NoError(t, os.WriteFile(filepath.Join(cfg.ZonesDir, "example.com.yaml"), []byte(changed), 0o644))
	prep, err = apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err)
	var file bytes.Buffer
	require.NoError(t, plan.WriteJSON(&file, prep.Plan))
	saved, err := plan.Decode(&file)
	require.NoError(t, err)
	e.fake.Faults().ResetCounts()
	prep, err = apply.PrepareSaved(ctx, cfg, set, saved, apply.Options{})
	require.NoError(t, err)
	runPlan(t, prep)
	assert.Equal(t, map[string]int{"POST /dns/{domain}": 1, "PUT /dns/{domain}/record": 1}, changes(e), "the change: one TTL update and one PUT")

	// Import: the live zone written as a spec loads back to the same zone.
	p, _ := set.Get("tx")
	live, err := p.ReadZone(ctx, "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	live.Provider = "tx"
	data, err := spec.Marshal(live, p.Capabilities().ZoneTTL)
	require.NoError(t, err)
	imported, err := spec.ParseZone("imported/example.com.yaml", data, cfg, set.Capabilities)
	require.NoError(t, err, "the imported spec does not load:\n%s", data)
	want, err := spec.ParseZone("changed/example.com.yaml", []byte(changed), cfg, set.Capabilities)
	require.NoError(t, err)
	assert.Equal(t, want.Digest(), imported.Digest(), "the imported spec differs from the applied one:\n%s", data)
}
