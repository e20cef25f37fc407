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

	"github.com/zonesync/zonesync/changes"
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
	// Changes, when set, limits the plan to the zones a git change touched
	// (plan --changed-since): those whose spec or a file it was built from
	// changed, or whose provider's entry in the config did. Nothing is read
	// for the others, and the plan records its scope (plan.Scope).
	Changes *changes.Set
	// Retain says which zones Prepared keeps beside the plan.
	Retain Retain

	// only, when set, limits the plan to exactly these zones: a saved
	// plan's scope (PrepareSaved).
	only map[string]bool
}

// Retain is which of the zones a plan was made from Prepared keeps. Each
// zone's desired and live state are dropped as soon as its operations are
// computed, unless kept: what is kept decides how memory grows with the
// estate.
type Retain int

const (
	// RetainAll keeps every zone's desired and live state.
	RetainAll Retain = iota
	// RetainForApply keeps the desired state of the zones with
	// operations and of every target of a zone served by several
	// providers, which Run needs to check the live zone it reads again
	// right before the first change (see claim); live states are dropped,
	// since Run never applies to the one the plan was made from. Memory
	// follows the zones to change.
	RetainForApply
	// RetainNone keeps no zone, for a plan that is only shown or saved:
	// memory follows the plan's size and the concurrency.
	RetainNone
)

// Prepared is a plan together with the zones it was made from.
type Prepared struct {
	Plan *plan.Plan
	// Desired and Live are indexed like Plan.Zones; Live[i] is nil when the
	// zone does not exist at its provider yet, and is the whole live zone,
	// ignored records included, but for an SOA the spec leaves alone, which
	// a provider may leave out (providers.ReadOptions). Run never changes
	// them: it reads each zone again right before its first change and
	// gives the provider that zone. Either is also nil where
	// Options.Retain did not keep it.
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
	// OtherTargets are, for a saved plan, the desired zones of the
	// targets of zones served by several providers that it does not
	// apply: already applied, or left out of a plan scoped to a change
	// of one provider's entry. Verify checks such a zone for what all its
	// targets serve alike, these included.
	OtherTargets []*model.Zone
	// leftOut are the zones a plan scoped to a change left out, by name
	// (see scopeLeftOut).
	leftOut map[string]bool
}

// liveRead is one live zone being read.
type liveRead struct {
	key [2]string
	// slot, under reader.mu, is whether it holds a place in reader.window.
	slot bool
	zone *model.Zone
	err  error
}

// reader reads live zones concurrently, each at most once, and hands them
// over as they finish.
//
// A read holds a place in the window from before it starts until the
// zone it read is consumed (release), so that no more than the window's
// size of live zones wait in memory to be planned, however fast the
// provider answers and however slowly the specs parse. Reads are consumed
// in the order they finish, so a full window always holds a read that
// can be consumed.
type reader struct {
	ctx    context.Context
	set    *providers.Set
	sem    chan struct{}
	window chan struct{}
	// finished receives every read that ends while still wanted; it has
	// room for the whole window, so sending never waits.
	finished chan *liveRead
	mu       sync.Mutex
	reads    map[[2]string]*liveRead
	// checks are the providers' access checks, by provider name.
	checks map[string]*accessCheck
	// early are the reads begun before their specs were parsed (prefetch),
	// each taken by the read of its zone that can use it.
	early map[[2]string]*earlyRead

	total, started, finishedCount int
	progress                      func(done, total int)
	// progressMu keeps the progress calls in the order of their counts.
	progressMu sync.Mutex
}

// readDone counts a finished read and tells the progress function, one
// call at a time, so that the counts it sees never go back.
func (r *reader) readDone() {
	r.progressMu.Lock()
	defer r.progressMu.Unlock()
	r.mu.Lock()
	r.finishedCount++
	done, total := r.finishedCount, r.total
	r.mu.Unlock()
	if r.progress != nil {
		r.progress(done, total)
	}
}

