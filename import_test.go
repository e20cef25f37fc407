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
