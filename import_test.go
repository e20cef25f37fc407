package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// listedProvider serves whatever zone names its config lists, each with
// one PTR record, as a provider answering untrusted names would.
type listedProvider struct{ zones []string }

func init() {
	providers.Register("listed", func(cfg *config.ProviderConfig) (providers.Provider, error) {
		var s struct {
			Zones []string `yaml:"zones"`
		}
		if err := cfg.Decode(&s); err != nil {
			return nil, err
		}
		return &listedProvider{zones: s.Zones}, nil
	})
}

func (p *listedProvider) Capabilities() model.Capabilities { return model.Capabilities{} }

func (p *listedProvider) ListZones(context.Context) ([]string, error) { return p.zones, nil }

func (p *listedProvider) ReadZone(_ context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	rs, err := model.NewRecordSet("1", "PTR", 3600, "host.example.com.")
	if err != nil {
		return nil, err
	}
	return &model.Zone{Name: zone, Mode: model.Master, Records: []*model.RecordSet{rs}}, nil
}

func (p *listedProvider) Apply(_ context.Context, _ *model.Zone, ops []*plan.Operation) []error {
	return make([]error, len(ops))
}

// TestImportAllTrustsNoZoneName: zone names from a provider's list that are
// no domain names are refused, none is written outside the zones
// directory, and an RFC 2317 zone gets a file name the loader maps back.
func TestImportAllTrustsNoZoneName(t *testing.T) {
	root := t.TempDir()
	project := filepath.Join(root, "project")
	// The directories a climbing name would reach, so a write there would succeed.
	require.NoError(t, os.MkdirAll(filepath.Join(root, "h"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(project, "h"), 0o755))
	cfg := filepath.Join(project, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(`providers:
  evil:
    type: listed
    zones: ["../../h/pwned", "../h/pwned", "/etc/passwd", "a/../../b.test", "x.test\n", "0/26.2.0.192.in-addr.arpa", "example.com"]
`), 0o644))

	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "evil", "--all")
	assert.Equal(t, 1, code, "a refused zone name fails the import")
	zones := filepath.Join(project, "zones")
	assert.Equal(t, filepath.Join(zones, "0%2F26.2.0.192.in-addr.arpa.yaml")+"\n"+filepath.Join(zones, "example.com.yaml")+"\n", out)
	for _, bad := range []string{`"../../h/pwned"`, `"../h/pwned"`, `"/etc/passwd"`, `"a/../../b.test"`, `"x.test\n"`} {
		assert.Contains(t, errOut, "zonesync: provider evil lists a zone named "+bad+", which is not a domain name; not imported\n")
	}

	// Nothing but the two specs was written anywhere under root.
	var files []string
	require.NoError(t, filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			files = append(files, rel)
		}
		return err
	}))
	sort.Strings(files)
	assert.Equal(t, []string{"project/zones/0%2F26.2.0.192.in-addr.arpa.yaml", "project/zones/example.com.yaml", "project/zonesync.yaml"}, files)

	// The imported specs load back, the RFC 2317 one under its own name.
	code, out, errOut = zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "2 zone specs valid")
	data, err := os.ReadFile(filepath.Join(zones, "0%2F26.2.0.192.in-addr.arpa.yaml"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "zone: 0/26.2.0.192.in-addr.arpa\n"), string(data))
}

// TestImportAllReplacesALinkInsteadOfFollowingIt: with --overwrite, a
// symbolic link where a spec belongs is replaced; its target outside the
// zones directory is left alone.
func TestImportAllReplacesALinkInsteadOfFollowingIt(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside.txt")
	require.NoError(t, os.WriteFile(outside, []byte("keep me\n"), 0o644))
	project := filepath.Join(root, "project")
	require.NoError(t, os.MkdirAll(filepath.Join(project, "zones"), 0o755))
	require.NoError(t, os.Symlink(outside, filepath.Join(project, "zones", "example.com.yaml")))
	cfg := filepath.Join(project, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("providers:\n  p:\n    type: listed\n    zones: [example.com]\n"), 0o644))

	code, _, errOut := zonesync(t, "--config", cfg, "import", "--provider", "p", "--all", "--overwrite")
	require.Equal(t, 0, code, errOut)
	data, err := os.ReadFile(outside)
	require.NoError(t, err)
	assert.Equal(t, "keep me\n", string(data))
	info, err := os.Lstat(filepath.Join(project, "zones", "example.com.yaml"))
	require.NoError(t, err)
	assert.True(t, info.Mode().IsRegular(), "the link is replaced by a file")
}

