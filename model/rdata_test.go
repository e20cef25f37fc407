package model

import (
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCanonicalValueEqualSpellings(t *testing.T) {
	for _, tc := range []struct {
		rrtype string
		a, b   string
	}{
		{"AAAA", "2001:DB8::1", "2001:db8:0:0:0:0:0:1"},
		{"AAAA", "::ffff:192.0.2.1", "::FFFF:C000:0201"},
		{"CNAME", "Mail.Example.com", "mail.example.com."},
		{"MX", "10 Mail.Example.COM.", "10   mail.example.com"},
		{"SRV", "0 5 5060 SIP.example.com", "0 5 5060 sip.example.com."},
		{"TLSA", "3 1 1 ABCDEF0123", "3 1 1 abcdef0123"},
		{"DS", "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"},
		{"SSHFP", "1 1 abcdef", "1 1 ABCDEF"},
		{"CAA", `0 issue "letsencrypt.org"`, `0 issue letsencrypt.org`},
		{"TXT", strings.Repeat("x", 300), strings.Repeat("x", 300)},
	} {
		a, err := CanonicalValue(tc.rrtype, tc.a)
		require.NoError(t, err, "%s %q", tc.rrtype, tc.a)
		b, err := CanonicalValue(tc.rrtype, tc.b)
		require.NoError(t, err, "%s %q", tc.rrtype, tc.b)
		assert.Equal(t, a, b, "%s: %q and %q canonicalise differently", tc.rrtype, tc.a, tc.b)
	}
}

func TestCanonicalValueForms(t *testing.T) {
	for _, tc := range []struct{ rrtype, in, want string }{
		{"A", "192.0.2.1", "192.0.2.1"},
		{"AAAA", "2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{"MX", "10 Mail.Example.com", "10 mail.example.com."},
		{"TXT", "v=spf1 mx -all", `"v=spf1 mx -all"`},
		{"TXT", `say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{"TXT", "tab\there", `"tab\009here"`},
		{"TXT", "", `""`},
		{"TXT", strings.Repeat("a", 255) + "b", `"` + strings.Repeat("a", 255) + `" "b"`},
		{"SPF", "v=spf1 -all", `"v=spf1 -all"`},
		{"NS", "NS1.example.net.", "ns1.example.net."},
		{"PTR", "host.example.com", "host.example.com."},
		{"MX", "0 .", "0 ."},
	} {
		got, err := CanonicalValue(tc.rrtype, tc.in)
		if !assert.NoError(t, err, "CanonicalValue(%s, %q)", tc.rrtype, tc.in) {
			continue
		}
		assert.Equal(t, tc.want, got, "CanonicalValue(%s, %q)", tc.rrtype, tc.in)
	}
}

func TestCanonicalValueRejects(t *testing.T) {
	for _, tc := range []struct{ rrtype, in, want string }{
		{"A", "", "value is empty"},
		{"A", "1.2.3", "not an IPv4 address"},
		{"A", "192.0.2.1 192.0.2.2", "garbage after rdata"},
		{"A", "192.0.2.1\nx. A 192.0.2.2", "spans several lines"},
		{"CNAME", "www", "single label"},
		{"CNAME", "@", "ambiguous"},
		{"MX", "10", "bad Mx"},
		{"A", `\# 0`, "does not read back the same"},
	} {
		_, err := CanonicalValue(tc.rrtype, tc.in)
		assert.ErrorContains(t, err, tc.want, "CanonicalValue(%s, %q)", tc.rrtype, tc.in)
	}
}

// RFC 3597 data too short for the type it claims is refused: miekg/dns
// reads "A \# 0" as an A record without an address, written "<nil>", which a
// provider's reader then handed on as a value nothing could write back.
func TestNewRRRefusesPartialGenericData(t *testing.T) {
	for _, tc := range []struct{ rrtype, in string }{
		{"A", `\# 0`}, {"AAAA", `\# 0`}, {"MX", `\# 2 000a`}, {"SRV", `\# 0`}, {"CAA", `\# 0`},
	} {
		_, err := NewRR(".", 0, tc.rrtype, tc.in)
		assert.ErrorContains(t, err, "is not a whole "+tc.rrtype+" record", "NewRR(%s, %q)", tc.rrtype, tc.in)
	}
	rr, err := NewRR(".", 0, "A", `\# 4 0a000001`)
	require.NoError(t, err)
	assert.Equal(t, "10.0.0.1", CanonicalRR(rr))
}

// A live TXT record keeps the boundaries between its strings: for DNS-SD
// "txtvers=1" "rp=printers/lab" is two key=value pairs, and the same
// bytes in one string are one. Only the plain 255-byte split of a text
// equals that text written plain.
func TestLiveTXTKeepsStringBoundaries(t *testing.T) {
	long := strings.Repeat("k", 255)
	for _, tc := range []struct {
		rdata   string
		strs    []string
		plain   string
		isPlain bool
	}{
		{`"txtvers=1" "rp=printers/lab" "note=2nd floor"`, []string{"txtvers=1", "rp=printers/lab", "note=2nd floor"}, "txtvers=1rp=printers/labnote=2nd floor", false},
		{`"v=DKIM1; k=rsa; " "p=abc"`, []string{"v=DKIM1; k=rsa; ", "p=abc"}, "v=DKIM1; k=rsa; p=abc", false},
		{`"` + long + `" "tail"`, []string{long, "tail"}, long + "tail", true},
		{`"one string"`, []string{"one string"}, "one string", true},
		{`"" "x"`, []string{"", "x"}, "x", false},
		{`"x" ""`, []string{"x", ""}, "x", false},
		{`""`, []string{""}, "", true},
		{`"q\"uote" "\255"`, []string{`q"uote`, "\xff"}, `q"uote` + "\xff", false},
	} {
		rr, err := dns.NewRR("x. 300 IN TXT " + tc.rdata)
		require.NoError(t, err)
		live := CanonicalRR(rr)
		fromList, err := TXTStringsValue(tc.strs)
		require.NoError(t, err)
		assert.Equal(t, fromList, live, "%s: the live record and the spec's list of strings", tc.rdata)
		plain, _ := CanonicalValue("TXT", tc.plain)
		assert.Equal(t, tc.isPlain, live == plain, "%s: live %q, plain text %q", tc.rdata, live, plain)
		assert.Equal(t, tc.isPlain, PlainTXT(tc.strs), "PlainTXT(%q)", tc.strs)
		got, err := TXTStrings(live)
		require.NoError(t, err)
		assert.Equal(t, tc.strs, got, "TXTStrings(%q)", live)
	}
}

func TestTXTStringsValueRefusesLongString(t *testing.T) {
	_, err := TXTStringsValue([]string{"ok", strings.Repeat("x", 256)})
	assert.ErrorContains(t, err, "string 2 of the TXT value is 256 bytes")
	_, err = TXTStringsValue(nil)
	assert.Error(t, err)
}

// An IPv4-mapped AAAA read from a zone file or a server canonicalises to
// what the spec's value does, or it would be updated on every run.
func TestIPv4MappedAAAAConverges(t *testing.T) {
	spec, err := CanonicalValue("AAAA", "::ffff:192.0.2.1")
	require.NoError(t, err)
	assert.Equal(t, "::ffff:192.0.2.1", spec)
	for _, rdata := range []string{"::ffff:192.0.2.1", "::FFFF:C000:0201", "0:0:0:0:0:ffff:c000:201"} {
		rr, err := dns.NewRR("x. 300 IN AAAA " + rdata)
		require.NoError(t, err)
		assert.Equal(t, spec, CanonicalRR(rr), "live AAAA %s", rdata)
	}
	rr := &dns.AAAA{Hdr: dns.RR_Header{Name: "x.", Rrtype: dns.TypeAAAA, Class: dns.ClassINET}, AAAA: net.IPv4(192, 0, 2, 1).To4()}
	assert.Equal(t, spec, CanonicalRR(rr), "an AAAA holding a 4-byte address")
}

func TestTXTRoundTrip(t *testing.T) {
	for _, text := range []string{"", "plain", `q"uote`, `back\slash`, "tab\tnl\nbyte\xff", strings.Repeat("z", 600)} {
		got, err := TXTText(TXTValue(text))
		require.NoError(t, err, "TXTText(TXTValue(%q))", text)
		assert.Equal(t, text, got, "TXTText(TXTValue(%q))", text)
	}
}

func TestCanonicalRRLowercasesNames(t *testing.T) {
	rr, err := dns.NewRR("x. 300 IN SRV 0 5 5060 SIP.Example.COM.")
	require.NoError(t, err)
	assert.Equal(t, "0 5 5060 sip.example.com.", CanonicalRR(rr))
}

func TestAdminMail(t *testing.T) {
	for _, tc := range []struct{ in, mail, mbox string }{
		{"hostmaster@Example.com", "hostmaster@example.com", "hostmaster.example.com."},
		{"hostmaster.example.com.", "hostmaster@example.com", "hostmaster.example.com."},
		{"first.last@example.com", "first.last@example.com", `first\.last.example.com.`},
	} {
		mail, err := ParseAdminMail(tc.in)
		assert.NoError(t, err, "ParseAdminMail(%q)", tc.in)
		assert.Equal(t, tc.mail, mail, "ParseAdminMail(%q)", tc.in)
		assert.Equal(t, tc.mbox, MailToMbox(mail), "MailToMbox(%q)", mail)
		assert.Equal(t, tc.mail, MboxToMail(MailToMbox(mail)), "MboxToMail(MailToMbox(%q))", mail)
	}
}

// The fast path for addresses must give exactly what miekg/dns gives, or a
// spec value and the same live value would differ.
func TestFastAddressMatchesMiekg(t *testing.T) {
	for _, tc := range []struct{ rrtype, v string }{
		{"A", "192.0.2.1"}, {"A", "0.0.0.0"}, {"A", "255.255.255.255"},
		{"AAAA", "2001:db8::1"}, {"AAAA", "2001:DB8:0:0:1:0:0:1"}, {"AAAA", "::"}, {"AAAA", "::1"},
		{"AAAA", "fe80::1:2:3:4"}, {"AAAA", "2001:db8:0:1:0:0:0:0"}, {"AAAA", "0:0:0:0:0:0:0:1"},
		{"AAAA", "2001:0:0:1::1"}, {"AAAA", "1:2:3:4:5:6:7:8"},
		{"AAAA", "::ffff:192.0.2.1"}, {"AAAA", "::FFFF:C000:0201"},
	} {
		fast, ok := fastValue(tc.rrtype, tc.v)
		if !assert.True(t, ok, "fastAddress(%s, %s) declined", tc.rrtype, tc.v) {
			continue
		}
		rr, err := dns.NewRR(". 0 IN " + tc.rrtype + " " + tc.v)
		require.NoError(t, err)
		assert.Equal(t, CanonicalRR(rr), fast, "%s %s: fast path (got) against miekg/dns (want)", tc.rrtype, tc.v)
	}
	for _, tc := range []struct{ rrtype, v string }{{"A", "::1"}, {"AAAA", "192.0.2.1"}, {"A", "::ffff:192.0.2.1"}, {"A", "fe80::1%eth0"}} {
		_, ok := fastValue(tc.rrtype, tc.v)
		assert.False(t, ok, "fastAddress(%s, %s) took a value it must leave to miekg/dns", tc.rrtype, tc.v)
	}
}
