package apply

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// partial is a provider that can leave the SOA out of a read, recording
// what it was told and asked.
type partial struct {
	scripted
	live map[string]*model.Zone

	mu    sync.Mutex
	runs  map[*providers.ReadRun]bool
	reads []string // zone, then "-soa" when the SOA was left out
}

func (p *partial) ReadZone(_ context.Context, zone string, opt providers.ReadOptions) (*model.Zone, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.runs == nil {
		p.runs = map[*providers.ReadRun]bool{}
	}
	p.runs[opt.Run] = true
	l, ok := p.live[zone]
	if !ok {
		return nil, providers.ErrZoneNotFound
	}
	z := *l
	what := zone
	if opt.SkipSOA {
		z.SOA, what = nil, zone+"-soa"
	}
	p.reads = append(p.reads, what)
	return &z, nil
}

// project writes a config with one provider "p" and the given specs.
func project(t *testing.T, specs map[string]string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "zones"), 0o755))
	for name, body := range specs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", name+".yaml"), []byte(body), 0o644))
	}
	cfg, err := config.Parse(filepath.Join(dir, "zonesync.yaml"), []byte("providers:\n  p:\n    type: partial\n"), nil)
	require.NoError(t, err)
	return cfg
}

func TestPrepareReadsOnlyWhatSpecsNeed(t *testing.T) {
	liveSOA := &model.SOA{PrimaryNS: "ns1.live.test.", AdminMail: "admin.live.test.", Refresh: 3600, Retry: 600, Expire: 604800, Minimum: 300}
	live := map[string]*model.Zone{}
	for _, name := range []string{"a.test", "b.test", "c.test"} {
		live[name] = &model.Zone{Name: name, Mode: model.Master, SOA: liveSOA}
	}
	p := &partial{scripted: scripted{caps: model.Capabilities{RecordTypes: []string{"A"}, SOA: model.SOAFields}}, live: live}
	cfg := project(t, map[string]string{
		"a.test": "zone: a.test\nprovider: p\n",
		"b.test": "zone: b.test\nprovider: p\nsoa:\n  refresh: 7200\n",
		// A quoted key hides the SOA from the cheap look: the parsed spec
		// asks for a whole read.
		"c.test": "zone: c.test\nprovider: p\n\"soa\": {retry: 900}\n",
	})
	var progressMu sync.Mutex
	var progress [][2]int
	prep, err := Prepare(context.Background(), cfg, providers.NewSet(map[string]providers.Provider{"p": p}), Options{Concurrency: 1,
		Progress: func(done, total int) {
			progressMu.Lock()
			defer progressMu.Unlock()
			progress = append(progress, [2]int{done, total})
		}})
	require.NoError(t, err)
	// Three zones, three steps, the total known from the start.
	progressMu.Lock()
	assert.Equal(t, [][2]int{{1, 3}, {2, 3}, {3, 3}}, progress, "progress")
	progressMu.Unlock()
	p.mu.Lock()
	runs := p.runs
	p.mu.Unlock()
	require.Len(t, runs, 1, "every read of the run shares one ReadRun")
	for run := range runs {
		require.NotNil(t, run)
		assert.Equal(t, []string{"a.test", "b.test", "c.test"}, run.Zones, "the run tells the provider every zone it will read")
	}
	// Each zone is read once its spec is parsed, so c.test, whose quoted
	// key hides its SOA from a cheap look, is read once, whole.
	p.mu.Lock()
	reads := slices.Clone(p.reads)
	p.mu.Unlock()
	slices.Sort(reads)
	assert.Equal(t, []string{"a.test-soa", "b.test", "c.test"}, reads, "reads")
	for i, zp := range prep.Plan.Zones {
		var soa *plan.Operation
		for _, op := range zp.Operations {
			if op.Action == plan.UpdateSOA {
				soa = op
			}
		}
		switch zp.Zone {
		case "a.test":
			assert.Nil(t, soa, "a.test: an SOA operation")
			assert.Nil(t, prep.Live[i].SOA, "a.test: a live SOA")
		case "b.test", "c.test":
			require.NotNil(t, soa, "%s: no SOA operation", zp.Zone)
			require.NotNil(t, soa.Before, "%s: an SOA operation without a before state", zp.Zone)
			require.NotNil(t, soa.Before.SOA, "%s: an SOA operation without a before SOA", zp.Zone)
			if d := cmp.Diff(*liveSOA, *soa.Before.SOA); d != "" {
				t.Fatalf("%s: the SOA operation is not from the live SOA (-live +before):\n%s", zp.Zone, d)
			}
		}
	}
}

