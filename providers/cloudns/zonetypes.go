package cloudns

import (
	"context"
	"sync"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

// zoneTypes holds zone types learnt from list-zones.json, whose pages hold
// a hundred zones each, where get-zone-info.json costs a call per zone. It
// only ever saves calls: a zone it does not know is asked about on its own.
type zoneTypes struct {
	// mu is held through the listing, so that concurrent reads wait for
	// it instead of asking zone by zone meanwhile.
	mu sync.Mutex
	// run is the run whose zones are expected (providers.ReadRun).
	run      *providers.ReadRun
	expected int
	tried    bool
	known    map[string]string
}

// expect starts, at the first read of a run, a run that will read the
// run's zones, forgetting what an earlier run learnt. A read that tells
// no run keeps what the last one learnt.
func (t *zoneTypes) expect(run *providers.ReadRun) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if run == nil || run == t.run {
		return
	}
	t.run, t.expected, t.tried, t.known = run, len(run.Zones), false, nil
}

// learn records the types of listed zones.
func (t *zoneTypes) learn(rows []zoneRow) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tried, t.known = true, typesOf(rows)
}

// forget drops a zone whose type a change may have made out of date.
func (t *zoneTypes) forget(zone string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.known, zone)
}

// lookup returns a zone's type when a listing tells it. The first lookup
// of a run expecting more than listMinZones zones lists them all, when the
// pages cost fewer calls than asking zone by zone; a failed listing only
// costs the saving.
func (t *zoneTypes) lookup(ctx context.Context, c *client, zone string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.tried && t.expected > listMinZones {
		t.tried = true
		t.list(ctx, c)
	}
	typ, ok := t.known[zone]
	return typ, ok
}

// listMinZones is the most zones a run reads zone by zone without trying
// the list. The list costs a call to count its pages, then one per page:
// for three zones it saves one call when the account fits one page and
// costs one more when it does not, as with a pull request's plan of a few
// zones in a large account; from four zones it saves more than it risks.
const listMinZones = 3

// list reads the zone list when its pages are fewer than the zones
// expected: one call to count the pages, then one per page.
func (t *zoneTypes) list(ctx context.Context, c *client) {
	// A read cancelled with its run (a queued read of an earlier run) must
	// not use up the listing of the run after it.
	defer func() {
		if ctx.Err() != nil {
			t.tried = false
		}
	}()
	pages, err := c.pagesCount(ctx)
	if err != nil {
		providers.Logf(ctx, "cloudns: counting zone pages failed, reading zone types one by one: %v", err)
		return
	}
	if pages == 0 {
		t.known = map[string]string{}
		return
	}
	if pages >= t.expected {
		return
	}
	rows, err := c.listZones(ctx, pages)
	if err != nil {
		providers.Logf(ctx, "cloudns: listing zones failed, reading zone types one by one: %v", err)
		return
	}
	t.known = typesOf(rows)
}

// typesOf maps listed zones to their types.
func typesOf(rows []zoneRow) map[string]string {
	known := make(map[string]string, len(rows))
	for _, r := range rows {
		known[model.NormalizeZone(string(r.Name))] = string(r.Type)
	}
	return known
}
