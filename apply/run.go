package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// Status is how an operation ended.
type Status string

// Operation statuses.
const (
	OK     Status = "ok"
	Failed Status = "failed"
	// Unknown is an operation that was sent and may have taken effect,
	// but whose outcome could not be confirmed (its answer was lost, or the
	// apply was cancelled while it was in flight): a new plan tells.
	Unknown Status = "unknown"
	Skipped Status = "skipped"
)

// unknownText leads the message of an operation whose outcome is unknown.
const unknownText = "sent, outcome not confirmed — run plan"

// Result is the outcome of one operation.
type Result struct {
	Seq    int         `json:"seq"`
	Action plan.Action `json:"action"`
	Name   string      `json:"name,omitempty"`
	Type   string      `json:"type,omitempty"`
	Status Status      `json:"status"`
	// Error is the provider's message for a failed operation, or why a
	// skipped one did not run.
	Error      string  `json:"error,omitempty"`
	DurationMS float64 `json:"duration_ms"`
}

// ZoneReport is the outcome of one zone's operations.
type ZoneReport struct {
	Zone     string `json:"zone"`
	Provider string `json:"provider"`
	// Target is zone@provider for one of several providers of a zone, as
	// in the plan (plan.ZonePlan.Target); omitted otherwise.
	Target  string   `json:"target,omitempty"`
	Results []Result `json:"results"`
	// DS are the DS records of a zone this apply signed, to hand to the
	// registrar, from the provider's providers.DSReader.
	DS []string `json:"ds,omitempty"`
	// DSError says why the DS records of a zone this apply signed could
	// not be read.
	DSError string `json:"ds_error,omitempty"`
}

// Report is the outcome of an apply, as `apply --format json` prints it.
type Report struct {
	Zones      []*ZoneReport `json:"zones"`
	Summary    Counts        `json:"summary"`
	DurationMS float64       `json:"duration_ms"`
	// Interrupted is true when a signal stopped the apply early.
	Interrupted bool `json:"interrupted,omitempty"`
	// AlreadyApplied are the zones of a saved plan found already applied
	// (a re-run): nothing was done to them, and that is no failure.
	AlreadyApplied []string `json:"already_applied,omitempty"`
	// Refusals are the safety checks that stopped the apply: nothing was done.
	Refusals []string `json:"refusals,omitempty"`
	// Forced are the safety checks the apply went past, with --force or
	// because the saved plan was made with --force.
	Forced []string `json:"forced,omitempty"`
	// Errors are what stopped the apply, or the zones of a provider that
	// could not be used; each is a failure.
	Errors []plan.Problem `json:"errors,omitempty"`
	// TargetsDiffer are the targets (zone@provider) of zones served by
	// several providers whose apply did not complete: each now differs
	// from the spec and from the zone's targets that did (see targets.go).
	TargetsDiffer []string `json:"targets_differ,omitempty"`
}

// Counts tallies operations by status.
type Counts struct {
	OK     int `json:"ok"`
	Failed int `json:"failed"`
	// Unknown counts operations sent whose outcome was not confirmed.
	Unknown int `json:"unknown"`
	Skipped int `json:"skipped"`
}

// Failed reports whether any operation failed, was skipped, or ended with
// an outcome zonesync could not confirm.
func (r *Report) Failed() bool {
	return r.Summary.Failed > 0 || r.Summary.Unknown > 0 || r.Summary.Skipped > 0
}

// Counts tallies the zone's operations by status.
func (z *ZoneReport) Counts() Counts {
	var c Counts
	for _, r := range z.Results {
		switch r.Status {
		case OK:
			c.OK++
		case Failed:
			c.Failed++
		case Unknown:
			c.Unknown++
		default:
			c.Skipped++
		}
	}
	return c
}

// RunOptions control an apply.
type RunOptions struct {
	// Concurrency is how many zones are applied at once.
	Concurrency int
	// OnZone is called with each zone's report as soon as it and every zone
	// before it are done, so output is in plan order whatever the concurrency.
	OnZone func(*ZoneReport)
	// Stop, when closed, stops new operations from starting; operations
	// already running finish and the rest are reported skipped.
	Stop <-chan struct{}
}

// ErrRefused is returned when a plan fails its safety checks and is not forced.
var ErrRefused = errors.New("plan refused by safety checks")

