package cloudns

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/redact"
)

// secretForms are the ways the password could leak: as is, URL-encoded, JSON-escaped.
func secretForms() []string {
	j, _ := json.Marshal(testPassword)
	return []string{testPassword, url.QueryEscape(testPassword), strings.Trim(string(j), `"`), "auth-password="}
}

func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, f := range secretForms() {
		require.NotContains(t, s, f, "%s shows the password", what)
	}
}

// everyCall runs a read, a listing and a change, returning their errors.
func everyCall(p *Provider) []error {
	ctx := context.Background()
	_, err1 := p.ReadZone(ctx, "example.test", providers.ReadOptions{})
	_, err2 := p.ListZones(ctx)
	live := &model.Zone{Name: "example.test", Mode: model.Master}
	errs := p.Apply(ctx, live, []*plan.Operation{
		{Action: plan.CreateZone, After: &plan.State{Mode: model.Master}},
		{Action: plan.Create, Name: "www", Type: "A", After: &plan.State{TTL: ttlp(300), Values: []string{"192.0.2.1"}}},
	})
	return append([]error{err1, err2}, errs...)
}

// TestPasswordNeverInErrors fails calls every way a server can and checks
// that no error carries the password, even where Go's *url.Error or an
// answer echoing the request would.
func TestPasswordNeverInErrors(t *testing.T) {
	echo := func(status int, prefix string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			w.WriteHeader(status)
			if prefix == "" {
				w.Write(body)
				return
			}
			desc, _ := json.Marshal(prefix + string(body))
			w.Write([]byte(`{"status":"Failed","statusDescription":` + string(desc) + `}`))
		}
	}
	for _, tc := range []struct {
		name    string
		handler http.Handler
		closed  bool
	}{
		{"closed server", nil, true},
		{"5xx echoing the request", echo(http.StatusBadGateway, ""), false},
		{"4xx echoing the request", echo(http.StatusForbidden, ""), false},
		{"200 that is not JSON, echoing", echo(http.StatusOK, ""), false},
		{"Failed answer quoting the request", echo(http.StatusOK, "bad request: "), false},
		{"the fake, wrong identity", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var srv *httptest.Server
			switch {
			case tc.handler != nil:
				srv = httptest.NewServer(tc.handler)
			default:
				srv = newEnv(t, nil).srv
			}
			endpoint := srv.URL
			if tc.closed {
				srv.Close()
			} else {
				t.Cleanup(srv.Close)
			}
			s := Settings{AuthID: "999", AuthPassword: testPassword, Settings: httpx.Settings{Endpoint: endpoint, RequestsPerSecond: 1000, Timeout: "1s"}}
			p, err := New(s)
			require.NoError(t, err)
			fastRetries(p)
			for i, err := range everyCall(p) {
				require.Error(t, err, "call %d", i)
				t.Log(err)
				assertNoSecret(t, "error", err.Error())
				assert.True(t, strings.HasPrefix(err.Error(), "cloudns: "), "error %q does not name the provider and call", err)
			}
		})
	}
}

// TestCredentialsOnlyInTheBody: every request is a POST with the
// credentials in its JSON body; no URL carries a parameter.
func TestCredentialsOnlyInTheBody(t *testing.T) {
	var seen int
	e := newEnv(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen++
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			// On the server's goroutine: assert, never require.
			assert.Equal(t, []string{http.MethodPost, "", "application/json"}, []string{r.Method, r.URL.RawQuery, r.Header.Get("Content-Type")},
				"method, query and content type of %s", r.URL.Path)
			var p map[string]any
			if assert.NoError(t, json.Unmarshal(body, &p), "body of %s", r.URL.Path) {
				assert.Equal(t, []any{testPassword, testAuthID}, []any{p["auth-password"], p["auth-id"]}, "credentials in the body of %s", r.URL.Path)
			}
			h.ServeHTTP(w, r)
		})
	})
	f := &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}
	e.mustSync(t, zoneOf(t, "example.test", withFailover(set("www", "A", "192.0.2.1"), f)))
	assert.NotZero(t, seen, "requests seen")
}

