package cloudns

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// estate seeds n master zones of one A record each, plus slave.test, and
// writes a spec for each; withSOA lists the zones whose spec has an soa
// section.
func estate(t *testing.T, e *env, n int, withSOA ...string) *config.Config {
	t.Helper()
	specs := map[string]string{"slave.test": slaveSpec}
	require.NoError(t, e.fake.Seed(&model.Zone{Name: "slave.test", Mode: model.Slave, Masters: []string{"192.0.2.53", "2001:db8::53"}}))
	for i := range n {
		name := fmt.Sprintf("z%03d.test", i)
		require.NoError(t, e.fake.Seed(zoneOf(t, name, set("www", "A", "192.0.2.1"))))
		specs[name] = "zone: " + name + "\nprovider: cloudns\nttl: 3600\nrecords:\n  www: [{type: A, value: 192.0.2.2}]\n"
	}
	for _, name := range withSOA {
		specs[name] = strings.Replace(specs[name], "records:", "soa:\n  refresh: 10800\nrecords:", 1)
	}
	return project(t, e.srv.URL, specs)
}

// prepareCounting plans cfg with the env's provider and returns the calls
// it made, by API method.
func prepareCounting(t *testing.T, e *env, cfg *config.Config) (*apply.Prepared, map[string]int) {
	t.Helper()
	e.fake.Faults().ResetCounts()
	prep, err := apply.Prepare(context.Background(), cfg, providers.NewSet(map[string]providers.Provider{"cloudns": e.p}), apply.Options{})
	require.NoError(t, err)
	return prep, e.fake.Faults().AllCalls()
}

func TestPlanReadsZoneTypesFromTheList(t *testing.T) {
	e := newEnv(t, nil)
	cfg := estate(t, e, 250, "z007.test")
	prep, calls := prepareCounting(t, e, cfg)
	want := map[string]int{
		"login":             1, // the run's access check
		"get-pages-count":   1,
		"list-zones":        3, // 251 zones, 100 a page
		"records":           250,
		"get-records-count": 250, // each answer checked against the zone's count
		"soa-details":       1,   // only z007.test manages its SOA
		"master-servers":    1,
	}
	assert.Empty(t, cmp.Diff(want, calls), "calls (-want +got)")
	got := prep.Plan.Summary
	assert.Equal(t, []int{251, 0, 0}, []int{got.Update, got.Create, got.Delete}, "updates, creates, deletes: 250 record updates and one SOA update")
	var soaOps []string
	for _, zp := range prep.Plan.Zones {
		for _, op := range zp.Operations {
			if op.Action == plan.UpdateSOA {
				soaOps = append(soaOps, zp.Zone)
				require.NotNil(t, op.Before, "%s: SOA update without the live SOA", zp.Zone)
				require.NotNil(t, op.Before.SOA, "%s: SOA update without the live SOA", zp.Zone)
				assert.Equal(t, []uint32{7200, 10800}, []uint32{op.Before.SOA.Refresh, op.After.SOA.Refresh}, "%s: refresh before and after", zp.Zone)
			}
		}
	}
	assert.Equal(t, []string{"z007.test"}, soaOps, "zones with an SOA update")

	// Applying it re-reads the same way and changes exactly what was planned.
	e.fake.Faults().ResetCounts()
	rep := apply.Run(context.Background(), prep, apply.RunOptions{Concurrency: 4})
	require.False(t, rep.Failed(), "apply: %s", rep.SummaryLine())
	again, _ := prepareCounting(t, e, cfg)
	assert.True(t, again.Plan.Empty(), "plan after apply: %+v", again.Plan.Summary)
}

// A run reading few zones asks for each zone's type: counting pages would
// cost as much as it saves. Three zones, a pull request's plan in a large
// account, cost 10 calls, where counting the pages first made 11.
func TestPlanOfFewZonesAsksZoneByZone(t *testing.T) {
	for _, tc := range []struct {
		zones int // besides slave.test
		want  map[string]int
	}{
		{1, map[string]int{"login": 1, "get-zone-info": 2, "records": 1, "get-records-count": 1, "master-servers": 1}},
		{2, map[string]int{"login": 1, "get-zone-info": 3, "records": 2, "get-records-count": 2, "master-servers": 1}},
		// Four zones list: the count of pages and the one page save a call.
		{3, map[string]int{"login": 1, "get-pages-count": 1, "list-zones": 1, "records": 3, "get-records-count": 3, "master-servers": 1}},
	} {
		e := newEnv(t, nil)
		cfg := estate(t, e, tc.zones)
		_, calls := prepareCounting(t, e, cfg)
		assert.Empty(t, cmp.Diff(tc.want, calls), "%d zones: calls (-want +got)", tc.zones+1)
	}
}

