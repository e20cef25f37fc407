package cloudns

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
)

func withFailover(rs *model.RecordSet, f *model.Failover) *model.RecordSet {
	rs.Failover = f
	return rs
}

func onlyRecord(t *testing.T, e *env, host, typ string) []fake.Record {
	t.Helper()
	var out []fake.Record
	for _, r := range e.fake.Records("example.test") {
		if r.Host == host && r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// TestFailoverLifecycle creates, changes, pauses and removes a failover,
// checking the calls made and what ClouDNS holds at each step.
func TestFailoverLifecycle(t *testing.T) {
	e := newEnv(t, nil)
	f := &model.Failover{Check: "http", Settings: model.FailoverSettings{Host: "www.example.test", Port: 80, Path: "/health", Region: "eur"},
		Down: "backup-ips", Up: "main-ips", BackupIPs: []string{"192.0.2.99"}, Active: true}
	www := func(f *model.Failover) *model.Zone {
		return zoneOf(t, "example.test", withFailover(set("www", "A", "192.0.2.10"), f))
	}
	steps := []struct {
		name     string
		failover *model.Failover
		calls    map[string]int
		want     *fake.Failover
	}{
		{"create", f, map[string]int{"failover-activate": 1},
			&fake.Failover{CheckType: 18, DownEventHandler: 2, UpEventHandler: 1, State: 1, MainIP: "192.0.2.10", BackupIPs: [5]string{"192.0.2.99"},
				MonitoringRegion: "eur", Settings: map[string]string{"host": "www.example.test", "port": "80", "path": "/health", "protocol": "http"}, Other: map[string]string{}}},
		{"change", &model.Failover{Check: "https", Settings: model.FailoverSettings{Host: "www.example.test", Port: 8443, Path: "/ready"},
			Down: "deactivate", Up: "stop-monitoring", BackupIPs: nil, Active: true}, map[string]int{"failover-modify": 1},
			&fake.Failover{CheckType: 18, DownEventHandler: 1, UpEventHandler: 2, State: 1, MainIP: "192.0.2.10",
				Settings: map[string]string{"host": "www.example.test", "port": "8443", "path": "/ready", "protocol": "https"}, Other: map[string]string{}}},
		{"pause", &model.Failover{Check: "ping", Down: "notify", Up: "notify", BackupIPs: []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"}},
			map[string]int{"failover-modify": 1},
			&fake.Failover{CheckType: 17, State: 0, MainIP: "192.0.2.10", BackupIPs: [5]string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"}, Settings: map[string]string{}, Other: map[string]string{}}},
		{"remove", nil, map[string]int{"failover-deactivate": 1}, nil},
	}
	e.mustSync(t, www(nil))
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			e.fake.Faults().ResetCounts()
			zp, rep := e.run(t, www(st.failover))
			if len(zp.Operations) != 1 || rep.Results[0].Status != "ok" {
				t.Fatalf("plan %+v, results %+v", zp.Operations, rep.Results)
			}
			calls := e.fake.Faults().AllCalls()
			for _, ep := range []string{"failover-activate", "failover-modify", "failover-deactivate", "add-record", "mod-record", "delete-record"} {
				if calls[ep] != st.calls[ep] {
					t.Errorf("%s called %d times, want %d (all calls %v)", ep, calls[ep], st.calls[ep], calls)
				}
			}
			recs := onlyRecord(t, e, "www", "A")
			if len(recs) != 1 || !reflect.DeepEqual(recs[0].Failover, st.want) {
				t.Fatalf("ClouDNS holds %+v, want %+v", recs[0].Failover, st.want)
			}
			live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := live.Find("www", "A").Failover; !reflect.DeepEqual(got, st.failover) {
				t.Fatalf("read back %+v, want %+v", got, st.failover)
			}
		})
	}
}

func TestFailoverCheckTypesWritten(t *testing.T) {
	for check, id := range map[string]int{"ping": 17, "http": 18, "https": 18, "tcp": 8, "udp": 9, "dns": 10, "smtp": 15} {
		p, err := failoverParams("example.test", "1", "192.0.2.1", &model.Failover{Check: check, Down: "notify", Up: "notify", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if p["check_type"] != id {
			t.Errorf("%s written as check_type %v, want %d", check, p["check_type"], id)
		}
		if _, has := p["protocol"]; has != (id == 18) {
			t.Errorf("%s: protocol sent = %v", check, has)
		}
	}
	if len(writeCheckTypes) != len(model.FailoverChecks) {
		t.Errorf("writeCheckTypes maps %d checks, the model has %d", len(writeCheckTypes), len(model.FailoverChecks))
	}
}

// TestFailoverCheckTypesRead reads both published numberings.
func TestFailoverCheckTypesRead(t *testing.T) {
	for _, tc := range []struct {
		answer string
		check  string
	}{
		{`{"check_type":1}`, "ping"}, {`{"check_type":2}`, "ping"}, {`{"check_type":3}`, "ping"},
		{`{"check_type":4,"check_settings":{"host":"h","port":"80"}}`, "http"},
		{`{"check_type":5,"check_settings":{"host":"h","port":443}}`, "https"},
		{`{"check_type":6,"check_settings":{"host":"h","content":"OK"}}`, "http"},
		{`{"check_type":7,"check_settings":{"host":"h","content":"OK"}}`, "https"},
		{`{"check_type":8}`, "tcp"}, {`{"check_type":"9"}`, "udp"}, {`{"check_type":10}`, "dns"},
		{`{"check_type":15}`, "smtp"}, {`{"check_type":17}`, "ping"},
		{`{"check_type":18,"check_settings":{"protocol":"https","port":8080}}`, "https"},
		{`{"check_type":18,"check_settings":{"protocol":"http","port":443}}`, "http"},
		{`{"check_type":18,"check_settings":{"port":"443"}}`, "https"},
		{`{"check_type":18,"check_settings":{"port":8443}}`, "http"},
		{`{"check_type":18,"check_settings":[]}`, "http"},
		{`{"check_type":13}`, "unknown (ClouDNS check_type 13)"},
	} {
		var w wireFailover
		if err := json.Unmarshal([]byte(tc.answer), &w); err != nil {
			t.Fatal(err)
		}
		f, _, err := modelFailover(w)
		if err != nil {
			t.Fatal(err)
		}
		if f.Check != tc.check {
			t.Errorf("%s reads as %q, want %q", tc.answer, f.Check, tc.check)
		}
	}
}

func TestFailoverRead(t *testing.T) {
	body := `{"check_type":10,"check_settings":{"host":"ns.example.test","query_type":"A","response":"192.0.2.1"},"status":1,
		"down_event_handler":1,"up_event_handler":2,"main_ip":"192.0.2.10","backup_ip_1":"","backup_ip_2":"192.0.2.20",
		"backup_ip_3":"","backup_ip_4":"","backup_ip_5":"","state":"0","monitoring_region":"de"}`
	var w wireFailover
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		t.Fatal(err)
	}
	f, main, err := modelFailover(w)
	if err != nil {
		t.Fatal(err)
	}
	want := &model.Failover{Check: "dns", Settings: model.FailoverSettings{Host: "ns.example.test", QueryType: "A", QueryResponse: "192.0.2.1", Region: "de"},
		Down: "deactivate", Up: "stop-monitoring", BackupIPs: []string{"192.0.2.20"}, Active: false}
	if !reflect.DeepEqual(f, want) || main != "192.0.2.10" {
		t.Fatalf("read %+v (main %s), want %+v", f, main, want)
	}
	w.DownEventHandler = 7
	f, _, _ = modelFailover(w)
	if f.Down != "unknown (ClouDNS down_event_handler 7)" {
		t.Fatalf("unknown handler read as %q", f.Down)
	}
}

// TestFailoverOnEveryRecord: a set's failover is on each record, each
// watching its own value; a value added later gets it too.
func TestFailoverOnEveryRecord(t *testing.T) {
	e := newEnv(t, nil)
	f := &model.Failover{Check: "ping", Down: "deactivate", Up: "main-ips", Active: true}
	e.mustSync(t, zoneOf(t, "example.test", withFailover(set("pool", "AAAA", "2001:db8::1", "2001:db8::2"), f)))
	e.fake.Faults().ResetCounts()
	e.mustSync(t, zoneOf(t, "example.test", withFailover(set("pool", "AAAA", "2001:db8::1", "2001:db8::2", "2001:db8::3"), f)))
	if n := e.fake.Faults().Calls("failover-activate"); n != 1 {
		t.Fatalf("failover-activate called %d times for the added value, want 1", n)
	}
	for _, r := range onlyRecord(t, e, "pool", "AAAA") {
		if r.Failover == nil || r.Failover.MainIP != r.Record || r.Failover.CheckType != 17 {
			t.Fatalf("record %s failover %+v", r.Record, r.Failover)
		}
	}
}

// TestFailoverInconsistentSet: records of one set that disagree read as
// a failover the plan must change, and applying it evens them out.
func TestFailoverInconsistentSet(t *testing.T) {
	e := newEnv(t, nil)
	f := &model.Failover{Check: "tcp", Settings: model.FailoverSettings{Port: 25}, Down: "notify", Up: "notify", Active: true}
	e.mustSync(t, zoneOf(t, "example.test", set("mx", "A", "192.0.2.1")))
	if _, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "mx", Record: "192.0.2.2", TTL: 3600,
		Failover: &fake.Failover{CheckType: 8, State: 1, MainIP: "192.0.2.2", Settings: map[string]string{"port": "25"}}}); err != nil {
		t.Fatal(err)
	}
	desired := zoneOf(t, "example.test", withFailover(set("mx", "A", "192.0.2.1", "192.0.2.2"), f))
	zp, _ := e.planFor(t, desired)
	if len(zp.Operations) != 1 || zp.Operations[0].Action != plan.UpdateFailover || zp.Operations[0].Before.Failover.Check != inconsistentCheck {
		t.Fatalf("plan %+v", zp.Operations)
	}
	e.fake.Faults().ResetCounts()
	e.mustSync(t, desired)
	if a, m := e.fake.Faults().Calls("failover-activate"), e.fake.Faults().Calls("failover-modify"); a != 1 || m != 1 {
		t.Fatalf("activate %d, modify %d; want 1 each", a, m)
	}
}

func TestFailoverMainIPMismatchReadsInconsistent(t *testing.T) {
	e := newEnv(t, nil)
	e.seeded(t)
	if _, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "x", Record: "192.0.2.7", TTL: 3600,
		Failover: &fake.Failover{CheckType: 17, State: 1, MainIP: "192.0.2.8", Settings: map[string]string{}}}); err != nil {
		t.Fatal(err)
	}
	live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f := live.Find("x", "A").Failover; f == nil || f.Check != inconsistentCheck {
		t.Fatalf("failover watching another IP read as %+v", f)
	}
}

