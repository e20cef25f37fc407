package fake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// site is a domain; Plesk keeps one DNS zone per site.
type site struct {
	id      uint64
	name    string // as created, case kept
	created time.Time
	zone    zone
}

// zone is a site's DNS zone settings.
type zone struct {
	typ    string // master | slave
	status string // enabled | disabled
	soa    soa
}

// soa is the SOA values the API knows.
type soa struct {
	ttl, refresh, retry, expire, minimum uint32
}

// defaultSOA is what a new zone gets: the values of Plesk's UI guide and
// of the doc samples.
var defaultSOA = soa{ttl: 86400, refresh: 10800, retry: 3600, expire: 604800, minimum: 10800}

// Record is one DNS record as the fake keeps it: the host as an FQDN with
// a trailing dot, names in values with a trailing dot, as Plesk answers.
type Record struct {
	ID     uint64
	SiteID uint64 // 0: the server-wide zone template
	Type   string
	Host   string
	Value  string
	Opt    string
}

// master is a master-server entry of a zone.
type master struct {
	id     uint64
	siteID uint64
	ip     string
}

// state is everything the fake server holds. Ids are never reused.
type state struct {
	sites    map[uint64]*site
	records  map[uint64]*Record
	masters  map[uint64]*master
	template soa
	nextSite uint64
	nextRec  uint64
	nextMstr uint64
}

func newState() *state {
	s := &state{
		sites:    map[uint64]*site{},
		records:  map[uint64]*Record{},
		masters:  map[uint64]*master{},
		template: defaultSOA,
	}
	// The server-wide template Plesk copies into new zones: a request that
	// reaches it by mistake shows in its records.
	for _, r := range []Record{
		{Type: "NS", Host: "<domain>.", Value: "ns.<domain>."},
		{Type: "A", Host: "ns.<domain>.", Value: "<ip>"},
		{Type: "MX", Host: "<domain>.", Value: "mail.<domain>.", Opt: "10"},
	} {
		s.nextRec++
		r.ID = s.nextRec
		s.records[r.ID] = &r
	}
	return s
}

// siteByName finds a site by name, case-insensitively.
func (s *state) siteByName(name string) *site {
	name = strings.TrimSuffix(name, ".")
	for _, st := range s.sites {
		if strings.EqualFold(st.name, name) {
			return st
		}
	}
	return nil
}

// addSite creates a site with a master zone of default settings.
func (s *state) addSite(name string) (*site, error) {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if name == "" || !validHost(name) {
		return nil, fmt.Errorf("fake: %q is not a domain name", name)
	}
	if s.siteByName(name) != nil {
		return nil, fmt.Errorf("fake: site %s already exists", name)
	}
	s.nextSite++
	st := &site{id: s.nextSite, name: name, created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		zone: zone{typ: "master", status: "enabled", soa: defaultSOA}}
	s.sites[st.id] = st
	return st, nil
}

// recordsOf returns a site's records (0: the template's) by id.
func (s *state) recordsOf(siteID uint64) []*Record {
	var out []*Record
	for _, r := range s.records {
		if r.SiteID == siteID {
			out = append(out, r)
		}
	}
	sortRecords(out)
	return out
}

func sortRecords(rs []*Record) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
}

// mastersOf returns a site's master entries by id.
func (s *state) mastersOf(siteID uint64) []*master {
	var out []*master
	for _, m := range s.masters {
		if m.siteID == siteID {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// addRecord stores a record after the checks add_rec makes; the record's
// fields are as the request spelled them.
func (s *state) addRecord(st *site, typ, host, value, opt string) (uint64, *apiError) {
	r, bad := normalize(st, typ, host, value, opt)
	if bad != nil {
		return 0, bad
	}
	for _, other := range s.recordsOf(st.id) {
		if !strings.EqualFold(other.Host, r.Host) {
			continue
		}
		if (r.Type == "CNAME") != (other.Type == "CNAME") || r.Type == "CNAME" && !sameRecord(other, r) {
			return 0, &errCNAMEConflict
		}
		if sameRecord(other, r) {
			return 0, &errExists
		}
	}
	s.nextRec++
	r.ID, r.SiteID = s.nextRec, st.id
	s.records[r.ID] = r
	return r.ID, nil
}

func sameRecord(a, b *Record) bool {
	if a.Type != b.Type || a.Opt != b.Opt {
		return false
	}
	if a.Type == "TXT" {
		return a.Value == b.Value
	}
	return strings.EqualFold(a.Value, b.Value)
}

// allZoneRecords returns every record of every site's zone.
func (s *state) allZoneRecords() []*Record {
	var out []*Record
	for _, r := range s.records {
		if r.SiteID != 0 {
			out = append(out, r)
		}
	}
	sortRecords(out)
	return out
}

// allMasters returns every master-server entry by id.
func (s *state) allMasters() []*master {
	var out []*master
	for _, m := range s.masters {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// siteSel is one entry of a site-selecting filter: the site, or the
// error Plesk answers for it.
type siteSel struct {
	site *site
	err  *apiError
}

// selectSites resolves a dnsSelectionFilterType by site-id, site-alias-id
// or dns-zone-name, one entry per filter value.
func (s *state) selectSites(f filter) []siteSel {
	var out []siteSel
	switch f.kind {
	case "site-id":
		for _, id := range f.ids {
			if st := s.sites[id]; st != nil {
				out = append(out, siteSel{site: st})
			} else {
				out = append(out, siteSel{err: &errSiteMissingDot})
			}
		}
	case "site-alias-id":
		for range f.ids {
			out = append(out, siteSel{err: &errSiteAlias})
		}
	case "dns-zone-name":
		for _, name := range f.names {
			if st := s.siteByName(name); st != nil {
				out = append(out, siteSel{site: st})
			} else {
				out = append(out, siteSel{err: &errSiteMissingDot})
			}
		}
	}
	return out
}

// siteIDs returns the sites' ids in order.
func (s *state) siteIDs() []uint64 {
	ids := make([]uint64, 0, len(s.sites))
	for id := range s.sites {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
