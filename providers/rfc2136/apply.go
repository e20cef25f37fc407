package rfc2136

import (
	"context"
	"fmt"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// tsigRoom is what the TSIG record can add to a message: two names of at
// most 255 bytes, a SHA-512 MAC and the fixed fields.
const tsigRoom = 2*255 + 64 + 32

// Apply carries out operations of one zone. Record operations go out in
// as few UPDATE messages as fit, each operation with its prerequisites;
// an SOA change goes in a message of its own. A message is atomic on the
// server: when its prerequisites fail nothing of it is done, and the
// operations are retried in halves until the ones whose prerequisites
// still hold are done and each failing one is found. live is read-only:
// the serial each landed message leaves and the server's spellings go in
// the provider's index (see index).
func (p *Provider) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	if live == nil {
		errs := make([]error, len(ops))
		for i := range errs {
			errs[i] = fmt.Errorf("rfc2136: apply at %s: no zone given", p.cfg.server)
		}
		return errs
	}
	u := &updater{p: p, zone: canonicalZone(live.Name), live: live, errs: make([]error, len(ops))}
	if err := u.claim(ctx); err != nil {
		for i := range u.errs {
			u.errs[i] = err
		}
		return u.errs
	}
	var pending []int
	flush := func() {
		u.records(ctx, ops, pending)
		pending = nil
	}
	for i, op := range ops {
		if err := p.CheckOperation(live, op); err != nil {
			u.errs[i] = err
			continue
		}
		switch op.Action {
		case plan.Create, plan.Update, plan.Delete:
			pending = append(pending, i)
			continue
		}
		flush()
		u.errs[i] = u.soa(ctx, op)
	}
	flush()
	return u.errs
}

// CheckOperation refuses what RFC 2136 cannot do: UPDATE changes the
// records and the SOA of a zone the server has, nothing else. Plan calls
// it while the plan is reviewed, Apply before it sends anything.
func (p *Provider) CheckOperation(live *model.Zone, op *plan.Operation) error {
	switch op.Action {
	case plan.Create, plan.Update, plan.Delete, plan.UpdateSOA:
		return nil
	}
	detail := fmt.Sprintf("%s is not supported by RFC 2136 servers", op.Action)
	if op.Action == plan.CreateZone {
		detail += ": the server does not serve the zone, and UPDATE cannot create one; add the zone to the server's configuration first"
	}
	u := &updater{p: p, zone: canonicalZone(live.Name)}
	return u.fail(op, -1, detail, nil)
}

// updater is one Apply call in progress.
type updater struct {
	p    *Provider
	zone string
	// live is the zone as apply read it: read-only.
	live *model.Zone
	errs []error
	// down is set when a message got no answer; later messages are not
	// sent, so that a dead server costs one timeout, not one per message.
	down error
	// rights caches mayUpdate's answer.
	rights *bool
	// place maps a change to its operation's place in errs.
	place map[*change]int
	// base is the zone's SOA exactly as the server holds it when nothing
	// but this apply changed the zone since it was read; every UPDATE
	// requires it, so that none lands on a zone someone else changed. It
	// is nil for a live zone read without its SOA: then only the
	// prerequisites of each change guard it.
	base *dns.SOA
	// moved is set once the zone changed under this apply (or its SOA
	// could not be read after a change); later messages are not sent.
	moved error
}

// claim reads the zone's SOA from the server and checks that its serial
// is still the one the live zone was read with, or the one this
// provider's own last change to it left (the index keeps it): a change
// made since then by anyone else makes every operation fail before
// anything is sent.
func (u *updater) claim(ctx context.Context) error {
	if u.live.SOA == nil {
		return nil
	}
	cur, err := u.p.querySOA(ctx, u.p.cfg.server, u.zone, u.p.cfg.key)
	if err != nil {
		return err
	}
	read := u.live.SOA.Serial
	if want := u.p.idx.serial(u.zone, read); cur.Serial != want {
		was := fmt.Sprintf("it was %d when the zone was read", read)
		if want != read {
			was = fmt.Sprintf("it was %d after zonesync's last change to the zone", want)
		}
		return u.changed(-1, fmt.Sprintf("its SOA serial is %d at %s, %s", cur.Serial, u.p.cfg.server, was))
	}
	u.base = cur
	return nil
}

// movedTo records the serial a change of this apply left the zone at, for
// the next Apply call of the zone.
func (u *updater) movedTo(serial uint32) {
	u.p.idx.move(u.zone, u.live.SOA.Serial, serial)
}

// changed is the refusal of an operation because the zone changed.
func (u *updater) changed(rcode int, why string) error {
	return &Error{Op: "update", Zone: u.zone, Server: u.p.cfg.server, Rcode: rcode,
		Detail: "the zone changed on the server since it was read (" + why + "): make a new plan", Err: providers.ErrZoneChanged}
}

// guard adds the base SOA as the first prerequisite of m: the message
// then changes nothing unless the zone is exactly as this apply left it
// (RFC 2136 §2.4.2, an RRset that exists with exactly these data).
func (u *updater) guard(m *dns.Msg) {
	if u.base == nil {
		return
	}
	pre := dns.Copy(u.base)
	pre.Header().Ttl = 0
	m.Answer = append([]dns.RR{pre}, m.Answer...)
}

