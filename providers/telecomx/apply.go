package telecomx

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// apply carries out one operation and keeps live in step with what was done.
func (p *Provider) apply(ctx context.Context, live *model.Zone, op *plan.Operation) error {
	zone := normalizeZone(live.Name)
	switch op.Action {
	case plan.CreateZone:
		ttl := uint32(DefaultZoneTTL)
		if op.After != nil && op.After.TTL != nil {
			ttl = *op.After.TTL
		}
		d, err := p.client.CreateDomain(ctx, zone, p.product, ttl)
		if err != nil {
			return err
		}
		live.TTL = ttl
		if d.TTL > 0 {
			live.TTL = uint32(d.TTL)
		}
		return nil
	case plan.UpdateTTL:
		if op.After == nil || op.After.TTL == nil {
			return fmt.Errorf("telecomx: zone %s: update_ttl without a TTL", zone)
		}
		if _, err := p.client.SetTTL(ctx, zone, *op.After.TTL); err != nil {
			return err
		}
		live.TTL = *op.After.TTL
		for _, rs := range live.Records {
			rs.TTL = live.TTL
		}
		return nil
	case plan.Create, plan.Update, plan.Delete:
		return p.applyRecords(ctx, live, zone, op)
	}
	return fmt.Errorf("telecomx: zone %s: %s is not something Telecom X can do", zone, op.Action)
}

// applyRecords changes one record set with the fewest calls: a removed
// value and an added one become one PUT (rData changed in place); only what
// is left over is created or deleted. Values that stay are not touched.
// Creates and changes go before deletes so the name keeps resolving.
func (p *Provider) applyRecords(ctx context.Context, live *model.Zone, zone string, op *plan.Operation) error {
	var before, after []string
	if op.Before != nil {
		before = op.Before.Values
	}
	if op.After != nil {
		after = op.After.Values
	}
	cur := live.Find(op.Name, op.Type)
	var removed []Record
	for _, v := range before {
		if slices.Contains(after, v) {
			continue
		}
		recs, err := wireRecords(cur, op.Name, op.Type, v)
		if err != nil {
			return fmt.Errorf("telecomx: zone %s: %s %s: %v", zone, op.Name, op.Type, err)
		}
		removed = append(removed, recs...)
	}
	var added []Record
	for _, v := range after {
		if slices.Contains(before, v) {
			continue
		}
		rec, err := toWire(op.Name, op.Type, v)
		if err != nil {
			return fmt.Errorf("telecomx: zone %s: %s %s: %v", zone, op.Name, op.Type, err)
		}
		added = append(added, rec)
	}
	pairs, create, del := pairUp(removed, added)
	for _, pr := range pairs {
		if err := p.client.UpdateRecord(ctx, zone, pr.old, pr.new.RData); err != nil {
			return err
		}
		forget(live, zone, pr.old)
		remember(live, zone, pr.new)
	}
	for _, rec := range create {
		if err := p.client.CreateRecord(ctx, zone, rec); err != nil {
			return err
		}
		remember(live, zone, rec)
	}
	for _, rec := range del {
		if err := p.client.DeleteRecord(ctx, zone, rec); err != nil {
			return err
		}
		forget(live, zone, rec)
	}
	return nil
}

// pair is a record whose rData changes in place.
type pair struct{ old, new Record }

// pairUp matches removed records with added ones of the same wire type (a
// PUT changes rData only, and an MX record's priority is in its type);
// what stays unmatched is created or deleted.
func pairUp(removed, added []Record) (pairs []pair, create, del []Record) {
	byRData := func(recs []Record) {
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].RData < recs[j].RData })
	}
	byRData(removed)
	byRData(added)
	used := make([]bool, len(removed))
	for _, a := range added {
		matched := false
		for i, r := range removed {
			if !used[i] && sameType(r.Type, a.Type) {
				used[i], matched = true, true
				pairs = append(pairs, pair{old: r, new: Record{Name: r.Name, Type: r.Type, RData: a.RData}})
				break
			}
		}
		if !matched {
			create = append(create, a)
		}
	}
	for i, r := range removed {
		if !used[i] {
			del = append(del, r)
		}
	}
	return pairs, create, del
}

// sameType compares wire types whatever their case and spacing ("MX 10").
func sameType(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// remember adds a record the API now holds to the live zone.
func remember(live *model.Zone, zone string, rec Record) {
	name, rrtype, value, err := fromWire(zone, rec)
	if err != nil {
		return
	}
	rs := live.Find(name, rrtype)
	if rs == nil {
		rs = &model.RecordSet{Name: name, Type: rrtype, TTL: live.TTL}
		live.Records = append(live.Records, rs)
		live.SortRecords()
	}
	if rs.IDs == nil {
		rs.IDs = map[string]string{}
	}
	recs, _ := wireRecords(rs, name, rrtype, value)
	if !slices.Contains(rs.Values, value) {
		recs = nil
	}
	if !slices.Contains(recs, rec) {
		recs = append(recs, rec)
	}
	rs.IDs[value] = encodeIDs(recs)
	// Values may share memory with the plan's states: never change them in place.
	rs.SetValues(append(slices.Clone(rs.Values), value))
}

// forget removes a record the API no longer holds from the live zone.
func forget(live *model.Zone, zone string, rec Record) {
	name, rrtype, value, err := fromWire(zone, rec)
	if err != nil {
		return
	}
	rs := live.Find(name, rrtype)
	if rs == nil {
		return
	}
	recs, _ := wireRecords(rs, name, rrtype, value)
	recs = slices.DeleteFunc(recs, func(r Record) bool { return r == rec })
	if len(recs) > 0 {
		rs.IDs[value] = encodeIDs(recs)
		return
	}
	delete(rs.IDs, value)
	rs.Values = slices.DeleteFunc(slices.Clone(rs.Values), func(v string) bool { return v == value })
	if len(rs.Values) == 0 {
		live.Records = slices.DeleteFunc(live.Records, func(x *model.RecordSet) bool { return x == rs })
	}
}
