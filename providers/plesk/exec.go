package plesk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
)

// maxOpsPerPacket bounds one packet. Plesk documents no limit; a packet
// runs on the server as one PHP request, so a huge one risks its time
// limit. The figure is a guess.
const maxOpsPerPacket = 100

// executor carries out the operations of one Apply call on one zone. It
// reads and writes the record ids of the provider's index, never the live
// zone Apply was given.
type executor struct {
	p    *Provider
	zone string
	site siteID
}

// Apply carries out operations of one zone. Independent operations share
// packets; each operation's calls run in phases (see jobs.go) and its
// status comes from its own result elements. live is only read, for its
// name: record ids come from the index.
func (p *Provider) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	errs := make([]error, len(ops))
	zone := normalizeZone(live.Name)
	// What Plesk cannot do fails before any call, as the plan said it would.
	refused := 0
	for i, op := range ops {
		if errs[i] = checkOperation(zone, op); errs[i] != nil {
			refused++
		}
	}
	if refused == len(ops) {
		return errs
	}
	site, err := p.siteFor(ctx, zone)
	if err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	ex := &executor{p: p, zone: zone, site: site}
	jobs := make([]*job, len(ops))
	for i, op := range ops {
		jobs[i] = ex.build(op)
	}
	ex.run(ctx, jobs)
	for i, j := range jobs {
		errs[i] = ex.report(j)
		if hasCode(errs[i], codeOwnerNotFound) {
			p.index.forget(zone) // the site is gone: look it up afresh next time
		}
	}
	return errs
}

// run sends the jobs' phases: the k-th phase of every job still going
// shares packets with the others'.
func (ex *executor) run(ctx context.Context, jobs []*job) {
	for k := 0; ; k++ {
		var batch []*step
		more := false
		for _, j := range jobs {
			if j.failed() || k >= len(j.phases) {
				continue
			}
			more = true
			ph := j.phases[k]
			if !ph.built {
				steps, err := ph.build(ctx)
				ph.built = true
				if err != nil {
					ph.err = err
					continue
				}
				ph.steps = append(ph.steps, steps...)
			}
			batch = append(batch, ph.steps...)
		}
		if !more {
			return
		}
		for start := 0; start < len(batch); start += maxOpsPerPacket {
			ex.send(ctx, batch[start:min(start+maxOpsPerPacket, len(batch))])
		}
	}
}

