package cloudns

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

func slaveZone(masters ...string) *model.Zone {
	return &model.Zone{Name: "slave.test", Provider: "cloudns", Mode: model.Slave, TTL: 3600, Masters: masters}
}

// TestSlaveZone creates a slave zone with three masters, then replaces one.
func TestSlaveZone(t *testing.T) {
	e := newEnv(t, nil)
	zp := e.mustSync(t, slaveZone("192.0.2.53", "198.51.100.53", "2001:db8::53"))
	assert.Equal(t, []string{"create_zone"}, opsOf(zp))
	calls := e.fake.Faults().AllCalls()
	assert.Equal(t, []int{1, 2}, []int{calls["register"], calls["add-master-server"]},
		"register (with the first master) and add-master-server calls; all calls %v", calls)
	assert.Equal(t, "slave", e.fake.ZoneType("slave.test"), "zone type")
	live, err := e.p.ReadZone(context.Background(), "slave.test", providers.ReadOptions{})
	require.NoError(t, err)
	want := &model.Zone{Name: "slave.test", Mode: model.Slave, Masters: []string{"192.0.2.53", "198.51.100.53", "2001:db8::53"}}
	assert.Empty(t, cmp.Diff(want, live), "read back (-want +got)")

	e.fake.Faults().ResetCounts()
	zp = e.mustSync(t, slaveZone("192.0.2.53", "2001:db8::53", "203.0.113.53"))
	assert.Equal(t, []string{"update_masters"}, opsOf(zp))
	// master-servers: the plan's read, apply's read before the change,
	// apply's own for the ids, and mustSync's read for the plan after.
	want2 := map[string]int{"get-zone-info": 3, "master-servers": 4, "add-master-server": 1, "delete-master-server": 1}
	assert.Empty(t, cmp.Diff(want2, e.fake.Faults().AllCalls()), "calls (-want +got)")
	assert.Equal(t, []string{"192.0.2.53", "2001:db8::53", "203.0.113.53"}, e.fake.Masters("slave.test"), "masters at ClouDNS")
}

// TestSwitchModeRefused: the API cannot change a zone's type, and zonesync
// will not delete and re-create it; the operations after it are skipped.
func TestSwitchModeRefused(t *testing.T) {
	e := newEnv(t, nil)
	require.NoError(t, e.fake.Seed(slaveZone("192.0.2.53")))
	desired := zoneOf(t, "slave.test", set("www", "A", "192.0.2.1"))
	zp, rep := e.run(t, desired)
	require.Equal(t, []string{"switch_mode", "create www A"}, opsOf(zp))
	sw, create := rep.Results[0], rep.Results[1]
	assert.Equal(t, apply.Failed, sw.Status)
	assert.Contains(t, sw.Error, "cloudns: switch_mode in slave.test: cannot change the zone from slave to master: the ClouDNS API has no call")
	assert.Contains(t, sw.Error, "zonesync will not delete and re-create the zone")
	assert.Equal(t, apply.Skipped, create.Status, "the create after a refused switch")
	assert.Equal(t, "slave", e.fake.ZoneType("slave.test"), "zone type")
	assert.Empty(t, cmp.Diff(map[string]int{"get-zone-info": 2, "master-servers": 2}, e.fake.Faults().AllCalls()),
		"calls: the plan's read and apply's before the first change, no change (-want +got)")
}
