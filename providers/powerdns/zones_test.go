package powerdns

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// zoneKind reads a zone's kind and masters straight from the server.
func zoneKind(t *testing.T, srv *pdnstest.Server, zone string) (string, []string) {
	t.Helper()
	var z wireZone
	srv.MustDo(t, 200, "GET", "/api/v1/servers/localhost/zones?zone="+zone+".", nil, &[]*wireZone{&z})
	return z.Kind, z.Masters
}

// TestZoneKinds: create_zone makes a Master zone (or Native, with
// master_kind), a slave zone is a Slave with its masters, switch_mode
// changes the kind, and update_masters the masters.
func TestZoneKinds(t *testing.T) {
	srv := pdnstest.Require(t)
	p := newProvider(t, srv)

	master := srv.ZoneName()
	mustSync(t, p, zoneOf(t, master, "www A 300 192.0.2.1"))
	kind, _ := zoneKind(t, srv, master)
	assert.Equal(t, KindMaster, kind)

	s := settings(srv, "")
	s.MasterKind = KindNative
	native, err := New(s)
	require.NoError(t, err)
	nz := srv.ZoneName()
	mustSync(t, native, zoneOf(t, nz, "www A 300 192.0.2.1"))
	kind, _ = zoneKind(t, srv, nz)
	assert.Equal(t, KindNative, kind)

	slave := srv.ZoneName()
	want := &zsmodel.Zone{Name: slave, Provider: "pdns", Mode: zsmodel.Slave, Masters: []string{"192.0.2.53", "2001:db8::53"}, TTL: 3600}
	mustSync(t, p, want)
	kind, masters := zoneKind(t, srv, slave)
	assert.Equal(t, KindSlave, kind)
	assert.ElementsMatch(t, want.Masters, masters)
	live := read(t, p, slave)
	assert.Equal(t, zsmodel.Slave, live.Mode)
	assert.Equal(t, want.Masters, live.Masters)

	want.Masters = []string{"192.0.2.54"}
	zp := mustSync(t, p, want)
	require.Len(t, zp.Operations, 1)
	assert.Equal(t, "update_masters", string(zp.Operations[0].Action))
	_, masters = zoneKind(t, srv, slave)
	assert.Equal(t, []string{"192.0.2.54"}, masters)

	// A master switched to slave, and back.
	toSlave := &zsmodel.Zone{Name: master, Provider: "pdns", Mode: zsmodel.Slave, Masters: []string{"192.0.2.53"}, TTL: 3600}
	mustSync(t, p, toSlave)
	kind, masters = zoneKind(t, srv, master)
	assert.Equal(t, KindSlave, kind)
	assert.Equal(t, []string{"192.0.2.53"}, masters)
	mustSync(t, p, zoneOf(t, master, "www A 300 192.0.2.2"))
	kind, masters = zoneKind(t, srv, master)
	assert.Equal(t, KindMaster, kind)
	assert.Empty(t, masters)
}

// TestNativeZoneIsMaster: a Native zone reads as a master zone, so a spec
// of mode master plans no switch.
func TestNativeZoneIsMaster(t *testing.T) {
	srv := pdnstest.Require(t)
	p := newProvider(t, srv)
	zone := srv.NewZone(t, KindNative)
	live := read(t, p, zone)
	assert.Equal(t, zsmodel.Master, live.Mode)
	assert.Empty(t, mustPlan(t, p, zoneOf(t, zone), live).Operations)
}

// TestSlaveWithoutDataBecomesMaster: a slave zone that never transferred
// has no SOA; switched to master it gets one, so that it is served, and
// the spec's SOA fields then apply to it.
func TestSlaveWithoutDataBecomesMaster(t *testing.T) {
	srv := pdnstest.Require(t)
	p := newProvider(t, srv)
	zone := srv.ZoneName()
	srv.MustDo(t, 201, "POST", "/api/v1/servers/localhost/zones", obj{"name": zone + ".", "kind": "Slave", "masters": []string{"192.0.2.53"}}, nil)
	desired := zoneOf(t, zone, "@ NS 3600 ns1."+zone+".", "ns1 A 300 192.0.2.1")
	desired.SOA = soa("ns1."+zone+".", "hostmaster@"+zone, 7200, 1800, 1209600, 300)
	mustSync(t, p, desired)
	r, err := srv.Query(zone, dns.TypeSOA, false)
	require.NoError(t, err)
	require.Len(t, r.Answer, 1, "SOA served: %v", r)
	got := r.Answer[0].(*dns.SOA)
	assert.Equal(t, "ns1."+zone+".", got.Ns)
	assert.Equal(t, uint32(7200), got.Refresh)
}