// counting is a provider whose zones all exist, empty, and which notes
// the most goroutines running while it reads.
type counting struct {
	scripted
	mu         sync.Mutex
	reads      int
	goroutines int
}

func (c *counting) ReadZone(_ context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	n := runtime.NumGoroutine()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	c.goroutines = max(c.goroutines, n)
	return &model.Zone{Name: zone, Mode: model.Master}, nil
}

// TestPrepareHoldsAWindowOfZones: specs are parsed and zones read a
// window at a time, whatever the estate's size: the goroutines running
// while zones are read stay bounded by the concurrency and the CPUs, not
// the thousand zones (each zone's read used to wait in a goroutine of its
// own from the start).
func TestPrepareHoldsAWindowOfZones(t *testing.T) {
	const zones = 1000
	specs := map[string]string{}
	for i := range zones {
		name := fmt.Sprintf("z%04d.test", i)
		specs[name] = "zone: " + name + "\nprovider: p\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n"
	}
	cfg := project(t, specs)
	p := &counting{scripted: scripted{caps: model.Capabilities{RecordTypes: []string{"A"}}}}
	prep, err := Prepare(context.Background(), cfg, providers.NewSet(map[string]providers.Provider{"p": p}), Options{Concurrency: 4, Retain: RetainNone})
	require.NoError(t, err)
	assert.Len(t, prep.Plan.Zones, zones)
	assert.Equal(t, zones, prep.Plan.Summary.Create)
	assert.Equal(t, zones, p.reads)
	assert.Less(t, p.goroutines, 100+runtime.GOMAXPROCS(0), "goroutines while reading")
	assert.Empty(t, slices.DeleteFunc(slices.Clone(prep.Desired), func(z *model.Zone) bool { return z == nil }), "zones kept")
}

// A zone read early, from the cheap look at its spec, is read once: the
// plan's read takes the early one when it reads what the parsed spec
// needs, and reads again when the early read left out an SOA the spec
// manages after all.
func TestEarlyReadIsTakenOnlyWhenItWillDo(t *testing.T) {
	liveSOA := &model.SOA{PrimaryNS: "ns1.live.test.", AdminMail: "admin.live.test.", Refresh: 3600, Retry: 600, Expire: 604800, Minimum: 300}
	for _, tc := range []struct {
		name          string
		early, parsed providers.ReadOptions
		reads         []string
	}{
		{"the same read", providers.ReadOptions{SkipSOA: true}, providers.ReadOptions{SkipSOA: true}, []string{"a.test-soa"}},
		{"a whole read does for one without the SOA", providers.ReadOptions{}, providers.ReadOptions{SkipSOA: true}, []string{"a.test"}},
		{"a read without the SOA does not do for a spec managing it", providers.ReadOptions{SkipSOA: true}, providers.ReadOptions{}, []string{"a.test", "a.test-soa"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &partial{live: map[string]*model.Zone{"a.test": {Name: "a.test", Mode: model.Master, SOA: liveSOA}}}
			rd := newReader(context.Background(), providers.NewSet(map[string]providers.Provider{"p": p}), 2, nil)
			rd.prefetch(earlyRead{key: [2]string{"a.test", "p"}, opt: tc.early})
			rd.start("a.test", "p", tc.parsed)
			lr, err := rd.next()
			require.NoError(t, err)
			z, err := lr.result()
			require.NoError(t, err)
			if !tc.parsed.SkipSOA {
				assert.NotNil(t, z.SOA, "the zone has its SOA when the spec manages it")
			}
			rd.release(lr)
			// The early read that was not taken ends on its own.
			rd.mu.Lock()
			assert.Empty(t, rd.early, "early reads left")
			rd.mu.Unlock()
			for {
				p.mu.Lock()
				n := len(p.reads)
				p.mu.Unlock()
				if n >= len(tc.reads) {
					break
				}
				runtime.Gosched()
			}
			p.mu.Lock()
			reads := slices.Clone(p.reads)
			p.mu.Unlock()
			slices.Sort(reads)
			assert.Equal(t, tc.reads, reads, "reads")
		})
	}
}
