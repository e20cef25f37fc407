package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// TestEndToEndPowerDNS goes the CLI's way against a real PowerDNS: a zone
// an administrator made is imported, planned as no change, changed and
// signed with a saved plan, planned again as no change; unsigning it is
// refused until forced. The API key comes from the environment and is in
// no output.
func TestEndToEndPowerDNS(t *testing.T) {
	srv := pdnstest.Own(t)
	zone := srv.NewZone(t, "Master")
	srv.MustDo(t, 204, "PATCH", "/api/v1/servers/localhost/zones/"+zone+".", map[string]any{"rrsets": []map[string]any{
		{"name": "www." + zone + ".", "type": "A", "ttl": 300, "changetype": "REPLACE", "records": []map[string]any{{"content": "192.0.2.1", "disabled": false}, {"content": "192.0.2.9", "disabled": true}}},
		{"name": zone + ".", "type": "TXT", "ttl": 3600, "changetype": "REPLACE", "records": []map[string]any{{"content": `"v=spf1 -all"`, "disabled": false}},
			"comments": []map[string]any{{"content": "ask ops before changing", "account": "ops"}}},
	}}, nil)

	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "zones"), 0o755))
	cfg := filepath.Join(dir, "zonesync.yaml")
	conf := "providers:\n  pdns:\n    type: powerdns\n    endpoint: " + srv.API + "\n    api_key: ${PDNS_API_KEY}\n"
	require.NoError(t, os.WriteFile(cfg, []byte(conf), 0o644))
	t.Setenv("PDNS_API_KEY", srv.Key)
	specFile := filepath.Join(dir, "zones", zone+".yaml")
	var outputs []string
	cli := func(want int, args ...string) string {
		t.Helper()
		code, out, errOut := zonesync(t, append([]string{"--config", cfg}, args...)...)
		outputs = append(outputs, out, errOut)
		require.Equal(t, want, code, "zonesync %s:\n%s%s", strings.Join(args, " "), out, errOut)
		return out
	}

	spec := cli(0, "import", "--provider", "pdns", "--zone", zone)
	assert.Contains(t, spec, "192.0.2.1")
	assert.NotContains(t, spec, "192.0.2.9", "a disabled record is not imported")
	require.NoError(t, os.WriteFile(specFile, []byte(spec), 0o644))
	cli(0, "validate")
	cli(0, "plan", "--detailed-exitcode")

	spec = strings.Replace(spec, "records:\n", "dnssec: true\nrecords:\n", 1) +
		"  mail:\n    - {type: A, value: 192.0.2.25}\n  mx:\n    - {type: MX, value: 10 mail." + zone + ".}\n"
	require.NoError(t, os.WriteFile(specFile, []byte(spec), 0o644))
	planFile := filepath.Join(dir, "plan.json")
	out := cli(2, "plan", "--detailed-exitcode", "-out", planFile)
	assert.Contains(t, out, "enable_dnssec")
	out = cli(0, "apply", planFile)
	assert.Contains(t, out, "DS records for the parent zone, to hand to the registrar:")
	assert.Contains(t, out, zone+". IN DS ")
	out = cli(0, "plan", "--detailed-exitcode")
	assert.Contains(t, out, "No changes")

	unsigned := strings.Replace(spec, "dnssec: true", "dnssec: false", 1)
	require.NoError(t, os.WriteFile(specFile, []byte(unsigned), 0o644))
	out = cli(1, "apply")
	assert.Contains(t, out+strings.Join(outputs[len(outputs)-1:], ""), "disable_dnssec removes the zone's DNSSEC keys")
	cli(0, "apply", "--force")
	cli(0, "plan", "--detailed-exitcode")

	// The disabled record and the comment are still there.
	var z struct {
		RRsets []struct {
			Name     string           `json:"name"`
			Type     string           `json:"type"`
			Records  []map[string]any `json:"records"`
			Comments []map[string]any `json:"comments"`
		} `json:"rrsets"`
	}
	srv.MustDo(t, 200, "GET", "/api/v1/servers/localhost/zones/"+zone+".", nil, &z)
	for _, rs := range z.RRsets {
		switch {
		case rs.Name == "www."+zone+"." && rs.Type == "A":
			assert.Len(t, rs.Records, 2)
		case rs.Name == zone+"." && rs.Type == "TXT":
			assert.Len(t, rs.Comments, 1)
		}
	}
	if os.Getenv("E2E_SHOW") != "" {
		t.Log(strings.Join(outputs, "\n----\n"))
	}
	for _, o := range outputs {
		assert.NotContains(t, o, srv.Key)
	}
}
