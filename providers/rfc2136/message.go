package rfc2136

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// Message size limits. A DNS message over TCP holds at most 65,535 bytes;
// an UPDATE is filled up to maxBody and the rest is left for the header,
// the zone section and the TSIG record. UPDATE messages are sent without
// name compression, so the size of a message is the sum of its records'.
const (
	maxMessage = dns.MaxMsgSize
	maxBody    = 60 * 1024
)

// maxRecordSet is the most bytes one record set may take as DNS records
// (model.Capabilities.MaxRecordSetSize), so that every change to it fits in
// one UPDATE. An update carries the old values as prerequisites and the
// new ones as updates, so each side gets half of what a message leaves
// after its header, the zone section, the TSIG record and the records
// without data a change adds (the two prerequisites of a create, the
// delete of the old set), all with names of the longest.
const maxRecordSet = (maxMessage - tsigRoom - 12 - (255 + 4) - 3*(255+10)) / 2

// change is one record operation as UPDATE sections: the prerequisites
// that must hold for it to run, and the updates that carry it out.
type change struct {
	op      *plan.Operation
	prereqs []dns.RR
	updates []dns.RR
	// expect are prerequisites that hold once the change is made: they
	// check that the server really made it, since servers silently drop
	// some records they accept (RFC 2136 §3.4.2.2, and BIND drops a DS
	// away from a delegation).
	expect []dns.RR
	size   int
	// rewrites is set when the change replaces the whole record set (or
	// creates or deletes it), in canonical spelling; removed are the
	// values it deletes record by record otherwise. Once it landed, their
	// spellings leave the index.
	rewrites bool
	removed  []string
}

// newChange turns a create, update or delete into UPDATE records, from
// the plan's change (op.Change()); spelled is the server's spelling of
// the record set's values (index.spelling).
//
// Prerequisites make each change a compare-and-swap against the plan:
//   - create: the RRset does not exist (RFC 2136 §2.4.3), and no CNAME is
//     at the name, since a server silently drops data added beside a CNAME;
//     a CNAME instead requires the name to hold nothing at all (§2.4.5);
//   - update, delete: the RRset exists with exactly the values the plan
//     saw, op.Before (value-dependent, §2.4.2). Prerequisites carry no TTL
//     (§2.4), so a change of only the TTL made meanwhile is not detected.
//
// A create adds Change.Added; a delete deletes the RRset. An update
// deletes Change.Removed record by record and adds Change.Added, in the
// same message, which the server applies atomically; it rewrites the
// whole set instead (delete the RRset, add every new value) when the TTL
// changes, since a record set has one TTL, or when that takes fewer
// bytes, so that an update between two sets of the largest size still
// fits in one message. The apex NS RRset is never rewritten: servers
// ignore a request to delete all of it (§3.4.2.3), so its new values are
// added first (every value, with a new TTL) and the removed ones then
// deleted one by one.
func newChange(zone string, spelled map[string]string, op *plan.Operation) (*change, error) {
	owner := model.FQDN(op.Name, zone)
	c := &change{op: op}
	apexNS := op.Name == model.Apex && op.Type == "NS"
	if op.Action != plan.Create && op.Action != plan.Update && op.Action != plan.Delete {
		return nil, fmt.Errorf("%s is not a record operation", op.Action)
	}
	rrtype, ok := model.TypeCode(op.Type)
	if !ok {
		return nil, fmt.Errorf("unknown record type %s", op.Type)
	}
	deleteSet := &dns.ANY{Hdr: dns.RR_Header{Name: owner, Rrtype: rrtype, Class: dns.ClassANY}}
	ch := op.Change()
	switch op.Action {
	case plan.Create:
		if op.After == nil || op.After.TTL == nil || len(ch.Added) == 0 {
			return nil, fmt.Errorf("the plan's create has no values")
		}
		if op.Type == "CNAME" {
			c.prereqs = append(c.prereqs, &dns.ANY{Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeANY, Class: dns.ClassNONE}})
		} else {
			c.prereqs = append(c.prereqs,
				&dns.ANY{Hdr: dns.RR_Header{Name: owner, Rrtype: rrtype, Class: dns.ClassNONE}},
				&dns.ANY{Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeCNAME, Class: dns.ClassNONE}})
		}
		adds, err := records(owner, *op.After.TTL, op.Type, ch.Added, nil)
		if err != nil {
			return nil, err
		}
		c.updates, c.rewrites = adds, true
	case plan.Update, plan.Delete:
		if op.Before == nil || len(op.Before.Values) == 0 {
			return nil, fmt.Errorf("the plan's %s has no values before it", op.Action)
		}
		before, err := records(owner, 0, op.Type, op.Before.Values, spelled)
		if err != nil {
			return nil, err
		}
		c.prereqs = before
		if op.Action == plan.Delete {
			if apexNS {
				return nil, fmt.Errorf("the apex NS records cannot be deleted: servers keep at least one")
			}
			c.updates, c.rewrites = []dns.RR{deleteSet}, true
			break
		}
		if op.After == nil || op.After.TTL == nil || len(op.After.Values) == 0 {
			return nil, fmt.Errorf("the plan's update has no values after it")
		}
		removes, err := records(owner, 0, op.Type, ch.Removed, spelled)
		if err != nil {
			return nil, err
		}
		for _, rr := range removes {
			rr.Header().Class = dns.ClassNONE
		}
		newTTL := *op.After.TTL
		if apexNS {
			added := ch.Added
			if ch.TTLChanged {
				added = op.After.Values
			}
			adds, err := records(owner, newTTL, op.Type, added, nil)
			if err != nil {
				return nil, err
			}
			c.updates, c.removed = slices.Concat(adds, removes), ch.Removed
			break
		}
		adds, err := records(owner, newTTL, op.Type, ch.Added, nil)
		if err != nil {
			return nil, err
		}
		all, err := records(owner, newTTL, op.Type, op.After.Values, nil)
		if err != nil {
			return nil, err
		}
		byRecord, rewrite := slices.Concat(removes, adds), slices.Concat([]dns.RR{deleteSet}, all)
		if ch.TTLChanged || size(rewrite) < size(byRecord) {
			c.updates, c.rewrites = rewrite, true
		} else {
			c.updates, c.removed = byRecord, ch.Removed
		}
	}
	if op.Action == plan.Delete {
		c.expect = []dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: owner, Rrtype: rrtype, Class: dns.ClassNONE}}}
	} else {
		after, err := records(owner, 0, op.Type, op.After.Values, nil)
		if err != nil {
			return nil, err
		}
		c.expect = after
	}
	for _, rr := range slices.Concat(c.prereqs, c.expect) {
		rr.Header().Ttl = 0
	}
	c.size = size(c.prereqs) + size(c.updates)
	return c, nil
}

