package rfc2136

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
)

// TestEveryRecordType creates one record set of each type and reads it
// back through BIND: the conformance suite's samples, with the DS at the
// delegation it belongs to, and more types.
func TestEveryRecordType(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	in := func(s string) string { return strings.ReplaceAll(s, "ZONE", zone) }
	sets := []set{
		{name: "a", rrtype: "A", values: []string{"192.0.2.1"}},
		{name: "aaaa", rrtype: "AAAA", values: []string{"2001:db8::1"}},
		{name: "cname", rrtype: "CNAME", values: []string{in("target.ZONE.")}},
		{name: "mx", rrtype: "MX", values: []string{in("10 mail1.ZONE."), in("20 mail2.ZONE.")}},
		{name: "txt", rrtype: "TXT", values: []string{"v=spf1 -all", `quotes "inside" and a back\slash`}},
		{name: "txtlong", rrtype: "TXT", values: []string{strings.Repeat("0123456789abcdef", 40)}},
		{name: "_sip._tcp", rrtype: "SRV", values: []string{in("10 60 5060 sip.ZONE.")}},
		{name: "caa", rrtype: "CAA", values: []string{`0 issue "letsencrypt.org"`}},
		{name: "sub", rrtype: "NS", values: []string{in("ns1.ZONE."), in("ns2.ZONE.")}},
		{name: "sub", rrtype: "DS", values: []string{"60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"}},
		{name: "ptr", rrtype: "PTR", values: []string{in("host.ZONE.")}},
		{name: "spf", rrtype: "SPF", values: []string{"v=spf1 mx -all"}},
		{name: "_443._tcp.tlsa", rrtype: "TLSA", values: []string{"3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
		{name: "sshfp", rrtype: "SSHFP", values: []string{"1 1 0123456789abcdef0123456789abcdef01234567"}},
		{name: "naptr", rrtype: "NAPTR", values: []string{`100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .`}},
		{name: "hinfo", rrtype: "HINFO", values: []string{`"PC" "Linux"`}},
		{name: "loc", rrtype: "LOC", values: []string{"52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m"}},
		{name: "uri", rrtype: "URI", values: []string{`10 1 "https://example.com/"`}},
		{name: "svc", rrtype: "SVCB", values: []string{in("1 svc.ZONE. alpn=h2")}},
		{name: "https", rrtype: "HTTPS", values: []string{"1 . alpn=h2,h3"}},
		{name: "rp", rrtype: "RP", values: []string{in("admin.ZONE. txt.ZONE.")}},
		{name: "private", rrtype: "TYPE65280", values: []string{`\# 4 0A000001`, `\# 2 abcd`}},
		{name: "private", rrtype: "TYPE65281", values: []string{`\# 0`}},
	}
	serial := read(t, p, zone).SOA.Serial
	zp := syncZone(t, p, desired(t, zone, sets...))
	assert.Len(t, zp.Operations, len(sets), "operations of the plan, one create per set")
	live := read(t, p, zone)
	// One UPDATE carried every create; the message that checks them
	// afterwards changes nothing, so the serial moved once.
	assert.Equal(t, serial+1, live.SOA.Serial, "serial after the apply")
	for _, s := range sets {
		assert.Empty(t, cmp.Diff(canonical(t, s.rrtype, s.values...), values(live, s.name, s.rrtype)), "%s %s read back (-want +got)", s.name, s.rrtype)
	}
}

// TestDSAwayFromDelegation: BIND answers NOERROR to a DS at a name
// without NS and drops it; the check after the update reports that
// operation failed while the rest of the message stands.
func TestDSAwayFromDelegation(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	want := desired(t, zone,
		set{name: "ds", rrtype: "DS", values: []string{"60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"}},
		set{name: "www", rrtype: "A", values: []string{"192.0.2.1"}})
	zp, live := makePlan(t, p, want)
	status := results(run(t, p, want, live, zp))
	assert.Equal(t, apply.Failed, status["ds DS"].Status, "ds DS")
	assert.Contains(t, status["ds DS"].Error, "DS records belong at a delegation")
	assert.Equal(t, apply.OK, status["www A"].Status, "www A: %s", status["www A"].Error)
}

// results indexes results by "name type".
func results(rs []apply.Result) map[string]apply.Result {
	out := map[string]apply.Result{}
	for _, r := range rs {
		out[r.Name+" "+r.Type] = r
	}
	return out
}

// TestApexNS changes the apex NS set, values and TTL. Servers ignore a
// request to delete the whole apex NS set, so the update adds the new
// values before removing old ones; the result must be exactly the spec.
func TestApexNS(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	for _, tc := range []struct {
		name   string
		ttl    uint32
		values []string
	}{
		{"add a second server", 3600, []string{poolNS, "ns2.example.net."}},
		{"replace both", 3600, []string{"ns3.example.net.", "ns4.example.net."}},
		{"change only the TTL", 600, []string{"ns3.example.net.", "ns4.example.net."}},
		{"shrink to one", 600, []string{"ns4.example.net."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			syncZone(t, p, desired(t, zone, set{name: "@", rrtype: "NS", ttl: tc.ttl, values: tc.values}))
			rs := read(t, p, zone).Find("@", "NS")
			require.NotNil(t, rs, "apex NS")
			assert.Equal(t, tc.ttl, rs.TTL, "apex NS TTL")
			assert.Empty(t, cmp.Diff(canonical(t, "NS", tc.values...), rs.Values), "apex NS read back (-want +got)")
		})
	}
}

// TestServerSpelling: values someone else wrote in another spelling than
// the canonical one (names in upper case) compare equal, and changing or
// deleting them works, because the prerequisites carry the RDATA exactly as
// the server holds it. A TXT record's string boundaries are no spelling:
// "ab" "c" is another value than "abc".
func TestServerSpelling(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	srv.update(t, zone, func(m *dns.Msg) {
		m.Insert([]dns.RR{
			rr(t, fmt.Sprintf(`txt.%s. 300 IN TXT "ab" "c"`, zone)),
			rr(t, fmt.Sprintf(`alias.%s. 300 IN CNAME WWW.Example.COM.`, zone)),
		})
	})
	same := desired(t, zone,
		set{name: "txt", rrtype: "TXT", ttl: 300},
		set{name: "alias", rrtype: "CNAME", ttl: 300, values: []string{"www.example.com."}})
	same.Find("txt", "TXT").Values = []string{`"ab" "c"`}
	zp, _ := makePlan(t, p, same)
	require.Empty(t, zp.Operations, "the same data in another spelling plans changes:\n%s", describe(zp))
	joined := desired(t, zone,
		set{name: "txt", rrtype: "TXT", ttl: 300, values: []string{"abc"}},
		set{name: "alias", rrtype: "CNAME", ttl: 300, values: []string{"www.example.com."}})
	zp, _ = makePlan(t, p, joined)
	require.Equal(t, "  update txt TXT\n", describe(zp), "the same bytes in one string instead of two")
	zp = syncZone(t, p, desired(t, zone, set{name: "txt", rrtype: "TXT", ttl: 300, values: []string{"abcd"}}))
	assert.ElementsMatch(t, []string{"  update txt TXT", "  delete alias CNAME"}, strings.Split(strings.TrimSuffix(describe(zp), "\n"), "\n"), "operations")
	assert.Empty(t, cmp.Diff(canonical(t, "TXT", "abcd"), values(read(t, p, zone), "txt", "TXT")), "txt TXT read back (-want +got)")
}

// TestGenericTypeDeleted: a record of a type miekg/dns does not know is
// planned and deleted by its TYPEnnn, like any other.
func TestGenericTypeDeleted(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	syncZone(t, p, desired(t, zone, set{name: "x", rrtype: "TYPE65280", values: []string{`\# 1 07`}}))
	zp := syncZone(t, p, desired(t, zone))
	require.Equal(t, "  delete x TYPE65280\n", describe(zp), "plan")
	assert.Nil(t, values(read(t, p, zone), "x", "TYPE65280"), "x TYPE65280 after the delete")
}
