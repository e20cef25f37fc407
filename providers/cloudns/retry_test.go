package cloudns

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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

// only makes the injector fault just one endpoint.
func only(in *faults.Injector, endpoint string) {
	in.Skip = func(r *http.Request) bool { return fake.Endpoint(r) != endpoint }
	in.SlowDelay = 5 * time.Millisecond
	// The injector only notices the client hanging up once the body is
	// read, so the hold is kept just past the client's timeout.
	in.TimeoutDelay = 1200 * time.Millisecond
}

// TestRetriedCallsNeverDuplicate fails the first try of each changing call
// in every way the injector knows, and checks the change happens exactly
// once, with the calls that proves: a try that may have landed is checked
// before it is sent again; a rate-limit block is simply sent again.
func TestRetriedCallsNeverDuplicate(t *testing.T) {
	type counts map[string]int
	kinds := []struct {
		kind faults.Kind
		// sent is whether the try may have reached the server's state.
		sent bool
	}{
		{faults.ServerError, true}, {faults.RateLimit, false}, {faults.Timeout, true},
		{faults.Reset, true}, {faults.ResetAfterApply, true}, {faults.Slow, false},
	}
	ops := []struct {
		name     string
		endpoint string
		// check is the read a retry makes first; "" when the call is idempotent.
		check string
		// before are the calls the operation makes anyway, before the faulted one.
		before counts
		setup  func(t *testing.T, e *env) (*model.Zone, *plan.Operation)
		done   func(t *testing.T, e *env)
	}{
		{"add-record", "add-record", "records", nil, func(t *testing.T, e *env) (*model.Zone, *plan.Operation) {
			return e.seeded(t), &plan.Operation{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{TTL: ttlp(300), Values: []string{"192.0.2.5"}}}
		}, func(t *testing.T, e *env) {
			assert.Len(t, onlyRecord(t, e, "new", "A"), 1, "records new A")
		}},
		{"mod-record", "mod-record", "", nil, func(t *testing.T, e *env) (*model.Zone, *plan.Operation) {
			return e.seeded(t), &plan.Operation{Action: plan.Update, Name: "www", Type: "A",
				Before: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.1"}}, After: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.9"}}}
		}, func(t *testing.T, e *env) {
			assert.Equal(t, []string{"192.0.2.9"}, recordValues(onlyRecord(t, e, "www", "A")), "www A at ClouDNS")
		}},
		{"delete-record", "delete-record", "records", nil, func(t *testing.T, e *env) (*model.Zone, *plan.Operation) {
			return e.seeded(t), &plan.Operation{Action: plan.Delete, Name: "www", Type: "A", Before: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.1"}}}
		}, func(t *testing.T, e *env) {
			assert.Empty(t, onlyRecord(t, e, "www", "A"), "records left")
		}},
		{"register", "register", "get-zone-info", nil, func(t *testing.T, e *env) (*model.Zone, *plan.Operation) {
			return &model.Zone{Name: "slave.test"}, &plan.Operation{Action: plan.CreateZone, After: &plan.State{Mode: model.Slave, Masters: []string{"192.0.2.53"}}}
		}, func(t *testing.T, e *env) {
			assert.Equal(t, "slave", e.fake.ZoneType("slave.test"), "type of the registered zone")
		}},
		{"add-master-server", "add-master-server", "master-servers", counts{"master-servers": 1}, func(t *testing.T, e *env) (*model.Zone, *plan.Operation) {
			require.NoError(t, e.fake.Seed(slaveZone("192.0.2.53")))
			live, err := e.p.ReadZone(context.Background(), "slave.test", providers.ReadOptions{})
			require.NoError(t, err)
			return live, &plan.Operation{Action: plan.UpdateMasters, Before: &plan.State{Masters: live.Masters}, After: &plan.State{Masters: []string{"192.0.2.53", "192.0.2.54"}}}
		}, func(t *testing.T, e *env) {
			assert.Equal(t, []string{"192.0.2.53", "192.0.2.54"}, e.fake.Masters("slave.test"), "masters at ClouDNS")
		}},
		{"failover-activate", "failover-activate", "records", nil, func(t *testing.T, e *env) (*model.Zone, *plan.Operation) {
			return e.seeded(t), &plan.Operation{Action: plan.CreateFailover, Name: "www", Type: "A",
				After: &plan.State{Failover: &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}}}
		}, func(t *testing.T, e *env) {
			r := onlyRecord(t, e, "www", "A")
			require.Len(t, r, 1)
			assert.NotNil(t, r[0].Failover, "failover on")
		}},
		{"failover-deactivate", "failover-deactivate", "records", nil, func(t *testing.T, e *env) (*model.Zone, *plan.Operation) {
			f := &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}
			require.NoError(t, e.fake.Seed(zoneOf(t, "example.test", withFailover(set("www", "A", "192.0.2.1"), f))))
			live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			require.NoError(t, err)
			return live, &plan.Operation{Action: plan.DeleteFailover, Name: "www", Type: "A", Before: &plan.State{Failover: f}}
		}, func(t *testing.T, e *env) {
			r := onlyRecord(t, e, "www", "A")
			require.Len(t, r, 1)
			assert.Nil(t, r[0].Failover, "failover off")
		}},
	}
	for _, op := range ops {
		for _, k := range kinds {
			t.Run(op.name+"/"+k.kind.String(), func(t *testing.T) {
				e := newEnv(t, nil)
				e.p.c.http.HTTP.Timeout = time.Second
				live, o := op.setup(t, e)
				e.fake.Faults().ResetCounts()
				only(e.fake.Faults(), op.endpoint)
				e.fake.Faults().Script(k.kind)
				require.NoError(t, e.applyOne(live, o))
				op.done(t, e)
				want := counts{op.endpoint: 2}
				for ep, n := range op.before {
					want[ep] += n
				}
				switch {
				case k.kind == faults.Slow:
					want[op.endpoint] = 1
				case k.sent && op.check != "":
					want[op.check]++
					if k.kind == faults.ResetAfterApply {
						want[op.endpoint] = 1 // the check found it done
					}
				}
				got := counts{}
				for ep := range want {
					got[ep] = e.fake.Faults().Calls(ep)
				}
				assert.Empty(t, cmp.Diff(want, got), "calls (-want +got); all calls %v", e.fake.Faults().AllCalls())
			})
		}
	}
}

