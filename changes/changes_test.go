package changes

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
)

// repo is a git repository holding a zonesync project.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed")
		}
		t.Skip("git is not installed")
	}
	// No user or system git config has a say.
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = r.dir
	out, err := cmd.CombinedOutput()
	require.NoError(r.t, err, "git %v: %s", args, out)
	return string(out)
}

func (r *repo) write(path, body string) {
	r.t.Helper()
	full := filepath.Join(r.dir, path)
	require.NoError(r.t, os.MkdirAll(filepath.Dir(full), 0o755))
	require.NoError(r.t, os.WriteFile(full, []byte(body), 0o644))
}

func (r *repo) commit() string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "change")
	return r.git("rev-parse", "HEAD")[:40]
}

func (r *repo) config() *config.Config {
	r.t.Helper()
	// Built by hand: what is compared is the config's text, which the
	// loader need not accept.
	return &config.Config{File: filepath.Join(r.dir, "zonesync.yaml"), Dir: r.dir, ZonesDir: filepath.Join(r.dir, "zones")}
}

const baseConfig = `providers:
  a: &defaults
    type: cloudns
    auth_id: ${CLOUDNS_AUTH_ID}
    auth_password: ${CLOUDNS_AUTH_PASSWORD}
  b:
    <<: *defaults
    endpoint: https://b.example
safety:
  max_delete_percent: 30
`

func specText(zone, provider string) string {
	return "zone: " + zone + "\nprovider: " + provider + "\nrecords:\n  www: {type: A, value: 192.0.2.1}\n"
}

func TestSinceFiles(t *testing.T) {
	r := newRepo(t)
	r.write("zonesync.yaml", baseConfig)
	for _, z := range []string{"one", "two", "three", "four", "gone"} {
		r.write("zones/"+z+".test.yaml", specText(z+".test", "a"))
	}
	base := r.commit()
	r.write("zones/one.test.yaml", specText("one.test", "a")+"  mail: {type: A, value: 192.0.2.2}\n") // committed after base
	r.commit()
	r.write("zones/two.test.yaml", specText("two.test", "b"))                  // unstaged
	r.write("zones/new.test.yaml", specText("new.test", "a"))                  // untracked
	r.write("zones/three.test.yaml", specText("three.test", "a")+"ttl: 300\n") // staged
	r.git("add", "zones/three.test.yaml")
	require.NoError(t, os.Remove(filepath.Join(r.dir, "zones", "gone.test.yaml")))
	r.write("README.md", "not a spec\n")

	s, err := Since(context.Background(), r.config(), "HEAD~1")
	require.NoError(t, err)
	assert.Equal(t, base, s.Commit)
	assert.Equal(t, "HEAD~1", s.Ref)
	for file, want := range map[string]bool{
		"zones/one.test.yaml": true, "zones/two.test.yaml": true, "zones/new.test.yaml": true,
		"zones/three.test.yaml": true, "zones/gone.test.yaml": true, "zones/four.test.yaml": false,
		"zonesync.yaml": false,
	} {
		assert.Equal(t, want, s.Touches(filepath.Join(r.dir, file)), file)
	}
	// Relative paths are read from the working directory.
	t.Chdir(r.dir)
	assert.True(t, s.Touches("zones/one.test.yaml"))
	assert.False(t, s.Touches("zones/four.test.yaml"))
	assert.False(t, s.Provider("a"), "the config did not change")
	assert.Equal(t, []DeletedSpec{{File: filepath.Join(r.dir, "zones", "gone.test.yaml"), Zone: "gone.test"}}, s.Deleted)
}

func TestSinceProviders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string
		want   []string // providers whose entry changed
		all    bool     // every zone touched: where zones come from moved
	}{
		{"unchanged but for comments and layout", "# the providers\nproviders:\n  a: &defaults {type: cloudns, auth_password: \"${CLOUDNS_AUTH_PASSWORD}\", auth_id: '${CLOUDNS_AUTH_ID}'}\n  b: {endpoint: \"https://b.example\", <<: *defaults}\nsafety:\n  max_delete_percent: 30\n", nil, false},
		{"safety and concurrency", baseConfig + "concurrency: 8\n", nil, false},
		{"one provider's setting", strings.ReplaceAll(baseConfig, "endpoint: https://b.example", "endpoint: https://b2.example"), []string{"b"}, false},
		{"the anchor both use", strings.ReplaceAll(baseConfig, "auth_id: ${CLOUDNS_AUTH_ID}", "auth_id: ${OTHER_ID}"), []string{"a", "b"}, false},
		{"a new provider", strings.Replace(baseConfig, "safety:", "  c: {type: zonefile, directory: live}\nsafety:", 1), []string{"c"}, false},
		{"a config that no longer parses", "providers: [\n", []string{"a", "b", "c"}, false},
		{"the templates directory", baseConfig + "templates: common/\n", nil, true},
		{"the zones directory", baseConfig + "zones: dns/\n", nil, true},
		// What ownership mode is on decides every zone's markers.
		{"ownership turned on", baseConfig + "ownership:\n  owner: git:dns\n", nil, true},
		{"a provider made ignore-only", baseConfig + "ownership:\n  owner: git:dns\n  ignore_only_providers: [b]\n", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) { checkConfigChange(t, baseConfig, tc.config, tc.want, tc.all) })
	}
}

