package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

// zone builds a zone from "name TYPE ttl value|value" lines.
func zone(t *testing.T, lines ...string) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: "example.com", Provider: "p", Mode: model.Master, TTL: 3600}
	for _, l := range lines {
		f := strings.SplitN(l, " ", 4)
		var ttl uint32
		fmt.Sscan(f[2], &ttl)
		rs, err := model.NewRecordSet(f[0], f[1], ttl, strings.Split(f[3], "|")...)
		require.NoError(t, err)
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

func ops(zp *ZonePlan) []string {
	var out []string
	for _, op := range zp.Operations {
		s := string(op.Action)
		if op.Name != "" {
			s += " " + op.Name + " " + op.Type
		}
		out = append(out, s)
	}
	return out
}

var allCaps = model.Capabilities{SOA: model.SOAFields, ApexNS: true, Failover: true, CreateZone: true}

func TestDiffOrder(t *testing.T) {
	desired := zone(t,
		"@ A 300 192.0.2.1",
		"alias CNAME 300 target.example.com.",
		"b A 300 192.0.2.2",
		"new A 300 192.0.2.3",
		"www A 300 192.0.2.4|192.0.2.5",
	)
	desired.SOA = &model.SOA{Refresh: 7200}
	live := zone(t,
		"@ A 300 192.0.2.1",
		"alias A 300 192.0.2.9",
		"alias TXT 300 old",
		"b CNAME 300 x.example.com.",
		"gone A 300 192.0.2.8",
		"www A 300 192.0.2.5|192.0.2.4",
	)
	live.SOA = &model.SOA{PrimaryNS: "ns.example.com.", Refresh: 3600, Serial: 7}
	zp := Diff(desired, live, allCaps)
	want := []string{
		"update_soa",
		"delete alias A", "delete alias TXT", "delete b CNAME", // clear the names first
		"create alias CNAME", "create b A", "create new A", // then create
		"delete gone A", // other deletes last
	}
	assert.Equal(t, want, ops(zp), "operations")
	for i, op := range zp.Operations {
		assert.Equal(t, i+1, op.Seq, "seq of operation %d", i)
	}
	soa := zp.Operations[0]
	assert.Equal(t, uint32(3600), soa.Before.SOA.Refresh, "update_soa before")
	assert.Equal(t, uint32(7200), soa.After.SOA.Refresh, "update_soa after")
	assert.Equal(t, "ns.example.com.", soa.After.SOA.PrimaryNS, "update_soa after")
	assert.Equal(t, uint32(0), soa.After.SOA.Serial, "update_soa after")
}

func TestDiffIsDeterministic(t *testing.T) {
	var lines []string
	for i := 0; i < 200; i++ {
		lines = append(lines, fmt.Sprintf("h%03d A 300 192.0.2.%d", i, i%250+1))
	}
	desired := zone(t, lines[:150]...)
	live := zone(t, lines[50:]...)
	first := ops(Diff(desired, live, allCaps))
	for i := 0; i < 5; i++ {
		require.Equal(t, first, ops(Diff(desired, live, allCaps)), "two diffs of the same zones differ")
	}
}

func TestDiffTTLAndValues(t *testing.T) {
	desired := zone(t, "a A 300 192.0.2.1|192.0.2.2", "b A 600 192.0.2.3", "c AAAA 300 2001:db8::1")
	live := zone(t, "a A 300 192.0.2.2|192.0.2.1", "b A 300 192.0.2.3", "c AAAA 300 2001:DB8:0::1")
	assert.Equal(t, []string{"update b A"}, ops(Diff(desired, live, allCaps)), "per-record TTL provider: only the TTL change of b")
	zoneTTL := model.Capabilities{ZoneTTL: true}
	desired.TTL, live.TTL = 600, 300
	assert.Equal(t, []string{"update_ttl"}, ops(Diff(desired, live, zoneTTL)), "zone TTL provider: one update_ttl and no record updates")
}

func TestManagedLeavesIgnoredAndApexNS(t *testing.T) {
	desired := zone(t, "www A 300 192.0.2.1")
	desired.Ignore = []model.IgnoreRule{{Name: "_acme-challenge", Type: "TXT"}, {Name: "*.dyn"}}
	live := zone(t,
		"@ NS 300 ns1.example.net.",
		"_acme-challenge TXT 60 token",
		"_acme-challenge A 60 192.0.2.50",
		"home.dyn A 60 192.0.2.7",
		"www A 300 192.0.2.1",
	)
	zp := Diff(desired, Managed(desired, live, allCaps), allCaps)
	assert.Equal(t, []string{"delete _acme-challenge A"}, ops(zp), "only the A that no rule covers is deleted")
	// Declaring apex NS makes them managed.
	desired2 := zone(t, "@ NS 300 ns2.example.net.", "www A 300 192.0.2.1")
	assert.Contains(t, ops(Diff(desired2, Managed(desired2, live, allCaps), allCaps)), "update @ NS", "declared apex NS not managed")
}

func TestDiffMissingZone(t *testing.T) {
	desired := zone(t, "www A 300 192.0.2.1")
	desired.SOA = &model.SOA{Refresh: 7200}
	zp := Diff(desired, nil, allCaps)
	assert.Equal(t, []string{"create_zone", "update_soa", "create www A"}, ops(zp), "operations")
	assert.Equal(t, "none", zp.LiveDigest, "live digest for a missing zone")
}

// The live digest covers the SOA only when the spec manages it: a provider
// may leave an unmanaged SOA out of its read, and a change to it does not
// make a saved plan stale.
func TestLiveDigestAndTheSOA(t *testing.T) {
	desired := zone(t, "www A 300 192.0.2.1")
	withSOA := zone(t, "www A 300 192.0.2.1")
	withSOA.SOA = &model.SOA{PrimaryNS: "ns1.example.com.", AdminMail: "admin.example.com.", Refresh: 3600, Retry: 600, Expire: 604800, Minimum: 300}
	otherSOA := zone(t, "www A 300 192.0.2.1")
	otherSOA.SOA = &model.SOA{PrimaryNS: "ns1.example.com.", AdminMail: "admin.example.com.", Refresh: 7200, Retry: 600, Expire: 604800, Minimum: 300}
	without := zone(t, "www A 300 192.0.2.1")
	digest := func(desired, live *model.Zone) string { return Diff(desired, live, allCaps).LiveDigest }
	a := digest(desired, withSOA)
	assert.Equal(t, a, digest(desired, otherSOA), "unmanaged SOA changes the live digest")
	assert.Equal(t, a, digest(desired, without), "unmanaged SOA changes the live digest")
	require.NotNil(t, withSOA.SOA, "the digest must not clear the live zone's SOA")
	desired.SOA = &model.SOA{Refresh: 3600}
	assert.NotEqual(t, digest(desired, withSOA), digest(desired, otherSOA), "a managed SOA's change does not change the live digest")
}

func TestDiffModes(t *testing.T) {
	slave := &model.Zone{Name: "example.com", Mode: model.Slave, Masters: []string{"192.0.2.53"}}
	live := zone(t, "www A 300 192.0.2.1")
	assert.Equal(t, []string{"switch_mode"}, ops(Diff(slave, Managed(slave, live, allCaps), allCaps)), "master -> slave: switch_mode only (records of a slave are not managed)")
	liveSlave := &model.Zone{Name: "example.com", Mode: model.Slave, Masters: []string{"192.0.2.1"}, TTL: 86400}
	assert.Equal(t, []string{"update_masters"}, ops(Diff(slave, liveSlave, allCaps)), "masters change")
	// A slave's TTL comes from its masters: never planned, even where the zone has one TTL.
	slave.TTL = 3600
	assert.NotContains(t, ops(Diff(slave, liveSlave, model.Capabilities{ZoneTTL: true, Slave: true})), "update_ttl", "slave zone TTL planned")
}

func TestFailoverOrdering(t *testing.T) {
	f := &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}
	desired := zone(t, "new A 300 192.0.2.1", "keep A 300 192.0.2.2")
	desired.Find("new", "A").Failover = f
	desired.Find("keep", "A").Failover = f
	live := zone(t, "keep A 300 192.0.2.2", "old A 300 192.0.2.3")
	live.Find("old", "A").Failover = f
	zp := Diff(desired, live, allCaps)
	want := []string{"create new A", "create_failover keep A", "create_failover new A", "delete_failover old A", "delete old A"}
	assert.Equal(t, want, ops(zp), "operations")
	deps := Dependencies(zp.Operations)
	assert.Equal(t, []int{0}, deps[2], "dependencies %v: failover of new needs its create", deps)
	assert.Equal(t, []int{3}, deps[4], "dependencies %v: the delete of old needs its failover gone", deps)
	assert.Empty(t, deps[1], "dependencies %v", deps)
}