// Run carries out a prepared plan: zones concurrently, each zone's
// operations in order, an operation skipped when one it depends on did not
// succeed. It never returns early: every operation gets a status.
func Run(ctx context.Context, prep *Prepared, opt RunOptions) *Report {
	start := time.Now()
	n := len(prep.Plan.Zones)
	rep := &Report{Zones: make([]*ZoneReport, n)}
	var (
		mu       sync.Mutex
		done     = make([]bool, n)
		next     int
		wg       sync.WaitGroup
		sem      = make(chan struct{}, max(opt.Concurrency, 1))
		stopping = opt.Stop
	)
	// The targets of a zone served by several providers are applied one
	// after the other, in the order of its providers; zones concurrently.
	for _, group := range targetGroups(prep.Plan.Zones) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for _, i := range group {
				zr := runZoneSafely(ctx, prep, i, stopping)
				mu.Lock()
				rep.Zones[i], done[i] = zr, true
				for next < n && done[next] {
					if opt.OnZone != nil {
						opt.OnZone(rep.Zones[next])
					}
					next++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep.TargetsDiffer = differingTargets(rep.Zones)
	for _, z := range rep.Zones {
		c := z.Counts()
		rep.Summary.OK += c.OK
		rep.Summary.Failed += c.Failed
		rep.Summary.Unknown += c.Unknown
		rep.Summary.Skipped += c.Skipped
	}
	rep.Interrupted = stopped(opt.Stop)
	rep.DurationMS = ms(time.Since(start))
	return rep
}

// Zone applies one zone's plan with p, as Run applies each zone of a
// prepared plan, and returns the zone's report. desired and live are the
// zones the plan was made from (live nil: the zone did not exist). Right
// before the first change it takes p's lock on the zone, if p has one,
// reads the zone again and refuses, with providers.ErrZoneChanged, a plan
// whose live digest no longer matches; a plan without a live digest, or
// a nil desired, is applied to live as it is. Operations run in order,
// in batches where p's capabilities say Batch, and one whose dependency
// did not succeed is skipped. Closing stop (nil: never) stops new
// operations from starting. Every operation gets a status.
func Zone(ctx context.Context, p providers.Provider, desired, live *model.Zone, zp *plan.ZonePlan, stop <-chan struct{}) *ZoneReport {
	prep := &Prepared{
		Plan:    &plan.Plan{FormatVersion: plan.FormatVersion, Zones: []*plan.ZonePlan{zp}},
		Desired: []*model.Zone{desired}, Live: []*model.Zone{live}, Providers: []providers.Provider{p},
	}
	return runZoneSafely(ctx, prep, 0, stop)
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// runZoneSafely is runZone, with a panic in a provider turned into failed
// operations instead of a crash that would leave the apply unreported.
func runZoneSafely(ctx context.Context, prep *Prepared, i int, stop <-chan struct{}) (zr *ZoneReport) {
	defer func() {
		if r := recover(); r != nil {
			zp := prep.Plan.Zones[i]
			zr = &ZoneReport{Zone: zp.Zone, Provider: zp.Provider, Target: zp.Target}
			for _, op := range zp.Operations {
				zr.Results = append(zr.Results, Result{Seq: op.Seq, Action: op.Action, Name: op.Name, Type: op.Type,
					Status: Failed, Error: fmt.Sprintf("internal error in provider %s: %v (the zone may be partly changed: run plan)", zp.Provider, r)})
			}
		}
	}()
	return runZone(ctx, prep, i, stop)
}

// runZone applies one zone's operations in order. Right before the first
// change it claims the zone (see claim); a zone that changed since the
// plan was made from it is not touched.
func runZone(ctx context.Context, prep *Prepared, i int, stop <-chan struct{}) *ZoneReport {
	zp := prep.Plan.Zones[i]
	p := prep.Providers[i]
	live := prep.Live[i]
	ops := zp.Operations
	zr := &ZoneReport{Zone: zp.Zone, Provider: zp.Provider, Target: zp.Target, Results: make([]Result, len(ops))}
	deps := plan.Dependencies(ops)
	batch, txn := p.Capabilities().Batch, p.Capabilities().Transaction
	for k, op := range ops {
		zr.Results[k] = Result{Seq: op.Seq, Action: op.Action, Name: op.Name, Type: op.Type}
	}
	// blocked returns why operation k cannot run, or "": a dependency
	// before from that did not succeed (those from on are in the call
	// being put together, and have not run yet).
	blocked := func(k, from int) string {
		for _, d := range deps[k] {
			if d >= from {
				continue
			}
			what := fmt.Sprintf("operation %d (%s %s)", ops[d].Seq, ops[d].Action, describe(ops[d]))
			switch zr.Results[d].Status {
			case OK:
			case Unknown:
				return "not run: it depends on " + what + ", whose outcome is unknown"
			default:
				return fmt.Sprintf("not run: it depends on %s, which %s", what, zr.Results[d].Status)
			}
		}
		return ""
	}
	claimed := false
	// halted says why a target of a zone served by several providers
	// stopped at its first failure (see targets.go).
	halted := ""
	for k := 0; k < len(ops); {
		if stopped(stop) {
			for ; k < len(ops); k++ {
				zr.Results[k].Status, zr.Results[k].Error = Skipped, "not run: apply was interrupted"
			}
			break
		}
		if halted != "" {
			for ; k < len(ops); k++ {
				zr.Results[k].Status, zr.Results[k].Error = Skipped, halted
			}
			break
		}
		if why := blocked(k, k); why != "" {
			zr.Results[k].Status, zr.Results[k].Error = Skipped, why
			halted = haltedBy(zp, ops[k], Skipped)
			k++
			continue
		}
		if !claimed {
			claimed = true
			var desired *model.Zone
			if i < len(prep.Desired) {
				desired = prep.Desired[i]
			}
			release, now, err := claim(ctx, zp, desired, p, live)
			if err != nil {
				for ; k < len(ops); k++ {
					zr.Results[k].Status, zr.Results[k].Error = Failed, err.Error()
				}
				break
			}
			defer release()
			// The provider gets the zone as read now, the same zone for
			// every call, read-only; the one the plan was made from stays
			// as it was.
			live = now
			if live == nil {
				live = &model.Zone{Name: zp.Zone, Provider: zp.Provider, Mode: model.Master}
			}
		}
		// A batch is a run of operations that do not depend on each other;
		// for a provider whose calls are transactions, one whose
		// operations depend on each other only at record level.
		end := k + 1
		for batch && end < len(ops) && blocked(end, k) == "" && !dependsWithin(ops, deps[end], k, txn) {
			end++
		}
		start := time.Now()
		errs := p.Apply(ctx, live, ops[k:end])
		elapsed := ms(time.Since(start)) / float64(end-k)
		for j := k; j < end; j++ {
			r := &zr.Results[j]
			r.DurationMS = elapsed
			var err error
			if j-k < len(errs) {
				err = errs[j-k]
			} else {
				err = errors.New("provider reported no result for this operation")
			}
			switch {
			case err == nil:
				r.Status = OK
			case errors.Is(err, providers.ErrOutcomeUnknown):
				r.Status, r.Error = Unknown, unknownText+": "+err.Error()
			default:
				r.Status, r.Error = Failed, err.Error()
			}
			if halted == "" {
				halted = haltedBy(zp, ops[j], r.Status)
			}
		}
		k = end
	}
	reportDS(ctx, p, zr)
	return zr
}

// reportDS puts in the report the DS records of a zone the apply signed,
// for the registrar.
func reportDS(ctx context.Context, p providers.Provider, zr *ZoneReport) {
	r, ok := p.(providers.DSReader)
	if !ok || !slices.ContainsFunc(zr.Results, func(res Result) bool { return res.Action == plan.EnableDNSSEC && res.Status == OK }) {
		return
	}
	ds, err := r.DS(ctx, zr.Zone)
	if err != nil {
		zr.DSError = err.Error()
		return
	}
	zr.DS = ds
}

// claim readies a zone for its first change: it takes the provider's lock
// on the zone, where the provider has one (zone files), then reads the
// zone again and refuses it, with providers.ErrZoneChanged, when it no
// longer is what the plan was made from. With the lock, no other zonesync
// process can change the zone until release; without one, the zone can
// still change between this read and the provider's writes (see README).
// It returns the zone as read now (nil when it does not exist), or live
// itself for a plan without a live digest to compare with.
func claim(ctx context.Context, zp *plan.ZonePlan, desired *model.Zone, p providers.Provider, live *model.Zone) (release func(), now *model.Zone, err error) {
	release = func() {}
	if l, ok := p.(providers.ZoneLocker); ok {
		unlock, err := l.LockZone(ctx, zp.Zone)
		if err != nil {
			return nil, nil, fmt.Errorf("not run: %w", err)
		}
		release = unlock
	}
	// A plan built by hand (tests) carries no digest to compare with.
	if desired == nil || zp.LiveDigest == "" {
		return release, live, nil
	}
	now, err = p.ReadZone(ctx, zp.Zone, readOptions(desired))
	if errors.Is(err, providers.ErrZoneNotFound) {
		now, err = nil, nil
	}
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("not run: reading zone %s from provider %s again before changing it: %w", zp.Zone, zp.Provider, err)
	}
	if plan.LiveDigest(desired, now, p.Capabilities()) != zp.LiveDigest {
		release()
		return nil, nil, fmt.Errorf("not run: zone %s at provider %s: %w", zp.Zone, zp.Provider, providers.ErrZoneChanged)
	}
	return release, now, nil
}

// dependsWithin reports whether any dependency is at index from or later,
// that is, inside the batch being built.
// dependsWithin reports whether an operation with deps depends on one
// of ops from index from on, which must then have run in an earlier call.
// Within a transaction (txn) only a dependency on a create_zone or
// switch_mode counts: the rest are carried out in order in the one call.
func dependsWithin(ops []*plan.Operation, deps []int, from int, txn bool) bool {
	for _, d := range deps {
		if d >= from && (!txn || ops[d].Action == plan.CreateZone || ops[d].Action == plan.SwitchMode) {
			return true
		}
	}
	return false
}

func describe(op *plan.Operation) string {
	if op.Name == "" {
		return "of the zone"
	}
	return op.Name + " " + op.Type
}
