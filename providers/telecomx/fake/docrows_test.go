package fake

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/faults"
)

// Customers and tokens of the documented-rows tests: a reseller, a sub
// reseller below it, a customer of each, and callers of every access level.
const (
	rowReseller    = "aaaaaaaaaaaaaaaaaaaaaaaa"
	rowSubReseller = "bbbbbbbbbbbbbbbbbbbbbbbb" // belongs to rowReseller
	rowSubCustomer = "cccccccccccccccccccccccc" // belongs to rowSubReseller
	rowCustomer    = "dddddddddddddddddddddddd" // belongs to rowReseller
	rowStranger    = "eeeeeeeeeeeeeeeeeeeeeeee"
	rowProduct     = "5c3e1f0a9b8d7c6e5f4aaaa2"
	rowNoSuchID    = "0123456789abcdef01234567"
)

// rowsAPI is a fake with example.com (DefaultCustomer, records www A and an
// apex MX), c.example (rowSubCustomer) and d.example (rowCustomer), and a
// token per caller: viewer, manager, machine (owner), reseller,
// subreseller, admin, stranger.
func rowsAPI(t *testing.T) *api {
	t.Helper()
	a := newAPI(t)
	a.s.AddCustomer(rowReseller, "")
	a.s.AddCustomer(rowSubReseller, rowReseller)
	a.s.AddCustomer(rowSubCustomer, rowSubReseller)
	a.s.AddCustomer(rowCustomer, rowReseller)
	a.s.AddProduct(rowProduct)
	require.NoError(t, a.s.Seed(&model.Zone{Name: "example.com", TTL: 3600, Records: []*model.RecordSet{
		{Name: "@", Type: "MX", Values: []string{"0 mail.example.com."}},
		{Name: "www", Type: "A", Values: []string{"192.0.2.1"}},
	}}))
	require.NoError(t, a.s.AddDomain("c.example", rowSubCustomer, 86400))
	require.NoError(t, a.s.AddDomain("d.example", rowCustomer, 86400))
	a.s.AddToken("viewer", DefaultCustomer, Viewer)
	a.s.AddToken("manager", DefaultCustomer, Manager)
	a.s.AddToken("reseller", rowReseller, Reseller)
	a.s.AddToken("subreseller", rowSubReseller, Reseller)
	a.s.AddToken("admin", rowStranger, Admin)
	a.s.AddToken("stranger", rowStranger, Owner)
	return a
}

// docRow is one documented request and the answer the page gives for it.
type docRow struct {
	name, method, path, token string
	body                      any
	// fault, when set, is injected in front of the call.
	fault faults.Kind
	// status, code and message are the documented answer; for a 200,
	// check inspects the body instead.
	status        int
	code, message string
	check         func(t *testing.T, a *api, out map[string]any)
}

func runRows(t *testing.T, rows []docRow) {
	t.Helper()
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			a := rowsAPI(t)
			if row.fault != faults.None {
				a.s.Faults().Script(row.fault)
			}
			status, out := a.do(row.method, row.path, row.token, row.body)
			if row.status == 200 {
				require.Equal(t, 200, status, "answer %v", out)
				if row.check != nil {
					row.check(t, a, out)
				}
				return
			}
			want := map[string]any{"status": float64(row.status), "code": row.code, "message": row.message}
			got, _ := out["error"].(map[string]any)
			delete(got, "path")
			assert.Equal(t, row.status, status)
			assert.Empty(t, cmp.Diff(want, got), "error envelope (-want +got)")
		})
	}
}

