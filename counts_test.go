package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	cloudns "github.com/zonesync/zonesync/providers/cloudns/fake"
)

// TestApplyAfterACutReadCreatesNothing: with records.json answering only
// half of a zone of 88 records, as well-formed JSON, apply fails the zone
// and creates nothing (issue: it created the 44 missing records again,
// and the fake took the duplicates).
func TestApplyAfterACutReadCreatesNothing(t *testing.T) {
	fastRetries(t)
	const password = "tx-Secret-9f8e7d"
	api := cloudns.New(cloudns.Options{AuthID: "4242", Password: password})
	zone := &model.Zone{Name: "example.com", Mode: model.Master}
	for i := range 88 {
		rs, err := model.NewRecordSet(fmt.Sprintf("host%02d", i), "A", 3600, fmt.Sprintf("192.0.2.%d", i+1))
		require.NoError(t, err)
		zone.Records = append(zone.Records, rs)
	}
	zone.SortRecords()
	require.NoError(t, api.Seed(zone))
	var cut atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cut.Load() || r.URL.Path != "/dns/records.json" {
			api.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		var byID map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &byID))
		ids := make([]string, 0, len(byID))
		for id := range byID {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids[len(ids)/2:] {
			delete(byID, id)
		}
		json.NewEncoder(w).Encode(byID)
	}))
	defer srv.Close()
	t.Setenv("CLOUDNS_PASSWORD", password)
	cfg := writeProject(t, "providers:\n  dns:\n    type: cloudns\n    endpoint: "+srv.URL+"\n    auth_id: 4242\n    auth_password: ${CLOUDNS_PASSWORD}\n", nil)
	code, _, errOut := zonesync(t, "--config", cfg, "import", "--provider", "dns", "--all")
	require.Equal(t, 0, code, errOut)
	require.FileExists(t, filepath.Join(filepath.Dir(cfg), "zones", "example.com.yaml"))

	cut.Store(true)
	api.Faults().ResetCounts()
	code, out, errOut := zonesync(t, "--config", cfg, "apply")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "the answer holds 44 records but get-records-count counts 88", out)
	assert.Equal(t, 0, api.Faults().Calls("add-record"))
	assert.Equal(t, 88, len(api.Records("example.com")), "no record created twice")
	assert.False(t, strings.Contains(out, "create"), out)
}
