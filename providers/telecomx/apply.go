package telecomx

import (
	"context"
	"fmt"
	"strings"

	"github.com/zonesync/zonesync/plan"
)

// apply carries out one operation and keeps the index in step with what
// was done.
func (p *Provider) apply(ctx context.Context, zone string, op *plan.Operation) error {
	switch op.Action {
	case plan.CreateZone:
		ttl := uint32(DefaultZoneTTL)
		if op.After != nil && op.After.TTL != nil {
			ttl = *op.After.TTL
		}
		if _, err := p.client.CreateDomain(ctx, zone, p.product, ttl); err != nil {
			return err
		}
		// A new domain holds no records; none read earlier can be there.
		p.index.replace(zone, nil)
		return nil
	case plan.UpdateTTL:
		if op.After == nil || op.After.TTL == nil {
			return fmt.Errorf("telecomx: zone %s: update_ttl without a TTL", zone)
		}
		_, err := p.client.SetTTL(ctx, zone, *op.After.TTL)
		return err
	case plan.Create, plan.Update, plan.Delete:
		return p.applyRecords(ctx, zone, op)
	}
	return fmt.Errorf("telecomx: zone %s: %s is not something Telecom X can do", zone, op.Action)
}

// recordCall is one record the API is to gain, change or lose, and the
// values it holds before and after, for the index.
type recordCall struct {
	rec, new           Record
	oldValue, newValue string
}

// recordCalls are the calls that carry out one record set's change.
type recordCalls struct {
	puts, posts, deletes []recordCall
}

// applyRecords carries out the plan's change of one record set with the
// fewest calls: each of its pairs is one PUT (rData changed in place),
// each value it creates a POST, each value it deletes a DELETE; values
// that stay are not touched, and Telecom X has one TTL per zone, so a
// TTL change touches no record. Every call is worked out before the first
// is sent, so that a value that cannot be written fails the operation
// untouched; PUTs and POSTs go before DELETEs so the name keeps resolving.
func (p *Provider) applyRecords(ctx context.Context, zone string, op *plan.Operation) error {
	calls, err := p.recordCalls(zone, op)
	if err != nil {
		return fmt.Errorf("telecomx: zone %s: %s %s: %v", zone, op.Name, op.Type, err)
	}
	key := setKey{op.Name, op.Type}
	for _, c := range calls.puts {
		if err := p.client.UpdateRecord(ctx, zone, c.rec, c.new.RData); err != nil {
			return err
		}
		p.index.removed(zone, key, c.oldValue, c.rec)
		p.index.added(zone, key, c.newValue, c.new)
	}
	for _, c := range calls.posts {
		if err := p.client.CreateRecord(ctx, zone, c.new); err != nil {
			return err
		}
		p.index.added(zone, key, c.newValue, c.new)
	}
	for _, c := range calls.deletes {
		if err := p.client.DeleteRecord(ctx, zone, c.rec); err != nil {
			return err
		}
		p.index.removed(zone, key, c.oldValue, c.rec)
	}
	return nil
}

// recordCalls maps an operation's change onto the API's calls. A value
// may be held by several records (spellings another tool wrote): a pair
// rewrites the first in place and deletes the others. A PUT changes rData
// only, and an MX record's priority is in its type ("MX 10"), so a pair
// whose wire types differ is a POST of the new record and a DELETE of the
// old one.
func (p *Provider) recordCalls(zone string, op *plan.Operation) (recordCalls, error) {
	ch := op.Change()
	var calls recordCalls
	drop := func(value string, recs []Record) {
		for _, r := range recs {
			calls.deletes = append(calls.deletes, recordCall{rec: r, oldValue: value})
		}
	}
	for _, pr := range ch.Pairs {
		old, err := p.wireRecords(zone, op.Name, op.Type, pr.Old)
		if err != nil {
			return recordCalls{}, err
		}
		add, err := toWire(op.Name, op.Type, pr.New)
		if err != nil {
			return recordCalls{}, err
		}
		if !sameType(old[0].Type, add.Type) {
			calls.posts = append(calls.posts, recordCall{new: add, newValue: pr.New})
			drop(pr.Old, old)
			continue
		}
		put := Record{Name: old[0].Name, Type: old[0].Type, RData: add.RData}
		calls.puts = append(calls.puts, recordCall{rec: old[0], new: put, oldValue: pr.Old, newValue: pr.New})
		drop(pr.Old, old[1:])
	}
	for _, v := range ch.Creates {
		add, err := toWire(op.Name, op.Type, v)
		if err != nil {
			return recordCalls{}, err
		}
		calls.posts = append(calls.posts, recordCall{new: add, newValue: v})
	}
	for _, v := range ch.Deletes {
		old, err := p.wireRecords(zone, op.Name, op.Type, v)
		if err != nil {
			return recordCalls{}, err
		}
		drop(v, old)
	}
	return calls, nil
}

// wireRecords returns the API's records holding value: those the index
// has, or, for a value neither read nor written since the last read, the
// record zonesync would write.
func (p *Provider) wireRecords(zone, name, rrtype, value string) ([]Record, error) {
	if recs := p.index.records(zone, setKey{name, rrtype}, value); len(recs) > 0 {
		return recs, nil
	}
	rec, err := toWire(name, rrtype, value)
	if err != nil {
		return nil, err
	}
	return []Record{rec}, nil
}

// sameType compares wire types whatever their case and spacing ("MX 10").
func sameType(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}