// wantFullDNS checks a full DNS object has every documented field with its
// documented type: _id, customer and product ids, invoicedUntil a date,
// serial and ttl numbers, records an array of {name, type, rData}.
func wantFullDNS(t *testing.T, obj map[string]any, id string, ttl float64) {
	t.Helper()
	assert.Equal(t, id, obj["_id"])
	assert.Regexp(t, `^[0-9a-f]{24}$`, obj["customer"])
	assert.Regexp(t, `^[0-9a-f]{24}$`, obj["product"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, obj["invoicedUntil"])
	assert.IsType(t, float64(0), obj["serial"])
	assert.Equal(t, ttl, obj["ttl"])
	recs, ok := obj["records"].([]any)
	require.True(t, ok, "records %v is not an array", obj["records"])
	for _, r := range recs {
		rec, _ := r.(map[string]any)
		assert.Empty(t, cmp.Diff([]string{"name", "rData", "type"}, sortedKeys(rec)), "record fields (-want +got)")
	}
}

// TestDocumentedUpdateRows: every row of "API : Dns Update"
// (https://wiki.telecomx.dk/doku.php?id=api:dns:update).
func TestDocumentedUpdateRows(t *testing.T) {
	ttlIs := func(ttl float64) func(*testing.T, *api, map[string]any) {
		return func(t *testing.T, _ *api, out map[string]any) { assert.Equal(t, ttl, out["ttl"]) }
	}
	runRows(t, []docRow{
		// Access level: MANAGER or OWNER of the customer, RESELLER of the
		// customer, ADMIN.
		{name: "MANAGER of the customer", method: "POST", path: "/dns/example.com", token: "manager", body: map[string]any{"ttl": 600}, status: 200, check: ttlIs(600)},
		{name: "OWNER of the customer", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": 600}, status: 200, check: ttlIs(600)},
		{name: "RESELLER the customer belongs to", method: "POST", path: "/dns/d.example", token: "reseller", body: map[string]any{"ttl": 600}, status: 200, check: ttlIs(600)},
		{name: "RESELLER of a sub reseller's customer", method: "POST", path: "/dns/c.example", token: "reseller", body: map[string]any{"ttl": 600}, status: 403, code: "access_denied", message: "Insufficient access level"},
		{name: "the sub reseller itself", method: "POST", path: "/dns/c.example", token: "subreseller", body: map[string]any{"ttl": 600}, status: 200, check: ttlIs(600)},
		{name: "ADMIN", method: "POST", path: "/dns/c.example", token: "admin", body: map[string]any{"ttl": 600}, status: 200, check: ttlIs(600)},
		{name: "VIEWER", method: "POST", path: "/dns/example.com", token: "viewer", body: map[string]any{"ttl": 600}, status: 403, code: "access_denied", message: "Insufficient access level"},
		{name: "OWNER of another customer", method: "POST", path: "/dns/example.com", token: "stranger", body: map[string]any{"ttl": 600}, status: 403, code: "access_denied", message: "Insufficient access level"},
		// Body: product and/or ttl, only the properties to update.
		{name: "ttl only", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": 3600}, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Equal(t, float64(3600), out["ttl"])
			assert.Equal(t, DefaultProduct, out["product"])
		}},
		{name: "product only", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"product": rowProduct}, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Equal(t, rowProduct, out["product"])
			assert.Equal(t, float64(3600), out["ttl"])
		}},
		{name: "product and ttl", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"product": rowProduct, "ttl": 900}, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Equal(t, rowProduct, out["product"])
			assert.Equal(t, float64(900), out["ttl"])
		}},
		// Response: the updated DNS, every documented field, records
		// with MX postfixed with its priority; the serial moves on.
		{name: "response is the updated DNS", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": 600}, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			wantFullDNS(t, out, "example.com", 600)
			assert.Equal(t, float64(2025031401), out["serial"])
			want := []any{
				map[string]any{"name": "", "type": "MX 0", "rData": "mail.example.com"},
				map[string]any{"name": "www", "type": "A", "rData": "192.0.2.1"},
			}
			assert.Empty(t, cmp.Diff(want, out["records"]), "records (-want +got)")
		}},
		// Errors.
		{name: "404 not_found", method: "POST", path: "/dns/missing.example", token: machine, body: map[string]any{"ttl": 600}, status: 404, code: "not_found", message: "DNS not found"},
		{name: "404 product", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"product": rowNoSuchID}, status: 404, code: "product", message: "Product not found"},
		{name: "422 ttl negative", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": -1}, status: 422, code: "ttl", message: "TTL not valid"},
		{name: "422 ttl not a number", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": "3600"}, status: 422, code: "ttl", message: "TTL not valid"},
		{name: "422 ttl fraction", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": 600.5}, status: 422, code: "ttl", message: "TTL not valid"},
		{name: "500 internal_error", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": 600}, fault: faults.ServerError, status: 500, code: "internal_error", message: errInternal.message},
	})
}

// TestDocumentedListRows: every row of "API : DNS List"
// (https://wiki.telecomx.dk/doku.php?id=api:dns:list).
func TestDocumentedListRows(t *testing.T) {
	ids := func(want ...string) func(*testing.T, *api, map[string]any) {
		return func(t *testing.T, _ *api, out map[string]any) {
			var got []string
			for _, d := range out["dns"].([]any) {
				got = append(got, d.(map[string]any)["_id"].(string))
			}
			assert.Empty(t, cmp.Diff(want, got), "domains listed (-want +got)")
		}
	}
	runRows(t, []docRow{
		// Access level: VIEWER, MANAGER or OWNER of the customer, RESELLER
		// of the customer or of a sub reseller, ADMIN.
		{name: "VIEWER of the customer", method: "GET", path: "/dns", token: "viewer", status: 200, check: ids("example.com")},
		{name: "MANAGER of the customer", method: "GET", path: "/dns", token: "manager", status: 200, check: ids("example.com")},
		{name: "OWNER of the customer", method: "GET", path: "/dns", token: machine, status: 200, check: ids("example.com")},
		{name: "RESELLER of the customer", method: "GET", path: "/dns?customer=" + rowCustomer, token: "reseller", status: 200, check: ids("d.example")},
		{name: "RESELLER of a sub reseller's customer", method: "GET", path: "/dns?customer=" + rowSubCustomer, token: "reseller", status: 200, check: ids("c.example")},
		{name: "ADMIN", method: "GET", path: "/dns?customer=" + rowSubCustomer, token: "admin", status: 200, check: ids("c.example")},
		{name: "OWNER of another customer", method: "GET", path: "/dns?customer=" + DefaultCustomer, token: "stranger", status: 403, code: "access_denied", message: "Insufficient access level"},
		{name: "a reseller's customer asked by a sibling", method: "GET", path: "/dns?customer=" + rowCustomer, token: "subreseller", status: 403, code: "access_denied", message: "Insufficient access level"},
		// Query: customer defaults to the caller's own.
		{name: "customer defaults to the caller's", method: "GET", path: "/dns", token: "stranger", status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Empty(t, out["dns"])
			assert.Equal(t, float64(0), out["total"])
		}},
		// offset default 0, limit default 100.
		{name: "offset and limit default", method: "GET", path: "/dns", token: machine, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Equal(t, float64(0), out["offset"])
			assert.Equal(t, float64(100), out["limit"])
		}},
		{name: "limit min 1", method: "GET", path: "/dns?limit=1", token: machine, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Equal(t, float64(1), out["limit"])
		}},
		{name: "limit max 500", method: "GET", path: "/dns?limit=500", token: machine, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Equal(t, float64(500), out["limit"])
		}},
		// total counts what offset and limit leave out; the page may hold fewer than limit.
		{name: "total ignores offset and limit", method: "GET", path: "/dns?offset=1&limit=25", token: machine, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Equal(t, float64(1), out["total"])
			assert.Equal(t, float64(1), out["offset"])
			assert.Equal(t, float64(25), out["limit"])
			assert.Empty(t, out["dns"])
		}},
		// filter searches domain names and records.
		{name: "filter on a domain name", method: "GET", path: "/dns?filter=example.com", token: machine, status: 200, check: ids("example.com")},
		{name: "filter on a record", method: "GET", path: "/dns?filter=mail", token: machine, status: 200, check: ids("example.com")},
		{name: "filter matching nothing", method: "GET", path: "/dns?filter=nothing", token: machine, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Empty(t, out["dns"])
			assert.Equal(t, float64(0), out["total"])
		}},
		// Response: offset, limit, total, dns; the condensed object.
		{name: "condensed object", method: "GET", path: "/dns", token: machine, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Empty(t, cmp.Diff([]string{"dns", "limit", "offset", "total"}, sortedKeys(out)), "answer fields (-want +got)")
			want := []any{map[string]any{"_id": "example.com", "records": float64(2), "ttl": "3600", "status": "OK"}}
			assert.Empty(t, cmp.Diff(want, out["dns"]), "condensed (-want +got)")
		}},
		// status: OK, NOT_EXIST, WRONG_NS.
		{name: "status values", method: "GET", path: "/dns", token: machine, status: 200, check: func(t *testing.T, a *api, _ map[string]any) {
			for _, st := range []string{StatusNotExist, StatusWrongNS, StatusOK} {
				require.NoError(t, a.s.SetStatus("example.com", st))
				_, out := a.do("GET", "/dns", machine, nil)
				assert.Equal(t, st, out["dns"].([]any)[0].(map[string]any)["status"])
			}
		}},
		// full=true: complete DNS objects.
		{name: "full objects", method: "GET", path: "/dns?full=true", token: machine, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			dns := out["dns"].([]any)
			require.Len(t, dns, 1)
			wantFullDNS(t, dns[0].(map[string]any), "example.com", 3600)
		}},
		// Errors.
		{name: "400 customer", method: "GET", path: "/dns?customer=" + rowNoSuchID, token: "admin", status: 400, code: "customer", message: "Customer not found"},
		{name: "400 customer, not an id", method: "GET", path: "/dns?customer=nobody", token: machine, status: 400, code: "customer", message: "Customer not found"},
		{name: "403 access_denied", method: "GET", path: "/dns?customer=" + rowCustomer, token: machine, status: 403, code: "access_denied", message: "Insufficient access level"},
		{name: "500 internal_error", method: "GET", path: "/dns", token: machine, fault: faults.ServerError, status: 500, code: "internal_error", message: errInternal.message},
	})
}