func TestDependencies(t *testing.T) {
	desired := zone(t, "x CNAME 300 y.example.com.", "z A 300 192.0.2.1")
	live := zone(t, "x A 300 192.0.2.9", "w A 300 192.0.2.8")
	zp := Diff(desired, nil, allCaps)
	deps := Dependencies(zp.Operations)
	for i := 1; i < len(deps); i++ {
		assert.Contains(t, deps[i], 0, "operation %d does not depend on create_zone", i+1)
	}
	zp = Diff(desired, live, allCaps)
	// delete x A, create x CNAME, create z A, delete w A
	deps = Dependencies(zp.Operations)
	require.Equal(t, []string{"delete x A", "create x CNAME", "create z A", "delete w A"}, ops(zp), "operations")
	assert.Equal(t, []int{0}, deps[1], "dependencies %v", deps)
	assert.Empty(t, deps[2], "dependencies %v", deps)
	assert.Empty(t, deps[3], "dependencies %v", deps)
}

func TestCheckSafety(t *testing.T) {
	var lines []string
	for i := 0; i < 20; i++ {
		lines = append(lines, fmt.Sprintf("h%02d A 300 192.0.2.%d", i, i+1))
	}
	live := zone(t, lines...)
	desired := zone(t, lines[:12]...) // deletes 8 of 20 = 40%
	s := config.Safety{MaxDeletePercent: 30, MaxUpdatePercent: 30, MinExistingRecords: 10}
	zp := Diff(desired, live, allCaps)
	r := CheckSafety(zp, desired, live, s)
	if assert.Len(t, r, 1, "refusals") {
		assert.Contains(t, r[0], "delete 8 of 20 record sets (40%), above safety.max_delete_percent 30%")
	}
	s.MaxDeletePercent = 40
	assert.Empty(t, CheckSafety(zp, desired, live, s), "40% deletes at a 40% limit refused")
	s.MinExistingRecords = 21
	s.MaxDeletePercent = 0
	assert.Empty(t, CheckSafety(zp, desired, live, s), "a zone below min_existing_records refused")
	empty := zone(t)
	s = config.Safety{MaxDeletePercent: 30, MaxUpdatePercent: 30, MinExistingRecords: 10}
	r = CheckSafety(Diff(live, empty, allCaps), live, empty, s)
	if assert.Len(t, r, 1, "empty live answer not refused") {
		assert.Contains(t, r[0], "returned no records")
	}
	assert.Empty(t, CheckSafety(Diff(live, nil, allCaps), live, nil, s), "a new zone refused")
}

