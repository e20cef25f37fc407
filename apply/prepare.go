// Package apply makes plans from specs and live state, checks saved plans
// for staleness, and carries plans out against providers with a status
// for every operation.
package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

// Options select what a plan covers.
type Options struct {
	// Zones, when set, limits the plan to the zones these patterns select:
	// zone names or path.Match globs such as shop-*.com, normalised as
	// model.NormalizeZone does. A pattern that selects no zone spec is an error.
	Zones []string
	// Concurrency is how many zones are read at once; 0 means the config's.
	Concurrency int
	// Progress, when set, is told each time a zone's live state has been read.
	Progress func(done, total int)
	// Shard limits the plan to one stable slice of the zones.
	Shard plan.Shard
}

// Prepared is a plan together with the zones it was made from.
type Prepared struct {
	Plan *plan.Plan
	// Desired and Live are indexed like Plan.Zones; Live[i] is nil when the
	// zone does not exist at its provider yet, and is the whole live zone,
	// ignored records included, but for an SOA the spec leaves alone, which
	// a provider may leave out (providers.ReadOptions). Run never changes
	// them: it reads each zone again right before its first change and
	// gives the provider that zone.
	Desired []*model.Zone
	Live    []*model.Zone
	// Providers are the providers of Plan.Zones, by zone index.
	Providers []providers.Provider
	// Unavailable are the providers that failed their access check, with
	// the zones left out of the plan for it; the other providers' zones
	// are planned all the same.
	Unavailable []*Unavailable
	// AlreadyApplied are the zones of a saved plan whose live state is
	// already what the plan makes: applied before, nothing to do.
	AlreadyApplied []*plan.ZonePlan
}

// liveRead is one live zone being read.
type liveRead struct {
	done   chan struct{}
	opt    providers.ReadOptions
	cancel context.CancelFunc
	// Under reader.mu: replaced is set when a whole read takes this read's
	// place (it is cancelled and is not progress); counted once this read
	// counted as progress; uncounted for a read whose zone already did.
	replaced, counted, uncounted bool
	zone                         *model.Zone
	err                          error
}

// reader reads live zones concurrently, each at most once.
type reader struct {
	ctx   context.Context
	set   *providers.Set
	sem   chan struct{}
	mu    sync.Mutex
	reads map[[2]string]*liveRead
	// checks are the providers' access checks, by provider name.
	checks map[string]*accessCheck

	total, finished int
	progress        func(done, total int)
	// progressMu keeps the progress calls in the order of their counts.
	progressMu sync.Mutex
}

// readDone counts a finished read and tells the progress function, one
// call at a time, so that the counts it sees never go back.
func (r *reader) readDone() {
	r.progressMu.Lock()
	defer r.progressMu.Unlock()
	r.mu.Lock()
	r.finished++
	done, total := r.finished, r.total
	r.mu.Unlock()
	if r.progress != nil {
		r.progress(done, total)
	}
}

func newReader(ctx context.Context, set *providers.Set, concurrency int, progress func(int, int)) *reader {
	return &reader{ctx: ctx, set: set, sem: make(chan struct{}, max(concurrency, 1)), reads: map[[2]string]*liveRead{}, checks: map[string]*accessCheck{}, progress: progress}
}

// start begins reading a zone unless it is already being read with every
// part opt asks for. A read that left out the SOA is replaced by a whole
// one when the parsed spec turns out to manage the SOA after all.
func (r *reader) start(zone, provider string, opt providers.ReadOptions) *liveRead {
	key := [2]string{zone, provider}
	r.mu.Lock()
	defer r.mu.Unlock()
	old, ok := r.reads[key]
	if ok && (!old.opt.SkipSOA || opt.SkipSOA) {
		return old
	}
	ctx, cancel := context.WithCancel(r.ctx)
	lr := &liveRead{done: make(chan struct{}), opt: opt, cancel: cancel}
	// Progress counts zones: a replacing read takes over the replaced
	// one's place, or, when that one already counted, counts for nothing.
	if ok {
		old.replaced = true
		old.cancel()
		lr.uncounted = old.counted
	} else {
		r.total++
	}
	r.reads[key] = lr
	p, ok := r.set.Get(provider)
	var ac *accessCheck
	if ok {
		ac = r.check(provider, p, zone)
	}
	go func() {
		defer close(lr.done)
		defer cancel()
		if !ok {
			lr.err = fmt.Errorf("unknown provider %q", provider)
			return
		}
		// A provider that cannot be used at all is not read: one failed
		// check stands for all its zones.
		start := time.Now()
		if lr.err = ac.wait(ctx, provider); lr.err == nil {
			select {
			case r.sem <- struct{}{}:
			case <-ctx.Done():
				lr.err = ctx.Err()
				return
			}
			start = time.Now()
			lr.zone, lr.err = readSafely(ctx, p, zone, opt)
			<-r.sem
		}
		r.mu.Lock()
		if lr.replaced || lr.uncounted {
			r.mu.Unlock()
			return
		}
		lr.counted = true
		r.mu.Unlock()
		if lr.err == nil {
			providers.Logf(ctx, "read zone %s from provider %s: %d record sets (%s)", zone, provider, len(lr.zone.Records), time.Since(start).Round(time.Millisecond))
		}
		r.readDone()
	}()
	return lr
}