// TestGuessedRows pins the answers the pages do not give (README, "Unknowns
// and guesses"), so that a change to one is a deliberate change.
func TestGuessedRows(t *testing.T) {
	runRows(t, []docRow{
		{name: "list limit 0", method: "GET", path: "/dns?limit=0", token: machine, status: 422, code: "limit", message: "Limit is invalid"},
		{name: "list limit 501", method: "GET", path: "/dns?limit=501", token: machine, status: 422, code: "limit", message: "Limit is invalid"},
		{name: "list offset -1", method: "GET", path: "/dns?offset=-1", token: machine, status: 422, code: "offset", message: "Offset is invalid"},
		{name: "list offset not a number", method: "GET", path: "/dns?offset=ten", token: machine, status: 400, code: "url", message: "URL could not be parsed"},
		{name: "update ttl below 60", method: "POST", path: "/dns/example.com", token: machine, body: map[string]any{"ttl": 59}, status: 422, code: "ttl", message: "TTL not valid"},
		{name: "update body not an object", method: "POST", path: "/dns/example.com", token: machine, body: []int{1}, status: 400, code: "body", message: "Body could not be parsed"},
		{name: "get of a missing domain", method: "GET", path: "/dns/missing.example", token: machine, status: 404, code: "not_found", message: "DNS not found"},
		{name: "check of a missing domain", method: "GET", path: "/dns/missing.example/check", token: machine, status: 404, code: "not_found", message: "DNS not found"},
		{name: "create ttl", method: "POST", path: "/dns", token: machine, body: map[string]any{"_id": "new.example", "ttl": 59}, status: 422, code: "ttl", message: "TTL not valid"},
		{name: "create product", method: "POST", path: "/dns", token: machine, body: map[string]any{"_id": "new.example", "product": rowNoSuchID}, status: 404, code: "product", message: "Product not found"},
		{name: "create existing", method: "POST", path: "/dns", token: machine, body: map[string]any{"_id": "example.com"}, status: 409, code: "_id", message: "DNS already exists"},
		{name: "create another customer's", method: "POST", path: "/dns", token: machine, body: map[string]any{"_id": "d.example"}, status: 403, code: "dns", message: "Unable to create DNS"},
		{name: "create bad _id", method: "POST", path: "/dns", token: machine, body: map[string]any{"_id": "nodots"}, status: 422, code: "_id", message: "Id is invalid"},
		{name: "record write by a reseller further up", method: "POST", path: "/dns/c.example/record", token: "reseller", body: map[string]any{"name": "x", "type": "A", "rData": "192.0.2.9"}, status: 403, code: "access_denied", message: "Insufficient access level"},
		{name: "rate limited", method: "GET", path: "/dns", token: machine, fault: faults.RateLimit, status: 429, code: "rate_limit", message: "Too many requests"},
		{name: "unknown path", method: "GET", path: "/nothing", token: machine, status: 404, code: "not_found", message: "Not found"},
	})
}

