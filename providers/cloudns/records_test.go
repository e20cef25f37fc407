package cloudns

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// TestRecordMapping maps a spec value to add-record parameters, turns the
// parameters into the record records.json answers (as the fake stores it),
// and reads it back: every type must come back to the same canonical value.
func TestRecordMapping(t *testing.T) {
	for _, tc := range []struct {
		name, rrtype, value string
		// want are parameters the API must get.
		want map[string]any
		// answer is the record as records.json sends it.
		answer string
	}{
		{"@", "A", "192.0.2.1", map[string]any{"host": "", "record": "192.0.2.1"},
			`{"id":"1","type":"A","host":"","record":"192.0.2.1","ttl":"3600","status":1,"failover":"0","dynamicurl_status":0}`},
		{"v6", "AAAA", "2001:DB8::1", map[string]any{"record": "2001:db8::1"},
			`{"id":"1","type":"AAAA","host":"v6","record":"2001:db8::1","ttl":"3600","status":1}`},
		{"v4", "AAAA", "::ffff:192.0.2.1", map[string]any{"record": "::ffff:192.0.2.1"},
			`{"id":"1","type":"AAAA","host":"v4","record":"::ffff:192.0.2.1","ttl":"3600","status":1}`},
		{"www", "CNAME", "Target.Example.Test.", map[string]any{"record": "target.example.test"},
			`{"id":"1","type":"CNAME","host":"www","record":"target.example.test","ttl":"3600"}`},
		{"@", "MX", "10 mx1.example.test.", map[string]any{"priority": uint16(10), "record": "mx1.example.test"},
			`{"id":"1","type":"MX","host":"","record":"mx1.example.test","priority":"10","ttl":"60"}`},
		{"@", "MX", "0 .", map[string]any{"priority": uint16(0), "record": "."},
			`{"id":"1","type":"MX","host":"","record":".","priority":"0","ttl":"60"}`},
		{"txt", "TXT", `quotes "inside" and a back\slash`, map[string]any{"record": `quotes "inside" and a back\slash`},
			`{"id":"1","type":"TXT","host":"txt","record":"quotes \"inside\" and a back\\slash","ttl":"300"}`},
		{"spf", "SPF", "v=spf1 -all", map[string]any{"record": "v=spf1 -all"},
			`{"id":"1","type":"SPF","host":"spf","record":"v=spf1 -all","ttl":"300"}`},
		{"_sip._tcp", "SRV", "10 60 5060 sip.example.test.", map[string]any{"host": "_sip._tcp", "priority": uint16(10), "weight": uint16(60), "port": uint16(5060), "record": "sip.example.test"},
			`{"id":"1","type":"SRV","host":"_sip._tcp","record":"sip.example.test","priority":"10","weight":"60","port":"5060","ttl":"3600"}`},
		{"caa", "CAA", `128 issue "ca.example; account=\"x\""`, map[string]any{"caa_flag": uint8(128), "caa_type": "issue", "caa_value": `ca.example; account="x"`, "record": ""},
			`{"id":"1","type":"CAA","host":"caa","caa_flag":"128","caa_type":"issue","caa_value":"ca.example; account=\"x\"","ttl":"3600"}`},
		{"ns", "NS", "ns1.example.test.", map[string]any{"record": "ns1.example.test"},
			`{"id":"1","type":"NS","host":"ns","record":"ns1.example.test","ttl":"3600"}`},
		{"ptr", "PTR", "host.example.test.", map[string]any{"record": "host.example.test"},
			`{"id":"1","type":"PTR","host":"ptr","record":"host.example.test","ttl":"3600"}`},
		{"_443._tcp", "TLSA", "3 1 1 ABCDEF0123", map[string]any{"tlsa_usage": uint8(3), "tlsa_selector": uint8(1), "tlsa_matching_type": uint8(1), "record": "abcdef0123"},
			`{"id":"1","type":"TLSA","host":"_443._tcp","record":"abcdef0123","tlsa_usage":"3","tlsa_selector":"1","tlsa_matching_type":"1","ttl":"3600"}`},
		{"sshfp", "SSHFP", "1 2 0123456789ABCDEF", map[string]any{"algorithm": uint8(1), "fptype": uint8(2), "record": "0123456789abcdef"},
			`{"id":"1","type":"SSHFP","host":"sshfp","record":"0123456789abcdef","algorithm":"1","fp_type":"2","ttl":"3600"}`},
		{"naptr", "NAPTR", `100 10 "U" "E2U+sip" "!^.*$!sip:in\"fo@example.com!" .`,
			map[string]any{"order": uint16(100), "pref": uint16(10), "flag": "U", "params": "E2U+sip", "regexp": `!^.*$!sip:in"fo@example.com!`, "replace": ".", "record": ""},
			`{"id":"1","type":"NAPTR","host":"naptr","order":"100","pref":"10","flag":"U","params":"E2U+sip","regexp":"!^.*$!sip:in\"fo@example.com!","replace":".","ttl":"3600"}`},
		{"sub", "DS", "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118", map[string]any{"key-tag": uint16(60485), "algorithm": uint8(5), "digest-type": uint8(1), "record": "2BB183AF5F22588179A53B0A98631FAD1A292118"},
			`{"id":"1","type":"DS","host":"sub","key_tag":"60485","dsalgorithm":"5","digest_type":"1","dsdigest":"2BB183AF5F22588179A53B0A98631FAD1A292118","ttl":"3600"}`},
	} {
		t.Run(tc.rrtype+"/"+tc.value, func(t *testing.T) {
			canonical, err := model.CanonicalValue(tc.rrtype, tc.value)
			require.NoError(t, err)
			params, err := recordParams("example.test", tc.name, tc.rrtype, 3600, canonical)
			require.NoError(t, err)
			got := map[string]any{}
			for k := range tc.want {
				got[k] = params[k]
			}
			assert.Empty(t, cmp.Diff(tc.want, got), "parameters (-want +got)")
			common := map[string]any{"record-type": params["record-type"], "domain-name": params["domain-name"], "ttl": params["ttl"]}
			assert.Empty(t, cmp.Diff(map[string]any{"record-type": tc.rrtype, "domain-name": "example.test", "ttl": uint32(3600)}, common), "common parameters (-want +got)")
			var w wireRecord
			require.NoError(t, json.Unmarshal([]byte(tc.answer), &w))
			value, err := modelValue(w)
			require.NoError(t, err)
			assert.Equal(t, canonical, value, "read back")
			assert.Equal(t, tc.name, hostName(string(w.Host)), "host %q", w.Host)
		})
	}
}