// size is the bytes records take in an UPDATE, which is not compressed.
func size(rrs []dns.RR) int {
	n := 0
	for _, rr := range rrs {
		n += dns.Len(rr)
	}
	return n
}

// records builds the RRs of a record set's values, class IN. exact maps a
// canonical value to the RDATA the server holds, when they differ.
func records(owner string, ttl uint32, rrtype string, values []string, exact map[string]string) ([]dns.RR, error) {
	var out []dns.RR
	for _, v := range values {
		for _, rd := range strings.Split(cmp.Or(exact[v], v), "\n") {
			rr, err := model.NewRR(owner, ttl, rrtype, rd)
			if err != nil {
				return nil, err
			}
			out = append(out, rr)
		}
	}
	return out, nil
}

// updateMsg builds one UPDATE message for zone carrying changes.
func updateMsg(zone string, changes []*change) *dns.Msg {
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	for _, c := range changes {
		m.Answer = append(m.Answer, c.prereqs...)
		m.Ns = append(m.Ns, c.updates...)
	}
	return m
}

// checkMsg builds an UPDATE without updates whose prerequisites hold
// only if every change was made. It changes nothing on the server.
func checkMsg(zone string, changes []*change) *dns.Msg {
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	for _, c := range changes {
		m.Answer = append(m.Answer, c.expect...)
	}
	return m
}

// chunks splits changes into runs that each fit in one message, in
// order, never splitting a change.
func chunks(changes []*change) [][]*change {
	var out [][]*change
	var cur []*change
	size := 0
	for _, c := range changes {
		if len(cur) > 0 && size+c.size > maxBody {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, c)
		size += c.size
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
