package plesk_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/plesk"
	"github.com/zonesync/zonesync/providers/plesk/fake"
)

const (
	zone = "example.test"
	// ttl is the fake's default zone TTL, so tests using it plan no update_ttl.
	ttl = 86400
)

// statuses returns each result as "action name type: status", with the error.
func statuses(rep *apply.ZoneReport) []string {
	var out []string
	for _, r := range rep.Results {
		s := string(r.Action) + " " + r.Name + " " + r.Type + ": " + string(r.Status)
		if r.Error != "" {
			s += ": " + r.Error
		}
		out = append(out, s)
	}
	return out
}

// TestBatchOneFailsInMiddle applies three creates in one packet where the
// middle one fails: each gets its own status, the others land, and the
// index holds the ids Plesk gave the records that landed.
func TestBatchOneFailsInMiddle(t *testing.T) {
	fx := newFixture(t, zone)
	want := desired(t, zone, ttl,
		rec{"a", "A", []string{"192.0.2.1"}},
		rec{"b", "CNAME", []string{"a.example.test."}},
		rec{"c", "A", []string{"192.0.2.3"}})
	zp, live := fx.plan(t, want)
	// Someone adds data at b after apply's last read: the CNAME cannot go there.
	var packets int
	rep := fx.runInWindow(want, zp, live, func(*model.Zone) {
		_, err := fx.fake.AddRecord(zone, "A", "b", "192.0.2.9", "")
		require.NoError(t, err)
		packets = fx.fake.Packets()
	})
	wantStatus := []string{
		"create a A: ok",
		`create b CNAME: failed: plesk: add_rec b CNAME in example.test: error 1007 "Inserted data already exists: a CNAME record cannot share its host with other records."`,
		"create c A: ok",
	}
	assert.Empty(t, cmp.Diff(wantStatus, statuses(rep)), "statuses (-want +got)")
	assert.Equal(t, 1, fx.fake.Packets()-packets, "packets for the batch")
	assert.Equal(t, 3, fx.fake.Calls("dns/add_rec"), "add_rec elements")
	// Later operations find the new records' ids in the index; the
	// refused CNAME has none.
	assert.Equal(t, []uint64{fakeID(t, fx, "a", "A", "192.0.2.1")}, plesk.RecordIDs(fx.p, zone, "a", "A", "192.0.2.1"))
	assert.Equal(t, []uint64{fakeID(t, fx, "c", "A", "192.0.2.3")}, plesk.RecordIDs(fx.p, zone, "c", "A", "192.0.2.3"))
	assert.Empty(t, plesk.RecordIDs(fx.p, zone, "b", "CNAME", "a.example.test."))
}

