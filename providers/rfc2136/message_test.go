package rfc2136

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
)

// flat writes records one per line, fields separated by one space.
func flat(rrs []dns.RR) []string {
	out := make([]string, len(rrs))
	for i, rr := range rrs {
		out[i] = strings.Join(strings.Fields(rr.String()), " ")
	}
	return out
}

func TestNewChange(t *testing.T) {
	const zone = "example.test"
	st := func(ttl uint32, values ...string) *plan.State { return &plan.State{TTL: &ttl, Values: values} }
	for _, tc := range []struct {
		name string
		op   *plan.Operation
		// spelled is the server's spelling of the set's values.
		spelled                  map[string]string
		prereqs, updates, expect []string
		// rewrites and removed are what leaves the index once it landed.
		rewrites bool
		removed  []string
		err      string
	}{
		{
			name:     "create: the RRset and a CNAME must not exist",
			op:       &plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: st(300, "192.0.2.1", "192.0.2.2")},
			prereqs:  []string{"www.example.test. 0 NONE A", "www.example.test. 0 NONE CNAME"},
			updates:  []string{"www.example.test. 300 IN A 192.0.2.1", "www.example.test. 300 IN A 192.0.2.2"},
			expect:   []string{"www.example.test. 0 IN A 192.0.2.1", "www.example.test. 0 IN A 192.0.2.2"},
			rewrites: true,
		},
		{
			name:     "create a CNAME: the name must hold nothing",
			op:       &plan.Operation{Action: plan.Create, Name: "alias", Type: "CNAME", After: st(60, "www.example.test.")},
			prereqs:  []string{"alias.example.test. 0 NONE ANY"},
			updates:  []string{"alias.example.test. 60 IN CNAME www.example.test."},
			expect:   []string{"alias.example.test. 0 IN CNAME www.example.test."},
			rewrites: true,
		},
		{
			name:     "update of the TTL: the values the plan saw, then delete the set and add the new one",
			op:       &plan.Operation{Action: plan.Update, Name: "@", Type: "MX", Before: st(300, "10 mx1.example.test.", "20 mx2.example.test."), After: st(600, "20 mx2.example.test.", "30 mx3.example.test.")},
			prereqs:  []string{"example.test. 0 IN MX 10 mx1.example.test.", "example.test. 0 IN MX 20 mx2.example.test."},
			updates:  []string{"example.test. 0 CLASS255 MX", "example.test. 600 IN MX 20 mx2.example.test.", "example.test. 600 IN MX 30 mx3.example.test."},
			expect:   []string{"example.test. 0 IN MX 20 mx2.example.test.", "example.test. 0 IN MX 30 mx3.example.test."},
			rewrites: true,
		},
		{
			name:    "update of values: delete the removed ones as the server spells them, add the new ones",
			op:      &plan.Operation{Action: plan.Update, Name: "@", Type: "MX", Before: st(300, "10 mx1.example.test.", "20 mx2.example.test."), After: st(300, "20 mx2.example.test.", "30 mx3.example.test.")},
			spelled: map[string]string{"10 mx1.example.test.": "10 MX1.Example.TEST."},
			prereqs: []string{"example.test. 0 IN MX 10 MX1.Example.TEST.", "example.test. 0 IN MX 20 mx2.example.test."},
			updates: []string{"example.test. 0 NONE MX 10 MX1.Example.TEST.", "example.test. 300 IN MX 30 mx3.example.test."},
			expect:  []string{"example.test. 0 IN MX 20 mx2.example.test.", "example.test. 0 IN MX 30 mx3.example.test."},
			removed: []string{"10 mx1.example.test."},
		},
		{
			name:    "update that only adds",
			op:      &plan.Operation{Action: plan.Update, Name: "www", Type: "A", Before: st(300, "192.0.2.1"), After: st(300, "192.0.2.1", "192.0.2.2")},
			prereqs: []string{"www.example.test. 0 IN A 192.0.2.1"},
			updates: []string{"www.example.test. 300 IN A 192.0.2.2"},
			expect:  []string{"www.example.test. 0 IN A 192.0.2.1", "www.example.test. 0 IN A 192.0.2.2"},
		},
		{
			name:     "update that removes more than it keeps: rewriting the set takes fewer bytes",
			op:       &plan.Operation{Action: plan.Update, Name: "www", Type: "A", Before: st(300, "192.0.2.1", "192.0.2.2", "192.0.2.3"), After: st(300, "192.0.2.1", "192.0.2.4")},
			prereqs:  []string{"www.example.test. 0 IN A 192.0.2.1", "www.example.test. 0 IN A 192.0.2.2", "www.example.test. 0 IN A 192.0.2.3"},
			updates:  []string{"www.example.test. 0 CLASS255 A", "www.example.test. 300 IN A 192.0.2.1", "www.example.test. 300 IN A 192.0.2.4"},
			expect:   []string{"www.example.test. 0 IN A 192.0.2.1", "www.example.test. 0 IN A 192.0.2.4"},
			rewrites: true,
		},
		{
			name:    "delete",
			op:      &plan.Operation{Action: plan.Delete, Name: "old", Type: "AAAA", Before: st(300, "2001:db8::1")},
			prereqs: []string{"old.example.test. 0 IN AAAA 2001:db8::1"},
			updates: []string{"old.example.test. 0 CLASS255 AAAA"},
			expect:  []string{"old.example.test. 0 NONE AAAA"}, rewrites: true,
		},
		{
			name:     "the prerequisite carries the server's own spelling",
			op:       &plan.Operation{Action: plan.Update, Name: "txt", Type: "TXT", Before: st(300, `"abc"`), After: st(300, `"abcd"`)},
			spelled:  map[string]string{`"abc"`: `"ab" "c"`},
			prereqs:  []string{`txt.example.test. 0 IN TXT "ab" "c"`},
			updates:  []string{"txt.example.test. 0 CLASS255 TXT", `txt.example.test. 300 IN TXT "abcd"`},
			expect:   []string{`txt.example.test. 0 IN TXT "abcd"`},
			rewrites: true,
		},
		{
			name: "apex NS: add the new servers, then remove the old one by one",
			op: &plan.Operation{Action: plan.Update, Name: "@", Type: "NS",
				Before: st(3600, "ns1.example.net.", "ns2.example.net."), After: st(3600, "ns2.example.net.", "ns3.example.net.")},
			spelled: map[string]string{"ns1.example.net.": "NS1.example.net."},
			prereqs: []string{"example.test. 0 IN NS NS1.example.net.", "example.test. 0 IN NS ns2.example.net."},
			updates: []string{"example.test. 3600 IN NS ns3.example.net.", "example.test. 0 NONE NS NS1.example.net."},
			expect:  []string{"example.test. 0 IN NS ns2.example.net.", "example.test. 0 IN NS ns3.example.net."},
			removed: []string{"ns1.example.net."},
		},
		{
			name: "apex NS with a new TTL: every server is added again with it",
			op: &plan.Operation{Action: plan.Update, Name: "@", Type: "NS",
				Before: st(3600, "ns1.example.net.", "ns2.example.net."), After: st(600, "ns2.example.net.", "ns3.example.net.")},
			prereqs: []string{"example.test. 0 IN NS ns1.example.net.", "example.test. 0 IN NS ns2.example.net."},
			updates: []string{"example.test. 600 IN NS ns2.example.net.", "example.test. 600 IN NS ns3.example.net.", "example.test. 0 NONE NS ns1.example.net."},
			expect:  []string{"example.test. 0 IN NS ns2.example.net.", "example.test. 0 IN NS ns3.example.net."},
			removed: []string{"ns1.example.net."},
		},
		{
			name: "apex NS cannot be deleted",
			op:   &plan.Operation{Action: plan.Delete, Name: "@", Type: "NS", Before: st(3600, "ns1.example.net.")},
			err:  "the apex NS records cannot be deleted",
		},
		{
			name: "a value that does not parse",
			op:   &plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: st(300, "not-an-address")},
			err:  `www.example.test. A value "not-an-address"`,
		},
		{
			name: "create without values",
			op:   &plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: &plan.State{}},
			err:  "the plan's create has no values",
		},
		{
			name: "update without an after state",
			op:   &plan.Operation{Action: plan.Update, Name: "www", Type: "A", Before: st(300, "192.0.2.1")},
			err:  "the plan's update has no values after it",
		},
		{
			name: "delete without a before state",
			op:   &plan.Operation{Action: plan.Delete, Name: "www", Type: "A"},
			err:  "the plan's delete has no values before it",
		},
		{
			name: "an unknown type",
			op:   &plan.Operation{Action: plan.Create, Name: "www", Type: "NOPE", After: st(300, "x")},
			err:  "unknown record type NOPE",
		},
		{
			name: "not a record operation",
			op:   &plan.Operation{Action: plan.UpdateSOA},
			err:  "update_soa is not a record operation",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := newChange(zone, tc.spelled, tc.op)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(tc.prereqs, flat(c.prereqs)), "prerequisites (-want +got)")
			assert.Empty(t, cmp.Diff(tc.updates, flat(c.updates)), "updates (-want +got)")
			assert.Empty(t, cmp.Diff(tc.expect, flat(c.expect)), "check (-want +got)")
			assert.Equal(t, tc.rewrites, c.rewrites, "rewrites the whole set")
			assert.Empty(t, cmp.Diff(tc.removed, c.removed), "values deleted record by record (-want +got)")
			m := updateMsg(zone, []*change{c})
			assert.Equal(t, 12+len("example.test.")+1+4+c.size, m.Len(), "message size against the change's own count")
		})
	}
}

func TestChunks(t *testing.T) {
	sized := func(sizes ...int) []*change {
		out := make([]*change, len(sizes))
		for i, s := range sizes {
			out[i] = &change{size: s, op: &plan.Operation{Seq: i + 1}}
		}
		return out
	}
	seqs := func(chunks [][]*change) string {
		var parts []string
		for _, ch := range chunks {
			var s []string
			for _, c := range ch {
				s = append(s, fmt.Sprint(c.op.Seq))
			}
			parts = append(parts, strings.Join(s, ","))
		}
		return strings.Join(parts, " | ")
	}
	for _, tc := range []struct {
		name  string
		sizes []int
		want  string
	}{
		{"all fit", []int{100, 200, 300}, "1,2,3"},
		{"exactly full", []int{maxBody / 2, maxBody / 2, 1}, "1,2 | 3"},
		{"split on change boundaries", []int{40000, 30000, 20000, 20000, 30000}, "1 | 2,3 | 4,5"},
		{"a change over the limit goes alone", []int{10, maxBody + 5, 10}, "1 | 2 | 3"},
		{"nothing", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, seqs(chunks(sized(tc.sizes...))))
		})
	}
}