// windowPerRead is how many live zones may wait to be planned for each
// read that may run at once: room enough that reads never wait for the
// plan while it keeps up.
const windowPerRead = 2

func newReader(ctx context.Context, set *providers.Set, concurrency int, progress func(int, int)) *reader {
	concurrency = max(concurrency, 1)
	window := windowPerRead * concurrency
	return &reader{ctx: ctx, set: set, sem: make(chan struct{}, concurrency), window: make(chan struct{}, window),
		finished: make(chan *liveRead, window), reads: map[[2]string]*liveRead{}, checks: map[string]*accessCheck{}, early: map[[2]string]*earlyRead{}, progress: progress}
}

// expect tells the progress function of n more zones to read than it
// has been told of.
func (r *reader) expect(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total += n
}

// start begins reading a zone unless it is already being read.
func (r *reader) start(zone, provider string, opt providers.ReadOptions) {
	key := [2]string{zone, provider}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.reads[key]; ok {
		return
	}
	ctx := r.ctx
	lr := &liveRead{key: key}
	// The total may be told beforehand (expect); a read it did not
	// foresee grows it.
	r.started++
	r.total = max(r.total, r.started)
	r.reads[key] = lr
	p, ok := r.set.Get(provider)
	var ac *accessCheck
	if ok {
		ac = r.check(provider, p, zone)
	}
	go func() {
		select {
		case r.window <- struct{}{}:
		case <-ctx.Done():
			return
		}
		r.mu.Lock()
		lr.slot = true
		r.mu.Unlock()
		start := time.Now()
		switch {
		case !ok:
			lr.err = fmt.Errorf("unknown provider %q", provider)
		default:
			// A provider that cannot be used at all is not read: one
			// failed check stands for all its zones.
			if lr.err = ac.wait(ctx, provider); lr.err != nil {
				break
			}
			if e := r.takeEarly(key, opt); e != nil {
				select {
				case <-e.done:
					lr.zone, lr.err = e.zone, e.err
				case <-ctx.Done():
					lr.err = ctx.Err()
				}
				break
			}
			select {
			case r.sem <- struct{}{}:
			case <-ctx.Done():
				lr.err = ctx.Err()
				r.finish(lr)
				return
			}
			start = time.Now()
			lr.zone, lr.err = readSafely(ctx, p, zone, opt)
			<-r.sem
		}
		if lr.err == nil {
			providers.Logf(ctx, "read zone %s from provider %s: %d record sets (%s)", zone, provider, len(lr.zone.Records), time.Since(start).Round(time.Millisecond))
		}
		r.readDone()
		r.finish(lr)
	}()
}

// earlyRead is a live read begun from a cheap look at a spec, before the
// spec is parsed (Peek, PeekSOA).
type earlyRead struct {
	key  [2]string
	opt  providers.ReadOptions
	done chan struct{}
	zone *model.Zone
	err  error
}

// prefetch begins an early read. It takes a place among the concurrent
// reads but none in the window: there are at most as many early reads as
// reads at once, so the live zones they hold stay few, and one no parsed
// spec asks for is dropped with the reader.
func (r *reader) prefetch(e earlyRead) {
	p, ok := r.set.Get(e.key[1])
	if !ok {
		return
	}
	e.done = make(chan struct{})
	r.mu.Lock()
	ac := r.check(e.key[1], p, e.key[0])
	r.early[e.key] = &e
	r.mu.Unlock()
	go func() {
		defer close(e.done)
		if e.err = ac.wait(r.ctx, e.key[1]); e.err != nil {
			return
		}
		select {
		case r.sem <- struct{}{}:
		case <-r.ctx.Done():
			e.err = r.ctx.Err()
			return
		}
		defer func() { <-r.sem }()
		e.zone, e.err = readSafely(r.ctx, p, e.key[0], e.opt)
	}()
}

