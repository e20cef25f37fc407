package cloudns

import (
	"encoding/json"
	"testing"
)

// FuzzDecode feeds arbitrary answers to the decoders of ClouDNS's responses:
// none may panic, and every record they accept maps to the model or is
// refused with an error.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`[]`,
		`{"273120521":{"id":"273120521","type":"A","host":"","record":"1.2.3.4","dynamicurl_status":0,"failover":"0","ttl":"3600","status":1}}`,
		`{"1":{"id":"1","type":"MX","host":"m","record":"mx1.local","priority":"10","ttl":"60","status":1}}`,
		`{"2":{"id":"2","type":"CAA","host":"","record":"","caa_flag":"0","caa_type":"issue","caa_value":"letsencrypt.org","ttl":"300"}}`,
		`{"status":"Failed","statusDescription":"Missing domain-name"}`,
		`{"10":"192.0.2.10","20":"192.0.2.20"}`,
		`{"check_type":18,"check_settings":{"host":"www.example.com","port":"443"},"status":1,"down_event_handler":2,"up_event_handler":1,"main_ip":"192.0.2.1","backup_ip_1":"192.0.2.9","state":"1"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		failure(body)
		if recs, err := decodeRecords(body); err == nil {
			for _, r := range recs {
				modelValue(r)
			}
		}
		decodeMasters(body)
		var w wireFailover
		if json.Unmarshal(body, &w) == nil {
			w.settings()
			modelFailover(w)
		}
	})
}
