package powerdns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/miekg/dns"
	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// MaxPatchBytes bounds the body of one PATCH. A zone's changes go in one
// PATCH when they fit, so that the server carries them out as one
// transaction with one serial bump; a bigger change is cut into PATCHes
// of at most this size (the server's webserver-max-bodysize is 2 MB by
// default). A variable so that tests can cut small changes.
var MaxPatchBytes = 1 << 20

// Apply carries out operations of one zone: zone operations first, each
// with its own call (create_zone a POST, switch_mode and update_masters a
// PUT of the zone's kind and masters), then every record-set operation and
// update_soa in one PATCH of RRsets, and last enable_dnssec or
// disable_dnssec (see dnssec.go), in plan order, so that a delete that
// clears a name for a CNAME comes before the CNAME within the PATCH
// (PowerDNS refuses a CNAME beside other data when the order is wrong).
//
// The server carries out a PATCH as one transaction: when it refuses one
// (HTTP 422 with an error text naming the RRset), nothing of it is done,
// and every operation of that PATCH fails with the server's text. They are
// not split and retried to find the culprit: that would land part of a
// change the plan meant as one, and the server's text already names the
// RRset at fault. A change too big for one PATCH (MaxPatchBytes) is cut
// into several, never between two operations on one name; each is a
// transaction of its own, and one that fails does not stop the others.
func (p *Provider) Apply(ctx context.Context, live *zsmodel.Zone, ops []*plan.Operation) []error {
	errs := make([]error, len(ops))
	if live == nil {
		for i := range errs {
			errs[i] = errors.New("powerdns: apply: no zone given")
		}
		return errs
	}
	zone := canonicalZone(live.Name)
	for i, op := range ops {
		errs[i] = p.CheckOperation(live, op)
	}
	var records []int
	soaOp := -1
	for i, op := range ops {
		if errs[i] != nil {
			continue
		}
		switch op.Action {
		case plan.CreateZone:
			errs[i] = p.createZone(ctx, zone, op)
		case plan.SwitchMode:
			errs[i] = p.switchMode(ctx, zone, op)
		case plan.UpdateMasters:
			errs[i] = p.client.putZone(ctx, zone, wireZoneSettings{Masters: nonNil(op.After.Masters)})
		case plan.UpdateSOA:
			soaOp = i
		case plan.Create, plan.Update, plan.Delete:
			records = append(records, i)
		case plan.EnableDNSSEC, plan.DisableDNSSEC:
			// After the PATCH.
		default:
			errs[i] = fmt.Errorf("powerdns: zone %s: %s is not something zonesync does at PowerDNS", zone, op.Action)
		}
		if errs[i] != nil && (op.Action == plan.CreateZone || op.Action == plan.SwitchMode) {
			// What follows needs the zone there, in its mode.
			for j := i + 1; j < len(ops); j++ {
				if errs[j] == nil {
					errs[j] = fmt.Errorf("not run: it depends on operation %d (%s), which failed", op.Seq, op.Action)
				}
			}
			return errs
		}
	}
	if soaOp >= 0 || len(records) > 0 {
		p.patchRecords(ctx, zone, ops, soaOp, records, errs)
	}
	p.dnssecOps(ctx, zone, live, ops, errs)
	return errs
}

// nonNil makes an empty list [] rather than null in JSON.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// createZone creates the zone: a master zone of the configured kind
// (Master or Native), or a slave zone with its masters, with SOA-EDIT-API
// DEFAULT so that every PATCH bumps the serial. Records, the apex NS
// included, come with the PATCH that follows.
func (p *Provider) createZone(ctx context.Context, zone string, op *plan.Operation) error {
	w := wireZone{Name: zone + ".", Kind: p.masterKind, SOAEditAPI: ptr("DEFAULT"), Nameservers: []string{}}
	if op.After != nil && op.After.Mode == zsmodel.Slave {
		w.Kind, w.Masters, w.Nameservers = KindSlave, op.After.Masters, nil
	}
	if err := p.client.createZone(ctx, w); err != nil {
		return err
	}
	p.setIndex(zone, &zoneIndex{kind: w.Kind, disabled: map[string][]wireRecord{}})
	return nil
}

