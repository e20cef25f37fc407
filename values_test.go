package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// liveZone writes a zone file for the examples' local provider.
func liveZone(t *testing.T, cfg, zone, records string) string {
	t.Helper()
	path := filepath.Join(filepath.Dir(cfg), "live", zone+".zone")
	soa := "@ 3600 IN SOA ns1." + zone + ". hostmaster." + zone + ". 2026010101 7200 3600 1209600 3600\n"
	require.NoError(t, os.WriteFile(path, []byte("$ORIGIN "+zone+".\n"+soa+records), 0o644))
	return path
}

// A DNS-SD TXT record of three strings is three key=value pairs. Imported,
// it must stay three strings through an apply that changes something else,
// and a change of its boundaries alone is a change in the plan.
func TestTXTStringBoundariesSurviveApply(t *testing.T) {
	cfg := copyExamples(t)
	live := liveZone(t, cfg, "dnssd.test", `lab._ipp._tcp 3600 IN TXT "txtvers=1" "rp=printers/lab" "note=2nd floor"
www 3600 IN A 192.0.2.1
`)
	code, imported, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "dnssd.test")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, imported, `value: ["txtvers=1", "rp=printers/lab", "note=2nd floor"]`, "import writes the strings as a list")
	specFile := filepath.Join(filepath.Dir(cfg), "zones", "dnssd.test.yaml")
	// An unrelated change, so that apply rewrites the zone.
	changed := strings.Replace(imported, "records:\n", "records:\n  new:\n    - {type: A, value: 192.0.2.77}\n", 1)
	require.NoError(t, os.WriteFile(specFile, []byte(changed), 0o644))
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--zone", "dnssd.test")
	require.Equal(t, 0, code, "%s%s", out, errOut)

	data, err := os.ReadFile(live)
	require.NoError(t, err)
	assert.Contains(t, string(data), `IN TXT   "txtvers=1" "rp=printers/lab" "note=2nd floor"`, "the live record after an unrelated apply")
	code, out, _ = zonesync(t, "--config", cfg, "plan", "--zone", "dnssd.test", "--detailed-exitcode")
	assert.Equal(t, 0, code, "plan after apply:\n%s", out)

	// The same bytes in two strings instead of three: a change.
	regrouped := strings.Replace(changed, `["txtvers=1", "rp=printers/lab", "note=2nd floor"]`, `["txtvers=1", "rp=printers/labnote=2nd floor"]`, 1)
	require.NotEqual(t, changed, regrouped)
	require.NoError(t, os.WriteFile(specFile, []byte(regrouped), 0o644))
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--zone", "dnssd.test", "--detailed-exitcode")
	require.Equal(t, 2, code, "%s%s", out, errOut)
	assert.Contains(t, out, `-lab._ipp._tcp   3600 IN TXT   "txtvers=1" "rp=printers/lab" "note=2nd floor"`)
	assert.Contains(t, out, `+lab._ipp._tcp   3600 IN TXT   "txtvers=1" "rp=printers/labnote=2nd floor"`)
	assert.Contains(t, out, "1 to update")
}

// An IPv4-mapped AAAA converges: applied once, it plans as no change and
// a second apply leaves the zone file (and its serial) alone.
func TestIPv4MappedAAAAConverges(t *testing.T) {
	cfg := copyExamples(t)
	live := liveZone(t, cfg, "mapped.test", "www 3600 IN A 192.0.2.1\n")
	spec := "zone: mapped.test\nprovider: local\nttl: 3600\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n    - {type: AAAA, value: \"::ffff:192.0.2.1\"}\n"
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(cfg), "zones", "mapped.test.yaml"), []byte(spec), 0o644))
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--zone", "mapped.test")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	before, err := os.ReadFile(live)
	require.NoError(t, err)
	code, out, _ = zonesync(t, "--config", cfg, "plan", "--zone", "mapped.test", "--detailed-exitcode")
	assert.Equal(t, 0, code, "plan after apply:\n%s", out)
	code, out, errOut = zonesync(t, "--config", cfg, "apply", "--zone", "mapped.test")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	after, err := os.ReadFile(live)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "a second apply rewrote the zone file")
	code, imported, _ := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "mapped.test")
	require.Equal(t, 0, code)
	assert.Contains(t, imported, "::ffff:192.0.2.1")
}
