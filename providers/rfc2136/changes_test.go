package rfc2136

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// TestLargeChange: 2,000 record sets do not fit in one UPDATE. They are
// split over several messages, each under 64 KiB, and all of them are
// read back; deleting them all is split the same way.
func TestLargeChange(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	const n = 2000
	var sets []set
	for i := range n {
		sets = append(sets, set{name: fmt.Sprintf("r%04d", i), rrtype: "TXT", values: []string{fmt.Sprintf("record %d of a large change, padded to make the message grow", i)}})
	}
	for _, step := range []struct {
		name   string
		want   *model.Zone
		action plan.Action
	}{
		{"create", desired(t, zone, sets...), plan.Create},
		{"delete", desired(t, zone), plan.Delete},
	} {
		t.Run(step.name, func(t *testing.T) {
			var messages, largest int
			p.sent = func(m *dns.Msg) {
				messages++
				largest = max(largest, m.Len()+tsigRoom)
			}
			defer func() { p.sent = nil }()
			start := time.Now()
			zp := syncZone(t, p, step.want)
			require.Len(t, zp.Operations, n)
			require.Equal(t, step.action, zp.Operations[0].Action)
			assert.GreaterOrEqual(t, messages, 2, "UPDATE messages for %d %ss, which cannot fit in one", n, step.action)
			assert.LessOrEqual(t, largest, dns.MaxMsgSize, "bytes of the largest UPDATE")
			if step.action == plan.Create {
				assert.Len(t, read(t, p, zone).Records, n+1, "record sets read back: the created ones and the apex NS")
			}
			t.Logf("%d %ss in %d messages (largest %d bytes) in %s", n, step.action, messages, largest, time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestSOA: the SOA fields a spec sets are changed; the serial is the
// server's and grows, and the index keeps the one the change left, so
// that the next Apply call of the zone, given the zone as read before,
// holds the zone to it; a change of the SOA made meanwhile refuses the
// operation.
func TestSOA(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	before := read(t, p, zone).SOA
	want := desired(t, zone)
	want.SOA = &model.SOA{PrimaryNS: "ns1.example.net.", AdminMail: "dns.admin@example.net", Refresh: 1000, Retry: 900, Expire: 604800, Minimum: 300}

	zp, live := makePlan(t, p, want)
	for _, r := range run(t, p, want, live, zp) {
		require.Equal(t, apply.OK, r.Status, "%s: %s", r.Action, r.Error)
	}
	got := read(t, p, zone).SOA
	assert.Empty(t, cmp.Diff(got, want.SOA.Merge(got)), "SOA read back against the spec's fields (-got +want)")
	// zonesync's SOA update sets the current serial plus one, which named keeps.
	assert.Equal(t, before.Serial+1, got.Serial, "serial after the SOA change")
	assert.Equal(t, got.Serial, p.idx.serial(zone, before.Serial), "serial the index expects for the zone as read before the change")

	// The next Apply call, with the zone as read before the SOA change,
	// goes ahead: the serial moved by this provider's own change. To a
	// provider without that index the zone changed.
	create := func(name string) []*plan.Operation {
		return []*plan.Operation{{Seq: 1, Action: plan.Create, Name: name, Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}}}
	}
	require.NoError(t, p.Apply(context.Background(), live, create("next"))[0])
	assert.Equal(t, before.Serial, live.SOA.Serial, "serial of the live zone Apply was given, which is read-only")
	err := srv.provider(t, keyMain).Apply(context.Background(), live, create("other"))[0]
	assert.ErrorIs(t, err, providers.ErrZoneChanged)
	after := read(t, p, zone)
	assert.NotNil(t, after.Find("next", "A"), "next A")
	assert.Nil(t, after.Find("other", "A"), "other A")

	// Someone changes the SOA itself between plan and apply.
	soa := *want.SOA
	soa.Refresh = 2000
	want = desired(t, zone, set{name: "next", rrtype: "A", ttl: 300, values: []string{"192.0.2.1"}})
	want.SOA = &soa
	zp, live = makePlan(t, p, want)
	srv.update(t, zone, func(m *dns.Msg) {
		m.Insert([]dns.RR{rr(t, fmt.Sprintf("%s. 3600 IN SOA ns1.example.net. dns\\.admin.example.net. %d 1000 1800 604800 300", zone, after.SOA.Serial+1))})
	})
	res := run(t, p, want, live, zp)
	require.Len(t, res, 1)
	require.Equal(t, apply.Failed, res[0].Status, "update_soa after a concurrent SOA change")
	checkOneLine(t, res[0].Error, "zone "+zone+" at provider bind: the zone changed since it was read: make a new plan")
	s := read(t, p, zone).SOA
	assert.Equal(t, [2]uint32{1000, 1800}, [2]uint32{s.Refresh, s.Retry}, "refresh and retry after the failed SOA update: the other client's")
}

// TestUnsupportedActions: operations a spec for this provider cannot
// produce fail one by one, without touching the server.
func TestUnsupportedActions(t *testing.T) {
	p, err := New(Settings{Server: "127.0.0.1:1", TSIG: TSIGSettings{Name: "k", Secret: randomSecret(32)}})
	require.NoError(t, err)
	for _, a := range []plan.Action{plan.CreateZone, plan.SwitchMode, plan.UpdateMasters, plan.UpdateTTL, plan.CreateFailover, plan.UpdateFailover, plan.DeleteFailover} {
		errs := p.Apply(context.Background(), &model.Zone{Name: "example.test"}, []*plan.Operation{{Seq: 1, Action: a, Name: "www", Type: "A"}})
		if assert.Error(t, errs[0], a) {
			checkOneLine(t, errs[0].Error(), string(a)+" is not supported")
		}
	}
	errs := p.Apply(context.Background(), nil, []*plan.Operation{{Seq: 1, Action: plan.Create}})
	checkOneLine(t, fmt.Sprint(errs[0]), "no zone given")
}
