package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestASCIIName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"straße", "xn--strae-oqa"}, // non-transitional: ß is kept, not "ss"
		{"Bücher.example", "xn--bcher-kva.example"},
		{"bücher.example.", "xn--bcher-kva.example."},
		{"_dmarc.bücher", "_dmarc.xn--bcher-kva"},
		{"_sip._udp.bücher", "_sip._udp.xn--bcher-kva"},
		{"*.bücher", "*.xn--bcher-kva"},
		{"ＢÜＣＨＥＲ", "xn--bcher-kva"}, // full-width letters map to ASCII
		{`a\.b.ö`, `a\.b.xn--nda`},
		{"xn--ndaaa.com.", "xn--ndaaa.com."},
		{"XN--NDAAA", "XN--NDAAA"},
		{"www.example.com", "www.example.com"},
		{"ab--cd", "ab--cd"}, // an ASCII label is the user's to spell
		{"@", "@"},
	} {
		got, err := ASCIIName(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestASCIINameRefuses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bü_cher", `label "bü_cher" is not a valid internationalised name: U+005F '_' cannot stand in a label with non-ASCII letters`},
		{"bücher-.example", `label "bücher-" is not a valid internationalised name: a label cannot start or end with '-'`},
		{"xn--zz.example", `label "xn--zz" is not a valid xn-- (punycode) label; write the name in Unicode`},
		{"xn--abc", `label "xn--abc" is not a valid xn-- (punycode) label`},
		{"a.\xff.b", `label "\xff" is not UTF-8 text; write bytes that are not text as \DDD escapes`},
		{"a\u200db", `label "a\u200db" is not a valid internationalised name: it breaks the IDNA rules`},
		{strings.Repeat("ü", 60), "is not a valid internationalised name: its ASCII form"},
	} {
		_, err := ASCIIName(tc.in)
		require.Error(t, err, tc.in)
		assert.Contains(t, err.Error(), tc.want, tc.in)
	}
}

// Every type miekg/dns knows that carries domain names in its data gets
// them in IDNA form, through the one place values' names are made absolute.
func TestCanonicalValueConvertsNames(t *testing.T) {
	for _, tc := range []struct{ rrtype, in, want string }{
		{"CNAME", "ööö.com.", "xn--ndaaa.com."},
		{"CNAME", "www.bücher", "www.xn--bcher-kva."},
		{"DNAME", "bücher.example.", "xn--bcher-kva.example."},
		{"NS", "ns1.straße.de.", "ns1.xn--strae-oqa.de."},
		{"PTR", "host.ööö.com.", "host.xn--ndaaa.com."},
		{"MX", "10 Bücher.example.", "10 xn--bcher-kva.example."},
		{"SRV", "0 5 5060 sip.straße.de.", "0 5 5060 sip.xn--strae-oqa.de."},
		{"NAPTR", `100 10 "U" "E2U+sip" "!^.*$!sip:info@ö.com!" ö.example.`, `100 10 "U" "E2U+sip" "!^.*$!sip:info@ö.com!" xn--nda.example.`},
		{"RP", "admin.bücher.example. txt.bücher.example.", "admin.xn--bcher-kva.example. txt.xn--bcher-kva.example."},
		{"AFSDB", "1 afs.bücher.example.", "1 afs.xn--bcher-kva.example."},
		{"KX", "10 kx.bücher.example.", "10 kx.xn--bcher-kva.example."},
		{"RT", "10 rt.bücher.example.", "10 rt.xn--bcher-kva.example."},
		{"HTTPS", "1 cdn.bücher.example. alpn=h2", "1 cdn.xn--bcher-kva.example. alpn=\"h2\""},
		{"SVCB", "1 svc.bücher.example.", "1 svc.xn--bcher-kva.example."},
		{"CNAME", "_acme.bücher.example.", "_acme.xn--bcher-kva.example."},
		{"CNAME", "xn--ndaaa.com.", "xn--ndaaa.com."},
		// ASCII labels are kept as written: no STD3 check refuses '_'.
		{"SRV", "0 5 5060 _x.example.com.", "0 5 5060 _x.example.com."},
	} {
		got, err := CanonicalValue(tc.rrtype, tc.in)
		require.NoError(t, err, "%s %s", tc.rrtype, tc.in)
		assert.Equal(t, tc.want, got, "%s %s", tc.rrtype, tc.in)
	}
}

