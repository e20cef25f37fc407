package spec

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

// inProject writes files (path relative to a new directory: zones/...,
// templates/...) and moves the test into that directory, so that
// problems name the files as a user sees them. It returns the corpus
// config and capabilities, pointed at zones/ and templates/.
func inProject(t *testing.T, files map[string]string) (*config.Config, CapabilitiesFunc) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	}
	t.Chdir(dir)
	cfg, caps := corpusConfig()
	cfg.ZonesDir, cfg.TemplatesDir = "zones", "templates"
	return cfg, caps
}

// loadErr loads the project and returns its problems, one per line.
func loadErr(t *testing.T, cfg *config.Config, caps CapabilitiesFunc) string {
	t.Helper()
	_, err := LoadZones(cfg, caps)
	require.Error(t, err)
	return err.Error()
}

// byName returns the loaded zones by name.
func byName(t *testing.T, zones []*model.Zone) map[string]*model.Zone {
	t.Helper()
	m := map[string]*model.Zone{}
	for _, z := range zones {
		m[z.Name] = z
	}
	return m
}

// ignorePositions compares zones by content: where things are declared
// is checked on its own.
var ignorePositions = cmp.Options{
	cmpopts.IgnoreFields(model.Zone{}, "File", "Pos", "Sources"),
	cmpopts.IgnoreFields(model.RecordSet{}, "Pos"),
	cmpopts.IgnoreFields(model.IgnoreRule{}, "Pos"),
}

const mailTemplate = `description: our mail service
ttl: 300
ignore:
  - {name: _acme-challenge, type: TXT}
records:
  "@":
    - {type: MX, values: ["10 mx1.mail.example.net.", "20 mx2.mail.example.net."]}
    - {type: TXT, value: "v=spf1 include:_spf.mail.example.net -all"}
  _dmarc:
    - {type: TXT, value: "v=DMARC1; p=reject; rua=mailto:dmarc@${zone}"}
`

const webTemplate = `parameters:
  address:
    description: the web server's IPv4 address
  www:
    default: www
records:
  "@":
    - {type: A, value: "${address}"}
  ${www}:
    - {type: CNAME, value: "${zone}."}
`

// TestTemplatesBuildTheZone: a zone including two templates is the zone
// that spells their sets out, its own set replacing a template's, each
// set keeping the place it was declared at, and Sources naming the spec
// and the templates in include order.
func TestTemplatesBuildTheZone(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{
		"templates/mail.yaml": mailTemplate,
		"templates/web.yaml":  webTemplate,
		"zones/example.com.yaml": `zone: example.com
provider: local
ttl: 3600
include:
  - mail
  - web: {address: 192.0.2.10}
records:
  "@":
    - {type: TXT, value: "v=spf1 mx -all"}
  ftp:
    - {type: A, value: 192.0.2.11}
`,
		"zones/example.org.yaml": "zone: example.org\nprovider: local\ninclude: [{web: {address: 198.51.100.10, www: web}}]\n",
	})
	zones, err := LoadZones(cfg, caps)
	require.NoError(t, err)
	got := byName(t, zones)

	want, err := ParseZone("example.com.yaml", []byte(`zone: example.com
provider: local
ttl: 3600
ignore:
  - {name: _acme-challenge, type: TXT}
records:
  "@":
    - {type: MX, ttl: 300, values: ["10 mx1.mail.example.net.", "20 mx2.mail.example.net."]}
    - {type: TXT, value: "v=spf1 mx -all"}
    - {type: A, value: 192.0.2.10}
  _dmarc:
    - {type: TXT, ttl: 300, value: "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"}
  ftp:
    - {type: A, value: 192.0.2.11}
  www:
    - {type: CNAME, value: example.com.}
`), cfg, caps)
	require.NoError(t, err)
	if diff := cmp.Diff(want, got["example.com"], ignorePositions); diff != "" {
		t.Errorf("-spelled out +with templates:\n%s", diff)
	}
	assert.Equal(t, want.Digest(), got["example.com"].Digest())

	z := got["example.com"]
	assert.Equal(t, []string{"zones/example.com.yaml", "templates/mail.yaml", "templates/web.yaml"}, z.Sources)
	for _, c := range []struct {
		name, rrtype string
		pos          model.Pos
	}{
		{"@", "MX", model.Pos{File: "templates/mail.yaml", Line: 7, Col: 7}},
		{"@", "TXT", model.Pos{File: "zones/example.com.yaml", Line: 9, Col: 7}},
		{"@", "A", model.Pos{File: "templates/web.yaml", Line: 8, Col: 7}},
		{"www", "CNAME", model.Pos{File: "templates/web.yaml", Line: 10, Col: 7}},
	} {
		rs := z.Find(c.name, c.rrtype)
		require.NotNil(t, rs, "%s %s", c.name, c.rrtype)
		assert.Equal(t, c.pos, rs.Pos, "%s %s", c.name, c.rrtype)
	}
	require.Len(t, z.Ignore, 1)
	assert.Equal(t, model.Pos{File: "templates/mail.yaml", Line: 4, Col: 5}, z.Ignore[0].Pos)

	org := got["example.org"]
	assert.Equal(t, []string{"zones/example.org.yaml", "templates/web.yaml"}, org.Sources)
	require.NotNil(t, org.Find("web", "CNAME"))
	assert.Equal(t, []string{"example.org."}, org.Find("web", "CNAME").Values)
	assert.Equal(t, []string{"198.51.100.10"}, org.Find("@", "A").Values)
}

