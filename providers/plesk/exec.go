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

// executor carries out the operations of one Apply call on one zone.
type executor struct {
	p    *Provider
	zone string
	site siteID
	live *model.Zone
	// known are the record ids the zone held before or that this executor
	// added: after a lost answer, a record matching an add_rec that is not
	// among them is the one that add created.
	known map[recordID]bool
}

// Apply carries out operations of one zone. Independent operations share
// packets; each operation's calls run in phases (see jobs.go) and its
// status comes from its own result elements.
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
	ex := &executor{p: p, zone: zone, site: site, live: live, known: knownRecordIDs(live)}
	jobs := make([]*job, len(ops))
	for i, op := range ops {
		jobs[i] = ex.build(op)
	}
	ex.run(ctx, jobs)
	for i, j := range jobs {
		errs[i] = ex.report(j)
		if hasCode(errs[i], codeOwnerNotFound) {
			p.forget(zone) // the site is gone: look it up afresh next time
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

// send posts steps as one packet. A transient failure may hide an answer
// Plesk never delivered, so before each retry the zone is read and every
// call found to have landed is taken as done: a retry never adds a record
// twice, and never reports a lost one. A call that went out without an
// answer, and that no later read showed to have landed or not, ends with
// its outcome unknown (providers.ErrOutcomeUnknown).
func (ex *executor) send(ctx context.Context, steps []*step) {
	pending := slices.Clone(steps)
	retry, tries := false, 0
	err := ex.p.c.http.Retry(ctx, func() error {
		tries++
		if retry {
			if err := ex.reconcile(ctx, pending); err != nil {
				return err
			}
			pending = slices.DeleteFunc(pending, func(s *step) bool { return s.done })
			if len(pending) == 0 {
				return nil
			}
		}
		retry = true
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
			// answer for cannot be known, and must not be sent again.
			for _, s := range pending[len(answers):] {
				s.err, s.unsure = err, true
			}
			return nil
		}
		if httpx.Sent(err) {
			for _, s := range pending {
				s.unsure = true
			}
		}
		return err
	})
	if err != nil {
		for _, s := range pending {
			if !s.done && s.err == nil {
				s.err = err
			}
		}
	}
	if (tries > 1 || slices.ContainsFunc(steps, func(s *step) bool { return s.unsure && !s.done })) && ctx.Err() == nil {
		ex.lateLanded(ctx, steps)
	}
	for _, s := range steps {
		if !s.done && s.err != nil && s.unsure {
			s.err = providers.OutcomeUnknown(s.err)
		}
	}
}

// lateLanded clears the failure of steps that landed after all. A try
// that reached Plesk may have been carried out only after the check
// before the next try; the repeat is then refused ("Inserted data already
// exists"), yet the zone holds what the step wanted. A step the read
// shows not to have landed is no longer unsure.
func (ex *executor) lateLanded(ctx context.Context, steps []*step) {
	var failed []*step
	for _, s := range steps {
		if !s.done && s.err != nil && s.kind != setZone && s.kind != switchMode {
			failed = append(failed, s)
		}
	}
	if len(failed) == 0 {
		return
	}
	if err := ex.reconcile(ctx, failed); err != nil {
		providers.Logf(ctx, "plesk: %s: could not check whether failed calls landed late: %v", ex.zone, err)
		return
	}
	for _, s := range failed {
		s.unsure = false
	}
}

// settle records a step's outcome from its result elements.
func (ex *executor) settle(s *step, results []result) {
	if len(results) == 0 {
		s.err = errors.New("Plesk's answer holds no result for this call")
		return
	}
	r := results[0]
	if s.kind == setZone || s.kind == switchMode {
		// Sending it again sets the same state: this answer tells what
		// came of every try.
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

// landed marks a step done and keeps the live zone current.
func (ex *executor) landed(s *step) {
	s.done, s.err = true, nil
	z := ex.live
	switch s.kind {
	case addRecord:
		ex.known[s.id] = true
		addRecordID(z, s.name, s.rrtype, s.value, s.id)
	case deleteRecord:
		removeRecordID(z, s.name, s.rrtype, s.value, s.id)
	case setZone:
		if s.soa.TTL != nil {
			z.TTL = *s.soa.TTL
			for _, rs := range z.Records {
				rs.TTL = z.TTL
			}
		}
		if s.soa.Refresh != nil || s.soa.Retry != nil || s.soa.Expire != nil || s.soa.Minimum != nil {
			soa := model.SOA{}
			if z.SOA != nil {
				soa = *z.SOA
			}
			for _, x := range []struct {
				dst *uint32
				v   *uint32
			}{{&soa.Refresh, s.soa.Refresh}, {&soa.Retry, s.soa.Retry}, {&soa.Expire, s.soa.Expire}, {&soa.Minimum, s.soa.Minimum}} {
				if x.v != nil {
					*x.dst = *x.v
				}
			}
			z.SOA = &soa
		}
	case switchMode:
		z.Mode = s.mode
	case addMasterServer:
		z.Masters = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(z.Masters), s.ip))))
	case deleteMasterServer:
		z.Masters = slices.DeleteFunc(slices.Clone(z.Masters), func(ip string) bool { return ip == s.ip })
	}
}

// reconcile reads the zone and marks the pending steps that landed. A set
// or switch needs no check: sending it again changes nothing more.
func (ex *executor) reconcile(ctx context.Context, pending []*step) error {
	var records, masters bool
	for _, s := range pending {
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
	now := &model.Zone{Name: ex.zone}
	var current []master
	for i, op := range req.ops {
		switch op.(type) {
		case getRec:
			err = readRecords(now, answers[i].results)
		case getMasters:
			current, err = readMasters(answers[i].results)
		}
		if err != nil {
			return fmt.Errorf("checking what the interrupted packet did: %s: %w", op.call(), err)
		}
	}
	present := knownRecordIDs(now)
	for _, s := range pending {
		switch s.kind {
		case addRecord:
			for _, id := range recordIDs(now.Find(s.name, s.rrtype), s.value) {
				if !ex.known[id] {
					s.id = id
					ex.landed(s)
					break
				}
			}
		case deleteRecord:
			if !present[s.id] {
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
