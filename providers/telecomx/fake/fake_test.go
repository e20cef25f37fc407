package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/faults"
)

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// api is a fake served over HTTP with a raw client.
type api struct {
	t     *testing.T
	s     *Server
	srv   *httptest.Server
	clock *testClock
}

const (
	testUser = "owner@example.com"
	password = "owner-pw"
	machine  = "machine-token"
)

func newAPI(t *testing.T) *api {
	t.Helper()
	a := &api{t: t, clock: &testClock{now: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}}
	a.s = New(Options{Username: testUser, Password: password, Token: machine, Now: a.clock.Now})
	a.srv = httptest.NewServer(a.s)
	t.Cleanup(a.srv.Close)
	return a
}

// do sends a request with token (none when empty) and returns the status and decoded body.
func (a *api) do(method, path, token string, body any) (int, map[string]any) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(a.t, err)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, r)
	require.NoError(a.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(a.t, err, "%s %s", method, path)
	defer resp.Body.Close()
	var out map[string]any
	data, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err, "%s %s", method, path)
	require.NoError(a.t, json.Unmarshal(data, &out), "%s %s: answer %q is not a JSON object", method, path, data)
	return resp.StatusCode, out
}

// login returns a session token of the Options' user.
func (a *api) login(persist bool) string {
	a.t.Helper()
	status, out := a.do("POST", "/auth/login", "", map[string]any{"username": testUser, "password": password, "persist": persist})
	require.Equal(a.t, 200, status, "login: %v", out)
	return out["token"].(string)
}

// wantError checks an answer is the documented envelope with these values.
func wantError(t *testing.T, status int, out map[string]any, wantStatus int, code, message string) {
	t.Helper()
	require.Equal(t, wantStatus, status, "answer %v", out)
	e, ok := out["error"].(map[string]any)
	require.True(t, ok, "answer %v has no error envelope", out)
	want := map[string]any{"code": code, "message": message, "status": float64(wantStatus)}
	got := map[string]any{"code": e["code"], "message": e["message"], "status": e["status"]}
	require.Empty(t, cmp.Diff(want, got), "error envelope (-want +got)")
}

func TestListPaging(t *testing.T) {
	a := newAPI(t)
	for i := range 250 {
		require.NoError(t, a.s.AddDomain(fmt.Sprintf("d%03d.example", i), "", 3600))
	}
	for _, tc := range []struct {
		query                 string
		offset, limit, n      int
		first                 string
		status                int
		errCode, errorMessage string
	}{
		{"", 0, 100, 100, "d000.example", 200, "", ""},
		{"?offset=200", 200, 100, 50, "d200.example", 200, "", ""},
		{"?offset=10&limit=25", 10, 25, 25, "d010.example", 200, "", ""},
		{"?limit=500", 0, 500, 250, "d000.example", 200, "", ""},
		{"?limit=1&offset=249", 249, 1, 1, "d249.example", 200, "", ""},
		{"?offset=300", 300, 100, 0, "", 200, "", ""},
		{"?filter=d12", 0, 100, 10, "d120.example", 200, "", ""},
		{"?limit=0", 0, 0, 0, "", 422, "limit", "Limit is invalid"},
		{"?limit=501", 0, 0, 0, "", 422, "limit", "Limit is invalid"},
		{"?offset=-1", 0, 0, 0, "", 422, "offset", "Offset is invalid"},
		{"?offset=abc", 0, 0, 0, "", 400, "url", "URL could not be parsed"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			status, out := a.do("GET", "/dns"+tc.query, machine, nil)
			if tc.status != 200 {
				wantError(t, status, out, tc.status, tc.errCode, tc.errorMessage)
				return
			}
			dns := out["dns"].([]any)
			total := 250
			if strings.Contains(tc.query, "filter") {
				total = 10
			}
			require.Equal(t, 200, status)
			want := map[string]any{"offset": float64(tc.offset), "limit": float64(tc.limit), "total": float64(total)}
			got := map[string]any{"offset": out["offset"], "limit": out["limit"], "total": out["total"]}
			assert.Empty(t, cmp.Diff(want, got), "paging (-want +got)")
			require.Len(t, dns, tc.n, "items")
			if tc.n > 0 {
				assert.Equal(t, tc.first, dns[0].(map[string]any)["_id"], "first item")
			}
		})
	}
}