// TestRandomFaultsConverge applies whole plans under seeded random faults:
// the zone ends as desired with no duplicates, or an
// operation fails with a message, and the next run finishes the job.
func TestRandomFaultsConverge(t *testing.T) {
	f := &model.Failover{Check: "https", Settings: model.FailoverSettings{Host: "www.example.test", Port: 443}, Down: "backup-ips", Up: "main-ips", BackupIPs: []string{"192.0.2.99"}, Active: true}
	steps := []*model.Zone{
		zoneOf(t, "example.test",
			withFailover(set("www", "A", "192.0.2.10", "192.0.2.11"), f),
			set("@", "MX", "10 mx1.example.test.", "20 mx2.example.test."),
			set("txt", "TXT", "hello"), set("x", "A", "192.0.2.7"),
		),
		zoneOf(t, "example.test",
			withFailover(set("www", "A", "192.0.2.10", "192.0.2.12"), nil),
			set("@", "MX", "10 mx1.example.test."),
			set("txt", "TXT", "bye"), set("x", "CNAME", "www.example.test."),
		),
	}
	for seed := uint64(1); seed <= 10; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			e := newEnv(t, nil)
			in := e.fake.Faults()
			in.SlowDelay = 5 * time.Millisecond
			for _, desired := range steps {
				// Timeouts take the same path as resets (a try that may have
				// landed); TestRetriedCallsNeverDuplicate covers them, and
				// leaving them out keeps this test fast under load.
				in.SetRandom(seed, 0.3, faults.ServerError, faults.RateLimit, faults.Reset, faults.ResetAfterApply, faults.Slow)
				for round := 0; ; round++ {
					require.Less(t, round, 10, "no convergence after 10 runs")
					live, err := e.p.ReadZone(context.Background(), desired.Name, providers.ReadOptions{})
					if err != nil && !isNotFound(err) {
						// A read that fails is an error, never an empty zone: plan again.
						continue
					}
					zp := providertest.Plan(t, desired, live, e.p.Capabilities())
					if len(zp.Operations) == 0 {
						break
					}
					rep := e.runPlan(zp, desired, live)
					for _, r := range rep.Results {
						if r.Status == apply.Failed {
							require.NotEmpty(t, r.Error, "a failure without a message: %+v", r)
						}
					}
				}
				in.SetRandom(seed, 0)
				seen := map[string]bool{}
				for _, r := range e.fake.Records("example.test") {
					key := r.Host + " " + r.Type + " " + r.Record + fmt.Sprint(r.Fields)
					require.False(t, seen[key], "duplicate record %s", key)
					seen[key] = true
				}
				e.mustSync(t, desired)
			}
			t.Logf("faults injected: %v", in.Faults())
		})
	}
}

