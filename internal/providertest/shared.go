package providertest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/ownership"
	"github.com/zonesync/zonesync/plan"
)

// Owners of the two configurations that share the zone in testSharedZone.
const (
	ownerA = "git:team-a"
	ownerB = "git:team-b"
)

// owned builds a desired zone in ownership mode for owner.
func (s *suite) owned(t *testing.T, owner string, records ...rec) *model.Zone {
	t.Helper()
	z := s.zone(t, records...)
	z.Ownership = &model.Ownership{Owner: owner}
	return z
}

// applyOwned plans desired (in ownership mode) against the live zone and
// applies it, requiring a plan without refusals and every operation to
// succeed. It checks that the plan touched only the record sets the
// owner declares now or declared before (prev) and their markers, that
// every other live record set is as it was, that the owner's sets and
// markers read back as desired, and that a second plan is empty.
func (s *suite) applyOwned(t *testing.T, desired, prev *model.Zone) *plan.ZonePlan {
	t.Helper()
	before := s.read(t)
	zp := Plan(t, desired, before, s.caps)
	require.Empty(t, zp.Refusals, "plan of %s refused:\n%s", desired.Owner(), describeOps(zp))
	mine := func(name, rrtype string) bool {
		return desired.Find(name, rrtype) != nil || prev != nil && prev.Find(name, rrtype) != nil
	}
	for _, op := range zp.Operations {
		switch {
		case op.Name == "" && op.Type == "":
			// A zone operation: the zone's creation, its SOA or TTL.
		case op.Marker != nil:
			assert.True(t, op.Type == "TXT" && ownership.Reserved(op.Name), "%s: marker operation %s %s %s outside the reserved names", desired.Owner(), op.Action, op.Name, op.Type)
			assert.True(t, op.Marker.Name == "" || mine(op.Marker.Name, op.Marker.Type), "%s: marker operation %s %s for %s %s, a set it does not declare", desired.Owner(), op.Action, op.Name, op.Marker.Name, op.Marker.Type)
		default:
			assert.True(t, mine(op.Name, op.Type), "%s: operation %s %s %s on a set it does not declare\nplan:\n%s", desired.Owner(), op.Action, op.Name, op.Type, describeOps(zp))
		}
	}
	for i, r := range s.run(t, before, zp) {
		op := zp.Operations[i]
		require.Equal(t, ok, r.status, "%s: operation %d %s %s %s: %v\nplan:\n%s", desired.Owner(), op.Seq, op.Action, op.Name, op.Type, r.err, describeOps(zp))
	}
	after := s.read(t)
	checkUntouched(t, desired.Owner(), zp, before, after)
	s.checkOwnedReadBack(t, desired, after)
	again := Plan(t, desired, after, s.caps)
	require.Empty(t, describeOps(again), "%s: plan after apply is not empty (not idempotent)", desired.Owner())
	require.Empty(t, again.Refusals, "%s: plan after apply refused", desired.Owner())
	return zp
}

// checkUntouched: every live record set no operation of zp names is as it
// was before the apply, values and TTL.
func checkUntouched(t *testing.T, who string, zp *plan.ZonePlan, before, after *model.Zone) {
	t.Helper()
	if before == nil {
		return // the apply created the zone
	}
	touched := map[string]bool{}
	zoneTTL := false
	for _, op := range zp.Operations {
		touched[op.Name+" "+op.Type] = true
		zoneTTL = zoneTTL || op.Action == plan.UpdateTTL
	}
	for _, z := range []*model.Zone{before, after} {
		for _, rs := range z.Records {
			if touched[rs.Key()] {
				continue
			}
			was, is := setOf(before.Find(rs.Name, rs.Type)), setOf(after.Find(rs.Name, rs.Type))
			if zoneTTL && was != nil && is != nil {
				was.TTL = is.TTL // the zone's one TTL was changed
			}
			if d := cmp.Diff(was, is, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("%s's apply changed %s %s, which none of its operations names (-before +after):\n%s", who, rs.Name, rs.Type, d)
			}
		}
	}
}

// setOf is what a record set holds, for comparing; nil when it is absent.
func setOf(rs *model.RecordSet) *struct {
	TTL    uint32
	Values []string
} {
	if rs == nil {
		return nil
	}
	return &struct {
		TTL    uint32
		Values []string
	}{rs.TTL, rs.Values}
}

