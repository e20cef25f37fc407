package telecomx

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// TestIndexFollowsApply: a PUT keeps the record's own spelling of its
// name, so the record a later Apply call deletes is the one the PUT left,
// not the one zonesync would write, although the live zone every call is
// given still shows the value before the PUT.
func TestIndexFollowsApply(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.fake.AddDomain("example.com", "", 3600))
	require.NoError(t, e.fake.AddRecord("example.com", fake.Record{Name: "WWW", Type: "A", RData: "192.0.2.1"}))
	live := mustRead(t, e.p, "example.com")
	before := mustRead(t, e.p, "example.com")

	errs := e.p.Apply(context.Background(), live, []*plan.Operation{{Action: plan.Update, Name: "www", Type: "A",
		Before: &plan.State{Values: []string{"192.0.2.1"}}, After: &plan.State{Values: []string{"192.0.2.2"}}}})
	require.NoError(t, errs[0], "update")
	assert.Equal(t, []string{"WWW|A|192.0.2.2"}, wireState(t, e, "example.com"), "the PUT keeps the name's spelling")
	assert.Equal(t, []Record{{"WWW", "A", "192.0.2.2"}}, e.p.index.records("example.com", setKey{"www", "A"}, "192.0.2.2"))
	assert.Empty(t, e.p.index.records("example.com", setKey{"www", "A"}, "192.0.2.1"), "the old value is gone from the index")

	errs = e.p.Apply(context.Background(), live, []*plan.Operation{{Action: plan.Delete, Name: "www", Type: "A",
		Before: &plan.State{Values: []string{"192.0.2.2"}}}})
	require.NoError(t, errs[0], "delete")
	assert.Empty(t, wireState(t, e, "example.com"), "records left at the API")
	assert.Empty(t, e.p.index.records("example.com", setKey{"www", "A"}, "192.0.2.2"))
	assert.Empty(t, cmp.Diff(before, live), "the live zone changed (-before +after)")
}

// TestReadZoneReplacesTheIndex: a read forgets what an earlier one found.
// A record another tool deleted and wrote again in another spelling is
// deleted by its new spelling only.
func TestReadZoneReplacesTheIndex(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	mustRead(t, e.p, "example.com")
	// Another writer, behind the provider's back.
	require.NoError(t, e.p.client.DeleteRecord(context.Background(), "example.com", Record{"www", "A", "192.0.2.1"}))
	require.NoError(t, e.fake.AddRecord("example.com", fake.Record{Name: "Www", Type: "A", RData: "192.0.2.1"}))
	live := mustRead(t, e.p, "example.com")
	assert.Equal(t, []Record{{"Www", "A", "192.0.2.1"}}, e.p.index.records("example.com", setKey{"www", "A"}, "192.0.2.1"))

	e.fake.Faults().ResetCounts()
	errs := e.p.Apply(context.Background(), live, []*plan.Operation{{Action: plan.Delete, Name: "www", Type: "A",
		Before: &plan.State{Values: []string{"192.0.2.1"}}}})
	require.NoError(t, errs[0])
	assert.Empty(t, wireState(t, e, "example.com"))
	assert.Equal(t, 1, e.fake.Faults().Calls("DELETE /dns/{domain}/record"), "one DELETE, of the record that is there")
}

// TestMissingZoneEmptiesTheIndex: a read that finds the domain gone
// forgets its records.
func TestMissingZoneEmptiesTheIndex(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	mustRead(t, e.p, "example.com")
	require.NotEmpty(t, e.p.index.records("example.com", setKey{"www", "A"}, "192.0.2.1"))
	// Another writer deletes the domain; zonesync itself never does.
	req, err := http.NewRequest(http.MethodDelete, e.srv.URL+"/dns/example.com", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	_, err = e.p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.True(t, isNotFound(err), "error %v", err)
	assert.Empty(t, e.p.index.records("example.com", setKey{"www", "A"}, "192.0.2.1"))
}

// TestIndexConcurrent: the index is used by reads and applies of several
// zones at once (run it with -race).
func TestIndexConcurrent(t *testing.T) {
	var x index
	var wg sync.WaitGroup
	for z := range 4 {
		zone := fmt.Sprintf("z%d.example", z)
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := setKey{"www", "A"}
			for i := range 50 {
				value := fmt.Sprintf("192.0.2.%d", i)
				rec := Record{"www", "A", value}
				x.added(zone, key, value, rec)
				assert.Equal(t, []Record{rec}, x.records(zone, key, value))
				x.removed(zone, key, value, rec)
				if i%10 == 0 {
					x.replace(zone, zoneRecords{})
				}
			}
		}()
	}
	wg.Wait()
	for z := range 4 {
		assert.Empty(t, x.zones[fmt.Sprintf("z%d.example", z)], "every record added was removed")
	}
}
