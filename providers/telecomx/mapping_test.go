package telecomx

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

func canon(t *testing.T, rrtype, value string) string {
	t.Helper()
	c, err := model.CanonicalValue(rrtype, value)
	require.NoError(t, err, "CanonicalValue(%s, %q)", rrtype, value)
	return c
}

// TestToWire pins the wire form of every supported type: MX priority in
// the type, targets without the trailing dot, TXT rData quoted, "" for the apex.
func TestToWire(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, tc := range []struct {
		name, rrtype, value string
		want                Record
	}{
		{"@", "A", "192.0.2.1", Record{"", "A", "192.0.2.1"}},
		{"www", "AAAA", "2001:db8::1", Record{"www", "AAAA", "2001:db8::1"}},
		{"www", "CNAME", "target.example.com.", Record{"www", "CNAME", "target.example.com"}},
		{"@", "NS", "ns1.telecomx.dk.", Record{"", "NS", "ns1.telecomx.dk"}},
		{"@", "MX", "10 mail.example.com.", Record{"", "MX 10", "mail.example.com"}},
		{"@", "MX", "0 .", Record{"", "MX 0", "."}},
		{"_sip._tcp", "SRV", "10 60 5060 sip.example.com.", Record{"_sip._tcp", "SRV", "10 60 5060 sip.example.com"}},
		{"txt", "TXT", "v=spf1 -all", Record{"txt", "TXT", `"v=spf1 -all"`}},
		{"txt", "TXT", `say "hi" \o/`, Record{"txt", "TXT", `"say \"hi\" \\o/"`}},
		{"txt", "TXT", long, Record{"txt", "TXT", `"` + long[:255] + `" "` + long[255:] + `"`}},
		{"*.wild", "A", "192.0.2.2", Record{"*.wild", "A", "192.0.2.2"}},
	} {
		t.Run(tc.rrtype+" "+tc.value[:min(len(tc.value), 20)], func(t *testing.T) {
			got, err := toWire(tc.name, tc.rrtype, canon(t, tc.rrtype, tc.value))
			require.NoError(t, err, "toWire")
			require.Equal(t, tc.want, got, "toWire")
			// What zonesync writes reads back as the same value.
			name, rrtype, value, err := fromWire("example.com", got)
			require.NoError(t, err, "fromWire(%+v)", got)
			assert.Equal(t, []string{tc.name, tc.rrtype, canon(t, tc.rrtype, tc.value)}, []string{name, rrtype, value}, "round trip")
		})
	}
}

func TestToWireRefusesOtherTypes(t *testing.T) {
	for _, rrtype := range []string{"CAA", "PTR", "SPF", "TLSA"} {
		_, err := toWire("x", rrtype, "whatever")
		if assert.Error(t, err, "toWire(%s)", rrtype) {
			assert.Contains(t, err.Error(), "telecomx cannot hold "+rrtype, "the error names the type and provider")
		}
	}
}

