package fake

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzAnswer feeds arbitrary packets to the fake: it must answer every
// one with XML and never panic.
func FuzzAnswer(f *testing.F) {
	for _, seed := range []string{
		`<packet version="1.6.7.0"><dns><get_rec><filter><site-id>1</site-id></filter></get_rec></dns></packet>`,
		`<packet><dns><add_rec><site-id>1</site-id><type>SRV</type><host>_x._tcp</host><value>t</value><opt>1 2 3</opt></add_rec></dns></packet>`,
		`<packet><dns><del_rec><filter><dns-zone-name>example.com</dns-zone-name></filter></del_rec><get_master_server><filter><dns-zone-name>x</dns-zone-name></filter></get_master_server></dns></packet>`,
		`<packet><site><get><filter><name>example.com</name></filter><dataset><gen_info/></dataset></get></site></packet>`,
		`<packet><dns><set><soa><ttl>1</ttl></soa></set><switch><filter><site-alias-id>1</site-alias-id></filter><zone_type>slave</zone_type></switch></dns></packet>`,
		`<packet><request-settings><setting><name>a</name><value>b</value></setting></request-settings><dns><get/></dns></packet>`,
		`<<<`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		s := New(Options{Login: login, Password: password})
		_, err := s.AddSite("example.com")
		require.NoError(t, err)
		h := http.Header{}
		h.Set("Content-Type", "text/xml")
		h["HTTP_AUTH_LOGIN"] = []string{login}
		h["HTTP_AUTH_PASSWD"] = []string{password}
		out := s.answer(h, []byte(body))
		canonical(t, string(out))
	})
}
