package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/faults"
)

const auth = `"auth-id":"11","auth-password":"pw"`

func newFake(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	f := New(Options{AuthID: "11", SubAuthID: "22", SubAuthUser: "ops", Password: "pw"})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// post sends a JSON body and returns the HTTP status and the body.
func post(t *testing.T, srv *httptest.Server, method, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/dns/"+method+".json", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func seedZone(t *testing.T, f *Server) {
	t.Helper()
	rs := &model.RecordSet{Name: "www", Type: "A", TTL: 300, Values: []string{"192.0.2.1"}}
	require.NoError(t, f.Seed(&model.Zone{Name: "example.test", Mode: model.Master, Records: []*model.RecordSet{rs}}))
	require.NoError(t, f.Seed(&model.Zone{Name: "slave.test", Mode: model.Slave, Masters: []string{"192.0.2.53"}}))
}

// TestDocumentedErrors: every error the API notes document, with its
// exact answer, always HTTP 200.
func TestDocumentedErrors(t *testing.T) {
	soa := `"domain-name":"example.test","primary-ns":"ns1.example.test","admin-mail":"a@example.test","refresh":7200,"retry":1800,"expire":1209600,"default-ttl":3600`
	failed := func(desc string) string { return `{"status":"Failed","statusDescription":"` + desc + `"}` }
	for _, tc := range []struct {
		name, method, body, want string
	}{
		{"wrong password", "get-zone-info", `{"auth-id":"11","auth-password":"nope","domain-name":"example.test"}`, failed("Invalid authentication, incorrect auth-id or auth-password.")},
		{"unknown auth-id", "list-zones", `{"auth-id":"12","auth-password":"pw","page":1,"rows-per-page":10}`, failed("Invalid authentication, incorrect auth-id or auth-password.")},
		{"no identity", "list-zones", `{"auth-password":"pw","page":1,"rows-per-page":10}`, failed("Invalid authentication, incorrect auth-id or auth-password.")},
		{"wrong sub-auth-id", "list-zones", `{"sub-auth-id":"23","auth-password":"pw","page":1,"rows-per-page":10}`, failed("Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password.")},
		{"wrong sub-auth-user password", "list-zones", `{"sub-auth-user":"ops","auth-password":"x","page":1,"rows-per-page":10}`, failed("Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password.")},
		{"missing zone", "records", `{` + auth + `,"domain-name":"absent.test"}`, failed("Missing domain-name")},
		{"no zone given", "soa-details", `{` + auth + `}`, failed("Missing domain-name")},
		{"unknown record id", "delete-record", `{` + auth + `,"domain-name":"example.test","record-id":1}`, failed("Invalid record-id param.")},
		{"record id not a number", "mod-record", `{` + auth + `,"domain-name":"example.test","record-id":"x","host":"","record":"192.0.2.1","ttl":60}`, failed("Invalid record-id param.")},
		{"list without page", "list-zones", `{` + auth + `,"rows-per-page":10}`, failed("Missing required parameter 'page'.")},
		{"list with bad rows", "list-zones", `{` + auth + `,"page":1,"rows-per-page":25}`, failed("Wrong or missing required parameter 'rows-per-page'.")},
		{"list without rows", "list-zones", `{` + auth + `,"page":1}`, failed("Wrong or missing required parameter 'rows-per-page'.")},
		{"TTL not allowed", "add-record", `{` + auth + `,"domain-name":"example.test","record-type":"A","host":"x","record":"192.0.2.1","ttl":120}`, failed("Invalid TTL. Choose from the list of the values we support.")},
		{"bad primary NS", "modify-soa", `{` + auth + `,` + strings.Replace(soa, "ns1.example.test", "ns1 example", 1) + `}`, failed("Invalid hostname for Primary NS")},
		{"bad admin mail", "modify-soa", `{` + auth + `,` + strings.Replace(soa, "a@example.test", "a.example.test", 1) + `}`, failed("Invalid admin mail")},
		{"refresh 1199", "modify-soa", `{` + auth + `,` + strings.Replace(soa, `"refresh":7200`, `"refresh":1199`, 1) + `}`, failed("Invalid Refresh/Retry/Expire/Default TTL value")},
		{"retry 2419201", "modify-soa", `{` + auth + `,` + strings.Replace(soa, `"retry":1800`, `"retry":2419201`, 1) + `}`, failed("Invalid Refresh/Retry/Expire/Default TTL value")},
		{"expire 1209599", "modify-soa", `{` + auth + `,` + strings.Replace(soa, `"expire":1209600`, `"expire":1209599`, 1) + `}`, failed("Invalid Refresh/Retry/Expire/Default TTL value")},
		{"default-ttl 59", "modify-soa", `{` + auth + `,` + strings.Replace(soa, `"default-ttl":3600`, `"default-ttl":59`, 1) + `}`, failed("Invalid Refresh/Retry/Expire/Default TTL value")},
		{"default-ttl not a number", "modify-soa", `{` + auth + `,` + strings.Replace(soa, `"default-ttl":3600`, `"default-ttl":"1h"`, 1) + `}`, failed("Invalid Refresh/Retry/Expire/Default TTL value")},
		{"zone already added", "register", `{` + auth + `,"domain-name":"example.test","zone-type":"master"}`, failed("example.test has been already added.")},
		{"invalid zone name", "register", `{` + auth + `,"domain-name":"no spaces.test","zone-type":"master"}`, failed("no spaces.test is invalid domain name.")},
		{"bad master IP", "register", `{` + auth + `,"domain-name":"new.test","zone-type":"slave","master-ip":"999.1.1.1"}`, failed("Invalid IP address for the master server.")},
		{"GeoDNS plan", "register", `{` + auth + `,"domain-name":"geo.test","zone-type":"geodns"}`, `{"status":"int(0)","statusDescription":"Your plan does not support GeoDNS zones."}`},
		{"bad master id", "delete-master-server", `{` + auth + `,"domain-name":"slave.test","master-id":99999}`, failed("Invalid parameter master-id")},
		{"record call on a slave zone", "records", `{` + auth + `,"domain-name":"slave.test"}`, failed(errNotMaster)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, srv := newFake(t)
			seedZone(t, f)
			status, body := post(t, srv, tc.method, tc.body)
			assert.Equal(t, http.StatusOK, status, "HTTP status")
			assert.Equal(t, tc.want, body)
		})
	}
}

