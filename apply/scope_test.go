package apply

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/changes"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// gitProject is a zonesync project in a git repository, committed once.
type gitProject struct {
	t   *testing.T
	dir string
	cfg *config.Config
}

// newGitProject writes files (paths relative to the project) with a
// config naming one provider "p", and commits them.
func newGitProject(t *testing.T, files map[string]string) *gitProject {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed")
		}
		t.Skip("git is not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	g := &gitProject{t: t, dir: t.TempDir()}
	g.write("zonesync.yaml", "providers:\n  p:\n    type: partial\n")
	for path, body := range files {
		g.write(path, body)
	}
	g.git("init", "-q", "-b", "main")
	g.git("add", "-A")
	g.git("commit", "-q", "-m", "base")
	data, err := os.ReadFile(filepath.Join(g.dir, "zonesync.yaml"))
	require.NoError(t, err)
	g.cfg, err = config.Parse(filepath.Join(g.dir, "zonesync.yaml"), data, nil)
	require.NoError(t, err)
	return g
}

func (g *gitProject) git(args ...string) {
	g.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = g.dir
	out, err := cmd.CombinedOutput()
	require.NoError(g.t, err, "git %v: %s", args, out)
}

func (g *gitProject) write(path, body string) {
	g.t.Helper()
	full := filepath.Join(g.dir, path)
	require.NoError(g.t, os.MkdirAll(filepath.Dir(full), 0o755))
	require.NoError(g.t, os.WriteFile(full, []byte(body), 0o644))
}

// changesSince is what changed in the working tree since HEAD.
func (g *gitProject) changesSince() *changes.Set {
	g.t.Helper()
	c, err := changes.Since(context.Background(), g.cfg, "HEAD")
	require.NoError(g.t, err)
	return c
}

// estate is five zones: two include the template web, one has an alias,
// one stands alone. Every live zone exists, empty.
var estate = map[string]string{
	"templates/web.yaml":    "records:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
	"zones/a.test.yaml":     "zone: a.test\nprovider: p\ninclude: [web]\n",
	"zones/b.test.yaml":     "zone: b.test\nprovider: p\naliases: [b-alias.test]\nrecords:\n  mail:\n    - {type: A, value: 192.0.2.2}\n",
	"zones/c.test.yaml":     "zone: c.test\nprovider: p\nrecords:\n  mail:\n    - {type: A, value: 192.0.2.3}\n",
	"zones/d.test.yaml":     "zone: d.test\nprovider: p\ninclude: [web]\nrecords:\n  mail:\n    - {type: A, value: 192.0.2.4}\n",
	"zones/README.txt":      "not a spec\n",
	"templates/unused.yaml": "records:\n  ftp:\n    - {type: A, value: 192.0.2.9}\n",
}

func estateProvider() *partial {
	live := map[string]*model.Zone{}
	for _, name := range []string{"a.test", "b.test", "b-alias.test", "c.test", "c-alias.test", "d.test"} {
		live[name] = &model.Zone{Name: name, Mode: model.Master}
	}
	return &partial{scripted: scripted{caps: model.Capabilities{RecordTypes: []string{"A"}}}, live: live}
}

// readZones are the zones a provider read, sorted, and the zones each
// run it was told of named.
func readZones(p *partial) (reads []string, runs [][]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.reads {
		reads = append(reads, r)
	}
	slices.Sort(reads)
	for run := range p.runs {
		if run != nil {
			runs = append(runs, run.Zones)
		}
	}
	return reads, runs
}

