package telecomx

import (
	"context"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// domainDelete matches DELETE /dns/DOMAIN, which deletes a whole domain.
var domainDelete = regexp.MustCompile(`^/dns/[^/]+/?$`)

// TestNeverDeletesADomain runs every action through the provider, on
// every record type, apex and wildcard names included, against a fake
// that fails the test the moment it sees DELETE /dns/<domain>.
func TestNeverDeletesADomain(t *testing.T) {
	e := newEnv(t)
	e.watch(func(r *http.Request) {
		isDomainDelete := r.Method == http.MethodDelete && domainDelete.MatchString(r.URL.Path)
		assert.False(t, isDomainDelete, "the client sent %s %s?%s, which deletes the whole domain", r.Method, r.URL.Path, r.URL.RawQuery)
	})
	steps := [][]set{
		// create_zone and a create of every type
		{
			{"@", "A", []string{"192.0.2.1"}}, {"@", "AAAA", []string{"2001:db8::1"}},
			{"@", "MX", []string{"10 mx1.example.com.", "20 mx2.example.com."}},
			{"@", "NS", []string{"ns1.telecomx.dk.", "ns2.telecomx.dk."}},
			{"@", "TXT", []string{"v=spf1 -all", "a \"quoted\" & ?#% text"}},
			{"www", "CNAME", []string{"example.com."}}, {"*", "A", []string{"192.0.2.3"}},
			{"_sip._tcp", "SRV", []string{"10 60 5060 sip.example.com."}},
			{"sub", "NS", []string{"ns1.example.net."}},
		},
		// update of every type (rData in place, MX priority, surplus both ways)
		{
			{"@", "A", []string{"192.0.2.2"}}, {"@", "AAAA", []string{"2001:db8::2", "2001:db8::3"}},
			{"@", "MX", []string{"30 mx1.example.com.", "20 mx3.example.com."}},
			{"@", "NS", []string{"ns1.telecomx.dk."}},
			{"@", "TXT", []string{"v=spf1 mx -all"}},
			{"www", "CNAME", []string{"other.example.com."}}, {"*", "A", []string{"192.0.2.4"}},
			{"_sip._tcp", "SRV", []string{"10 60 5061 sip.example.com."}},
			{"sub", "NS", []string{"ns2.example.net."}},
		},
		// delete of everything but the apex NS (a spec cannot drop those;
		// they are deleted by hand below)
		{{"@", "NS", []string{"ns1.telecomx.dk."}}},
	}
	for i, step := range steps {
		ttl := uint32(3600 + 600*i) // an update_ttl at every step after the first
		syncZone(t, e.p, desired(t, "example.com", ttl, step...))
	}
	live := mustRead(t, e.p, "example.com")
	errs := e.p.Apply(context.Background(), live, []*plan.Operation{
		{Action: plan.Delete, Name: "@", Type: "NS", Before: &plan.State{Values: []string{"ns1.telecomx.dk."}}},
	})
	require.NoError(t, errs[0])
	assert.Empty(t, wireState(t, e, "example.com"), "records left")
	_, ok := e.fake.Domain("example.com")
	require.True(t, ok, "the domain is gone")
	calls := e.fake.Faults().AllCalls()
	assert.Zero(t, calls["DELETE /dns/{domain}"], "DELETE /dns/{domain} calls")
	for _, ep := range []string{"POST /dns", "POST /dns/{domain}", "POST /dns/{domain}/record", "PUT /dns/{domain}/record", "DELETE /dns/{domain}/record"} {
		assert.NotZero(t, calls[ep], "%s was never called: the test does not cover every action", ep)
	}
}

// TestSendRefusesDomainDelete: the one function that sends requests will
// not send a DELETE to anything but a record path, whatever builds it.
func TestSendRefusesDomainDelete(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	for _, path := range []string{domainPath("example.com"), "/dns/example.com/", "/dns", "/dns/example.com/record/x", "/dns//record"} {
		err := e.p.client.change(context.Background(), &request{method: http.MethodDelete, path: path}, nil, nil)
		if assert.Error(t, err, "DELETE %s", path) {
			assert.Contains(t, err.Error(), "refusing to send DELETE", "DELETE %s", path)
		}
	}
	assert.Zero(t, e.fake.Faults().Calls("DELETE /dns/{domain}"), "domain deletes the fake saw")
	_, ok := e.fake.Domain("example.com")
	assert.True(t, ok, "the domain is gone")
}

// TestDeleteRecordURL: the record's three fields travel in the query of
// /dns/DOMAIN/record, encoded so that spaces, quotes, '&', '#', '+' and '%'
// arrive intact.
func TestDeleteRecordURL(t *testing.T) {
	for _, rec := range []Record{
		{"", "MX 10", "mail.example.com"},
		{"", "TXT", `"a \"b\" & c=d?e#f+g%20h"`},
		{"*.wild", "A", "192.0.2.1"},
		{"_sip._tcp", "SRV", "10 60 5060 sip.example.com"},
	} {
		t.Run(rec.Type+" "+rec.RData, func(t *testing.T) {
			e := newEnv(t)
			require.NoError(t, e.fake.AddDomain("example.com", "", 3600))
			require.NoError(t, e.fake.AddRecord("example.com", fake.Record{Name: rec.Name, Type: rec.Type, RData: rec.RData}))
			var mu sync.Mutex
			var seen []string
			e.watch(func(r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				if r.Method == http.MethodDelete {
					q := r.URL.Query()
					seen = append(seen, r.URL.Path, q.Get("name"), q.Get("type"), q.Get("rData"))
					assert.NotContains(t, r.URL.RawQuery, "+", "the query encodes a space as '+'")
				}
			})
			require.NoError(t, e.p.client.DeleteRecord(context.Background(), "example.com", rec))
			want := []string{"/dns/example.com/record", rec.Name, rec.Type, rec.RData}
			mu.Lock()
			defer mu.Unlock()
			assert.Empty(t, cmp.Diff(want, seen), "DELETE sent (-want +got)")
			assert.Empty(t, wireState(t, e, "example.com"), "record not deleted")
		})
	}
}

func TestIsRecordPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/dns/example.com/record":   true,
		recordPath("a b.example"):   true,
		recordPath("x/y.example"):   true,
		"/dns/example.com":          false,
		"/dns/example.com/":         false,
		"/dns//record":              false,
		"/dns/a/b/record":           false,
		"/dns/example.com/record/x": false,
		"/auth/login":               false,
	} {
		assert.Equal(t, want, isRecordPath(path), "isRecordPath(%q)", path)
	}
}
