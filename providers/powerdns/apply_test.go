package powerdns

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// TestOnePatchPerZone: a plan that creates, updates and deletes record
// sets, changes the SOA and turns A records into a CNAME goes to the
// server in one PATCH, which bumps the serial once.
func TestOnePatchPerZone(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	px := newProxy(t, srv)
	p := px.provider(t, srv)
	mustSync(t, p, zoneOf(t, zone,
		"www A 300 192.0.2.1", "www A 300 192.0.2.2",
		"mail A 300 192.0.2.9",
		"old TXT 300 going",
		"alias CNAME 300 www."+zone+".",
	))
	before := serial(t, srv, zone)
	px.inj.ResetCounts()

	desired := zoneOf(t, zone,
		"www CNAME 300 mail."+zone+".", // A -> CNAME at one name
		"alias A 300 192.0.2.7",        // CNAME -> A
		"mail A 600 192.0.2.9",         // TTL
		"new MX 300 10 mail."+zone+".", // create
	) // "old TXT" deleted
	desired.SOA = soa("", "", 7200, 0, 0, 0)
	zp := mustSync(t, p, desired)
	require.Len(t, zp.Operations, 8, "update_soa, 2 conflict deletes, 2 creates there, 1 update, 1 create, 1 delete")
	assert.Equal(t, map[string]int{"PATCH /zones/" + zone + ".": 1}, px.changes(), "calls that change the zone")
	assert.Equal(t, before+1, serial(t, srv, zone), "the serial after one apply")
}

// TestSOAInThePatch: an SOA change rides in the zone's one PATCH, and the
// server's SOA-EDIT-API moves the serial forward, never back.
func TestSOAInThePatch(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	px := newProxy(t, srv)
	p := px.provider(t, srv)
	desired := zoneOf(t, zone, "www A 300 192.0.2.1")
	desired.SOA = soa("ns1."+zone+".", "hostmaster@"+zone, 7200, 1800, 1209600, 300)
	before := serial(t, srv, zone)
	mustSync(t, p, desired)
	assert.Equal(t, 1, px.changes()["PATCH /zones/"+zone+"."], "PATCHes")
	got := read(t, p, zone)
	assert.Equal(t, before+1, got.SOA.Serial)
	want := *desired.SOA
	want.Serial = got.SOA.Serial
	assert.Equal(t, want, *got.SOA)
}

// TestRefusedPatchFailsEveryOperation: when the server refuses the PATCH,
// every operation in it fails with the server's own text, and nothing of
// it is made (the PATCH is one transaction). The refusal here is a CNAME
// created beside an A record another client added after the plan was
// made.
func TestRefusedPatchFailsEveryOperation(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	p := newProvider(t, srv)
	desired := zoneOf(t, zone, "a A 300 192.0.2.1", "b A 300 192.0.2.2", "c CNAME 300 a."+zone+".")
	live := read(t, p, zone)
	zp := mustPlan(t, p, desired, live)
	// Another client puts an A record where the plan creates a CNAME.
	srv.MustDo(t, 204, "PATCH", "/api/v1/servers/localhost/zones/"+zone+".", map[string]any{"rrsets": []map[string]any{
		{"name": "c." + zone + ".", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": []map[string]any{{"content": "192.0.2.99", "disabled": false}}},
	}}, nil)
	errs := p.Apply(t.Context(), live, zp.Operations)
	require.Len(t, errs, 3)
	for i, err := range errs {
		require.Error(t, err, "operation %d", i+1)
		assert.Contains(t, err.Error(), "HTTP 422: RRset c."+zone+". IN CNAME: Conflicts with pre-existing RRset", "operation %d", i+1)
		assert.Contains(t, err.Error(), "none was made")
	}
	now := read(t, p, zone)
	assert.Nil(t, now.Find("a", "A"), "a A was made although the PATCH was refused")
	assert.Nil(t, now.Find("b", "A"))
}

// TestBigChangeIsCut: a change bigger than MaxPatchBytes goes in several
// PATCHes, and every change at one name stays in one of them (the A
// records a CNAME replaces are deleted in the CNAME's PATCH).
func TestBigChangeIsCut(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	px := newProxy(t, srv)
	p := px.provider(t, srv)
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("h%02d A 300 192.0.2.%d", i, i+1))
	}
	mustSync(t, p, zoneOf(t, zone, lines...))
	defer func(n int) { MaxPatchBytes = n }(MaxPatchBytes)
	MaxPatchBytes = 1000 // about ten RRsets
	px.inj.ResetCounts()
	lines = lines[:0]
	for i := range 40 {
		if i%2 == 0 {
			lines = append(lines, fmt.Sprintf("h%02d CNAME 300 target.%s.", i, zone))
		} else {
			lines = append(lines, fmt.Sprintf("h%02d A 300 198.51.100.%d", i, i+1))
		}
	}
	zp := mustSync(t, p, zoneOf(t, zone, lines...))
	assert.Len(t, zp.Operations, 60, "20 deletes, 20 CNAME creates, 20 updates")
	patches := px.changes()["PATCH /zones/"+zone+"."]
	assert.GreaterOrEqual(t, patches, 5, "PATCHes of a change of about 6 kB cut at 1 kB")
	assert.LessOrEqual(t, patches, 10)
}

// TestCut: the cut of a change into PATCHes keeps each name whole and
// the order of the changes.
func TestCut(t *testing.T) {
	ch := func(op int, owner string, size int) change { return change{op: op, owner: owner, size: size} }
	changes := []change{ch(0, "a", 40), ch(1, "b", 40), ch(2, "a", 40), ch(3, "c", 40), ch(4, "d", 500), ch(5, "e", 10)}
	got := cut(changes, 100)
	var shape [][]int
	for _, b := range got {
		var ops []int
		for _, c := range b {
			ops = append(ops, c.op)
		}
		shape = append(shape, ops)
	}
	assert.Equal(t, [][]int{{0, 2}, {1, 3}, {4}, {5}}, shape)
	assert.Nil(t, cut(nil, 100))
}

// TestApplyReportsPerOperation: apply's report has a status for every
// operation of the zone's one PATCH.
func TestApplyReportsPerOperation(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	p := newProvider(t, srv)
	_, rep := syncZone(t, p, zoneOf(t, zone, "a A 300 192.0.2.1", "b TXT 300 hello world", "c MX 300 10 a."+zone+"."))
	require.Len(t, rep.Results, 3)
	for _, r := range rep.Results {
		assert.Equal(t, apply.OK, r.Status, "%s %s", r.Name, r.Type)
	}
	got := read(t, p, zone).Find("b", "TXT")
	require.NotNil(t, got)
	assert.Equal(t, []string{`"hello world"`}, got.Values)
	var wire struct {
		RRsets []wireRRset `json:"rrsets"`
	}
	srv.MustDo(t, 200, "GET", "/api/v1/servers/localhost/zones/"+zone+".", nil, &wire)
	for _, rs := range wire.RRsets {
		if strings.HasPrefix(rs.Name, "b.") {
			assert.Equal(t, `"hello world"`, rs.Records[0].Content, "TXT content is quoted on the wire")
		}
	}
}
