package cloudns

import (
	"maps"
	"slices"
	"sync"

	"github.com/zonesync/zonesync/model"
)

// index is the provider's own record of what ClouDNS addresses records
// by, per zone. ReadZone replaces a zone's entry with what it read; Apply
// looks record ids up in it and keeps it current call by call, so that an
// operation finds what the ones before it left (a zone just registered,
// records just added), while the live zone Apply is given stays as apply
// read it. Methods run concurrently, for different zones and the same one.
type index struct {
	mu    sync.Mutex
	zones map[string]*zoneRecords
}

// zoneRecords is what the index knows of one zone.
type zoneRecords struct {
	sets map[setKey]*setRecords
	// monitored holds, for each record id that has failover on, the
	// settings zonesync does not model: Apply chooses activate or modify
	// by it, and sends them back with a modify.
	monitored map[string]map[string]any
	// created is set when this provider registered the zone, whose
	// default records a create may take over.
	created bool
}

// setKey names a record set within its zone.
type setKey struct{ name, rrtype string }

// setRecords are the ClouDNS records of one record set.
type setRecords struct {
	// ids maps each canonical value to the id of the record holding it.
	ids map[string]string
	// duplicates are the ids of records repeating a value of the set (a
	// create that landed late, or a change outside zonesync): the model
	// cannot show them, so the next update or delete removes them.
	duplicates []string
	// ttl is the records' TTL, mixedTTL when they differ.
	ttl uint32
	// failover is the set's failover as last read or set: a value added
	// to the set gets it too.
	failover *model.Failover
}

// newZoneRecords is an empty entry.
func newZoneRecords() *zoneRecords {
	return &zoneRecords{sets: map[setKey]*setRecords{}, monitored: map[string]map[string]any{}}
}

// replace makes z the zone's entry; nil forgets the zone.
func (x *index) replace(zone string, z *zoneRecords) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if z == nil {
		delete(x.zones, zone)
		return
	}
	if x.zones == nil {
		x.zones = map[string]*zoneRecords{}
	}
	x.zones[zone] = z
}

// with runs f on the zone's entry under the index's lock, making an empty
// entry for a zone the provider has not read (it knows no id there).
func (x *index) with(zone string, f func(z *zoneRecords)) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.zones == nil {
		x.zones = map[string]*zoneRecords{}
	}
	z := x.zones[zone]
	if z == nil {
		z = newZoneRecords()
		x.zones[zone] = z
	}
	f(z)
}

// set returns a copy of what the index holds of a record set, and
// whether it holds the set at all.
func (x *index) set(s setRef) (out setRecords, ok bool) {
	x.with(s.zone, func(z *zoneRecords) {
		if r := z.sets[s.key()]; r != nil {
			out, ok = *r, true
			out.ids, out.duplicates = maps.Clone(r.ids), slices.Clone(r.duplicates)
		}
	})
	return out, ok
}

// id returns the id of the record holding value, "" when none does.
func (x *index) id(s setRef, value string) (id string) {
	x.with(s.zone, func(z *zoneRecords) {
		if r := z.sets[s.key()]; r != nil {
			id = r.ids[value]
		}
	})
	return id
}

// values returns the values the set holds, sorted.
func (r setRecords) values() []string { return slices.Sorted(maps.Keys(r.ids)) }

// known returns the ids of every record of the set, those repeating a
// value included.
func (r setRecords) known() map[string]bool {
	out := map[string]bool{}
	for _, id := range r.ids {
		out[id] = true
	}
	for _, id := range r.duplicates {
		out[id] = true
	}
	return out
}

// put records that the record id holds value, at ttl.
func (x *index) put(s setRef, value, id string, ttl uint32) {
	x.with(s.zone, func(z *zoneRecords) {
		r := z.sets[s.key()]
		if r == nil {
			r = &setRecords{ids: map[string]string{}, ttl: ttl}
			z.sets[s.key()] = r
		}
		if r.ttl != ttl {
			r.ttl = mixedTTL
		}
		r.ids[value] = id
	})
}

// move records that the record holding old now holds new.
func (x *index) move(s setRef, old, new string) {
	x.with(s.zone, func(z *zoneRecords) {
		if r := z.sets[s.key()]; r != nil {
			if id, ok := r.ids[old]; ok {
				delete(r.ids, old)
				r.ids[new] = id
			}
		}
	})
}

// retime records that every record of the set now has ttl.
func (x *index) retime(s setRef, ttl uint32) {
	x.with(s.zone, func(z *zoneRecords) {
		if r := z.sets[s.key()]; r != nil {
			r.ttl = ttl
		}
	})
}

// remove records that the record holding value is gone, and the set with
// its last record.
func (x *index) remove(s setRef, value string) {
	x.with(s.zone, func(z *zoneRecords) {
		if r := z.sets[s.key()]; r != nil {
			delete(r.ids, value)
			if len(r.ids) == 0 && len(r.duplicates) == 0 {
				delete(z.sets, s.key())
			}
		}
	})
}

// dropDuplicate records that a repeating record is gone.
func (x *index) dropDuplicate(s setRef, id string) {
	x.with(s.zone, func(z *zoneRecords) {
		if r := z.sets[s.key()]; r != nil {
			r.duplicates = slices.DeleteFunc(r.duplicates, func(d string) bool { return d == id })
		}
	})
}

// setFailover records the set's failover, nil for none.
func (x *index) setFailover(s setRef, f *model.Failover) {
	x.with(s.zone, func(z *zoneRecords) {
		if r := z.sets[s.key()]; r != nil {
			r.failover = f
		}
	})
}

// monitored returns whether a record has failover on, and the settings
// of it zonesync does not model.
func (x *index) monitored(zone, id string) (unmodeled map[string]any, on bool) {
	x.with(zone, func(z *zoneRecords) {
		unmodeled, on = z.monitored[id]
	})
	return unmodeled, on
}

// setMonitored records that a record has failover on (with the settings
// zonesync does not model) or off (nil).
func (x *index) setMonitored(zone, id string, unmodeled map[string]any) {
	x.with(zone, func(z *zoneRecords) {
		if unmodeled != nil {
			z.monitored[id] = unmodeled
		} else {
			delete(z.monitored, id)
		}
	})
}

// created reports whether this provider registered the zone.
func (x *index) created(zone string) (created bool) {
	x.with(zone, func(z *zoneRecords) { created = z.created })
	return created
}

// setRef names one record set of a zone, for the API calls and the index.
type setRef struct{ zone, name, rrtype string }

func (s setRef) key() setKey { return setKey{name: s.name, rrtype: s.rrtype} }

// target names the set in a call's error message.
func (s setRef) target() target {
	return target{subject: s.name + " " + s.rrtype, zone: s.zone}
}
