package plesk

import (
	"testing"

	"github.com/zonesync/zonesync/model"
)

// FuzzDecodeResponse feeds arbitrary answers to the decoder and the record
// mapping: they must return errors, never panic.
func FuzzDecodeResponse(f *testing.F) {
	for _, seed := range []string{
		`<packet><dns><get_rec><result><status>ok</status><id>8</id><data><site-id>8</site-id><type>NS</type><host>Mysite.com.</host><value>ns.Mysite.com.</value><opt></opt></data></result></get_rec></dns></packet>`,
		`<packet><dns><get_rec><result><status>ok</status><id>9</id><data><type>SRV</type><host>_a._tcp.mysite.com.</host><value>x</value><opt>1 2</opt></data></result></get_rec></dns></packet>`,
		`<packet><system><status>error</status><errcode>1001</errcode></system></packet>`,
		`<packet><dns><get><result><status>ok</status><soa><ttl>x</ttl></soa></result></get></dns></packet>`,
		`<packet>`, `garbage`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		resp, err := decodeResponse([]byte(body), "dns")
		if err != nil {
			return
		}
		for _, op := range resp.ops {
			if ids, err := readRecords("mysite.com", op.results); err == nil {
				ids.fill(&model.Zone{Name: "mysite.com"})
			}
			_ = readZoneInfo(&model.Zone{Name: "mysite.com"}, op.results)
			_, _ = readMasters(op.results)
		}
	})
}