// send posts steps as one packet through the one late-commit protocol,
// httpx.Client.Change. Each try posts the steps still pending and settles
// each from its own result element. A try that went out without an answer
// may have run, so before the next one, and once more before giving up,
// landed reads the zone and settles every step found to have taken effect:
// a retry never adds a record twice, and never reports a lost one. A step
// Plesk refused on a try after such an unanswered one may be the repeat of
// a call that did land (late), so the try then fails and Change's last
// check settles it. A step whose try went out unanswered and that no read
// settled ends with its outcome unknown (providers.ErrOutcomeUnknown).
func (ex *executor) send(ctx context.Context, steps []*step) {
	pending := slices.Clone(steps) // the steps whose outcome is still open
	sentBefore := false            // a try went out that may have taken effect
	try := func(ctx context.Context) error {
		req := request{operator: "dns"}
		for _, s := range pending {
			req.ops = append(req.ops, s.req)
		}
		answers, err := ex.p.c.post(ctx, req)
		for i, a := range answers {
			ex.settle(pending[i], a.results)
		}
		if err != nil && len(answers) > 0 {
			// Plesk answered, but not for every call: what it did not
			// answer for may have run, and is not sent again. A read
			// settles it now.
			unanswered := pending[len(answers):]
			for _, s := range unanswered {
				s.err, s.unsure = err, true
			}
			if cerr := ex.reconcile(ctx, unanswered); cerr != nil {
				providers.Logf(ctx, "plesk: %s: could not check what the calls Plesk did not answer for did: %v", ex.zone, cerr)
			} else {
				for _, s := range unanswered {
					s.unsure = s.unsure && !s.checkable()
				}
			}
			err = nil
		}
		if err != nil {
			if httpx.Sent(err) {
				sentBefore = true
				for _, s := range pending {
					s.unsure = true
				}
			}
			return err
		}
		// Every call has its outcome now, but for a refusal that may be
		// the repeat of an earlier try that did land: Change's last check
		// settles those.
		var refused error
		pending = slices.DeleteFunc(pending, func(s *step) bool {
			if s.done || !sentBefore || !s.checkable() {
				return true
			}
			s.unsure = true
			refused = cmp.Or(refused, s.err)
			return false
		})
		return refused
	}
	landed := func(ctx context.Context) (bool, error) {
		if err := ex.reconcile(ctx, pending); err != nil {
			return false, err
		}
		pending = slices.DeleteFunc(pending, func(s *step) bool { return s.done })
		return len(pending) == 0, nil
	}
	err := ex.p.c.http.Change(ctx, "plesk: "+ex.zone+": dns packet", try, landed)
	// Unless Change says the outcome is unknown, its last check read the
	// zone after the last try that went out: what it did not find landed
	// did not land.
	checked := !errors.Is(err, providers.ErrOutcomeUnknown)
	for _, s := range pending {
		if s.done {
			continue
		}
		if s.err == nil {
			s.err = err
		}
		if checked && s.checkable() {
			s.unsure = false
		}
	}
	for _, s := range steps {
		switch {
		case s.done:
		case s.unsure:
			s.err = providers.OutcomeUnknown(s.err)
		default:
			s.err = providers.Confirmed(s.err)
		}
	}
}

// checkable reports whether a read of the zone shows whether the step took
// effect. A set or switch needs no check: sending it again changes nothing
// more, so its answer tells what came of every try.
func (s *step) checkable() bool { return s.kind != setZone && s.kind != switchMode }

// settle records a step's outcome from its result elements.
func (ex *executor) settle(s *step, results []result) {
	if len(results) == 0 {
		s.err = errors.New("Plesk's answer holds no result for this call")
		return
	}
	r := results[0]
	if !s.checkable() {
		s.unsure = false
	}
	if err := r.err(); err != nil {
		s.err = err
		return
	}
	if s.kind == addRecord || s.kind == addMasterServer {
		id, err := parseID(r.ID)
		if err != nil {
			s.err = fmt.Errorf("the call succeeded but its %w", err)
			return
		}
		s.id = id
	}
	ex.landed(s)
}

// landed marks a step done and keeps the index's record ids current.
func (ex *executor) landed(s *step) {
	s.done, s.err, s.unsure = true, nil, false
	switch s.kind {
	case addRecord:
		ex.p.index.add(ex.zone, s.record(), s.id)
	case deleteRecord:
		ex.p.index.remove(ex.zone, s.record(), s.id)
	}
}

// reconcile reads the zone and marks the steps that landed. Only the
// record and master steps are checked (see checkable).
func (ex *executor) reconcile(ctx context.Context, steps []*step) error {
	var records, masters bool
	for _, s := range steps {
		switch s.kind {
		case addRecord, deleteRecord:
			records = true
		case addMasterServer, deleteMasterServer:
			masters = true
		}
	}
	f := siteFilter{SiteID: ex.site}
	req := request{operator: "dns"}
	if records {
		req.ops = append(req.ops, getRec{Filter: f})
	}
	if masters {
		req.ops = append(req.ops, getMasters{Filter: f})
	}
	if len(req.ops) == 0 {
		return nil
	}
	answers, err := ex.p.c.post(ctx, req)
	if err != nil {
		return fmt.Errorf("checking what the interrupted packet did: %w", err)
	}
	var now recordIDs
	var current []master
	for i, op := range req.ops {
		switch op.(type) {
		case getRec:
			now, err = readRecords(ex.zone, answers[i].results)
		case getMasters:
			current, err = readMasters(answers[i].results)
		}
		if err != nil {
			return fmt.Errorf("checking what the interrupted packet did: %s: %w", op.call(), err)
		}
	}
	for _, s := range steps {
		if s.done {
			continue
		}
		switch s.kind {
		case addRecord:
			// The record the add created is the one with an id the index
			// did not know: ids are never reused.
			known := ex.p.index.ids(ex.zone, s.record())
			for _, id := range now[s.record()] {
				if !slices.Contains(known, id) {
					s.id = id
					ex.landed(s)
					break
				}
			}
		case deleteRecord:
			if !now.holds(s.id) {
				ex.landed(s)
			}
		case addMasterServer:
			for _, m := range current {
				if m.ip == s.ip {
					s.id = m.id
					ex.landed(s)
					break
				}
			}
		case deleteMasterServer:
			if !slices.ContainsFunc(current, func(m master) bool { return m.id == s.id }) {
				ex.landed(s)
			}
		}
	}
	return nil
}

