package rfc2136

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// TestIndex: a read replaces a zone's spellings and ends an earlier
// apply's move away from the serial it read; a move is kept per serial a
// zone was read at; a landed change forgets what it removed.
func TestIndex(t *testing.T) {
	var x index
	assert.Equal(t, uint32(7), x.serial("a.test", 7), "serial of a zone never read")
	assert.Nil(t, x.spelling("a.test", "www", "MX"), "spellings of a zone never read")

	x.read("a.test", 7, map[string]map[string]string{
		"@ MX":    {"10 mx1.a.test.": "10 MX1.a.test.", "20 mx2.a.test.": "20 MX2.a.test."},
		"txt TXT": {`"abc"`: `"ab" "c"`},
	})
	x.read("b.test", 3, map[string]map[string]string{"www A": {"192.0.2.1": "192.0.2.1"}})
	got := x.spelling("a.test", "@", "MX")
	assert.Empty(t, cmp.Diff(map[string]string{"10 mx1.a.test.": "10 MX1.a.test.", "20 mx2.a.test.": "20 MX2.a.test."}, got))
	got["10 mx1.a.test."] = "changed by the caller"
	assert.Equal(t, "10 MX1.a.test.", x.spelling("a.test", "@", "MX")["10 mx1.a.test."], "spelling returns a copy")

	x.move("a.test", 7, 8)
	x.move("a.test", 7, 9)
	assert.Equal(t, uint32(9), x.serial("a.test", 7), "after two changes of one apply")
	assert.Equal(t, uint32(8), x.serial("a.test", 8), "a zone read at another serial")
	assert.Equal(t, uint32(7), x.serial("b.test", 7), "another zone")

	x.forget("a.test", "@", "MX", false, []string{"10 mx1.a.test."})
	assert.Empty(t, cmp.Diff(map[string]string{"20 mx2.a.test.": "20 MX2.a.test."}, x.spelling("a.test", "@", "MX")))
	x.forget("a.test", "@", "MX", false, []string{"20 mx2.a.test."})
	assert.Nil(t, x.spelling("a.test", "@", "MX"), "spellings of a set whose last spelled value went")
	x.forget("a.test", "txt", "TXT", true, nil)
	assert.Nil(t, x.spelling("a.test", "txt", "TXT"), "spellings of a rewritten set")
	x.forget("c.test", "www", "A", true, nil) // a zone never read: nothing to forget

	// Read again at the serial the apply left, the zone is as the server
	// holds it; a zone read at the old serial still expects the move.
	x.read("a.test", 9, nil)
	assert.Equal(t, uint32(9), x.serial("a.test", 7))
	assert.Nil(t, x.spelling("a.test", "txt", "TXT"))
	// Read at the old serial again (a server that does not move it),
	// the move no longer applies.
	x.read("a.test", 7, nil)
	assert.Equal(t, uint32(7), x.serial("a.test", 7))
	assert.NotNil(t, x.spelling("b.test", "www", "A"), "another zone's spellings after reads of this one")
}

// TestIndexConcurrent: reads and applies of the same zone and of others
// use the index at once (run with -race).
func TestIndexConcurrent(t *testing.T) {
	var x index
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			zone := fmt.Sprintf("z%d.test", i%2)
			for j := range 200 {
				serial := uint32(j)
				x.read(zone, serial, map[string]map[string]string{"www A": {"a": "A"}})
				x.move(zone, serial, serial+1)
				_ = x.serial(zone, serial)
				_ = x.spelling(zone, "www", "A")
				x.forget(zone, "www", "A", j%2 == 0, []string{"a"})
			}
		})
	}
	wg.Wait()
	assert.Len(t, x.zones, 2)
}

// TestApplyKeepsTheZoneInTheIndex: Apply calls of one zone get the zone
// as read before the first, read-only; the index carries what they need
// between them. The second call expects the serial the first left and
// its prerequisites carry the server's spelling of the values ReadZone
// saw; a provider without that index refuses the second call, the zone
// having moved since the read.
func TestApplyKeepsTheZoneInTheIndex(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	srv.update(t, zone, func(m *dns.Msg) {
		m.Insert([]dns.RR{rr(t, fmt.Sprintf("alias.%s. 300 IN CNAME WWW.Example.COM.", zone))})
	})
	live := read(t, p, zone)
	assert.Empty(t, cmp.Diff(map[string]string{"www.example.com.": "WWW.Example.COM."}, p.idx.spelling(zone, "alias", "CNAME")), "spellings ReadZone put in the index")
	readSerial := live.SOA.Serial

	var sent []*dns.Msg
	p.sent = func(m *dns.Msg) { sent = append(sent, m.Copy()) }
	ctx := context.Background()
	errs := p.Apply(ctx, live, []*plan.Operation{
		{Seq: 1, Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}},
	})
	require.NoError(t, errs[0])
	errs = p.Apply(ctx, live, []*plan.Operation{
		{Seq: 2, Action: plan.Delete, Name: "alias", Type: "CNAME", Before: &plan.State{TTL: ttl(300), Values: []string{"www.example.com."}}},
	})
	require.NoError(t, errs[0])
	require.Len(t, sent, 2, "UPDATE messages")
	assert.Contains(t, sent[1].Answer[1].String(), "WWW.Example.COM.", "the delete's prerequisite, after the zone's SOA")
	assert.Nil(t, p.idx.spelling(zone, "alias", "CNAME"), "spellings of a deleted set")

	now := read(t, p, zone)
	assert.Equal(t, readSerial, live.SOA.Serial, "serial of the live zone Apply was given, which is read-only")
	assert.Equal(t, readSerial+2, now.SOA.Serial, "serial after two UPDATEs")
	assert.NotNil(t, now.Find("a", "A"), "a A")
	assert.Nil(t, now.Find("alias", "CNAME"), "alias CNAME")

	err := srv.provider(t, keyMain).Apply(ctx, live, []*plan.Operation{
		{Seq: 3, Action: plan.Create, Name: "b", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.2"}}},
	})[0]
	assert.ErrorIs(t, err, providers.ErrZoneChanged)
}
