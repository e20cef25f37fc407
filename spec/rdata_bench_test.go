package spec

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
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
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				_ = CanonicalRR(rr)
			}
		})
	}
}

func BenchmarkCanonicalRRAAAA(b *testing.B) {
	rr, err := dns.NewRR("x. 300 IN AAAA 2001:db8::1:2")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = CanonicalRR(rr)
	}
}