// checkOwnedReadBack: each record set desired declares reads back with
// its values (and TTL, where records have their own), and beside it its
// marker naming the owner.
func (s *suite) checkOwnedReadBack(t *testing.T, desired, live *model.Zone) {
	t.Helper()
	require.NotNil(t, live, "zone %s does not exist after apply", s.h.Zone)
	for _, want := range desired.Records {
		got := live.Find(want.Name, want.Type)
		if !assert.NotNil(t, got, "%s: %s %s is missing after apply", desired.Owner(), want.Name, want.Type) {
			continue
		}
		assert.Equal(t, want.Values, got.Values, "%s: %s %s values", desired.Owner(), want.Name, want.Type)
		if !s.caps.ZoneTTL {
			assert.Equal(t, want.TTL, got.TTL, "%s: %s %s ttl", desired.Owner(), want.Name, want.Type)
		}
		name, err := ownership.Name(s.h.Zone, want.Name, want.Type)
		require.NoError(t, err)
		marker := live.Find(name, "TXT")
		if assert.NotNil(t, marker, "%s: the marker %s of %s %s is missing", desired.Owner(), name, want.Name, want.Type) {
			assert.Equal(t, []string{ownership.Value(desired.Owner())}, marker.Values, "%s: the marker of %s %s", desired.Owner(), want.Name, want.Type)
		}
	}
}

// writeForeign stands in for a writer that is not zonesync (external-dns,
// an ACME client, a person in the provider's panel): it sets the given
// record sets and touches nothing else, without markers of zonesync.
func (s *suite) writeForeign(t *testing.T, sets ...rec) {
	t.Helper()
	live := s.read(t)
	require.NotNil(t, live, "zone %s does not exist", s.h.Zone)
	desired := cloneZone(live)
	desired.Provider, desired.Ownership, desired.Ignore, desired.SOA = ProviderName, nil, nil, nil
	if desired.TTL == 0 {
		desired.TTL = s.ttl(0)
	}
	for _, z := range s.zone(t, sets...).Records {
		if s.caps.ZoneTTL {
			z.TTL = desired.TTL
		}
		desired.Records = slices.DeleteFunc(desired.Records, func(rs *model.RecordSet) bool { return rs.Key() == z.Key() })
		desired.Records = append(desired.Records, z)
	}
	desired.SortRecords()
	zp := Plan(t, desired, live, s.caps)
	for _, op := range zp.Operations {
		require.True(t, slices.ContainsFunc(sets, func(r rec) bool { return r.name == op.Name && r.rrtype == op.Type }),
			"the third writer's plan touches %s %s (a test setup problem):\n%s", op.Name, op.Type, describeOps(zp))
	}
	for i, r := range s.run(t, live, zp) {
		op := zp.Operations[i]
		require.Equal(t, ok, r.status, "third writer: operation %s %s %s: %v", op.Action, op.Name, op.Type, r.err)
	}
}

// foreignSets are the third writer's record sets of round r: a person's A
// record whose value changes every round, external-dns's record and its
// registry TXT (new format), an ACME client's token, and from round 2 a
// CNAME a person adds.
func (s *suite) foreignSets(r int) []rec {
	sets := []rec{
		{name: "manual", rrtype: "A", values: []string{fmt.Sprintf("192.0.2.%d", 100+r)}},
		{name: "k8s", rrtype: "A", values: []string{"192.0.2.50"}},
		{name: "a-k8s", rrtype: "TXT", values: []string{"heritage=external-dns,external-dns/owner=cluster1,external-dns/resource=service/default/k8s"}},
		{name: "_acme-challenge", rrtype: "TXT", values: []string{fmt.Sprintf("token-%d", r)}},
	}
	if r >= 2 && s.has("CNAME") {
		sets = append(sets, rec{name: "alias", rrtype: "CNAME", values: []string{"www.example.net."}})
	}
	return sets
}

