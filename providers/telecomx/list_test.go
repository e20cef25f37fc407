package telecomx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestListZonesPaging reads 1,234 domains in pages of 500: three calls,
// at offsets 0, 500 and 1000, following total.
func TestListZonesPaging(t *testing.T) {
	e := newEnv(t)
	var want []string
	for i := range 1234 {
		name := fmt.Sprintf("zone%04d.example", i)
		want = append(want, name)
		require.NoError(t, e.fake.AddDomain(name, "", 3600))
	}
	require.NoError(t, e.fake.AddDomain("other-customer.example", "aaaaaaaaaaaaaaaaaaaaaaaa", 3600))
	var mu sync.Mutex
	var pages []string
	e.watch(func(r *http.Request) {
		if r.URL.Path == "/dns" {
			mu.Lock()
			pages = append(pages, r.URL.Query().Get("offset")+"/"+r.URL.Query().Get("limit"))
			mu.Unlock()
		}
	})
	got, err := e.p.ListZones(context.Background())
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(want, got), "ListZones: the customer's zones (-want +got)")
	assert.Equal(t, []string{"0/500", "500/500", "1000/500"}, pages, "pages requested")
	assert.Equal(t, 3, e.fake.Faults().Calls("GET /dns"), "GET /dns calls")
}

// TestListCustomer sends the configured customer, and nothing when none is set.
func TestListCustomer(t *testing.T) {
	const other = "bbbbbbbbbbbbbbbbbbbbbbbb"
	e := newEnv(t, func(s *Settings) { s.Customer = other })
	e.fake.AddCustomer(other, "")
	require.NoError(t, e.fake.AddDomain("theirs.example", other, 3600))
	// The test user is an OWNER of another customer: no access.
	_, err := e.p.ListZones(context.Background())
	assert.EqualError(t, err, `telecomx: GET /dns: 403 access_denied "Insufficient access level"`, "ListZones of a foreign customer")
	e.fake.AddUser("reseller@example.com", "pw", "cccccccccccccccccccccccc", "RESELLER")
	e.fake.AddCustomer(other, "cccccccccccccccccccccccc")
	reseller := e.provider(t, func(s *Settings) { s.Customer = other; s.Username = "reseller@example.com"; s.Password = "pw" })
	got, err := reseller.ListZones(context.Background())
	require.NoError(t, err, "a reseller listing its sub-customer")
	assert.Equal(t, []string{"theirs.example"}, got, "a reseller listing its sub-customer")
}

// TestListForms reads the list both ways: condensed (records is a count,
// ttl a string) and full (records and a numeric ttl).
func TestListForms(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.fake.AddDomain("a.example", "", 600))
	for _, r := range []Record{{"", "A", "192.0.2.1"}, {"www", "CNAME", "a.example"}} {
		require.NoError(t, e.p.client.CreateRecord(context.Background(), "a.example", r))
	}
	ctx := context.Background()
	condensed, err := e.p.client.ListDomains(ctx, false)
	require.NoError(t, err)
	want := []Domain{{ID: "a.example", TTL: 600, RecordCount: 2, Status: "OK"}}
	assert.Empty(t, cmp.Diff(want, condensed), "condensed list (-want +got)")
	full, err := e.p.client.ListDomains(ctx, true)
	require.NoError(t, err)
	require.Len(t, full, 1, "full list")
	d := full[0]
	want = []Domain{{ID: "a.example", Customer: d.Customer, Product: d.Product, InvoicedUntil: d.InvoicedUntil, Serial: d.Serial, TTL: 600, Status: "OK",
		Records: []Record{{"", "A", "192.0.2.1"}, {"www", "CNAME", "a.example"}}, RecordCount: 2, Full: true}}
	assert.Empty(t, cmp.Diff(want, full), "full list (-want +got)")
	assert.GreaterOrEqual(t, d.Serial, int64(2025031400), "serial")
	assert.NotEmpty(t, d.Customer, "customer")
	assert.NotEmpty(t, d.Product, "product")
}

// TestDomainJSON decodes the documented examples of both forms.
func TestDomainJSON(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		want       Domain
	}{
		{"condensed", `{"_id":"telecomx.dk","records":12,"ttl":"86400","status":"OK"}`,
			Domain{ID: "telecomx.dk", TTL: 86400, Status: "OK", RecordCount: 12}},
		{"full", `{"_id":"telecomx.dk","customer":"12345678901234567890ABCD","product":"12345678901234567890AAAA","invoicedUntil":"2018-01-01T00:00:00.000Z","serial":2018112300,"ttl":86400,"status":"OK","records":[{"name":"","type":"A","rData":"213.83.176.4"},{"name":"","type":"MX 0","rData":"mail.telecomx.dk"}]}`,
			Domain{ID: "telecomx.dk", Customer: "12345678901234567890ABCD", Product: "12345678901234567890AAAA", InvoicedUntil: "2018-01-01T00:00:00.000Z",
				Serial: 2018112300, TTL: 86400, Status: "OK", Full: true, RecordCount: 2,
				Records: []Record{{"", "A", "213.83.176.4"}, {"", "MX 0", "mail.telecomx.dk"}}}},
		{"created empty", `{"_id":"new.dk","serial":2018112300,"ttl":86400,"records":[]}`,
			Domain{ID: "new.dk", Serial: 2018112300, TTL: 86400, Full: true, Records: []Record{}}},
		{"ttl omitted", `{"_id":"x.dk","records":[]}`, Domain{ID: "x.dk", Full: true, Records: []Record{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d Domain
			require.NoError(t, json.Unmarshal([]byte(tc.json), &d))
			assert.Empty(t, cmp.Diff(tc.want, d), "decoded (-want +got)")
		})
	}
	for _, bad := range []string{`{"_id":"x","ttl":"soon"}`, `{"_id":"x","records":"many"}`, `{"_id":"x","records":[1]}`} {
		var d Domain
		assert.Error(t, json.Unmarshal([]byte(bad), &d), "%s decoded without error: %+v", bad, d)
	}
}

// TestListStopsOnShortTotal: an empty page before total is reached is an
// error, not a silently short list.
func TestListStopsOnShortTotal(t *testing.T) {
	p := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/auth/login":
			fmt.Fprint(w, `{"token":"abc","expiresInMinutes":15}`)
		default:
			if r.URL.Query().Get("offset") == "0" {
				fmt.Fprint(w, `{"offset":0,"limit":500,"total":3,"dns":[{"_id":"a.dk","records":1,"ttl":"60","status":"OK"}]}`)
				return
			}
			fmt.Fprint(w, `{"offset":1,"limit":500,"total":3,"dns":[]}`)
		}
	})
	zones, err := p.ListZones(context.Background())
	assert.Error(t, err, "ListZones = %v", zones)
}
