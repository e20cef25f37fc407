package cloudns

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
	require.NoError(t, os.Mkdir(filepath.Join(dir, "zones"), 0o755))
	for name, body := range zones {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", name+".yaml"), []byte(body), 0o644))
	}
	conf := "providers:\n  cloudns:\n    type: cloudns\n    auth_id: " + testAuthID + "\n    auth_password: ${CLOUDNS_AUTH_PASSWORD}\n    endpoint: " + endpoint + "\n    requests_per_second: 1000\n"
	file := filepath.Join(dir, "zonesync.yaml")
	cfg, err := config.Parse(file, []byte(conf), func(k string) (string, bool) {
		return testPassword, k == "CLOUDNS_AUTH_PASSWORD"
	})
	require.NoError(t, err)
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
	require.NoError(t, err)
	fastRetries(mustGet(t, set))
	prep, err := apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err)
	rep := apply.Run(ctx, prep, apply.RunOptions{Concurrency: 2})
	if rep.Failed() {
		for _, z := range rep.Zones {
			var b bytes.Buffer
			apply.WriteZoneText(&b, z)
			t.Log(b.String())
		}
		require.FailNow(t, "apply failed")
	}
	again, err := apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err)
	if !again.Plan.Empty() {
		var b bytes.Buffer
		require.NoError(t, plan.WriteText(&b, again.Plan, false))
		require.FailNow(t, "second plan not empty", b.String())
	}

	// import: the spec written from the live zone loads back to the same zone.
	for _, zone := range []string{"example.test", "slave.test"} {
		p, _ := set.Get("cloudns")
		live, err := p.ReadZone(ctx, zone, providers.ReadOptions{})
		require.NoError(t, err)
		live.Provider = "cloudns"
		data, err := spec.Marshal(live, false)
		require.NoError(t, err)
		imported, err := spec.ParseZone(filepath.Join(cfg.ZonesDir, zone+".yaml"), data, cfg, set.Capabilities)
		require.NoError(t, err, "imported spec of %s:\n%s", zone, data)
		assert.Empty(t, opsOf(providertest.Plan(t, imported, live, p.Capabilities())), "imported spec of %s against the live zone:\n%s", zone, data)
	}

	// A saved plan: change the spec, save the plan, apply it after the check.
	changed := strings.Replace(exampleSpec, "192.0.2.20", "192.0.2.21", 1)
	require.NoError(t, os.WriteFile(filepath.Join(cfg.ZonesDir, "example.test.yaml"), []byte(changed), 0o644))
	prep, err = apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err)
	var saved bytes.Buffer
	require.NoError(t, plan.WriteJSON(&saved, prep.Plan))
	assertNoSecret(t, "saved plan", saved.String())
	decoded, err := plan.Decode(&saved)
	require.NoError(t, err)
	prep, err = apply.PrepareSaved(ctx, cfg, set, decoded, apply.Options{})
	require.NoError(t, err)
	e.fake.Faults().ResetCounts()
	rep = apply.Run(ctx, prep, apply.RunOptions{Concurrency: 1})
	assert.False(t, rep.Failed(), "saved plan: %+v", rep.Summary)
	assert.Equal(t, 1, rep.Summary.OK, "operations of the saved plan ok")
	assert.Equal(t, 1, e.fake.Faults().Calls("mod-record"), "mod-record calls for one changed record")
	r := onlyRecord(t, e, "www", "A")
	require.Len(t, r, 1, "www A at ClouDNS")
	require.NotNil(t, r[0].Failover, "failover of www A")
	assert.Equal(t, "192.0.2.21", r[0].Failover.MainIP, "the failover follows the record's new value")
}

func mustGet(t *testing.T, set *providers.Set) *Provider {
	t.Helper()
	p, ok := set.Get("cloudns")
	require.True(t, ok, "provider cloudns built")
	return p.(*Provider)
}
