package rfc2136

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

func TestModel(t *testing.T) {
	const zone = "example.test"
	soa := "example.test. 3600 IN SOA ns.example.net. host\\.master.example.test. 7 7200 3600 1209600 300"
	for _, tc := range []struct {
		name    string
		records []string
		want    []string // "name type ttl value|value"
		ids     map[string]map[string]string
		err     string
	}{
		{
			name: "record sets, lowest TTL of a mixed set, canonical values",
			records: []string{
				"www.example.test. 300 IN A 192.0.2.2", "www.example.test. 600 IN A 192.0.2.1",
				"Mail.Example.TEST. 300 IN MX 10 MX1.Example.TEST.",
			},
			want: []string{"mail MX 300 10 mx1.example.test.", "www A 300 192.0.2.1|192.0.2.2"},
			ids:  map[string]map[string]string{"mail MX": {"10 mx1.example.test.": "10 MX1.Example.TEST."}},
		},
		{
			name:    "TXT strings keep their boundaries: the same bytes in other strings are another value",
			records: []string{`t.example.test. 300 IN TXT "ab" "c"`, `t.example.test. 300 IN TXT "a" "bc"`, `t.example.test. 300 IN TXT "abc"`},
			want:    []string{`t TXT 300 "a" "bc"|"ab" "c"|"abc"`},
		},
		{
			name:    "TXT escapes read in canonical form",
			records: []string{`t.example.test. 300 IN TXT "a\098c" "\x"`},
			want:    []string{`t TXT 300 "abc" "x"`},
		},
		{
			name:    "an IPv4-mapped AAAA reads as written",
			records: []string{`v4.example.test. 300 IN AAAA ::ffff:192.0.2.1`},
			want:    []string{`v4 AAAA 300 ::ffff:192.0.2.1`},
		},
		{
			name: "a zone the server signs: DNSSEC records and the signer's keys are not managed",
			records: []string{
				"example.test. 3600 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
				"example.test. 3600 IN CDS 60485 13 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
				"example.test. 3600 IN RRSIG SOA 13 2 3600 20300101000000 20200101000000 60485 example.test. AAAA",
				"example.test. 3600 IN NSEC www.example.test. SOA RRSIG NSEC DNSKEY",
				"example.test. 0 IN TYPE65534 \\# 5 0DE3A50001",
				"www.example.test. 300 IN A 192.0.2.1",
			},
			want: []string{"www A 300 192.0.2.1"},
		},
		{
			name:    "a type miekg/dns does not know, in RFC 3597 form",
			records: []string{`x.example.test. 300 IN TYPE65280 \# 4 0A000001`, `x.example.test. 300 IN TYPE65280 \# 0`},
			want:    []string{`x TYPE65280 300 \# 0|\# 4 0a000001`},
		},
		{
			name:    "an unsigned zone's DNSKEY is a record like any other",
			records: []string{"example.test. 3600 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="},
			want:    []string{"@ DNSKEY 3600 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="},
		},
		{
			name:    "a record outside the zone",
			records: []string{"www.example.org. 300 IN A 192.0.2.1"},
			err:     "www.example.org., which is outside the zone",
		},
		{
			name:    "a record of another class",
			records: []string{"www.example.test. 300 CH A 192.0.2.1"},
			err:     "of class CH; only IN is supported",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rrs := []dns.RR{rrT(soa)}
			for _, r := range tc.records {
				rrs = append(rrs, rrT(r))
			}
			z, spellings, err := liveZone(zone, rrs)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			want := model.SOA{PrimaryNS: "ns.example.net.", AdminMail: "host.master@example.test", Serial: 7, Refresh: 7200, Retry: 3600, Expire: 1209600, Minimum: 300}
			assert.Empty(t, cmp.Diff(&want, z.SOA), "SOA (-want +got)")
			var got []string
			for _, rs := range z.Records {
				got = append(got, rs.Name+" "+rs.Type+" "+strconv.FormatUint(uint64(rs.TTL), 10)+" "+strings.Join(rs.Values, "|"))
			}
			assert.Empty(t, cmp.Diff(tc.want, got), "record sets (-want +got)")
			assert.Empty(t, cmp.Diff(tc.ids, spellings, cmpopts.EquateEmpty()), "server spellings (-want +got)")
		})
	}
}