// TestNoSecretInOutput renders the plan and the apply report of a failing
// run, as the CLI prints them, and checks none carries the password.
func TestNoSecretInOutput(t *testing.T) {
	e := newEnv(t, nil)
	desired := zoneOf(t, "example.test", set("www", "A", "192.0.2.1"))
	zp, live := e.planFor(t, desired)
	e.srv.Close() // every call now fails at the transport
	rep := e.runPlan(zp, desired, live)
	require.Equal(t, apply.Failed, rep.Results[0].Status, "create_zone against a closed server")
	var out bytes.Buffer
	p := &plan.Plan{FormatVersion: plan.FormatVersion, Zones: []*plan.ZonePlan{zp}}
	p.Summarize()
	require.NoError(t, plan.WriteText(&out, p, false))
	require.NoError(t, plan.WriteJSON(&out, p))
	apply.WriteZoneText(&out, rep)
	require.NoError(t, json.NewEncoder(&out).Encode(rep))
	assertNoSecret(t, "output", out.String())
	assert.Contains(t, out.String(), "cloudns: get-zone-info in example.test: POST 127.0.0.1", "the report names the transport failure")
}

// TestFakeFailedAnswersCarryNoSecret: the fake's Failed answers, for
// every credential mistake, never echo the password back.
func TestFakeFailedAnswersCarryNoSecret(t *testing.T) {
	e := newEnv(t, nil)
	for _, body := range []string{
		`{"auth-id":"1","auth-password":"` + testPassword + `"}`,
		`{"sub-auth-id":"1","auth-password":"` + testPassword + `"}`,
		`{"sub-auth-user":"` + testPassword + `","auth-password":"` + testPassword + `"}`,
		`{"auth-password":"` + testPassword + `"}`,
		`{"auth-id":"` + testAuthID + `","auth-password":"` + testPassword + `","domain-name":"` + testPassword + `"}`,
	} {
		resp, err := http.Post(e.srv.URL+"/dns/soa-details.json", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		answer, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Contains(t, string(answer), `"status":"Failed"`)
		assertNoSecret(t, "fake answer", string(answer))
	}
}

// TestEchoedSecretsNeverInErrors: a server that quotes the password back,
// in each encoding a server may use and wherever ClouDNS puts text (a
// Failed answer, a 5xx body, an HTML page), never gets it into an error.
func TestEchoedSecretsNeverInErrors(t *testing.T) {
	placements := map[string]func(w http.ResponseWriter, echoed string){
		"Failed answer": func(w http.ResponseWriter, echoed string) {
			io.WriteString(w, `{"status":"Failed","statusDescription":"Invalid authentication, incorrect auth-id or auth-password. Got `+echoed+`"}`)
		},
		"5xx body": func(w http.ResponseWriter, echoed string) {
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, `{"error":"upstream refused password `+echoed+`"}`)
		},
		"HTML page": func(w http.ResponseWriter, echoed string) {
			io.WriteString(w, `<html><body><p>Access denied for `+echoed+`</p></body></html>`)
		},
	}
	for shape, secret := range providertest.SecretShapes {
		for encoding, encode := range providertest.SecretEchoes {
			for place, write := range placements {
				t.Run(shape+"/"+encoding+"/"+place, func(t *testing.T) {
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { write(w, encode(secret)) }))
					defer srv.Close()
					p, err := New(Settings{AuthID: "999", AuthPassword: secret, Settings: httpx.Settings{Endpoint: srv.URL, RequestsPerSecond: 1000, Timeout: "1s"}})
					require.NoError(t, err)
					fastRetries(p)
					_, err = p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
					require.Error(t, err)
					providertest.AssertNoSecret(t, "error", secret, err.Error())
					assert.Contains(t, err.Error(), redact.Mask)
				})
			}
		}
	}
}
