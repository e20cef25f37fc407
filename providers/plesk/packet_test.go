package plesk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEncodeRefuses proves the packets that would reach the server-wide
// zone template, or delete every record of the server, cannot be sent:
// the one encoder refuses them whatever built them.
func TestEncodeRefuses(t *testing.T) {
	ttl := uint32(300)
	for _, tc := range []struct {
		name string
		op   operation
		why  string
	}{
		{"del_rec with an empty filter", delRec{}, "every record of the server"},
		{"del_rec with id 0", delRec{Filter: idFilter{IDs: []recordID{7, 0}}}, "ids are positive"},
		{"del_master_server with an empty filter", delMaster{}, "every record of the server"},
		{"get_rec without a site", getRec{}, "zone template"},
		{"get without a site", getZone{}, "zone template"},
		{"get_master_server without a site", getMasters{}, "zone template"},
		{"set without a site", setSOA{SOA: soaFields{TTL: &ttl}}, "zone template"},
		{"set without a value", setSOA{Filter: siteFilter{SiteID: 1}}, "without an SOA value"},
		{"switch without a site", switchZone{ZoneType: "slave"}, "zone template"},
		{"switch to another type", switchZone{Filter: siteFilter{SiteID: 1}, ZoneType: "primary"}, "neither master nor slave"},
		{"add_rec without a site", addRec{Type: "A", Value: "192.0.2.1"}, "zone template"},
		{"add_master_server without a site", addMaster{IP: "192.0.2.53"}, "needs a site-id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok := getRec{Filter: siteFilter{SiteID: 1}}
			_, err := encodePacket(request{operator: "dns", ops: []operation{ok, tc.op}})
			require.ErrorContains(t, err, "refusing to send "+tc.op.call())
			assert.ErrorContains(t, err, tc.why)
		})
	}
	_, err := encodePacket(request{operator: "dns"})
	assert.Error(t, err, "an empty packet was encoded")
}

// TestEncodePacket pins the wire form: element names and order of the XSD
// sequences, the pinned version, one operator element.
func TestEncodePacket(t *testing.T) {
	ttl, refresh := uint32(300), uint32(7200)
	got, err := encodePacket(request{operator: "dns", ops: []operation{
		addRec{SiteID: 1, Type: "MX", Host: "", Value: "mx.example.net", Opt: "10"},
		addRec{SiteID: 1, Type: "TXT", Host: "t", Value: `a "b" <c> & d`},
		delRec{Filter: newIDFilter(75)},
		getZone{Filter: siteFilter{SiteID: 3}},
		setSOA{Filter: siteFilter{SiteID: 3}, SOA: soaFields{TTL: &ttl, Refresh: &refresh}},
		switchZone{Filter: siteFilter{SiteID: 3}, ZoneType: "slave"},
		addMaster{SiteID: 3, IP: "192.0.2.53"},
		delMaster{Filter: newIDFilter(5)},
	}})
	require.NoError(t, err)
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<packet version="1.6.7.0"><dns>` +
		`<add_rec><site-id>1</site-id><type>MX</type><host></host><value>mx.example.net</value><opt>10</opt></add_rec>` +
		`<add_rec><site-id>1</site-id><type>TXT</type><host>t</host><value>a &#34;b&#34; &lt;c&gt; &amp; d</value></add_rec>` +
		`<del_rec><filter><id>75</id></filter></del_rec>` +
		`<get><filter><site-id>3</site-id></filter><soa></soa></get>` +
		`<set><filter><site-id>3</site-id></filter><soa><ttl>300</ttl><refresh>7200</refresh></soa></set>` +
		`<switch><filter><site-id>3</site-id></filter><zone_type>slave</zone_type></switch>` +
		`<add_master_server><site-id>3</site-id><ip_address>192.0.2.53</ip_address></add_master_server>` +
		`<del_master_server><filter><id>5</id></filter></del_master_server>` +
		`</dns></packet>`
	assert.Empty(t, cmp.Diff(want, string(got)), "packet (-want +got)")
	sites, err := encodePacket(request{operator: "site", ops: []operation{getSites{}}})
	require.NoError(t, err)
	assert.Contains(t, string(sites), `<site><get><filter></filter><dataset><gen_info></gen_info></dataset></get></site>`, "site list packet")
}

// TestPost checks how answers map back to the operations sent.
func TestPost(t *testing.T) {
	two := request{operator: "dns", ops: []operation{getRec{Filter: siteFilter{SiteID: 1}}, getZone{Filter: siteFilter{SiteID: 1}}}}
	for _, tc := range []struct {
		name    string
		status  int
		answer  string
		matched int
		err     string
	}{
		{"both answered", 200, `<packet version="1.6.7.0"><dns><get_rec/><get><result><status>ok</status></result></get></dns></packet>`, 2, ""},
		{"pretty printed", 200, "<?xml version=\"1.0\"?>\n<packet>\n <dns>\n  <get_rec>\n  </get_rec>\n  <get>\n   <result><status>ok</status></result>\n  </get>\n </dns>\n</packet>\n", 2, ""},
		{"one answered", 200, `<packet><dns><get_rec/></dns></packet>`, 1, "2 operation elements sent, 1 answered"},
		{"answered out of order", 200, `<packet><dns><get/><get_rec/></dns></packet>`, 0, "0 in order"},
		{"system error", 200, `<packet><system><status>error</status><errcode>1001</errcode><errtext>Authentication failed - wrong password.</errtext></system></packet>`, 0,
			`packet rejected: error 1001 "Authentication failed - wrong password."`},
		{"not XML", 200, `Plesk is being updated`, 0, "unreadable answer"},
		{"truncated", 200, `<packet><dns><get_rec>`, 0, "unreadable answer"},
		{"other root", 200, `<html><body>login</body></html>`, 0, "root element <html>"},
		{"HTTP 404", 404, `not found`, 0, "HTTP 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.answer))
			}))
			defer srv.Close()
			c := newClient(&clientConfig{url: srv.URL + AgentPath, login: "u", password: "pw-test-secret"})
			got, err := c.post(context.Background(), two)
			assert.Len(t, got, tc.matched, "answers matched")
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tc.err)
			}
		})
	}
}

// TestSystemErrorIsAPIError checks a system error keeps its code.
func TestSystemErrorIsAPIError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<packet><system><status>error</status><errcode>1005</errcode><errtext>XML API protocol version not supported.</errtext></system></packet>`))
	}))
	defer srv.Close()
	c := newClient(&clientConfig{url: srv.URL, secretKey: "k"})
	_, err := c.post(context.Background(), request{operator: "dns", ops: []operation{getRec{Filter: siteFilter{SiteID: 1}}}})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 1005, ae.Code)
}