// TestParameterForms: GET query, POST form and POST JSON are the same call.
func TestParameterForms(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	q := url.Values{"auth-id": {"11"}, "auth-password": {"pw"}, "domain-name": {"example.test"}, "record-type": {"MX"}, "host": {"Mail"}, "record": {"mx.example.test."}, "priority": {"10"}, "ttl": {"300"}}
	resp, err := http.Get(srv.URL + "/dns/add-record.json?" + q.Encode())
	require.NoError(t, err)
	resp.Body.Close()
	q.Set("host", "form")
	resp, err = http.PostForm(srv.URL+"/dns/add-record.json", q)
	require.NoError(t, err)
	resp.Body.Close()
	_, body := post(t, srv, "add-record", `{`+auth+`,"domain-name":"example.test","record-type":"MX","host":"json","record":"mx.example.test","priority":10,"ttl":300}`)
	assert.True(t, strings.HasPrefix(body, `{"status":"Success","statusDescription":"The record was added successfully.","data":{"id":`), "add-record answered %s", body)
	var hosts []string
	for _, r := range f.Records("example.test") {
		if r.Type == "MX" {
			assert.Equal(t, []any{"mx.example.test", "10", 300}, []any{r.Record, r.Fields["priority"], r.TTL}, "record, priority and TTL stored for %s", r.Host)
			hosts = append(hosts, r.Host)
		}
	}
	assert.Equal(t, []string{"mail", "form", "json"}, hosts, "the three forms stored, lower-cased")
}

// TestRecordsShape: records.json is an object keyed by id with numbers as
// strings, or [] when nothing matches.
func TestRecordsShape(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	_, body := post(t, srv, "records", `{`+auth+`,"domain-name":"example.test","host":"nothing"}`)
	assert.Equal(t, `[]`, body, "no match")
	_, body = post(t, srv, "records", `{`+auth+`,"domain-name":"example.test"}`)
	var got map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &got), body)
	id := fmt.Sprint(f.Records("example.test")[0].ID)
	want := map[string]map[string]any{id: {"id": id, "type": "A", "host": "www", "record": "192.0.2.1", "ttl": "300", "status": float64(1), "failover": "0", "dynamicurl_status": float64(0)}}
	assert.Empty(t, cmp.Diff(want, got), "records answer (-want +got)")
}

func TestListZonesPages(t *testing.T) {
	f, srv := newFake(t)
	var want []string
	for i := range 25 {
		require.NoError(t, f.Seed(&model.Zone{Name: fmt.Sprintf("z%02d.test", i), Mode: model.Master}))
		want = append(want, fmt.Sprintf("z%02d.test", i))
	}
	var names []string
	for page := 1; page <= 4; page++ {
		_, body := post(t, srv, "list-zones", fmt.Sprintf(`{%s,"page":%d,"rows-per-page":10}`, auth, page))
		var rows []map[string]any
		require.NoError(t, json.Unmarshal([]byte(body), &rows))
		assert.Len(t, rows, []int{10, 10, 5, 0}[page-1], "rows of page %d", page)
		for _, r := range rows {
			names = append(names, r["name"].(string))
		}
	}
	assert.Empty(t, cmp.Diff(want, names), "zones listed (-want +got)")
	_, body := post(t, srv, "get-pages-count", `{`+auth+`,"rows-per-page":10}`)
	assert.Equal(t, "3", body, "get-pages-count")
}

