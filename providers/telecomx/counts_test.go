package telecomx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// rewriting serves a fake whose answers to requests that match are
// rewritten by edit (a JSON document in, a JSON document out), as a proxy
// or a server cut short might. It rewrites the first n of them, every one
// when n is negative, and counts them.
func rewriting(t *testing.T, f *fake.Server, match func(*http.Request) bool, n int, edit func(map[string]any)) (*Provider, *atomic.Int32) {
	t.Helper()
	edits := &atomic.Int32{}
	p := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if !match(r) || (n >= 0 && int(edits.Load()) >= n) {
			f.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, r)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
		edit(doc)
		edits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		require.NoError(t, json.NewEncoder(w).Encode(doc))
	})
	return p, edits
}

// seedBig gives the fake a domain of n A records.
func seedBig(t *testing.T, f *fake.Server, name string, n int) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: name, TTL: 3600}
	for i := range n {
		z.Records = append(z.Records, &model.RecordSet{Name: fmt.Sprintf("www%d", i), Type: "A", TTL: 3600, Values: []string{fmt.Sprintf("192.0.2.%d", i+1)}})
	}
	z.SortRecords()
	require.NoError(t, f.Seed(z))
	return z
}

func isDomainGet(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/dns/example.com"
}

// halveRecords keeps the first half of a full DNS object's records.
func halveRecords(doc map[string]any) {
	recs := doc["records"].([]any)
	doc["records"] = recs[:len(recs)/2]
}

// TestCutDomainAnswerIsNoZone: GET /dns/DOMAIN answering half the
// records, as well-formed JSON, fails the read instead of reading as a
// zone missing records that a plan would create again.
func TestCutDomainAnswerIsNoZone(t *testing.T) {
	f := fake.New(fake.Options{Username: testUser, Password: testPassword})
	seedBig(t, f, "example.com", 88)
	p, cuts := rewriting(t, f, isDomainGet, -1, halveRecords)

	_, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.Error(t, err)
	assert.Equal(t, "telecomx: GET /dns/example.com: the answer holds 44 records but the domain list counts 88; not taking an incomplete answer for the zone", err.Error())
	assert.EqualValues(t, 2, cuts.Load(), "read twice before failing")
	assert.Equal(t, 0, f.Faults().Calls("POST /dns/{domain}/record"))
}

// TestOnceCutDomainAnswerIsReadAgain: one cut answer is read again, and
// the whole second answer is the zone.
func TestOnceCutDomainAnswerIsReadAgain(t *testing.T) {
	f := fake.New(fake.Options{Username: testUser, Password: testPassword})
	seedBig(t, f, "example.com", 88)
	p, cuts := rewriting(t, f, isDomainGet, 1, halveRecords)

	live, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 1, cuts.Load())
	assert.Equal(t, 88, len(live.Records))
}

// TestListRepeatingDomainsIsNoList: a list whose page repeats a domain in
// place of another, with the total right, fails ListZones (after one more
// try) instead of leaving the other domain out.
func TestListRepeatingDomainsIsNoList(t *testing.T) {
	f := fake.New(fake.Options{Username: testUser, Password: testPassword})
	for _, name := range []string{"a.example", "b.example", "c.example"} {
		require.NoError(t, f.Seed(&model.Zone{Name: name, TTL: 3600}))
	}
	isList := func(r *http.Request) bool { return r.Method == http.MethodGet && r.URL.Path == "/dns" }
	p, edits := rewriting(t, f, isList, -1, func(doc map[string]any) {
		dns := doc["dns"].([]any)
		dns[len(dns)-1] = dns[0]
	})
	_, err := p.ListZones(context.Background())
	assert.EqualError(t, err, "telecomx: GET /dns: 2 domains listed but total is 3: the domains listed do not add up to the total the list reports")
	assert.EqualValues(t, 2, edits.Load())

	p, _ = rewriting(t, f, isList, 1, func(doc map[string]any) {
		dns := doc["dns"].([]any)
		dns[len(dns)-1] = dns[0]
	})
	zones, err := p.ListZones(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"a.example", "b.example", "c.example"}, zones)
}

// TestDomainOutsideTheListIsReadUnchecked: a domain the list does not name
// (another customer's, readable by a reseller) reads without a count.
func TestDomainOutsideTheListIsReadUnchecked(t *testing.T) {
	f := fake.New(fake.Options{Username: testUser, Password: testPassword})
	seedBig(t, f, "example.com", 3)
	isList := func(r *http.Request) bool { return r.Method == http.MethodGet && r.URL.Path == "/dns" }
	p, _ := rewriting(t, f, isList, -1, func(doc map[string]any) {
		doc["dns"], doc["total"] = []any{}, 0
	})
	live, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, len(live.Records))
}