// rebase reads the SOA after a change of this apply landed, as the base
// of the next message. A change someone else makes between the two goes
// unseen by the serial; the prerequisites of each change remain.
func (u *updater) rebase(ctx context.Context) {
	if u.base == nil {
		return
	}
	cur, err := u.p.querySOA(ctx, u.p.cfg.server, u.zone, u.p.cfg.key)
	if err != nil {
		u.base, u.moved = nil, fmt.Errorf("not sent: the zone's SOA could not be read after the last change, so a change by someone else could not be told from this apply's: %w", err)
		return
	}
	u.base = cur
	u.movedTo(cur.Serial)
}

// movedSince reports, after a message was refused, whether the reason is
// that the zone changed: the base SOA is no longer the server's.
func (u *updater) movedSince(ctx context.Context) bool {
	if u.base == nil {
		return false
	}
	cur, err := u.p.querySOA(ctx, u.p.cfg.server, u.zone, u.p.cfg.key)
	switch {
	case err != nil:
		u.moved = fmt.Errorf("not sent: an UPDATE was refused and the zone's SOA could not be read to tell why: %w", err)
	case !sameRR(cur, u.base):
		u.moved = u.changed(-1, fmt.Sprintf("its SOA serial is %d, it was %d", cur.Serial, u.base.Serial))
	}
	return u.moved != nil
}

// sameRR compares two SOA records' data, names case-insensitively.
func sameRR(a, b *dns.SOA) bool {
	x, y := *a, *b
	x.Hdr, y.Hdr = dns.RR_Header{}, dns.RR_Header{}
	x.Ns, y.Ns = dns.CanonicalName(x.Ns), dns.CanonicalName(y.Ns)
	x.Mbox, y.Mbox = dns.CanonicalName(x.Mbox), dns.CanonicalName(y.Mbox)
	return x == y
}

// fail is an operation's error.
func (u *updater) fail(op *plan.Operation, rcode int, detail string, cause error) error {
	e := &Error{Op: "update", Zone: u.zone, Server: u.p.cfg.server, Rcode: rcode, Detail: detail, Err: cause}
	if op.Name != "" {
		e.Subject = op.Name + " " + op.Type
	} else if op.Action == plan.UpdateSOA {
		e.Subject = "SOA"
	}
	return e
}

// records applies record operations, ops[i] for i in idx.
func (u *updater) records(ctx context.Context, ops []*plan.Operation, idx []int) {
	if len(idx) == 0 {
		return
	}
	u.place = map[*change]int{}
	var changes []*change
	for _, i := range idx {
		c, err := newChange(u.zone, u.p.idx.spelling(u.zone, ops[i].Name, ops[i].Type), ops[i])
		if err != nil {
			u.errs[i] = u.fail(ops[i], -1, "cannot build the UPDATE: "+err.Error(), nil)
			continue
		}
		u.place[c] = i
		changes = append(changes, c)
	}
	for _, chunk := range chunks(changes) {
		u.send(ctx, chunk)
	}
}

// send sends one UPDATE carrying changes and records each one's outcome.
func (u *updater) send(ctx context.Context, changes []*change) {
	setAll := func(rcode int, detail string, cause error) {
		for _, c := range changes {
			u.errs[u.place[c]] = u.fail(c.op, rcode, detail, cause)
		}
	}
	if u.down != nil {
		setAll(-1, "not sent: an earlier UPDATE to the server failed: "+u.down.Error(), u.down)
		return
	}
	if u.moved != nil {
		for _, c := range changes {
			u.errs[u.place[c]] = u.moved
		}
		return
	}
	m := updateMsg(u.zone, changes)
	u.guard(m)
	if size := m.Len(); size+tsigRoom > maxMessage {
		setAll(-1, fmt.Sprintf("the change needs %d bytes, more than one UPDATE message holds (%d); split the record set", size, maxMessage-tsigRoom), nil)
		return
	}
	if u.p.sent != nil {
		u.p.sent(m)
	}
	r, err := exchange(ctx, u.p.cfg.key, u.p.cfg.server, u.p.cfg.timeout, m)
	if err != nil {
		detail, cause := err.Error(), error(err)
		if te, ok := err.(*transportError); ok && te.sent {
			detail += "; the change may or may not have been made, run plan to see"
			cause = providers.OutcomeUnknown(err)
		}
		u.down = err
		setAll(-1, detail, cause)
		return
	}
	rcode := r.msg.Rcode
	if why := answerProblem(u.p.cfg.key, r); why != "" {
		var cause error
		if r.sig != sigRejected {
			why += "; the change may have been made, run plan to see"
			cause = providers.ErrOutcomeUnknown
		}
		setAll(rcode, why, cause)
		return
	}
	switch {
	case rcode == dns.RcodeSuccess:
		u.rebase(ctx)
		u.verify(ctx, changes)
		for _, c := range changes {
			if u.errs[u.place[c]] == nil {
				u.p.idx.forget(u.zone, c.op.Name, c.op.Type, c.rewrites, c.removed)
			}
		}
	case rcode == dns.RcodeNXRrset && u.movedSince(ctx):
		for _, c := range changes {
			u.errs[u.place[c]] = u.moved
		}
	case (rcode == dns.RcodeRefused || rcode == dns.RcodeServerFailure) && !u.mayUpdate(ctx):
		setAll(rcode, explain("update", u.p.cfg.key, u.zone, rcode), nil)
	case rcode == dns.RcodeRefused, rcode == dns.RcodeServerFailure, perChange[rcode]:
		// The message was refused as a whole for one of its changes:
		// find which by halves, so that the others are still made.
		if len(changes) > 1 {
			half := len(changes) / 2
			u.send(ctx, changes[:half])
			u.send(ctx, changes[half:])
			return
		}
		c := changes[0]
		u.errs[u.place[c]] = u.fail(c.op, rcode, u.prereqProblem(c.op, rcode), nil)
	default:
		setAll(rcode, explainAnswer("update", u.p.cfg.key, u.zone, r), nil)
	}
}

