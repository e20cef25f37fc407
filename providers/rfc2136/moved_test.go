package rfc2136

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// TestZoneChangedSinceRead: another client changes only the TTL of www
// while an apply is about to change its value. The value's prerequisite
// carries no TTL (RFC 2136 §2.4), so without more the apply would write
// the old TTL back and both would report success. Whenever the other
// change lands, before apply's last read, after it, or between two of the
// apply's messages, the rest of the apply is refused and the other
// client's TTL stays.
func TestZoneChangedSinceRead(t *testing.T) {
	srv := requireNamed(t)
	for _, tc := range []struct {
		name string
		// call is the Apply call before which the other client changes
		// the zone; 0 means before apply reads the zone again.
		call int
		// done are the operations that land before the change.
		done []string
		// message is what the refused operations say.
		message string
	}{
		{"before apply's read", 0, nil, "not run: zone %s at provider bind: the zone changed since it was read: make a new plan"},
		{"after apply's read", 1, nil, "the zone changed on the server since it was read (its SOA serial is"},
		{"between two messages", 2, []string{"delete x A", "update www A"}, "the zone changed on the server since it was read (its SOA serial is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := srv.provider(t, keyMain)
			zone := srv.newZone(t)
			syncZone(t, p, desired(t, zone,
				set{name: "www", rrtype: "A", ttl: 300, values: []string{"192.0.2.1"}},
				set{name: "x", rrtype: "A", values: []string{"192.0.2.7"}}))
			// x A becomes a CNAME: its delete goes in a message of its own,
			// before the rest.
			want := desired(t, zone,
				set{name: "www", rrtype: "A", ttl: 300, values: []string{"192.0.2.2"}},
				set{name: "x", rrtype: "CNAME", values: []string{"www." + zone + "."}})
			zp, live := makePlan(t, p, want)
			other := func() {
				srv.update(t, zone, func(m *dns.Msg) {
					m.RemoveRRset([]dns.RR{rr(t, "www."+zone+". 0 IN A 0.0.0.0")})
					m.Insert([]dns.RR{rr(t, "www."+zone+". 900 IN A 192.0.2.1")})
				})
			}
			if tc.call == 0 {
				other()
			}
			var messages int
			p.sent = func(*dns.Msg) { messages++ }
			prov := providertest.BeforeApply(p, func(call int, _ *model.Zone) {
				if call == tc.call {
					other()
				}
			})
			res := runWith(t, prov, want, live, zp)
			for _, r := range res {
				key := string(r.Action) + " " + r.Name + " " + r.Type
				if slices.Contains(tc.done, key) {
					assert.Equal(t, apply.OK, r.Status, "%s: %s", key, r.Error)
					continue
				}
				// Refused, or skipped for depending on a refused one.
				switch r.Status {
				case apply.Failed:
					assert.Contains(t, r.Error, strings.ReplaceAll(tc.message, "%s", zone), key)
				case apply.Skipped:
					assert.Contains(t, r.Error, "which failed", key)
				default:
					assert.Fail(t, "not refused", "%s: %s %q", key, r.Status, r.Error)
				}
			}
			assert.Equal(t, min(len(tc.done), 1), messages, "UPDATE messages sent")
			after := read(t, p, zone)
			www := after.Find("www", "A")
			require.NotNil(t, www)
			assert.Equal(t, uint32(900), www.TTL, "the other client's TTL")
			assert.Equal(t, canonical(t, "A", "192.0.2.1"), www.Values)
			assert.Nil(t, after.Find("x", "CNAME"), "x CNAME created on a zone that changed")
		})
	}
}

// TestZoneChangedErrors: the provider's refusal is an *Error that is
// providers.ErrZoneChanged, and nothing is sent.
func TestZoneChangedErrors(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	live := read(t, p, zone)
	srv.update(t, zone, func(m *dns.Msg) { m.Insert([]dns.RR{rr(t, "other."+zone+". 300 IN A 192.0.2.9")}) })
	var messages int
	p.sent = func(*dns.Msg) { messages++ }
	errs := p.Apply(context.Background(), live, []*plan.Operation{
		{Seq: 1, Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}},
		{Seq: 2, Action: plan.UpdateSOA, After: &plan.State{SOA: &model.SOA{Refresh: 1234}}},
	})
	for _, err := range errs {
		require.Error(t, err)
		assert.ErrorIs(t, err, providers.ErrZoneChanged)
		checkOneLine(t, err.Error(), "rfc2136: update "+zone+" at "+srv.addr, "the zone changed on the server since it was read", "make a new plan")
	}
	assert.Zero(t, messages, "UPDATE messages sent to a zone that changed")
	assert.Nil(t, read(t, p, zone).Find("a", "A"))
}
