package spec

import (
	"fmt"
	"strings"
	"testing"
)

// Names go through these on the spec side of every plan: record names as
// the loader reads them, names inside values through CanonicalValue. ASCII
// names are nearly all of a big zone; internationalised ones must not make
// them slower.

// BenchmarkParseZoneNames loads a spec of 2,000 names, each with a CNAME or
// an MX record set pointing at another name.
func BenchmarkParseZoneNames(b *testing.B) {
	var s strings.Builder
	s.WriteString("zone: example.com\nprovider: local\nrecords:\n")
	for i := range 2000 {
		if i%2 == 0 {
			fmt.Fprintf(&s, "  host-%d.dept:\n    - {type: CNAME, value: target-%d.example.net.}\n", i, i)
		} else {
			fmt.Fprintf(&s, "  _svc-%d:\n    - {type: MX, value: \"10 mx-%d.example.net.\"}\n", i, i)
		}
	}
	data := []byte(s.String())
	cfg, caps := corpusConfig()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseZone("example.com.yaml", data, cfg, caps); err != nil {
			b.Fatal(err)
		}
	}
}