// TestIndexFollowsApply: Apply keeps the ids of what it adds and deletes
// in the provider's index, not in the live zone it is given, which it
// leaves as it was: a later call with that same live zone deletes a
// record the earlier call created, by the id the index kept.
func TestIndexFollowsApply(t *testing.T) {
	fx := newFixture(t, zone)
	ctx := context.Background()
	live, err := fx.p.ReadZone(ctx, zone, providers.ReadOptions{})
	require.NoError(t, err)
	snapshot := cloneZone(live)
	create := &plan.Operation{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{Values: []string{"192.0.2.7"}}}
	require.NoError(t, fx.p.Apply(ctx, live, []*plan.Operation{create})[0])
	id := fakeID(t, fx, "new", "A", "192.0.2.7")
	assert.Equal(t, []uint64{id}, plesk.RecordIDs(fx.p, zone, "new", "A", "192.0.2.7"))
	assert.Empty(t, cmp.Diff(snapshot, live), "Apply changed the live zone it was given (-before +after)")

	del := &plan.Operation{Action: plan.Delete, Name: "new", Type: "A", Before: &plan.State{Values: []string{"192.0.2.7"}}}
	require.NoError(t, fx.p.Apply(ctx, live, []*plan.Operation{del})[0])
	assert.Empty(t, fx.fake.Records(zone), "the record is still at the fake")
	assert.Empty(t, plesk.RecordIDs(fx.p, zone, "new", "A", "192.0.2.7"), "the index still holds the deleted id")
	assert.Empty(t, cmp.Diff(snapshot, live), "Apply changed the live zone it was given (-before +after)")

	// A value Plesk holds twice (spelled two ways) is deleted whole, both ids.
	for _, spelling := range []string{"2001:db8::8", "2001:DB8:0::8"} {
		_, err := fx.fake.AddRecord(zone, "AAAA", "twice", spelling, "")
		require.NoError(t, err)
	}
	live, err = fx.p.ReadZone(ctx, zone, providers.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, plesk.RecordIDs(fx.p, zone, "twice", "AAAA", "2001:db8::8"), 2)
	del = &plan.Operation{Action: plan.Delete, Name: "twice", Type: "AAAA", Before: &plan.State{Values: []string{"2001:db8::8"}}}
	require.NoError(t, fx.p.Apply(ctx, live, []*plan.Operation{del})[0])
	assert.Empty(t, fx.fake.Records(zone))
	assert.Empty(t, plesk.RecordIDs(fx.p, zone, "twice", "AAAA", "2001:db8::8"))
}

// TestUpdateReports checks that an update whose calls partly fail says
// exactly what landed and what did not.
func TestUpdateReports(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before rec
		after  rec
		// meddle changes the fake after apply's last read of the zone.
		meddle func(t *testing.T, fx *fixture)
		err    string // a regexp
		// left is what www holds at the end.
		left []string
	}{
		{
			name:   "old value vanished",
			before: rec{"www", "A", []string{"192.0.2.1"}},
			after:  rec{"www", "A", []string{"192.0.2.3"}},
			meddle: func(t *testing.T, fx *fixture) { deleteBehind(t, fx, "www", "A", "192.0.2.1") },
			err:    `^plesk: update www A in example.test: added 192.0.2.3 \(id \d+\); del_rec 192.0.2.1 \(id \d+\) failed: error 1013 "DNS record does not exist."$`,
			left:   []string{"192.0.2.3"},
		},
		{
			name:   "new value refused: the old one stays",
			before: rec{"www", "A", []string{"192.0.2.1"}},
			after:  rec{"www", "A", []string{"192.0.2.2"}},
			meddle: func(t *testing.T, fx *fixture) {
				_, err := fx.fake.AddRecord(zone, "A", "www", "192.0.2.2", "")
				require.NoError(t, err)
			},
			err:  `^plesk: update www A in example.test: add_rec 192.0.2.2 failed: error 1007 "Inserted data already exists."; not attempted: del_rec 192.0.2.1 \(id \d+\)$`,
			left: []string{"192.0.2.1", "192.0.2.2"},
		},
		{
			name:   "CNAME: delete first, add only after",
			before: rec{"www", "CNAME", []string{"a.example.test."}},
			after:  rec{"www", "CNAME", []string{"b.example.test."}},
			meddle: func(t *testing.T, fx *fixture) { deleteBehind(t, fx, "www", "CNAME", "a.example.test.") },
			err:    `^plesk: update www CNAME in example.test: del_rec a.example.test. \(id \d+\) failed: error 1013 "DNS record does not exist."; not attempted: add_rec b.example.test.$`,
			left:   nil,
		},
		{
			name:   "CNAME change succeeds",
			before: rec{"www", "CNAME", []string{"a.example.test."}},
			after:  rec{"www", "CNAME", []string{"b.example.test."}},
			left:   []string{"b.example.test."},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, zone)
			fx.sync(t, desired(t, zone, ttl, tc.before))
			want := desired(t, zone, ttl, tc.after)
			zp, live := fx.plan(t, want)
			rep := fx.runInWindow(want, zp, live, func(*model.Zone) {
				if tc.meddle != nil {
					tc.meddle(t, fx)
				}
			})
			require.Len(t, rep.Results, 1, "results %v, want one update", statuses(rep))
			r := rep.Results[0]
			if tc.err == "" {
				require.Equal(t, apply.OK, r.Status, "update: %s", r.Error)
			} else {
				require.Regexp(t, tc.err, r.Error)
			}
			var left []string
			for _, rr := range fx.fake.Records(zone) {
				left = append(left, rr.Value)
			}
			assert.Equal(t, tc.left, left, "www holds")
		})
	}
}

