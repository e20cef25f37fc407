package plesk

import (
	"slices"
	"sync"

	"github.com/zonesync/zonesync/model"
)

// recordKey names one value of one record set: the records holding it.
type recordKey struct {
	name, rrtype, value string
}

// recordIDs maps each value of a zone's record sets to the ids of the
// Plesk records holding it. Plesk lets the same record be added twice;
// such duplicates share one value in the model, so a value may have
// several ids, and deleting the value deletes them all.
type recordIDs map[recordKey][]recordID

// fill builds the zone's record sets, at the zone's TTL (Plesk has no TTL
// per record), from the values the ids are held under.
func (ids recordIDs) fill(z *model.Zone) {
	sets := map[[2]string]*model.RecordSet{}
	for k := range ids {
		rs := sets[[2]string{k.name, k.rrtype}]
		if rs == nil {
			rs = &model.RecordSet{Name: k.name, Type: k.rrtype, TTL: z.TTL}
			sets[[2]string{k.name, k.rrtype}] = rs
			z.Records = append(z.Records, rs)
		}
		rs.Values = append(rs.Values, k.value)
	}
	for _, rs := range sets {
		rs.SetValues(rs.Values)
	}
	z.SortRecords()
}

// holds reports whether any value is held by the record id.
func (ids recordIDs) holds(id recordID) bool {
	for _, l := range ids {
		if slices.Contains(l, id) {
			return true
		}
	}
	return false
}

// index is what the provider knows of each zone between calls: the site
// that holds it and the ids of its records. ReadZone replaces a zone's
// entry; Apply looks ids up there and keeps them current as records come
// and go, so that the live zone it is given stays read-only. Methods run
// concurrently, for different zones and for the same one.
type index struct {
	mu    sync.Mutex
	zones map[string]*zoneEntry
}

// zoneEntry is the index's knowledge of one zone.
type zoneEntry struct {
	site siteID
	// records are the ids as last read, with Apply's changes since.
	records recordIDs
}

func newIndex() *index { return &index{zones: map[string]*zoneEntry{}} }

// site returns the site of zone, when it was looked up before.
func (x *index) site(zone string) (siteID, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.zones[zone]
	if !ok {
		return 0, false
	}
	return e.site, true
}

// setSite remembers the site of zone. The ids of another site (the site
// was deleted and made again under the same name) are dropped with it.
func (x *index) setSite(zone string, site siteID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if e, ok := x.zones[zone]; ok && e.site == site {
		return
	}
	x.zones[zone] = &zoneEntry{site: site, records: recordIDs{}}
}

// forget drops everything known of zone, after Plesk said its site is gone.
func (x *index) forget(zone string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.zones, zone)
}

// replace sets a zone's record ids to what a read of its site found.
func (x *index) replace(zone string, site siteID, records recordIDs) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.zones[zone] = &zoneEntry{site: site, records: records}
}

// ids returns the ids of the records holding a value, in the order Plesk
// listed them, then added.
func (x *index) ids(zone string, key recordKey) []recordID {
	x.mu.Lock()
	defer x.mu.Unlock()
	if e, ok := x.zones[zone]; ok {
		return slices.Clone(e.records[key])
	}
	return nil
}

// add records that the record id now holds a value.
func (x *index) add(zone string, key recordKey, id recordID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.zones[zone]
	if !ok {
		return // forgotten meanwhile: the next read fills it afresh
	}
	if !slices.Contains(e.records[key], id) {
		e.records[key] = append(e.records[key], id)
	}
}

// remove records that the record id is gone.
func (x *index) remove(zone string, key recordKey, id recordID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.zones[zone]
	if !ok {
		return
	}
	left := slices.DeleteFunc(slices.Clone(e.records[key]), func(other recordID) bool { return other == id })
	if len(left) == 0 {
		delete(e.records, key)
		return
	}
	e.records[key] = left
}