// TestFromWire reads the spellings the API may hand back: trailing dots or
// none, upper case, bare TXT text, uncompressed IPv6, an SRV owner with a dot.
func TestFromWire(t *testing.T) {
	for _, tc := range []struct {
		in                  Record
		name, rrtype, value string
	}{
		{Record{"", "A", "213.83.176.4"}, "@", "A", "213.83.176.4"},
		{Record{"mail", "AAAA", "2001:db8:85a3:0:0:8a2e:370:7334"}, "mail", "AAAA", "2001:db8:85a3::8a2e:370:7334"},
		{Record{"www", "CNAME", "telecomx.dk"}, "www", "CNAME", "telecomx.dk."},
		{Record{"www", "CNAME", "TeleComX.dk."}, "www", "CNAME", "telecomx.dk."},
		{Record{"", "NS", "ns1.telecomx.dk"}, "@", "NS", "ns1.telecomx.dk."},
		{Record{"", "MX 0", "mail.telecomx.dk"}, "@", "MX", "0 mail.telecomx.dk."},
		{Record{"", "MX 10", "mail.telecomx.dk."}, "@", "MX", "10 mail.telecomx.dk."},
		{Record{"", "mx 20", "mx2.telecomx.dk"}, "@", "MX", "20 mx2.telecomx.dk."},
		{Record{"_sip._tcp.telecomx.dk.", "SRV", "10 60 5060 sip.telecomx.dk."}, "_sip._tcp", "SRV", "10 60 5060 sip.telecomx.dk."},
		{Record{"_sip._udp.", "SRV", "0 5 5060 sip.telecomx.dk"}, "_sip._udp", "SRV", "0 5 5060 sip.telecomx.dk."},
		{Record{"WWW", "A", "192.0.2.1"}, "www", "A", "192.0.2.1"},
		{Record{"", "TXT", `"v=spf1 mx a ip4:213.83.176.0/23 a:mail.powernetmail.dk -all"`}, "@", "TXT", `"v=spf1 mx a ip4:213.83.176.0/23 a:mail.powernetmail.dk -all"`},
		{Record{"", "TXT", `v=spf1 -all`}, "@", "TXT", `"v=spf1 -all"`},
		// Each quoted string is one character-string: the boundaries are data.
		{Record{"", "TXT", `"two" "parts"`}, "@", "TXT", `"two" "parts"`},
		{Record{"lab._ipp._tcp", "TXT", `"txtvers=1"  "rp=printers/lab"`}, "lab._ipp._tcp", "TXT", `"txtvers=1" "rp=printers/lab"`},
		{Record{"v4", "AAAA", "::ffff:192.0.2.1"}, "v4", "AAAA", "::ffff:192.0.2.1"},
		{Record{"v4", "AAAA", "::FFFF:c000:201"}, "v4", "AAAA", "::ffff:192.0.2.1"},
	} {
		t.Run(tc.in.Name+" "+tc.in.Type+" "+tc.in.RData, func(t *testing.T) {
			name, rrtype, value, err := fromWire("telecomx.dk", tc.in)
			require.NoError(t, err)
			assert.Equal(t, []string{tc.name, tc.rrtype, tc.value}, []string{name, rrtype, value})
		})
	}
}

func TestFromWireErrors(t *testing.T) {
	for _, tc := range []struct {
		in   Record
		want string
	}{
		{Record{"x", "", "1.2.3.4"}, "no type"},
		{Record{"x", "A", "not-an-ip"}, "cannot be read"},
		{Record{"x", "A", ""}, "cannot be read"},
		{Record{"x", "A", "1.2.3.4\nx A 5.6.7.8"}, "several lines"},
		{Record{"x", "MX 10 20", "mail"}, "not a record type"},
		{Record{"x", "BOGUS", "1"}, "not a record type"},
		{Record{"x", "SRV", "1 2 sip.example.com"}, "cannot be read"},
		{Record{"a b", "A", "1.2.3.4"}, "not a domain name"},
		{Record{"a..b", "A", "1.2.3.4"}, "not a domain name"},
		{Record{"0..", "NS", "ns.example.com"}, "not a domain name"}, // an empty last label (found by fuzzing)
	} {
		_, _, _, err := fromWire("example.com", tc.in)
		if assert.Error(t, err, "fromWire(%+v)", tc.in) {
			assert.Contains(t, err.Error(), tc.want, "fromWire(%+v)", tc.in)
		}
	}
}

