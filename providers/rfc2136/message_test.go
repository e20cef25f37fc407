package rfc2136

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
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
	// live holds a TXT another client wrote in two chunks.
	live := &model.Zone{Name: zone, Records: []*model.RecordSet{
		{Name: "txt", Type: "TXT", TTL: 300, Values: []string{`"abc"`}, IDs: map[string]string{`"abc"`: `"ab" "c"`}},
	}}
	for _, tc := range []struct {
		name                     string
		op                       *plan.Operation
		prereqs, updates, expect []string
		err                      string
	}{
		{
			name:    "create: the RRset and a CNAME must not exist",
			op:      &plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: st(300, "192.0.2.1", "192.0.2.2")},
			prereqs: []string{"www.example.test. 0 NONE A", "www.example.test. 0 NONE CNAME"},
			updates: []string{"www.example.test. 300 IN A 192.0.2.1", "www.example.test. 300 IN A 192.0.2.2"},
			expect:  []string{"www.example.test. 0 IN A 192.0.2.1", "www.example.test. 0 IN A 192.0.2.2"},
		},
		{
			name:    "create a CNAME: the name must hold nothing",
			op:      &plan.Operation{Action: plan.Create, Name: "alias", Type: "CNAME", After: st(60, "www.example.test.")},
			prereqs: []string{"alias.example.test. 0 NONE ANY"},
			updates: []string{"alias.example.test. 60 IN CNAME www.example.test."},
			expect:  []string{"alias.example.test. 0 IN CNAME www.example.test."},
		},
		{
			name:    "update: the values the plan saw, then delete the set and add the new one",
			op:      &plan.Operation{Action: plan.Update, Name: "@", Type: "MX", Before: st(300, "10 mx1.example.test."), After: st(600, "20 mx2.example.test.")},
			prereqs: []string{"example.test. 0 IN MX 10 mx1.example.test."},
			updates: []string{"example.test. 0 CLASS255 MX", "example.test. 600 IN MX 20 mx2.example.test."},
			expect:  []string{"example.test. 0 IN MX 20 mx2.example.test."},
		},
		{
			name:    "delete",
			op:      &plan.Operation{Action: plan.Delete, Name: "old", Type: "AAAA", Before: st(300, "2001:db8::1")},
			prereqs: []string{"old.example.test. 0 IN AAAA 2001:db8::1"},
			updates: []string{"old.example.test. 0 CLASS255 AAAA"},
			expect:  []string{"old.example.test. 0 NONE AAAA"},
		},
		{
			name:    "the prerequisite carries the server's own spelling",
			op:      &plan.Operation{Action: plan.Update, Name: "txt", Type: "TXT", Before: st(300, `"abc"`), After: st(300, `"abcd"`)},
			prereqs: []string{`txt.example.test. 0 IN TXT "ab" "c"`},
			updates: []string{"txt.example.test. 0 CLASS255 TXT", `txt.example.test. 300 IN TXT "abcd"`},
			expect:  []string{`txt.example.test. 0 IN TXT "abcd"`},
		},
		{
			name: "apex NS: add the new servers, then remove the old one by one",
			op: &plan.Operation{Action: plan.Update, Name: "@", Type: "NS",
				Before: st(3600, "ns1.example.net.", "ns2.example.net."), After: st(600, "ns2.example.net.", "ns3.example.net.")},
			prereqs: []string{"example.test. 0 IN NS ns1.example.net.", "example.test. 0 IN NS ns2.example.net."},
			updates: []string{"example.test. 600 IN NS ns2.example.net.", "example.test. 600 IN NS ns3.example.net.", "example.test. 0 NONE NS ns1.example.net."},
			expect:  []string{"example.test. 0 IN NS ns2.example.net.", "example.test. 0 IN NS ns3.example.net."},
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
			c, err := newChange(zone, live, tc.op)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []struct {
				section   string
				got, want []string
			}{{"prerequisites", flat(c.prereqs), tc.prereqs}, {"updates", flat(c.updates), tc.updates}, {"check", flat(c.expect), tc.expect}} {
				if !slices.Equal(s.got, s.want) {
					t.Errorf("%s:\n got %q\nwant %q", s.section, s.got, s.want)
				}
			}
			m := updateMsg(zone, []*change{c})
			if got, want := m.Len(), 12+len("example.test.")+1+4+c.size; got != want {
				t.Errorf("message of %d bytes, change counted %d: the size estimate is off", got, want)
			}
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
			if got := seqs(chunks(sized(tc.sizes...))); got != tc.want {
				t.Errorf("chunks %q, want %q", got, tc.want)
			}
		})
	}
}
