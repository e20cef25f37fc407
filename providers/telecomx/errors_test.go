package telecomx

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// seedExample gives the env's fake example.com with one A record.
func seedExample(t *testing.T, e *env) {
	t.Helper()
	z := &model.Zone{Name: "example.com", TTL: 3600, Records: []*model.RecordSet{{Name: "www", Type: "A", TTL: 3600, Values: []string{"192.0.2.1"}}}}
	require.NoError(t, e.fake.Seed(z))
}

// TestDocumentedErrors triggers every error the API notes document (and the
// inferred ones the fake answers) through the client, and checks the one
// line each becomes.
func TestDocumentedErrors(t *testing.T) {
	ctx := context.Background()
	www := Record{"www", "A", "192.0.2.1"}
	for _, tc := range []struct {
		name string
		call func(t *testing.T, e *env) error
		want string
	}{
		// GET /dns/DOMAIN
		{"get not_found", func(t *testing.T, e *env) error {
			_, err := e.p.ReadZone(ctx, "missing.example", providers.ReadOptions{})
			assert.ErrorIs(t, err, providers.ErrZoneNotFound)
			return err
		}, `telecomx: GET /dns/missing.example: 404 not_found "DNS not found"`},
		{"get internal_error", func(t *testing.T, e *env) error {
			loggedIn(t, e)
			e.fake.Faults().Script(faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError)
			_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
			assert.NotErrorIs(t, err, providers.ErrZoneNotFound, "a server error reads as a missing zone")
			return err
		}, `telecomx: GET /dns/example.com: 500 internal_error "Internal error" (after 5 attempts)`},
		// POST /dns/DOMAIN/record
		{"create not_found", func(t *testing.T, e *env) error { return e.p.client.CreateRecord(ctx, "missing.example", www) },
			`telecomx: POST /dns/missing.example/record www A 192.0.2.1: 404 not_found "DNS not found"`},
		{"create name", func(t *testing.T, e *env) error {
			return e.p.client.CreateRecord(ctx, "example.com", Record{"bad name", "A", "192.0.2.1"})
		}, `telecomx: POST /dns/example.com/record bad name A 192.0.2.1: 422 name "Name is invalid"`},
		{"create type", func(t *testing.T, e *env) error {
			return e.p.client.CreateRecord(ctx, "example.com", Record{"www", "MX", "mail.example.com"})
		}, `telecomx: POST /dns/example.com/record www MX mail.example.com: 422 type "Type is invalid"`},
		{"create rData", func(t *testing.T, e *env) error {
			return e.p.client.CreateRecord(ctx, "example.com", Record{"www", "A", "999.0.2.1"})
		}, `telecomx: POST /dns/example.com/record www A 999.0.2.1: 422 rData "Data is invalid"`},
		{"create duplicate", func(t *testing.T, e *env) error { return e.p.client.CreateRecord(ctx, "example.com", www) },
			`telecomx: POST /dns/example.com/record www A 192.0.2.1: 409 name "Another record with the same name, type and rData already exist"`},
		{"create access_denied", func(t *testing.T, e *env) error {
			return viewer(t, e).client.CreateRecord(ctx, "example.com", Record{"new", "A", "192.0.2.2"})
		}, `telecomx: POST /dns/example.com/record new A 192.0.2.2: 403 access_denied "Insufficient access level"`},
		// PUT /dns/DOMAIN/record
		{"update not_found", func(t *testing.T, e *env) error {
			return e.p.client.UpdateRecord(ctx, "missing.example", www, "192.0.2.2")
		},
			`telecomx: PUT /dns/missing.example/record www A 192.0.2.1 -> 192.0.2.2: 404 not_found "DNS not found"`},
		{"update records", func(t *testing.T, e *env) error {
			return e.p.client.UpdateRecord(ctx, "example.com", Record{"www", "A", "192.0.2.9"}, "192.0.2.2")
		}, `telecomx: PUT /dns/example.com/record www A 192.0.2.9 -> 192.0.2.2: 404 records "Record not found"`},
		{"update rData", func(t *testing.T, e *env) error { return e.p.client.UpdateRecord(ctx, "example.com", www, "bogus") },
			`telecomx: PUT /dns/example.com/record www A 192.0.2.1 -> bogus: 422 rData "Data is invalid"`},
		{"update previous", func(t *testing.T, e *env) error {
			r := &request{method: http.MethodPut, path: recordPath("example.com"), body: map[string]string{"new": "192.0.2.2"}}
			return e.p.client.change(ctx, r, nil, nil)
		}, `telecomx: PUT /dns/example.com/record: 422 previous "Previous record missing"`},
		{"update access_denied", func(t *testing.T, e *env) error {
			return viewer(t, e).client.UpdateRecord(ctx, "example.com", www, "192.0.2.2")
		}, `telecomx: PUT /dns/example.com/record www A 192.0.2.1 -> 192.0.2.2: 403 access_denied "Insufficient access level"`},
		// DELETE /dns/DOMAIN/record
		{"delete not_found", func(t *testing.T, e *env) error { return e.p.client.DeleteRecord(ctx, "missing.example", www) },
			`telecomx: DELETE /dns/missing.example/record www A 192.0.2.1: 404 not_found "DNS not found"`},
		{"delete records", func(t *testing.T, e *env) error {
			return e.p.client.DeleteRecord(ctx, "example.com", Record{"www", "A", "192.0.2.9"})
		}, `telecomx: DELETE /dns/example.com/record www A 192.0.2.9: 404 records "Record not found"`},
		{"delete access_denied", func(t *testing.T, e *env) error { return viewer(t, e).client.DeleteRecord(ctx, "example.com", www) },
			`telecomx: DELETE /dns/example.com/record www A 192.0.2.1: 403 access_denied "Insufficient access level"`},
		// POST /dns/DOMAIN (update)
		{"update ttl", func(t *testing.T, e *env) error { _, err := e.p.client.SetTTL(ctx, "example.com", 10); return err },
			`telecomx: POST /dns/example.com: 422 ttl "TTL not valid"`},
		{"update domain not_found", func(t *testing.T, e *env) error { _, err := e.p.client.SetTTL(ctx, "missing.example", 600); return err },
			`telecomx: POST /dns/missing.example: 404 not_found "DNS not found"`},
		{"update domain access_denied", func(t *testing.T, e *env) error {
			_, err := viewer(t, e).client.SetTTL(ctx, "example.com", 600)
			return err
		},
			`telecomx: POST /dns/example.com: 403 access_denied "Insufficient access level"`},
		// POST /dns (create)
		{"create domain product", func(t *testing.T, e *env) error {
			p := e.provider(t, func(s *Settings) { s.Product = "dddddddddddddddddddddddd" })
			_, err := p.client.CreateDomain(ctx, "new.example", p.product, 3600)
			return err
		}, `telecomx: POST /dns new.example: 404 product "Product not found" (check the product id in the provider's settings)`},
		{"create domain exists", func(t *testing.T, e *env) error {
			_, err := e.p.client.CreateDomain(ctx, "example.com", "", 3600)
			return err
		},
			`telecomx: POST /dns example.com: 409 _id "DNS already exists"`},
		{"create domain of another customer", func(t *testing.T, e *env) error {
			require.NoError(t, e.fake.AddDomain("taken.example", "eeeeeeeeeeeeeeeeeeeeeeee", 3600))
			_, err := e.p.client.CreateDomain(ctx, "taken.example", "", 3600)
			return err
		}, `telecomx: POST /dns taken.example: 403 dns "Unable to create DNS"`},
		{"create domain ttl", func(t *testing.T, e *env) error {
			_, err := e.p.client.CreateDomain(ctx, "new.example", "", 1)
			return err
		},
			`telecomx: POST /dns new.example: 422 ttl "TTL not valid"`},
		{"create domain _id", func(t *testing.T, e *env) error {
			_, err := e.p.client.CreateDomain(ctx, "no_dots", "", 3600)
			return err
		},
			`telecomx: POST /dns no_dots: 422 _id "Id is invalid"`},
		{"create domain access_denied", func(t *testing.T, e *env) error {
			_, err := viewer(t, e).client.CreateDomain(ctx, "new.example", "", 3600)
			return err
		}, `telecomx: POST /dns new.example: 403 access_denied "Insufficient access level"`},
		// GET /dns
		{"list limit", func(t *testing.T, e *env) error { _, err := e.p.client.listPage(ctx, 0, 501, false, ""); return err },
			`telecomx: GET /dns: 422 limit "Limit is invalid"`},
		{"list url", func(t *testing.T, e *env) error {
			return e.p.client.call(ctx, &request{method: http.MethodGet, path: "/dns", query: url.Values{"offset": {"abc"}}}, nil)
		}, `telecomx: GET /dns: 400 url "URL could not be parsed"`},
		// 401s any call can answer.
		{"credentials_invalid", func(t *testing.T, e *env) error {
			_, err := e.provider(t, func(s *Settings) { s.Password = "wrong-password" }).ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, `telecomx: POST /auth/login: 401 credentials_invalid "Authorization required, please login"`},
		{"format_error", func(t *testing.T, e *env) error {
			_, err := tokenProvider(t, e, "two words").ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, `telecomx: GET /dns/example.com: 401 format_error "Authorization header format is Authorization: Bearer <token>"`},
		{"undecipherable", func(t *testing.T, e *env) error {
			_, err := tokenProvider(t, e, "garbage!").ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, `telecomx: GET /dns/example.com: 401 invalid_token "Undecipherable"`},
		{"please login", func(t *testing.T, e *env) error {
			_, err := tokenProvider(t, e, strings.Repeat("ab", 24)).ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, `telecomx: GET /dns/example.com: 401 invalid_token "Please login"`},
		{"ip not authenticated", func(t *testing.T, e *env) error {
			_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
			require.NoError(t, err)
			e.watch(func(r *http.Request) { r.RemoteAddr = "198.51.100.7:40000" })
			_, err = e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, `telecomx: GET /dns/example.com: 401 invalid_token "IP address not authenticated"`},
		{"expired long-lived token", func(t *testing.T, e *env) error {
			token := loginRaw(t, e)
			p := tokenProvider(t, e, token)
			e.clock.Advance(16 * time.Minute)
			_, err := p.ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, `telecomx: GET /dns/example.com: 401 expired "Session has expired, please login"`},
		// Not documented: the API names no rate limit; the fake's 429 is invented.
		{"rate limited", func(t *testing.T, e *env) error {
			loggedIn(t, e)
			e.fake.Faults().Script(faults.RateLimit, faults.RateLimit, faults.RateLimit, faults.RateLimit, faults.RateLimit)
			_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, `telecomx: GET /dns/example.com: 429 rate_limit "Too many requests" (after 5 attempts)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			seedExample(t, e)
			assert.EqualError(t, tc.call(t, e), tc.want)
		})
	}
}

// loggedIn makes the env's provider log in, so that scripted faults hit the call under test.
func loggedIn(t *testing.T, e *env) {
	t.Helper()
	_, err := e.p.client.auth.token(context.Background())
	require.NoError(t, err, "login")
}

// viewer returns a provider logged in as a VIEWER of the default customer.
func viewer(t *testing.T, e *env) *Provider {
	t.Helper()
	e.fake.AddUser("viewer@example.com", "viewer-pw", fake.DefaultCustomer, fake.Viewer)
	return e.provider(t, func(s *Settings) { s.Username, s.Password = "viewer@example.com", "viewer-pw" })
}

// tokenProvider returns a provider configured with a long-lived token.
func tokenProvider(t *testing.T, e *env, token string) *Provider {
	t.Helper()
	return e.provider(t, func(s *Settings) { s.Username, s.Password, s.Token = "", "", token })
}

// loginRaw logs in without the client and returns the session token.
func loginRaw(t *testing.T, e *env) string {
	t.Helper()
	c := e.p.client
	var ans loginAnswer
	r := &request{method: http.MethodPost, path: "/auth/login", body: loginBody{Username: testUser, Password: testPassword}, noAuth: true}
	require.NoError(t, c.once(context.Background(), r, &ans), "login")
	return ans.Token
}

// TestViewerCanList: a VIEWER reads and lists but cannot change anything.
func TestViewerCanList(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	v := viewer(t, e)
	ctx := context.Background()
	zones, err := v.ListZones(ctx)
	require.NoError(t, err, "viewer ListZones")
	assert.Equal(t, []string{"example.com"}, zones)
	_, err = v.ReadZone(ctx, "example.com", providers.ReadOptions{})
	require.NoError(t, err, "viewer ReadZone")
	_, err = v.client.SetTTL(ctx, "example.com", 600)
	require.Error(t, err, "viewer SetTTL")
	assert.Contains(t, err.Error(), "403 access_denied")
}

// TestRetryAfterHonoured: a 429's Retry-After is the wait before the retry.
func TestRetryAfterHonoured(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	var mu sync.Mutex
	var waits []time.Duration
	e.p.client.http.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return nil
	}
	loggedIn(t, e)
	e.fake.Faults().Script(faults.RateLimit)
	_, err := e.p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{time.Second}, waits, "one wait, of the fake's Retry-After")
}

// TestParseAPIError reads the envelope's variants: one error, a list, and
// a body that is not the envelope.
func TestParseAPIError(t *testing.T) {
	for _, tc := range []struct {
		body, want string
	}{
		{`{"error":{"message":"MVNO account not found","code":"mvnoAccount","status":404}}`, `telecomx: GET /x: 404 mvnoAccount "MVNO account not found"`},
		{`{"error":[{"code":"name","message":"Name is invalid"},{"code":"rData","message":"Data is invalid"}]}`, `telecomx: GET /x: 404 name "Name is invalid; rData: Data is invalid"`},
		{`{"errors":[{"code":"ttl","message":"TTL\nis invalid"}]}`, `telecomx: GET /x: 404 ttl "TTL is invalid"`},
		{"<html>\n<body>Not Found</body></html>", `telecomx: GET /x: 404 "<html> <body>Not Found</body></html>"`},
		{``, `telecomx: GET /x: 404`},
	} {
		assert.Equal(t, tc.want, parseAPIError("GET", "/x", "", 404, []byte(tc.body)).Error(), "body %q", tc.body)
	}
}
