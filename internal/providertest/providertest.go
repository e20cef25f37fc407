// Package providertest is the conformance suite every provider runs against
// itself: it plans zones with plan.Zone and drives the provider's Apply
// directly, the way apply does (in order, in batches where the provider
// says Batch, one live zone for every call of a zone), and checks that
// what the provider reads back is what was applied, that a second plan is
// empty, and that Apply left the live zone it was given as it was. One
// case, TwoTargetsOneFailing, goes through apply itself (apply.Prepare,
// apply.Run), as the CLI does: a zone served by the provider under test
// and an in-process second provider, one of them failing halfway.
//
// A provider's test calls Run with a function that returns a fresh provider
// and an empty zone to work in (or the name of a zone to create).
package providertest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// Harness is one provider instance under test.
type Harness struct {
	// Provider is the provider under test.
	Provider providers.Provider
	// Zone is the zone the suite works in. It must exist and hold no
	// records but those the provider keeps itself (SOA, apex NS), unless
	// the provider can create zones, in which case it may not exist yet.
	Zone string
	// Skip names subtests to skip, with the reason as value; the suite
	// logs them so that no skip is silent.
	Skip map[string]string
}

// NewHarness makes a fresh harness; each subtest gets its own.
type NewHarness func(t *testing.T) Harness

// ProviderName is the provider name the suite's zones use.
const ProviderName = "under-test"

// Run runs the conformance suite.
func Run(t *testing.T, newHarness NewHarness) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, *suite)
	}{
		{"ReadMissingZone", testReadMissing},
		{"ListZones", testListZones},
		{"EveryRecordType", testEveryType},
		{"UpdateValues", testUpdateValues},
		{"TTL", testTTL},
		{"Delete", testDelete},
		{"ManyValues", testManyValues},
		{"WildcardAndUnderscoreNames", testNames},
		{"CNAMEReplacesOtherData", testCNAMEConflict},
		{"SOA", testSOA},
		{"IgnoreRules", testIgnore},
		{"TXTStringBoundaries", testTXTStrings},
		{"Failover", testFailover},
		{"ZoneChangedSincePlan", testZoneChanged},
		{"SharedZoneTwoOwners", testSharedZone},
		{"TwoTargetsOneFailing", testTwoTargets},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if why, ok := h.Skip[tc.name]; ok {
				t.Skipf("skipped by the provider's harness: %s", why)
			}
			tc.fn(t, &suite{h: h, caps: h.Provider.Capabilities()})
		})
	}
}

// suite is one subtest's state.
type suite struct {
	h    Harness
	caps model.Capabilities
	// trustLive skips the check that Apply leaves its live zone as it
	// was (a deep comparison per call), for measurements of thousands of
	// operations; the conformance suite makes the check.
	trustLive bool
}

// rec is a record set as the tests write it: values in spec form.
type rec struct {
	name, rrtype string
	ttl          uint32
	values       []string
	// txt are TXT values given as the strings of one record each, their
	// boundaries kept (a spec's list form).
	txt      [][]string
	failover *model.Failover
}

