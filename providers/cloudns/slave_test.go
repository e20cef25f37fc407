package cloudns

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

func slaveZone(masters ...string) *model.Zone {
	return &model.Zone{Name: "slave.test", Provider: "cloudns", Mode: model.Slave, TTL: 3600, Masters: masters}
}

// TestSlaveZone creates a slave zone with three masters, then replaces one.
func TestSlaveZone(t *testing.T) {
	e := newEnv(t, nil)
	zp := e.mustSync(t, slaveZone("192.0.2.53", "198.51.100.53", "2001:db8::53"))
	if len(zp.Operations) != 1 || zp.Operations[0].Action != plan.CreateZone {
		t.Fatalf("plan %+v", zp.Operations)
	}
	calls := e.fake.Faults().AllCalls()
	if calls["register"] != 1 || calls["add-master-server"] != 2 {
		t.Fatalf("calls %v; want register 1 (with the first master) and add-master-server 2", calls)
	}
	if got := e.fake.ZoneType("slave.test"); got != "slave" {
		t.Fatalf("zone type %q", got)
	}
	live, err := e.p.ReadZone(context.Background(), "slave.test", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if live.Mode != model.Slave || !reflect.DeepEqual(live.Masters, []string{"192.0.2.53", "198.51.100.53", "2001:db8::53"}) || live.Records != nil || live.SOA != nil {
		t.Fatalf("read back %+v", live)
	}

	e.fake.Faults().ResetCounts()
	zp = e.mustSync(t, slaveZone("192.0.2.53", "2001:db8::53", "203.0.113.53"))
	if len(zp.Operations) != 1 || zp.Operations[0].Action != plan.UpdateMasters {
		t.Fatalf("plan %+v", zp.Operations)
	}
	calls = e.fake.Faults().AllCalls()
	if calls["add-master-server"] != 1 || calls["delete-master-server"] != 1 || calls["master-servers"] != 4 {
		t.Fatalf("calls %v; want master-servers 4 (plan, apply's read before the change, apply, the check read), add 1, delete 1", calls)
	}
	if got := e.fake.Masters("slave.test"); !reflect.DeepEqual(got, []string{"192.0.2.53", "2001:db8::53", "203.0.113.53"}) {
		t.Fatalf("masters at ClouDNS %v", got)
	}
}

// TestSwitchModeRefused: the API cannot change a zone's type, and zonesync
// will not delete and re-create it; the operations after it are skipped.
func TestSwitchModeRefused(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.fake.Seed(slaveZone("192.0.2.53")); err != nil {
		t.Fatal(err)
	}
	desired := zoneOf(t, "slave.test", set("www", "A", "192.0.2.1"))
	zp, rep := e.run(t, desired)
	if len(zp.Operations) != 2 || zp.Operations[0].Action != plan.SwitchMode {
		t.Fatalf("plan %+v", zp.Operations)
	}
	sw, create := rep.Results[0], rep.Results[1]
	if sw.Status != apply.Failed || !strings.Contains(sw.Error, "cloudns: switch_mode in slave.test: cannot change the zone from slave to master: the ClouDNS API has no call") ||
		!strings.Contains(sw.Error, "zonesync will not delete and re-create the zone") {
		t.Fatalf("switch_mode: %s: %s", sw.Status, sw.Error)
	}
	if create.Status != apply.Skipped {
		t.Fatalf("create after a refused switch: %s", create.Status)
	}
	if e.fake.ZoneType("slave.test") != "slave" || len(e.fake.Faults().AllCalls()) != 2 {
		t.Fatalf("the zone was touched: type %s, calls %v", e.fake.ZoneType("slave.test"), e.fake.Faults().AllCalls())
	}
}