// testSharedZone: two configurations with different owners share one
// zone, each applying its own spec in ownership mode, round after round,
// with a third writer changing its own records between the runs. Neither
// owner's apply changes a record set it does not own; both plan as no
// change after their applies; the third writer's records are never
// touched; a set the spec no longer declares goes with its marker, and
// nothing else; and a set another owner holds is refused, naming it.
func testSharedZone(t *testing.T, s *suite) {
	if !s.has("TXT") {
		t.Skip("the provider holds no TXT records, where markers live")
	}
	specA := func(r int) []rec {
		sets := []rec{
			{name: "www", rrtype: "A", values: []string{fmt.Sprintf("192.0.2.%d", 10+r)}},
			{name: "mail", rrtype: "A", values: []string{"192.0.2.25"}},
		}
		if s.has("MX") {
			sets = append(sets, rec{name: "@", rrtype: "MX", values: []string{"10 mail." + s.h.Zone + "."}})
		}
		return sets
	}
	specB := func(r int) []rec {
		sets := []rec{
			{name: "api", rrtype: "A", values: []string{"192.0.2.30"}},
			{name: "@", rrtype: "TXT", values: []string{fmt.Sprintf("team-b-verification-%d", r)}},
			{name: "*.apps", rrtype: "A", values: []string{"192.0.2.31"}},
		}
		if r >= 2 {
			sets = append(sets, rec{name: "b-extra", rrtype: "TXT", values: []string{"added in round 2"}})
		}
		return sets
	}
	var prevA, prevB *model.Zone
	for r := 1; r <= 3; r++ {
		a, b := s.owned(t, ownerA, specA(r)...), s.owned(t, ownerB, specB(r)...)
		s.applyOwned(t, a, prevA)
		s.writeForeign(t, s.foreignSets(r)...)
		s.applyOwned(t, b, prevB)
		s.writeForeign(t, rec{name: "note", rrtype: "TXT", values: []string{fmt.Sprintf("written by a person after round %d", r)}})
		// Each plans as no change after the other's apply and the third writer's.
		require.Empty(t, describeOps(Plan(t, a, s.read(t), s.caps)), "round %d: %s plans changes after %s's apply", r, ownerA, ownerB)
		require.Empty(t, describeOps(Plan(t, b, s.read(t), s.caps)), "round %d: %s plans changes after %s's apply", r, ownerB, ownerA)
		prevA, prevB = a, b
	}

	// The plan shows the third writer's and the other owner's sets as left alone.
	zp := Plan(t, prevA, s.read(t), s.caps)
	var alone []string
	for _, la := range zp.LeftAlone {
		for _, k := range la.Sets {
			alone = append(alone, la.Owner+": "+k.Name+" "+k.Type)
		}
	}
	for _, want := range []string{"owner " + ownerB + ": api A", "external-dns (owner cluster1): k8s A", "no marker: manual A", "no marker: _acme-challenge TXT"} {
		assert.Contains(t, alone, want, "left alone in %s's plan", ownerA)
	}

	// A spec set another owner holds is refused, naming the owner.
	collide := s.owned(t, ownerA, append(specA(3), rec{name: "api", rrtype: "A", values: []string{"192.0.2.99"}})...)
	zp = Plan(t, collide, s.read(t), s.caps)
	require.NotEmpty(t, zp.Refusals, "a set %s holds is taken over without adopt:\n%s", ownerB, describeOps(zp))
	assert.Contains(t, strings.Join(zp.Refusals, "\n"), ownerB, "the refusal names the owner")

	// Deleting a spec set deletes the set and its marker, nothing else.
	liveBefore := s.read(t)
	dropped := s.owned(t, ownerA, specA(3)[1:]...)
	zp = s.applyOwned(t, dropped, prevA)
	marker, err := ownership.Name(s.h.Zone, "www", "A")
	require.NoError(t, err)
	var got []string
	for _, op := range zp.Operations {
		got = append(got, string(op.Action)+" "+op.Name+" "+op.Type)
	}
	assert.ElementsMatch(t, []string{"delete www A", "delete " + marker + " TXT"}, got, "dropping www from %s's spec", ownerA)
	liveAfter := s.read(t)
	for _, rs := range liveBefore.Records {
		if rs.Name == "www" && rs.Type == "A" || rs.Name == marker && rs.Type == "TXT" {
			assert.Nil(t, liveAfter.Find(rs.Name, rs.Type), "%s %s after it was dropped", rs.Name, rs.Type)
			continue
		}
		assert.NotNil(t, liveAfter.Find(rs.Name, rs.Type), "%s %s is gone after %s dropped www A", rs.Name, rs.Type, ownerA)
	}
	require.Empty(t, describeOps(Plan(t, prevB, liveAfter, s.caps)), "%s plans changes after %s dropped a set", ownerB, ownerA)

	// The third writer's records are as it last wrote them.
	for _, f := range append(s.foreignSets(3), rec{name: "note", rrtype: "TXT", values: []string{"written by a person after round 3"}}) {
		want := s.zone(t, f).Records[0]
		if got := liveAfter.Find(f.name, f.rrtype); assert.NotNil(t, got, "the third writer's %s %s", f.name, f.rrtype) {
			assert.Equal(t, want.Values, got.Values, "the third writer's %s %s", f.name, f.rrtype)
		}
	}
}
