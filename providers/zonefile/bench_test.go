package zonefile

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse reads a zone file of 100,000 records of the commonest
// types, the way every plan reads a live zone.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("$TTL 3600\n@ IN SOA ns1.example.net. hostmaster.example.com. 1 7200 3600 1209600 300\n@ IN NS ns1.example.net.\n")
	for i := range 25000 {
		fmt.Fprintf(&sb, "h%d IN A 192.0.%d.%d\nh%d IN AAAA 2001:db8::%x\nm%d IN MX 10 mail%d.example.net.\nt%d IN TXT \"v=spf1 include:_spf%d.example.net -all\"\n", i, i/256%256, i%256, i, i, i, i, i, i)
	}
	data := []byte(sb.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parse("example.com", "example.com.zone", data); err != nil {
			b.Fatal(err)
		}
	}
}
