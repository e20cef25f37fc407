package cloudns

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
)

func withFailover(rs *model.RecordSet, f *model.Failover) *model.RecordSet {
	rs.Failover = f
	return rs
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
			require.Len(t, zp.Operations, 1, "plan %v", opsOf(zp))
			requireOK(t, rep)
			calls := map[string]int{}
			for ep, n := range e.fake.Faults().AllCalls() {
				if strings.HasPrefix(ep, "failover-") && ep != "failover-settings" || strings.HasSuffix(ep, "-record") {
					calls[ep] = n
				}
			}
			assert.Empty(t, cmp.Diff(st.calls, calls), "changing calls (-want +got)")
			recs := onlyRecord(t, e, "www", "A")
			require.Len(t, recs, 1)
			assert.Empty(t, cmp.Diff(st.want, recs[0].Failover), "failover at ClouDNS (-want +got)")
			live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(st.failover, live.Find("www", "A").Failover), "failover read back (-want +got)")
		})
	}
}

func TestFailoverCheckTypesWritten(t *testing.T) {
	for check, id := range map[string]int{"ping": 17, "http": 18, "https": 18, "tcp": 8, "udp": 9, "dns": 10, "smtp": 15} {
		p, err := failoverParams("example.test", "1", "192.0.2.1", &model.Failover{Check: check, Down: "notify", Up: "notify", Active: true})
		require.NoError(t, err)
		assert.Equal(t, id, p["check_type"], "%s written as check_type", check)
		_, has := p["protocol"]
		assert.Equal(t, id == 18, has, "%s: protocol sent", check)
	}
	assert.Len(t, writeCheckTypes, len(model.FailoverChecks), "writeCheckTypes maps every check of the model")
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
		require.NoError(t, json.Unmarshal([]byte(tc.answer), &w))
		f, _, err := modelFailover(w)
		require.NoError(t, err)
		assert.Equal(t, tc.check, f.Check, tc.answer)
	}
}

func TestFailoverRead(t *testing.T) {
	body := `{"check_type":10,"check_settings":{"host":"ns.example.test","query_type":"A","response":"192.0.2.1"},"status":1,
		"down_event_handler":1,"up_event_handler":2,"main_ip":"192.0.2.10","backup_ip_1":"","backup_ip_2":"192.0.2.20",
		"backup_ip_3":"","backup_ip_4":"","backup_ip_5":"","state":"0","monitoring_region":"de"}`
	var w wireFailover
	require.NoError(t, json.Unmarshal([]byte(body), &w))
	f, main, err := modelFailover(w)
	require.NoError(t, err)
	want := &model.Failover{Check: "dns", Settings: model.FailoverSettings{Host: "ns.example.test", QueryType: "A", QueryResponse: "192.0.2.1", Region: "de"},
		Down: "deactivate", Up: "stop-monitoring", BackupIPs: []string{"192.0.2.20"}, Active: false}
	assert.Empty(t, cmp.Diff(want, f), "failover read (-want +got)")
	assert.Equal(t, "192.0.2.10", main)
	w.DownEventHandler = 7
	f, _, err = modelFailover(w)
	require.NoError(t, err)
	assert.Equal(t, "unknown (ClouDNS down_event_handler 7)", f.Down, "an unknown handler")
}

// TestFailoverOnEveryRecord: a set's failover is on each record, each
// watching its own value; a value added later gets it too.
func TestFailoverOnEveryRecord(t *testing.T) {
	e := newEnv(t, nil)
	f := &model.Failover{Check: "ping", Down: "deactivate", Up: "main-ips", Active: true}
	e.mustSync(t, zoneOf(t, "example.test", withFailover(set("pool", "AAAA", "2001:db8::1", "2001:db8::2"), f)))
	e.fake.Faults().ResetCounts()
	e.mustSync(t, zoneOf(t, "example.test", withFailover(set("pool", "AAAA", "2001:db8::1", "2001:db8::2", "2001:db8::3"), f)))
	assert.Equal(t, 1, e.fake.Faults().Calls("failover-activate"), "failover-activate calls for the added value")
	recs := onlyRecord(t, e, "pool", "AAAA")
	require.Len(t, recs, 3)
	for _, r := range recs {
		require.NotNil(t, r.Failover, r.Record)
		assert.Equal(t, r.Record, r.Failover.MainIP, "main_ip of %s", r.Record)
		assert.Equal(t, 17, r.Failover.CheckType, "check_type of %s", r.Record)
	}
}