// TestForms: the condensed object has records as a count and ttl as a
// string; the full one has the records and a numeric ttl.
func TestForms(t *testing.T) {
	a := newAPI(t)
	require.NoError(t, a.s.Seed(&model.Zone{Name: "example.com", TTL: 600, Records: []*model.RecordSet{
		{Name: "@", Type: "MX", Values: []string{"10 mail.example.com."}},
		{Name: "www", Type: "A", Values: []string{"192.0.2.1", "192.0.2.2"}},
	}}))
	_, out := a.do("GET", "/dns", machine, nil)
	want := map[string]any{"_id": "example.com", "records": float64(3), "ttl": "600", "status": "OK"}
	require.Empty(t, cmp.Diff(want, out["dns"].([]any)[0]), "condensed (-want +got)")
	_, out = a.do("GET", "/dns?full=true", machine, nil)
	full := out["dns"].([]any)[0].(map[string]any)
	recs := []any{
		map[string]any{"name": "", "type": "MX 10", "rData": "mail.example.com"},
		map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1"},
		map[string]any{"name": "www", "type": "A", "rData": "192.0.2.2"},
	}
	assert.Empty(t, cmp.Diff(recs, full["records"]), "full records (-want +got)")
	wantFull := map[string]any{"ttl": float64(600), "serial": float64(2025031400), "customer": DefaultCustomer, "product": DefaultProduct, "invoicedUntil": "2026-03-14T09:00:00.000Z"}
	gotFull := map[string]any{"ttl": full["ttl"], "serial": full["serial"], "customer": full["customer"], "product": full["product"], "invoicedUntil": full["invoicedUntil"]}
	assert.Empty(t, cmp.Diff(wantFull, gotFull), "full object (-want +got)")
	_, got := a.do("GET", "/dns/example.com", machine, nil)
	assert.Empty(t, cmp.Diff(full, got), "GET /dns/DOMAIN differs from the list's full object (-list +get)")
}