func ptr[T any](v T) *T { return &v }

// switchMode changes the zone's kind, with its masters.
func (p *Provider) switchMode(ctx context.Context, zone string, op *plan.Operation) error {
	s := wireZoneSettings{Kind: p.masterKind, Masters: []string{}}
	if op.After.Mode == zsmodel.Slave {
		s.Kind, s.Masters = KindSlave, nonNil(op.After.Masters)
	}
	if err := p.client.putZone(ctx, zone, s); err != nil {
		return err
	}
	p.update(zone, func(ix *zoneIndex) { ix.kind = s.Kind })
	if op.After.Mode == zsmodel.Master {
		return p.ensureSOA(ctx, zone)
	}
	return nil
}

// ensureSOA gives a zone that has no SOA (a slave zone that never
// transferred, now a master) the SOA PowerDNS gives a zone it creates,
// so that it is served; a spec's soa then changes it like any other.
func (p *Provider) ensureSOA(ctx context.Context, zone string) error {
	w, err := p.client.getZone(ctx, zone)
	if err != nil {
		return err
	}
	for _, rs := range w.RRsets {
		if rs.Type == "SOA" && canonicalZone(rs.Name) == zone {
			return nil
		}
	}
	ttl := uint32(3600)
	soa := wireRRset{Name: zone + ".", Type: "SOA", TTL: &ttl, ChangeType: changeReplace,
		Records: []wireRecord{{Content: "a.misconfigured.dns.server.invalid. hostmaster." + zone + ". 0 10800 3600 604800 3600"}}}
	err = p.client.patch(ctx, zone, []wireRRset{soa}, nil)
	p.update(zone, func(ix *zoneIndex) { ix.soa = nil })
	return err
}

// change is one RRset of a PATCH and the operation it carries out.
type change struct {
	op    int // index in the Apply call's operations
	owner string
	rrset wireRRset
	size  int
}

// patchRecords sends the record-set operations and the SOA change in as
// few PATCHes as MaxPatchBytes allows, and sets each operation's error.
func (p *Provider) patchRecords(ctx context.Context, zone string, ops []*plan.Operation, soaOp int, records []int, errs []error) {
	ix, err := p.indexFor(ctx, zone)
	if err != nil {
		for _, i := range append(records, soaOp) {
			if i >= 0 {
				errs[i] = err
			}
		}
		return
	}
	var changes []change
	if soaOp >= 0 {
		c, err := p.soaChange(ctx, zone, ix, ops[soaOp])
		if err != nil {
			errs[soaOp] = err
		} else {
			c.op = soaOp
			changes = append(changes, c)
		}
	}
	for _, i := range records {
		c, err := recordChange(zone, ix, ops[i])
		if err != nil {
			errs[i] = err
			continue
		}
		c.op = i
		changes = append(changes, c)
	}
	for _, batch := range cut(changes, MaxPatchBytes) {
		rrsets := make([]wireRRset, len(batch))
		for k, c := range batch {
			rrsets[k] = c.rrset
		}
		err := p.client.patch(ctx, zone, rrsets, func(ctx context.Context) (bool, error) {
			return p.landed(ctx, zone, ops, batch)
		})
		if err != nil {
			err = patchError(err, len(batch))
			for _, c := range batch {
				errs[c.op] = err
			}
			continue
		}
		p.update(zone, func(ix *zoneIndex) {
			for _, c := range batch {
				if c.rrset.Type == "SOA" {
					continue
				}
				key := ownerKey(c.owner, c.rrset.Type)
				var disabled []wireRecord
				for _, r := range c.rrset.Records {
					if r.Disabled {
						disabled = append(disabled, r)
					}
				}
				if disabled == nil {
					delete(ix.disabled, key)
				} else {
					ix.disabled[key] = disabled
				}
			}
			// The server bumped the serial: the SOA must be read again.
			ix.soa = nil
		})
	}
}

// patchError says, on a refusal, that nothing of the PATCH was done.
func patchError(err error, n int) error {
	var e *APIError
	if !errors.As(err, &e) || e.Status != 422 && e.Status != 400 {
		return err
	}
	if n == 1 {
		return fmt.Errorf("%w (the server refused the change; nothing was changed)", err)
	}
	return fmt.Errorf("%w (the server refused the PATCH of %d changes, which it carries out all or none: none was made)", err, n)
}