// TestTemplateReadOnce: a template is read once per run; the zones that
// include it share what was read, whatever happens to the file after.
func TestTemplateReadOnce(t *testing.T) {
	inProject(t, map[string]string{"templates/mail.yaml": mailTemplate})
	ts := NewTemplates("templates")
	first := ts.get("mail")
	require.NotNil(t, first)
	require.Empty(t, first.problems)
	require.NoError(t, os.WriteFile("templates/mail.yaml", []byte("records: [broken"), 0o644))
	again := ts.get("mail")
	assert.Same(t, first, again)
	assert.Empty(t, again.problems)
	assert.Nil(t, ts.get("nosuch"))
}

// TestTemplateValuesParsedOnce: a value two zones take from a template is
// parsed for the first and reused for the second.
func TestTemplateValuesParsedOnce(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{
		"templates/mail.yaml":    mailTemplate,
		"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [mail]\n",
		"zones/example.net.yaml": "zone: example.net\nprovider: local\ninclude: [mail]\n",
	})
	ts := templatesOf(cfg)
	env := loadEnv{cfg: cfg, caps: caps, templates: ts}
	require.NoError(t, env.readSpec("zones/example.com.yaml").err())
	cached := 0
	ts.get("mail").cache.m.Range(func(k, v any) bool {
		cached++
		// A value in the cache is what the second zone gets: poison it.
		ts.get("mail").cache.m.Store(k, cachedValue{v: v.(cachedValue).v + "-from-cache"})
		return true
	})
	assert.Equal(t, 4, cached, "values parsed for the first zone")
	r := env.readSpec("zones/example.net.yaml")
	require.NoError(t, r.err())
	assert.Equal(t, []string{"10 mx1.mail.example.net.-from-cache", "20 mx2.mail.example.net.-from-cache"}, r.first().Find("@", "MX").Values)
}

func TestTemplateProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"two templates define the same set", map[string]string{
			"templates/a.yaml":       "records:\n  \"@\":\n    - {type: TXT, value: a}\n",
			"templates/b.yaml":       "records:\n  \"@\": {type: TXT, value: b}\n",
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [a, b]\n",
		}, "zones/example.com.yaml:3:14: templates a and b both define @ TXT (templates/a.yaml:3:7 and templates/b.yaml:2:8); keep it in one of them, or declare @ TXT in this spec, which replaces both"},
		{"the zone's own set settles two templates' conflict", map[string]string{
			"templates/a.yaml":       "records:\n  \"@\":\n    - {type: TXT, value: a}\n",
			"templates/b.yaml":       "records:\n  \"@\": {type: TXT, value: b}\n",
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [a, b]\nrecords:\n  \"@\": {type: TXT, value: own}\n",
		}, ""},
		{"unknown parameter", map[string]string{
			"templates/web.yaml":     webTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude:\n  - web: {adress: 192.0.2.1}\n",
		}, `zones/example.com.yaml:4:5: template web needs parameter address (declared at templates/web.yaml:2:3): write - web: {address: ...}
zones/example.com.yaml:4:11: template web has no parameter "adress" (did you mean "address"?); it declares address, www`},
		{"parameter not a text", map[string]string{
			"templates/web.yaml":     webTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude:\n  - web: {address: [192.0.2.1]}\n",
		}, `zones/example.com.yaml:4:20: parameter address of template web must be a text, not a list`},
		{"zone is zonesync's", map[string]string{
			"templates/web.yaml":     webTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude:\n  - web: {address: 192.0.2.1, zone: x}\n",
		}, `zones/example.com.yaml:4:31: parameter zone is zonesync's: it is the name of the zone that includes the template`},
		{"undeclared parameter used", map[string]string{
			"templates/web.yaml":     "parameters:\n  address:\nrecords:\n  \"@\": {type: A, value: \"${adress}\"}\n",
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [{web: {address: 192.0.2.1}}]\n",
		}, `templates/web.yaml:4:25: parameter "adress" is not declared; declare it under parameters (did you mean "address"?) (included by zone example.com)`},
		{"a bad value, met by two zones, reported once", map[string]string{
			"templates/web.yaml":     "records:\n  \"@\": {type: A, value: 192.0.2.300}\n",
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [web]\n",
			"zones/example.net.yaml": "zone: example.net\nprovider: local\ninclude: [web]\n",
		}, `templates/web.yaml:2:25: @ A: invalid A value "192.0.2.300": not an IPv4 address (included by zones example.com and example.net)`},
		{"a parameter's bad value names where it was given", map[string]string{
			"templates/web.yaml":     webTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude:\n  - web: {address: 192.0.2.300}\n",
		}, `templates/web.yaml:8:24: @ A: invalid A value "192.0.2.300": not an IPv4 address (${address} is "192.0.2.300", given at zones/example.com.yaml:4:20) (included by zone example.com)`},
		{"what the zone's provider cannot hold", map[string]string{
			"templates/caa.yaml":     "records:\n  \"@\": {type: CAA, value: '0 issue \"letsencrypt.org\"'}\n",
			"zones/example.com.yaml": "zone: example.com\nprovider: strict\nttl: 300\ninclude: [caa]\n",
		}, `templates/caa.yaml:2:15: records.@[0]: provider strict cannot hold CAA records (it supports A, AAAA, CNAME, MX, NS, SRV, TXT) (included by zone example.com)`},
		{"template ttl against a provider with one TTL per zone", map[string]string{
			"templates/mail.yaml":    mailTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: strict\nttl: 3600\ninclude: [mail]\n",
		}, `templates/mail.yaml:2:6: ttl 300 differs from the zone's ttl 3600: provider strict has one TTL per zone, not per record (included by zone example.com)`},
		{"a template's set beside the zone's CNAME", map[string]string{
			"templates/web.yaml":     "records:\n  www: {type: A, value: 192.0.2.1}\n",
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [web]\nrecords:\n  www: {type: CNAME, value: example.net.}\n",
		}, `templates/web.yaml:2:8: www A beside a CNAME: a name with a CNAME can hold no other data (included by zone example.com)`},
		{"template not found", map[string]string{
			"templates/mail.yaml":    mailTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [mial]\n",
		}, `zones/example.com.yaml:3:11: template "mial" not found: there is no mial.yaml in templates (did you mean "mail"?)`},
		{"included twice", map[string]string{
			"templates/mail.yaml":    mailTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [mail, mail]\n",
		}, `zones/example.com.yaml:3:17: template mail is included twice (first at line 3)`},
		{"include of a slave zone", map[string]string{
			"templates/mail.yaml":    mailTemplate,
			"zones/example.com.yaml": "zone: example.com\nprovider: secondary\nmode: slave\nmasters: [192.0.2.53]\ninclude: [mail]\n",
		}, `zones/example.com.yaml:5:10: a slave zone cannot include templates: its data comes from its masters`},
		{"include not a list", map[string]string{
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: mail\n",
		}, `zones/example.com.yaml:3:10: include must be a list of template names, e.g. include: [mail, web]`},
		{"include item of the wrong form", map[string]string{
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [{a: 1, b: 2}, ../x]\n",
		}, `zones/example.com.yaml:3:11: include[0] must be a template name, or a template name with its parameters (- web: {address: 192.0.2.10}), not a mapping
zones/example.com.yaml:3:25: include[1]: "../x" is not a template name: the name of a file in the templates directory without .yaml (letters, digits, '.', '_', '-')`},
		{"the template's own form, and a template no zone includes", map[string]string{
			"templates/bad.yaml": `zone: example.com
parameters:
  zone:
  1st:
  ok: {default: "${zone}"}
ttl: -1
recrods: {}
records:
  www.example.com.: {type: A, ttl: "${ok}", value: "${ok"}
`,
			"templates/unused.yaml":  "records: []\n",
			"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [bad]\n",
		}, `templates/bad.yaml:1:1: zone is not for templates: the spec that includes a template sets its zone's zone; a template holds records, ignore rules, a default ttl and parameters (included by zone example.com)
templates/bad.yaml:3:3: parameter "zone" is zonesync's: ${zone} is the name of the zone that includes the template; name yours otherwise (included by zone example.com)
templates/bad.yaml:4:3: parameter name "1st" must be letters, digits and '_', not starting with a digit (included by zone example.com)
templates/bad.yaml:5:17: a default cannot use a parameter: write the value itself (included by zone example.com)
templates/bad.yaml:6:6: ttl -1 is outside 0..2147483647 (included by zone example.com)
templates/bad.yaml:7:1: unknown key "recrods" (did you mean "records"?) (included by zone example.com)
templates/bad.yaml:9:3: record name "www.example.com." is absolute; a template's names are relative to the zone that includes it: write "www" (included by zone example.com)
templates/bad.yaml:9:36: a parameter can be used in record names and values only (included by zone example.com)
templates/bad.yaml:9:52: "${ok" opens a parameter with ${ and does not close it with }; write $${ for a literal ${ (included by zone example.com)
templates/unused.yaml:1:10: records must be a mapping of names to lists of record sets`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, caps := inProject(t, tc.files)
			_, err := LoadZones(cfg, caps)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// TestTemplateLiteralDollar: $${ writes a literal ${, and a template
// without parameters takes a value with ${ as it is... only through $${.
func TestTemplateLiteralDollar(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{
		"templates/txt.yaml":     "records:\n  note: {type: TXT, value: \"costs $${price} in ${zone}\"}\n",
		"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [txt]\n",
	})
	zones, err := LoadZones(cfg, caps)
	require.NoError(t, err)
	rs := zones[0].Find("note", "TXT")
	require.NotNil(t, rs)
	assert.Equal(t, []string{model.TXTValue("costs ${price} in example.com")}, rs.Values)
}

