package cloudns

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
)

// cutting answers one API method with only the first half of what the
// fake answered, still well-formed JSON (records.json's object keyed by
// id, list-zones' array), as a proxy or a server cut short might. It cuts
// the first cuts answers of that method, every one when cuts is negative.
func cutting(method string, cuts int) (wrap func(http.Handler) http.Handler, cut *atomic.Int32) {
	cut = &atomic.Int32{}
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/"+method+".json") || (cuts >= 0 && int(cut.Load()) >= cuts) {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			var byID map[string]json.RawMessage
			var list []json.RawMessage
			switch {
			case json.Unmarshal(body, &byID) == nil && len(byID) > 1:
				ids := make([]string, 0, len(byID))
				for id := range byID {
					ids = append(ids, id)
				}
				sort.Strings(ids)
				for _, id := range ids[len(ids)/2:] {
					delete(byID, id)
				}
				body, _ = json.Marshal(byID)
				cut.Add(1)
			case json.Unmarshal(body, &list) == nil && len(list) > 1:
				body, _ = json.Marshal(list[:len(list)/2])
				cut.Add(1)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		})
	}, cut
}

// bigZone is a zone of n A records, www0..www(n-1).
func bigZone(t *testing.T, name string, n int) *model.Zone {
	t.Helper()
	var sets []*model.RecordSet
	for i := range n {
		sets = append(sets, set(fmt.Sprintf("www%d", i), "A", fmt.Sprintf("192.0.2.%d", i+1)))
	}
	return zoneOf(t, name, sets...)
}

// TestCutRecordsAnswerIsNoZone: records.json answering half the zone, as
// well-formed JSON, fails the read instead of reading as a zone missing
// records (issue: a plan then created 44 records that already existed).
func TestCutRecordsAnswerIsNoZone(t *testing.T) {
	wrap, cut := cutting("records", -1)
	e := newEnv(t, wrap)
	zone := bigZone(t, "example.test", 88)
	require.NoError(t, e.fake.Seed(zone))

	_, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.Error(t, err)
	assert.Equal(t, `cloudns: records in example.test: the answer holds 44 records but get-records-count counts 88; not taking an incomplete answer for the zone`, err.Error())
	assert.EqualValues(t, 2, cut.Load(), "read twice before failing")
	assert.Equal(t, 0, e.fake.Faults().Calls("add-record"))
}

// TestOnceCutRecordsAnswerIsReadAgain: one cut answer (or a change between
// the two calls) is read again, and the second, whole answer is the zone.
func TestOnceCutRecordsAnswerIsReadAgain(t *testing.T) {
	wrap, cut := cutting("records", 1)
	e := newEnv(t, wrap)
	zone := bigZone(t, "example.test", 88)
	require.NoError(t, e.fake.Seed(zone))

	live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 1, cut.Load())
	assert.Equal(t, 88, len(live.Records))
	assert.Empty(t, providertest.Plan(t, zone, live, e.p.Capabilities()).Operations, "the whole zone plans as no change")
}

// TestRecordsCountAnswers: get-records-count is read as a bare number, a
// number in a string or an object with a count; anything else fails the read.
func TestRecordsCountAnswers(t *testing.T) {
	for _, tc := range []struct {
		answer string
		want   int
		err    string
	}{
		{`3`, 3, ""},
		{`"3"`, 3, ""},
		{`{"count":"3"}`, 3, ""},
		{`{"count":3,"limit":100}`, 3, ""},
		{`{"records":3}`, 0, `cloudns: get-records-count in example.test: unexpected answer (not a count): {"records":3}`},
		{`-1`, 0, `cloudns: get-records-count in example.test: negative count -1`},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tc.answer) }))
		p, err := New(Settings{AuthID: "1", AuthPassword: testPassword, Settings: httpx.Settings{Endpoint: srv.URL, RequestsPerSecond: 1000}})
		require.NoError(t, err)
		n, err := p.c.recordsCount(context.Background(), "example.test")
		srv.Close()
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, tc.answer)
			continue
		}
		require.NoError(t, err, tc.answer)
		assert.Equal(t, tc.want, n, tc.answer)
	}
}

// TestCutZoneListIsNoList: a list-zones page cut to half, still a
// well-formed array, fails ListZones (and so import --all) instead of
// leaving zones out.
func TestCutZoneListIsNoList(t *testing.T) {
	wrap, _ := cutting("list-zones", -1)
	e := newEnv(t, wrap)
	for i := range 30 {
		require.NoError(t, e.fake.Seed(zoneOf(t, fmt.Sprintf("z%02d.test", i), set("www", "A", "192.0.2.1"))))
	}
	_, err := e.p.ListZones(context.Background())
	assert.EqualError(t, err, "cloudns: list-zones: 15 zones listed but get-zones-stats counts 30; not taking an incomplete list for the account's zones")

	// Whole, the list is every zone.
	e = newEnv(t, nil)
	for i := range 130 {
		require.NoError(t, e.fake.Seed(zoneOf(t, fmt.Sprintf("z%03d.test", i), set("www", "A", "192.0.2.1"))))
	}
	zones, err := e.p.ListZones(context.Background())
	require.NoError(t, err)
	assert.Len(t, zones, 130)
	assert.True(t, slices.IsSorted(zones))
}

// TestFakeRefusesDuplicateRecords: the fake, like the real API, refuses a
// record with the host, type and data of one it holds, on add and on
// modify, so that a test can no longer pass by creating a record twice.
func TestFakeRefusesDuplicateRecords(t *testing.T) {
	e := newEnv(t, nil)
	require.NoError(t, e.fake.Seed(zoneOf(t, "example.test", set("www", "A", "192.0.2.1", "192.0.2.2"), set("@", "MX", "10 mx.example.test."))))
	post := func(method, body string) string {
		t.Helper()
		resp, err := http.Post(e.srv.URL+"/dns/"+method+".json", "application/json", bytes.NewReader([]byte(body)))
		require.NoError(t, err)
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(out)
	}
	auth := `"auth-id":"` + testAuthID + `","auth-password":"` + testPassword + `","domain-name":"example.test"`
	refused := `{"status":"Failed","statusDescription":"This record already exists."}`
	assert.JSONEq(t, refused, post("add-record", `{`+auth+`,"record-type":"A","host":"www","record":"192.0.2.1","ttl":3600}`))
	assert.JSONEq(t, refused, post("add-record", `{`+auth+`,"record-type":"A","host":"www","record":"192.0.2.1","ttl":300}`), "another TTL is the same record")
	assert.JSONEq(t, refused, post("add-record", `{`+auth+`,"record-type":"MX","host":"","record":"mx.example.test","priority":10,"ttl":3600}`))
	assert.Contains(t, post("add-record", `{`+auth+`,"record-type":"MX","host":"","record":"mx.example.test","priority":20,"ttl":3600}`), `"status":"Success"`)
	var id int
	for _, r := range e.fake.Records("example.test") {
		if r.Record == "192.0.2.2" {
			id = r.ID
		}
	}
	require.NotZero(t, id)
	assert.JSONEq(t, refused, post("mod-record", fmt.Sprintf(`{%s,"record-id":%d,"host":"www","record":"192.0.2.1","ttl":3600}`, auth, id)))
	assert.Contains(t, post("mod-record", fmt.Sprintf(`{%s,"record-id":%d,"host":"www","record":"192.0.2.2","ttl":300}`, auth, id)), `"status":"Success"`, "a record may be rewritten as itself")
}
