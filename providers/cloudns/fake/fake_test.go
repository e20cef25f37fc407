package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

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
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func seedZone(t *testing.T, f *Server) {
	t.Helper()
	rs := &model.RecordSet{Name: "www", Type: "A", TTL: 300, Values: []string{"192.0.2.1"}}
	if err := f.Seed(&model.Zone{Name: "example.test", Mode: model.Master, Records: []*model.RecordSet{rs}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Seed(&model.Zone{Name: "slave.test", Mode: model.Slave, Masters: []string{"192.0.2.53"}}); err != nil {
		t.Fatal(err)
	}
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
			if status != http.StatusOK || body != tc.want {
				t.Fatalf("HTTP %d %s\nwant HTTP 200 %s", status, body, tc.want)
			}
		})
	}
}

// TestParameterForms: GET query, POST form and POST JSON are the same call.
func TestParameterForms(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	q := url.Values{"auth-id": {"11"}, "auth-password": {"pw"}, "domain-name": {"example.test"}, "record-type": {"MX"}, "host": {"Mail"}, "record": {"mx.example.test."}, "priority": {"10"}, "ttl": {"300"}}
	resp, err := http.Get(srv.URL + "/dns/add-record.json?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	q.Set("host", "form")
	resp, err = http.PostForm(srv.URL+"/dns/add-record.json", q)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, body := post(t, srv, "add-record", `{`+auth+`,"domain-name":"example.test","record-type":"MX","host":"json","record":"mx.example.test","priority":10,"ttl":300}`)
	if !strings.HasPrefix(body, `{"status":"Success","statusDescription":"The record was added successfully.","data":{"id":`) {
		t.Fatalf("add-record answered %s", body)
	}
	var hosts []string
	for _, r := range f.Records("example.test") {
		if r.Type == "MX" {
			if r.Record != "mx.example.test" || r.Fields["priority"] != "10" || r.TTL != 300 {
				t.Errorf("stored %+v", r)
			}
			hosts = append(hosts, r.Host)
		}
	}
	if !reflect.DeepEqual(hosts, []string{"mail", "form", "json"}) {
		t.Fatalf("hosts %v: want the three forms stored, lower-cased", hosts)
	}
}

// TestRecordsShape: records.json is an object keyed by id with numbers as
// strings, or [] when nothing matches.
func TestRecordsShape(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	_, body := post(t, srv, "records", `{`+auth+`,"domain-name":"example.test","host":"nothing"}`)
	if body != `[]` {
		t.Fatalf("no match answered %s, want []", body)
	}
	_, body = post(t, srv, "records", `{`+auth+`,"domain-name":"example.test"}`)
	var got map[string]map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	id := fmt.Sprint(f.Records("example.test")[0].ID)
	want := map[string]any{"id": id, "type": "A", "host": "www", "record": "192.0.2.1", "ttl": "300", "status": float64(1), "failover": "0", "dynamicurl_status": float64(0)}
	if !reflect.DeepEqual(got[id], want) {
		t.Fatalf("record %v, want %v", got[id], want)
	}
}

func TestListZonesPages(t *testing.T) {
	f, srv := newFake(t)
	for i := range 25 {
		if err := f.Seed(&model.Zone{Name: fmt.Sprintf("z%02d.test", i), Mode: model.Master}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for page := 1; page <= 4; page++ {
		_, body := post(t, srv, "list-zones", fmt.Sprintf(`{%s,"page":%d,"rows-per-page":10}`, auth, page))
		var rows []map[string]any
		if err := json.Unmarshal([]byte(body), &rows); err != nil {
			t.Fatal(err)
		}
		want := []int{10, 10, 5, 0}[page-1]
		if len(rows) != want {
			t.Fatalf("page %d has %d rows, want %d", page, len(rows), want)
		}
		for _, r := range rows {
			names = append(names, r["name"].(string))
		}
	}
	if len(names) != 25 || names[0] != "z00.test" || names[24] != "z24.test" {
		t.Fatalf("zones %v", names)
	}
	if _, body := post(t, srv, "get-pages-count", `{`+auth+`,"rows-per-page":10}`); body != "3" {
		t.Fatalf("get-pages-count %s", body)
	}
}

func TestModRecordKeepsType(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	id := f.Records("example.test")[0].ID
	_, body := post(t, srv, "mod-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d,"record-type":"AAAA","host":"www","record":"2001:db8::1","ttl":300}`, auth, id))
	if body != `{"status":"Failed","statusDescription":"You can't modify the record type."}` {
		t.Fatalf("answer %s", body)
	}
	_, body = post(t, srv, "mod-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d,"record-type":"A","host":"www","record":"192.0.2.9","ttl":60}`, auth, id))
	if body != `{"status":"Success","statusDescription":"The record was modified successfully."}` {
		t.Fatalf("answer %s", body)
	}
	if r := f.Records("example.test")[0]; r.ID != id || r.Record != "192.0.2.9" || r.TTL != 60 {
		t.Fatalf("stored %+v", r)
	}
	_, body = post(t, srv, "delete-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d}`, auth, id))
	_, again := post(t, srv, "delete-record", fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d}`, auth, id))
	if body != `{"status":"Success","statusDescription":"The record was deleted successfully."}` || again != `{"status":"Failed","statusDescription":"Invalid record-id param."}` {
		t.Fatalf("delete answered %s, then %s", body, again)
	}
}

// TestFaultsAndCounts: injected faults take the API's own forms and calls
// are counted per endpoint.
func TestFaultsAndCounts(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	f.Faults().Script(faults.RateLimit, faults.ServerError)
	_, body := post(t, srv, "soa-details", `{`+auth+`,"domain-name":"example.test"}`)
	if body != `{"status":"Failed","statusDescription":"Request blocked. 127.0.0.1 is sending more than 20 requests per second."}` {
		t.Fatalf("rate limit answered %s", body)
	}
	if status, _ := post(t, srv, "soa-details", `{`+auth+`,"domain-name":"example.test"}`); status != http.StatusServiceUnavailable {
		t.Fatalf("server error answered HTTP %d", status)
	}
	post(t, srv, "records", `{`+auth+`,"domain-name":"example.test"}`)
	if got := f.Faults().AllCalls(); !reflect.DeepEqual(got, map[string]int{"soa-details": 2, "records": 1}) {
		t.Fatalf("calls %v", got)
	}
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
	if blocked == 0 || f.Blocked() != blocked {
		t.Fatalf("blocked %d (fake says %d) of 20 instant requests at 5/s", blocked, f.Blocked())
	}
}

func TestFailoverEndpoints(t *testing.T) {
	f, srv := newFake(t)
	seedZone(t, f)
	id := f.Records("example.test")[0].ID
	call := func(method, extra string) string {
		_, body := post(t, srv, method, fmt.Sprintf(`{%s,"domain-name":"example.test","record-id":%d%s}`, auth, id, extra))
		return body
	}
	if got := call("failover-settings", ""); got != `{"status":"Failed","statusDescription":"`+errFailoverOff+`"}` {
		t.Fatalf("settings before activation: %s", got)
	}
	if got := call("failover-activate", `,"check_type":19,"down_event_handler":0,"up_event_handler":0,"main_ip":"192.0.2.1"`); !strings.Contains(got, errCheckType) {
		t.Fatalf("check_type 19: %s", got)
	}
	if got := call("failover-activate", `,"check_type":4,"down_event_handler":2,"up_event_handler":1,"main_ip":"192.0.2.1","backup_ip_1":"192.0.2.2","host":"www.example.test","port":"80","state":0`); !strings.Contains(got, "Success") {
		t.Fatalf("activate: %s", got)
	}
	want := `{"backup_ip_1":"192.0.2.2","backup_ip_2":"","backup_ip_3":"","backup_ip_4":"","backup_ip_5":"","check_settings":{"host":"www.example.test","port":80},"check_type":4,"down_event_handler":2,"main_ip":"192.0.2.1","state":"0","status":-1,"up_event_handler":1}`
	if got := call("failover-settings", ""); got != want {
		t.Fatalf("settings %s\nwant %s", got, want)
	}
	if got := call("failover-activate", `,"check_type":17,"down_event_handler":0,"up_event_handler":0,"main_ip":"192.0.2.1"`); !strings.Contains(got, errFailoverOn) {
		t.Fatalf("second activate: %s", got)
	}
	_, recs := post(t, srv, "records", `{`+auth+`,"domain-name":"example.test"}`)
	if !strings.Contains(recs, `"failover":"1"`) {
		t.Fatalf("records do not show failover on: %s", recs)
	}
	if got := call("failover-deactivate", ""); !strings.Contains(got, "Success") {
		t.Fatalf("deactivate: %s", got)
	}
	if got := call("failover-modify", `,"check_type":17,"down_event_handler":0,"up_event_handler":0,"main_ip":"192.0.2.1"`); !strings.Contains(got, errFailoverOff) {
		t.Fatalf("modify after deactivate: %s", got)
	}
}
