package cloudns

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

// project writes zonesync.yaml and zone specs the way a user would, with
// the password from the environment.
func project(t *testing.T, endpoint string, zones map[string]string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range zones {
		if err := os.WriteFile(filepath.Join(dir, "zones", name+".yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf := "providers:\n  cloudns:\n    type: cloudns\n    auth_id: " + testAuthID + "\n    auth_password: ${CLOUDNS_AUTH_PASSWORD}\n    endpoint: " + endpoint + "\n    requests_per_second: 1000\n"
	file := filepath.Join(dir, "zonesync.yaml")
	cfg, err := config.Parse(file, []byte(conf), func(k string) (string, bool) {
		return testPassword, k == "CLOUDNS_AUTH_PASSWORD"
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

const exampleSpec = `zone: example.test
provider: cloudns
ttl: 3600
soa:
  primary_ns: ns1.example.test.
  admin_mail: hostmaster@example.test
  refresh: 7200
  retry: 1800
  expire: 1209600
  minimum: 300
records:
  "@":
    - {type: A, ttl: 300, values: [192.0.2.10, 192.0.2.11]}
    - {type: MX, values: ["10 mx1.example.test.", "20 mx2.example.test."]}
    - {type: TXT, value: "v=spf1 mx -all"}
    - {type: CAA, value: '0 issue "letsencrypt.org"'}
  www:
    - type: A
      value: 192.0.2.20
      failover:
        check: https
        settings: {host: www.example.test, port: 443, path: /health}
        down: backup-ips
        up: main-ips
        backup_ips: [192.0.2.99]
  _sip._udp:
    - {type: SRV, value: "0 5 5060 sip.example.test."}
`

const slaveSpec = `zone: slave.test
provider: cloudns
mode: slave
masters: [192.0.2.53, 2001:db8::53]
`

// TestEndToEnd goes the CLI's way: config with ${VAR}, specs on disk,
// plan, apply, a second plan that is empty, import of each zone, and a
// saved plan applied after its staleness check.
func TestEndToEnd(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	cfg := project(t, e.srv.URL, map[string]string{"example.test": exampleSpec, "slave.test": slaveSpec})
	set, err := providers.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fastRetries(mustGet(t, set))
	prep, err := apply.Prepare(ctx, cfg, set, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := apply.Run(ctx, prep, apply.RunOptions{Concurrency: 2})
	if rep.Failed() {
		for _, z := range rep.Zones {
			var b bytes.Buffer
			apply.WriteZoneText(&b, z)
			t.Log(b.String())
		}
		t.Fatal("apply failed")
	}
	again, err := apply.Prepare(ctx, cfg, set, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Plan.Empty() {
		var b bytes.Buffer
		_ = plan.WriteText(&b, again.Plan, false)
		t.Fatalf("second plan not empty:\n%s", b.String())
	}

	// import: the spec written from the live zone loads back to the same zone.
	for _, zone := range []string{"example.test", "slave.test"} {
		p, _ := set.Get("cloudns")
		live, err := p.ReadZone(ctx, zone, providers.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		live.Provider = "cloudns"
		data, err := spec.Marshal(live, false)
		if err != nil {
			t.Fatal(err)
		}
		imported, err := spec.ParseZone(filepath.Join(cfg.ZonesDir, zone+".yaml"), data, cfg, set.Capabilities)
		if err != nil {
			t.Fatalf("imported spec of %s does not load: %v\n%s", zone, err, data)
		}
		if zp := providertest.Plan(t, imported, live, p.Capabilities()); len(zp.Operations) != 0 {
			t.Fatalf("imported spec of %s differs from the live zone: %+v\n%s", zone, zp.Operations, data)
		}
	}

	// A saved plan: change the spec, save the plan, apply it after the check.
	changed := strings.Replace(exampleSpec, "192.0.2.20", "192.0.2.21", 1)
	if err := os.WriteFile(filepath.Join(cfg.ZonesDir, "example.test.yaml"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	prep, err = apply.Prepare(ctx, cfg, set, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	if err := plan.WriteJSON(&saved, prep.Plan); err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "saved plan", saved.String())
	decoded, err := plan.Decode(&saved)
	if err != nil {
		t.Fatal(err)
	}
	prep, err = apply.PrepareSaved(ctx, cfg, set, decoded, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Faults().ResetCounts()
	if rep := apply.Run(ctx, prep, apply.RunOptions{Concurrency: 1}); rep.Failed() || rep.Summary.OK != 1 {
		t.Fatalf("saved plan: %+v", rep.Summary)
	}
	if n := e.fake.Faults().Calls("mod-record"); n != 1 {
		t.Fatalf("mod-record called %d times for one changed record", n)
	}
	if r := onlyRecord(t, e, "www", "A"); len(r) != 1 || r[0].Failover == nil || r[0].Failover.MainIP != "192.0.2.21" {
		t.Fatalf("www A at ClouDNS %+v", r)
	}
}

func mustGet(t *testing.T, set *providers.Set) *Provider {
	t.Helper()
	p, ok := set.Get("cloudns")
	if !ok {
		t.Fatal("provider cloudns not built")
	}
	return p.(*Provider)
}
