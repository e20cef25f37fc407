package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/model"
)

// The pages' example calls authenticate as user 0 (or sub-user 0) with the
// password "password".
const (
	pageAuth    = "auth-id=0&auth-password=password&"
	pageSubAuth = "sub-auth-id=0&auth-password=password&"
)

// The pages' error answers.
const (
	failedAuth      = `{"status":"Failed","statusDescription":"Invalid authentication, incorrect auth-id or auth-password."}`
	failedSubAuth   = `{"status":"Failed","statusDescription":"Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password."}`
	failedDomain    = `{"status":"Failed","statusDescription":"Missing domain-name"}`
	failedRecordID  = `{"status":"Failed","statusDescription":"Invalid record-id param."}`
	failedPrimaryNS = `{"status":"Failed","statusDescription":"Invalid hostname for Primary NS"}`
	failedAdminMail = `{"status":"Failed","statusDescription":"Invalid admin mail"}`
	failedSOANumber = `{"status":"Failed","statusDescription":"Invalid Refresh/Retry/Expire/Default TTL value"}`
	soaModified     = `{"status":"Success","statusDescription":"The SOA record was modified successfully."}`
)

// pageFake is a fake accepting the pages' credentials, with the zones of
// the modify-soa page's examples, a slave zone, and one A record in
// domain.com; it returns the record's id.
func pageFake(t *testing.T) (*Server, *httptest.Server, int) {
	t.Helper()
	f := New(Options{AuthID: "0", SubAuthID: "0", SubAuthUser: "ops", Password: "password"})
	www := &model.RecordSet{Name: "www", Type: "A", TTL: 300, Values: []string{"192.0.2.1"}}
	require.NoError(t, f.Seed(&model.Zone{Name: "domain.com", Records: []*model.RecordSet{www}}))
	require.NoError(t, f.Seed(&model.Zone{Name: "1.0.0.127.in-addr.arpa"}))
	require.NoError(t, f.Seed(&model.Zone{Name: "1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2.ip6.arpa"}))
	require.NoError(t, f.Seed(&model.Zone{Name: "slave.com", Mode: model.Slave, Masters: []string{"192.0.2.53"}}))
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv, f.Records("domain.com")[0].ID
}

// call sends query to the method's JSON URL, by GET or as a POST form, and
// returns the body after checking the HTTP status is 200, as it is for
// every answer of the API.
func call(t *testing.T, srv *httptest.Server, httpMethod, method, query string) string {
	t.Helper()
	u := srv.URL + "/dns/" + method + ".json"
	var resp *http.Response
	var err error
	if httpMethod == http.MethodGet {
		resp, err = http.Get(u + "?" + query)
	} else {
		resp, err = http.Post(u, "application/x-www-form-urlencoded", strings.NewReader(query))
	}
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "HTTP status of %s", body)
	return string(body)
}