// sortedKeys lists an object's keys in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestNotedRows: rows of the other wiki pages (get, check, delete) that the
// tests of the record calls, logins and paging do not already cover.
func TestNotedRows(t *testing.T) {
	success := func(t *testing.T, _ *api, out map[string]any) {
		assert.Empty(t, cmp.Diff(map[string]any{"success": true}, out))
	}
	runRows(t, []docRow{
		// https://wiki.telecomx.dk/doku.php?id=api:dns:check
		{name: "check", method: "GET", path: "/dns/example.com/check", token: "viewer", status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			assert.Empty(t, cmp.Diff(map[string]any{"status": "OK"}, out))
		}},
		{name: "check 403 access_denied", method: "GET", path: "/dns/example.com/check", token: "stranger", status: 403, code: "access_denied", message: "Insufficient access level"},
		{name: "check 500 internal_error", method: "GET", path: "/dns/example.com/check", token: machine, fault: faults.ServerError, status: 500, code: "internal_error", message: errInternal.message},
		// https://wiki.telecomx.dk/doku.php?id=api:dns:get
		{name: "get", method: "GET", path: "/dns/c.example", token: "reseller", status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			wantFullDNS(t, out, "c.example", 86400)
			assert.Equal(t, "OK", out["status"])
		}},
		{name: "get 403 access_denied", method: "GET", path: "/dns/example.com", token: "stranger", status: 403, code: "access_denied", message: "Insufficient access level"},
		// https://wiki.telecomx.dk/doku.php?id=api:dns:delete
		{name: "delete", method: "DELETE", path: "/dns/d.example", token: "reseller", status: 200, check: func(t *testing.T, a *api, out map[string]any) {
			success(t, a, out)
			_, ok := a.s.Domain("d.example")
			assert.False(t, ok, "the domain is still there")
		}},
		{name: "delete 403 access_denied", method: "DELETE", path: "/dns/example.com", token: "viewer", status: 403, code: "access_denied", message: "Insufficient access level"},
		{name: "delete 404 not_found", method: "DELETE", path: "/dns/missing.example", token: machine, status: 404, code: "not_found", message: "DNS not found"},
		// https://wiki.telecomx.dk/doku.php?id=api:dns:create: ttl defaults
		// to 86400, the domain is created empty.
		{name: "create", method: "POST", path: "/dns", token: machine, body: map[string]any{"_id": "new.example", "product": rowProduct}, status: 200, check: func(t *testing.T, _ *api, out map[string]any) {
			wantFullDNS(t, out, "new.example", 86400)
			assert.Equal(t, rowProduct, out["product"])
			assert.Equal(t, []any{}, out["records"])
		}},
	})
}
