package rfc2136

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
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
			if len(zp.Operations) != n || zp.Operations[0].Action != step.action {
				t.Fatalf("plan has %d operations, want %d %s", len(zp.Operations), n, step.action)
			}
			if messages < 2 {
				t.Errorf("%d %ss went in %d UPDATE message(s); they cannot fit in one", n, step.action, messages)
			}
			if largest > dns.MaxMsgSize {
				t.Errorf("largest UPDATE is %d bytes, over %d", largest, dns.MaxMsgSize)
			}
			if got := len(read(t, p, zone).Records) - 1; step.action == plan.Create && got != n {
				t.Errorf("read back %d record sets besides the apex NS, want %d", got, n)
			}
			t.Logf("%d %ss in %d messages (largest %d bytes) in %s", n, step.action, messages, largest, time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestSOA: the SOA fields a spec sets are changed; the serial is the
// server's and grows; a change of the SOA made meanwhile refuses the
// operation.
func TestSOA(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	before := read(t, p, zone).SOA
	want := desired(t, zone)
	want.SOA = &model.SOA{PrimaryNS: "ns1.example.net.", AdminMail: "dns.admin@example.net", Refresh: 1000, Retry: 900, Expire: 604800, Minimum: 300}

	zp, live := makePlan(t, p, want)
	// The live zone Apply got, which this provider still keeps current
	// (until issue 12 moves what it needs to an index of its own).
	var applied *model.Zone
	for _, r := range runWith(t, providertest.BeforeApply(p, func(_ int, l *model.Zone) { applied = l }), want, live, zp) {
		if r.Status != apply.OK {
			t.Fatalf("%s: %s %s", r.Action, r.Status, r.Error)
		}
	}
	got := read(t, p, zone).SOA
	if merged := want.SOA.Merge(got); *merged != *got {
		t.Errorf("SOA read back %+v, want the fields of %+v", got, want.SOA)
	}
	// zonesync's SOA update sets the current serial plus one, which named keeps.
	if got.Serial != before.Serial+1 {
		t.Errorf("serial %d after the SOA change, want %d", got.Serial, before.Serial+1)
	}
	if applied.SOA.Serial != got.Serial || applied.SOA.Refresh != 1000 {
		t.Errorf("the live zone Apply kept has SOA %+v, want the one now on the server, %+v", applied.SOA, got)
	}

	// Someone changes the SOA itself between plan and apply.
	soa := *want.SOA
	soa.Refresh = 2000
	want = desired(t, zone)
	want.SOA = &soa
	zp, live = makePlan(t, p, want)
	srv.update(t, zone, func(m *dns.Msg) {
		m.Insert([]dns.RR{rr(t, fmt.Sprintf("%s. 3600 IN SOA ns1.example.net. dns\\.admin.example.net. %d 1000 1800 604800 300", zone, got.Serial+1))})
	})
	res := run(t, p, want, live, zp)
	if len(res) != 1 || res[0].Status != apply.Failed {
		t.Fatalf("apply after a concurrent SOA change: %+v, want update_soa failed", res)
	}
	checkOneLine(t, res[0].Error, "zone "+zone+" at provider bind: the zone changed since it was read: make a new plan")
	if s := read(t, p, zone).SOA; s.Refresh != 1000 || s.Retry != 1800 {
		t.Errorf("after the failed SOA update the SOA is %+v, want the other client's", s)
	}
}

// TestUnsupportedActions: operations a spec for this provider cannot
// produce fail one by one, without touching the server.
func TestUnsupportedActions(t *testing.T) {
	p, err := New(Settings{Server: "127.0.0.1:1", TSIG: TSIGSettings{Name: "k", Secret: randomSecret(32)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []plan.Action{plan.CreateZone, plan.SwitchMode, plan.UpdateMasters, plan.UpdateTTL, plan.CreateFailover, plan.UpdateFailover, plan.DeleteFailover} {
		errs := p.Apply(context.Background(), &model.Zone{Name: "example.test"}, []*plan.Operation{{Seq: 1, Action: a, Name: "www", Type: "A"}})
		if errs[0] == nil {
			t.Errorf("%s succeeded", a)
			continue
		}
		checkOneLine(t, errs[0].Error(), string(a)+" is not supported")
	}
	errs := p.Apply(context.Background(), nil, []*plan.Operation{{Seq: 1, Action: plan.Create}})
	checkOneLine(t, fmt.Sprint(errs[0]), "no zone given")
}