// TestDocumentedModifySOARows: every row of "Modify SOA details"
// (https://www.cloudns.net/wiki/article/63/), the example calls sent as the
// page prints them, by GET and by POST.
func TestDocumentedModifySOARows(t *testing.T) {
	const ip6 = "1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2.ip6.arpa"
	soa := func(domain string) string {
		return "domain-name=" + domain + "&primary-ns=ns1.cloudns.net&admin-mail=support@cloudns.net&refresh=7200&retry=1800&expire=1209600&default-ttl=3600"
	}
	// with replaces one parameter of the domain.com example.
	with := func(param, value string) string {
		q := pageAuth + soa("domain.com")
		for _, kv := range strings.Split(q, "&") {
			if strings.HasPrefix(kv, param+"=") {
				return strings.Replace(q, kv, param+"="+value, 1)
			}
		}
		return q + "&" + param + "=" + value
	}
	// without drops one parameter of the domain.com example.
	without := func(param string) string {
		var kept []string
		for _, kv := range strings.Split(pageAuth+soa("domain.com"), "&") {
			if !strings.HasPrefix(kv, param+"=") {
				kept = append(kept, kv)
			}
		}
		return strings.Join(kept, "&")
	}
	rows := []struct{ name, query, want string }{
		// The example calls: a domain, a reverse IPv4 and a reverse IPv6 zone.
		{"example: domain", pageAuth + soa("domain.com"), soaModified},
		{"example: domain, sub-user", pageSubAuth + soa("domain.com"), soaModified},
		{"example: reverse IPv4", pageAuth + soa("1.0.0.127.in-addr.arpa"), soaModified},
		{"example: reverse IPv4, sub-user", pageSubAuth + soa("1.0.0.127.in-addr.arpa"), soaModified},
		{"example: reverse IPv6", pageAuth + soa(ip6), soaModified},
		{"example: reverse IPv6, sub-user", pageSubAuth + soa(ip6), soaModified},
		// Authentication.
		{"wrong auth-password", strings.Replace(pageAuth, "password&", "wrong&", 1) + soa("domain.com"), failedAuth},
		{"unknown auth-id", strings.Replace(pageAuth, "auth-id=0", "auth-id=1", 1) + soa("domain.com"), failedAuth},
		{"no auth-password", "auth-id=0&" + soa("domain.com"), failedAuth},
		{"wrong sub-auth-id", strings.Replace(pageSubAuth, "sub-auth-id=0", "sub-auth-id=1", 1) + soa("domain.com"), failedSubAuth},
		{"wrong sub-auth-user password", "sub-auth-user=ops&auth-password=wrong&" + soa("domain.com"), failedSubAuth},
		// domain-name: invalid or non-existent.
		{"non-existent domain-name", pageAuth + soa("absent.com"), failedDomain},
		{"invalid domain-name", pageAuth + soa("not%20a%20domain"), failedDomain},
		{"no domain-name", without("domain-name"), failedDomain},
		// primary-ns and admin-mail.
		{"invalid primary-ns", with("primary-ns", "ns1%20cloudns"), failedPrimaryNS},
		{"no primary-ns", without("primary-ns"), failedPrimaryNS},
		{"invalid admin-mail", with("admin-mail", "support.cloudns.net"), failedAdminMail},
		{"no admin-mail", without("admin-mail"), failedAdminMail},
	}
	// The ranges: both ends accepted, one past either refused; not an
	// integer, or missing, refused.
	for _, r := range []struct {
		param    string
		min, max int
	}{{"refresh", 1200, 43200}, {"retry", 180, 2419200}, {"expire", 1209600, 2419200}, {"default-ttl", 60, 2419200}} {
		rows = append(rows,
			struct{ name, query, want string }{fmt.Sprintf("%s %d", r.param, r.min), with(r.param, fmt.Sprint(r.min)), soaModified},
			struct{ name, query, want string }{fmt.Sprintf("%s %d", r.param, r.max), with(r.param, fmt.Sprint(r.max)), soaModified},
			struct{ name, query, want string }{fmt.Sprintf("%s %d", r.param, r.min-1), with(r.param, fmt.Sprint(r.min-1)), failedSOANumber},
			struct{ name, query, want string }{fmt.Sprintf("%s %d", r.param, r.max+1), with(r.param, fmt.Sprint(r.max+1)), failedSOANumber},
			struct{ name, query, want string }{r.param + " not an integer", with(r.param, fmt.Sprint(r.min)+".5"), failedSOANumber},
			struct{ name, query, want string }{r.param + " missing", without(r.param), failedSOANumber},
		)
	}
	for _, row := range rows {
		for _, httpMethod := range []string{http.MethodGet, http.MethodPost} {
			t.Run(row.name+" "+httpMethod, func(t *testing.T) {
				f, srv, _ := pageFake(t)
				before, _ := f.ZoneSOA("domain.com")
				got := call(t, srv, httpMethod, "modify-soa", row.query)
				assert.JSONEq(t, row.want, got)
				after, _ := f.ZoneSOA("domain.com")
				if row.want != soaModified {
					assert.Empty(t, cmp.Diff(before, after), "a refused call changed the SOA (-before +after)")
				}
			})
		}
	}
	// "This function is available only for master zones": a slave zone is
	// refused (the text is a guess, README).
	_, srv, _ := pageFake(t)
	assert.JSONEq(t, `{"status":"Failed","statusDescription":"`+errNotMaster+`"}`, call(t, srv, http.MethodGet, "modify-soa", pageAuth+soa("slave.com")))
	// The values the page's example sets are what soa-details reads back.
	f, srv, _ := pageFake(t)
	require.JSONEq(t, soaModified, call(t, srv, http.MethodGet, "modify-soa", pageAuth+soa("domain.com")))
	got, _ := f.ZoneSOA("domain.com")
	want := SOA{PrimaryNS: "ns1.cloudns.net", AdminMail: "support@cloudns.net", Refresh: 7200, Retry: 1800, Expire: 1209600, DefaultTTL: 3600}
	assert.Empty(t, cmp.Diff(want, got, cmpopts.IgnoreFields(SOA{}, "Serial")), "SOA after the example call (-want +got)")
}

