package telecomx

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range specs {
		if err := os.WriteFile(filepath.Join(dir, "zones", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("TX_USER", testUser)
	t.Setenv("TX_PASSWORD", testPassword)
	cfg, err := zsconfig.Load(filepath.Join(dir, "zonesync.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := providers.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, set
}

func runPlan(t *testing.T, prep *apply.Prepared) {
	t.Helper()
	rep := apply.Run(context.Background(), prep, apply.RunOptions{Concurrency: 2})
	for _, z := range rep.Zones {
		for _, r := range z.Results {
			if r.Status != apply.OK {
				t.Fatalf("%s: operation %d %s %s %s: %s %s", z.Zone, r.Seq, r.Action, r.Name, r.Type, r.Status, r.Error)
			}
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
	if err != nil {
		t.Fatal(err)
	}
	ops := prep.Plan.Zones[0].Operations
	if ops[0].Action != plan.CreateZone || len(ops) != 9 {
		t.Fatalf("first plan: %d operations starting with %s, want create_zone and 8 creates", len(ops), ops[0].Action)
	}
	runPlan(t, prep)
	if d, _ := e.fake.Domain("example.com"); d.TTL != 3600 || len(d.Records) != 12 {
		t.Fatalf("after apply the fake holds ttl %d and %d records, want 3600 and 12", d.TTL, len(d.Records))
	}
	if prep, err = apply.Prepare(ctx, cfg, set, apply.Options{}); err != nil || !prep.Plan.Empty() {
		t.Fatalf("second plan: %v, empty %v", err, prep != nil && prep.Plan.Empty())
	}

	// A change, planned to a file and applied from it.
	changed := strings.Replace(e2eSpec, "ttl: 3600", "ttl: 600", 1)
	changed = strings.Replace(changed, "[192.0.2.1, 192.0.2.2]", "[192.0.2.1, 192.0.2.3]", 1)
	if err := os.WriteFile(filepath.Join(cfg.ZonesDir, "example.com.yaml"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	prep, err = apply.Prepare(ctx, cfg, set, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := plan.WriteJSON(&file, prep.Plan); err != nil {
		t.Fatal(err)
	}
	saved, err := plan.Decode(&file)
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Faults().ResetCounts()
	prep, err = apply.PrepareSaved(ctx, cfg, set, saved, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runPlan(t, prep)
	if got := changes(e); len(got) != 2 || got["POST /dns/{domain}"] != 1 || got["PUT /dns/{domain}/record"] != 1 {
		t.Fatalf("the change took calls %v, want one TTL update and one PUT", got)
	}

	// Import: the live zone written as a spec loads back to the same zone.
	p, _ := set.Get("tx")
	live, err := p.ReadZone(ctx, "example.com", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	live.Provider = "tx"
	data, err := spec.Marshal(live, p.Capabilities().ZoneTTL)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := spec.ParseZone("imported/example.com.yaml", data, cfg, set.Capabilities)
	if err != nil {
		t.Fatalf("the imported spec does not load: %v\n%s", err, data)
	}
	want, err := spec.ParseZone("changed/example.com.yaml", []byte(changed), cfg, set.Capabilities)
	if err != nil {
		t.Fatal(err)
	}
	if imported.Digest() != want.Digest() {
		t.Fatalf("imported spec differs from the applied one:\n%s", data)
	}
}