// deleteBehind deletes a record in the fake, as another admin would.
func deleteBehind(t *testing.T, fx *fixture, name, rrtype, value string) {
	t.Helper()
	require.True(t, fx.fake.DeleteRecord(fakeID(t, fx, name, rrtype, value)))
}

// TestRetriesNeverDuplicate injects each transient failure into the packet
// that adds two records and deletes one: the retry checks what landed
// first, so nothing is added twice or lost, and every operation is ok.
func TestRetriesNeverDuplicate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []faults.Kind
	}{
		{"5xx", []faults.Kind{faults.ServerError}},
		{"429", []faults.Kind{faults.RateLimit}},
		{"reset before the server ran it", []faults.Kind{faults.Reset}},
		{"reset after the server ran it", []faults.Kind{faults.ResetAfterApply}},
		{"reset after, then the check fails once", []faults.Kind{faults.ResetAfterApply, faults.ServerError}},
		{"timeout", []faults.Kind{faults.Timeout}},
		{"slow", []faults.Kind{faults.Slow}},
		{"twice reset after", []faults.Kind{faults.ResetAfterApply, faults.None, faults.ResetAfterApply}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, zone)
			fx.fake.Faults().TimeoutDelay = 20 * time.Millisecond
			fx.fake.Faults().SlowDelay = 5 * time.Millisecond
			fx.sync(t, desired(t, zone, ttl, rec{"keep", "A", []string{"192.0.2.1"}}, rec{"gone", "A", []string{"192.0.2.2"}}))
			want := desired(t, zone, ttl,
				rec{"keep", "A", []string{"192.0.2.1"}},
				rec{"new", "A", []string{"192.0.2.3"}},
				rec{"new", "TXT", []string{"hello"}})
			zp, live := fx.plan(t, want)
			adds, dels := fx.fake.Calls("dns/add_rec"), fx.fake.Calls("dns/del_rec")
			fx.fake.Faults().Script(tc.script...)
			rep := fx.run(want, zp, live)
			assert.Equal(t, apply.Counts{OK: 3}, rep.Counts(), "statuses %v", statuses(rep))
			assert.Equal(t, 2, fx.fake.Calls("dns/add_rec")-adds, "add_rec ran (no add sent twice)")
			assert.Equal(t, 1, fx.fake.Calls("dns/del_rec")-dels, "del_rec ran")
			assert.Len(t, fx.fake.Records(zone), 3, "records in the zone")
			again, _ := fx.plan(t, want)
			assert.Empty(t, again.Operations, "plan after the apply: %s", describe(again))
			injected := 0
			for _, n := range fx.fake.Faults().Faults() {
				injected += n
			}
			assert.Equal(t, len(tc.script)-strings.Count(fmt.Sprint(tc.script), "none"), injected, "faults injected")
		})
	}
}

// TestTransientGivesUp checks a server that keeps failing ends in failed
// operations naming the failure, with nothing changed.
func TestTransientGivesUp(t *testing.T) {
	fx := newFixture(t, zone)
	want := desired(t, zone, ttl, rec{"a", "A", []string{"192.0.2.1"}})
	zp, live := fx.plan(t, want)
	rep := fx.runInWindow(want, zp, live, func(*model.Zone) {
		fx.fake.Faults().Script(faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError)
	})
	r := rep.Results[0]
	assert.Equal(t, apply.Failed, r.Status, r.Error)
	assert.Regexp(t, `^plesk: add_rec a A in example.test: .*HTTP 503.*\(after 5 attempts\)`, r.Error)
	assert.Empty(t, fx.fake.Records(zone), "records after a failed apply")
}

