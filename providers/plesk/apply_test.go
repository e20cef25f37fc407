package plesk_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

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

// status returns each result as "action name type: status", with the error.
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
// middle one fails: each gets its own status, the others land.
func TestBatchOneFailsInMiddle(t *testing.T) {
	fx := newFixture(t, zone)
	want := desired(t, zone, ttl,
		rec{"a", "A", []string{"192.0.2.1"}},
		rec{"b", "CNAME", []string{"a.example.test."}},
		rec{"c", "A", []string{"192.0.2.3"}})
	zp, live := fx.plan(t, want)
	// Someone adds data at b after apply's last read: the CNAME cannot go there.
	var packets int
	var applied *model.Zone
	rep := fx.runInWindow(want, zp, live, func(l *model.Zone) {
		applied = l
		if _, err := fx.fake.AddRecord(zone, "A", "b", "192.0.2.9", ""); err != nil {
			t.Fatal(err)
		}
		packets = fx.fake.Packets()
	})
	wantStatus := []string{
		"create a A: ok",
		`create b CNAME: failed: plesk: add_rec b CNAME in example.test: error 1007 "Inserted data already exists: a CNAME record cannot share its host with other records."`,
		"create c A: ok",
	}
	if got := statuses(rep); !slices.Equal(got, wantStatus) {
		t.Fatalf("statuses\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantStatus, "\n"))
	}
	if got := fx.fake.Packets() - packets; got != 1 {
		t.Errorf("%d packets for the batch, want 1", got)
	}
	if got := fx.fake.Calls("dns/add_rec"); got != 3 {
		t.Errorf("%d add_rec elements, want 3", got)
	}
	// The provider kept the live zone it got current for later operations
	// (until issue 12 moves its ids to an index of its own).
	if rs := applied.Find("c", "A"); rs == nil || rs.IDs["192.0.2.3"] == "" {
		t.Errorf("live zone after apply has c A %+v, want its new id", rs)
	}
}

// TestUpdateReports checks that an update whose calls partly fail says
// exactly what landed and what did not.
func TestUpdateReports(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before rec
		after  rec
		// meddle changes the fake after apply's last read of the zone.
		meddle func(t *testing.T, fx *fixture, live *model.Zone)
		err    string // a regexp
		// left is what www holds at the end.
		left []string
	}{
		{
			name:   "old value vanished",
			before: rec{"www", "A", []string{"192.0.2.1"}},
			after:  rec{"www", "A", []string{"192.0.2.3"}},
			meddle: func(t *testing.T, fx *fixture, live *model.Zone) { deleteBehind(t, fx, live, "www", "A", "192.0.2.1") },
			err:    `^plesk: update www A in example.test: added 192.0.2.3 \(id \d+\); del_rec 192.0.2.1 \(id \d+\) failed: error 1013 "DNS record does not exist."$`,
			left:   []string{"192.0.2.3"},
		},
		{
			name:   "new value refused: the old one stays",
			before: rec{"www", "A", []string{"192.0.2.1"}},
			after:  rec{"www", "A", []string{"192.0.2.2"}},
			meddle: func(t *testing.T, fx *fixture, live *model.Zone) {
				if _, err := fx.fake.AddRecord(zone, "A", "www", "192.0.2.2", ""); err != nil {
					t.Fatal(err)
				}
			},
			err:  `^plesk: update www A in example.test: add_rec 192.0.2.2 failed: error 1007 "Inserted data already exists."; not attempted: del_rec 192.0.2.1 \(id \d+\)$`,
			left: []string{"192.0.2.1", "192.0.2.2"},
		},
		{
			name:   "CNAME: delete first, add only after",
			before: rec{"www", "CNAME", []string{"a.example.test."}},
			after:  rec{"www", "CNAME", []string{"b.example.test."}},
			meddle: func(t *testing.T, fx *fixture, live *model.Zone) {
				deleteBehind(t, fx, live, "www", "CNAME", "a.example.test.")
			},
			err:  `^plesk: update www CNAME in example.test: del_rec a.example.test. \(id \d+\) failed: error 1013 "DNS record does not exist."; not attempted: add_rec b.example.test.$`,
			left: nil,
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
			rep := fx.runInWindow(want, zp, live, func(live *model.Zone) {
				if tc.meddle != nil {
					tc.meddle(t, fx, live)
				}
			})
			if len(rep.Results) != 1 {
				t.Fatalf("results %v, want one update", statuses(rep))
			}
			r := rep.Results[0]
			switch {
			case tc.err == "" && r.Status != apply.OK:
				t.Fatalf("update: %s: %s", r.Status, r.Error)
			case tc.err != "" && !regexp.MustCompile(tc.err).MatchString(r.Error):
				t.Fatalf("update error\n%s\ndoes not match\n%s", r.Error, tc.err)
			}
			var left []string
			for _, rr := range fx.fake.Records(zone) {
				left = append(left, rr.Value)
			}
			if !slices.Equal(left, tc.left) {
				t.Fatalf("www holds %q, want %q", left, tc.left)
			}
		})
	}
}

