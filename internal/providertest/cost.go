package providertest

import (
	"flag"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

var costSets = flag.Int("cost.sets", 100, "record sets the ownership cost measurement applies (the figures in BENCHMARKS.md use 1000)")

// ownershipCost measures, without faults, what ownership markers cost on
// the provider: the records the fake stores and the API requests it
// receives for the same record sets created, read, adopted and deleted
// in ignore-only mode and in ownership mode. It logs the figures (-v) and
// checks what the format promises: one marker record per owned set, and
// at most three times the requests. It leaves the zone empty again.
func ownershipCost(t *testing.T, h SoakHarness, s *suite) {
	n := *costSets
	h.Faults.SetRandom(0, 0)
	s.trustLive = true
	defer func() { s.trustLive = false }()
	var sets []rec
	for i := range n {
		sets = append(sets, rec{name: fmt.Sprintf("host%04d", i), rrtype: "A", values: []string{fmt.Sprintf("192.0.2.%d", 1+i%250)}})
	}
	plain, owned := s.zone(t, sets...), s.owned(t, soakOwner, sets...)
	empty := s.zone(t)
	adopt := s.owned(t, soakOwner, sets...)
	adopt.Ownership.AdoptUnmarked = true

	type figures struct{ create, read, adopt, remove, records int }
	measure := func(desired *model.Zone) int {
		t.Helper()
		live := s.read(t)
		h.Faults.ResetCounts()
		zp := Plan(t, desired, live, s.caps)
		require.Empty(t, zp.Refusals)
		for i, r := range s.run(t, live, zp) {
			require.Equal(t, ok, r.status, "operation %s %s %s: %v", zp.Operations[i].Action, zp.Operations[i].Name, zp.Operations[i].Type, r.err)
		}
		calls := total(h.Faults.AllCalls())
		require.Empty(t, describeOps(s.plan(t, desired)), "plan after apply")
		return calls
	}
	readCalls := func() int {
		h.Faults.ResetCounts()
		s.read(t)
		return total(h.Faults.AllCalls())
	}
	base := len(state(t, h))
	var without, with figures
	without.create = measure(plain)
	without.records = len(state(t, h)) - base
	without.read = readCalls()
	without.remove = measure(empty)

	with.create = measure(owned)
	with.records = len(state(t, h)) - base
	with.read = readCalls()
	with.remove = measure(s.owned(t, soakOwner))
	require.Equal(t, base, len(state(t, h)), "ownership mode left records behind")

	measure(plain)
	with.adopt = measure(adopt)
	measure(empty)
	require.Equal(t, base, len(state(t, h)))

	t.Logf("ownership cost for %d record sets: records stored %d without markers, %d with (+%d); API requests "+
		"create %d -> %d, read %d -> %d, delete %d -> %d; turning ownership on (adopt: unmarked) %d",
		n, without.records, with.records, with.records-without.records,
		without.create, with.create, without.read, with.read, without.remove, with.remove, with.adopt)
	require.Equal(t, n, with.records-without.records, "one marker record per owned record set")
	// Per-record APIs take twice the requests; batched ones (UPDATE
	// messages, XML packets) more than twice where a marker's TXT takes
	// more bytes than the record it marks. Three times is the bound.
	require.LessOrEqual(t, with.create, 3*without.create+2, "markers more than triple the requests of a create")
	require.LessOrEqual(t, with.remove, 3*without.remove+2, "markers more than triple the requests of a delete")
}

func total(calls map[string]int) int {
	n := 0
	for _, c := range calls {
		n += c
	}
	return n
}