func TestIgnoredConflicts(t *testing.T) {
	desired := zone(t, "www CNAME 300 other.example.net.", "api A 300 192.0.2.1")
	desired.Ignore = []model.IgnoreRule{{Name: "www", Type: "TXT"}, {Name: "api", Type: "CNAME"}}
	live := zone(t, "www TXT 300 kept", "api CNAME 300 x.example.net.", "other TXT 300 fine")
	got := IgnoredConflicts(desired, live)
	want := []string{
		"example.com: api A cannot be created: the ignored live record set api CNAME holds the name, and a CNAME can hold no other data",
		"example.com: www CNAME cannot be created: the ignored live record set www TXT holds the name, and a CNAME can hold no other data",
	}
	assert.Equal(t, want, got, "conflicts")
	assert.Empty(t, IgnoredConflicts(zone(t, "www A 300 192.0.2.1"), live), "conflicts where there are none")
}

func TestOperationsDoNotShareLiveValues(t *testing.T) {
	desired := zone(t, "www A 300 192.0.2.1|192.0.2.9")
	live := zone(t, "www A 300 192.0.2.1|192.0.2.2")
	zp := Diff(desired, live, allCaps)
	live.Records[0].Values[1] = "changed by a provider"
	desired.Records[0].Values[1] = "changed too"
	assert.Equal(t, "192.0.2.2", zp.Operations[0].Before.Values[1], "before values follow the live zone")
	assert.Equal(t, "192.0.2.9", zp.Operations[0].After.Values[1], "after values follow the desired zone")
}