func TestPrepareScopedToTheChange(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(g *gitProject)
		zones   []string // in scope, read and planned
		leftOut int
		deleted []plan.DeletedSpec
	}{
		{"nothing", func(*gitProject) {}, []string{}, 5, nil},
		{"a file beside the specs", func(g *gitProject) { g.write("zones/README.txt", "still not a spec\n") }, []string{}, 5, nil},
		{"a template two zones include", func(g *gitProject) {
			g.write("templates/web.yaml", "records:\n  www:\n    - {type: A, value: 192.0.2.10}\n")
		}, []string{"a.test", "d.test"}, 3, nil},
		{"a template nobody includes", func(g *gitProject) {
			g.write("templates/unused.yaml", "records:\n  ftp:\n    - {type: A, value: 192.0.2.10}\n")
		}, []string{}, 5, nil},
		{"a spec with an alias", func(g *gitProject) {
			g.write("zones/b.test.yaml", estate["zones/b.test.yaml"]+"  www:\n    - {type: A, value: 192.0.2.5}\n")
		}, []string{"b-alias.test", "b.test"}, 3, nil},
		{"a new alias", func(g *gitProject) {
			g.write("zones/c.test.yaml", "aliases: [c-alias.test]\n"+estate["zones/c.test.yaml"])
		}, []string{"c-alias.test", "c.test"}, 4, nil},
		{"a deleted spec", func(g *gitProject) {
			require.NoError(t, os.Remove(filepath.Join(g.dir, "zones", "c.test.yaml")))
		}, []string{}, 4, []plan.DeletedSpec{{File: filepath.Join("zones", "c.test.yaml"), Zone: "c.test"}}},
		{"the provider's entry", func(g *gitProject) {
			g.write("zonesync.yaml", "providers:\n  p:\n    type: partial\n    endpoint: https://other.example\n")
		}, []string{"a.test", "b-alias.test", "b.test", "c.test", "d.test"}, 0, nil},
		{"the templates directory", func(g *gitProject) {
			g.write("zonesync.yaml", "providers:\n  p:\n    type: partial\ntemplates: templates/\n")
		}, []string{"a.test", "b-alias.test", "b.test", "c.test", "d.test"}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGitProject(t, estate)
			tc.change(g)
			c := g.changesSince()
			p := estateProvider()
			prep, err := Prepare(context.Background(), g.cfg, providers.NewSet(map[string]providers.Provider{"p": p}), Options{Concurrency: 2, Changes: c, Retain: RetainNone})
			require.NoError(t, err)
			s := prep.Plan.Scope
			require.NotNil(t, s)
			assert.Equal(t, c.Commit, s.ChangedSince)
			assert.Equal(t, tc.zones, s.Zones)
			assert.Equal(t, tc.leftOut, s.LeftOut)
			// Deleted specs are named relative to the zones directory's
			// place in the config.
			var deleted []plan.DeletedSpec
			for _, d := range s.Deleted {
				rel, err := filepath.Rel(g.dir, d.File)
				require.NoError(t, err)
				deleted = append(deleted, plan.DeletedSpec{File: rel, Zone: d.Zone})
			}
			assert.Equal(t, tc.deleted, deleted)
			var planned []string
			for _, z := range prep.Plan.Zones {
				planned = append(planned, z.Zone)
			}
			slices.Sort(planned)
			assert.Equal(t, tc.zones, append([]string{}, planned...), "zones planned")
			reads, runs := readZones(p)
			var want []string
			for _, z := range tc.zones {
				want = append(want, z+"-soa")
			}
			assert.Equal(t, want, reads, "nothing is read for a zone out of scope")
			if len(tc.zones) == 0 {
				assert.Empty(t, runs)
			} else {
				assert.Equal(t, [][]string{tc.zones}, runs, "the provider hears of the scoped zones only")
			}
		})
	}
}

// TestPrepareScopedNotesDroppedZones: an alias a changed or deleted spec
// declared at the commit and no spec declares now drops out of the plan
// like the zone of a deleted spec, and the plan says so; one that moved
// to another spec does not.
func TestPrepareScopedNotesDroppedZones(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(g *gitProject)
		zones   []string
		dropped []plan.DroppedZone
	}{
		{"an alias removed", func(g *gitProject) {
			g.write("zones/b.test.yaml", strings.Replace(estate["zones/b.test.yaml"], "aliases: [b-alias.test]\n", "", 1))
		}, []string{"b.test"}, []plan.DroppedZone{{File: filepath.Join("zones", "b.test.yaml"), Zone: "b-alias.test"}}},
		{"the alias list emptied", func(g *gitProject) {
			g.write("zones/b.test.yaml", strings.Replace(estate["zones/b.test.yaml"], "aliases: [b-alias.test]\n", "aliases: []\n", 1))
		}, []string{"b.test"}, []plan.DroppedZone{{File: filepath.Join("zones", "b.test.yaml"), Zone: "b-alias.test"}}},
		{"a deleted spec with an alias", func(g *gitProject) {
			require.NoError(t, os.Remove(filepath.Join(g.dir, "zones", "b.test.yaml")))
		}, []string{}, []plan.DroppedZone{{File: filepath.Join("zones", "b.test.yaml"), Zone: "b-alias.test"}}},
		{"an alias moved to another spec", func(g *gitProject) {
			g.write("zones/b.test.yaml", strings.Replace(estate["zones/b.test.yaml"], "aliases: [b-alias.test]\n", "", 1))
			g.write("zones/c.test.yaml", "aliases:\n  - b-alias.test\n"+estate["zones/c.test.yaml"])
		}, []string{"b-alias.test", "b.test", "c.test"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGitProject(t, estate)
			tc.change(g)
			prep, err := Prepare(context.Background(), g.cfg, providers.NewSet(map[string]providers.Provider{"p": estateProvider()}),
				Options{Changes: g.changesSince(), Retain: RetainNone})
			require.NoError(t, err)
			s := prep.Plan.Scope
			assert.Equal(t, tc.zones, s.Zones)
			var dropped []plan.DroppedZone
			for _, d := range s.Dropped {
				rel, err := filepath.Rel(g.dir, d.File)
				require.NoError(t, err)
				dropped = append(dropped, plan.DroppedZone{File: rel, Zone: d.Zone})
			}
			assert.Equal(t, tc.dropped, dropped)
			for _, d := range s.Deleted {
				assert.Equal(t, "b.test", d.Zone, "the zone of the deleted spec")
			}

			// A full plan neither reads nor plans a zone no spec
			// declares, as for the zone of a deleted spec; it has no
			// scope to note it in.
			p := estateProvider()
			full, err := Prepare(context.Background(), g.cfg, providers.NewSet(map[string]providers.Provider{"p": p}), Options{Retain: RetainNone})
			require.NoError(t, err)
			assert.Nil(t, full.Plan.Scope)
			reads, _ := readZones(p)
			for _, d := range tc.dropped {
				assert.NotContains(t, reads, d.Zone+"-soa")
				for _, zp := range full.Plan.Zones {
					assert.NotEqual(t, d.Zone, zp.Zone)
				}
			}
		})
	}
}

