package rfc2136

import (
	"cmp"
	"context"
	"fmt"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// soaAttempts is how often an SOA change is tried, when the apply has no
// base SOA to hold the zone to (see updater.base), while other changes
// to the zone keep moving its serial between reading and updating it.
const soaAttempts = 3

// soa sets the SOA fields the plan changes. The serial is the server's:
// BIND ignores, with NOERROR, an SOA update whose serial does not grow,
// so the new SOA carries the current serial plus one, and the exact
// current SOA is the prerequisite, which makes the change a
// compare-and-swap against every other change to the zone. The current
// SOA is the apply's base when it has one: a zone changed since it was
// read is then refused, not tried again.
func (u *updater) soa(ctx context.Context, op *plan.Operation) error {
	if op.After == nil || op.After.SOA == nil {
		return u.fail(op, -1, "the plan's update_soa has no SOA after it", nil)
	}
	if u.down != nil {
		return u.fail(op, -1, "not sent: an earlier UPDATE to the server failed: "+u.down.Error(), u.down)
	}
	if u.moved != nil {
		return u.moved
	}
	server := u.p.cfg.server
	for attempt := 1; ; attempt++ {
		cur := u.base
		if cur == nil {
			var err error
			if cur, err = u.p.querySOA(ctx, server, u.zone, u.p.cfg.key); err != nil {
				return err
			}
		}
		if b := op.Before; b != nil && b.SOA != nil && !sameSOA(cur, b.SOA) {
			return u.fail(op, -1, "the SOA changed on the server since the plan was made: it no longer holds the fields the plan saw", nil)
		}
		want := op.After.SOA.Merge(soaModel(cur))
		next := &dns.SOA{
			Hdr:     dns.RR_Header{Name: cur.Hdr.Name, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: cur.Hdr.Ttl},
			Ns:      dns.Fqdn(want.PrimaryNS),
			Mbox:    model.MailToMbox(want.AdminMail),
			Serial:  nextSerial(cur.Serial),
			Refresh: want.Refresh, Retry: want.Retry, Expire: want.Expire, Minttl: want.Minimum,
		}
		prereq := dns.Copy(cur)
		prereq.Header().Ttl = 0
		m := new(dns.Msg)
		m.SetUpdate(dns.Fqdn(u.zone))
		m.Answer = []dns.RR{prereq}
		m.Ns = []dns.RR{next}
		r, err := exchange(ctx, u.p.cfg.key, server, u.p.cfg.timeout, m)
		if err != nil {
			detail, cause := err.Error(), error(err)
			if te, ok := err.(*transportError); ok && te.sent {
				detail += "; the change may or may not have been made, run plan to see"
				cause = providers.OutcomeUnknown(err)
			}
			u.down = err
			return u.fail(op, -1, detail, cause)
		}
		if why := answerProblem(u.p.cfg.key, r); why != "" {
			var cause error
			if r.sig != sigRejected {
				cause = providers.ErrOutcomeUnknown
			}
			return u.fail(op, r.msg.Rcode, why, cause)
		}
		switch r.msg.Rcode {
		case dns.RcodeSuccess:
			return u.checkSOA(ctx, op, want, cur.Serial)
		case dns.RcodeNXRrset:
			if u.base != nil {
				u.movedSince(ctx)
				return cmp.Or(u.moved, u.changed(r.msg.Rcode, "its SOA is no longer the one read"))
			}
			if attempt < soaAttempts {
				continue // the serial moved: another change landed meanwhile
			}
			return u.fail(op, r.msg.Rcode, fmt.Sprintf("the zone changed on the server during each of %d attempts to update its SOA", soaAttempts), nil)
		default:
			return u.fail(op, r.msg.Rcode, explainAnswer("update", u.p.cfg.key, u.zone, r), nil)
		}
	}
}

// checkSOA reads the SOA back: a server may answer NOERROR to an SOA
// change it ignored, and the spec's fields must really be live.
func (u *updater) checkSOA(ctx context.Context, op *plan.Operation, want *model.SOA, oldSerial uint32) error {
	got, err := u.p.querySOA(ctx, u.p.cfg.server, u.zone, u.p.cfg.key)
	if err != nil {
		if u.base != nil {
			u.base, u.moved = nil, fmt.Errorf("not sent: the zone's SOA could not be read after the last change, so a change by someone else could not be told from this apply's: %w", err)
		}
		// The server said it made the change; it could not be seen.
		return providers.OutcomeUnknown(err)
	}
	if !sameSOA(got, want) || got.Serial == oldSerial {
		return u.fail(op, dns.RcodeSuccess, fmt.Sprintf("the server accepted the SOA change but holds %s %s %d %d %d %d (serial %d, was %d)",
			got.Ns, got.Mbox, got.Refresh, got.Retry, got.Expire, got.Minttl, got.Serial, oldSerial), nil)
	}
	if u.base != nil {
		u.base = got
		u.movedTo(got.Serial)
	}
	return nil
}

// nextSerial is the serial after s in RFC 1982 arithmetic, skipping 0,
// which some secondaries treat as unset.
func nextSerial(s uint32) uint32 {
	if s+1 == 0 {
		return 1
	}
	return s + 1
}

// soaModel is an SOA record in the model's form.
func soaModel(s *dns.SOA) *model.SOA {
	return &model.SOA{
		PrimaryNS: dns.CanonicalName(s.Ns), AdminMail: model.MboxToMail(s.Mbox), Serial: s.Serial,
		Refresh: s.Refresh, Retry: s.Retry, Expire: s.Expire, Minimum: s.Minttl,
	}
}

// sameSOA compares an SOA record with the model's fields, serial aside.
func sameSOA(rr *dns.SOA, s *model.SOA) bool {
	got := *soaModel(rr)
	want := *s
	got.Serial, want.Serial = 0, 0
	want.PrimaryNS = dns.CanonicalName(want.PrimaryNS)
	return got == want
}