func TestFailoverTooManyBackupIPs(t *testing.T) {
	e := newEnv(t, nil)
	live := e.seeded(t)
	e.fake.Faults().ResetCounts()
	f := &model.Failover{Check: "ping", Down: "backup-ips", Up: "main-ips", Active: true,
		BackupIPs: []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"}}
	err := e.applyOne(live, &plan.Operation{Action: plan.CreateFailover, Name: "www", Type: "A", After: &plan.State{Failover: f}})
	want := "cloudns: failover-activate www A in example.test: failover has 6 backup IPs; ClouDNS takes at most 5 (backup_ip_1..backup_ip_5)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	if n := len(e.fake.Faults().AllCalls()); n != 0 {
		t.Fatalf("%d endpoints called before refusing", n)
	}
}

func TestFailoverRefusedOnOtherTypes(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.fake.Seed(zoneOf(t, "example.test", set("t", "TXT", "x"))); err != nil {
		t.Fatal(err)
	}
	live, _ := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	err := e.applyOne(live, &plan.Operation{Action: plan.CreateFailover, Name: "t", Type: "TXT",
		After: &plan.State{Failover: &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}}})
	if err == nil || !strings.Contains(err.Error(), `cloudns: failover-activate t TXT in example.test: "DNS Failover is available only for A and AAAA records."`) {
		t.Fatalf("error %v", err)
	}
}

