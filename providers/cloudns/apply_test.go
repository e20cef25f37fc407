package cloudns

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/providers/faults"
)

// TestUpdateOnlyPlanCallCounts: a plan of updates costs one call per
// changed record, through mod-record wherever a record stays, and one read
// of the zone, right before the first change, that checks it is still what
// the plan was made from.
func TestUpdateOnlyPlanCallCounts(t *testing.T) {
	e := newEnv(t, nil)
	withTTL := func(rs *model.RecordSet, ttl uint32) *model.RecordSet { rs.TTL = ttl; return rs }
	e.mustSync(t, zoneOf(t, "example.test",
		set("www", "A", "192.0.2.1", "192.0.2.2"),
		set("@", "MX", "10 mx1.example.test."),
		set("txt", "TXT", "one", "two"),
		set("pool", "A", "198.51.100.1", "198.51.100.2", "198.51.100.3"),
		set("shrink", "A", "203.0.113.1", "203.0.113.2", "203.0.113.3"),
		set("same", "A", "203.0.113.9"),
	))
	desired := zoneOf(t, "example.test",
		set("www", "A", "192.0.2.1", "192.0.2.3"),                                        // 1 record changes value
		set("@", "MX", "20 mx1.example.test."),                                           // 1 record changes value
		withTTL(set("txt", "TXT", "one", "two"), 300),                                    // 2 records change TTL
		set("pool", "A", "198.51.100.1", "198.51.100.4", "198.51.100.5", "198.51.100.6"), // 2 rewritten, 1 added
		set("shrink", "A", "203.0.113.1"),                                                // 2 deleted
		set("same", "A", "203.0.113.9"),                                                  // untouched
	)
	zp, live := e.planFor(t, desired)
	require.Equal(t, []string{"update @ MX", "update pool A", "update shrink A", "update txt TXT", "update www A"}, opsOf(zp), "an update-only plan")
	same := onlyRecord(t, e, "same", "A")
	e.fake.Faults().ResetCounts()
	requireOK(t, e.runPlan(zp, desired, live))
	// The read before the first change: get-zone-info, records and its count.
	want := map[string]int{"mod-record": 1 + 1 + 2 + 2, "add-record": 1, "delete-record": 2, "get-zone-info": 1, "records": 1, "get-records-count": 1}
	assert.Empty(t, cmp.Diff(want, e.fake.Faults().AllCalls()), "calls for 9 changed records and one read (-want +got)")
	sameIndexAsRead(t, e, "example.test", nil)
	again, _ := e.planFor(t, desired)
	assert.Empty(t, opsOf(again), "plan after apply")
	assert.Empty(t, cmp.Diff(same, onlyRecord(t, e, "same", "A")), "the untouched record (-before +after)")
}

// TestFailureMidPlan: an operation failing in the middle of a plan leaves
// the ones before it ok, is reported failed with ClouDNS's message, and
// the ones depending on it are skipped; independent ones still run.
func TestFailureMidPlan(t *testing.T) {
	f := &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}
	for _, tc := range []struct {
		name string
		// breakIt makes the update of beta A fail, after apply read the
		// zone again and before the provider's first call.
		breakIt func(t *testing.T, e *env)
		status  apply.Status
		wantErr string
	}{
		{"API error", func(t *testing.T, e *env) {
			// Another writer deletes the record the update rewrites.
			e.fake.RemoveRecord("example.test", onlyRecord(t, e, "beta", "A")[0].ID)
		}, apply.Failed, `cloudns: mod-record beta A in example.test: "Invalid record-id param."`},
		{"server errors on every try", func(t *testing.T, e *env) {
			in := e.fake.Faults()
			in.Skip = func(r *http.Request) bool { return fake.Endpoint(r) != "mod-record" }
			in.Script(faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError)
			// Each try went out: the last one may have taken effect.
		}, apply.Unknown, "sent, outcome not confirmed — run plan: cloudns: mod-record beta A in example.test: POST /dns/mod-record.json: HTTP 503: Service Unavailable (after 5 attempts)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.mustSync(t, zoneOf(t, "example.test", set("beta", "A", "192.0.2.2"), set("x", "A", "192.0.2.7")))
			desired := zoneOf(t, "example.test",
				set("alpha", "A", "192.0.2.1"),
				withFailover(set("beta", "A", "192.0.2.3"), f),
				set("gamma", "TXT", "independent"),
				set("x", "CNAME", "gamma.example.test."),
			)
			zp, live := e.planFor(t, desired)
			rep := e.runPlanWith(providertest.InWindow(e.p, func(*model.Zone) { tc.breakIt(t, e) }), zp, desired, live)
			got := map[string]apply.Result{}
			statuses := map[string]apply.Status{}
			for _, r := range rep.Results {
				key := string(r.Action) + " " + r.Name + " " + r.Type
				got[key], statuses[key] = r, r.Status
			}
			assert.Empty(t, cmp.Diff(map[string]apply.Status{
				"delete x A":             apply.OK,
				"create alpha A":         apply.OK,
				"update beta A":          tc.status,
				"create gamma TXT":       apply.OK,
				"create x CNAME":         apply.OK,
				"create_failover beta A": apply.Skipped,
			}, statuses), "statuses (-want +got)")
			assert.True(t, strings.HasPrefix(got["update beta A"].Error, tc.wantErr), "failure message %q, want it to start with %q", got["update beta A"].Error, tc.wantErr)
			assert.Contains(t, got["create_failover beta A"].Error, "depends on operation", "skip reason")
			// The index Apply kept current still says what ClouDNS holds,
			// but for the record the other writer deleted, which it cannot know.
			var gone []setKey
			if tc.name == "API error" {
				gone = []setKey{{"beta", "A"}}
			}
			sameIndexAsRead(t, e, "example.test", gone)
		})
	}
}