// TestFailoverInconsistentSet: records of one set that disagree read as
// a failover the plan must change, and applying it evens them out.
func TestFailoverInconsistentSet(t *testing.T) {
	e := newEnv(t, nil)
	f := &model.Failover{Check: "tcp", Settings: model.FailoverSettings{Port: 25}, Down: "notify", Up: "notify", Active: true}
	e.mustSync(t, zoneOf(t, "example.test", set("mx", "A", "192.0.2.1")))
	_, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "mx", Record: "192.0.2.2", TTL: 3600,
		Failover: &fake.Failover{CheckType: 8, State: 1, MainIP: "192.0.2.2", Settings: map[string]string{"port": "25"}}})
	require.NoError(t, err)
	desired := zoneOf(t, "example.test", withFailover(set("mx", "A", "192.0.2.1", "192.0.2.2"), f))
	zp, _ := e.planFor(t, desired)
	require.Equal(t, []string{"update_failover mx A"}, opsOf(zp))
	assert.Equal(t, inconsistentCheck, zp.Operations[0].Before.Failover.Check)
	e.fake.Faults().ResetCounts()
	e.mustSync(t, desired)
	assert.Equal(t, 1, e.fake.Faults().Calls("failover-activate"), "failover-activate calls")
	assert.Equal(t, 1, e.fake.Faults().Calls("failover-modify"), "failover-modify calls")
}

func TestFailoverMainIPMismatchReadsInconsistent(t *testing.T) {
	e := newEnv(t, nil)
	e.seeded(t)
	_, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "x", Record: "192.0.2.7", TTL: 3600,
		Failover: &fake.Failover{CheckType: 17, State: 1, MainIP: "192.0.2.8", Settings: map[string]string{}}})
	require.NoError(t, err)
	live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.NoError(t, err)
	f := live.Find("x", "A").Failover
	require.NotNil(t, f, "a failover watching another IP")
	assert.Equal(t, inconsistentCheck, f.Check, "a failover watching another IP")
}

func TestFailoverTooManyBackupIPs(t *testing.T) {
	e := newEnv(t, nil)
	live := e.seeded(t)
	e.fake.Faults().ResetCounts()
	f := &model.Failover{Check: "ping", Down: "backup-ips", Up: "main-ips", Active: true,
		BackupIPs: []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"}}
	err := e.applyOne(live, &plan.Operation{Action: plan.CreateFailover, Name: "www", Type: "A", After: &plan.State{Failover: f}})
	assert.EqualError(t, err, "cloudns: failover-activate www A in example.test: failover has 6 backup IPs; ClouDNS takes at most 5 (backup_ip_1..backup_ip_5)")
	assert.Empty(t, e.fake.Faults().AllCalls(), "calls made before refusing")
}

func TestFailoverRefusedOnOtherTypes(t *testing.T) {
	e := newEnv(t, nil)
	require.NoError(t, e.fake.Seed(zoneOf(t, "example.test", set("t", "TXT", "x"))))
	live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.NoError(t, err)
	err = e.applyOne(live, &plan.Operation{Action: plan.CreateFailover, Name: "t", Type: "TXT",
		After: &plan.State{Failover: &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}}})
	assert.EqualError(t, err, `cloudns: failover-activate t TXT in example.test: "DNS Failover is available only for A and AAAA records."`)
}

// TestFailoverModifyKeepsUnmodeledSettings: modify replaces the settings as
// a whole, so what zonesync does not model (set in the control panel) is
// sent back as it was read.
func TestFailoverModifyKeepsUnmodeledSettings(t *testing.T) {
	e := newEnv(t, nil)
	e.seeded(t)
	_, err := e.fake.PutRecord("example.test", fake.Record{Type: "A", Host: "db", Record: "192.0.2.40", TTL: 3600,
		Failover: &fake.Failover{CheckType: 17, State: 1, MainIP: "192.0.2.40",
			Settings: map[string]string{"latency_limit": "120", "timeout": "3"},
			Other:    map[string]string{"check_period": "60", "notification_mail": "ops@example.test"}}})
	require.NoError(t, err)
	f := &model.Failover{Check: "ping", Down: "deactivate", Up: "main-ips", Active: true}
	e.mustSync(t, zoneOf(t, "example.test", set("www", "A", "192.0.2.1"), withFailover(set("db", "A", "192.0.2.40"), f)))
	want := &fake.Failover{CheckType: 17, DownEventHandler: 1, UpEventHandler: 1, State: 1, MainIP: "192.0.2.40",
		Settings: map[string]string{"latency_limit": "120", "timeout": "3"},
		Other:    map[string]string{"check_period": "60", "notification_mail": "ops@example.test"}}
	assert.Empty(t, cmp.Diff(want, onlyRecord(t, e, "db", "A")[0].Failover), "failover at ClouDNS after the modify (-want +got)")
	assert.Equal(t, 1, e.fake.Faults().Calls("failover-modify"), "failover-modify calls")
}
