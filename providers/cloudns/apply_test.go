package cloudns

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

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
	for _, op := range zp.Operations {
		if op.Action != plan.Update {
			t.Fatalf("not an update-only plan: %s %s %s", op.Action, op.Name, op.Type)
		}
	}
	e.fake.Faults().ResetCounts()
	// The live zone Apply got, which this provider still keeps current
	// (until issue 12 moves its ids to an index of its own).
	var applied *model.Zone
	rep := e.runPlanWith(providertest.BeforeApply(e.p, func(_ int, l *model.Zone) { applied = l }), zp, desired, live)
	for _, r := range rep.Results {
		if r.Status != apply.OK {
			t.Fatalf("%s %s: %s %s", r.Name, r.Type, r.Status, r.Error)
		}
	}
	calls := e.fake.Faults().AllCalls()
	want := map[string]int{"mod-record": 1 + 1 + 2 + 2, "add-record": 1, "delete-record": 2, "get-zone-info": 1, "records": 1, "get-records-count": 1}
	total := 0
	for ep, n := range calls {
		total += n
		if n != want[ep] {
			t.Errorf("%s called %d times, want %d", ep, n, want[ep])
		}
	}
	// The read before the first change: get-zone-info, records and its count.
	if changed := 1 + 1 + 2 + 3 + 2; total != changed+3 {
		t.Errorf("%d calls for %d changed records and one read: %v", total, changed, calls)
	}
	fresh, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameLive(t, applied, fresh)
	if again, _ := e.planFor(t, desired); len(again.Operations) != 0 {
		t.Fatalf("plan after apply: %+v", again.Operations)
	}
	// Records that kept their value kept their id: nothing was re-created.
	for _, r := range e.fake.Records("example.test") {
		if r.Host == "same" && r.Record != "203.0.113.9" {
			t.Fatal("untouched record changed")
		}
	}
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
		breakIt func(e *env, live *model.Zone)
		status  apply.Status
		wantErr string
	}{
		{"API error", func(e *env, live *model.Zone) {
			live.Find("beta", "A").IDs["192.0.2.2"] = "987654"
		}, apply.Failed, `cloudns: mod-record beta A in example.test: "Invalid record-id param."`},
		{"server errors on every try", func(e *env, live *model.Zone) {
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
			// The live zone Apply got, which this provider still keeps
			// current (until issue 12 moves its ids to an index of its own).
			var applied *model.Zone
			rep := e.runPlanWith(providertest.InWindow(e.p, func(l *model.Zone) { applied = l; tc.breakIt(e, l) }), zp, desired, live)
			got := map[string]apply.Result{}
			for _, r := range rep.Results {
				got[string(r.Action)+" "+r.Name+" "+r.Type] = r
			}
			for key, want := range map[string]apply.Status{
				"delete x A":             apply.OK,
				"create alpha A":         apply.OK,
				"update beta A":          tc.status,
				"create gamma TXT":       apply.OK,
				"create x CNAME":         apply.OK,
				"create_failover beta A": apply.Skipped,
			} {
				if got[key].Status != want {
					t.Errorf("%s: %s (%s), want %s", key, got[key].Status, got[key].Error, want)
				}
			}
			if msg := got["update beta A"].Error; !strings.HasPrefix(msg, tc.wantErr) {
				t.Errorf("failure message %q, want it to start with %q", msg, tc.wantErr)
			}
			if msg := got["create_failover beta A"].Error; !strings.Contains(msg, "depends on operation") {
				t.Errorf("skip reason %q", msg)
			}
			// The live zone Apply kept current still says what ClouDNS holds.
			live2, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.name == "API error" {
				// The test broke that id on purpose; put it back to compare.
				applied.Find("beta", "A").IDs["192.0.2.2"] = live2.Find("beta", "A").IDs["192.0.2.2"]
			}
			sameLive(t, applied, live2)
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
	if calls["mod-record"] != 2 || calls["delete-record"] != 2 || calls["add-record"] != 0 {
		t.Fatalf("calls %v; want the 4 default NS records rewritten twice and deleted twice", calls)
	}
	if n := len(e.fake.Records("example.test")); n != 2 {
		t.Fatalf("%d records at ClouDNS, want 2", n)
	}
}

// TestCreateOnExistingSetIsStale: outside a zone just registered, a create
// meeting an existing set means the plan is stale; it must not add beside it.
func TestCreateOnExistingSetIsStale(t *testing.T) {
	e := newEnv(t, nil)
	live := e.seeded(t)
	err := e.applyOne(live, &plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.5"}}})
	if err == nil || !strings.Contains(err.Error(), "already exists at ClouDNS; run plan again") {
		t.Fatalf("error %v", err)
	}
	if n := len(e.fake.Records("example.test")); n != 1 {
		t.Fatalf("%d records, want 1", n)
	}
}

// TestMixedTTLIsRewritten: records of one set with different TTLs (an
// update cut short) read as a TTL no spec has, so the next plan rewrites
// them all, even when the spec's TTL is one of theirs.
func TestMixedTTLIsRewritten(t *testing.T) {
	e := newEnv(t, nil)
	e.mustSync(t, zoneOf(t, "example.test", set("www", "A", "192.0.2.1")))
	if _, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "www", Record: "192.0.2.2", TTL: 300}); err != nil {
		t.Fatal(err)
	}
	desired := zoneOf(t, "example.test", set("www", "A", "192.0.2.1", "192.0.2.2"))
	zp, _ := e.planFor(t, desired)
	if len(zp.Operations) != 1 || zp.Operations[0].Action != plan.Update || *zp.Operations[0].Before.TTL != mixedTTL {
		t.Fatalf("plan %+v", zp.Operations)
	}
	e.fake.Faults().ResetCounts()
	e.mustSync(t, desired)
	if n := e.fake.Faults().Calls("mod-record"); n != 2 {
		t.Fatalf("mod-record called %d times, want 2 (each record once)", n)
	}
	for _, r := range e.fake.Records("example.test") {
		if r.Host == "www" && r.TTL != 3600 {
			t.Fatalf("record %s TTL %d", r.Record, r.TTL)
		}
	}
}

// sameLive checks that the live zone Apply kept current matches a fresh
// read: the same sets, values, TTLs and failover, and the same record ids.
// The SOA is left out: apply reads the zone again before its first change,
// without the SOA when the spec leaves it alone.
func sameLive(t *testing.T, kept, fresh *model.Zone) {
	t.Helper()
	k, f := *kept, *fresh
	k.SOA, f.SOA = nil, nil
	if k.Digest() != f.Digest() {
		t.Errorf("live zone kept by Apply differs from a fresh read")
	}
	for _, rs := range fresh.Records {
		k := kept.Find(rs.Name, rs.Type)
		if k == nil || !reflect.DeepEqual(k.IDs, rs.IDs) {
			t.Errorf("%s %s: ids kept %v, read %v", rs.Name, rs.Type, k, rs.IDs)
		}
	}
}
