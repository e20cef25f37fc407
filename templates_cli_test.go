package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
)

// writeFiles writes files (path relative to a new directory: content)
// and returns the path of its zonesync.yaml.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, data := range files {
		path := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	}
	return filepath.Join(dir, "zonesync.yaml")
}

// TestAliasesPlanAndApplyAsZones: a spec's aliases are zones of their own
// in the text and JSON plans and in apply's report, each created and
// written with the spec's content, and a later edit of the spec reaches
// every one of them. ${zone} in a template is the spec's zone in every
// alias, as a value written out would be.
func TestAliasesPlanAndApplyAsZones(t *testing.T) {
	cfg := writeFiles(t, map[string]string{
		"zonesync.yaml": "providers:\n  local:\n    type: zonefile\n    directory: live\n",
		"live/.keep":    "",
		"templates/web.yaml": "parameters:\n  address:\nrecords:\n  \"@\":\n    - {type: A, value: \"${address}\"}\n" +
			"  www:\n    - {type: CNAME, value: \"${zone}.\"}\n",
		"zones/example.com.yaml": `zone: example.com
aliases: [example.net, example.org]
provider: local
ttl: 3600
include:
  - web: {address: 192.0.2.10}
records:
  "@":
    - {type: TXT, value: "v=spf1 -all"}
`,
	})
	live := filepath.Join(filepath.Dir(cfg), "live")

	code, out, errOut := zonesync(t, "--config", cfg, "plan")
	require.Equal(t, 0, code, errOut)
	// Alike, the three zones' changes are shown once, naming the zones.
	assert.Contains(t, out, "3 zones (provider local): each 4 to create", "text plan")
	assert.Contains(t, out, "zones: example.com, example.net, example.org", "text plan")
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	var names []string
	for _, z := range p.Zones {
		names = append(names, z.Zone)
		assert.NotEmpty(t, z.Operations, z.Zone)
	}
	assert.Equal(t, []string{"example.com", "example.net", "example.org"}, names)

	code, out, errOut = zonesync(t, "--config", cfg, "apply", "--auto-approve")
	require.Equal(t, 0, code, "apply:\n%s%s", out, errOut)
	for _, zone := range []string{"example.com", "example.net", "example.org"} {
		assert.Contains(t, out, zone, "apply report")
		data, err := os.ReadFile(filepath.Join(live, zone+".zone"))
		require.NoError(t, err, zone)
		assert.Contains(t, string(data), "192.0.2.10", zone)
		// ${zone} is the spec's zone: an alias gets the values it built.
		assert.Regexp(t, `(?m)^www\s+3600\s+IN\s+CNAME\s+example\.com\.$`, string(data), zone)
		assert.Contains(t, string(data), "v=spf1 -all", zone)
	}
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 0, code, "plan after apply:\n%s%s", out, errOut)
	assert.Contains(t, out, "No changes: 3 zones checked")

	// One edit of the spec changes every alias, each on its own.
	specFile := filepath.Join(filepath.Dir(cfg), "zones", "example.com.yaml")
	data, err := os.ReadFile(specFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(specFile, []byte(string(data)+"  mail:\n    - {type: A, value: 192.0.2.25}\n"), 0o644))
	code, out, errOut = zonesync(t, "--config", cfg, "plan")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "3 of 3 zones to change: 3 to create")
}

// TestTemplateProblemNamesIncludingZone: validate reports a problem of a
// template at the template's line, naming the zones that include it, once.
func TestTemplateProblemNamesIncludingZone(t *testing.T) {
	cfg := writeFiles(t, map[string]string{
		"zonesync.yaml":      "providers:\n  local:\n    type: zonefile\n    directory: live\n",
		"live/.keep":         "",
		"templates/web.yaml": "records:\n  www:\n    - {type: A, value: 192.0.2.300}\n",
		"zones/a.test.yaml":  "zone: a.test\nprovider: local\ninclude: [web]\n",
		"zones/b.test.yaml":  "zone: b.test\nprovider: local\ninclude: [web]\n",
	})
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	template := filepath.Join(filepath.Dir(cfg), "templates", "web.yaml")
	assert.Equal(t, template+`:3:24: www A: invalid A value "192.0.2.300": not an IPv4 address (included by zones a.test and b.test)`+"\n", errOut)
}