// verify checks that the server holds every change it said it made, and
// fails the ones it does not hold. When the check itself cannot be made,
// the server's NOERROR stands.
func (u *updater) verify(ctx context.Context, changes []*change) {
	r, err := exchange(ctx, u.p.cfg.key, u.p.cfg.server, u.p.cfg.timeout, checkMsg(u.zone, changes))
	if err != nil || r.sig != sigValid || !perChange[r.msg.Rcode] {
		return
	}
	if len(changes) > 1 {
		half := len(changes) / 2
		u.verify(ctx, changes[:half])
		u.verify(ctx, changes[half:])
		return
	}
	c := changes[0]
	detail := fmt.Sprintf("the server answered NOERROR but does not hold %s %s as planned: it dropped the change, or someone changed the record right after", c.op.Name, c.op.Type)
	if c.op.Type == "DS" && c.op.Action != plan.Delete {
		detail = fmt.Sprintf("the server answered NOERROR but dropped %s DS: DS records belong at a delegation, a name with NS records (RFC 4035 §2.4)", c.op.Name)
	}
	u.errs[u.place[c]] = u.fail(c.op, r.msg.Rcode, detail, nil)
}

// perChange are the rcodes by which a server refuses a whole message for
// what one of its changes holds, so that the culprit can be found by
// sending the changes in halves.
var perChange = map[int]bool{
	dns.RcodeYXDomain: true, dns.RcodeYXRrset: true, dns.RcodeNameError: true, dns.RcodeNXRrset: true,
	dns.RcodeFormatError: true, dns.RcodeNotZone: true,
}

// mayUpdate tells a REFUSED or SERVFAIL about the zone (no update rights,
// a zone the server cannot change) from one about what a message holds
// (BIND's check-names and check-integrity, a narrow update-policy, more
// records in a set than max-records-per-type): an UPDATE that changes
// nothing fails only for the former. It is asked once per Apply.
func (u *updater) mayUpdate(ctx context.Context) bool {
	if u.rights == nil {
		m := new(dns.Msg)
		m.SetUpdate(dns.Fqdn(u.zone))
		r, err := exchange(ctx, u.p.cfg.key, u.p.cfg.server, u.p.cfg.timeout, m)
		ok := err == nil && r.sig == sigValid && r.msg.Rcode == dns.RcodeSuccess
		u.rights = &ok
	}
	return *u.rights
}

// prereqProblem says why one operation's UPDATE was refused.
func (u *updater) prereqProblem(op *plan.Operation, rcode int) string {
	const since = "the zone changed on the server since the plan was made"
	switch {
	case rcode == dns.RcodeYXRrset && op.Action == plan.Create:
		return fmt.Sprintf("%s %s already exists on the server, or a CNAME does at %s: %s", op.Name, op.Type, op.Name, since)
	case rcode == dns.RcodeYXDomain && op.Action == plan.Create:
		return fmt.Sprintf("%s already holds records on the server, so the CNAME cannot be added: %s", op.Name, since)
	case rcode == dns.RcodeRefused:
		return fmt.Sprintf("the server refused %s %s while the key may update the zone: a check of the server rejects the record "+
			"(BIND: check-names for host names, check-integrity for MX and SRV targets in the zone without an address, "+
			"max-records-per-type) or the zone's update-policy does not cover it; the server's log says which", op.Name, op.Type)
	case rcode == dns.RcodeServerFailure:
		return fmt.Sprintf("the server failed on %s %s while it accepts other updates to the zone: BIND does so for a record set "+
			"larger than its max-records-per-type (default 100); the server's log says why", op.Name, op.Type)
	case rcode == dns.RcodeNXRrset:
		return fmt.Sprintf("%s %s changed on the server since the plan was made: it no longer holds the values the plan saw", op.Name, op.Type)
	}
	if why := explain("update", u.p.cfg.key, u.zone, rcode); why != "" {
		return why
	}
	return "a prerequisite failed: " + since
}

// canonicalZone is a zone name in the model's form: lower case, no trailing dot.
func canonicalZone(zone string) string {
	return model.NormalizeZone(zone)
}