// TestTemplateIgnoreRuleAgainstOwnRecord: a zone's own record that a
// template's ignore rule covers is refused, naming where the rule is.
func TestTemplateIgnoreRuleAgainstOwnRecord(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{
		"templates/mail.yaml":    mailTemplate,
		"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [mail]\nrecords:\n  _acme-challenge: {type: TXT, value: token}\n",
	})
	assert.Equal(t, `zones/example.com.yaml:5:20: _acme-challenge TXT is declared but also matches ignore rule {name: "_acme-challenge", type: TXT} (templates/mail.yaml:4:5); a record is either managed or ignored`,
		loadErr(t, cfg, caps))
}

// TestTemplateWithAnchors: a template may use anchors and merge keys; a
// problem in an anchored value is at the use in the template.
func TestTemplateWithAnchors(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{
		"templates/web.yaml": `x-web: &web {type: A, ttl: 60}
records:
  "@": {<<: *web, value: 192.0.2.1}
  www: {<<: *web, value: 192.0.2.1}
`,
		"zones/example.com.yaml": "zone: example.com\nprovider: local\ninclude: [web]\n",
	})
	zones, err := LoadZones(cfg, caps)
	require.NoError(t, err)
	assert.EqualValues(t, 60, zones[0].Find("www", "A").TTL)

	require.NoError(t, os.WriteFile("templates/web.yaml", []byte("x-web: &web {type: A, ttl: sixty}\nrecords:\n  www: {<<: *web, value: 192.0.2.1}\n"), 0o644))
	assert.Equal(t, `templates/web.yaml:3:13: records.www[0].ttl must be a whole number of seconds, not "sixty" (from anchor &web, line 1:28) (included by zone example.com)`, loadErr(t, cfg, caps))
}

