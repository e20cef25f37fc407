package telecomx

import (
	"slices"
	"sync"
)

// index is the provider's own record of which API records hold each value,
// per zone. Telecom X records have no id: a PUT or DELETE addresses a
// record by its exact name, type and rData, and another tool may have
// written a value in another spelling than zonesync would (a trailing
// dot, upper case, long-form IPv6), or twice in two spellings. So the
// triples read are kept here, by zone, record set and canonical value.
// ReadZone replaces a zone's entry, Apply updates it as records come and
// go; the live zone Apply is given stays untouched.
type index struct {
	mu    sync.Mutex
	zones map[string]zoneRecords
}

// zoneRecords are one zone's records: by record set, by canonical value,
// the records as the API spells them.
type zoneRecords map[setKey]map[string][]Record

// setKey names a record set: the model's name ("@" for the apex) and type.
type setKey struct{ name, rrtype string }

// add keeps rec as one of the records that hold value in a set of
// records read from the API (ReadZone's answer, before it is published).
func (z zoneRecords) add(key setKey, value string, rec Record) {
	values := z[key]
	if values == nil {
		values = map[string][]Record{}
		z[key] = values
	}
	if !slices.Contains(values[value], rec) {
		values[value] = append(values[value], rec)
	}
}

// replace makes recs the zone's records, as ReadZone read them; nil
// forgets the zone (it does not exist, or was just created empty).
func (x *index) replace(zone string, recs zoneRecords) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if recs == nil {
		delete(x.zones, zone)
		return
	}
	if x.zones == nil {
		x.zones = map[string]zoneRecords{}
	}
	x.zones[zone] = recs
}

// records returns the API's records holding value, a copy, or nil when
// none was read or written since.
func (x *index) records(zone string, key setKey, value string) []Record {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Clone(x.zones[zone][key][value])
}

// added notes that the API now holds rec for value.
func (x *index) added(zone string, key setKey, value string, rec Record) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.zones == nil {
		x.zones = map[string]zoneRecords{}
	}
	if x.zones[zone] == nil {
		x.zones[zone] = zoneRecords{}
	}
	x.zones[zone].add(key, value, rec)
}

// removed notes that the API no longer holds rec for value.
func (x *index) removed(zone string, key setKey, value string, rec Record) {
	x.mu.Lock()
	defer x.mu.Unlock()
	values := x.zones[zone][key]
	if values == nil {
		return
	}
	// In place: records hands out copies only, so no one else holds the slice.
	if left := slices.DeleteFunc(values[value], func(r Record) bool { return r == rec }); len(left) > 0 {
		values[value] = left
		return
	}
	delete(values, value)
	if len(values) == 0 {
		delete(x.zones[zone], key)
	}
}
