package plesk

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// TestToWire checks how each type is spelled in add_rec.
func TestToWire(t *testing.T) {
	for _, tc := range []struct {
		name, rrtype, value string
		want                wireRecord
	}{
		{"@", "A", "192.0.2.1", wireRecord{"A", "", "192.0.2.1", ""}},
		{"www", "AAAA", "2001:db8::1", wireRecord{"AAAA", "www", "2001:db8::1", ""}},
		{"v4", "AAAA", "::ffff:192.0.2.1", wireRecord{"AAAA", "v4", "::ffff:192.0.2.1", ""}},
		{"www", "CNAME", "target.example.com.", wireRecord{"CNAME", "www", "target.example.com", ""}},
		{"sub", "NS", "ns1.example.com.", wireRecord{"NS", "sub", "ns1.example.com", ""}},
		{"ptr", "PTR", "host.example.com.", wireRecord{"PTR", "ptr", "host.example.com", ""}},
		{"@", "MX", "10 mail.example.com.", wireRecord{"MX", "", "mail.example.com", "10"}},
		{"_sip._tcp", "SRV", "10 60 5060 sip.example.com.", wireRecord{"SRV", "_sip._tcp", "sip.example.com", "10 60 5060"}},
		{"txt", "TXT", model.TXTValue(`quotes "inside" and a back\slash`), wireRecord{"TXT", "txt", `quotes "inside" and a back\slash`, ""}},
		{"long", "TXT", model.TXTValue(strings.Repeat("x", 300)), wireRecord{"TXT", "long", strings.Repeat("x", 300), ""}},
		{"ds", "DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118", wireRecord{"DS", "ds", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118", ""}},
	} {
		t.Run(tc.rrtype+" "+tc.name, func(t *testing.T) {
			got, err := toWire(tc.name, tc.rrtype, tc.value)
			require.NoError(t, err)
			require.Empty(t, cmp.Diff(tc.want, got), "toWire (-want +got)")
			// Reading back what Plesk stores gives the value back.
			read := resultData{Type: got.Type, Host: got.Host, Value: got.Value, Opt: got.Opt}
			if got.Host != "" {
				read.Host += ".example.com."
			} else {
				read.Host = "example.com."
			}
			name, rrtype, value, skip, err := fromWire("example.com", read)
			require.NoError(t, err, "fromWire(%+v)", read)
			assert.False(t, skip, "fromWire(%+v) skips it", read)
			assert.Equal(t, []string{tc.name, tc.rrtype, tc.value}, []string{name, rrtype, value}, "fromWire(%+v)", read)
		})
	}
	_, err := toWire("x", "CAA", `0 issue "ca.example"`)
	assert.Error(t, err, "toWire took a CAA record")
	_, err = toWire("lab._ipp._tcp", "TXT", `"txtvers=1" "rp=printers/lab"`)
	assert.ErrorContains(t, err, "cannot hold the boundaries", "toWire of a TXT record of two short strings")
	for _, text := range []string{"bell\x07", "bad \xff byte"} {
		w, err := toWire("x", "TXT", model.TXTValue(text))
		assert.Error(t, err, "toWire took TXT %q as %q; XML would change it", text, w.Value)
	}
}

// TestFromWire checks answers as Plesk spells them: FQDN hosts in any
// case, names with or without their dot, Plesk's own entries.
func TestFromWire(t *testing.T) {
	for _, tc := range []struct {
		in                  resultData
		name, rrtype, value string
		skip                bool
		err                 string
	}{
		{in: resultData{Type: "NS", Host: "Mysite.com.", Value: "ns.Mysite.com."}, name: "@", rrtype: "NS", value: "ns.mysite.com."},
		{in: resultData{Type: "A", Host: "WWW.mysite.com", Value: " 192.0.2.1 "}, name: "www", rrtype: "A", value: "192.0.2.1"},
		{in: resultData{Type: "mx", Host: "mysite.com.", Value: "mail.mysite.com", Opt: "10"}, name: "@", rrtype: "MX", value: "10 mail.mysite.com."},
		{in: resultData{Type: "A", Host: "", Value: "192.0.2.1"}, name: "@", rrtype: "A", value: "192.0.2.1"},
		{in: resultData{Type: "A", Host: "*.mysite.com.", Value: "192.0.2.1"}, name: "*", rrtype: "A", value: "192.0.2.1"},
		{in: resultData{Type: "TXT", Host: "t.mysite.com.", Value: " padded "}, name: "t", rrtype: "TXT", value: `" padded "`},
		{in: resultData{Type: "SOA", Host: "mysite.com.", Value: "whatever"}, rrtype: "SOA", skip: true},
		{in: resultData{Type: "AXFR", Host: "mysite.com.", Value: "192.0.2.1"}, rrtype: "AXFR", skip: true},
		{in: resultData{Type: "A", Host: "www.other.org.", Value: "192.0.2.1"}, rrtype: "A", err: "not inside zone mysite.com"},
		{in: resultData{Type: "A", Host: "www.mysite.com.", Value: "not-an-ip"}, rrtype: "A", err: `value "not-an-ip"`},
		{in: resultData{Type: "MX", Host: "mysite.com.", Value: "mail.mysite.com."}, rrtype: "MX", err: "MX"},
	} {
		t.Run(tc.in.Type+" "+tc.in.Host, func(t *testing.T) {
			name, rrtype, value, skip, err := fromWire("mysite.com", tc.in)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.skip, skip, "skip")
			assert.Equal(t, []string{tc.name, tc.rrtype, tc.value}, []string{name, rrtype, value})
		})
	}
}