// TestTemplatesDirMissing: without a templates directory, specs that
// include nothing load, and an include says what is missing.
func TestTemplatesDirMissing(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{"zones/example.com.yaml": "zone: example.com\nprovider: local\n"})
	_, err := LoadZones(cfg, caps)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("zones/example.com.yaml", []byte("zone: example.com\nprovider: local\ninclude: [mail]\n"), 0o644))
	assert.True(t, strings.HasPrefix(loadErr(t, cfg, caps), `zones/example.com.yaml:3:11: template "mail" not found: there is no mail.yaml in templates`))
}

// TestTemplatesAndAliasesWithSeveralProviders: a spec naming several
// providers, including a template and naming an alias, gives one zone per
// target, then one per target of the alias; a template's only picks the
// target; another spec declaring the zone is still refused.
func TestTemplatesAndAliasesWithSeveralProviders(t *testing.T) {
	cfg, caps := inProject(t, map[string]string{
		"templates/ns.yaml": "records:\n  \"@\":\n    - {type: NS, values: [ns1.example.net., ns2.example.org.]}\n" +
			"  backup:\n    - {type: A, value: 192.0.2.99, only: [onemessage]}\n",
		"zones/example.com.yaml": "zone: example.com\naliases: [example.net]\nproviders: [local, onemessage]\ninclude: [ns]\n" +
			"records:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
	})
	zones, err := LoadZones(cfg, caps)
	require.NoError(t, err)
	var targets []string
	for _, z := range zones {
		targets = append(targets, z.Target())
		require.NotNil(t, z.Find("@", "NS"), z.Target())
		assert.Equal(t, z.Provider == "onemessage", z.Find("backup", "A") != nil, "%s: the template's only", z.Target())
	}
	assert.Equal(t, []string{"example.com@local", "example.com@onemessage", "example.net@local", "example.net@onemessage"}, targets)

	require.NoError(t, os.WriteFile("zones/example.net.yaml", []byte("zone: example.net\nprovider: local\n"), 0o644))
	assert.Contains(t, loadErr(t, cfg, caps), "zones/example.net.yaml:1:1: zone example.net is already declared in zones/example.com.yaml (an alias of example.com)")
}

// TestFormatKeysKeepEachKindsOrder: fmt orders the keys of specs and of
// templates by one list, which must keep each kind's documented order.
func TestFormatKeysKeepEachKindsOrder(t *testing.T) {
	for _, keys := range [][]string{zoneKeys, templateKeys} {
		var got []string
		for _, k := range formatKeys {
			if slices.Contains(keys, k) {
				got = append(got, k)
			}
		}
		assert.Equal(t, keys, got)
	}
}
