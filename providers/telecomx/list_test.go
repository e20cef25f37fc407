package telecomx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// TestListZonesPaging reads 1,234 domains in pages of 500: three calls,
// at offsets 0, 500 and 1000, following total.
func TestListZonesPaging(t *testing.T) {
	e := newEnv(t)
	var want []string
	for i := range 1234 {
		name := fmt.Sprintf("zone%04d.example", i)
		want = append(want, name)
		if err := e.fake.AddDomain(name, "", 3600); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.fake.AddDomain("other-customer.example", "aaaaaaaaaaaaaaaaaaaaaaaa", 3600); err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ListZones returned %d zones (first %v), want the customer's %d", len(got), got[:min(3, len(got))], len(want))
	}
	if wantPages := []string{"0/500", "500/500", "1000/500"}; !slices.Equal(pages, wantPages) {
		t.Fatalf("pages requested %v, want %v", pages, wantPages)
	}
	if n := e.fake.Faults().Calls("GET /dns"); n != 3 {
		t.Fatalf("GET /dns called %d times, want 3", n)
	}
}

// TestListCustomer sends the configured customer, and nothing when none is set.
func TestListCustomer(t *testing.T) {
	const other = "bbbbbbbbbbbbbbbbbbbbbbbb"
	e := newEnv(t, func(s *Settings) { s.Customer = other })
	e.fake.AddCustomer(other, "")
	if err := e.fake.AddDomain("theirs.example", other, 3600); err != nil {
		t.Fatal(err)
	}
	// The test user is an OWNER of another customer: no access.
	if _, err := e.p.ListZones(context.Background()); err == nil || err.Error() != `telecomx: GET /dns: 403 access_denied "Insufficient access level"` {
		t.Fatalf("ListZones of a foreign customer: %v", err)
	}
	e.fake.AddUser("reseller@example.com", "pw", "cccccccccccccccccccccccc", "RESELLER")
	e.fake.AddCustomer(other, "cccccccccccccccccccccccc")
	reseller := e.provider(t, func(s *Settings) { s.Customer = other; s.Username = "reseller@example.com"; s.Password = "pw" })
	got, err := reseller.ListZones(context.Background())
	if err != nil || !slices.Equal(got, []string{"theirs.example"}) {
		t.Fatalf("a reseller listing its sub-customer: %v, %v", got, err)
	}
}

// TestListForms reads the list both ways: condensed (records is a count,
// ttl a string) and full (records and a numeric ttl).
func TestListForms(t *testing.T) {
	e := newEnv(t)
	if err := e.fake.AddDomain("a.example", "", 600); err != nil {
		t.Fatal(err)
	}
	for _, r := range []Record{{"", "A", "192.0.2.1"}, {"www", "CNAME", "a.example"}} {
		if err := e.p.client.CreateRecord(context.Background(), "a.example", r); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	condensed, err := e.p.client.ListDomains(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(condensed) != 1 {
		t.Fatalf("condensed list: %+v", condensed)
	}
	if d := condensed[0]; d.ID != "a.example" || d.TTL != 600 || d.RecordCount != 2 || d.Full || d.Records != nil || d.Status != "OK" {
		t.Fatalf("condensed domain read as %+v", d)
	}
	full, err := e.p.client.ListDomains(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{{"", "A", "192.0.2.1"}, {"www", "CNAME", "a.example"}}
	if d := full[0]; d.ID != "a.example" || d.TTL != 600 || !d.Full || !reflect.DeepEqual(d.Records, want) || d.Serial < 2025031400 || d.Customer == "" || d.Product == "" {
		t.Fatalf("full domain read as %+v", d)
	}
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
			if err := json.Unmarshal([]byte(tc.json), &d); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d, tc.want) {
				t.Fatalf("decoded %+v\nwant    %+v", d, tc.want)
			}
		})
	}
	for _, bad := range []string{`{"_id":"x","ttl":"soon"}`, `{"_id":"x","records":"many"}`, `{"_id":"x","records":[1]}`} {
		var d Domain
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s decoded without error: %+v", bad, d)
		}
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
	if zones, err := p.ListZones(context.Background()); err == nil {
		t.Fatalf("ListZones = %v, want an error", zones)
	}
}
