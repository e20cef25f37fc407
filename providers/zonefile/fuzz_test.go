package zonefile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// FuzzParse: no zone file makes the parser panic, and one it accepts,
// written back by zonesync, reads as the same zone: the same SOA TTL and
// the same record sets, the signer's included.
func FuzzParse(f *testing.F) {
	f.Add([]byte("@ 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\nwww 300 IN A 192.0.2.1\n"))
	f.Add([]byte("$ORIGIN example.com.\n$TTL 60\n@ IN SOA a. b. ( 1 2 3 4 5 )\n* IN TXT \"x\" \"y\"\n_s._tcp IN SRV 0 0 1 x.\n"))
	f.Add([]byte("@ 300 IN SOA a. b. 1 2 3 4 5\nmx 300 IN MX 10 Mail.EXAMPLE.com.\n"))
	f.Add([]byte("@ IN SOA a. b. 1 2 3 4 120\nwww 300 IN A 192.0.2.1\nftp IN A 192.0.2.2\n$TTL 9\nx IN TYPE65534 \\# 4 0A000001\ny IN TYPE65280 \\# 0"))
	f.Add([]byte("@ 300 IN SOA a. b. 1 2 3 4 5\nwww 300 IN A 192.0.2.1\nwww 300 IN RRSIG A 13 3 300 20400101000000 20200101000000 1 example.com. AAAA\n@ 300 IN DNSKEY 257 3 13 AAAA\n@ 0 IN NSEC3PARAM 1 0 0 -\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		zf, err := parse("example.com", "example.com.zone", data)
		if err != nil {
			return
		}
		written := zf.render()
		back, err := parse("example.com", "example.com.zone", written)
		require.NoError(t, err, "zonesync cannot read the file it wrote:\n%s", written)
		require.Equal(t, zf.soaTTL, back.soaTTL, "the SOA's TTL changed in:\n%s", written)
		require.Empty(t, cmp.Diff(zf.all(), back.all()), "the record sets changed (-read +read back) in:\n%s", written)
		require.Empty(t, cmp.Diff(zf.model(), back.model()), "the live zone changed (-read +read back) in:\n%s", written)
	})
}
