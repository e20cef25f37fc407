package model

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

// The values of a big zone's plan go through these on both sides: the spec's
// through CanonicalValue, the live zone's through CanonicalRR.

func BenchmarkCanonicalValueTXT(b *testing.B) {
	text := "v=spf1 include:_spf.example.com ip4:192.0.2.0/24 -all"
	for b.Loop() {
		_, _ = CanonicalValue("TXT", text)
	}
}

func BenchmarkCanonicalRRTXT(b *testing.B) {
	for _, tc := range []struct{ name, rdata string }{
		{"one", `"v=spf1 include:_spf.example.com ip4:192.0.2.0/24 -all"`},
		{"dkim", `"v=DKIM1; k=rsa; p=` + strings.Repeat("A", 236) + `" "` + strings.Repeat("B", 150) + `"`},
	} {
		rr, err := dns.NewRR("x. 300 IN TXT " + tc.rdata)
		require.NoError(b, err)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				_ = CanonicalRR(rr)
			}
		})
	}
}

func BenchmarkCanonicalRRAAAA(b *testing.B) {
	rr, err := dns.NewRR("x. 300 IN AAAA 2001:db8::1:2")
	require.NoError(b, err)
	for b.Loop() {
		_ = CanonicalRR(rr)
	}
}

func BenchmarkCanonicalValueNames(b *testing.B) {
	for _, tc := range []struct{ name, rrtype, value string }{
		{"CNAME", "CNAME", "www.example.com."},
		{"MX", "MX", "10 mail.example.com."},
		{"SRV", "SRV", "0 5 5060 sip.example.com."},
		{"NAPTR", "NAPTR", `100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" replacement.example.com.`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			// b.Fatal, not require: require's Helper call would be timed.
			for b.Loop() {
				if _, err := CanonicalValue(tc.rrtype, tc.value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
