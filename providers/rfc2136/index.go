package rfc2136

import (
	"maps"
	"sync"
)

// index is what Apply needs of each zone besides the live zone it is
// given, which it must not change: the server's own spelling of values
// and the serial this provider's own UPDATEs left the zone at. ReadZone
// fills a zone's entry, Apply keeps it current as its changes land. Its
// methods may be called concurrently; the zero index is ready to use.
type index struct {
	mu    sync.Mutex
	zones map[string]*zoneIndex
}

// zoneIndex is one zone's entry.
type zoneIndex struct {
	// spellings maps a record set ("name type") to the RDATA the server
	// holds for each canonical value it spells otherwise (see
	// exactRDATA). Value-dependent prerequisites and deletes of single
	// records compare RDATA exactly, so Apply must send these.
	spellings map[string]map[string]string
	// moved maps the SOA serial a zone was read at to the serial this
	// provider's own UPDATEs have left it at since: apply gives every
	// Apply call of a zone the zone as read before the first, so the
	// next call must expect the serial the last one left, not that one.
	// An entry is added per apply that changed the zone, a few bytes.
	moved map[uint32]uint32
}

// setKey is a record set's key in zoneIndex.spellings.
func setKey(name, rrtype string) string { return name + " " + rrtype }

// entry returns zone's entry, made when missing. The lock must be held.
func (x *index) entry(zone string) *zoneIndex {
	if x.zones == nil {
		x.zones = map[string]*zoneIndex{}
	}
	z := x.zones[zone]
	if z == nil {
		z = &zoneIndex{moved: map[uint32]uint32{}}
		x.zones[zone] = z
	}
	return z
}

// read replaces what a read of zone at serial tells: the server's
// spellings. The serial is now exactly what the server holds, so an
// earlier apply's move away from it no longer applies to a zone read at it.
func (x *index) read(zone string, serial uint32, spellings map[string]map[string]string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	z := x.entry(zone)
	z.spellings = spellings
	delete(z.moved, serial)
}

// spelling returns the server's spellings of a record set's values, a
// copy, nil when the server spells every value canonically or the set is
// unknown.
func (x *index) spelling(zone, name, rrtype string) map[string]string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if z := x.zones[zone]; z != nil {
		return maps.Clone(z.spellings[setKey(name, rrtype)])
	}
	return nil
}

// forget drops the spellings of values a landed change removed; with
// all, those of the whole set, which the change rewrote in canonical form.
func (x *index) forget(zone, name, rrtype string, all bool, values []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	z := x.zones[zone]
	if z == nil {
		return
	}
	key := setKey(name, rrtype)
	set := z.spellings[key]
	for _, v := range values {
		delete(set, v)
	}
	if all || len(set) == 0 {
		delete(z.spellings, key)
	}
}

// serial is the serial the server should hold for a zone read at
// readSerial when nobody else changed it since: the one this provider's
// last UPDATE left, or readSerial itself.
func (x *index) serial(zone string, readSerial uint32) uint32 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if z := x.zones[zone]; z != nil {
		if s, ok := z.moved[readSerial]; ok {
			return s
		}
	}
	return readSerial
}

// move records that this provider's own change moved a zone read at
// readSerial to serial now.
func (x *index) move(zone string, readSerial, now uint32) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.entry(zone).moved[readSerial] = now
}
