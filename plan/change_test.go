package plan

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

func state(ttl uint32, values ...string) *State {
	return &State{TTL: ttlPtr(ttl), Values: values}
}

func TestNewChange(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after *State
		want          *Change
	}{
		{
			name:  "create: every value added, all of them creates",
			after: state(300, "192.0.2.1", "192.0.2.2"),
			want:  &Change{Added: []string{"192.0.2.1", "192.0.2.2"}, Creates: []string{"192.0.2.1", "192.0.2.2"}},
		},
		{
			name:   "delete: every value removed, all of them deletes",
			before: state(300, "192.0.2.1"),
			want:   &Change{Removed: []string{"192.0.2.1"}, Deletes: []string{"192.0.2.1"}},
		},
		{
			name:   "one value replaced: one in-place pair",
			before: state(300, "192.0.2.1", "192.0.2.2"),
			after:  state(300, "192.0.2.2", "192.0.2.3"),
			want: &Change{Added: []string{"192.0.2.3"}, Removed: []string{"192.0.2.1"}, Kept: []string{"192.0.2.2"},
				Pairs: []Pair{{Old: "192.0.2.1", New: "192.0.2.3"}}},
		},
		{
			name:   "more added than removed: pairs in canonical order, the rest created",
			before: state(300, "192.0.2.9", "192.0.2.5"),
			after:  state(300, "192.0.2.1", "192.0.2.2", "192.0.2.3"),
			want: &Change{Added: []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}, Removed: []string{"192.0.2.5", "192.0.2.9"},
				Pairs:   []Pair{{Old: "192.0.2.5", New: "192.0.2.1"}, {Old: "192.0.2.9", New: "192.0.2.2"}},
				Creates: []string{"192.0.2.3"}},
		},
		{
			name:   "more removed than added: the rest deleted",
			before: state(300, "10 a.example.", "20 b.example.", "30 c.example."),
			after:  state(300, "5 z.example."),
			want: &Change{Added: []string{"5 z.example."}, Removed: []string{"10 a.example.", "20 b.example.", "30 c.example."},
				Pairs: []Pair{{Old: "10 a.example.", New: "5 z.example."}}, Deletes: []string{"20 b.example.", "30 c.example."}},
		},
		{
			name:   "TTL only: every kept value retimed, no pair",
			before: state(300, "192.0.2.1", "192.0.2.2"),
			after:  state(600, "192.0.2.1", "192.0.2.2"),
			want: &Change{Kept: []string{"192.0.2.1", "192.0.2.2"}, TTLChanged: true,
				Retimed: []string{"192.0.2.1", "192.0.2.2"}},
		},
		{
			name:   "TTL and values: the pair carries the new TTL, the kept value is retimed",
			before: state(300, "192.0.2.1", "192.0.2.2"),
			after:  state(60, "192.0.2.2", "192.0.2.7"),
			want: &Change{Added: []string{"192.0.2.7"}, Removed: []string{"192.0.2.1"}, Kept: []string{"192.0.2.2"}, TTLChanged: true,
				Pairs: []Pair{{Old: "192.0.2.1", New: "192.0.2.7"}}, Retimed: []string{"192.0.2.2"}},
		},
		{
			name:   "values out of order or repeated (an edited file): sorted on a copy first",
			before: state(300, "b", "a", "a"),
			after:  state(300, "c", "b"),
			want: &Change{Added: []string{"c"}, Removed: []string{"a"}, Kept: []string{"b"},
				Pairs: []Pair{{Old: "a", New: "c"}}},
		},
		{
			name:   "a state without a TTL changes no TTL",
			before: &State{Values: []string{"a"}},
			after:  state(300, "a"),
			want:   &Change{Kept: []string{"a"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NewChange(tc.before, tc.after)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("NewChange (-want +got):\n%s", d)
			}
			// The lists are views of each other, as documented.
			assert.Equal(t, len(got.Pairs), len(got.Added)-len(got.Creates))
			assert.Equal(t, len(got.Pairs), len(got.Removed)-len(got.Deletes))
		})
	}
}

func TestNewChangeLeavesTheStatesAlone(t *testing.T) {
	before := state(300, "b", "a")
	NewChange(before, state(300, "c"))
	assert.Equal(t, []string{"b", "a"}, before.Values)
}