// TestPrepareScopedWithZoneSelection: --zone and --changed-since together
// plan the selected zones the change touched, and count as left out only
// the selected zones it did not.
func TestPrepareScopedWithZoneSelection(t *testing.T) {
	g := newGitProject(t, estate)
	g.write("templates/web.yaml", "records:\n  www:\n    - {type: A, value: 192.0.2.10}\n")
	p := estateProvider()
	prep, err := Prepare(context.Background(), g.cfg, providers.NewSet(map[string]providers.Provider{"p": p}),
		Options{Zones: []string{"a.test", "b.test", "c.test"}, Changes: g.changesSince()})
	require.NoError(t, err)
	assert.Equal(t, []string{"a.test"}, prep.Plan.Scope.Zones)
	assert.Equal(t, 2, prep.Plan.Scope.LeftOut)
	reads, _ := readZones(p)
	assert.Equal(t, []string{"a.test-soa"}, reads)
}

// TestPrepareSavedKeepsToTheScope: a saved scoped plan is checked and
// applied for exactly its zones; the zones left out are not read, even
// when their specs changed since.
func TestPrepareSavedKeepsToTheScope(t *testing.T) {
	g := newGitProject(t, estate)
	g.write("templates/web.yaml", "records:\n  www:\n    - {type: A, value: 192.0.2.10}\n")
	set := providers.NewSet(map[string]providers.Provider{"p": estateProvider()})
	prep, err := Prepare(context.Background(), g.cfg, set, Options{Changes: g.changesSince(), Retain: RetainNone})
	require.NoError(t, err)
	saved := roundTrip(t, prep.Plan)
	require.NotNil(t, saved.Scope)

	// A zone out of scope changes after the plan: apply of the saved plan
	// still neither reads nor changes it.
	g.write("zones/c.test.yaml", estate["zones/c.test.yaml"]+"  www:\n    - {type: A, value: 192.0.2.6}\n")
	p := estateProvider()
	set = providers.NewSet(map[string]providers.Provider{"p": p})
	again, err := PrepareSaved(context.Background(), g.cfg, set, saved, Options{Retain: RetainForApply})
	require.NoError(t, err)
	var zones []string
	for _, z := range again.Plan.Zones {
		zones = append(zones, z.Zone)
	}
	assert.Equal(t, []string{"a.test", "d.test"}, zones)
	if diff := cmp.Diff(saved.Scope, again.Plan.Scope); diff != "" {
		t.Errorf("the scope applied is not the saved one (-saved +applied):\n%s", diff)
	}
	reads, _ := readZones(p)
	assert.Equal(t, []string{"a.test-soa", "d.test-soa"}, reads)

	rep := Run(context.Background(), again, RunOptions{Concurrency: 1})
	require.False(t, rep.Failed(), rep.SummaryLine())
	var applied []string
	for _, z := range rep.Zones {
		applied = append(applied, z.Zone)
	}
	slices.Sort(applied)
	assert.Equal(t, []string{"a.test", "d.test"}, applied)
}

// roundTrip is p as apply reads it back from a plan file.
func roundTrip(t *testing.T, p *plan.Plan) *plan.Plan {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, plan.WriteJSON(&buf, p))
	saved, err := plan.Decode(&buf)
	require.NoError(t, err)
	return saved
}