// zone builds a desired zone from record sets, canonicalising values as
// the spec loader does.
func (s *suite) zone(t *testing.T, records ...rec) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: s.h.Zone, Provider: ProviderName, Mode: model.Master, TTL: s.ttl(0)}
	for _, r := range records {
		ttl := z.TTL
		if r.ttl != 0 && !s.caps.ZoneTTL {
			ttl = r.ttl
		}
		rs, err := model.NewRecordSet(r.name, r.rrtype, ttl, r.values...)
		require.NoError(t, err, "test data")
		for _, strs := range r.txt {
			v, err := model.TXTStringsValue(strs)
			require.NoError(t, err, "test data")
			rs.Values = append(rs.Values, v)
		}
		rs.SetValues(rs.Values)
		rs.Failover = r.failover
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// ttl returns the i-th TTL (0: the default one) that the provider accepts.
func (s *suite) ttl(i int) uint32 {
	candidates := []uint32{3600, 300, 86400, 600, 60}
	var ok []uint32
	for _, c := range candidates {
		if s.caps.TTLProblem(c) == "" {
			ok = append(ok, c)
		}
	}
	if len(ok) == 0 {
		ok = s.caps.AllowedTTLs
	}
	return ok[i%len(ok)]
}

// sync plans desired against the live zone, applies the plan, checks every
// operation succeeded, and checks a second plan is empty. It returns the plan.
func (s *suite) sync(t *testing.T, desired *model.Zone) *plan.ZonePlan {
	t.Helper()
	zp := s.apply(t, desired)
	require.Empty(t, describeOps(s.plan(t, desired)), "plan after apply is not empty (not idempotent)")
	s.checkReadBack(t, desired)
	return zp
}

// plan diffs desired against what the provider reads now.
func (s *suite) plan(t *testing.T, desired *model.Zone) *plan.ZonePlan {
	t.Helper()
	zp, err := plan.Zone(desired, s.read(t), s.caps, nil)
	require.NoError(t, err, "plan")
	return zp
}

// read reads the zone; nil when it does not exist.
func (s *suite) read(t *testing.T) *model.Zone {
	t.Helper()
	live, err := s.h.Provider.ReadZone(context.Background(), s.h.Zone, providers.ReadOptions{})
	if errors.Is(err, providers.ErrZoneNotFound) {
		return nil
	}
	require.NoError(t, err, "ReadZone(%s)", s.h.Zone)
	require.Equal(t, s.h.Zone, live.Name, "ReadZone(%s) returned another zone", s.h.Zone)
	return live
}

// apply plans and applies desired, requiring every operation to succeed.
func (s *suite) apply(t *testing.T, desired *model.Zone) *plan.ZonePlan {
	t.Helper()
	live := s.read(t)
	if live == nil {
		require.True(t, s.caps.CreateZone, "zone %s does not exist and the provider cannot create zones", s.h.Zone)
	}
	zp, err := plan.Zone(desired, live, s.caps, nil)
	require.NoError(t, err, "plan")
	for i, r := range s.run(t, live, zp) {
		op := zp.Operations[i]
		require.Equal(t, ok, r.status, "operation %d %s %s %s: %v\nplan:\n%s", op.Seq, op.Action, op.Name, op.Type, r.err, describeOps(zp))
	}
	return zp
}

// checkReadBack compares the managed live zone with desired, set by set,
// reports every difference, and then stops the test if there was one.
func (s *suite) checkReadBack(t *testing.T, desired *model.Zone) {
	t.Helper()
	live := plan.Managed(desired, s.read(t), s.caps)
	require.NotNil(t, live, "zone %s does not exist after apply", s.h.Zone)
	same := true
	for _, want := range desired.Records {
		got := live.Find(want.Name, want.Type)
		if !assert.NotNil(t, got, "read back: %s %s is missing after apply", want.Name, want.Type) {
			same = false
			continue
		}
		// EquateEmpty: a set without values is one, nil or not.
		if d := cmp.Diff(want.Values, got.Values, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("read back: %s %s values (-applied +read):\n%s", want.Name, want.Type, d)
			same = false
		}
		if !s.caps.ZoneTTL {
			same = assert.Equal(t, want.TTL, got.TTL, "read back: %s %s ttl", want.Name, want.Type) && same
		}
		if d := cmp.Diff(want.Failover, got.Failover); d != "" {
			t.Errorf("read back: %s %s failover (-applied +read):\n%s", want.Name, want.Type, d)
			same = false
		}
	}
	for _, got := range live.Records {
		same = assert.NotNil(t, desired.Find(got.Name, got.Type), "read back: %s %s is present after apply but not desired", got.Name, got.Type) && same
	}
	if !same {
		t.FailNow()
	}
}

// has reports whether the provider can hold every given type.
func (s *suite) has(types ...string) bool {
	for _, typ := range types {
		if !s.caps.HasType(typ) {
			return false
		}
	}
	return true
}

func describeOps(zp *plan.ZonePlan) string {
	var b strings.Builder
	for _, op := range zp.Operations {
		fmt.Fprintf(&b, "  %d %s %s %s", op.Seq, op.Action, op.Name, op.Type)
		if op.Before != nil {
			fmt.Fprintf(&b, " before=%v", op.Before.Values)
		}
		if op.After != nil {
			fmt.Fprintf(&b, " after=%v", op.After.Values)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// actions lists the actions of a plan's operations in order.
func actions(zp *plan.ZonePlan) []plan.Action {
	out := []plan.Action{}
	for _, op := range zp.Operations {
		out = append(out, op.Action)
	}
	return out
}

func countActions(zp *plan.ZonePlan, a plan.Action) int {
	n := 0
	for _, op := range zp.Operations {
		if op.Action == a {
			n++
		}
	}
	return n
}
