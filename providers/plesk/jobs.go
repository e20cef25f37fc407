package plesk

import (
	"context"
	"fmt"
	"slices"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// This file turns plan operations into Plesk calls. An operation may need
// several calls, in phases: a later phase runs only when every call of the
// earlier ones succeeded, so a failure stops the operation where it is and
// the report can say exactly what landed.

// stepKind is what one call does.
type stepKind int

const (
	addRecord stepKind = iota
	deleteRecord
	setZone
	switchMode
	addMasterServer
	deleteMasterServer
)

// step is one operation element of a packet and its outcome.
type step struct {
	kind stepKind
	req  operation
	// name, rrtype and value are the record an add or delete is about.
	name, rrtype, value string
	// ip is the master server an add or delete is about.
	ip string
	// id is the record or master entry deleted, or the one an add created.
	id recordID
	// soa is what a set changes; mode what a switch switches to.
	soa  soaFields
	mode model.Mode

	done bool
	err  error
	// unsure is set while a try of the call went out without an answer
	// and nothing since showed whether it took effect.
	unsure bool
}

// record is the value an add or delete of a record is about.
func (s *step) record() recordKey { return recordKey{s.name, s.rrtype, s.value} }

// what describes the step's object for reports.
func (s *step) what() string {
	switch s.kind {
	case addRecord:
		if s.id != 0 {
			return fmt.Sprintf("%s (id %d)", s.value, s.id)
		}
		return s.value
	case deleteRecord:
		return fmt.Sprintf("%s (id %d)", s.value, s.id)
	case setZone:
		return describeSOA(s.soa)
	case switchMode:
		return "zone_type " + string(s.mode)
	case addMasterServer:
		if s.id != 0 {
			return fmt.Sprintf("master %s (id %d)", s.ip, s.id)
		}
		return "master " + s.ip
	default:
		return fmt.Sprintf("master %s (id %d)", s.ip, s.id)
	}
}

// doneText says what a step that landed did.
func (s *step) doneText() string {
	switch s.kind {
	case addRecord, addMasterServer:
		return "added " + s.what()
	case deleteRecord, deleteMasterServer:
		return "deleted " + s.what()
	case setZone:
		return "set " + s.what()
	default:
		return "switched to " + string(s.mode)
	}
}

func describeSOA(f soaFields) string {
	var out string
	for _, x := range []struct {
		k string
		v *uint32
	}{{"ttl", f.TTL}, {"refresh", f.Refresh}, {"retry", f.Retry}, {"expire", f.Expire}, {"minimum", f.Minimum}} {
		if x.v != nil {
			if out != "" {
				out += " "
			}
			out += fmt.Sprintf("%s %d", x.k, *x.v)
		}
	}
	return out
}

// phase is calls of one operation that may go out together.
type phase struct {
	steps []*step
	// build, when set, makes the steps when the phase starts, from state
	// read then (the master servers a zone has after a switch).
	build func(ctx context.Context) ([]*step, error)
	// desc names the phase's work in a report when it never started.
	desc  string
	built bool
	err   error
}

// job is the calls of one plan operation.
type job struct {
	op     *plan.Operation
	phases []*phase
	// err is set when the operation cannot be carried out at all.
	err error
}

// failed reports whether any call of the job failed.
func (j *job) failed() bool {
	if j.err != nil {
		return true
	}
	for _, ph := range j.phases {
		if ph.err != nil {
			return true
		}
		for _, s := range ph.steps {
			if s.err != nil {
				return true
			}
		}
	}
	return false
}

// build turns one operation into a job. A record set's values come from
// the plan's change (op.Change): Plesk has no modify call, so an update
// adds the values added and deletes the values removed; its one TTL per
// zone makes a record set's TTL change nothing to do here.
func (ex *executor) build(op *plan.Operation) *job {
	j := &job{op: op}
	if err := checkOperation(ex.zone, op); err != nil {
		j.err = err
		return j
	}
	var err error
	switch op.Action {
	case plan.Create:
		var adds []*step
		adds, err = ex.addSteps(op.Name, op.Type, op.Change().Added)
		j.phases = phases(adds)
	case plan.Delete:
		var dels []*step
		dels, err = ex.deleteSteps(op.Name, op.Type, op.Change().Removed)
		j.phases = phases(dels)
	case plan.Update:
		change := op.Change()
		var adds, dels []*step
		adds, err = ex.addSteps(op.Name, op.Type, change.Added)
		if err == nil {
			dels, err = ex.deleteSteps(op.Name, op.Type, change.Removed)
		}
		// Adding first keeps the name answering throughout; a CNAME
		// cannot have a second value beside it, so its old one goes first.
		if op.Type == "CNAME" {
			j.phases = phases(dels, adds)
		} else {
			j.phases = phases(adds, dels)
		}
	case plan.UpdateTTL:
		if op.After == nil || op.After.TTL == nil {
			err = fmt.Errorf("update_ttl without a TTL")
			break
		}
		ttl := *op.After.TTL
		j.phases = phases([]*step{ex.setStep(soaFields{TTL: &ttl})})
	case plan.UpdateSOA:
		var s *step
		s, err = ex.soaStep(op)
		if err == nil {
			j.phases = phases([]*step{s})
		}
	case plan.SwitchMode:
		if op.After == nil || (op.After.Mode != model.Master && op.After.Mode != model.Slave) {
			err = fmt.Errorf("switch_mode without a master or slave mode")
			break
		}
		sw := &step{kind: switchMode, mode: op.After.Mode,
			req: switchZone{Filter: siteFilter{SiteID: ex.site}, ZoneType: string(op.After.Mode)}}
		var want []string
		if op.After.Mode == model.Slave {
			want = op.After.Masters
		}
		// The masters a slave needs go in before the switch, so that a
		// failed add leaves a master zone that still serves, never a
		// slave with nothing to transfer from; the ones not wanted go
		// after it, so a slave switched back to master keeps its masters
		// until it no longer needs them.
		additions, removals := ex.masterPhases(want)
		j.phases = []*phase{additions, {steps: []*step{sw}, built: true}, removals}
	case plan.UpdateMasters:
		if op.After == nil {
			err = fmt.Errorf("update_masters without masters")
			break
		}
		additions, removals := ex.masterPhases(op.After.Masters)
		j.phases = []*phase{additions, removals}
	default:
		err = fmt.Errorf("unknown action %q", op.Action)
	}
	if err != nil {
		j.err = fmt.Errorf("plesk: %s %s in %s: %w", op.Action, subject(op), ex.zone, err)
	}
	return j
}

// phases keeps the non-empty step lists, in order.
func phases(lists ...[]*step) []*phase {
	var out []*phase
	for _, l := range lists {
		if len(l) > 0 {
			out = append(out, &phase{steps: l, built: true})
		}
	}
	return out
}

func (ex *executor) addSteps(name, rrtype string, values []string) ([]*step, error) {
	var out []*step
	for _, v := range values {
		w, err := toWire(name, rrtype, v)
		if err != nil {
			return nil, err
		}
		out = append(out, &step{kind: addRecord, name: name, rrtype: rrtype, value: v,
			req: addRec{SiteID: ex.site, Type: w.Type, Host: w.Host, Value: w.Value, Opt: w.Opt}})
	}
	return out, nil
}

// deleteSteps deletes every record holding one of values, by the ids in
// the index.
func (ex *executor) deleteSteps(name, rrtype string, values []string) ([]*step, error) {
	var out []*step
	for _, v := range values {
		ids := ex.p.index.ids(ex.zone, recordKey{name, rrtype, v})
		if len(ids) == 0 {
			return nil, fmt.Errorf("no record id is known for value %s (the zone's last read has none); plan again", v)
		}
		for _, id := range ids {
			out = append(out, &step{kind: deleteRecord, name: name, rrtype: rrtype, value: v, id: id,
				req: delRec{Filter: newIDFilter(id)}})
		}
	}
	return out, nil
}

func (ex *executor) setStep(f soaFields) *step {
	return &step{kind: setZone, soa: f, req: setSOA{Filter: siteFilter{SiteID: ex.site}, SOA: f}}
}

// soaStep sets the SOA timers an update_soa changes. Plesk's API has no
// SOA names: checkOperation refuses a change of primary_ns or admin_mail
// (and validation refuses them in a spec for this provider).
func (ex *executor) soaStep(op *plan.Operation) (*step, error) {
	if op.After == nil || op.After.SOA == nil {
		return nil, fmt.Errorf("update_soa without an SOA")
	}
	want := op.After.SOA
	var f soaFields
	for _, x := range []struct {
		dst **uint32
		v   uint32
	}{{&f.Refresh, want.Refresh}, {&f.Retry, want.Retry}, {&f.Expire, want.Expire}, {&f.Minimum, want.Minimum}} {
		if x.v != 0 {
			v := x.v
			*x.dst = &v
		}
	}
	if f.empty() {
		return nil, fmt.Errorf("update_soa without a refresh, retry, expire or minimum")
	}
	return ex.setStep(f), nil
}

// masterPhases brings the zone's master servers to want: additions first,
// removals after, so a slave zone never runs without a master. What to
// change is decided from a get_master_server read when the phase starts.
func (ex *executor) masterPhases(want []string) (additions, removals *phase) {
	removals = &phase{desc: "removing master servers not wanted", built: true}
	additions = &phase{desc: "reading and adding master servers"}
	additions.build = func(ctx context.Context) ([]*step, error) {
		current, err := ex.readMasters(ctx)
		if err != nil {
			return nil, err
		}
		var adds []*step
		have := map[string]bool{}
		for _, m := range current {
			have[m.ip] = true
			if !slices.Contains(want, m.ip) {
				removals.steps = append(removals.steps, &step{kind: deleteMasterServer, ip: m.ip, id: m.id,
					req: delMaster{Filter: newIDFilter(m.id)}})
			}
		}
		for _, ip := range want {
			if !have[ip] {
				adds = append(adds, &step{kind: addMasterServer, ip: ip, req: addMaster{SiteID: ex.site, IP: ip}})
			}
		}
		return adds, nil
	}
	return additions, removals
}

// subject names an operation's object in messages.
func subject(op *plan.Operation) string {
	if op.Name == "" {
		return "of the zone"
	}
	return op.Name + " " + op.Type
}

// CheckOperation refuses what Plesk cannot do: plan calls it while the
// plan is reviewed, Apply before it builds any packet.
func (p *Provider) CheckOperation(live *model.Zone, op *plan.Operation) error {
	return checkOperation(normalizeZone(live.Name), op)
}

func checkOperation(zone string, op *plan.Operation) error {
	var err error
	switch op.Action {
	case plan.CreateZone:
		err = fmt.Errorf("Plesk's DNS API cannot create zones: create the site %s in Plesk first", zone)
	case plan.CreateFailover, plan.UpdateFailover, plan.DeleteFailover:
		err = fmt.Errorf("Plesk has no failover")
	case plan.UpdateSOA:
		if op.After != nil && op.After.SOA != nil {
			var before model.SOA
			if op.Before != nil && op.Before.SOA != nil {
				before = *op.Before.SOA
			}
			if op.After.SOA.PrimaryNS != before.PrimaryNS || op.After.SOA.AdminMail != before.AdminMail {
				err = fmt.Errorf("Plesk's API cannot set the SOA's primary_ns or admin_mail")
			}
		}
	case plan.Create, plan.Update:
		if !slices.Contains(RecordTypes, op.Type) {
			err = fmt.Errorf("record type %s is not one Plesk's API takes", op.Type)
		}
	}
	if err != nil {
		return fmt.Errorf("plesk: %s %s in %s: %w", op.Action, subject(op), zone, err)
	}
	return nil
}
