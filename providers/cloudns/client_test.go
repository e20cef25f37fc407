package cloudns

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			require.NoError(t, err)
			fastRetries(p)
			for range 30 {
				if _, err := p.ListZones(context.Background()); !tc.blocked {
					require.NoError(t, err)
				}
			}
			assert.Equal(t, tc.blocked, f.Blocked() > 0, "blocked %d requests", f.Blocked())
		})
	}
}

// TestListZonesReadsEveryPage reads 100 rows a page until a short page.
func TestListZonesReadsEveryPage(t *testing.T) {
	for _, tc := range []struct{ zones, calls int }{{0, 1}, {99, 1}, {100, 2}, {250, 3}} {
		t.Run(fmt.Sprint(tc.zones), func(t *testing.T) {
			e := newEnv(t, nil)
			var want []string
			for i := range tc.zones {
				require.NoError(t, e.fake.Seed(&model.Zone{Name: fmt.Sprintf("z%03d.test", tc.zones-1-i), Mode: model.Master}))
				want = append(want, fmt.Sprintf("z%03d.test", i))
			}
			zones, err := e.p.ListZones(context.Background())
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(want, zones), "zones listed (-want +got)")
			assert.Equal(t, tc.calls, e.fake.Faults().Calls("list-zones"), "list-zones calls")
		})
	}
}

// TestReadZoneCalls: a read costs get-zone-info, records and
// get-records-count (to check the answer is whole), soa-details, and one
// failover-settings per monitored record.
func TestReadZoneCalls(t *testing.T) {
	e := newEnv(t, nil)
	f := &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}
	require.NoError(t, e.fake.Seed(zoneOf(t, "example.test", withFailover(set("www", "A", "192.0.2.1", "192.0.2.2"), f), set("txt", "TXT", "x"))))
	_, err := e.fake.PutRecord("example.test", fake.Record{Type: "WR", Host: "go", Record: "https://example.com", TTL: 3600})
	require.NoError(t, err)
	live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.NoError(t, err)
	want := map[string]int{"get-zone-info": 1, "records": 1, "get-records-count": 1, "soa-details": 1, "failover-settings": 2}
	assert.Empty(t, cmp.Diff(want, e.fake.Faults().AllCalls()), "calls (-want +got)")
	live.SOA = nil
	wantZone := &model.Zone{Name: "example.test", Mode: model.Master, Records: []*model.RecordSet{
		{Name: "txt", Type: "TXT", TTL: 3600, Values: []string{`"x"`}},
		{Name: "www", Type: "A", TTL: 3600, Values: []string{"192.0.2.1", "192.0.2.2"}, Failover: f},
	}}
	assert.Empty(t, cmp.Diff(wantZone, live), "the zone read, the WR record left out (-want +got)")
	www, _ := e.p.idx.set(setRef{zone: "example.test", name: "www", rrtype: "A"})
	assert.Len(t, www.known(), 2, "record ids of www A in the index")
}
