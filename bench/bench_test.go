package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	_ "github.com/zonesync/zonesync/providers/zonefile"
	"gopkg.in/yaml.v3"
)

var sizes = []int{1000, 10000, 100000}

// project generates (once per size) a project and loads its config.
func project(b *testing.B, n int) (dir string, cfg *config.Config, set *providers.Set) {
	b.Helper()
	dir = filepath.Join(os.TempDir(), fmt.Sprintf("zonesync-bench-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "zonesync.yaml")); err != nil {
		require.NoError(b, Generate(dir, n))
	}
	cfg, err := config.Load(filepath.Join(dir, "zonesync.yaml"))
	require.NoError(b, err)
	set, err = providers.Open(cfg)
	require.NoError(b, err)
	return dir, cfg, set
}

// BenchmarkLoad measures loading and validating the spec (YAML parse,
// values to canonical form, every rule).
func BenchmarkLoad(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			_, cfg, set := project(b, n)
			b.ReportAllocs()
			// Inside a timed loop b.Fatal stays: require's Helper call would be timed.
			for i := 0; i < b.N; i++ {
				if _, err := apply.LoadSpecs(cfg, set); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlan measures the whole plan: spec and live zone read
// concurrently, diffed, and rendered as the text diff.
func BenchmarkPlan(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			_, cfg, set := project(b, n)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				prep, err := apply.Prepare(context.Background(), cfg, set, apply.Options{})
				if err != nil {
					b.Fatal(err)
				}
				var out bytes.Buffer
				if err := plan.WriteText(&out, prep.Plan, false); err != nil {
					b.Fatal(err)
				}
				if prep.Plan.Summary.ZonesChanged != 1 {
					b.Fatal("the generated zone has no changes")
				}
			}
		})
	}
}

// BenchmarkFloor measures the parse floor the plan is held to: a yaml.v3
// Node parse of the spec, a miekg/dns parse of the live zone, and one
// dns.NewRR per spec value.
func BenchmarkFloor(b *testing.B) {
	for _, n := range sizes {
		dir, _, _ := project(b, n)
		specData, err := os.ReadFile(filepath.Join(dir, "zones", Zone+".yaml"))
		require.NoError(b, err)
		liveData, err := os.ReadFile(filepath.Join(dir, "live", Zone+".zone"))
		require.NoError(b, err)
		b.Run(fmt.Sprintf("yaml/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var node yaml.Node
				if err := yaml.Unmarshal(specData, &node); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("zonefile/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				zp := dns.NewZoneParser(bytes.NewReader(liveData), Zone+".", "")
				for _, ok := zp.Next(); ok; _, ok = zp.Next() {
				}
				if zp.Err() != nil {
					b.Fatal(zp.Err())
				}
			}
		})
		b.Run(fmt.Sprintf("newrr/%d", n), func(b *testing.B) {
			var lines []string
			for i := 0; i < n; i++ {
				name, rrtype, values := recordSet(i)
				for _, v := range values {
					lines = append(lines, name+"."+Zone+". 3600 IN "+rrtype+" "+v)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, l := range lines {
					if _, err := dns.NewRR(l); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func TestGenerateMakesAPlannableProject(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, Generate(dir, 600))
	cfg, err := config.Load(filepath.Join(dir, "zonesync.yaml"))
	require.NoError(t, err)
	set, err := providers.Open(cfg)
	require.NoError(t, err)
	prep, err := apply.Prepare(context.Background(), cfg, set, apply.Options{})
	require.NoError(t, err)
	s := prep.Plan.Summary
	assert.Equal(t, 6, s.Create, "creates: 1% of 600")
	assert.Equal(t, 6, s.Update, "updates: 1% of 600")
	assert.Equal(t, 6, s.Delete, "deletes: 1% of 600")
	var out bytes.Buffer
	require.NoError(t, plan.WriteText(&out, prep.Plan, false))
	assert.Contains(t, out.String(), "+_svc-000017._tcp", "the plan does not show the missing record set")
}
