package cloudns

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/providers/httpx"
)

// TestClientStaysUnderTheRateLimit: with its default settings the client
// paces itself under ClouDNS's 20 requests per second; without pacing the
// same run is blocked, so the test can tell.
func TestClientStaysUnderTheRateLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		rps     float64
		blocked bool
	}{
		{"default pace", 0, false},
		{"no pace", 100000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := fake.New(fake.Options{AuthID: testAuthID, Password: testPassword, RequestsPerSecond: 20})
			srv := httptest.NewServer(f)
			defer srv.Close()
			p, err := New(Settings{AuthID: testAuthID, AuthPassword: testPassword, Settings: httpx.Settings{Endpoint: srv.URL, RequestsPerSecond: tc.rps}})
			if err != nil {
				t.Fatal(err)
			}
			fastRetries(p)
			for range 30 {
				if _, err := p.ListZones(context.Background()); err != nil && !tc.blocked {
					t.Fatal(err)
				}
			}
			if got := f.Blocked() > 0; got != tc.blocked {
				t.Fatalf("blocked %d requests", f.Blocked())
			}
		})
	}
}

// TestListZonesReadsEveryPage reads 100 rows a page until a short page.
func TestListZonesReadsEveryPage(t *testing.T) {
	for _, tc := range []struct{ zones, calls int }{{0, 1}, {99, 1}, {100, 2}, {250, 3}} {
		t.Run(fmt.Sprint(tc.zones), func(t *testing.T) {
			e := newEnv(t, nil)
			for i := range tc.zones {
				if err := e.fake.Seed(&model.Zone{Name: fmt.Sprintf("z%03d.test", tc.zones-1-i), Mode: model.Master}); err != nil {
					t.Fatal(err)
				}
			}
			zones, err := e.p.ListZones(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(zones) != tc.zones || (tc.zones > 0 && (zones[0] != "z000.test" || zones[len(zones)-1] != fmt.Sprintf("z%03d.test", tc.zones-1))) {
				t.Fatalf("%d zones: %v", len(zones), zones)
			}
			if n := e.fake.Faults().Calls("list-zones"); n != tc.calls {
				t.Fatalf("list-zones called %d times, want %d", n, tc.calls)
			}
		})
	}
}

// TestReadZoneCalls: a read costs get-zone-info, records and
// get-records-count (to check the answer is whole), soa-details, and one
// failover-settings per monitored record.
func TestReadZoneCalls(t *testing.T) {
	e := newEnv(t, nil)
	f := &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}
	if err := e.fake.Seed(zoneOf(t, "example.test", withFailover(set("www", "A", "192.0.2.1", "192.0.2.2"), f), set("txt", "TXT", "x"))); err != nil {
		t.Fatal(err)
	}
	if _, err := e.fake.PutRecord("example.test", fake.Record{Type: "WR", Host: "go", Record: "https://example.com", TTL: 3600}); err != nil {
		t.Fatal(err)
	}
	live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"get-zone-info": 1, "records": 1, "get-records-count": 1, "soa-details": 1, "failover-settings": 2}
	for ep, n := range want {
		if got := e.fake.Faults().Calls(ep); got != n {
			t.Errorf("%s called %d times, want %d", ep, got, n)
		}
	}
	if len(live.Records) != 2 || live.Find("go", "WR") != nil {
		t.Fatalf("records %+v; want www A and txt TXT, the WR record left out", live.Records)
	}
	if rs := live.Find("www", "A"); rs.Failover == nil || rs.Failover.Check != "ping" || len(e.p.idx.ids(setRef{zone: "example.test", name: "www", rrtype: "A"})) != 2 {
		t.Fatalf("www A %+v", rs)
	}
}