// TestSOAAndTTL round-trips the zone TTL and the SOA timers.
func TestSOAAndTTL(t *testing.T) {
	fx := newFixture(t, zone)
	want := desired(t, zone, 600, rec{"a", "A", []string{"192.0.2.1"}})
	want.SOA = &model.SOA{Refresh: 7200, Retry: 900, Expire: 1209600, Minimum: 300}
	zp := fx.sync(t, want)
	assert.Subset(t, actions(zp), []plan.Action{plan.UpdateTTL, plan.UpdateSOA}, "plan %s", describe(zp))
	z, _ := fx.fake.Zone(zone)
	assert.Empty(t, cmp.Diff(fake.Zone{Type: "master", Status: "enabled", TTL: 600, Refresh: 7200, Retry: 900, Expire: 1209600, Minimum: 300}, z), "fake zone (-want +got)")
	live, err := fx.p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, uint32(600), live.TTL)
	assert.Empty(t, cmp.Diff(&model.SOA{Refresh: 7200, Retry: 900, Expire: 1209600, Minimum: 300}, live.SOA), "SOA read back (-want +got)")
	rs := live.Find("a", "A")
	require.NotNil(t, rs)
	assert.Equal(t, uint32(600), rs.TTL, "record a A read back at the zone TTL")
	// One field alone: the others are left as they are.
	want.SOA = &model.SOA{Retry: 1800}
	zp = fx.sync(t, want)
	assert.Equal(t, []plan.Action{plan.UpdateSOA}, actions(zp), "plan %s", describe(zp))
	z, _ = fx.fake.Zone(zone)
	assert.Equal(t, uint32(1800), z.Retry)
	assert.Equal(t, uint32(7200), z.Refresh, "refresh kept")
}

// TestMasterSlaveMaster switches a zone master → slave → other masters →
// master through specs: each step plans what it must, and planning again
// finds nothing to do.
func TestMasterSlaveMaster(t *testing.T) {
	fx := newFixture(t, zone)
	master := desired(t, zone, 3600, rec{"www", "A", []string{"192.0.2.10"}})
	slave := func(masters ...string) *model.Zone {
		z := desired(t, zone, 3600)
		z.Mode, z.Masters = model.Slave, masters
		return z
	}
	for _, step := range []struct {
		name    string
		want    *model.Zone
		actions []plan.Action
		typ     string
		masters []string
	}{
		{"master", master, []plan.Action{plan.UpdateTTL, plan.Create}, "master", nil},
		{"to slave", slave("192.0.2.53", "2001:db8::53"), []plan.Action{plan.SwitchMode}, "slave", []string{"192.0.2.53", "2001:db8::53"}},
		{"other masters", slave("192.0.2.54"), []plan.Action{plan.UpdateMasters}, "slave", []string{"192.0.2.54"}},
		{"back to master", master, []plan.Action{plan.SwitchMode}, "master", nil},
		{"to slave again", slave("192.0.2.54"), []plan.Action{plan.SwitchMode}, "slave", []string{"192.0.2.54"}},
	} {
		zp := fx.sync(t, step.want)
		require.Equal(t, step.actions, actions(zp), "%s: plan %s", step.name, describe(zp))
		z, _ := fx.fake.Zone(zone)
		require.Equal(t, step.typ, z.Type, step.name)
		require.Equal(t, step.masters, z.Masters, step.name)
		live, err := fx.p.ReadZone(context.Background(), zone, providers.ReadOptions{})
		require.NoError(t, err)
		wantMasters := slices.Sorted(slices.Values(step.masters))
		require.Equal(t, wantMasters, live.Masters, "%s: live masters, sorted", step.name)
	}
	// The records stayed in Plesk across the switches.
	recs := fx.fake.Records(zone)
	require.Len(t, recs, 1, "records after the switches")
	assert.Equal(t, "192.0.2.10", recs[0].Value)
}