func TestDiffAndDecodeGiveTheSameChanges(t *testing.T) {
	desired := zone(t, "a A 300 192.0.2.1|192.0.2.4", "b A 600 192.0.2.3", "new TXT 300 hello")
	live := zone(t, "a A 300 192.0.2.1|192.0.2.2", "b A 300 192.0.2.3", "old MX 300 10 mx.example.com.")
	zp := Diff(desired, live, allCaps)
	want := map[string]*Change{
		"update a A": {Added: []string{"192.0.2.4"}, Removed: []string{"192.0.2.2"}, Kept: []string{"192.0.2.1"},
			Pairs: []Pair{{Old: "192.0.2.2", New: "192.0.2.4"}}},
		"update b A":     {Kept: []string{"192.0.2.3"}, TTLChanged: true, Retimed: []string{"192.0.2.3"}},
		"create new TXT": {Added: []string{`"hello"`}, Creates: []string{`"hello"`}},
		"delete old MX":  {Removed: []string{"10 mx.example.com."}, Deletes: []string{"10 mx.example.com."}},
	}
	got := map[string]*Change{}
	for _, op := range zp.Operations {
		require.NotNil(t, op.change, "Diff sets the change of %s %s %s", op.Action, op.Name, op.Type)
		got[string(op.Action)+" "+op.Name+" "+op.Type] = op.Change()
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("Diff's changes (-want +got):\n%s", d)
	}

	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{zp}}
	p.Summarize()
	var file bytes.Buffer
	require.NoError(t, WriteJSON(&file, p))
	for _, key := range []string{`"change"`, `"added"`, `"pairs"`, `"kept"`} {
		assert.NotContains(t, file.String(), key, "the change stays out of the plan file")
	}
	decoded, err := Decode(&file)
	require.NoError(t, err)
	for i, op := range decoded.Zones[0].Operations {
		require.NotNil(t, op.change, "Decode sets the change of operation %d", op.Seq)
		if d := cmp.Diff(zp.Operations[i].Change(), op.Change()); d != "" {
			t.Errorf("operation %d: decoded change differs from Diff's (-diff +decoded):\n%s", op.Seq, d)
		}
	}
}

func TestChangeOfOtherActions(t *testing.T) {
	for _, a := range Actions {
		op := &Operation{Action: a, Name: "www", Type: "A", Before: state(300, "192.0.2.1"), After: state(300, "192.0.2.2")}
		switch a {
		case Create, Update, Delete:
			assert.NotNil(t, op.Change(), "%s has a change", a)
		default:
			assert.Nil(t, op.Change(), "%s is not on a record set's values", a)
		}
	}
	// A hand-built update gets its change computed when asked.
	op := &Operation{Action: Update, Name: "www", Type: "A", Before: state(300, "192.0.2.1"), After: state(300, "192.0.2.2")}
	if d := cmp.Diff([]Pair{{Old: "192.0.2.1", New: "192.0.2.2"}}, op.Change().Pairs); d != "" {
		t.Errorf("pairs of a hand-built update (-want +got):\n%s", d)
	}
}

func TestZone(t *testing.T) {
	desired := zone(t, "www A 300 192.0.2.1", "x CNAME 300 www.example.com.")
	desired.Ignore = []model.IgnoreRule{{Name: "x", Type: "TXT"}, {Name: "typo"}}
	live := zone(t, "gone A 300 192.0.2.9", "x TXT 300 kept")
	_, err := Zone(desired, live, allCaps, nil)
	require.Error(t, err)
	assert.Equal(t, "example.com: x CNAME cannot be created: the ignored live record set x TXT holds the name, and a CNAME can hold no other data", err.Error())

	desired = zone(t, "www A 300 192.0.2.1")
	desired.Ignore = []model.IgnoreRule{{Name: "x", Type: "TXT"}, {Name: "typo"}}
	zp, err := Zone(desired, live, allCaps, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"create www A", "delete gone A"}, ops(zp), "the ignored x TXT is left alone")
	assert.Empty(t, zp.Refusals, "no safety given, no refusals")
	require.Len(t, zp.Warnings, 1)
	assert.Contains(t, zp.Warnings[0], `ignore rule {name: "typo"}`)
	assert.Equal(t, zp.LiveDigest, LiveDigest(desired, live, allCaps))
	for _, op := range zp.Operations {
		assert.NotNil(t, op.change)
	}

	zp, err = Zone(desired, live, allCaps, &config.Safety{MaxDeletePercent: 10, MaxUpdatePercent: 10})
	require.NoError(t, err)
	require.Len(t, zp.Refusals, 1)
	assert.Contains(t, zp.Refusals[0], "would delete 1 of 1 record sets")

	zp, err = Zone(desired, nil, allCaps, nil)
	require.NoError(t, err)
	assert.Equal(t, "none", zp.LiveDigest)
	assert.Equal(t, "none", LiveDigest(desired, nil, allCaps))
}