// TestFailoverModifyKeepsUnmodeledSettings: modify replaces the settings as
// a whole, so what zonesync does not model (set in the control panel) is
// sent back as it was read.
func TestFailoverModifyKeepsUnmodeledSettings(t *testing.T) {
	e := newEnv(t, nil)
	e.seeded(t)
	if _, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "db", Record: "192.0.2.40", TTL: 3600,
		Failover: &fake.Failover{CheckType: 17, State: 1, MainIP: "192.0.2.40",
			Settings: map[string]string{"latency_limit": "120", "timeout": "3"},
			Other:    map[string]string{"check_period": "60", "notification_mail": "ops@example.test"}}}); err != nil {
		t.Fatal(err)
	}
	f := &model.Failover{Check: "ping", Down: "deactivate", Up: "main-ips", Active: true}
	e.mustSync(t, zoneOf(t, "example.test", set("www", "A", "192.0.2.1"), withFailover(set("db", "A", "192.0.2.40"), f)))
	got := onlyRecord(t, e, "db", "A")[0].Failover
	if got.DownEventHandler != 1 || got.Settings["latency_limit"] != "120" || got.Settings["timeout"] != "3" ||
		got.Other["check_period"] != "60" || got.Other["notification_mail"] != "ops@example.test" {
		t.Fatalf("after modify ClouDNS holds %+v", got)
	}
	if n := e.fake.Faults().Calls("failover-modify"); n != 1 {
		t.Fatalf("failover-modify called %d times", n)
	}
}