// TestLateCommit: the first packet reaches Plesk without an answer, the
// check before the retry finds nothing, and the repeat is refused. The
// last check, made before the failure is reported, decides: the first try
// landed late (a slow server) and the operation succeeded; nothing landed
// and the refusal is the operation's failure; or the check cannot be
// made and the outcome is unknown.
func TestLateCommit(t *testing.T) {
	for _, tc := range []struct {
		name string
		// meddle runs when the second add_rec packet arrives.
		meddle func(f *fake.Server) error
		// down fails every request after the second add_rec packet.
		down   bool
		status apply.Status
		err    string // the operation's error, a regexp
		// records are the A records at new at the end.
		records int
	}{
		{
			name: "the first try lands late: ok",
			meddle: func(f *fake.Server) error {
				_, err := f.AddRecord(zone, "A", "new."+zone+".", "192.0.2.3", "")
				return err
			},
			status:  apply.OK,
			records: 1,
		},
		{
			name: "nothing landed, the repeat is refused: failed",
			meddle: func(f *fake.Server) error {
				_, err := f.AddRecord(zone, "CNAME", "new."+zone+".", "elsewhere.example.", "")
				return err
			},
			status: apply.Failed,
			err:    `^plesk: add_rec new A in example.test: error 1007 "Inserted data already exists: a CNAME record cannot share its host with other records."$`,
		},
		{
			name: "landed late, the last check cannot be made: unknown",
			meddle: func(f *fake.Server) error {
				_, err := f.AddRecord(zone, "A", "new."+zone+".", "192.0.2.3", "")
				return err
			},
			down:    true,
			status:  apply.Unknown,
			err:     `^sent, outcome not confirmed — run plan: plesk: add_rec new A in example.test: error 1007 "Inserted data already exists."$`,
			records: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.New(fake.Options{Login: testLogin, Password: testPassword})
			_, err := f.AddSite(zone)
			require.NoError(t, err)
			var mu sync.Mutex
			adds := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				mu.Lock()
				down := tc.down && adds >= 2
				if bytes.Contains(body, []byte("<add_rec>")) {
					if adds++; adds == 2 {
						assert.NoError(t, tc.meddle(f))
					}
				}
				mu.Unlock()
				if down {
					http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
					return
				}
				f.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			fx := &fixture{fake: f, srv: srv, p: newProvider(t, plesk.Settings{Login: testLogin, Password: testPassword, Settings: httpx.Settings{Endpoint: srv.URL}})}
			want := desired(t, zone, ttl, rec{"new", "A", []string{"192.0.2.3"}})
			zp, live := fx.plan(t, want)
			rep := fx.runInWindow(want, zp, live, func(*model.Zone) {
				f.Faults().Script(faults.Reset) // the first packet: sent, no answer
			})
			require.Len(t, rep.Results, 1)
			r := rep.Results[0]
			assert.Equal(t, tc.status, r.Status, r.Error)
			if tc.err != "" {
				assert.Regexp(t, tc.err, r.Error)
			}
			assert.Equal(t, 2, adds, "add_rec packets (the lost one and the refused repeat)")
			var ids []uint64
			for _, rr := range f.Records(zone) {
				if rr.Type == "A" {
					ids = append(ids, rr.ID)
				}
			}
			require.Len(t, ids, tc.records, "A records at the fake")
			if tc.status == apply.OK {
				// The index holds the id of the record the first try made.
				assert.Equal(t, ids, plesk.RecordIDs(fx.p, zone, "new", "A", "192.0.2.3"))
			} else {
				assert.Empty(t, plesk.RecordIDs(fx.p, zone, "new", "A", "192.0.2.3"))
			}
		})
	}
}