// deleteBehind deletes a live record in the fake, as another admin would.
func deleteBehind(t *testing.T, fx *fixture, live *model.Zone, name, rrtype, value string) {
	t.Helper()
	rs := live.Find(name, rrtype)
	if rs == nil {
		t.Fatalf("no %s %s in the live zone", name, rrtype)
	}
	var id uint64
	for _, c := range rs.IDs[value] {
		id = id*10 + uint64(c-'0')
	}
	if !fx.fake.DeleteRecord(id) {
		t.Fatalf("no record %d in the fake", id)
	}
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
			for _, s := range statuses(rep) {
				if !strings.HasSuffix(s, ": ok") {
					t.Errorf("%s", s)
				}
			}
			if got := fx.fake.Calls("dns/add_rec") - adds; got != 2 {
				t.Errorf("%d add_rec ran, want 2 (no add sent twice)", got)
			}
			if got := fx.fake.Calls("dns/del_rec") - dels; got != 1 {
				t.Errorf("%d del_rec ran, want 1", got)
			}
			if got := len(fx.fake.Records(zone)); got != 3 {
				t.Errorf("%d records in the zone, want 3: %+v", got, fx.fake.Records(zone))
			}
			if again, _ := fx.plan(t, want); len(again.Operations) != 0 {
				t.Errorf("plan after the apply: %s", describe(again))
			}
			injected := 0
			for _, n := range fx.fake.Faults().Faults() {
				injected += n
			}
			if want := len(tc.script) - strings.Count(fmt.Sprint(tc.script), "none"); injected != want {
				t.Errorf("%d faults injected, want %d", injected, want)
			}
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
	if r.Status != apply.Failed || !strings.HasPrefix(r.Error, "plesk: add_rec a A in example.test: ") ||
		!strings.Contains(r.Error, "HTTP 503") || !strings.Contains(r.Error, "(after 5 attempts)") {
		t.Fatalf("result %s: %s", r.Status, r.Error)
	}
	if n := len(fx.fake.Records(zone)); n != 0 {
		t.Fatalf("%d records after a failed apply", n)
	}
}

// TestSOAAndTTL round-trips the zone TTL and the SOA timers.
func TestSOAAndTTL(t *testing.T) {
	fx := newFixture(t, zone)
	want := desired(t, zone, 600, rec{"a", "A", []string{"192.0.2.1"}})
	want.SOA = &model.SOA{Refresh: 7200, Retry: 900, Expire: 1209600, Minimum: 300}
	zp := fx.sync(t, want)
	if got := actions(zp); !slices.Contains(got, plan.UpdateTTL) || !slices.Contains(got, plan.UpdateSOA) {
		t.Fatalf("plan %s, want update_ttl and update_soa", describe(zp))
	}
	z, _ := fx.fake.Zone(zone)
	if z.TTL != 600 || z.Refresh != 7200 || z.Retry != 900 || z.Expire != 1209600 || z.Minimum != 300 {
		t.Fatalf("fake zone %+v", z)
	}
	live, err := fx.p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if live.TTL != 600 || *live.SOA != (model.SOA{Refresh: 7200, Retry: 900, Expire: 1209600, Minimum: 300}) {
		t.Fatalf("read back ttl %d soa %+v", live.TTL, live.SOA)
	}
	if rs := live.Find("a", "A"); rs == nil || rs.TTL != 600 {
		t.Fatalf("record a A read back %+v, want the zone TTL", rs)
	}
	// One field alone: the others are left as they are.
	want.SOA = &model.SOA{Retry: 1800}
	zp = fx.sync(t, want)
	if got := actions(zp); !slices.Equal(got, []plan.Action{plan.UpdateSOA}) {
		t.Fatalf("plan %s, want one update_soa", describe(zp))
	}
	if z, _ := fx.fake.Zone(zone); z.Retry != 1800 || z.Refresh != 7200 {
		t.Fatalf("fake zone %+v, want retry 1800 and refresh kept", z)
	}
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
		if got := actions(zp); !slices.Equal(got, step.actions) {
			t.Fatalf("%s: plan %s, want %v", step.name, describe(zp), step.actions)
		}
		z, _ := fx.fake.Zone(zone)
		if z.Type != step.typ || !slices.Equal(z.Masters, step.masters) {
			t.Fatalf("%s: fake zone type %s masters %v, want %s %v", step.name, z.Type, z.Masters, step.typ, step.masters)
		}
		live, err := fx.p.ReadZone(context.Background(), zone, providers.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(live.Masters) || len(live.Masters) != len(step.masters) {
			t.Fatalf("%s: live masters %v", step.name, live.Masters)
		}
	}
	// The records stayed in Plesk across the switches.
	if recs := fx.fake.Records(zone); len(recs) != 1 || recs[0].Value != "192.0.2.10" {
		t.Fatalf("records after the switches: %+v", recs)
	}
}

// TestLateCommit: a packet that reached Plesk but was carried out only
// after the check before the retry (a slow server committing late) has
// its repeat refused as a duplicate. The record is there, once: the
// operation succeeded.
func TestLateCommit(t *testing.T) {
	f := fake.New(fake.Options{Login: testLogin, Password: testPassword})
	if _, err := f.AddSite(zone); err != nil {
		t.Fatal(err)
	}
	adds := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte("<add_rec>")) {
			if adds++; adds == 2 {
				// The first try lands now, after the check found nothing.
				if _, err := f.AddRecord(zone, "A", "new."+zone+".", "192.0.2.3", ""); err != nil {
					t.Error(err)
				}
			}
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
	for _, s := range statuses(rep) {
		if !strings.HasSuffix(s, ": ok") {
			t.Errorf("%s", s)
		}
	}
	if adds != 2 {
		t.Errorf("%d add_rec packets, want 2 (the lost one and the refused repeat)", adds)
	}
	n := 0
	for _, r := range f.Records(zone) {
		if r.Type == "A" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d A records at the fake, want 1: %+v", n, f.Records(zone))
	}
}
