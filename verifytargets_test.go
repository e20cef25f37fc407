package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/model"
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