// takeEarly hands over the early read of a zone when it reads what opt
// asks for: a read that left out the SOA does not do for a spec that
// manages it (the cheap look can miss an unusual soa key), which is then
// read again.
func (r *reader) takeEarly(key [2]string, opt providers.ReadOptions) *earlyRead {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.early[key]
	if e == nil {
		return nil
	}
	delete(r.early, key)
	if e.opt.SkipSOA && !opt.SkipSOA {
		return nil
	}
	return e
}

// finish hands a read that ended over to the consumer. It never waits:
// finished has room for every read that holds a place in the window.
func (r *reader) finish(lr *liveRead) {
	r.finished <- lr
}

// freeSlot gives a read's place in the window back. r.mu is held.
func (r *reader) freeSlot(lr *liveRead) {
	if lr.slot {
		lr.slot = false
		lr.zone = nil
		<-r.window
	}
}

// next returns the next read to finish.
func (r *reader) next() (*liveRead, error) {
	select {
	case lr := <-r.finished:
		return lr, nil
	case <-r.ctx.Done():
		return nil, r.ctx.Err()
	}
}

// release gives a consumed read's place in the window back, and forgets
// the read and the zone it read: a plan of many zones keeps nothing of
// the reads it is done with.
func (r *reader) release(lr *liveRead) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.freeSlot(lr)
	delete(r.reads, lr.key)
}