// TestImportUseTemplates: --use-templates includes the templates whose
// record sets a zone holds exactly and leaves those sets out; a template
// that differs in one value, needs a parameter, or defines a set an
// earlier template took is not used; a zone matching none is spelled out.
// Both specs plan as no change.
func TestImportUseTemplates(t *testing.T) {
	project := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		path := filepath.Join(project, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	}
	write("zonesync.yaml", "providers:\n  local:\n    type: zonefile\n    directory: live\n")
	write("live/example.com.zone", `$ORIGIN example.com.
@      3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
@      3600 IN NS  ns1.example.com.
@      3600 IN A   192.0.2.10
@       300 IN MX  10 mx.mail.example.
@       300 IN TXT "v=spf1 include:_spf.mail.example -all"
www    3600 IN CNAME example.com.
ns1    3600 IN A   192.0.2.53
`)
	write("live/example.net.zone", `$ORIGIN example.net.
@      3600 IN SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 3600
@      3600 IN NS  ns1.example.net.
@       300 IN MX  20 mx.mail.example.
`)
	write("templates/mail.yaml", `ttl: 300
records:
  "@":
    - {type: MX, value: 10 mx.mail.example.}
    - {type: TXT, value: "v=spf1 include:_spf.mail.example -all"}
`)
	// spf sorts after mail and defines its TXT set too: not used.
	write("templates/spf.yaml", "ttl: 300\nrecords:\n  \"@\":\n    - {type: TXT, value: \"v=spf1 include:_spf.mail.example -all\"}\n")
	write("templates/web.yaml", "records:\n  www:\n    - {type: CNAME, value: \"${zone}.\"}\n")
	write("templates/ip.yaml", "parameters:\n  address:\nrecords:\n  \"@\":\n    - {type: A, value: \"${address}\"}\n")
	write("templates/other-web.yaml", "records:\n  www:\n    - {type: CNAME, value: web.example.}\n")
	cfg := filepath.Join(project, "zonesync.yaml")

	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--all", "--use-templates")
	require.Equal(t, 0, code, errOut)
	zones := filepath.Join(project, "zones")
	assert.Equal(t, filepath.Join(zones, "example.com.yaml")+"\n"+filepath.Join(zones, "example.net.yaml")+"\n", out)
	assert.Equal(t, "zonesync: zone example.com includes mail, web\n", errOut)

	data, err := os.ReadFile(filepath.Join(zones, "example.com.yaml"))
	require.NoError(t, err)
	assert.Equal(t, `zone: example.com
provider: local
ttl: 3600
soa:
  primary_ns: ns1.example.com.
  admin_mail: hostmaster@example.com
  refresh: 7200
  retry: 3600
  expire: 1209600
  minimum: 3600
include: [mail, web]
records:
  '@':
    - type: A
      value: 192.0.2.10
    - type: NS
      value: ns1.example.com.
  ns1:
    - type: A
      value: 192.0.2.53
`, string(data))
	data, err = os.ReadFile(filepath.Join(zones, "example.net.yaml"))
	require.NoError(t, err)
	assert.NotContains(t, string(data), "include: [")
	assert.Contains(t, string(data), "20 mx.mail.example.")

	code, out, errOut = zonesync(t, "--config", cfg, "plan")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "No changes: 2 zones checked")

	// Without the flag, the same zone is spelled out.
	code, out, errOut = zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "example.com")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "include: [")
	assert.Contains(t, out, "v=spf1 include:_spf.mail.example -all")
}

// TestImportUseTemplatesExamples: the examples applied, then imported
// again with --use-templates, plan as no change; the zones that hold the
// nameservers template's NS set exactly include it.
func TestImportUseTemplatesExamples(t *testing.T) {
	cfg := copyExamples(t)
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--auto-approve")
	require.Equal(t, 0, code, "apply:\n%s%s", out, errOut)
	zones := filepath.Join(filepath.Dir(cfg), "zones")
	require.NoError(t, os.RemoveAll(zones))
	code, out, errOut = zonesync(t, "--config", cfg, "import", "--provider", "local", "--all", "--use-templates")
	require.Equal(t, 0, code, "import:\n%s%s", out, errOut)
	assert.Equal(t, "zonesync: zone 2.0.192.in-addr.arpa includes nameservers\nzonesync: zone example.com includes nameservers\n", errOut)
	data, err := os.ReadFile(filepath.Join(zones, "example.com.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "include: [nameservers]\n")
	assert.NotContains(t, string(data), "ns2.example.net.")
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	assert.Equal(t, 0, code, "imported zones do not plan as no change:\n%s%s", out, errOut)
}