func TestModelValueRejectsBadData(t *testing.T) {
	for _, answer := range []string{
		`{"type":"A","record":"2001:db8::1"}`,
		`{"type":"AAAA","record":"192.0.2.1"}`,
		`{"type":"CNAME","record":""}`,
		`{"type":"MX","record":"mx 1.example","priority":"10"}`,
		`{"type":"TLSA","record":"ab cd","tlsa_usage":"3"}`,
		`{"type":"SSHFP","record":"zz;","algorithm":"1","fp_type":"1"}`,
		`{"type":"CAA","caa_flag":"0","caa_type":"","caa_value":"x"}`,
		`{"type":"WR","record":"https://example.com"}`,
	} {
		var w wireRecord
		require.NoError(t, json.Unmarshal([]byte(answer), &w))
		v, err := modelValue(w)
		assert.Error(t, err, "%s read as %q", answer, v)
	}
}

// ClouDNS holds a TXT record as one text: the plain 255-byte split goes
// out joined, other string boundaries are refused rather than lost.
func TestRecordParamsTXTStrings(t *testing.T) {
	long := strings.Repeat("x", 300)
	params, err := recordParams("example.test", "long", "TXT", 3600, model.TXTValue(long))
	require.NoError(t, err)
	assert.Equal(t, long, params["record"])
	_, err = recordParams("example.test", "lab._ipp._tcp", "TXT", 3600, `"txtvers=1" "rp=printers/lab"`)
	assert.ErrorContains(t, err, "cannot hold the boundaries between the strings")
}

func TestRecordParamsRefusesCAAFlag(t *testing.T) {
	_, err := recordParams("example.test", "caa", "CAA", 3600, `1 issue "ca.example"`)
	assert.EqualError(t, err, "ClouDNS accepts CAA flag 0 or 128 only, not 1")
}

func TestDecodeRecords(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		ids        []string
	}{
		{"empty zone is an array", `[]`, nil},
		{"object keyed by id", `{"273123233":{"id":"273123233","type":"A","host":"x","record":"127.0.0.1","ttl":"3600","status":1},"9":{"id":"9","type":"A","host":"","record":"1.2.3.4","ttl":3600,"status":"1"}}`, []string{"9", "273123233"}},
		{"id only in the key", `{"17":{"type":"A","host":"","record":"1.2.3.4","ttl":"60"}}`, []string{"17"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := decodeRecords([]byte(tc.body))
			require.NoError(t, err)
			var ids []string
			for _, r := range recs {
				ids = append(ids, string(r.ID))
			}
			assert.Empty(t, cmp.Diff(tc.ids, ids), "record ids (-want +got)")
		})
	}
	_, err := decodeRecords([]byte(`"nope"`))
	assert.Error(t, err, "a string answer decoded as records")
}

func TestFailureSniffing(t *testing.T) {
	for _, tc := range []struct {
		body   string
		failed bool
		desc   string
	}{
		{`{"status":"Failed","statusDescription":"Missing domain-name"}`, true, "Missing domain-name"},
		{`{"status":"Failed","statusMessage":"Invalid record-id param."}`, true, "Invalid record-id param."},
		{`{"status":"int(0)","statusDescription":"Your plan does not support GeoDNS zones."}`, true, "Your plan does not support GeoDNS zones."},
		{`{"status":"Failed"}`, true, "failed without a description"},
		{`{"status":"Success","statusDescription":"The record was added successfully.","data":{"id":1}}`, false, ""},
		{`{"name":"example.test","type":"master","zone":"domain","status":"1"}`, false, ""},
		{`{"check_type":18,"status":1,"state":"1"}`, false, ""},
		{`[]`, false, ""},
		{`true`, false, ""},
		{`3`, false, ""},
	} {
		desc, failed := failure([]byte(tc.body))
		assert.Equal(t, tc.failed, failed, "failure(%s)", tc.body)
		assert.Equal(t, tc.desc, desc, "failure(%s)", tc.body)
	}
}

func TestFlexibleNumbers(t *testing.T) {
	type flexible struct {
		A num  `json:"a"`
		B num  `json:"b"`
		C num  `json:"c"`
		D num  `json:"d"`
		E text `json:"e"`
		F text `json:"f"`
	}
	var v flexible
	require.NoError(t, json.Unmarshal([]byte(`{"a":"3600","b":60,"c":"","d":null,"e":273123234,"f":"x"}`), &v))
	assert.Empty(t, cmp.Diff(flexible{A: 3600, B: 60, E: "273123234", F: "x"}, v), "decoded (-want +got)")
	assert.Error(t, json.Unmarshal([]byte(`{"a":"ten"}`), &v), `"ten" decoded as a number`)
}