// TestDocumentedFailoverSettingsRows: every row of "Failover settings"
// (https://www.cloudns.net/wiki/article/273/).
func TestDocumentedFailoverSettingsRows(t *testing.T) {
	activate := func(t *testing.T, srv *httptest.Server, id int, state string) {
		t.Helper()
		q := fmt.Sprintf("%sdomain-name=domain.com&record-id=%d&check_type=17&down_event_handler=2&up_event_handler=1&main_ip=192.0.2.1&backup_ip_1=192.0.2.2&state=%s", pageAuth, id, state)
		require.Contains(t, call(t, srv, http.MethodPost, "failover-activate", q), `"status":"Success"`)
	}
	settings := func(id int) string { return fmt.Sprintf("%sdomain-name=domain.com&record-id=%d", pageAuth, id) }
	for _, tc := range []struct {
		name  string
		query func(id int) string
		want  string
	}{
		{"wrong auth-password", func(id int) string { return strings.Replace(settings(id), "password=password", "password=nope", 1) }, failedAuth},
		{"unknown auth-id", func(id int) string { return strings.Replace(settings(id), "auth-id=0", "auth-id=5", 1) }, failedAuth},
		{"wrong sub-auth-id", func(id int) string {
			return strings.Replace(settings(id), "auth-id=0", "sub-auth-id=5", 1)
		}, failedSubAuth},
		{"non-existent domain-name", func(id int) string { return strings.Replace(settings(id), "domain.com", "absent.com", 1) }, failedDomain},
		{"invalid domain-name", func(id int) string { return strings.Replace(settings(id), "domain.com", "not%20a%20domain", 1) }, failedDomain},
		{"no domain-name", func(id int) string { return fmt.Sprintf("%srecord-id=%d", pageAuth, id) }, failedDomain},
		{"non-existent record-id", func(id int) string { return fmt.Sprintf("%sdomain-name=domain.com&record-id=%d", pageAuth, id+1000) }, failedRecordID},
		{"invalid record-id", func(int) string { return pageAuth + "domain-name=domain.com&record-id=www" }, failedRecordID},
		{"no record-id", func(int) string { return pageAuth + "domain-name=domain.com" }, failedRecordID},
		// "Status and status description if Failover is not activated"
		// (the text is a guess, README).
		{"failover not activated", settings, `{"status":"Failed","statusDescription":"` + errFailoverOff + `"}`},
	} {
		for _, httpMethod := range []string{http.MethodGet, http.MethodPost} {
			t.Run(tc.name+" "+httpMethod, func(t *testing.T) {
				_, srv, id := pageFake(t)
				assert.JSONEq(t, tc.want, call(t, srv, httpMethod, "failover-settings", tc.query(id)))
			})
		}
	}
	// The answer: check_type, check_settings, status (-1 unknown, 0 down,
	// 1 up), the event handlers, backup_ip_X and state (0 paused, 1 active).
	for _, state := range []string{"0", "1"} {
		t.Run("settings with state "+state, func(t *testing.T) {
			_, srv, id := pageFake(t)
			activate(t, srv, id, state)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(call(t, srv, http.MethodGet, "failover-settings", settings(id))), &got))
			for _, key := range []string{"check_type", "check_settings", "status", "down_event_handler", "up_event_handler", "backup_ip_1", "state"} {
				assert.Contains(t, got, key)
			}
			assert.Equal(t, float64(17), got["check_type"])
			assert.Equal(t, []any{}, got["check_settings"])
			assert.Contains(t, []any{float64(-1), float64(0), float64(1)}, got["status"])
			assert.Equal(t, float64(2), got["down_event_handler"])
			assert.Equal(t, float64(1), got["up_event_handler"])
			assert.Equal(t, "192.0.2.2", got["backup_ip_1"])
			assert.Equal(t, state, got["state"], `the page's example: "state": "1"`)
		})
	}
}