// TestZoneModel reads the wiki's example domain: one TTL for every record
// set, duplicates of one value in two spellings kept as two wire records
// for the index.
func TestZoneModel(t *testing.T) {
	d := &Domain{ID: "telecomx.dk", TTL: 86400, Full: true, Records: []Record{
		{"", "A", "213.83.176.4"},
		{"www", "CNAME", "telecomx.dk"},
		{"", "NS", "ns1.telecomx.dk"},
		{"", "MX 0", "mail.telecomx.dk"},
		{"", "MX 10", "mx2.telecomx.dk"},
		{"www2", "CNAME", "telecomx.dk."},
		{"www2", "CNAME", "telecomx.dk"},
	}}
	z, wire, err := zoneModel("telecomx.dk", d)
	require.NoError(t, err)
	var got []string
	for _, rs := range z.Records {
		assert.Equal(t, uint32(86400), rs.TTL, "%s %s ttl: the zone's", rs.Name, rs.Type)
		got = append(got, rs.Name+" "+rs.Type+" "+strings.Join(rs.Values, ","))
	}
	want := []string{"@ A 213.83.176.4", "@ MX 0 mail.telecomx.dk.,10 mx2.telecomx.dk.", "@ NS ns1.telecomx.dk.", "www CNAME telecomx.dk.", "www2 CNAME telecomx.dk."}
	assert.Empty(t, cmp.Diff(want, got), "record sets (-want +got)")
	wantWire := zoneRecords{
		{"@", "A"}:        {"213.83.176.4": {{"", "A", "213.83.176.4"}}},
		{"www", "CNAME"}:  {"telecomx.dk.": {{"www", "CNAME", "telecomx.dk"}}},
		{"@", "NS"}:       {"ns1.telecomx.dk.": {{"", "NS", "ns1.telecomx.dk"}}},
		{"@", "MX"}:       {"0 mail.telecomx.dk.": {{"", "MX 0", "mail.telecomx.dk"}}, "10 mx2.telecomx.dk.": {{"", "MX 10", "mx2.telecomx.dk"}}},
		{"www2", "CNAME"}: {"telecomx.dk.": {{"www2", "CNAME", "telecomx.dk."}, {"www2", "CNAME", "telecomx.dk"}}},
	}
	assert.Empty(t, cmp.Diff(wantWire, wire, cmp.AllowUnexported(setKey{})), "records for the index (-want +got)")
	assert.Equal(t, uint32(86400), z.TTL)
	assert.Equal(t, model.Master, z.Mode)
	_, _, err = zoneModel("telecomx.dk", &Domain{TTL: 300, Records: []Record{{"x", "A", "bogus"}}})
	if assert.Error(t, err, "an unreadable record") {
		assert.Contains(t, err.Error(), "x A bogus", "the error names the record")
	}
}

