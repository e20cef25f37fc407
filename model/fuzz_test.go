package model

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

// FuzzCanonicalValue: canonical values are canonical: parsing one again
// gives it back.
func FuzzCanonicalValue(f *testing.F) {
	for _, s := range [][2]string{
		{"A", "192.0.2.1"}, {"AAAA", "2001:DB8::1"}, {"MX", "10 mail.example.com"},
		{"TXT", `a "quoted" \ text`}, {"SRV", "0 5 5060 sip.example.com."}, {"CAA", `0 issue "x.org"`},
		{"NAPTR", `100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .`}, {"TLSA", "3 1 1 ABCDEF"},
		{"AAAA", "::ffff:192.0.2.1"}, {"AAAA", "::FFFF:C000:0201"}, {"TXT", strings.Repeat("x", 255) + "y\xff\""},
		{"TXT", ""}, {"SPF", `"txtvers=1" "rp=printers/lab"`},
		{"TYPE65280", `\# 2 ABCD`}, {"NULL", `\# 1 00`},
		{"CNAME", "ööö.com."}, {"MX", "10 Bücher.example"}, {"SRV", "0 5 5060 xn--ndaaa.com."}, {"CNAME", "a。b.ｃｏｍ."},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, rrtype, value string) {
		if CheckType(rrtype) != nil {
			return
		}
		c, err := CanonicalValue(rrtype, value)
		if err != nil {
			return
		}
		if rrtype == "TXT" || rrtype == "SPF" {
			text, err := TXTText(c)
			require.NoError(t, err, "TXT %q -> %q", value, c)
			require.Equal(t, value, text, "TXT %q -> %q -> text", value, c)
			// Plain text is the plain split, which the list form and a
			// live record holding those strings give back unchanged.
			strs, err := TXTStrings(c)
			require.NoError(t, err, "TXT %q -> %q", value, c)
			require.True(t, PlainTXT(strs), "TXT %q -> %q: strings %q are not the plain split", value, c, strs)
			again, err := TXTStringsValue(strs)
			require.NoError(t, err, "TXT %q -> %q -> strings %q", value, c, strs)
			require.Equal(t, c, again, "TXT %q -> %q -> strings %q", value, c, strs)
			rr, err := dns.NewRR(". 0 IN TXT " + c)
			require.NoError(t, err, "TXT %q -> %q as a live record", value, c)
			require.Equal(t, c, CanonicalRR(rr), "TXT %q -> %q as a live record", value, c)
			return
		}
		if rrtype == "AAAA" {
			rr, err := dns.NewRR(". 0 IN AAAA " + c)
			require.NoError(t, err, "AAAA %q -> %q as a live record", value, c)
			require.Equal(t, c, CanonicalRR(rr), "AAAA %q -> %q as a live record", value, c)
		}
		again, err := CanonicalValue(rrtype, c)
		require.NoError(t, err, "%s %q -> %q", rrtype, value, c)
		require.Equal(t, c, again, "%s %q -> %q", rrtype, value, c)
	})
}

// FuzzFastValue: whatever the fast path of CanonicalValue takes, it gives
// exactly what miekg/dns's parse gives.
func FuzzFastValue(f *testing.F) {
	for _, s := range [][2]string{
		{"CNAME", "Mail.Example.com"}, {"CNAME", "www"}, {"CNAME", "a..b."}, {"NS", "ns1.example.net."},
		{"MX", "10 mail.example.com"}, {"MX", "010   Mail.example.com."}, {"MX", "65536 a.b."},
		{"SRV", "0 5 5060 sip.example.com."}, {"SRV", "1 2 3 x"}, {"PTR", "host.example."},
		{"A", "192.0.2.1"}, {"AAAA", "2001:DB8::1"}, {"DNAME", "target.example.org"},
		{"AAAA", "::ffff:192.0.2.1"}, {"AAAA", "::FFFF:C000:0201"}, {"A", "::ffff:192.0.2.1"},
		{"CNAME", "xn--ndaaa.com."}, {"CNAME", "XN--zz.example."}, {"MX", "1 ab--cd.example."},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, rrtype, value string) {
		fast, ok := fastValue(rrtype, value)
		if !ok {
			return
		}
		slow, err := slowValue(rrtype, value)
		require.NoError(t, err, "%s %q: the fast path took it, miekg/dns refuses it", rrtype, value)
		require.Equal(t, slow, fast, "%s %q: fast path (got) against miekg/dns (want)", rrtype, value)
	})
}
