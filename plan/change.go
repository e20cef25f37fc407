package plan

import (
	"slices"
	"sort"
)

// Change is a record-set operation's change, value by value. Diff sets it
// on every create, update and delete it makes, and Decode on those of a
// saved plan (the file carries only before and after); Operation.Change
// returns it. It is read-only: operations are shared by whoever holds the
// plan. The plan computes it once so that no provider diffs record sets
// itself; each takes it at the granularity of its API:
//
//   - By record set (RFC 2136 UPDATE, a zone file): delete Removed, add
//     Added; a TTL change (TTLChanged) rewrites the whole set.
//   - By record, with a modify call (ClouDNS mod-record, Telecom X PUT):
//     rewrite each of Pairs in place, add Creates, delete Deletes, and,
//     for an API with a TTL per record, rewrite Retimed in place too.
//   - By record, without a modify call: add Added, delete Removed, and
//     replace the records of Retimed.
//
// Every list is in the canonical order of values (string order of their
// canonical form), so the pairing is the same in every run, for a plan
// made now and for the same plan decoded from its file.
//
// A create has every value Added; a delete has every value Removed; an
// update has the difference between Before.Values and After.Values. A
// value "matches" another when their canonical forms (spec.CanonicalValue)
// are the same string: live and desired values are both canonical, so a
// value is Kept exactly when it is in both.
type Change struct {
	// Added are the values After holds and Before does not.
	Added []string
	// Removed are the values Before holds and After does not.
	Removed []string
	// Kept are the values both hold.
	Kept []string
	// TTLChanged is true when an update's Before and After TTLs differ. A
	// provider with one TTL per zone (Capabilities.ZoneTTL) ignores it:
	// its record TTLs follow the zone's update_ttl.
	TTLChanged bool
	// Pairs are the in-place modifications for an API that rewrites a
	// record: Removed[i] becomes Added[i] for i below the shorter list's
	// length. The records of the values left over are Creates and Deletes.
	Pairs []Pair
	// Creates are the added values no pair takes: Added[len(Pairs):].
	Creates []string
	// Deletes are the removed values no pair takes: Removed[len(Pairs):].
	Deletes []string
	// Retimed are the kept values whose records must be rewritten for
	// their new TTL by an API with a TTL per record: Kept when TTLChanged,
	// else none.
	Retimed []string
}

// Pair is one record rewritten in place: the record holding Old is made
// to hold New.
type Pair struct {
	Old, New string
}

// Change returns the operation's value-level change: the one Diff or
// Decode computed, or, for an operation built by hand (tests), one
// computed now from Before and After. It is nil for an action that is not
// on a record set's values (zone and failover actions).
func (op *Operation) Change() *Change {
	if op.change != nil {
		return op.change
	}
	return op.computeChange()
}

// computeChange derives an operation's change from its states.
func (op *Operation) computeChange() *Change {
	switch op.Action {
	case Create:
		return NewChange(nil, op.After)
	case Update:
		return NewChange(op.Before, op.After)
	case Delete:
		return NewChange(op.Before, nil)
	}
	return nil
}

// setChanges computes, once, the change of every record-set operation.
func setChanges(ops []*Operation) {
	for _, op := range ops {
		if op.change == nil {
			op.change = op.computeChange()
		}
	}
}

// NewChange computes the change from the values and TTL of before to
// those of after; either may be nil (a create, a delete). Values that are
// not in canonical order (a hand-edited plan file) are sorted first, on a
// copy.
func NewChange(before, after *State) *Change {
	var old, new []string
	if before != nil {
		old = sortedSet(before.Values)
	}
	if after != nil {
		new = sortedSet(after.Values)
	}
	c := &Change{}
	switch {
	case before == nil:
		c.Added = new
	case after == nil:
		c.Removed = old
	default:
		c.TTLChanged = before.TTL != nil && after.TTL != nil && *before.TTL != *after.TTL
		i, j := 0, 0
		for i < len(old) || j < len(new) {
			switch {
			case j == len(new) || i < len(old) && old[i] < new[j]:
				c.Removed = append(c.Removed, old[i])
				i++
			case i == len(old) || new[j] < old[i]:
				c.Added = append(c.Added, new[j])
				j++
			default:
				c.Kept = append(c.Kept, old[i])
				i++
				j++
			}
		}
	}
	n := min(len(c.Removed), len(c.Added))
	if n > 0 {
		c.Pairs = make([]Pair, n)
		for k := range n {
			c.Pairs[k] = Pair{Old: c.Removed[k], New: c.Added[k]}
		}
	}
	c.Creates, c.Deletes = orNil(c.Added[n:]), orNil(c.Removed[n:])
	if c.TTLChanged {
		c.Retimed = c.Kept
	}
	c.Added, c.Removed = orNil(c.Added), orNil(c.Removed)
	return c
}

// orNil is nil for an empty list, so that "no values" has one form.
func orNil(values []string) []string {
	if len(values) == 0 {
		return nil
	}
	return values
}

// sortedSet returns values in canonical order without duplicates: values
// itself when it already is (what Diff gives), else a sorted copy.
func sortedSet(values []string) []string {
	if slices.IsSorted(values) && !hasAdjacentDuplicates(values) {
		return values
	}
	out := slices.Clone(values)
	sort.Strings(out)
	return slices.Compact(out)
}

func hasAdjacentDuplicates(values []string) bool {
	for i := 1; i < len(values); i++ {
		if values[i] == values[i-1] {
			return true
		}
	}
	return false
}
