package providertest

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// soakOwner is the owner whose spec the ownership-mode soak applies.
const soakOwner = "git:soak"

// soakOwned is the fault soak in ownership mode, on the zone the soak in
// ignore-only mode left behind: its record sets are now foreign, beside
// another owner's set and external-dns's. Each round applies a random
// spec of the owner with faults injected, so that a record set and its
// marker may land one without the other; then checks the fake's own
// state: no duplicate, nothing foreign changed, no operation reported ok
// that did not land, no failed one that lost data; and a re-run without
// faults converges (creating or deleting what is left of a half-landed
// pair) and then plans as no change.
func soakOwned(t *testing.T, h SoakHarness, s *suite, rng *rand.Rand, rounds int) {
	h.Faults.SetRandom(0, 0)
	other := s.owned(t, "git:other", rec{name: "other", rrtype: "A", values: []string{"192.0.2.200"}})
	s.applyOwned(t, other, nil)
	s.writeForeign(t,
		rec{name: "k8s", rrtype: "A", values: []string{"192.0.2.50"}},
		rec{name: "a-k8s", rrtype: "TXT", values: []string{"heritage=external-dns,external-dns/owner=cluster1"}})
	foreign := foreignOf(state(t, h))
	require.NotEmpty(t, foreign)
	s.halfLandedPairs(t, h, foreign)

	var failedOps, okOps, faultsSeen, halfLanded int
	var prev *model.Zone
	for round := 1; round <= rounds; round++ {
		desired := s.owned(t, soakOwner, ownedRecords(randomRecords(rng, h.Zone))...)
		before := state(t, h)

		h.Faults.SetRandom(h.Seed+1000+uint64(round), h.FaultRate, h.Kinds...)
		results, zp, err := s.tryApply(t, desired)
		h.Faults.SetRandom(0, 0)
		for _, n := range h.Faults.Faults() {
			faultsSeen += n
		}
		h.Faults.ResetCounts()
		after := state(t, h)
		checkNoDuplicates(t, round, after)
		if d := cmp.Diff(foreign, foreignOf(after), cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("ownership round %d: foreign records changed (-before +after):\n%s", round, d)
		}
		if err != nil {
			if d := cmp.Diff(before, after, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("ownership round %d: planning failed (%v) yet the zone changed (-before +after):\n%s", round, err, d)
			}
			continue
		}
		require.Empty(t, zp.Refusals, "ownership round %d: plan refused:\n%s", round, describeOps(zp))
		for i, r := range results {
			op := zp.Operations[i]
			require.True(t, op.Name == "" || strings.HasPrefix(op.Name, "own"), "ownership round %d: operation %s %s %s on a set not the owner's", round, op.Action, op.Name, op.Type)
			if r.status == ok {
				okOps++
				require.True(t, landed(op, after), "ownership round %d: operation %d %s %s %s reported ok but the fake holds %v",
					round, op.Seq, op.Action, op.Name, op.Type, valuesOf(after, op.Name, op.Type))
				continue
			}
			failedOps++
			require.Error(t, r.err, "ownership round %d: operation %d is %s without a reason", round, op.Seq, r.status)
			checkNothingLost(t, round, op, after)
		}
		halfLanded += halfPairs(zp, after)
		checkUntouchedKept(t, round, zp, before, after)
		// Without faults, the next run converges: what is left of a
		// half-landed pair is completed or removed, nothing foreign moves.
		s.applyOwned(t, desired, prev)
		converged := state(t, h)
		checkNoDuplicates(t, round, converged)
		if d := cmp.Diff(foreign, foreignOf(converged), cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("ownership round %d: the re-run changed foreign records (-before +after):\n%s", round, d)
		}
		prev = desired
	}
	t.Logf("soak in ownership mode: %d rounds, %d faults injected, %d operations ok, %d failed or skipped, %d set/marker pairs left half-landed and converged",
		rounds, faultsSeen, okOps, failedOps, halfLanded)
	require.NotZero(t, faultsSeen, "no fault was injected: the soak tested nothing")
}

// ownedRecords renames the soak's random record sets to the owner's names.
func ownedRecords(recs []rec) []rec {
	for i := range recs {
		recs[i].name = "own" + strings.TrimPrefix(recs[i].name, "host")
	}
	return recs
}

// foreignOf is the records of a fake's state that are not the soak
// owner's: neither a set named own* nor a marker of one.
func foreignOf(recs []Record) []Record {
	return slices.DeleteFunc(slices.Clone(recs), func(r Record) bool { return strings.HasPrefix(r.Name, "own") })
}

// halfPairs counts the owner's record sets whose set and marker a faulted
// run left one without the other.
func halfPairs(zp *plan.ZonePlan, recs []Record) int {
	n := 0
	for _, op := range zp.Operations {
		if op.Marker == nil || op.Marker.Name == "" {
			continue
		}
		hasMarker := len(valuesOf(recs, op.Name, op.Type)) > 0
		hasSet := len(valuesOf(recs, op.Marker.Name, op.Marker.Type)) > 0
		if hasMarker != hasSet {
			n++
		}
	}
	return n
}

// halfLandedPairs makes the two half-landed pairs the plan's order allows
// (a marker is claimed before its set is created and released after it
// is deleted, so a set never stands without its marker) and checks that
// the next run converges: a marker that landed without its set gets the
// set; a set deleted without its marker gets its marker deleted.
func (s *suite) halfLandedPairs(t *testing.T, h SoakHarness, foreign []Record) {
	pair := s.owned(t, soakOwner, rec{name: "own-half", rrtype: "A", values: []string{"192.0.2.77"}})
	only := func(zp *plan.ZonePlan, markers bool) {
		t.Helper()
		live := s.read(t)
		part := *zp
		part.Operations = slices.DeleteFunc(slices.Clone(zp.Operations), func(op *plan.Operation) bool { return (op.Marker != nil) != markers })
		require.Len(t, part.Operations, 1, "plan:\n%s", describeOps(zp))
		for _, r := range s.run(t, live, &part) {
			require.Equal(t, ok, r.status, "%v", r.err)
		}
	}
	// The marker lands, its set does not.
	only(Plan(t, pair, s.read(t), s.caps), true)
	require.Empty(t, valuesOf(state(t, h), "own-half", "A"))
	zp := s.applyOwned(t, pair, nil)
	require.Equal(t, []string{"create own-half A"}, opKeys(zp), "the run after a marker landed alone")

	// The set's deletion lands, its marker's does not.
	empty := s.owned(t, soakOwner)
	only(Plan(t, empty, s.read(t), s.caps), false)
	zp = s.applyOwned(t, empty, pair)
	require.Len(t, zp.Operations, 1, "the run after a set was deleted without its marker:\n%s", describeOps(zp))
	require.Equal(t, plan.Delete, zp.Operations[0].Action)
	require.NotNil(t, zp.Operations[0].Marker, "the run after a set was deleted without its marker deletes the marker")
	if d := cmp.Diff(foreign, foreignOf(state(t, h)), cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("half-landed pairs changed foreign records (-before +after):\n%s", d)
	}
}

// opKeys lists a plan's operations as "action name type".
func opKeys(zp *plan.ZonePlan) []string {
	var out []string
	for _, op := range zp.Operations {
		out = append(out, string(op.Action)+" "+op.Name+" "+op.Type)
	}
	return out
}
