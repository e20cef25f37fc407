package apply

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/spec"
)

// Status is how an operation ended.
type Status string

// Operation statuses.
const (
	OK      Status = "ok"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

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
	Zone     string   `json:"zone"`
	Provider string   `json:"provider"`
	Results  []Result `json:"results"`
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
}

// Counts tallies operations by status.
type Counts struct {
	OK      int `json:"ok"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// Failed reports whether any operation failed or was skipped.
func (r *Report) Failed() bool { return r.Summary.Failed > 0 || r.Summary.Skipped > 0 }

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
	for i := range prep.Plan.Zones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			zr := runZoneSafely(ctx, prep, i, stopping)
			<-sem
			mu.Lock()
			defer mu.Unlock()
			rep.Zones[i], done[i] = zr, true
			for next < n && done[next] {
				if opt.OnZone != nil {
					opt.OnZone(rep.Zones[next])
				}
				next++
			}
		}()
	}
	wg.Wait()
	for _, z := range rep.Zones {
		for _, r := range z.Results {
			switch r.Status {
			case OK:
				rep.Summary.OK++
			case Failed:
				rep.Summary.Failed++
			default:
				rep.Summary.Skipped++
			}
		}
	}
	rep.Interrupted = stopped(opt.Stop)
	rep.DurationMS = ms(time.Since(start))
	return rep
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
			zr = &ZoneReport{Zone: zp.Zone, Provider: zp.Provider}
			for _, op := range zp.Operations {
				zr.Results = append(zr.Results, Result{Seq: op.Seq, Action: op.Action, Name: op.Name, Type: op.Type,
					Status: Failed, Error: fmt.Sprintf("internal error in provider %s: %v (the zone may be partly changed: run plan)", zp.Provider, r)})
			}
		}
	}()
	return runZone(ctx, prep, i, stop)
}

// runZone applies one zone's operations in order.
func runZone(ctx context.Context, prep *Prepared, i int, stop <-chan struct{}) *ZoneReport {
	zp := prep.Plan.Zones[i]
	p := prep.Providers[i]
	live := prep.Live[i]
	if live == nil {
		live = &spec.Zone{Name: zp.Zone, Provider: zp.Provider, Mode: spec.Master}
	}
	ops := zp.Operations
	zr := &ZoneReport{Zone: zp.Zone, Provider: zp.Provider, Results: make([]Result, len(ops))}
	deps := plan.Dependencies(ops)
	batch := p.Capabilities().Batch
	for k, op := range ops {
		zr.Results[k] = Result{Seq: op.Seq, Action: op.Action, Name: op.Name, Type: op.Type}
	}
	// blocked returns why operation k cannot run, or "".
	blocked := func(k int) string {
		for _, d := range deps[k] {
			if zr.Results[d].Status != OK {
				return fmt.Sprintf("not run: it depends on operation %d (%s %s), which %s", ops[d].Seq, ops[d].Action, describe(ops[d]), zr.Results[d].Status)
			}
		}
		return ""
	}
	for k := 0; k < len(ops); {
		if stopped(stop) {
			for ; k < len(ops); k++ {
				zr.Results[k].Status, zr.Results[k].Error = Skipped, "not run: apply was interrupted"
			}
			break
		}
		if why := blocked(k); why != "" {
			zr.Results[k].Status, zr.Results[k].Error = Skipped, why
			k++
			continue
		}
		// A batch is a run of operations that do not depend on each other.
		end := k + 1
		for batch && end < len(ops) && blocked(end) == "" && !dependsWithin(deps[end], k) {
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
			if err != nil {
				r.Status, r.Error = Failed, err.Error()
			} else {
				r.Status = OK
			}
		}
		k = end
	}
	return zr
}

// dependsWithin reports whether any dependency is at index from or later,
// that is, inside the batch being built.
func dependsWithin(deps []int, from int) bool {
	for _, d := range deps {
		if d >= from {
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
