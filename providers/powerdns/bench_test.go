package powerdns

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// The benchmarks apply a zone of benchSets record sets to a real
// PowerDNS, as `zonesync apply` does (read, plan, re-read, change), and
// report per apply the HTTP calls, the PATCHes, and the serial bumps the
// server made; the 1%-changed ones also time, in the same rounds, the
// floor: the change back by hand, one GET of the zone and one PATCH
// (floor_s/op, and x_floor, zonesync's time over the floor's).
// BENCHMARKS.md has the figures and the commands:
//
//	go test -run '^$' -bench 'Apply10k/.*/one_PATCH_per_zone' -benchtime 10x -count 5 -timeout 0 ./providers/powerdns/
//	go test -run '^$' -bench 'Apply10k/.*/one_PATCH_per_record_set' -benchtime 1x -timeout 0 ./providers/powerdns/
const benchSets = 10000

// benchZone is the zone: a quarter each of A, AAAA, TXT and MX sets. With
// changed, one set in a hundred differs: 60 have new values, 20 are gone
// and 20 are new.
func benchZone(zone string, changed bool) *zsmodel.Zone {
	z := &zsmodel.Zone{Name: zone, Provider: "pdns", Mode: zsmodel.Master, TTL: 3600}
	add := func(name, rrtype, value string) {
		z.Records = append(z.Records, &zsmodel.RecordSet{Name: name, Type: rrtype, TTL: 3600, Values: []string{value}})
	}
	step := benchSets / 100 // one in a hundred sets is touched
	for i := range benchSets {
		name := fmt.Sprintf("h%05d", i)
		k := i / step // which set of its hundred
		if changed && i%step == 0 && k%5 == 3 {
			continue // 20 deleted
		}
		alt := changed && i%step == 0 && k%5 < 3 // 60 changed
		switch i % 4 {
		case 0:
			add(name, "A", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, map[bool]int{false: i & 255, true: (i + 1) & 255}[alt]))
		case 1:
			add(name, "AAAA", fmt.Sprintf("2001:db8::%x:%d", i, map[bool]int{false: 1, true: 2}[alt]))
		case 2:
			add(name, "TXT", zsmodel.TXTValue(fmt.Sprintf("v=record%d %s", i, map[bool]string{false: "a", true: "b"}[alt])))
		default:
			add(name, "MX", fmt.Sprintf("%d mail%d.%s.", map[bool]int{false: 10, true: 20}[alt], i%7, zone))
		}
		if changed && i%step == 0 && k%5 == 4 {
			add(name+"-new", "A", "192.0.2.1") // 20 new
		}
	}
	z.SortRecords()
	return z
}

// countingTransport counts a client's requests.
type countingTransport struct {
	calls, patches atomic.Int64
	next           http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.calls.Add(1)
	if r.Method == http.MethodPatch {
		c.patches.Add(1)
	}
	return c.next.RoundTrip(r)
}

// applyOnce does what `zonesync apply` does for one zone: read, plan,
// and apply.Zone (which reads again before the first change), with p, or
// with a wrapper of it as applier.
func applyOnce(b *testing.B, p *Provider, applier providers.Provider, desired *zsmodel.Zone) int {
	b.Helper()
	live := read(b, p, desired.Name)
	zp, err := plan.Zone(desired, live, p.Capabilities(), nil)
	if err != nil {
		b.Fatal(err)
	}
	rep := apply.Zone(context.Background(), applier, desired, live, zp, nil)
	for _, r := range rep.Results {
		if r.Status != apply.OK {
			b.Fatalf("%d %s %s %s: %s %s", r.Seq, r.Action, r.Name, r.Type, r.Status, r.Error)
		}
	}
	return len(zp.Operations)
}

