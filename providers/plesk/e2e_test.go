package plesk_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

// project writes a zonesync.yaml pointing at the fixture's fake, with the
// password from the environment, and the given zone specs.
func project(t *testing.T, fx *fixture, specs map[string]string) (*config.Config, *providers.Set) {
	t.Helper()
	dir := t.TempDir()
	yaml := `providers:
  pl:
    type: plesk
    endpoint: ${PLESK_URL}
    login: ` + testLogin + `
    password: ${PLESK_PASSWORD}
    requests_per_second: 1000
    burst: 100
zones: zones
`
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "zones"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(yaml), 0o644))
	for name, body := range specs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", name), []byte(body), 0o644))
	}
	env := map[string]string{"PLESK_URL": fx.srv.URL, "PLESK_PASSWORD": testPassword}
	data, err := os.ReadFile(filepath.Join(dir, "zonesync.yaml"))
	require.NoError(t, err)
	cfg, err := config.Parse(filepath.Join(dir, "zonesync.yaml"), data, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	require.NoError(t, err)
	set, err := providers.Open(cfg)
	require.NoError(t, err)
	return cfg, set
}

// TestEndToEnd plans and applies specs from files as the CLI does, checks
// a second plan is empty, and imports the zone back into a spec that plans
// nothing.
func TestEndToEnd(t *testing.T) {
	fx := newFixture(t, zone)
	cfg, set := project(t, fx, map[string]string{"example.test.yaml": `zone: example.test
provider: pl
ttl: 3600
soa: {refresh: 7200, minimum: 300}
records:
  "@":
    - {type: NS, values: [ns1.example.test., ns2.example.test.]}
    - {type: MX, values: ["10 mail.example.test.", "20 mail2.example.test."]}
  www:
    - {type: A, values: [192.0.2.1, 192.0.2.2]}
    - {type: AAAA, value: "2001:db8::1"}
  alias:
    - {type: CNAME, value: www.example.test.}
  _sip._tcp:
    - {type: SRV, value: "0 5 5060 sip.example.test."}
  txt:
    - {type: TXT, value: "v=spf1 mx -all"}
  ds:
    - {type: NS, value: ns1.example.net.}
    - {type: DS, value: "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"}
`})
	ctx := context.Background()
	prep, err := apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err)
	assert.Equal(t, 9, prep.Plan.Summary.Create, "plan summary %+v: creates", prep.Plan.Summary)
	assert.Equal(t, 2, prep.Plan.Summary.Update, "plan summary %+v: the TTL and SOA updates", prep.Plan.Summary)
	rep := apply.Run(ctx, prep, apply.RunOptions{Concurrency: 2})
	require.False(t, rep.Failed(), "apply: %+v", rep.Zones[0].Results)
	again, err := apply.Prepare(ctx, cfg, set, apply.Options{})
	require.NoError(t, err)
	require.True(t, again.Plan.Empty(), "second plan is not empty: %+v", again.Plan.Zones)

	// Import, as `zonesync import` does, and plan the imported spec.
	p, _ := set.Get("pl")
	live, err := p.ReadZone(ctx, zone, providers.ReadOptions{})
	require.NoError(t, err)
	live.Provider = "pl"
	doc, err := spec.Marshal(live, p.Capabilities().ZoneTTL)
	require.NoError(t, err)
	cfg2, set2 := project(t, fx, map[string]string{"example.test.yaml": string(doc)})
	imported, err := apply.Prepare(ctx, cfg2, set2, apply.Options{})
	require.NoError(t, err, "the imported spec does not load:\n%s", doc)
	require.True(t, imported.Plan.Empty(), "the imported spec plans changes: %+v\n%s", imported.Plan.Zones, doc)
}

// TestValidation checks what Plesk cannot do is refused when specs load,
// before anything is read or sent.
func TestValidation(t *testing.T) {
	fx := newFixture(t, zone)
	cfg, set := project(t, fx, map[string]string{"example.test.yaml": `zone: example.test
provider: pl
ttl: 3600
soa: {primary_ns: ns1.example.test., refresh: 7200}
records:
  www:
    - {type: A, ttl: 300, value: 192.0.2.1}
  caa:
    - {type: CAA, value: '0 issue "letsencrypt.org"'}
  www2:
    - type: A
      value: 192.0.2.2
      failover: {check: http, down: notify, up: notify, settings: {host: www.example.test}}
  lab._ipp._tcp:
    - {type: TXT, value: ["txtvers=1", "rp=printers/lab"]}
`})
	_, err := spec.LoadZones(cfg, set.Capabilities)
	require.Error(t, err, "specs Plesk cannot carry out loaded")
	for _, want := range []string{
		"provider pl cannot set soa.primary_ns",
		"ttl 300 differs from the zone's ttl 3600: provider pl has one TTL per zone",
		"provider pl cannot hold CAA records",
		"example.test.yaml:15:26: records.lab._ipp._tcp[0]: provider pl keeps a TXT record as one text and cannot hold the boundaries between its strings",
	} {
		assert.ErrorContains(t, err, want, "validation errors")
	}
	assert.Regexp(t, `(?i)failover`, err.Error(), "validation errors do not refuse the failover")
	assert.Zero(t, fx.fake.Packets(), "validation sent packets")
}