// lateCommit is an env whose first call to endpoint is sent but loses its
// answer, and whose second call is preceded by land: the first try taking
// effect late, after the check before the retry. calls counts endpoint's calls.
func lateCommit(t *testing.T, endpoint string, land func(e *env)) (e *env, calls *int) {
	t.Helper()
	calls = new(int)
	e = newEnv(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if fake.Endpoint(r) == endpoint {
				if *calls++; *calls == 2 {
					land(e)
				}
			}
			next.ServeHTTP(w, r)
		})
	})
	only(e.fake.Faults(), endpoint)
	e.fake.Faults().Script(faults.Reset) // the first try: sent, no answer
	return e, calls
}

// TestLateCommit: a delete whose first try reached ClouDNS but was carried
// out only after the check before the retry (a slow server committing
// late) has its repeat refused, the record id being gone. The record is
// gone, as the operation wanted: it succeeded.
func TestLateCommit(t *testing.T) {
	e, deletes := lateCommit(t, "delete-record", func(e *env) {
		for _, rec := range e.fake.Records("example.test") {
			if rec.Host == "www" {
				e.fake.RemoveRecord("example.test", rec.ID)
			}
		}
	})
	live := e.seeded(t)
	err := e.applyOne(live, &plan.Operation{Action: plan.Delete, Name: "www", Type: "A", Before: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.1"}}})
	require.NoError(t, err, "delete")
	assert.Equal(t, 2, *deletes, "delete-record calls: the lost one and the refused repeat")
	assert.Empty(t, onlyRecord(t, e, "www", "A"), "records left")
}

// TestLateCommitOfAnotherZone: when the repeat of a lost register is
// refused because someone else registered the zone meanwhile, as the
// other type, the create failed: the zone is not what the plan made.
func TestLateCommitOfAnotherZone(t *testing.T) {
	e, _ := lateCommit(t, "register", func(e *env) {
		assert.NoError(t, e.fake.Seed(&model.Zone{Name: "slave.test", Mode: model.Master}))
	})
	err := e.applyOne(&model.Zone{Name: "slave.test"}, &plan.Operation{Action: plan.CreateZone, After: &plan.State{Mode: model.Slave, Masters: []string{"192.0.2.53"}}})
	assert.ErrorContains(t, err, "has been already added", "the create of a zone someone else registered as master")
	assert.NotErrorIs(t, err, providers.ErrOutcomeUnknown, "the final check settled it")
}

// recordValues lists the data of records, in the order given.
func recordValues(recs []fake.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Record)
	}
	return out
}
