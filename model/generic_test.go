package model

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenericTypes(t *testing.T) {
	for _, tc := range []struct {
		rrtype string
		code   uint16
		err    string
	}{
		{"TYPE65534", 65534, ""},
		{"TYPE65280", 65280, ""},
		{"TYPE1", 0, "TYPE1 is A; write type A"},
		{"TYPE46", 0, "TYPE46 is RRSIG: record type RRSIG cannot be declared"},
		{"TYPE200", 0, "query or meta type"},
		{"TYPE0", 0, `unknown record type "TYPE0"`},
		{"TYPE065534", 0, `unknown record type "TYPE065534"`},
		{"TYPE65536", 0, `unknown record type "TYPE65536"`},
		{"TYPE", 0, `unknown record type "TYPE"`},
	} {
		t.Run(tc.rrtype, func(t *testing.T) {
			err := CheckType(tc.rrtype)
			code, ok := TypeCode(tc.rrtype)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.rrtype, TypeName(code))
		})
	}
	for _, bad := range []string{"TYPE0", "TYPE065534", "TYPE65536", "TYPE", "TYPE1", "FOO"} {
		_, ok := TypeCode(bad)
		assert.False(t, ok, "TypeCode(%s)", bad)
	}
	code, ok := TypeCode("MX")
	assert.True(t, ok)
	assert.Equal(t, dns.TypeMX, code)
}

func TestGenericValues(t *testing.T) {
	for _, tc := range []struct{ rrtype, in, want string }{
		{"TYPE65534", `\# 4 0A000001`, `\# 4 0a000001`},
		{"TYPE65534", `\# 4 0a00 0001`, `\# 4 0a000001`},
		{"TYPE65280", `\# 0`, `\# 0`},
		// A known type written generically is read as that type.
		{"A", `\# 4 c0000201`, "192.0.2.1"},
		// NULL has no other presentation form (RFC 1035 §3.3.10).
		{"NULL", `\# 2 ABCD`, `\# 2 abcd`},
		{"NULL", `\# 0`, `\# 0`},
	} {
		got, err := CanonicalValue(tc.rrtype, tc.in)
		require.NoError(t, err, "%s %q", tc.rrtype, tc.in)
		assert.Equal(t, tc.want, got, "%s %q", tc.rrtype, tc.in)
	}
	_, err := CanonicalValue("TYPE65280", "hello")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `\# <length in bytes> <hex>`)
	_, err = CanonicalValue("TYPE65280", `\# 2 zz00`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `the data "zz00" after \# <length> is not hexadecimal`)
}

func TestRDATAOfGenericRecord(t *testing.T) {
	rr, err := dns.NewRR(`x.example.com. 300 IN TYPE65534 \# 4 0A000001`)
	require.NoError(t, err)
	assert.Equal(t, `\# 4 0a000001`, RDATA(rr))
	assert.Equal(t, `\# 4 0a000001`, CanonicalRR(rr))
	rr, err = dns.NewRR(`x.example.com. 300 IN MX 10 Mail.example.com.`)
	require.NoError(t, err)
	assert.Equal(t, "10 Mail.example.com.", RDATA(rr))
}

func TestSignerOwned(t *testing.T) {
	for _, tc := range []struct {
		name, rrtype string
		signed, want bool
	}{
		{"www", "RRSIG", false, true},
		{"@", "NSEC3PARAM", false, true},
		{"x", "NSEC3", true, true},
		{"@", "DNSKEY", true, true},
		{"@", "CDS", true, true},
		{"@", "DNSKEY", false, false},
		{"sub", "DNSKEY", true, false},
		{"@", "TYPE65534", false, true},
		{"x", "TYPE65534", true, false},
		{"@", "A", true, false},
	} {
		assert.Equal(t, tc.want, SignerOwned(tc.name, tc.rrtype, tc.signed), "%s %s signed=%v", tc.name, tc.rrtype, tc.signed)
	}
}