// readSafely reads a zone, turning a panic in the provider into an error.
func readSafely(ctx context.Context, p providers.Provider, zone string, opt providers.ReadOptions) (z *model.Zone, err error) {
	defer func() {
		if r := recover(); r != nil {
			z, err = nil, fmt.Errorf("internal error in the provider: %v", r)
		}
	}()
	return p.ReadZone(ctx, zone, opt)
}

// wait returns a zone's live state; nil without error when it does not exist.
func (r *reader) wait(zone, provider string, opt providers.ReadOptions) (*model.Zone, error) {
	lr := r.start(zone, provider, opt)
	<-lr.done
	if errors.Is(lr.err, providers.ErrZoneNotFound) {
		return nil, nil
	}
	if lr.err != nil {
		return nil, fmt.Errorf("read live zone %s from provider %s: %w", zone, provider, lr.err)
	}
	return lr.zone, nil
}

// LoadSpecs loads and validates every zone spec against the config's providers.
func LoadSpecs(cfg *config.Config, set *providers.Set) ([]*model.Zone, error) {
	return spec.LoadZones(cfg, set.Capabilities)
}

// Prepare loads the specs, reads every zone's live state and diffs them
// into a plan, with the safety checks' refusals. Live zones are read while
// the specs are still being parsed.
func Prepare(ctx context.Context, cfg *config.Config, set *providers.Set, opt Options) (*Prepared, error) {
	concurrency := opt.Concurrency
	if concurrency <= 0 {
		concurrency = cfg.Concurrency
	}
	// Cancelling on return stops reads started for specs that turned out
	// invalid or outside the selection.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rd := newReader(ctx, set, concurrency, opt.Progress)
	// Start the live reads from a cheap look at each spec, so that network
	// and disk reads overlap the YAML parse. The parsed specs decide.
	type peeked struct {
		zone, provider string
		opt            providers.ReadOptions
	}
	var early []peeked
	expected := map[string][]string{}
	// runs tell each provider the whole run before its first read.
	runs := map[string]*providers.ReadRun{}
	if files, err := spec.SpecFiles(cfg.ZonesDir); err == nil {
		for _, f := range files {
			if data, err := os.ReadFile(f); err == nil {
				if zone, provider := spec.Peek(data); zone != "" && provider != "" && opt.selects(zone) && opt.Shard.Contains(zone) {
					if _, ok := set.Get(provider); ok {
						early = append(early, peeked{zone, provider, providers.ReadOptions{SkipSOA: !spec.PeekSOA(data)}})
						expected[provider] = append(expected[provider], zone)
					}
				}
			}
		}
	}
	for name, zones := range expected {
		sort.Strings(zones)
		runs[name] = &providers.ReadRun{Zones: slices.Compact(zones)}
	}
	for _, e := range early {
		e.opt.Run = runs[e.provider]
		rd.start(e.zone, e.provider, e.opt)
	}
	zones, err := LoadSpecs(cfg, set)
	if err != nil {
		return nil, err
	}
	if len(opt.Zones) > 0 {
		if zones, err = opt.selectZones(zones); err != nil {
			return nil, err
		}
	}
	zones = slices.DeleteFunc(zones, func(z *model.Zone) bool { return !opt.Shard.Contains(z.Name) })
	// Stable: the targets of a zone stay in the order of its providers.
	sort.SliceStable(zones, func(i, j int) bool { return zones[i].Name < zones[j].Name })
	runOptions := func(z *model.Zone) providers.ReadOptions {
		opt := readOptions(z)
		opt.Run = runs[z.Provider]
		return opt
	}
	for _, z := range zones {
		rd.start(z.Name, z.Provider, runOptions(z))
	}
	prep := &Prepared{Plan: &plan.Plan{FormatVersion: plan.FormatVersion, Shard: opt.Shard.String()}}
	var problems []error
	unavailable := unavailableSet{}
	for _, z := range zones {
		live, err := rd.wait(z.Name, z.Provider, runOptions(z))
		var denied *accessError
		if errors.As(err, &denied) {
			unavailable.add(z.Provider, denied.err, z.Name)
			continue
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		p, _ := set.Get(z.Provider)
		zp, err := plan.Zone(z, live, p.Capabilities(), &cfg.Safety)
		if err != nil {
			problems = append(problems, ofTarget(z, err))
			continue
		}
		// What the provider would refuse at apply is refused now, in its words.
		if errs := checkOperations(p, z, live, zp); len(errs) > 0 {
			for _, err := range errs {
				problems = append(problems, ofTarget(z, err))
			}
			continue
		}
		prep.Plan.Zones = append(prep.Plan.Zones, zp)
		prep.Plan.Refusals = append(prep.Plan.Refusals, zp.Refusals...)
		prep.Plan.Warnings = append(prep.Plan.Warnings, zp.Warnings...)
		prep.Desired = append(prep.Desired, z)
		prep.Live = append(prep.Live, live)
		prep.Providers = append(prep.Providers, p)
	}
	prep.Unavailable = unavailable.list()
	if len(problems) > 0 {
		for _, u := range prep.Unavailable {
			problems = append(problems, u)
		}
		return nil, errors.Join(problems...)
	}
	prep.Plan.Summarize()
	return prep, nil
}

// ofTarget names the target in an error about one target of a zone served
// by several providers; the error of a zone with one provider is left as is.
func ofTarget(z *model.Zone, err error) error {
	if len(z.Targets) < 2 {
		return err
	}
	return fmt.Errorf("%s: %w", z.Target(), err)
}

// checkOperations asks the provider about every operation of a zone's plan.
func checkOperations(p providers.Provider, desired, live *model.Zone, zp *plan.ZonePlan) []error {
	if live == nil {
		live = &model.Zone{Name: desired.Name, Provider: desired.Provider, Mode: model.Master}
	}
	var errs []error
	for _, op := range zp.Operations {
		if err := providers.CheckOperation(p, live, op); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// readOptions are the parts of a zone's live state its spec can do without.
func readOptions(z *model.Zone) providers.ReadOptions {
	return providers.ReadOptions{SkipSOA: z.SOA == nil}
}

// selects reports whether the Zones patterns select a zone; no patterns select every zone.
func (opt Options) selects(zone string) bool {
	if len(opt.Zones) == 0 {
		return true
	}
	for _, p := range opt.Zones {
		if ok, _ := path.Match(p, zone); ok {
			return true
		}
	}
	return false
}

// selectZones keeps the zones the Zones patterns select, and names every
// pattern that selects none of them.
func (opt Options) selectZones(zones []*model.Zone) ([]*model.Zone, error) {
	var unmatched []string
	for _, p := range opt.Zones {
		if !slices.ContainsFunc(zones, func(z *model.Zone) bool { ok, _ := path.Match(p, z.Name); return ok }) {
			unmatched = append(unmatched, p)
		}
	}
	if len(unmatched) > 0 {
		names := make([]string, len(zones))
		for i, z := range zones {
			names[i] = z.Name
		}
		sort.Strings(names)
		names = slices.Compact(names)
		return nil, fmt.Errorf("no zone spec matches %s; the specs declare %s", strings.Join(unmatched, ", "), listSome(names, 5))
	}
	return slices.DeleteFunc(zones, func(z *model.Zone) bool { return !opt.selects(z.Name) }), nil
}

// listSome joins the first few names and counts the rest.
func listSome(names []string, n int) string {
	if len(names) == 0 {
		return "no zones"
	}
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