// TestRecordCalls: the plan's change becomes calls. A pair is one PUT of
// the record the index holds, in its own spelling; an MX record whose
// priority changes cannot be PUT (the priority is in the type), so it is
// created and deleted; a value held by two records has the second
// deleted; a TTL change alone touches no record (one TTL per zone).
func TestRecordCalls(t *testing.T) {
	a := func(rdata string) Record { return Record{"www", "A", rdata} }
	mx := func(pref, host string) Record { return Record{"", "MX " + pref, host} }
	ttl := func(n uint32) *uint32 { return &n }
	for _, tc := range []struct {
		name string
		// index holds the records of the set the API is known to have.
		index   map[string][]Record
		op      *plan.Operation
		want    recordCalls
		wantErr string
	}{
		{name: "one change", op: update("www", "A", []string{"1.1.1.1"}, []string{"2.2.2.2"}),
			want: recordCalls{puts: []recordCall{{rec: a("1.1.1.1"), new: a("2.2.2.2"), oldValue: "1.1.1.1", newValue: "2.2.2.2"}}}},
		{name: "surplus added", op: update("www", "A", []string{"1.1.1.1"}, []string{"2.2.2.2", "3.3.3.3"}),
			want: recordCalls{
				puts:  []recordCall{{rec: a("1.1.1.1"), new: a("2.2.2.2"), oldValue: "1.1.1.1", newValue: "2.2.2.2"}},
				posts: []recordCall{{new: a("3.3.3.3"), newValue: "3.3.3.3"}}}},
		{name: "surplus removed", op: update("www", "A", []string{"1.1.1.1", "4.4.4.4"}, []string{"2.2.2.2"}),
			want: recordCalls{
				puts:    []recordCall{{rec: a("1.1.1.1"), new: a("2.2.2.2"), oldValue: "1.1.1.1", newValue: "2.2.2.2"}},
				deletes: []recordCall{{rec: a("4.4.4.4"), oldValue: "4.4.4.4"}}}},
		{name: "mx host change", op: update("@", "MX", []string{"10 a.example.com."}, []string{"10 b.example.com."}),
			want: recordCalls{puts: []recordCall{{rec: mx("10", "a.example.com"), new: mx("10", "b.example.com"), oldValue: "10 a.example.com.", newValue: "10 b.example.com."}}}},
		{name: "mx priority change", op: update("@", "MX", []string{"10 a.example.com."}, []string{"20 a.example.com."}),
			want: recordCalls{
				posts:   []recordCall{{new: mx("20", "a.example.com"), newValue: "20 a.example.com."}},
				deletes: []recordCall{{rec: mx("10", "a.example.com"), oldValue: "10 a.example.com."}}}},
		{name: "a create", op: &plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: &plan.State{Values: []string{"1.1.1.1"}}},
			want: recordCalls{posts: []recordCall{{new: a("1.1.1.1"), newValue: "1.1.1.1"}}}},
		{name: "a delete", op: &plan.Operation{Action: plan.Delete, Name: "www", Type: "A", Before: &plan.State{Values: []string{"1.1.1.1"}}},
			want: recordCalls{deletes: []recordCall{{rec: a("1.1.1.1"), oldValue: "1.1.1.1"}}}},
		{name: "the index's spelling", index: map[string][]Record{"1.1.1.1": {{"WWW", "A", "1.1.1.1"}}},
			op:   update("www", "A", []string{"1.1.1.1"}, []string{"2.2.2.2"}),
			want: recordCalls{puts: []recordCall{{rec: Record{"WWW", "A", "1.1.1.1"}, new: Record{"WWW", "A", "2.2.2.2"}, oldValue: "1.1.1.1", newValue: "2.2.2.2"}}}},
		{name: "one value, two records", index: map[string][]Record{"10 mail.example.com.": {mx("10", "mail.example.com"), mx("10", "mail.example.com.")}},
			op: update("@", "MX", []string{"10 mail.example.com."}, []string{"10 mx.example.com."}),
			want: recordCalls{
				puts:    []recordCall{{rec: mx("10", "mail.example.com"), new: mx("10", "mx.example.com"), oldValue: "10 mail.example.com.", newValue: "10 mx.example.com."}},
				deletes: []recordCall{{rec: mx("10", "mail.example.com."), oldValue: "10 mail.example.com."}}}},
		{name: "one value, two records, deleted", index: map[string][]Record{"10 mail.example.com.": {mx("10", "mail.example.com"), mx("10", "mail.example.com.")}},
			op: &plan.Operation{Action: plan.Delete, Name: "@", Type: "MX", Before: &plan.State{Values: []string{"10 mail.example.com."}}},
			want: recordCalls{deletes: []recordCall{
				{rec: mx("10", "mail.example.com"), oldValue: "10 mail.example.com."},
				{rec: mx("10", "mail.example.com."), oldValue: "10 mail.example.com."}}}},
		{name: "ttl only", op: &plan.Operation{Action: plan.Update, Name: "www", Type: "A",
			Before: &plan.State{TTL: ttl(3600), Values: []string{"1.1.1.1"}}, After: &plan.State{TTL: ttl(600), Values: []string{"1.1.1.1"}}}},
		{name: "a type Telecom X cannot hold", op: &plan.Operation{Action: plan.Create, Name: "x", Type: "CAA", After: &plan.State{Values: []string{`0 issue "x"`}}},
			wantErr: "telecomx cannot hold CAA records (it supports A, AAAA, CNAME, MX, NS, SRV, TXT)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Provider{}
			for value, recs := range tc.index {
				for _, r := range recs {
					p.index.added("example.com", setKey{tc.op.Name, tc.op.Type}, value, r)
				}
			}
			got, err := p.recordCalls("example.com", tc.op)
			if tc.wantErr != "" {
				assert.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(tc.want, got, cmp.AllowUnexported(recordCalls{}, recordCall{})), "calls (-want +got)")
		})
	}
}

// update is an update operation of a record set, values in canonical form.
func update(name, rrtype string, before, after []string) *plan.Operation {
	return &plan.Operation{Action: plan.Update, Name: name, Type: rrtype, Before: &plan.State{Values: before}, After: &plan.State{Values: after}}
}
