package fake

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// This file is the fake's side door for tests: state changes and reads
// that bypass the API, and its counters.

// Calls returns how many operation elements of a kind ran, e.g.
// "dns/add_rec"; a packet of three add_rec counts three.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// AllCalls returns every operation count.
func (s *Server) AllCalls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// Packets returns how many packets passed every check and ran.
func (s *Server) Packets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.packets
}

// Dangerous lists the requests that reached the server-wide zone template
// or every zone at once (an empty del_rec filter, a get without a filter).
func (s *Server) Dangerous() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dangerous)
}

// AddSite creates a site with an empty master zone and default SOA, and
// returns its site-id.
func (s *Server) AddSite(name string) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.st.addSite(name)
	if err != nil {
		return 0, err
	}
	return st.id, nil
}

// SiteID returns the site-id of a site.
func (s *Server) SiteID(name string) (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.st.siteByName(name); st != nil {
		return st.id, true
	}
	return 0, false
}

// RemoveSite deletes a site with its records and master servers.
func (s *Server) RemoveSite(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st.siteByName(name)
	if st == nil {
		return false
	}
	s.st.removeSite(st.id)
	return true
}

func (s *state) removeSite(id uint64) {
	for rid, r := range s.records {
		if r.SiteID == id {
			delete(s.records, rid)
		}
	}
	for mid, m := range s.masters {
		if m.siteID == id {
			delete(s.masters, mid)
		}
	}
	delete(s.sites, id)
}

// AddRecord adds a record to a site's zone as add_rec would, with its
// checks, and returns the new id.
func (s *Server) AddRecord(site, typ, host, value, opt string) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st.siteByName(site)
	if st == nil {
		return 0, fmt.Errorf("fake: no site %s", site)
	}
	id, bad := s.st.addRecord(st, typ, host, value, opt)
	if bad != nil {
		return 0, fmt.Errorf("fake: add_rec: error %d %q", bad.code, bad.text)
	}
	return id, nil
}

// Records returns a site's records by id; "" returns the template's.
func (s *Server) Records(site string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id uint64
	if site != "" {
		st := s.st.siteByName(site)
		if st == nil {
			return nil
		}
		id = st.id
	}
	var out []Record
	for _, r := range s.st.recordsOf(id) {
		out = append(out, *r)
	}
	return out
}

// RecordCount returns how many records every zone holds together.
func (s *Server) RecordCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.allZoneRecords())
}

// Zone is a site's zone settings as tests see them.
type Zone struct {
	Type, Status                         string
	TTL, Refresh, Retry, Expire, Minimum uint32
	// Masters are the master servers' IPs, by entry id.
	Masters []string
}

// Zone returns a site's zone settings.
func (s *Server) Zone(site string) (Zone, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st.siteByName(site)
	if st == nil {
		return Zone{}, false
	}
	v := st.zone.soa
	z := Zone{Type: st.zone.typ, Status: st.zone.status, TTL: v.ttl, Refresh: v.refresh, Retry: v.retry, Expire: v.expire, Minimum: v.minimum}
	for _, m := range s.st.mastersOf(st.id) {
		z.Masters = append(z.Masters, m.ip)
	}
	return z, true
}

// SetZoneStatus enables or disables a site's zone ("enabled", "disabled").
func (s *Server) SetZoneStatus(site, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st.siteByName(site)
	if st == nil {
		return fmt.Errorf("fake: no site %s", site)
	}
	st.zone.status = status
	return nil
}

// AddMaster adds a master-server entry to a site's zone directly, the
// address spelled as given.
func (s *Server) AddMaster(site, ip string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st.siteByName(site)
	if _, err := netip.ParseAddr(ip); st == nil || err != nil {
		return fmt.Errorf("fake: no site %s or bad ip %q", site, ip)
	}
	s.st.nextMstr++
	s.st.masters[s.st.nextMstr] = &master{id: s.st.nextMstr, siteID: st.id, ip: ip}
	return nil
}

// versionAtLeast compares dotted packet versions.
func versionAtLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x, _ = strconv.Atoi(a[i])
		}
		if i < len(b) {
			y, _ = strconv.Atoi(b[i])
		}
		if x != y {
			return x > y
		}
	}
	return true
}

// DeleteRecord removes a record directly, as another Plesk user would.
func (s *Server) DeleteRecord(id uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.records[id]; !ok {
		return false
	}
	delete(s.st.records, id)
	return true
}