// TestSinceOwnership: with ownership mode on at the commit, a new owner
// touches every zone; a provider put under ignore_only_providers, or taken
// off it, touches that provider's zones.
func TestSinceOwnership(t *testing.T) {
	owned := baseConfig + "ownership:\n  owner: git:dns\n  ignore_only_providers: [a]\n"
	for _, tc := range []struct {
		name, config string
		want         []string
		all          bool
	}{
		{"unchanged", owned, nil, false},
		{"another owner", strings.Replace(owned, "git:dns", "git:other", 1), nil, true},
		{"ownership turned off", baseConfig, nil, true},
		{"ignore-only providers", strings.Replace(owned, "[a]", "[b, c]", 1), []string{"a", "b", "c"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) { checkConfigChange(t, owned, tc.config, tc.want, tc.all) })
	}
}

// checkConfigChange commits zonesync.yaml as before and a spec of one.test
// on provider a, writes zonesync.yaml as after, and checks which of the
// providers a, b and c the change touches, and whether it touches every zone.
func checkConfigChange(t *testing.T, before, after string, want []string, all bool) {
	t.Helper()
	r := newRepo(t)
	r.write("zonesync.yaml", before)
	r.write("zones/one.test.yaml", specText("one.test", "a"))
	r.commit()
	r.write("zonesync.yaml", after)
	s, err := Since(context.Background(), r.config(), "HEAD")
	require.NoError(t, err)
	var got []string
	for _, p := range []string{"a", "b", "c"} {
		if s.Provider(p) {
			got = append(got, p)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("providers changed (-want +got):\n%s", diff)
	}
	assert.Equal(t, all, s.All(), "every zone touched")
}

func TestSinceConfigNewSinceTheCommit(t *testing.T) {
	r := newRepo(t)
	r.write("README.md", "dns\n")
	r.commit()
	r.write("zonesync.yaml", baseConfig)
	s, err := Since(context.Background(), r.config(), "main")
	require.NoError(t, err)
	assert.True(t, s.Provider("a"))
	assert.True(t, s.Provider("anything"), "every provider is new")
}

func TestSinceErrors(t *testing.T) {
	r := newRepo(t)
	r.write("zonesync.yaml", baseConfig)
	r.commit()
	_, err := Since(context.Background(), r.config(), "no-such-branch")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--changed-since no-such-branch: no such commit")
	assert.Contains(t, err.Error(), "fetch-depth: 0")

	_, err = Since(context.Background(), r.config(), "--output=/tmp/x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "needs a git revision")

	plain := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(plain, "zonesync.yaml"), []byte(baseConfig), 0o644))
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(plain))
	_, err = Since(context.Background(), &config.Config{File: filepath.Join(plain, "zonesync.yaml"), Dir: plain, ZonesDir: filepath.Join(plain, "zones")}, "HEAD")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not in a git repository")
}

// TestSinceModifiedSpecs: each spec the change modifies is listed with
// the zones it declared at the commit, read as YAML (anchors, block and
// flow lists); deleted specs are read from the same commit, with their
// aliases, a file name with a space included.
func TestSinceModifiedSpecs(t *testing.T) {
	r := newRepo(t)
	r.write("zonesync.yaml", baseConfig)
	r.write("zones/one.test.yaml", "x-parked: &parked park.test\nzone: one.test\naliases:\n  - *parked\n  - One-Brand.TEST.\nprovider: a\n")
	r.write("zones/two.test.yaml", "zone: two.test\naliases: [two-alias.test]\nprovider: a\n")
	r.write("zones/three.test.yaml", specText("three.test", "a"))
	r.write("zones/old spec.yaml", "aliases: [old-alias.test]\n"+specText("old.test", "a"))
	r.write("zones/broken.test.yaml", "zone: broken.test\naliases: {not: a list}\n")
	r.commit()
	r.write("zones/one.test.yaml", "zone: one.test\nprovider: a\n")
	r.write("zones/two.test.yaml", "zone: two.test\nprovider: a\nttl: 300\n")
	r.write("zones/broken.test.yaml", "zone: broken.test\n")
	r.write("zones/new.test.yaml", specText("new.test", "a"))
	require.NoError(t, os.Remove(filepath.Join(r.dir, "zones", "old spec.yaml")))

	s, err := Since(context.Background(), r.config(), "HEAD")
	require.NoError(t, err)
	zones := filepath.Join(r.dir, "zones")
	assert.Equal(t, []ModifiedSpec{
		{File: filepath.Join(zones, "broken.test.yaml"), Zones: []string{"broken.test"}},
		{File: filepath.Join(zones, "one.test.yaml"), Zones: []string{"one.test", "park.test", "one-brand.test"}},
		{File: filepath.Join(zones, "two.test.yaml"), Zones: []string{"two.test", "two-alias.test"}},
	}, s.Modified)
	assert.Equal(t, []DeletedSpec{{File: filepath.Join(zones, "old spec.yaml"), Zone: "old.test", Aliases: []string{"old-alias.test"}}}, s.Deleted)
}