// readMasters reads the zone's master-server entries.
func (ex *executor) readMasters(ctx context.Context) ([]master, error) {
	answers, err := ex.p.c.read(ctx, request{operator: "dns", ops: []operation{getMasters{Filter: siteFilter{SiteID: ex.site}}}})
	if err != nil {
		return nil, fmt.Errorf("get_master_server: %w", err)
	}
	m, err := readMasters(answers[0].results)
	if err != nil {
		return nil, fmt.Errorf("get_master_server: %w", err)
	}
	return m, nil
}

// report is a job's status: nil, or an error quoting every failed call
// with Plesk's code and text and saying what did land.
func (ex *executor) report(j *job) error {
	if j.err != nil {
		return j.err
	}
	if !j.failed() {
		return nil
	}
	var all []*step
	for _, ph := range j.phases {
		all = append(all, ph.steps...)
	}
	if len(j.phases) == 1 && len(all) == 1 {
		s := all[0]
		what := subject(j.op)
		if j.op.Name == "" {
			what = s.what()
		}
		return fmt.Errorf("plesk: %s %s in %s: %w", s.req.call(), what, ex.zone, s.err)
	}
	var parts []string
	// first is the first failure; the operation's outcome is unknown only
	// when none of its calls failed for sure and every one was sent.
	var first, firstUnsure error
	complete := true
	for _, ph := range j.phases {
		switch {
		case ph.err != nil:
			parts = append(parts, fmt.Sprintf("%s failed: %v", ph.desc, ph.err))
			first = cmp.Or(first, ph.err)
		case !ph.built:
			parts = append(parts, "not attempted: "+ph.desc)
			complete = false
		}
		for _, s := range ph.steps {
			switch {
			case s.done:
				parts = append(parts, s.doneText())
			case s.err != nil && errors.Is(s.err, providers.ErrOutcomeUnknown):
				parts = append(parts, fmt.Sprintf("%s %s sent, not confirmed: %v", s.req.call(), s.what(), s.err))
				firstUnsure = cmp.Or(firstUnsure, s.err)
			case s.err != nil:
				parts = append(parts, fmt.Sprintf("%s %s failed: %v", s.req.call(), s.what(), s.err))
				first = cmp.Or(first, s.err)
			default:
				parts = append(parts, fmt.Sprintf("not attempted: %s %s", s.req.call(), s.what()))
				complete = false
			}
		}
	}
	if first == nil && !complete {
		first = providers.Confirmed(firstUnsure)
	}
	return &jobError{msg: fmt.Sprintf("plesk: %s %s in %s: %s", j.op.Action, subject(j.op), ex.zone, strings.Join(parts, "; ")), err: cmp.Or(first, firstUnsure)}
}

// jobError is a report of several calls; it unwraps to the first failure
// so that callers can still test for context cancellation and the like.
type jobError struct {
	msg string
	err error
}

func (e *jobError) Error() string { return e.msg }
func (e *jobError) Unwrap() error { return e.err }
