package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

// estateSpecsVersion names the generated projects: change it when the
// generator changes, so that a benchmark never reads an old one.
const estateSpecsVersion = 1

// estateProject generates (once per kind and size) a project of n specs.
func estateProject(tb testing.TB, n int, templated bool) (*config.Config, *providers.Set) {
	tb.Helper()
	kind := "spelled"
	if templated {
		kind = "templates"
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("zonesync-bench-estate-v%d-%s-%d", estateSpecsVersion, kind, n))
	if _, err := os.Stat(filepath.Join(dir, "zonesync.yaml")); err != nil {
		require.NoError(tb, os.RemoveAll(dir))
		require.NoError(tb, GenerateEstateSpecs(dir, n, templated))
	}
	cfg, err := config.Load(filepath.Join(dir, "zonesync.yaml"))
	require.NoError(tb, err)
	set, err := providers.Open(cfg)
	require.NoError(tb, err)
	return cfg, set
}

// BenchmarkLoadEstate measures loading and validating 10,000 specs of 20
// record sets each: spelled out, and with 15 of the sets from 5 templates
// each spec includes (one with a parameter). Compare the two medians;
// bench/load-estate.sh runs them interleaved and prints the ratio.
func BenchmarkLoadEstate(b *testing.B) {
	const n = 10000
	for _, templated := range []bool{false, true} {
		name := "spelled-out"
		if templated {
			name = "templates"
		}
		b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
			cfg, set := estateProject(b, n, templated)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, cpuOK := cpuTime()
			for i := 0; i < b.N; i++ {
				zones, err := apply.LoadSpecs(cfg, set)
				if err != nil {
					b.Fatal(err)
				}
				if len(zones) != n {
					b.Fatalf("%d zones loaded, want %d", len(zones), n)
				}
			}
			// CPU time too: on a shared host wall time moves with the
			// neighbours' load far more than the CPU time a load costs.
			if cpu1, ok := cpuTime(); ok && cpuOK {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// TestEstateSpecsLoadTheSame: the two ways the estate is written load to
// the same zones, 20 record sets each, so the benchmark compares like
// with like.
func TestEstateSpecsLoadTheSame(t *testing.T) {
	const n = 30
	load := func(templated bool) map[string]*model.Zone {
		dir := t.TempDir()
		require.NoError(t, GenerateEstateSpecs(dir, n, templated))
		cfg, err := config.Load(filepath.Join(dir, "zonesync.yaml"))
		require.NoError(t, err)
		set, err := providers.Open(cfg)
		require.NoError(t, err)
		zones, err := apply.LoadSpecs(cfg, set)
		require.NoError(t, err)
		byName := map[string]*model.Zone{}
		for _, z := range zones {
			byName[z.Name] = z
		}
		return byName
	}
	spelled, templated := load(false), load(true)
	require.Len(t, spelled, n)
	require.Len(t, templated, n)
	for name, z := range spelled {
		assert.Len(t, z.Records, 20, name)
		tz := templated[name]
		require.NotNil(t, tz, name)
		assert.Len(t, tz.Sources, 6, "%s: its spec and 5 templates", name)
		assert.Equal(t, z.Digest(), tz.Digest(), name)
	}
	www := templated[estateZone(7)].Find("www", "CNAME")
	require.NotNil(t, www)
	assert.Equal(t, []string{estateZone(7) + "."}, www.Values)
	assert.Equal(t, []string{webAddress(7)}, templated[estateZone(7)].Find("@", "A").Values)
}