// TestSerial: every change bumps the serial, YYYYMMDDnn; no change, no bump.
func TestSerial(t *testing.T) {
	a := newAPI(t)
	serial := func() float64 {
		_, out := a.do("GET", "/dns/example.com", machine, nil)
		return out["serial"].(float64)
	}
	a.do("POST", "/dns", machine, map[string]any{"_id": "example.com"})
	steps := []struct {
		name       string
		do         func()
		wantSerial float64
	}{
		{"created", func() {}, 2025031400},
		{"record created", func() {
			a.do("POST", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1"})
		}, 2025031401},
		{"record changed", func() {
			a.do("PUT", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1", "new": "192.0.2.2"})
		}, 2025031402},
		{"ttl changed", func() { a.do("POST", "/dns/example.com", machine, map[string]any{"ttl": 600}) }, 2025031403},
		{"ttl unchanged", func() { a.do("POST", "/dns/example.com", machine, map[string]any{"ttl": 600}) }, 2025031403},
		{"refused change", func() {
			a.do("POST", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.2"})
		}, 2025031403},
		{"next day", func() {
			a.clock.Advance(24 * time.Hour)
			a.do("DELETE", "/dns/example.com/record?name=www&type=A&rData=192.0.2.2", machine, nil)
		}, 2025031500},
	}
	for _, s := range steps {
		s.do()
		require.Equal(t, s.wantSerial, serial(), "%s: serial", s.name)
	}
}

// TestTokens: a session token expires after 15 minutes without a call,
// each call keeps it alive, a persisted one never expires.
func TestTokens(t *testing.T) {
	a := newAPI(t)
	status, out := a.do("POST", "/auth/login", "", map[string]any{"username": testUser, "password": password})
	require.Equal(t, 200, status, "login answer %v", out)
	assert.Equal(t, float64(15), out["expiresInMinutes"])
	assert.Equal(t, "OWNER", out["accessLevel"])
	assert.Equal(t, DefaultCustomer, out["customer"])
	session := out["token"].(string)
	persisted := a.login(true)
	a.clock.Advance(14 * time.Minute)
	status, _ = a.do("GET", "/dns", session, nil)
	require.Equal(t, 200, status, "after 14 minutes")
	a.clock.Advance(14 * time.Minute)
	status, _ = a.do("GET", "/dns", session, nil)
	require.Equal(t, 200, status, "14 minutes after the last call")
	a.clock.Advance(15 * time.Minute)
	status, out = a.do("GET", "/dns", session, nil)
	wantError(t, status, out, 401, "expired", "Session has expired, please login")
	status, out = a.do("GET", "/dns", session, nil)
	wantError(t, status, out, 401, "expired", "Session has expired, please login")
	status, _ = a.do("GET", "/dns", persisted, nil)
	assert.Equal(t, 200, status, "persisted token after 43 minutes")
	status, _ = a.do("GET", "/dns", machine, nil)
	assert.Equal(t, 200, status, "machine token")
	// GET with query parameters logs in too.
	status, out = a.do("GET", "/auth/login?"+url.Values{"username": {testUser}, "password": {password}, "persist": {"true"}}.Encode(), "", nil)
	require.Equal(t, 200, status, "GET login: %v", out)
	assert.Equal(t, float64(-1), out["expiresInMinutes"], "GET login, persisted")
}

// TestAuthErrors: the documented 401s any call can answer.
func TestAuthErrors(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		name, header, code, message string
	}{
		{"no header", "", "credentials_invalid", "Authorization required, please login"},
		{"basic", "Basic dXNlcjpwdw==", "format_error", "Authorization header format is Authorization: Bearer <token>"},
		{"two words", "Bearer a b", "format_error", "Authorization header format is Authorization: Bearer <token>"},
		{"garbage", "Bearer !!!", "invalid_token", "Undecipherable"},
		{"unknown", "Bearer " + strings.Repeat("0f", 24), "invalid_token", "Please login"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/dns", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := httptest.NewRecorder()
			a.s.ServeHTTP(rec, req)
			var out map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
			wantError(t, rec.Code, out, 401, tc.code, tc.message)
		})
	}
	token := a.login(false)
	req := httptest.NewRequest("GET", "/dns", nil)
	req.RemoteAddr = "198.51.100.7:1234"
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	a.s.ServeHTTP(rec, req)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	wantError(t, rec.Code, out, 401, "invalid_token", "IP address not authenticated")
	status, out := a.do("POST", "/auth/login", "", map[string]any{"username": testUser, "password": "wrong"})
	wantError(t, status, out, 401, "credentials_invalid", "Authorization required, please login")
}

// TestAccessLevels: VIEWER reads but cannot change; MANAGER and OWNER of
// the customer, a reseller above it and ADMIN can; others cannot even read.
func TestAccessLevels(t *testing.T) {
	a := newAPI(t)
	const reseller, sub, other = "aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccc"
	a.s.AddCustomer(reseller, "")
	a.s.AddCustomer(sub, reseller)
	require.NoError(t, a.s.AddDomain("sub.example", sub, 3600))
	for _, tc := range []struct {
		customer, level   string
		list, read, write int
	}{
		{sub, Viewer, 200, 200, 403},
		{sub, Manager, 200, 200, 200},
		{sub, Owner, 200, 200, 200},
		{reseller, Reseller, 200, 200, 200},
		{reseller, ResellerAdmin, 200, 200, 200},
		{other, Admin, 200, 200, 200},
		{other, Owner, 403, 403, 403},
		{other, Reseller, 403, 403, 403},
	} {
		t.Run(tc.customer[:1]+" "+tc.level, func(t *testing.T) {
			token := "tok-" + tc.customer[:1] + "-" + tc.level
			a.s.AddToken(token, tc.customer, tc.level)
			status, _ := a.do("GET", "/dns?customer="+sub, token, nil)
			assert.Equal(t, tc.list, status, "list")
			status, _ = a.do("GET", "/dns/sub.example", token, nil)
			assert.Equal(t, tc.read, status, "get")
			status, out := a.do("POST", "/dns/sub.example", token, map[string]any{"ttl": 600})
			assert.Equal(t, tc.write, status, "update")
			if status == 403 {
				wantError(t, status, out, 403, "access_denied", "Insufficient access level")
			}
		})
	}
}

// TestRecordErrors: the documented error rows of the record endpoints.
func TestRecordErrors(t *testing.T) {
	a := newAPI(t)
	require.NoError(t, a.s.AddDomain("example.com", "", 3600))
	a.do("POST", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1"})
	a.do("POST", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.2"})
	a.s.AddToken("viewer", DefaultCustomer, Viewer)
	rec := func(name, typ, rdata string) map[string]any {
		return map[string]any{"name": name, "type": typ, "rData": rdata}
	}
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		code, message             string
	}{
		{"create ok", "POST", "/dns/example.com/record", machine, rec("", "MX 10", "mail.example.com"), 200, "", ""},
		{"create not_found", "POST", "/dns/missing.example/record", machine, rec("www", "A", "192.0.2.1"), 404, "not_found", "DNS not found"},
		{"create name", "POST", "/dns/example.com/record", machine, rec("bad name", "A", "192.0.2.1"), 422, "name", "Name is invalid"},
		{"create type", "POST", "/dns/example.com/record", machine, rec("www", "MX", "mail.example.com"), 422, "type", "Type is invalid"},
		{"create type range", "POST", "/dns/example.com/record", machine, rec("www", "MX 65536", "mail.example.com"), 422, "type", "Type is invalid"},
		{"create type unknown", "POST", "/dns/example.com/record", machine, rec("www", "CAA", `0 issue "x"`), 422, "type", "Type is invalid"},
		{"create rData", "POST", "/dns/example.com/record", machine, rec("www", "A", "192.0.2.300"), 422, "rData", "Data is invalid"},
		{"create unquoted TXT", "POST", "/dns/example.com/record", machine, rec("www", "TXT", "v=spf1 -all"), 422, "rData", "Data is invalid"},
		{"create duplicate", "POST", "/dns/example.com/record", machine, rec("www", "A", "192.0.2.1"), 409, "name", "Another record with the same name, type and rData already exist"},
		{"create access_denied", "POST", "/dns/example.com/record", "viewer", rec("new", "A", "192.0.2.1"), 403, "access_denied", "Insufficient access level"},
		{"update not_found", "PUT", "/dns/missing.example/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1", "new": "192.0.2.3"}, 404, "not_found", "DNS not found"},
		{"update records", "PUT", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.9", "new": "192.0.2.3"}, 404, "records", "Record not found"},
		{"update rData", "PUT", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1", "new": "nope"}, 422, "rData", "Data is invalid"},
		{"update previous", "PUT", "/dns/example.com/record", machine, map[string]any{"name": "www", "new": "192.0.2.3"}, 422, "previous", "Previous record missing"},
		{"update onto a duplicate", "PUT", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1", "new": "192.0.2.2"}, 409, "name", "Another record with the same name, type and rData already exist"},
		{"update access_denied", "PUT", "/dns/example.com/record", "viewer", map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1", "new": "192.0.2.3"}, 403, "access_denied", "Insufficient access level"},
		{"delete records", "DELETE", "/dns/example.com/record?name=www&type=A&rData=192.0.2.9", machine, nil, 404, "records", "Record not found"},
		{"delete without rData", "DELETE", "/dns/example.com/record?name=www&type=A", machine, nil, 404, "records", "Record not found"},
		{"delete not_found", "DELETE", "/dns/missing.example/record?name=www&type=A&rData=192.0.2.1", machine, nil, 404, "not_found", "DNS not found"},
		{"delete access_denied", "DELETE", "/dns/example.com/record?name=www&type=A&rData=192.0.2.1", "viewer", nil, 403, "access_denied", "Insufficient access level"},
		{"delete ok", "DELETE", "/dns/example.com/record?name=www&type=A&rData=192.0.2.1", machine, nil, 200, "", ""},
		{"delete apex MX", "DELETE", "/dns/example.com/record?name=&type=MX%2010&rData=mail.example.com", machine, nil, 200, "", ""},
		{"bad body", "POST", "/dns/example.com/record", machine, "not an object", 400, "body", "Body could not be parsed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := a.do(tc.method, tc.path, tc.token, tc.body)
			if tc.status == 200 {
				require.Equal(t, 200, status, "answer %v", out)
				assert.Empty(t, cmp.Diff(map[string]any{"success": true}, out), "answer (-want +got)")
				return
			}
			wantError(t, status, out, tc.status, tc.code, tc.message)
		})
	}
}

// TestDomainErrors: create and update of domains, the inferred rows included.
func TestDomainErrors(t *testing.T) {
	a := newAPI(t)
	require.NoError(t, a.s.AddDomain("taken.example", "dddddddddddddddddddddddd", 3600))
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		code, message      string
	}{
		{"create", "POST", "/dns", map[string]any{"_id": "Example.COM"}, 200, "", ""},
		{"create exists", "POST", "/dns", map[string]any{"_id": "example.com"}, 409, "_id", "DNS already exists"},
		{"create foreign", "POST", "/dns", map[string]any{"_id": "taken.example"}, 403, "dns", "Unable to create DNS"},
		{"create _id", "POST", "/dns", map[string]any{"_id": "nodots"}, 422, "_id", "Id is invalid"},
		{"create ttl", "POST", "/dns", map[string]any{"_id": "b.example", "ttl": 59}, 422, "ttl", "TTL not valid"},
		{"create ttl string", "POST", "/dns", map[string]any{"_id": "b.example", "ttl": "3600"}, 422, "ttl", "TTL not valid"},
		{"create product", "POST", "/dns", map[string]any{"_id": "b.example", "product": "eeeeeeeeeeeeeeeeeeeeeeee"}, 404, "product", "Product not found"},
		{"create foreign customer", "POST", "/dns", map[string]any{"_id": "b.example", "customer": "dddddddddddddddddddddddd"}, 403, "access_denied", "Insufficient access level"},
		{"update ttl", "POST", "/dns/example.com", map[string]any{"ttl": 2147483648}, 422, "ttl", "TTL not valid"},
		{"update not_found", "POST", "/dns/missing.example", map[string]any{"ttl": 600}, 404, "not_found", "DNS not found"},
		{"get not_found", "GET", "/dns/missing.example", nil, 404, "not_found", "DNS not found"},
		{"check not_found", "GET", "/dns/missing.example/check", nil, 404, "not_found", "DNS not found"},
		{"no such endpoint", "GET", "/nothing", nil, 404, "not_found", "Not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := a.do(tc.method, tc.path, machine, tc.body)
			if tc.status == 200 {
				require.Equal(t, 200, status, "create answered %v", out)
				want := map[string]any{"_id": "example.com", "ttl": float64(86400), "records": []any{}}
				got := map[string]any{"_id": out["_id"], "ttl": out["ttl"], "records": out["records"]}
				assert.Empty(t, cmp.Diff(want, got), "an empty domain with ttl 86400 (-want +got)")
				return
			}
			wantError(t, status, out, tc.status, tc.code, tc.message)
		})
	}
}

// TestStatusAndDelete: status values, the check endpoint, and DELETE
// /dns/DOMAIN deleting the whole domain, even with a record's query.
func TestStatusAndDelete(t *testing.T) {
	a := newAPI(t)
	require.NoError(t, a.s.AddDomain("example.com", "", 3600))
	for _, status := range []string{StatusWrongNS, StatusNotExist, StatusOK} {
		require.NoError(t, a.s.SetStatus("example.com", status))
		_, out := a.do("GET", "/dns/example.com/check", machine, nil)
		_, full := a.do("GET", "/dns/example.com", machine, nil)
		assert.Equal(t, status, out["status"], "check")
		assert.Equal(t, status, full["status"], "get")
	}
	status, out := a.do("DELETE", "/dns/example.com?name=www&type=A&rData=192.0.2.1", machine, nil)
	require.Equal(t, 200, status, "delete: %v", out)
	assert.Empty(t, cmp.Diff(map[string]any{"success": true}, out), "delete (-want +got)")
	_, ok := a.s.Domain("example.com")
	assert.False(t, ok, "the domain survived DELETE /dns/DOMAIN")
}

// TestFaultsAndCounts: injected faults answer in the API's envelope and
// calls are counted per endpoint.
func TestFaultsAndCounts(t *testing.T) {
	a := newAPI(t)
	require.NoError(t, a.s.AddDomain("example.com", "", 3600))
	a.s.Faults().Script(faults.ServerError, faults.RateLimit)
	status, out := a.do("GET", "/dns/example.com", machine, nil)
	wantError(t, status, out, 500, "internal_error", "Internal error")
	req, err := http.NewRequest("GET", a.srv.URL+"/dns", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+machine)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode, "rate limit answer")
	assert.Equal(t, "1", resp.Header.Get("Retry-After"), "rate limit answer's Retry-After")
	a.do("POST", "/dns/example.com/record", machine, map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1"})
	a.do("DELETE", "/dns/example.com/record?name=www&type=A&rData=192.0.2.1", machine, nil)
	want := map[string]int{"GET /dns/{domain}": 1, "GET /dns": 1, "POST /dns/{domain}/record": 1, "DELETE /dns/{domain}/record": 1}
	assert.Empty(t, cmp.Diff(want, a.s.Faults().AllCalls()), "calls (-want +got)")
}

// TestSeed writes the model in the provider's wire form and refuses what
// Telecom X cannot hold.
func TestSeed(t *testing.T) {
	a := newAPI(t)
	z := &model.Zone{Name: "example.com", TTL: 300, Records: []*model.RecordSet{
		{Name: "@", Type: "NS", Values: []string{"ns1.telecomx.dk."}},
		{Name: "@", Type: "TXT", Values: []string{`"v=spf1 -all"`}},
		{Name: "_sip._tcp", Type: "SRV", Values: []string{"10 60 5060 sip.example.com."}},
		{Name: "www", Type: "CNAME", Values: []string{"example.com."}},
		{Name: "v6", Type: "AAAA", Values: []string{"2001:db8::1"}},
	}}
	require.NoError(t, a.s.Seed(z))
	d, _ := a.s.Domain("example.com")
	want := []Record{{"", "NS", "ns1.telecomx.dk"}, {"", "TXT", `"v=spf1 -all"`}, {"_sip._tcp", "SRV", "10 60 5060 sip.example.com"}, {"www", "CNAME", "example.com"}, {"v6", "AAAA", "2001:db8::1"}}
	assert.Equal(t, int64(300), d.TTL, "seeded ttl")
	assert.Empty(t, cmp.Diff(want, d.Records), "seeded records (-want +got)")
	assert.Error(t, a.s.Seed(z), "seeding an existing domain")
	bad := &model.Zone{Name: "other.example", Records: []*model.RecordSet{{Name: "@", Type: "CAA", Values: []string{`0 issue "x"`}}}}
	err := a.s.Seed(bad)
	require.Error(t, err, "seeding a CAA record")
	assert.Contains(t, err.Error(), "CAA")
}

func TestValidRData(t *testing.T) {
	for _, tc := range []struct {
		rrtype, rdata string
		ok            bool
	}{
		{"A", "192.0.2.1", true}, {"A", "192.0.2", false}, {"A", "::1", false}, {"A", "::ffff:192.0.2.1", false},
		{"AAAA", "2001:db8::1", true}, {"AAAA", "192.0.2.1", false},
		{"CNAME", "www.example.com", true}, {"CNAME", "www.example.com.", true}, {"CNAME", "bad name", false}, {"CNAME", "", false},
		{"NS", "ns1.telecomx.dk", true}, {"MX 10", "mail.example.com", true}, {"MX 0", ".", true},
		{"SRV", "10 60 5060 sip.example.com.", true}, {"SRV", "10 60 70000 sip.example.com", false}, {"SRV", "10 60 sip", false},
		{"TXT", `"v=spf1 -all"`, true}, {"TXT", `"a" "b"`, true}, {"TXT", `"with \"quotes\""`, true},
		{"TXT", `v=spf1`, false}, {"TXT", `"unterminated`, false}, {"TXT", `"` + strings.Repeat("x", 256) + `"`, false},
		{"TXT", "\"a\"\n\"b\"", false},
	} {
		assert.Equal(t, tc.ok, validRData(tc.rrtype, tc.rdata), "validRData(%s, %q)", tc.rrtype, tc.rdata)
	}
	for name, ok := range map[string]bool{"": true, "www": true, "*": true, "*.wild": true, "_sip._tcp": true, "_sip._tcp.": true, "a-b.c_d": true, "a.*": false, "a b": false, "-a": false, "a..b": false} {
		assert.Equal(t, ok, validName(name), "validName(%q)", name)
	}
}
