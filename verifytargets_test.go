package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/verify"
)

// TestVerifyMergesTargets: a zone served by two providers is verified once,
// for the record sets both serve alike; a zone with one provider is left
// as it is.
func TestVerifyMergesTargets(t *testing.T) {
	rs := func(name, rrtype, value string) *model.RecordSet {
		r, err := model.NewRecordSet(name, rrtype, 300, value)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := &model.Zone{Name: "e.test", Provider: "a", Targets: []string{"a", "b"},
		Records: []*model.RecordSet{rs("@", "A", "192.0.2.1"), rs("only-a", "A", "192.0.2.2"), rs("www", "A", "192.0.2.3")}}
	b := &model.Zone{Name: "e.test", Provider: "b", Targets: []string{"a", "b"},
		Records: []*model.RecordSet{rs("@", "A", "192.0.2.1"), rs("www", "A", "192.0.2.9")}}
	single := &model.Zone{Name: "o.test", Provider: "a", Records: []*model.RecordSet{rs("www", "A", "192.0.2.3")}}
	check := func(name string) verify.Check { return verify.Check{Name: name, Type: "A"} }
	got := mergeTargets([]verify.Zone{
		{Name: "e.test", Checks: []verify.Check{check("@"), check("only-a"), check("www")}},
		{Name: "o.test", Checks: []verify.Check{check("www")}},
		{Name: "e.test", Checks: []verify.Check{check("@"), check("gone"), check("www")}},
	}, []*model.Zone{a, b, single})
	assert.Equal(t, []verify.Zone{
		{Name: "e.test", Checks: []verify.Check{check("@"), check("gone")}},
		{Name: "o.test", Checks: []verify.Check{check("www")}},
	}, got)
}

// TestAppliedZonesOfATargetAppliedBefore: apply of a saved plan whose
// first target landed on an earlier run (already applied) verifies the
// other target's changes at every server of the zone only for the record
// sets both targets serve alike: a set only the second target gets is not
// asked of the first one's servers.
func TestAppliedZonesOfATargetAppliedBefore(t *testing.T) {
	rs := func(name, value string) *model.RecordSet {
		r, err := model.NewRecordSet(name, "A", 300, value)
		require.NoError(t, err)
		return r
	}
	targets := []string{"a", "b"}
	a := &model.Zone{Name: "e.test", Provider: "a", Targets: targets, Records: []*model.RecordSet{rs("www", "192.0.2.1")}}
	b := &model.Zone{Name: "e.test", Provider: "b", Targets: targets, Records: []*model.RecordSet{rs("only-b", "192.0.2.2"), rs("www", "192.0.2.1")}}
	create := func(name string, seq int) *plan.Operation {
		return &plan.Operation{Seq: seq, Action: plan.Create, Name: name, Type: "A", After: &plan.State{Values: []string{"x"}}}
	}
	prep := &apply.Prepared{
		Plan:           &plan.Plan{Zones: []*plan.ZonePlan{{Zone: "e.test", Provider: "b", Target: "e.test@b", Operations: []*plan.Operation{create("only-b", 1), create("www", 2)}}}},
		Desired:        []*model.Zone{b},
		AlreadyApplied: []*plan.ZonePlan{{Zone: "e.test", Provider: "a", Target: "e.test@a", Operations: []*plan.Operation{create("www", 1)}}},
		OtherTargets:   []*model.Zone{a},
	}
	rep := &apply.Report{Zones: []*apply.ZoneReport{{Zone: "e.test", Provider: "b", Target: "e.test@b",
		Results: []apply.Result{{Seq: 1, Status: apply.OK}, {Seq: 2, Status: apply.OK}}}}}
	got := appliedZones(prep, rep)
	require.Len(t, got, 1)
	var names []string
	for _, c := range got[0].Checks {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"www"}, names)
}