// TestCreateZoneTakesOverDefaultNS: a spec declaring the apex NS records of
// a new zone replaces ClouDNS's defaults in place instead of adding beside them.
func TestCreateZoneTakesOverDefaultNS(t *testing.T) {
	e := newEnv(t, nil)
	desired := zoneOf(t, "example.test", set("@", "NS", "ns1.example.net.", "ns2.example.net."))
	e.mustSync(t, desired)
	calls := e.fake.Faults().AllCalls()
	assert.Equal(t, []int{2, 2, 0}, []int{calls["mod-record"], calls["delete-record"], calls["add-record"]},
		"mod-record, delete-record, add-record: the 4 default NS records rewritten twice and deleted twice (all calls %v)", calls)
	assert.Len(t, e.fake.Records("example.test"), 2, "records at ClouDNS")
}

// TestCreateOnExistingSetIsStale: outside a zone just registered, a create
// meeting an existing set means the plan is stale; it must not add beside it.
func TestCreateOnExistingSetIsStale(t *testing.T) {
	e := newEnv(t, nil)
	live := e.seeded(t)
	err := e.applyOne(live, &plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.5"}}})
	assert.ErrorContains(t, err, "already exists at ClouDNS; run plan again")
	assert.Len(t, e.fake.Records("example.test"), 1, "records at ClouDNS")
}

// TestMixedTTLIsRewritten: records of one set with different TTLs (an
// update cut short) read as a TTL no spec has, so the next plan rewrites
// them all, even when the spec's TTL is one of theirs.
func TestMixedTTLIsRewritten(t *testing.T) {
	e := newEnv(t, nil)
	e.mustSync(t, zoneOf(t, "example.test", set("www", "A", "192.0.2.1")))
	_, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "www", Record: "192.0.2.2", TTL: 300})
	require.NoError(t, err)
	desired := zoneOf(t, "example.test", set("www", "A", "192.0.2.1", "192.0.2.2"))
	zp, _ := e.planFor(t, desired)
	require.Equal(t, []string{"update www A"}, opsOf(zp))
	assert.Equal(t, uint32(mixedTTL), *zp.Operations[0].Before.TTL, "the TTL the set reads with")
	e.fake.Faults().ResetCounts()
	e.mustSync(t, desired)
	assert.Equal(t, 2, e.fake.Faults().Calls("mod-record"), "mod-record calls: each record once")
	for _, r := range onlyRecord(t, e, "www", "A") {
		assert.Equal(t, 3600, r.TTL, "TTL of %s", r.Record)
	}
}

// sameIndexAsRead checks that the index Apply kept current for a zone
// matches the one a fresh read makes: the same record ids for the same
// values, TTLs, failover and monitored records. unknown are the sets
// changed behind the provider's back, left out of the comparison.
func sameIndexAsRead(t *testing.T, e *env, zone string, unknown []setKey) {
	t.Helper()
	kept := indexOf(e.p, zone)
	require.NotNil(t, kept, "the index has no entry for %s", zone)
	_, err := e.p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	fresh := indexOf(e.p, zone)
	for _, k := range unknown {
		delete(kept.sets, k)
		delete(fresh.sets, k)
	}
	assert.Empty(t, cmp.Diff(fresh, kept, indexCompare...), "index kept by Apply (+) against a fresh read (-)")
}

// indexCompare compares index entries with cmp.
var indexCompare = []cmp.Option{cmp.AllowUnexported(zoneRecords{}, setRecords{}, setKey{}), cmpopts.EquateEmpty()}

// indexOf returns the provider's index entry of a zone. Apply and
// ReadZone replace or change entries under the index's lock; a test reads
// one once the calls that change it are over.
func indexOf(p *Provider, zone string) *zoneRecords {
	p.idx.mu.Lock()
	defer p.idx.mu.Unlock()
	return p.idx.zones[zone]
}

// TestReadReplacesTheIndex: each read of a zone replaces what the index
// holds of it, and a zone that is gone leaves nothing behind, so no id of
// an earlier read outlives the records it named.
func TestReadReplacesTheIndex(t *testing.T) {
	e := newEnv(t, nil)
	e.seeded(t)
	www := setRef{zone: "example.test", name: "www", rrtype: "A"}
	first := e.p.idx.id(www, "192.0.2.1")
	require.NotEmpty(t, first, "the id of www A after the first read")

	// Another writer replaces the record: a new read gives its new id.
	e.fake.RemoveRecord("example.test", onlyRecord(t, e, "www", "A")[0].ID)
	_, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "www", Record: "192.0.2.1", TTL: 3600})
	require.NoError(t, err)
	_, err = e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.NoError(t, err)
	second := e.p.idx.id(www, "192.0.2.1")
	assert.NotEqual(t, first, second, "the id after the record was replaced")

	e.fake.DeleteZone("example.test")
	_, err = e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.ErrorIs(t, err, providers.ErrZoneNotFound)
	assert.Nil(t, indexOf(e.p, "example.test"), "the index entry of a zone that is gone")
}
