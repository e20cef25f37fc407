package telecomx

import (
	"reflect"
	"strings"
	"testing"

	"github.com/zonesync/zonesync/model"
)

func canon(t *testing.T, rrtype, value string) string {
	t.Helper()
	c, err := model.CanonicalValue(rrtype, value)
	if err != nil {
		t.Fatalf("CanonicalValue(%s, %q): %v", rrtype, value, err)
	}
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
			if err != nil {
				t.Fatalf("toWire: %v", err)
			}
			if got != tc.want {
				t.Fatalf("toWire = %+v, want %+v", got, tc.want)
			}
			// What zonesync writes reads back as the same value.
			name, rrtype, value, err := fromWire("example.com", got)
			if err != nil {
				t.Fatalf("fromWire(%+v): %v", got, err)
			}
			if name != tc.name || rrtype != tc.rrtype || value != canon(t, tc.rrtype, tc.value) {
				t.Fatalf("round trip = %s %s %q, want %s %s %q", name, rrtype, value, tc.name, tc.rrtype, canon(t, tc.rrtype, tc.value))
			}
		})
	}
}

func TestToWireRefusesOtherTypes(t *testing.T) {
	for _, rrtype := range []string{"CAA", "PTR", "SPF", "TLSA"} {
		_, err := toWire("x", rrtype, "whatever")
		if err == nil || !strings.Contains(err.Error(), "telecomx cannot hold "+rrtype) {
			t.Errorf("toWire(%s) error = %v, want one naming the type and provider", rrtype, err)
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
			if err != nil {
				t.Fatalf("fromWire: %v", err)
			}
			if name != tc.name || rrtype != tc.rrtype || value != tc.value {
				t.Fatalf("fromWire = %s %s %q, want %s %s %q", name, rrtype, value, tc.name, tc.rrtype, tc.value)
			}
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
		if _, _, _, err := fromWire("example.com", tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("fromWire(%+v) error = %v, want %q", tc.in, err, tc.want)
		}
	}
}

// TestZoneModel reads the wiki's example domain: one TTL for every record
// set, duplicates of one value in two spellings kept as two wire records.
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
	z, err := zoneModel("telecomx.dk", d)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rs := range z.Records {
		if rs.TTL != 86400 {
			t.Errorf("%s %s ttl %d, want the zone's 86400", rs.Name, rs.Type, rs.TTL)
		}
		got = append(got, rs.Name+" "+rs.Type+" "+strings.Join(rs.Values, ","))
	}
	want := []string{"@ A 213.83.176.4", "@ MX 0 mail.telecomx.dk.,10 mx2.telecomx.dk.", "@ NS ns1.telecomx.dk.", "www CNAME telecomx.dk.", "www2 CNAME telecomx.dk."}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("record sets:\n got %q\nwant %q", got, want)
	}
	recs, err := wireRecords(z.Find("www2", "CNAME"), "www2", "CNAME", "telecomx.dk.")
	if err != nil || len(recs) != 2 {
		t.Fatalf("www2 wire records = %v, %v; want both spellings", recs, err)
	}
	if z.TTL != 86400 || z.Mode != model.Master {
		t.Fatalf("zone ttl %d mode %s", z.TTL, z.Mode)
	}
	if _, err := zoneModel("telecomx.dk", &Domain{TTL: 300, Records: []Record{{"x", "A", "bogus"}}}); err == nil || !strings.Contains(err.Error(), "x A bogus") {
		t.Fatalf("an unreadable record: error %v, want one naming the record", err)
	}
}

// TestPairUp: a changed value becomes one PUT; an MX record whose priority
// changes cannot be PUT (the priority is in the type), so it is created and
// deleted; surpluses are created or deleted.
func TestPairUp(t *testing.T) {
	a := func(rdata string) Record { return Record{"www", "A", rdata} }
	mx := func(pref, host string) Record { return Record{"", "MX " + pref, host} }
	for _, tc := range []struct {
		name             string
		removed, added   []Record
		pairs            []pair
		create, toDelete []Record
	}{
		{"one change", []Record{a("1.1.1.1")}, []Record{a("2.2.2.2")},
			[]pair{{a("1.1.1.1"), a("2.2.2.2")}}, nil, nil},
		{"surplus added", []Record{a("1.1.1.1")}, []Record{a("2.2.2.2"), a("3.3.3.3")},
			[]pair{{a("1.1.1.1"), a("2.2.2.2")}}, []Record{a("3.3.3.3")}, nil},
		{"surplus removed", []Record{a("1.1.1.1"), a("4.4.4.4")}, []Record{a("2.2.2.2")},
			[]pair{{a("1.1.1.1"), a("2.2.2.2")}}, nil, []Record{a("4.4.4.4")}},
		{"mx host change", []Record{mx("10", "a.example.com")}, []Record{mx("10", "b.example.com")},
			[]pair{{mx("10", "a.example.com"), mx("10", "b.example.com")}}, nil, nil},
		{"mx priority change", []Record{mx("10", "a.example.com")}, []Record{mx("20", "a.example.com")},
			nil, []Record{mx("20", "a.example.com")}, []Record{mx("10", "a.example.com")}},
		{"only adds", nil, []Record{a("1.1.1.1")}, nil, []Record{a("1.1.1.1")}, nil},
		{"only deletes", []Record{a("1.1.1.1")}, nil, nil, nil, []Record{a("1.1.1.1")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pairs, create, del := pairUp(tc.removed, tc.added)
			if !reflect.DeepEqual(pairs, tc.pairs) {
				t.Errorf("pairs = %+v, want %+v", pairs, tc.pairs)
			}
			if !reflect.DeepEqual(create, tc.create) {
				t.Errorf("creates = %+v, want %+v", create, tc.create)
			}
			if !reflect.DeepEqual(del, tc.toDelete) {
				t.Errorf("deletes = %+v, want %+v", del, tc.toDelete)
			}
		})
	}
}