// A spec's aliases are zones of the run like any other: a spec with four
// aliases is a run of five zones, which lists the zones once instead of
// asking for each zone's type, the aliases' included, on its own.
func TestAliasesAreExpectedInTheRun(t *testing.T) {
	for _, tc := range []struct{ name, aliases string }{
		{"flow style", "aliases: [a1.test, a2.test, a3.test, a4.test]\n"},
		{"block style", "aliases:\n  - a1.test\n  - a2.test # parked\n\n  - \"a3.test\"\n  - a4.test\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			for _, name := range []string{"main.test", "a1.test", "a2.test", "a3.test", "a4.test"} {
				require.NoError(t, e.fake.Seed(zoneOf(t, name, set("www", "A", "192.0.2.1"))))
			}
			cfg := project(t, e.srv.URL, map[string]string{
				"main.test": "zone: main.test\n" + tc.aliases + "provider: cloudns\nttl: 3600\nrecords:\n  www: [{type: A, value: 192.0.2.2}]\n",
			})
			prep, calls := prepareCounting(t, e, cfg)
			want := map[string]int{"login": 1, "get-pages-count": 1, "list-zones": 1, "records": 5, "get-records-count": 5}
			assert.Empty(t, cmp.Diff(want, calls), "calls (-want +got)")
			assert.Equal(t, 5, prep.Plan.Summary.Update, "one update in each of the five zones")
		})
	}
}

// The listing only ever saves calls: when it fails, or misses a zone, the
// zone is asked about on its own and the plan is the same.
func TestZoneTypesFallBackWhenTheListFails(t *testing.T) {
	for _, tc := range []struct {
		name, method, answer string
	}{
		{"count fails", "get-pages-count", `{"status":"Failed","statusDescription":"Invalid authentication, incorrect auth-id or auth-password."}`},
		{"list fails", "list-zones", `{"status":"Failed","statusDescription":"Missing required parameter 'page'."}`},
		{"list misses zones", "list-zones", `[]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasSuffix(r.URL.Path, "/"+tc.method+".json") {
						w.Write([]byte(tc.answer))
						return
					}
					next.ServeHTTP(w, r)
				})
			})
			cfg := estate(t, e, 5)
			prep, err := apply.Prepare(context.Background(), cfg, providers.NewSet(map[string]providers.Provider{"cloudns": e.p}), apply.Options{})
			require.NoError(t, err)
			got := prep.Plan.Summary
			assert.Equal(t, []int{5, 0, 0}, []int{got.Update, got.Create, got.Delete}, "updates, creates, deletes")
		})
	}
}

// A zone the account does not have is not found through the list either:
// its spec plans a create.
func TestListedRunStillFindsMissingZones(t *testing.T) {
	e := newEnv(t, nil)
	cfg := estate(t, e, 3)
	e.fake.DeleteZone("z001.test")
	prep, calls := prepareCounting(t, e, cfg)
	assert.Equal(t, []int{1, 1}, []int{calls["list-zones"], calls["get-zone-info"]},
		"one list-zones page and get-zone-info for the missing zone only; all calls %v", calls)
	var missing []string
	for _, zp := range prep.Plan.Zones {
		if zp.Zone == "z001.test" {
			missing = opsOf(zp)
		}
	}
	assert.Equal(t, []string{"create_zone", "create www A"}, missing, "the plan of the missing zone")
}

// import --all lists the zones, then reads each: the listing already told
// every zone's type.
func TestReadsAfterListZonesUseTheList(t *testing.T) {
	e := newEnv(t, nil)
	estate(t, e, 3)
	ctx := context.Background()
	zones, err := e.p.ListZones(ctx)
	require.NoError(t, err)
	e.fake.Faults().ResetCounts()
	for _, z := range zones {
		_, err := e.p.ReadZone(ctx, z, providers.ReadOptions{})
		require.NoError(t, err)
	}
	want := map[string]int{"records": 3, "get-records-count": 3, "soa-details": 3, "master-servers": 1}
	assert.Empty(t, cmp.Diff(want, e.fake.Faults().AllCalls()), "calls reading %v (-want +got)", zones)
}
