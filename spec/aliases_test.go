package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// TestAliasesAreZonesOfTheirOwn: a spec's aliases are zones with exactly
// its content: names follow the alias, values stay as written, and each
// alias remembers its spec and what it was built from.
func TestAliasesAreZonesOfTheirOwn(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{
		"templates/mail.yaml": mailTemplate,
		"zones/example.com.yaml": `zone: example.com
aliases: [brand.example, Parked.Example.]
provider: local
include: [mail]
records:
  "@": {type: A, value: 192.0.2.10}
  www.example.com.: {type: CNAME, value: example.com.}
`,
	})
	zones, err := LoadZones(cfg, caps)
	require.NoError(t, err)
	require.Len(t, zones, 3)
	got := byName(t, zones)
	main := got["example.com"]
	require.NotNil(t, main)
	assert.Empty(t, main.AliasOf)
	for _, name := range []string{"brand.example", "parked.example"} {
		a := got[name]
		require.NotNil(t, a, name)
		assert.Equal(t, "example.com", a.AliasOf)
		assert.Equal(t, "zones/example.com.yaml", a.File)
		assert.Equal(t, []string{"zones/example.com.yaml", "templates/mail.yaml"}, a.Sources)
		// The same record sets, the same values: www is www.<alias>, and
		// still a CNAME to example.com.
		if diff := cmp.Diff(main.Records, a.Records); diff != "" {
			t.Errorf("%s: -spec +alias:\n%s", name, diff)
		}
		assert.Equal(t, []string{"example.com."}, a.Find("www", "CNAME").Values)
		assert.Equal(t, main.Ignore, a.Ignore)
		// Nothing is shared that one zone could change under the other.
		assert.NotSame(t, main.Records[0], a.Records[0])
	}
	assert.Equal(t, model.Pos{File: "zones/example.com.yaml", Line: 2, Col: 26}, got["parked.example"].Pos["zone"])
	assert.NotEqual(t, main.Digest(), got["brand.example"].Digest(), "the digest names the zone")
}

func TestAliasProblems(t *testing.T) {
	long := strings.Repeat("a", 63)
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"not a list", map[string]string{
			"zones/example.com.yaml": "zone: example.com\naliases: example.net\nprovider: local\n",
		}, `zones/example.com.yaml:2:10: aliases must be a list of zone names, e.g. aliases: [example.net, example.org]`},
		{"bad names, the zone itself, twice", map[string]string{
			"zones/example.com.yaml": "zone: example.com\naliases: [\"bad name\", example.com, example.net, EXAMPLE.NET, {a: b}]\nprovider: local\n",
		}, `zones/example.com.yaml:2:11: alias "bad name" is not a valid domain name
zones/example.com.yaml:2:23: alias example.com is the zone itself
zones/example.com.yaml:2:49: alias example.net is listed twice (first at line 2)
zones/example.com.yaml:2:62: aliases[4] must be a zone name, e.g. example.net, not a mapping`},
		{"an alias another spec declares", map[string]string{
			"zones/example.com.yaml": "zone: example.com\naliases: [example.net]\nprovider: local\n",
			"zones/example.net.yaml": "zone: example.net\nprovider: local\n",
		}, `zones/example.net.yaml:1:1: zone example.net is already declared in zones/example.com.yaml (an alias of example.com)`},
		{"two specs alias the same zone", map[string]string{
			"zones/example.com.yaml": "zone: example.com\naliases: [example.net]\nprovider: local\n",
			"zones/example.org.yaml": "zone: example.org\naliases: [example.net]\nprovider: local\n",
		}, `zones/example.org.yaml:2:11: zone example.net is already declared in zones/example.com.yaml (an alias of example.com)`},
		{"an owner name too long in the alias only", map[string]string{
			"zones/a.example.yaml": "zone: a.example\naliases: [" + long + "." + long + "." + long + ".example]\nprovider: local\nrecords:\n  " + long + "." + long[:50] + ": {type: A, value: 192.0.2.1}\n",
		}, `zones/a.example.yaml:5:119: name "` + long + "." + long[:50] + `" makes an owner name longer than 255 bytes (in alias ` + long + "." + long + "." + long + `.example)`},
		{"a CNAME loop in the alias only", map[string]string{
			"zones/example.com.yaml": "zone: example.com\naliases: [example.net]\nprovider: local\nrecords:\n  a: {type: CNAME, value: b.example.net.}\n  b: {type: CNAME, value: a.example.net.}\n",
		}, `zones/example.com.yaml:5:6: CNAME loop: a -> b -> a; a resolver following it never gets an answer (in alias example.net)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, caps := inProject(t, tc.files)
			assert.Equal(t, tc.want, loadErr(t, cfg, caps))
		})
	}
}
