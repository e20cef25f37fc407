package telecomx

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// TestDocumentedPageRows sends the client through the error rows of the
// DNS update (https://wiki.telecomx.dk/doku.php?id=api:dns:update) and DNS
// list (https://wiki.telecomx.dk/doku.php?id=api:dns:list) pages and checks
// the error each becomes: its one line, whether it reads as a missing
// zone, and how many calls it took (an error of the request is not retried,
// a 500 is).
func TestDocumentedPageRows(t *testing.T) {
	ctx := context.Background()
	const unknownID = "0123456789abcdef01234567"
	for _, tc := range []struct {
		name string
		call func(t *testing.T, e *env) error
		// endpoint and calls: how often the failing endpoint was called.
		endpoint string
		calls    int
		want     string
		notFound bool
	}{
		// api:dns:update
		{name: "update 403 access_denied", call: func(t *testing.T, e *env) error {
			_, err := viewer(t, e).client.SetTTL(ctx, "example.com", 600)
			return err
		}, endpoint: "POST /dns/{domain}", calls: 1, want: `telecomx: POST /dns/example.com: 403 access_denied "Insufficient access level"`},
		{name: "update 404 not_found", call: func(t *testing.T, e *env) error {
			_, err := e.p.client.SetTTL(ctx, "missing.example", 600)
			return err
		}, endpoint: "POST /dns/{domain}", calls: 1, want: `telecomx: POST /dns/missing.example: 404 not_found "DNS not found"`, notFound: true},
		{name: "update 422 ttl", call: func(t *testing.T, e *env) error {
			_, err := e.p.client.SetTTL(ctx, "example.com", 1)
			return err
		}, endpoint: "POST /dns/{domain}", calls: 1, want: `telecomx: POST /dns/example.com: 422 ttl "TTL not valid"`},
		{name: "update 500 internal_error", call: func(t *testing.T, e *env) error {
			loggedIn(t, e)
			e.fake.Faults().Script(faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError)
			_, err := e.p.client.SetTTL(ctx, "example.com", 600)
			return err
		}, endpoint: "POST /dns/{domain}", calls: 5, want: `telecomx: POST /dns/example.com: 500 internal_error "Internal error" (after 5 attempts)`},
		// The update page's 404 product: zonesync sends a product only
		// when it creates a domain, with the configured id.
		{name: "404 product", call: func(t *testing.T, e *env) error {
			p := e.provider(t, func(s *Settings) { s.Product = unknownID })
			_, err := p.client.CreateDomain(ctx, "new.example", p.product, 3600)
			return err
		}, endpoint: "POST /dns", calls: 1, want: `telecomx: POST /dns new.example: 404 product "Product not found" (check the product id in the provider's settings)`},
		// api:dns:list
		{name: "list 400 customer", call: func(t *testing.T, e *env) error {
			_, err := e.provider(t, func(s *Settings) { s.Customer = unknownID }).ListZones(ctx)
			return err
		}, endpoint: "GET /dns", calls: 1, want: `telecomx: GET /dns: 400 customer "Customer not found" (check the customer id in the provider's settings)`},
		{name: "list 403 access_denied", call: func(t *testing.T, e *env) error {
			const other = "bbbbbbbbbbbbbbbbbbbbbbbb"
			e.fake.AddCustomer(other, "")
			_, err := e.provider(t, func(s *Settings) { s.Customer = other }).ListZones(ctx)
			return err
		}, endpoint: "GET /dns", calls: 1, want: `telecomx: GET /dns: 403 access_denied "Insufficient access level"`},
		{name: "list 500 internal_error", call: func(t *testing.T, e *env) error {
			loggedIn(t, e)
			e.fake.Faults().Script(faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError)
			_, err := e.p.ListZones(ctx)
			return err
		}, endpoint: "GET /dns", calls: 5, want: `telecomx: GET /dns: 500 internal_error "Internal error" (after 5 attempts)`},
		// A read checks the domain's record count with the list, so an
		// unknown customer fails the read too, and not as a missing zone.
		{name: "read with an unknown customer", call: func(t *testing.T, e *env) error {
			_, err := e.provider(t, func(s *Settings) { s.Customer = unknownID }).ReadZone(ctx, "example.com", providers.ReadOptions{})
			return err
		}, endpoint: "GET /dns", calls: 1, want: `telecomx: GET /dns: 400 customer "Customer not found" (check the customer id in the provider's settings)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			seedExample(t, e)
			err := tc.call(t, e)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.Equal(t, tc.notFound, errors.Is(err, providers.ErrZoneNotFound), "wraps ErrZoneNotFound")
			assert.Equal(t, tc.calls, e.fake.Faults().Calls(tc.endpoint), "calls of %s", tc.endpoint)
		})
	}
}

// TestListQueryWithinDocumentedRange: every GET /dns the client sends asks
// for offset >= 0 and a limit within the documented 1..500, and names the
// configured customer.
func TestListQueryWithinDocumentedRange(t *testing.T) {
	e := newEnv(t, func(s *Settings) { s.Customer = fake.DefaultCustomer })
	for i := range 3 {
		require.NoError(t, e.fake.AddDomain(string(rune('a'+i))+".example", "", 3600))
	}
	var mu sync.Mutex
	var queries []map[string]string
	e.watch(func(r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/dns" {
			return
		}
		q := r.URL.Query()
		mu.Lock()
		defer mu.Unlock()
		queries = append(queries, map[string]string{"offset": q.Get("offset"), "limit": q.Get("limit"), "customer": q.Get("customer")})
	})
	zones, err := e.p.ListZones(context.Background())
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff([]string{"a.example", "b.example", "c.example"}, zones))
	want := []map[string]string{{"offset": "0", "limit": "500", "customer": fake.DefaultCustomer}}
	assert.Empty(t, cmp.Diff(want, queries), "list queries (-want +got)")
}