func BenchmarkApply10k(b *testing.B) {
	srv := pdnstest.Require(b)
	for _, mode := range []struct {
		name     string
		maxPatch int
	}{
		{"one_PATCH_per_zone", MaxPatchBytes},
		{"one_PATCH_per_record_set", 1}, // cut puts each name in a PATCH of its own
	} {
		newProvider := func(b *testing.B) (*Provider, *countingTransport) {
			p := newProvider(b, srv)
			ct := &countingTransport{next: http.DefaultTransport}
			p.client.http.HTTP.Transport = ct
			return p, ct
		}
		b.Run("create_from_empty/"+mode.name, func(b *testing.B) {
			defer func(n int) { MaxPatchBytes = n }(MaxPatchBytes)
			MaxPatchBytes = mode.maxPatch
			p, ct := newProvider(b)
			var ops, bumps int
			for b.Loop() {
				b.StopTimer()
				zone := srv.ZoneName()
				desired := benchZone(zone, false)
				var created uint32
				// The serial the new zone starts with, read between
				// apply's call for create_zone and its call for the rest.
				counted := providertest.BeforeApply(p, func(call int, _ *zsmodel.Zone) {
					if call == 2 {
						b.StopTimer()
						created = serial(b, srv, zone)
						b.StartTimer()
					}
				})
				b.StartTimer()
				ops += applyOnce(b, p, counted, desired)
				b.StopTimer()
				bumps += int(serial(b, srv, zone) - created)
				b.StartTimer()
			}
			report(b, ct, ops, bumps)
		})
		b.Run("1pct_changed/"+mode.name, func(b *testing.B) {
			defer func(n int) { MaxPatchBytes = n }(MaxPatchBytes)
			p, ct := newProvider(b)
			zone := srv.ZoneName()
			states := []*zsmodel.Zone{benchZone(zone, false), benchZone(zone, true)}
			applyOnce(b, p, p, states[0]) // in as few PATCHes as it can
			back := floorPatch(b, p, zone, states[1], states[0])
			MaxPatchBytes = mode.maxPatch
			ct.calls.Store(0)
			ct.patches.Store(0)
			var ops, bumps int
			var floor time.Duration
			for b.Loop() {
				b.StopTimer()
				before := serial(b, srv, zone)
				b.StartTimer()
				ops += applyOnce(b, p, p, states[1])
				b.StopTimer()
				bumps += int(serial(b, srv, zone) - before)
				// The floor, in the same round: the change back by hand.
				start := time.Now()
				floorOnce(b, srv, zone, back)
				floor += time.Since(start)
				b.StartTimer()
			}
			report(b, ct, ops, bumps)
			b.ReportMetric(floor.Seconds()/float64(b.N), "floor_s/op")
			b.ReportMetric(b.Elapsed().Seconds()/floor.Seconds(), "x_floor")
		})
	}
}

// floorPatch is the PATCH a hand-made change from one state of the zone
// to another would send: exactly the changed RRsets.
func floorPatch(b *testing.B, p *Provider, zone string, from, to *zsmodel.Zone) []wireRRset {
	b.Helper()
	zp, err := plan.Zone(to, from, p.Capabilities(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ix := &zoneIndex{disabled: map[string][]wireRecord{}}
	var out []wireRRset
	for _, op := range zp.Operations {
		c, err := recordChange(zone, ix, op)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, c.rrset)
	}
	return out
}

// floorOnce is the least an apply of a change can cost: one GET of the
// zone (decoded as JSON, nothing more) and one PATCH of the change.
func floorOnce(b *testing.B, srv *pdnstest.Server, zone string, patch []wireRRset) {
	var z map[string]any
	srv.MustDo(b, 200, "GET", "/api/v1/servers/localhost/zones/"+zone+".", nil, &z)
	srv.MustDo(b, 204, "PATCH", "/api/v1/servers/localhost/zones/"+zone+".", wirePatch{RRsets: patch}, nil)
}

// report puts the per-apply figures beside the time.
func report(b *testing.B, ct *countingTransport, ops, bumps int) {
	n := float64(b.N)
	b.ReportMetric(float64(ct.calls.Load())/n, "calls/op")
	b.ReportMetric(float64(ct.patches.Load())/n, "PATCHes/op")
	b.ReportMetric(float64(bumps)/n, "serial_bumps/op")
	b.ReportMetric(float64(ops)/n, "operations/op")
}