func TestCanonicalValueRefusesInvalidNames(t *testing.T) {
	for _, tc := range []struct{ rrtype, in, want string }{
		{"CNAME", "xn--zz.example.com.", `name "xn--zz.example.com.": label "xn--zz" is not a valid xn-- (punycode) label`},
		{"MX", "10 mail.bü_cher.example.", `name "mail.bü_cher.example.": label "bü_cher" is not a valid internationalised name`},
		{"SRV", "0 5 5060 sip.xn--a.example.", `label "xn--a" is not a valid xn-- (punycode) label`},
		{"CNAME", "ö", `name "ö" is a single label without a trailing dot; write the absolute name, e.g. "ö.example.com."`},
	} {
		_, err := CanonicalValue(tc.rrtype, tc.in)
		require.Error(t, err, "%s %s", tc.rrtype, tc.in)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestNormalizeZone(t *testing.T) {
	assert.Equal(t, "xn--bcher-kva.example", NormalizeZone(" Bücher.Example. "))
	assert.Equal(t, "example.com", NormalizeZone("Example.COM."))
	// Not a valid IDN: kept, for ValidZoneName to refuse.
	assert.False(t, ValidZoneName(NormalizeZone("bü_cher.example")))
}

func TestUnicodeName(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		changed  bool
	}{
		{"xn--strae-oqa", "straße", true},
		{"www.xn--bcher-kva.example.", "www.bücher.example.", true},
		{"_dmarc.xn--strae-oqa", "_dmarc.straße", true},
		{"www.example.com.", "www.example.com.", false},
		{"xn--zz.example.", "xn--zz.example.", false}, // no Unicode form
		{"@", "@", false},
	} {
		got, changed := UnicodeName(tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.changed, changed, tc.in)
	}
	assert.Equal(t, "xn--strae-oqa (straße)", DisplayName("xn--strae-oqa"))
	assert.Equal(t, "www", DisplayName("www"))
}

func TestDisplayValue(t *testing.T) {
	for _, tc := range []struct{ rrtype, in, want string }{
		{"CNAME", "xn--ndaaa.com.", "xn--ndaaa.com. (ööö.com.)"},
		{"MX", "10 xn--bcher-kva.example.", "10 xn--bcher-kva.example. (bücher.example.)"},
		{"RP", "admin.xn--nda. txt.example.", "admin.xn--nda. (admin.ö.) txt.example."},
		// Text that only looks like a name is no name.
		{"NAPTR", `100 10 "U" "E2U+sip" "!^.*$!sip:x@xn--nda.com.!" .`, `100 10 "U" "E2U+sip" "!^.*$!sip:x@xn--nda.com.!" .`},
		{"TXT", `"gr\195\188\195\159e aus K\195\182ln"`, `"grüße aus Köln"`},
		{"TXT", `"a" "\240\159\152\128"`, `"a" "😀"`},
		{"TXT", `"quote \" and \\ stay"`, `"quote \" and \\ stay"`},
		// Bytes that are no UTF-8, and characters that would not show or
		// would turn the line around, stay escaped.
		{"TXT", `"\255\254"`, `"\255\254"`},
		{"TXT", `"a\226\128\174b"`, `"a\226\128\174b"`}, // U+202E right-to-left override
		{"TXT", `"a\226\128\139b"`, `"a\226\128\139b"`}, // U+200B zero-width space
		{"TXT", `"u\204\136ber"`, `"u\204\136ber"`},     // not NFC: would look like "über"
		{"TXT", `"\195\188\009ber"`, `"ü\009ber"`},      // ASCII escapes are kept
		{"A", "192.0.2.1", "192.0.2.1"},
	} {
		assert.Equal(t, tc.want, DisplayValue(tc.rrtype, tc.in), "%s %s", tc.rrtype, tc.in)
	}
}

// What import writes in Unicode loads back to the same canonical value.
func TestUnicodeValueReadsBack(t *testing.T) {
	for _, tc := range []struct{ rrtype, value, want string }{
		{"CNAME", "xn--ndaaa.com.", "ööö.com."},
		{"MX", "10 mail.xn--bcher-kva.example.", "10 mail.bücher.example."},
		{"SRV", "0 5 5060 xn--strae-oqa.de.", "0 5 5060 straße.de."},
		{"CNAME", "xn--zz.example.", "xn--zz.example."},
		{"TXT", `"xn--ndaaa.com."`, `"xn--ndaaa.com."`},
	} {
		got := UnicodeValue(tc.rrtype, tc.value)
		assert.Equal(t, tc.want, got)
		if tc.want != tc.value {
			again, err := CanonicalValue(tc.rrtype, got)
			require.NoError(t, err)
			assert.Equal(t, tc.value, again)
		}
	}
}