// indexFor returns the zone's index, reading the zone when no read
// filled it (an Apply without a ReadZone before it in this process).
func (p *Provider) indexFor(ctx context.Context, zone string) (*zoneIndex, error) {
	if ix := p.index(zone); ix != nil {
		return ix, nil
	}
	if _, err := p.ReadZone(ctx, zone, providers.ReadOptions{}); err != nil {
		return nil, err
	}
	return p.index(zone), nil
}

// recordChange is the RRset a record-set operation sends: a REPLACE with
// the set's values after it, or a DELETE. The set's disabled records are
// the server's state zonesync leaves alone, so a REPLACE carries them
// along, and a delete of a set that has some is a REPLACE with them only
// (a value the spec asks for and a disabled record holds is enabled).
func recordChange(zone string, ix *zoneIndex, op *plan.Operation) (change, error) {
	owner := zsmodel.FQDN(op.Name, zone)
	disabled := ix.disabled[ownerKey(owner, op.Type)]
	rs := wireRRset{Name: owner, Type: op.Type}
	var ttl uint32
	var values []string
	switch op.Action {
	case plan.Create, plan.Update:
		if op.After == nil || op.After.TTL == nil {
			return change{}, fmt.Errorf("powerdns: zone %s: %s %s %s: the plan gives no values and TTL after it", zone, op.Action, op.Name, op.Type)
		}
		ttl, values = *op.After.TTL, op.After.Values
	case plan.Delete:
		if op.Before != nil && op.Before.TTL != nil {
			ttl = *op.Before.TTL
		}
	}
	for _, v := range values {
		rs.Records = append(rs.Records, wireRecord{Content: wireContent(op.Type, v)})
	}
	for _, d := range disabled {
		if !slices.Contains(values, canonicalContent(owner, op.Type, d.Content)) {
			rs.Records = append(rs.Records, wireRecord{Content: d.Content, Disabled: true})
		}
	}
	if len(rs.Records) == 0 {
		rs.ChangeType = changeDelete
	} else {
		rs.ChangeType, rs.TTL = changeReplace, &ttl
	}
	return change{owner: owner, rrset: rs, size: jsonSize(rs)}, nil
}

// canonicalContent is the canonical value of a record's content, or the
// content itself when it does not parse.
func canonicalContent(owner, rrtype, content string) string {
	rr, err := zsmodel.NewRR(owner, 0, rrtype, content)
	if err != nil {
		return content
	}
	return zsmodel.CanonicalRR(rr)
}

// soaChange is the REPLACE of the SOA an update_soa sends: the fields the
// plan sets over the SOA the server holds, with the server's current
// serial. The server's SOA-EDIT-API makes the serial it stores from the
// one sent (for DEFAULT, the next one), so sending an older serial would
// move it back.
func (p *Provider) soaChange(ctx context.Context, zone string, ix *zoneIndex, op *plan.Operation) (change, error) {
	if op.After == nil || op.After.SOA == nil {
		return change{}, fmt.Errorf("powerdns: zone %s: the plan's update_soa has no SOA after it", zone)
	}
	cur := ix.soa
	if cur == nil {
		// Not known since the last change: read it.
		if _, err := p.ReadZone(ctx, zone, providers.ReadOptions{}); err != nil {
			return change{}, err
		}
		if ix = p.index(zone); ix != nil {
			cur = ix.soa
		}
	}
	if cur == nil || len(cur.Records) != 1 {
		return change{}, fmt.Errorf("powerdns: zone %s: update_soa: the zone has no SOA record to change", zone)
	}
	owner := zsmodel.Fqdn(zone)
	ttl := uint32(3600)
	if cur.TTL != nil {
		ttl = *cur.TTL
	}
	have, err := soaModel(owner, ttl, cur.Records[0].Content)
	if err != nil {
		return change{}, fmt.Errorf("powerdns: zone %s: the SOA as read: %w", zone, err)
	}
	if b := op.Before; b != nil && b.SOA != nil && !sameSOA(have, b.SOA) {
		return change{}, fmt.Errorf("powerdns: zone %s: update_soa: the SOA changed on the server since the plan was made; make a new plan", zone)
	}
	want := op.After.SOA.Merge(have)
	content := fmt.Sprintf("%s %s %d %d %d %d %d", zsmodel.Fqdn(want.PrimaryNS), zsmodel.MailToMbox(want.AdminMail), have.Serial,
		want.Refresh, want.Retry, want.Expire, want.Minimum)
	rs := wireRRset{Name: owner, Type: "SOA", TTL: &ttl, ChangeType: changeReplace, Records: []wireRecord{{Content: content}}}
	return change{owner: owner, rrset: rs, size: jsonSize(rs)}, nil
}

