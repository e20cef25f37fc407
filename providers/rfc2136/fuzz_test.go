package rfc2136

import (
	"testing"

	"github.com/miekg/dns"
)

// FuzzTransferAnswer reads arbitrary DNS messages as a zone transfer's
// records: the decoder and the mapping to the model never panic, and
// whatever they accept maps every record or refuses with an error.
func FuzzTransferAnswer(f *testing.F) {
	m := new(dns.Msg)
	m.SetQuestion("example.com.", dns.TypeAXFR)
	for _, s := range []string{
		"example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300",
		"www.example.com. 300 IN A 192.0.2.1",
		`txt.example.com. 300 IN TXT "a" "b"`,
		"example.com. 3600 IN NS ns1.example.com.",
		"example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300",
	} {
		rr, err := dns.NewRR(s)
		if err != nil {
			f.Fatal(err)
		}
		m.Answer = append(m.Answer, rr)
	}
	wire, err := m.Pack()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(wire)
	f.Fuzz(func(t *testing.T, data []byte) {
		var msg dns.Msg
		if msg.Unpack(data) != nil {
			return
		}
		liveZone("example.com", msg.Answer)
	})
}
