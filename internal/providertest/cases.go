package providertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// samples are one record set per type, with values that exercise the
// type's presentation form. Targets are inside the zone (%[1]s).
var samples = []struct {
	name, rrtype string
	values       []string
}{
	{"a", "A", []string{"192.0.2.1"}},
	{"aaaa", "AAAA", []string{"2001:db8::1"}},
	// IPv4-mapped: must read back as written, or it is updated every run.
	{"mapped", "AAAA", []string{"::ffff:192.0.2.1"}},
	{"cname", "CNAME", []string{"target.%[1]s."}},
	{"mx", "MX", []string{"10 mail1.%[1]s.", "20 mail2.%[1]s."}},
	{"txt", "TXT", []string{"v=spf1 -all", `quotes "inside" and a back\slash`}},
	{"txtlong", "TXT", []string{strings.Repeat("0123456789abcdef", 20)}},
	{"_sip._tcp", "SRV", []string{"10 60 5060 sip.%[1]s."}},
	{"caa", "CAA", []string{`0 issue "letsencrypt.org"`}},
	{"sub", "NS", []string{"ns1.%[1]s.", "ns2.%[1]s."}},
	{"ptr", "PTR", []string{"host.%[1]s."}},
	{"spf", "SPF", []string{"v=spf1 mx -all"}},
	// A DS belongs at a delegation (RFC 4035 §2.4): beside the sub NS set.
	{"sub", "DS", []string{"60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"}},
	{"_443._tcp.tlsa", "TLSA", []string{"3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
	{"sshfp", "SSHFP", []string{"1 1 0123456789abcdef0123456789abcdef01234567"}},
	{"naptr", "NAPTR", []string{`100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .`}},
}

// supportedSamples returns the samples the provider can hold, with the
// zone name filled in.
func (s *suite) supportedSamples() []rec {
	var out []rec
	for _, smp := range samples {
		if !s.has(smp.rrtype) {
			continue
		}
		r := rec{name: smp.name, rrtype: smp.rrtype}
		for _, v := range smp.values {
			if strings.Contains(v, "%[1]s") {
				v = fmt.Sprintf(v, s.h.Zone)
			}
			r.values = append(r.values, v)
		}
		out = append(out, r)
	}
	return out
}

func testReadMissing(t *testing.T, s *suite) {
	_, err := s.h.Provider.ReadZone(context.Background(), "zonesync-missing-zone.invalid", providers.ReadOptions{})
	require.ErrorIs(t, err, providers.ErrZoneNotFound, "ReadZone of a zone that does not exist")
}

func testListZones(t *testing.T, s *suite) {
	s.sync(t, s.zone(t, rec{name: "a", rrtype: "A", values: []string{"192.0.2.1"}}))
	zones, err := s.h.Provider.ListZones(context.Background())
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("the provider cannot list zones: %v", err)
	}
	require.NoError(t, err, "ListZones")
	require.Contains(t, zones, s.h.Zone, "ListZones")
	assert.IsNonDecreasing(t, zones, "ListZones is not sorted")
}

func testEveryType(t *testing.T, s *suite) {
	records := s.supportedSamples()
	require.NotEmpty(t, records, "the provider supports none of the sample record types")
	zp := s.sync(t, s.zone(t, records...))
	assert.Equal(t, len(records), countActions(zp, plan.Create), "record sets the plan created:\n%s", describeOps(zp))
	t.Logf("created and read back %d record types", len(records))
}

func testUpdateValues(t *testing.T, s *suite) {
	base := []rec{
		{name: "www", rrtype: "A", values: []string{"192.0.2.1", "192.0.2.2"}},
		{name: "@", rrtype: "MX", values: []string{"10 mx1." + s.h.Zone + "."}},
		{name: "txt", rrtype: "TXT", values: []string{"before"}},
	}
	s.sync(t, s.zone(t, base...))
	changed := []rec{
		{name: "www", rrtype: "A", values: []string{"192.0.2.2", "192.0.2.3"}},
		{name: "@", rrtype: "MX", values: []string{"20 mx1." + s.h.Zone + "."}},
		{name: "txt", rrtype: "TXT", values: []string{"after"}},
	}
	zp := s.sync(t, s.zone(t, changed...))
	assert.Equal(t, 3, countActions(zp, plan.Update), "updates in the plan:\n%s", describeOps(zp))
	assert.Zero(t, countActions(zp, plan.Create)+countActions(zp, plan.Delete), "a change of values planned creates/deletes, want updates only:\n%s", describeOps(zp))
}

// testTXTStrings: a TXT record of several strings (DNS-SD key=value pairs)
// keeps its boundaries through an apply that changes something else, and a
// change of boundaries alone is an update.
func testTXTStrings(t *testing.T, s *suite) {
	if !s.caps.TXTStrings {
		t.Skip("the provider keeps a TXT record as one text (TXTStrings false): validate refuses other string boundaries")
	}
	dnssd := rec{name: "lab._ipp._tcp", rrtype: "TXT", txt: [][]string{{"txtvers=1", "rp=printers/lab", "note=2nd floor"}}}
	s.sync(t, s.zone(t, dnssd, rec{name: "www", rrtype: "A", values: []string{"192.0.2.1"}}))
	s.sync(t, s.zone(t, dnssd, rec{name: "www", rrtype: "A", values: []string{"192.0.2.2"}}))
	for _, next := range []rec{
		{name: "lab._ipp._tcp", rrtype: "TXT", txt: [][]string{{"txtvers=1", "rp=printers/labnote=2nd floor"}}},
		{name: "lab._ipp._tcp", rrtype: "TXT", values: []string{"txtvers=1rp=printers/labnote=2nd floor"}},
		{name: "lab._ipp._tcp", rrtype: "TXT", txt: [][]string{{"", "x"}, {strings.Repeat("y", 255), "z"}}},
	} {
		zp := s.sync(t, s.zone(t, next, rec{name: "www", rrtype: "A", values: []string{"192.0.2.2"}}))
		assert.Equal(t, []plan.Action{plan.Update}, actions(zp), "new string boundaries planned:\n%s", describeOps(zp))
	}
}

func testTTL(t *testing.T, s *suite) {
	if s.caps.ZoneTTL {
		z := s.zone(t, rec{name: "www", rrtype: "A", values: []string{"192.0.2.1"}})
		s.sync(t, z)
		z2 := s.zone(t, rec{name: "www", rrtype: "A", values: []string{"192.0.2.1"}})
		z2.TTL = s.ttl(1)
		for _, rs := range z2.Records {
			rs.TTL = z2.TTL
		}
		zp := s.sync(t, z2)
		require.Equal(t, []plan.Action{plan.UpdateTTL}, actions(zp), "a zone TTL change planned:\n%s", describeOps(zp))
		require.Equal(t, z2.TTL, s.read(t).TTL, "zone TTL read back")
		return
	}
	s.sync(t, s.zone(t, rec{name: "www", rrtype: "A", ttl: s.ttl(0), values: []string{"192.0.2.1", "192.0.2.2"}}))
	zp := s.sync(t, s.zone(t, rec{name: "www", rrtype: "A", ttl: s.ttl(1), values: []string{"192.0.2.1", "192.0.2.2"}}))
	require.Equal(t, []plan.Action{plan.Update}, actions(zp), "a TTL change planned:\n%s", describeOps(zp))
}

func testDelete(t *testing.T, s *suite) {
	s.sync(t, s.zone(t,
		rec{name: "keep", rrtype: "A", values: []string{"192.0.2.1"}},
		rec{name: "gone", rrtype: "A", values: []string{"192.0.2.2"}},
		rec{name: "gone", rrtype: "TXT", values: []string{"bye"}},
	))
	zp := s.sync(t, s.zone(t, rec{name: "keep", rrtype: "A", values: []string{"192.0.2.1"}}))
	assert.Equal(t, 2, countActions(zp, plan.Delete), "deletes in the plan:\n%s", describeOps(zp))
}

func testManyValues(t *testing.T, s *suite) {
	var ips []string
	for i := 1; i <= 25; i++ {
		ips = append(ips, fmt.Sprintf("192.0.2.%d", i))
	}
	s.sync(t, s.zone(t, rec{name: "pool", rrtype: "A", values: ips}))
	s.sync(t, s.zone(t, rec{name: "pool", rrtype: "A", values: append(ips[5:], "198.51.100.1", "198.51.100.2")}))
}

func testNames(t *testing.T, s *suite) {
	s.sync(t, s.zone(t,
		rec{name: "*", rrtype: "A", values: []string{"192.0.2.1"}},
		rec{name: "*.wild", rrtype: "A", values: []string{"192.0.2.2"}},
		rec{name: "_dmarc", rrtype: "TXT", values: []string{"v=DMARC1; p=reject"}},
		rec{name: "a-b.c_d", rrtype: "A", values: []string{"192.0.2.3"}},
		rec{name: "deep.er.name", rrtype: "AAAA", values: []string{"2001:db8::3"}},
	))
}

func testCNAMEConflict(t *testing.T, s *suite) {
	s.sync(t, s.zone(t,
		rec{name: "x", rrtype: "A", values: []string{"192.0.2.1"}},
		rec{name: "y", rrtype: "CNAME", values: []string{"x." + s.h.Zone + "."}},
	))
	zp := s.sync(t, s.zone(t,
		rec{name: "x", rrtype: "CNAME", values: []string{"y." + s.h.Zone + "."}},
		rec{name: "y", rrtype: "A", values: []string{"192.0.2.2"}},
	))
	// Each name's old data must go before its new data arrives.
	pos := map[string]int{}
	for i, op := range zp.Operations {
		pos[string(op.Action)+" "+op.Name+" "+op.Type] = i
	}
	require.LessOrEqual(t, pos["delete x A"], pos["create x CNAME"], "deletes do not precede the conflicting creates:\n%s", describeOps(zp))
	require.LessOrEqual(t, pos["delete y CNAME"], pos["create y A"], "deletes do not precede the conflicting creates:\n%s", describeOps(zp))
}

func testSOA(t *testing.T, s *suite) {
	if len(s.caps.SOA) == 0 {
		t.Skip("the provider lets zonesync set no SOA field (its capabilities say so)")
	}
	s.sync(t, s.zone(t, rec{name: "a", rrtype: "A", values: []string{"192.0.2.1"}}))
	for round, pick := range []func(r model.Range) uint32{
		func(r model.Range) uint32 { return r.Min },
		func(r model.Range) uint32 { return r.Max },
	} {
		z := s.zone(t, rec{name: "a", rrtype: "A", values: []string{"192.0.2.1"}})
		want := &model.SOA{}
		for _, f := range s.caps.SOA {
			r, ok := s.caps.SOARanges[f]
			if !ok {
				r = model.Range{Min: 300, Max: 1209600}
			}
			v := pick(r)
			switch f {
			case "primary_ns":
				want.PrimaryNS = fmt.Sprintf("ns%d.%s.", round+1, s.h.Zone)
			case "admin_mail":
				want.AdminMail = fmt.Sprintf("dns%d@%s", round+1, s.h.Zone)
			case "refresh":
				want.Refresh = v
			case "retry":
				want.Retry = v
			case "expire":
				want.Expire = v
			case "minimum":
				want.Minimum = v
			}
		}
		z.SOA = want
		zp := s.sync(t, z)
		require.Equal(t, 1, countActions(zp, plan.UpdateSOA), "round %d: update_soa in the plan:\n%s", round, describeOps(zp))
		got := s.read(t).SOA
		require.NotNil(t, got, "round %d: no SOA read back", round)
		if d := cmp.Diff(*want.Merge(got), *got); d != "" {
			t.Fatalf("round %d: SOA read back lacks fields of %+v (-want +got):\n%s", round, want, d)
		}
	}
}

func testIgnore(t *testing.T, s *suite) {
	all := []rec{
		{name: "managed", rrtype: "A", values: []string{"192.0.2.1"}},
		{name: "_acme-challenge", rrtype: "TXT", values: []string{"token-1"}},
		{name: "home.dyn", rrtype: "A", values: []string{"192.0.2.7"}},
	}
	s.sync(t, s.zone(t, all...))
	z := s.zone(t, rec{name: "managed", rrtype: "A", values: []string{"192.0.2.2"}})
	z.Ignore = []model.IgnoreRule{{Name: "_acme-challenge", Type: "TXT"}, {Name: "*.dyn"}}
	zp := s.sync(t, z)
	require.Len(t, actions(zp), 1, "plan touches ignored records:\n%s", describeOps(zp))
	require.Equal(t, "managed", zp.Operations[0].Name, "plan touches ignored records:\n%s", describeOps(zp))
	live := s.read(t)
	for _, r := range all[1:] {
		assert.NotNil(t, live.Find(r.name, r.rrtype), "ignored record %s %s was removed", r.name, r.rrtype)
	}
}

func testFailover(t *testing.T, s *suite) {
	if !s.caps.Failover {
		t.Skip("the provider has no failover (its capabilities say so)")
	}
	check := "http"
	if s.caps.FailoverChecks != nil && !slices.Contains(s.caps.FailoverChecks, check) {
		check = s.caps.FailoverChecks[0]
	}
	f := &model.Failover{Check: check, Settings: model.FailoverSettings{Host: "www." + s.h.Zone, Port: 80, Path: "/health"},
		Down: "backup-ips", Up: "main-ips", BackupIPs: []string{"192.0.2.99"}, Active: true}
	www := func(f *model.Failover) rec {
		return rec{name: "www", rrtype: "A", values: []string{"192.0.2.10"}, failover: f}
	}
	zp := s.sync(t, s.zone(t, www(f)))
	require.Equal(t, 1, countActions(zp, plan.CreateFailover), "create_failover in the plan:\n%s", describeOps(zp))
	changed := *f
	changed.Settings.Path = "/ready"
	changed.BackupIPs = []string{"192.0.2.98"}
	zp = s.sync(t, s.zone(t, www(&changed)))
	require.Equal(t, 1, countActions(zp, plan.UpdateFailover), "update_failover in the plan:\n%s", describeOps(zp))
	paused := changed
	paused.Active = false
	s.sync(t, s.zone(t, www(&paused)))
	got := s.read(t).Find("www", "A")
	require.NotNil(t, got, "www A after pausing its failover")
	require.NotNil(t, got.Failover, "paused failover reads back as %+v", got)
	require.False(t, got.Failover.Active, "paused failover reads back as %+v", got.Failover)
	zp = s.sync(t, s.zone(t, www(nil)))
	require.Equal(t, 1, countActions(zp, plan.DeleteFailover), "delete_failover in the plan:\n%s", describeOps(zp))
}

// testZoneChanged: another writer's change after a plan was made shows in
// the zone read again, so its live digest is no longer the plan's. That is
// what apply refuses a stale plan on (apply/claim_test.go has the rest:
// nothing of such a plan is carried out).
func testZoneChanged(t *testing.T, s *suite) {
	www := func(value string) rec { return rec{name: "www", rrtype: "A", values: []string{value}} }
	s.sync(t, s.zone(t, www("192.0.2.1")))
	ours := s.zone(t, www("192.0.2.1"), rec{name: "ours", rrtype: "A", values: []string{"192.0.2.2"}})
	zp := s.plan(t, ours)
	require.Equal(t, zp.LiveDigest, s.plan(t, ours).LiveDigest, "two reads of an unchanged zone give different live digests")
	s.sync(t, s.zone(t, www("192.0.2.9"))) // the other writer, from its own read
	now := s.read(t)
	assert.NotEqual(t, zp.LiveDigest, plan.LiveDigest(ours, now, s.caps), "the zone read after another writer's change has the plan's live digest: apply would carry out the stale plan")
	if got := now.Find("www", "A"); assert.NotNil(t, got, "www A after the other writer's change") {
		assert.Equal(t, []string{"192.0.2.9"}, got.Values, "www A after the other writer's change")
	}
}