// result is a read's zone; nil without error when it does not exist.
func (lr *liveRead) result() (*model.Zone, error) {
	zone, provider := lr.key[0], lr.key[1]
	if errors.Is(lr.err, providers.ErrZoneNotFound) {
		return nil, nil
	}
	if lr.err != nil {
		return nil, fmt.Errorf("read live zone %s from provider %s: %w", zone, provider, lr.err)
	}
	return lr.zone, nil
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

// LoadSpecs loads and validates every zone spec against the config's providers.
func LoadSpecs(cfg *config.Config, set *providers.Set) ([]*model.Zone, error) {
	return spec.LoadZones(cfg, set.Capabilities)
}

// planned is what planning one zone gave.
type planned struct {
	zone          string
	target        int // the index of the zone's provider in its Targets
	zp            *plan.ZonePlan
	desired, live *model.Zone
	provider      providers.Provider
	problems      []error
	denied        *accessError
}

// Prepare loads the specs, reads every zone's live state and diffs them
// into a plan, with the safety checks' refusals.
//
// Specs are parsed a few at a time (spec.Walk), each zone's live read
// starts as soon as its spec is parsed, and each zone is planned as soon
// as its live state arrives, then dropped unless opt.Retain keeps it; no
// more zones wait for their reads than the reader's window holds, so that
// memory follows the concurrency and the size of the plan, not the
// estate. A plan scoped to a change (opt.Changes) keeps the zones in
// scope while the specs are parsed, and reads them once all are: a zone
// can come into scope through a template it includes, which only its
// parsed spec names, and each provider must hear of every zone of the
// run before the first read.
func Prepare(ctx context.Context, cfg *config.Config, set *providers.Set, opt Options) (*Prepared, error) {
	concurrency := opt.Concurrency
	if concurrency <= 0 {
		concurrency = cfg.Concurrency
	}
	// Cancelling on return stops the reads of a plan that fails.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rd := newReader(ctx, set, concurrency, opt.Progress)
	pl := &planner{cfg: cfg, set: set, rd: rd, retain: opt.Retain, pending: map[[2]string]*model.Zone{}, window: cap(rd.window)}
	prep := &Prepared{Plan: &plan.Plan{FormatVersion: plan.FormatVersion, Shard: opt.Shard.String()}}
	var runs map[string]*providers.ReadRun
	if opt.Changes == nil {
		var early []earlyRead
		runs, early = opt.expectedRuns(cfg, set, concurrency)
		for _, run := range runs {
			rd.expect(len(run.Zones))
		}
		for _, e := range early {
			rd.prefetch(e)
		}
	}
	// declared are the zones every spec declares, before --zone and
	// --shard; inScope, for a plan scoped to a change, the zones it reads.
	var declared []string
	var inScope []*model.Zone
	var readErr error
	err := spec.Walk(cfg, set.Capabilities, func(zones []*model.Zone) {
		for _, z := range zones {
			declared = append(declared, z.Name)
			if !opt.selects(z.Name) || !opt.Shard.Contains(z.Name) || opt.only != nil && !opt.only[z.Name] {
				continue
			}
			if opt.Changes != nil {
				if opt.Changes.In(z) {
					inScope = append(inScope, z)
				} else {
					prep.scopeLeftOut(z)
				}
				continue
			}
			if readErr == nil {
				ro := readOptions(z)
				ro.Run = runs[z.Provider]
				readErr = pl.start(z, ro)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if readErr != nil {
		return nil, readErr
	}
	if err := opt.matchedAll(declared); err != nil {
		return nil, err
	}
	if opt.Changes != nil {
		prep.Plan.Scope = opt.scope(inScope, prep.Plan.Scope, prep.leftOut, declared)
		runs = runsOf(inScope)
		rd.expect(len(inScope))
		for _, z := range inScope {
			ro := readOptions(z)
			ro.Run = runs[z.Provider]
			if err := pl.start(z, ro); err != nil {
				return nil, err
			}
		}
		inScope = nil
	}
	if err := pl.finish(); err != nil {
		return nil, err
	}
	// The plan lists zones by name, whatever order their reads ended in,
	// and the targets of a zone in the order of its providers.
	results := pl.results
	sort.Slice(results, func(i, j int) bool {
		if results[i].zone != results[j].zone {
			return results[i].zone < results[j].zone
		}
		return results[i].target < results[j].target
	})
	var problems []error
	unavailable := unavailableSet{}
	for i := range results {
		r := &results[i]
		switch {
		case r.denied != nil:
			unavailable.add(r.denied.provider, r.denied.err, r.zone)
			continue
		case len(r.problems) > 0:
			problems = append(problems, r.problems...)
			continue
		}
		prep.Plan.Zones = append(prep.Plan.Zones, r.zp)
		prep.Plan.Refusals = append(prep.Plan.Refusals, r.zp.Refusals...)
		prep.Plan.Warnings = append(prep.Plan.Warnings, r.zp.Warnings...)
		prep.Desired = append(prep.Desired, r.desired)
		prep.Live = append(prep.Live, r.live)
		prep.Providers = append(prep.Providers, r.provider)
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

// planner plans zones as their live reads end, holding no more zones
// waiting for their reads than the reader's window.
type planner struct {
	cfg     *config.Config
	set     *providers.Set
	rd      *reader
	retain  Retain
	window  int
	pending map[[2]string]*model.Zone
	results []planned
}

// start reads a zone's live state, once the zones waiting leave room.
func (pl *planner) start(z *model.Zone, ro providers.ReadOptions) error {
	for len(pl.pending) >= pl.window {
		if err := pl.planNext(); err != nil {
			return err
		}
	}
	pl.pending[[2]string{z.Name, z.Provider}] = z
	pl.rd.start(z.Name, z.Provider, ro)
	return nil
}

// planNext plans the next zone whose read ended, and drops it.
func (pl *planner) planNext() error {
	lr, err := pl.rd.next()
	if err != nil {
		return err
	}
	z := pl.pending[lr.key]
	delete(pl.pending, lr.key)
	pl.results = append(pl.results, planZone(pl.cfg, pl.set, z, lr, pl.retain))
	pl.rd.release(lr)
	return nil
}

// finish plans every zone still waiting for its read.
func (pl *planner) finish() error {
	for len(pl.pending) > 0 {
		if err := pl.planNext(); err != nil {
			return err
		}
	}
	return nil
}

// planZone plans one zone from its read, and keeps what retain says.
func planZone(cfg *config.Config, set *providers.Set, z *model.Zone, lr *liveRead, retain Retain) planned {
	r := planned{zone: z.Name, target: max(slices.Index(z.Targets, z.Provider), 0)}
	live, err := lr.result()
	if errors.As(err, &r.denied) {
		return r
	}
	if err != nil {
		r.problems = []error{err}
		return r
	}
	p, _ := set.Get(z.Provider)
	zp, err := plan.Zone(z, live, p.Capabilities(), &cfg.Safety)
	if err != nil {
		r.problems = []error{ofTarget(z, err)}
		return r
	}
	// What the provider would refuse at apply is refused now, in its words.
	if errs := checkOperations(p, z, live, zp); len(errs) > 0 {
		for _, err := range errs {
			r.problems = append(r.problems, ofTarget(z, err))
		}
		return r
	}
	r.zp, r.provider = zp, p
	switch {
	case retain == RetainAll:
		r.desired, r.live = z, live
	case retain == RetainForApply && (len(zp.Operations) > 0 || len(z.Targets) > 1):
		// A zone served by several providers is verified as one, from
		// every target's desired state (see verifytargets.go).
		r.desired = z
	}
	return r
}

// expectedRuns are the zones each provider is expected to read, from a
// cheap look at each spec's zone, provider and aliases (spec.Peek,
// spec.PeekAliases), so that each provider hears of
// every zone of the run before the first read, while the specs are still
// being parsed. It is a guess the parsed specs may prove wrong, which
// costs a provider at most calls it could have saved.
//
// It also returns the first few zones in the order of the spec files,
// up to early, with the read options the cheap look suggests: reading
// them while their specs are still being parsed lets a big spec's parse
// and its live zone's read overlap.
func (opt Options) expectedRuns(cfg *config.Config, set *providers.Set, early int) (map[string]*providers.ReadRun, []earlyRead) {
	expected := map[string][]string{}
	files, err := spec.SpecFiles(cfg.ZonesDir)
	if err != nil {
		return nil, nil
	}
	var first []earlyRead
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		zone, provider := spec.Peek(data)
		if zone == "" || provider == "" {
			continue
		}
		if _, ok := set.Get(provider); !ok {
			continue
		}
		// An alias is read from its spec's provider, like the spec's zone.
		for i, name := range append([]string{zone}, spec.PeekAliases(data)...) {
			if opt.selects(name) && opt.Shard.Contains(name) && (opt.only == nil || opt.only[name]) {
				expected[provider] = append(expected[provider], name)
				if i == 0 && len(first) < early {
					first = append(first, earlyRead{key: [2]string{name, provider}, opt: providers.ReadOptions{SkipSOA: !spec.PeekSOA(data)}})
				}
			}
		}
	}
	runs := make(map[string]*providers.ReadRun, len(expected))
	for name, zones := range expected {
		sort.Strings(zones)
		runs[name] = &providers.ReadRun{Zones: slices.Compact(zones)}
	}
	for i := range first {
		first[i].opt.Run = runs[first[i].key[1]]
	}
	return runs, first
}

// runsOf is the run of each provider for reading zones.
func runsOf(zones []*model.Zone) map[string]*providers.ReadRun {
	byProvider := map[string][]string{}
	for _, z := range zones {
		byProvider[z.Provider] = append(byProvider[z.Provider], z.Name)
	}
	runs := make(map[string]*providers.ReadRun, len(byProvider))
	for name, names := range byProvider {
		sort.Strings(names)
		runs[name] = &providers.ReadRun{Zones: slices.Compact(names)}
	}
	return runs
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

// matchedAll names every Zones pattern that selects none of the zones
// the specs declare.
func (opt Options) matchedAll(declared []string) error {
	var unmatched []string
	for _, p := range opt.Zones {
		if !slices.ContainsFunc(declared, func(name string) bool { ok, _ := path.Match(p, name); return ok }) {
			unmatched = append(unmatched, p)
		}
	}
	if len(unmatched) > 0 {
		names := slices.Clone(declared)
		sort.Strings(names)
		names = slices.Compact(names)
		return fmt.Errorf("no zone spec matches %s; the specs declare %s", strings.Join(unmatched, ", "), listSome(names, 5))
	}
	return nil
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
