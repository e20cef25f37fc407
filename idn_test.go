package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idnSpec is a zone spec written the way people write their names: in
// Unicode, in the zone, the record names and the values.
const idnSpec = `zone: bücher.test
provider: local
ttl: 3600
records:
  "@":
    - {type: MX, value: "10 mail.bücher.test."}
    - {type: TXT, value: "grüße aus Köln"}
  www:
    - {type: CNAME, value: ööö.com.}
  straße:
    - {type: A, value: 192.0.2.1}
  _sip._tcp.straße:
    - {type: SRV, value: "0 5 5060 sip.straße.de."}
  sub:
    - {type: NS, value: ns1.ööö.com.}
  1.ptr:
    - {type: PTR, value: host.straße.de.}
  "*.dyn":
    - {type: A, value: 192.0.2.2}
`

// Unicode names are published in their IDNA form, where zonesync used to
// publish the raw UTF-8 bytes (www CNAME \195\182\195\182\195\182.com.);
// text and markdown plans show both forms, the JSON plan the ASCII form
// only; import writes Unicode back, and the imported spec plans as no change.
func TestUnicodeNamesArePublishedInIDNAForm(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	live := liveZone(t, cfg, "xn--bcher-kva.test", "www 3600 IN CNAME \\195\\182\\195\\182\\195\\182.com.\n")
	specFile := filepath.Join(dir, "zones", "bücher.test.yaml")
	require.NoError(t, os.WriteFile(specFile, []byte(idnSpec), 0o644))

	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, "%s%s", out, errOut)

	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--zone", "bücher.test")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	for _, want := range []string{
		"zone xn--bcher-kva.test (bücher.test) (provider local): 7 to create, 1 to update",
		"--- xn--bcher-kva.test (bücher.test) (live)",
		`-www                                        3600 IN CNAME \195\182\195\182\195\182.com.`,
		"+www                                        3600 IN CNAME xn--ndaaa.com. (ööö.com.)",
		"+xn--strae-oqa (straße)                     3600 IN A     192.0.2.1",
		"@@ 8 create xn--strae-oqa (straße) A @@",
		// Names past 40 characters push their line out rather than widen every line.
		"+_sip._tcp.xn--strae-oqa (_sip._tcp.straße)   3600 IN SRV   0 5 5060 sip.xn--strae-oqa.de. (sip.straße.de.)",
		"+@                                          3600 IN MX    10 mail.xn--bcher-kva.test. (mail.bücher.test.)",
		`+@                                          3600 IN TXT   "grüße aus Köln"`,
		"+sub                                        3600 IN NS    ns1.xn--ndaaa.com. (ns1.ööö.com.)",
		"+1.ptr                                      3600 IN PTR   host.xn--strae-oqa.de. (host.straße.de.)",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, `\195\188`, "TXT text shows as text")

	code, md, errOut := zonesync(t, "--config", cfg, "plan", "--zone", "bücher.test", "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, md, "<code>xn--bcher-kva.test (bücher.test)</code>")
	assert.Contains(t, md, "+www                                        3600 IN CNAME xn--ndaaa.com. (ööö.com.)")

	code, js, errOut := zonesync(t, "--config", cfg, "plan", "--zone", "bücher.test", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, js, `"zone": "xn--bcher-kva.test"`)
	assert.Contains(t, js, `"xn--ndaaa.com."`)
	assert.Contains(t, js, `"name": "_sip._tcp.xn--strae-oqa"`)
	for _, unicode := range []string{"bücher", "straße", "ööö"} {
		assert.NotContains(t, js, unicode, "the JSON plan carries the ASCII form only")
	}

	code, out, errOut = zonesync(t, "--config", cfg, "apply", "--zone", "bücher.test")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	data, err := os.ReadFile(live)
	require.NoError(t, err)
	zoneFile := string(data)
	assert.Contains(t, zoneFile, "IN CNAME xn--ndaaa.com.")
	assert.Contains(t, zoneFile, "\nxn--strae-oqa             3600 IN A     192.0.2.1\n")
	assert.Contains(t, zoneFile, "10 mail.xn--bcher-kva.test.")
	assert.NotContains(t, zoneFile, `\195\182\195\182\195\182.com.`, "no name is published as raw UTF-8")
	code, out, _ = zonesync(t, "--config", cfg, "plan", "--zone", "bücher.test", "--detailed-exitcode")
	assert.Equal(t, 0, code, "plan after apply:\n%s", out)

	// Import writes the Unicode form, and with either spelling of --zone.
	code, imported, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "bücher.test")
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{
		"zone: bücher.test\n", "  straße:\n", "  _sip._tcp.straße:\n", "value: ööö.com.\n", "value: 10 mail.bücher.test.\n",
		"value: 0 5 5060 sip.straße.de.\n", "value: ns1.ööö.com.\n", "value: grüße aus Köln\n", "value: host.straße.de.\n",
	} {
		assert.Contains(t, imported, want)
	}
	assert.NotContains(t, imported, "xn--")
	code, again, _ := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "XN--BCHER-KVA.test.")
	require.Equal(t, 0, code)
	assert.Equal(t, imported, again)
	require.NoError(t, os.WriteFile(specFile, []byte(imported), 0o644))
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--zone", "bücher.test", "--detailed-exitcode")
	assert.Equal(t, 0, code, "the imported spec plans as no change:\n%s%s", out, errOut)

	// The spec file may carry the zone's ASCII name just as well.
	require.NoError(t, os.Rename(specFile, filepath.Join(dir, "zones", "xn--bcher-kva.test.yaml")))
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--zone", "bücher.test", "--detailed-exitcode")
	assert.Equal(t, 0, code, "%s%s", out, errOut)
}

// A live xn-- label with no Unicode form it converts back from is imported
// as it is, and validate says what is wrong with it, at its line.
func TestImportKeepsNamesWithoutUnicodeFormInASCII(t *testing.T) {
	cfg := copyExamples(t)
	liveZone(t, cfg, "legacy.test", "xn--ndaaa 3600 IN CNAME xn--zz.example.\nxn--zz 3600 IN A 192.0.2.9\n")
	code, imported, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "legacy.test")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, imported, "  ööö:\n    - type: CNAME\n      value: xn--zz.example.\n")
	assert.Contains(t, imported, "  xn--zz:\n")

	specFile := filepath.Join(filepath.Dir(cfg), "zones", "legacy.test.yaml")
	require.NoError(t, os.WriteFile(specFile, []byte(imported), 0o644))
	code, _, errOut = zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 1, code)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	require.Len(t, lines, 2, errOut)
	assert.Regexp(t, `legacy\.test\.yaml:\d+:\d+: xn--ndaaa \(ööö\) CNAME: name "xn--zz.example.": label "xn--zz" is not a valid xn-- \(punycode\) label`, lines[0])
	assert.Regexp(t, `legacy\.test\.yaml:\d+:\d+: name "xn--zz": label "xn--zz" is not a valid xn-- \(punycode\) label`, lines[1])
}

// The zone schema that editors check specs with takes a Unicode zone name.
func TestSchemaTakesUnicodeZoneNames(t *testing.T) {
	code, out, _ := zonesync(t, "schema", "zone")
	require.Equal(t, 0, code)
	var doc any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("zone.json", doc))
	s, err := c.Compile("zone.json")
	require.NoError(t, err)
	for zone, valid := range map[string]bool{"bücher.test": true, "xn--bcher-kva.test.": true, "例え.テスト": true, "bad name.test": false} {
		err := s.Validate(map[string]any{"zone": zone, "provider": "local"})
		assert.Equal(t, valid, err == nil, "%s: %v", zone, err)
	}
}