// sameSOA compares two SOAs' fields, serial aside.
func sameSOA(a, b *zsmodel.SOA) bool {
	x, y := *a, *b
	x.Serial, y.Serial = 0, 0
	x.PrimaryNS, y.PrimaryNS = dns.CanonicalName(x.PrimaryNS), dns.CanonicalName(y.PrimaryNS)
	return x == y
}

// jsonSize is how many bytes an RRset takes in a PATCH's body.
func jsonSize(rs wireRRset) int {
	b, err := json.Marshal(rs)
	if err != nil {
		return 0
	}
	return len(b) + 1
}

// cut splits changes into PATCHes of at most limit bytes, in their order,
// keeping every change to one owner name in one PATCH (a delete that
// clears a name and the CNAME that takes it must be one transaction). A
// name whose changes alone pass the limit gets a PATCH of its own.
func cut(changes []change, limit int) [][]change {
	if len(changes) == 0 {
		return nil
	}
	perName := map[string]int{}
	for _, c := range changes {
		perName[c.owner] += c.size
	}
	batchOf := map[string]int{}
	sizes := []int{0}
	for _, c := range changes {
		if _, ok := batchOf[c.owner]; ok {
			continue
		}
		last := len(sizes) - 1
		if sizes[last] > 0 && sizes[last]+perName[c.owner] > limit {
			sizes = append(sizes, 0)
			last++
		}
		batchOf[c.owner] = last
		sizes[last] += perName[c.owner]
	}
	out := make([][]change, len(sizes))
	for _, c := range changes {
		b := batchOf[c.owner]
		out[b] = append(out[b], c)
	}
	return out
}

// landed reports whether a PATCH whose answer was lost took effect: the
// zone, read again, holds what each of its operations set. A PATCH is all
// or none, but every operation is checked all the same. The read also
// refreshes the zone's index.
func (p *Provider) landed(ctx context.Context, zone string, ops []*plan.Operation, batch []change) (bool, error) {
	now, err := p.ReadZone(ctx, zone, providers.ReadOptions{})
	if err != nil {
		return false, err
	}
	for _, c := range batch {
		op := ops[c.op]
		switch op.Action {
		case plan.UpdateSOA:
			if now.SOA == nil || !sameSOA(now.SOA, op.After.SOA.Merge(now.SOA)) {
				return false, nil
			}
		case plan.Create, plan.Update:
			got := now.Find(op.Name, op.Type)
			want := slices.Clone(op.After.Values)
			slices.Sort(want)
			if got == nil || got.TTL != *op.After.TTL || !slices.Equal(got.Values, slices.Compact(want)) {
				return false, nil
			}
		case plan.Delete:
			if now.Find(op.Name, op.Type) != nil {
				return false, nil
			}
		}
	}
	return true, nil
}

// wireContent is a canonical value as the API takes it: presentation
// form, as it is, but for an IPv4-mapped IPv6 address, which PowerDNS 4.7
// refuses in its dotted form (::ffff:192.0.2.1, "Invalid IPv6 address")
// and takes in hexadecimal (::ffff:c000:201). It reads back either way.
func wireContent(rrtype, value string) string {
	if rrtype != "AAAA" {
		return value
	}
	a, err := netip.ParseAddr(value)
	if err != nil || !a.Is4In6() {
		return value
	}
	b := a.As16()
	return fmt.Sprintf("::ffff:%x:%x", uint16(b[12])<<8|uint16(b[13]), uint16(b[14])<<8|uint16(b[15]))
}