func TestModRecordKeepsType(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	id := f.Records("example.test")[0].ID
	_, body := post(t, srv, "mod-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d,"record-type":"AAAA","host":"www","record":"2001:db8::1","ttl":300}`, auth, id))
	assert.Equal(t, `{"status":"Failed","statusDescription":"You can't modify the record type."}`, body)
	_, body = post(t, srv, "mod-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d,"record-type":"A","host":"www","record":"192.0.2.9","ttl":60}`, auth, id))
	assert.Equal(t, `{"status":"Success","statusDescription":"The record was modified successfully."}`, body)
	r := f.Records("example.test")[0]
	assert.Equal(t, []any{id, "192.0.2.9", 60}, []any{r.ID, r.Record, r.TTL}, "id, record and TTL stored")
	_, body = post(t, srv, "delete-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d}`, auth, id))
	_, again := post(t, srv, "delete-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d}`, auth, id))
	assert.Equal(t, `{"status":"Success","statusDescription":"The record was deleted successfully."}`, body, "the first delete")
	assert.Equal(t, `{"status":"Failed","statusDescription":"Invalid record-id param."}`, again, "the second delete")
}

// TestFaultsAndCounts: injected faults take the API's own forms and calls
// are counted per endpoint.
func TestFaultsAndCounts(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	f.Faults().Script(faults.RateLimit, faults.ServerError)
	_, body := post(t, srv, "soa-details", `{`+auth+`,"domain-name":"example.test"}`)
	assert.Equal(t, `{"status":"Failed","statusDescription":"Request blocked. 127.0.0.1 is sending more than 20 requests per second."}`, body, "the rate limit")
	status, _ := post(t, srv, "soa-details", `{`+auth+`,"domain-name":"example.test"}`)
	assert.Equal(t, http.StatusServiceUnavailable, status, "the server error")
	post(t, srv, "records", `{`+auth+`,"domain-name":"example.test"}`)
	assert.Empty(t, cmp.Diff(map[string]int{"soa-details": 2, "records": 1}, f.Faults().AllCalls()), "calls (-want +got)")
}

// TestOwnRateLimit: with RequestsPerSecond set, a burst beyond it is
// blocked with ClouDNS's answer.
func TestOwnRateLimit(t *testing.T) {
	f := New(Options{AuthID: "11", Password: "pw", RequestsPerSecond: 5})
	srv := httptest.NewServer(f)
	defer srv.Close()
	blocked := 0
	for range 20 {
		if _, body := post(t, srv, "login", `{`+auth+`}`); strings.Contains(body, "Request blocked.") {
			blocked++
		}
	}
	assert.NotZero(t, blocked, "requests blocked of 20 instant requests at 5/s")
	assert.Equal(t, blocked, f.Blocked(), "blocked requests the fake counts")
}

func TestFailoverEndpoints(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	id := f.Records("example.test")[0].ID
	call := func(method, extra string) string {
		_, body := post(t, srv, method, fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d%s}`, auth, id, extra))
		return body
	}
	assert.Equal(t, `{"status":"Failed","statusDescription":"`+errFailoverOff+`"}`, call("failover-settings", ""), "settings before activation")
	assert.Contains(t, call("failover-activate", `,"check_type":19,"down_event_handler":0,"up_event_handler":0,"main_ip":"192.0.2.1"`), errCheckType, "check_type 19")
	assert.Contains(t, call("failover-activate", `,"check_type":4,"down_event_handler":2,"up_event_handler":1,"main_ip":"192.0.2.1","backup_ip_1":"192.0.2.2","host":"www.example.test","port":"80","state":0`), "Success", "activate")
	want := `{"backup_ip_1":"192.0.2.2","backup_ip_2":"","backup_ip_3":"","backup_ip_4":"","backup_ip_5":"","check_settings":{"host":"www.example.test","port":80},"check_type":4,"down_event_handler":2,"main_ip":"192.0.2.1","state":"0","status":-1,"up_event_handler":1}`
	assert.Equal(t, want, call("failover-settings", ""), "settings")
	assert.Contains(t, call("failover-activate", `,"check_type":17,"down_event_handler":0,"up_event_handler":0,"main_ip":"192.0.2.1"`), errFailoverOn, "a second activate")
	_, recs := post(t, srv, "records", `{`+auth+`,"domain-name":"example.test"}`)
	assert.Contains(t, recs, `"failover":"1"`, "records show failover on")
	assert.Contains(t, call("failover-deactivate", ""), "Success", "deactivate")
	assert.Contains(t, call("failover-modify", `,"check_type":17,"down_event_handler":0,"up_event_handler":0,"main_ip":"192.0.2.1"`), errFailoverOff, "modify after deactivate")
}
