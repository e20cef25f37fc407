package telecomx

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzFromWire: no record the API could hand back makes the reader panic,
// and whatever it reads is written back to a record that reads the same.
func FuzzFromWire(f *testing.F) {
	for _, r := range []Record{
		{"", "A", "213.83.176.4"}, {"www", "CNAME", "telecomx.dk"}, {"", "MX 0", "mail.telecomx.dk"},
		{"_sip._tcp.", "SRV", "10 60 5060 sip.telecomx.dk."}, {"", "TXT", `"v=spf1 \"x\" -all"`},
		{"", "TXT", "bare text"}, {"x", "MX", "10 mx.example.com"}, {"*", "AAAA", "2001:db8::1"},
		{"a..b", "NS", "\n"}, {"", "MX 99999", "x"}, {"", "TYPE65534", `\# 0`},
	} {
		f.Add(r.Name, r.Type, r.RData)
	}
	f.Fuzz(func(t *testing.T, name, rrtype, rdata string) {
		n, typ, value, err := fromWire("example.com", Record{name, rrtype, rdata})
		if err != nil {
			return
		}
		rec, err := toWire(n, typ, value)
		if err != nil {
			require.Contains(t, err.Error(), "cannot hold", "toWire(%s %s %q) after a read", n, typ, value)
			return
		}
		n2, typ2, value2, err := fromWire("example.com", rec)
		require.NoError(t, err, "read %s %s %q, wrote %+v", n, typ, value, rec)
		require.Equal(t, []string{n, typ, value}, []string{n2, typ2, value2}, "read, wrote %+v, read back", rec)
	})
}

// FuzzAnswers: no answer body makes the decoders or the error mapping panic.
func FuzzAnswers(f *testing.F) {
	for _, s := range []string{
		`{"_id":"telecomx.dk","records":12,"ttl":"86400","status":"OK"}`,
		`{"_id":"x","records":[{"name":"","type":"A","rData":"1.2.3.4"}],"ttl":3600,"serial":2018112300}`,
		`{"error":{"code":"rData","status":422,"message":"Data is invalid"}}`,
		`{"error":[{"code":"a"},{"code":"b"}]}`, `{"errors":null}`, `[]`, `null`, `"x"`, `{"ttl":1e99}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var d Domain
		if json.Unmarshal(body, &d) == nil {
			_, _, _ = zoneModel("example.com", &d)
		}
		var page listPage
		_ = json.Unmarshal(body, &page)
		assert.NotContains(t, parseAPIError("GET", "/dns", "", 500, body).Error(), "\n", "the error spans lines")
	})
}
