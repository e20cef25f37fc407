package fake

import (
	"fmt"
	"maps"
	"sort"
	"strings"
)

// zone is one hosted zone.
type zone struct {
	name string
	// typ is master, slave, parked or geodns; kind is domain or reverse.
	typ, kind string
	serial    int
	records   map[int]*record
	soa       SOA
	masters   map[int]string
}

// record is one record; fields holds the type's extra fields under the
// names records.json answers with (priority, caa_value, fp_type, ...).
type record struct {
	id       int
	typ      string
	host     string
	data     string
	ttl      int
	active   bool
	fields   map[string]string
	failover *Failover
}

// Record is a copy of one stored record, for tests.
type Record struct {
	ID       int
	Type     string
	Host     string
	Record   string
	TTL      int
	Active   bool
	Fields   map[string]string
	Failover *Failover
}

// Failover is one record's stored failover.
type Failover struct {
	CheckType        int
	DownEventHandler int
	UpEventHandler   int
	// State is 1 while monitoring runs, 0 while it is paused.
	State            int
	MainIP           string
	BackupIPs        [5]string
	MonitoringRegion string
	// Settings are check_settings: host, port, path, content, query_type,
	// query_response, protocol, latency_limit, timeout, http_request_type.
	Settings map[string]string
	// Other are check_period, notification_mail, checkregion and deactivate_record.
	Other map[string]string
}

// SOA is a zone's SOA as soa-details answers it.
type SOA struct {
	Serial     int
	PrimaryNS  string
	AdminMail  string
	Refresh    int
	Retry      int
	Expire     int
	DefaultTTL int
}

// defaultSOA is what a new master zone starts with.
var defaultSOA = SOA{PrimaryNS: "pns41.cloudns.net", AdminMail: "support@cloudns.net", Refresh: 7200, Retry: 1800, Expire: 1209600, DefaultTTL: 3600}

// defaultNS are the NS records ClouDNS puts at a new master zone's apex.
var defaultNS = []string{"pns41.cloudns.net", "pns42.cloudns.net", "pns43.cloudns.net", "pns44.cloudns.net"}

func (r *record) copy() Record {
	out := Record{ID: r.id, Type: r.typ, Host: r.host, Record: r.data, TTL: r.ttl, Active: r.active, Fields: maps.Clone(r.fields)}
	if r.failover != nil {
		f := *r.failover
		f.Settings, f.Other = maps.Clone(f.Settings), maps.Clone(f.Other)
		out.Failover = &f
	}
	return out
}

// newZone adds an empty zone.
func (s *Server) newZone(name, typ string) *zone {
	kind := "domain"
	if strings.HasSuffix(name, ".in-addr.arpa") || strings.HasSuffix(name, ".ip6.arpa") {
		kind = "reverse"
	}
	z := &zone{name: name, typ: typ, kind: kind, serial: 2024010100, records: map[int]*record{}, masters: map[int]string{}, soa: defaultSOA}
	s.zones[name] = z
	return z
}

func (s *Server) newRecordID() int {
	s.nextID++
	return s.nextID
}

// changed bumps the zone's serial, as ClouDNS does on every change.
func (z *zone) changed() { z.serial++ }

// Zones lists the fake's zones, sorted.
func (s *Server) Zones() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.zones))
	for n := range s.zones {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ZoneType returns a zone's type (master, slave, ...), or "" when there is no such zone.
func (s *Server) ZoneType(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z := s.zones[name]; z != nil {
		return z.typ
	}
	return ""
}

// Records returns copies of a zone's records, sorted by id.
func (s *Server) Records(name string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zones[name]
	if z == nil {
		return nil
	}
	out := make([]Record, 0, len(z.records))
	for _, r := range z.records {
		out = append(out, r.copy())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ZoneSOA returns a zone's SOA.
func (s *Server) ZoneSOA(name string) (SOA, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zones[name]
	if z == nil {
		return SOA{}, false
	}
	out := z.soa
	out.Serial = z.serial
	return out, true
}

// Masters returns a slave zone's master IPs, sorted.
func (s *Server) Masters(name string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zones[name]
	if z == nil {
		return nil
	}
	out := make([]string, 0, len(z.masters))
	for _, ip := range z.masters {
		out = append(out, ip)
	}
	sort.Strings(out)
	return out
}

// PutRecord stores a record as given, bypassing validation, and returns
// its id: for tests that need what the API would not take from zonesync
// (a WR record, a change made in the control panel).
func (s *Server) PutRecord(zoneName string, r Record) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zones[zoneName]
	if z == nil {
		return 0, fmt.Errorf("fake: no zone %s", zoneName)
	}
	id := r.ID
	if id == 0 {
		id = s.newRecordID()
	}
	rec := &record{id: id, typ: r.Type, host: r.Host, data: r.Record, ttl: r.TTL, active: true, fields: maps.Clone(r.Fields)}
	if rec.fields == nil {
		rec.fields = map[string]string{}
	}
	if r.Failover != nil {
		f := *r.Failover
		f.Settings, f.Other = maps.Clone(f.Settings), maps.Clone(f.Other)
		rec.failover = &f
	}
	z.records[id] = rec
	z.changed()
	return id, nil
}

// RemoveRecord deletes a record by id, as if deleted in the control panel.
func (s *Server) RemoveRecord(zoneName string, id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z := s.zones[zoneName]; z != nil && z.records[id] != nil {
		delete(z.records, id)
		z.changed()
	}
}

// DeleteZone removes a zone, as if deleted in the control panel.
func (s *Server) DeleteZone(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.zones, name)
}