// TestScopeCountsAZoneOfSeveralTargetsOnce: the scope names a zone served
// by several providers once, as it counts it once when left out, and a
// plan file with such a scope reads back.
func TestScopeCountsAZoneOfSeveralTargetsOnce(t *testing.T) {
	targets := []string{"a", "b"}
	in := []*model.Zone{
		{Name: "x.test", Provider: "a", Targets: targets},
		{Name: "x.test", Provider: "b", Targets: targets},
		{Name: "y.test", Provider: "a"},
	}
	opt := Options{Changes: &changes.Set{Commit: "0123456789abcdef0123456789abcdef01234567"}}
	prep := &Prepared{Plan: &plan.Plan{FormatVersion: plan.FormatVersion}}
	for _, z := range []*model.Zone{{Name: "z.test", Provider: "a", Targets: targets}, {Name: "z.test", Provider: "b", Targets: targets}} {
		prep.scopeLeftOut(z)
	}
	s := opt.scope(in, prep.Plan.Scope, prep.leftOut, nil)
	assert.Equal(t, []string{"x.test", "y.test"}, s.Zones)
	assert.Equal(t, 1, s.LeftOut)
	assert.Equal(t, "Scoped to the change since 0123456789ab: 2 zones planned, 1 zone left out (unchanged, not read).", s.Note())

	p := &plan.Plan{FormatVersion: plan.FormatVersion, Scope: s, Zones: []*plan.ZonePlan{
		{Zone: "x.test", Provider: "a", Target: "x.test@a", LiveDigest: "none", SpecDigest: "sha256:0", Operations: []*plan.Operation{}},
		{Zone: "x.test", Provider: "b", Target: "x.test@b", LiveDigest: "none", SpecDigest: "sha256:0", Operations: []*plan.Operation{}},
		{Zone: "y.test", Provider: "a", LiveDigest: "none", SpecDigest: "sha256:0", Operations: []*plan.Operation{}},
	}}
	saved := roundTrip(t, p)
	assert.Equal(t, s.Zones, saved.Scope.Zones)

	// A change to provider b's entry puts x.test@b in scope, not x.test@a:
	// the zone is planned, not left out.
	prep = &Prepared{Plan: &plan.Plan{FormatVersion: plan.FormatVersion}}
	for _, z := range []*model.Zone{{Name: "x.test", Provider: "a", Targets: targets}, {Name: "z.test", Provider: "a", Targets: targets}, {Name: "z.test", Provider: "b", Targets: targets}} {
		prep.scopeLeftOut(z)
	}
	s = opt.scope(in[1:2], prep.Plan.Scope, prep.leftOut, nil)
	assert.Equal(t, []string{"x.test"}, s.Zones)
	assert.Equal(t, 1, s.LeftOut, "z.test alone is left out")
}

// TestPrepareSavedKeepsOtherTargets: a saved plan whose first target
// landed before keeps that target's desired zone beside the plan, so that
// verify knows what every target of the zone serves.
func TestPrepareSavedKeepsOtherTargets(t *testing.T) {
	g := newGitProject(t, map[string]string{
		"zonesync.yaml": "providers:\n  p:\n    type: partial\n  q:\n    type: partial\n",
		"zones/x.test.yaml": "zone: x.test\nproviders: [p, q]\nrecords:\n  '@':\n    - {type: NS, value: ns1.example.net.}\n" +
			"  api:\n    - {type: A, value: 192.0.2.1}\n  www:\n    - {type: A, value: 192.0.2.2, only: [q]}\n",
	})
	ns, err := model.NewRecordSet("@", "NS", 3600, "ns1.example.net.")
	require.NoError(t, err)
	api, err := model.NewRecordSet("api", "A", 3600, "192.0.2.1")
	require.NoError(t, err)
	caps := model.Capabilities{RecordTypes: []string{"A", "NS"}, ApexNS: true}
	live := func(sets ...*model.RecordSet) *partial {
		z := &model.Zone{Name: "x.test", Mode: model.Master, TTL: 3600, Records: sets}
		z.SortRecords()
		return &partial{scripted: scripted{caps: caps}, live: map[string]*model.Zone{"x.test": z}}
	}
	set := providers.NewSet(map[string]providers.Provider{"p": live(ns), "q": live(ns)})
	prep, err := Prepare(context.Background(), g.cfg, set, Options{Retain: RetainNone})
	require.NoError(t, err)
	saved := roundTrip(t, prep.Plan)

	// The p target landed on an earlier run; q did not.
	set = providers.NewSet(map[string]providers.Provider{"p": live(ns, api), "q": live(ns)})
	again, err := PrepareSaved(context.Background(), g.cfg, set, saved, Options{Retain: RetainForApply})
	require.NoError(t, err)
	require.Len(t, again.AlreadyApplied, 1)
	assert.Equal(t, "x.test@p", again.AlreadyApplied[0].Target)
	require.Len(t, again.OtherTargets, 1)
	assert.Equal(t, "p", again.OtherTargets[0].Provider)
	assert.Nil(t, again.OtherTargets[0].Find("www", "A"), "www is q's alone")
}
