package fake

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// allowedTTLs is what get-available-ttl.json answered in recorded real traffic.
var allowedTTLs = []int{60, 300, 600, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000}

// rowsPerPage are the page sizes list-zones.json accepts.
var rowsPerPage = []int{10, 20, 30, 50, 100}

// zoneRow is one zone of list-zones.json.
type zoneRow struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Zone      string `json:"zone"`
	Status    string `json:"status"`
	Serial    string `json:"serial"`
	IsUpdated int    `json:"isUpdated"`
	Group     string `json:"group"`
	HasBulk   bool   `json:"hasBulk"`
}

// zoneOf finds the zone a request names; a missing or unknown one is "Missing domain-name".
func (s *Server) zoneOf(p params) (*zone, error) {
	name := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p.get("domain-name")), "."))
	z := s.zones[name]
	if z == nil {
		return nil, fail(errMissingDomain)
	}
	return z, nil
}

// masterZone is zoneOf for calls that only work on master zones.
func (s *Server) masterZone(p params) (*zone, error) {
	z, err := s.zoneOf(p)
	if err != nil {
		return nil, err
	}
	if z.typ != "master" {
		return nil, fail(errNotMaster)
	}
	return z, nil
}

func (s *Server) availableTTL(p params) (any, error) {
	if _, err := s.zoneOf(p); err != nil {
		return nil, err
	}
	return allowedTTLs, nil
}

// sortedZones lists the zones matching search, by name.
func (s *Server) sortedZones(search string) []*zone {
	var out []*zone
	for _, z := range s.zones {
		if search == "" || strings.Contains(z.name, strings.ToLower(search)) {
			out = append(out, z)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func (s *Server) listZones(p params) (any, error) {
	page, ok := p.integer("page")
	if !ok || page < 1 {
		return nil, fail(errPage)
	}
	rows, ok := p.integer("rows-per-page")
	if !ok || !slices.Contains(rowsPerPage, rows) {
		return nil, fail(errRowsPerPage)
	}
	zones := s.sortedZones(p.get("search"))
	out := []zoneRow{}
	for i := (page - 1) * rows; i < len(zones) && i < page*rows; i++ {
		z := zones[i]
		out = append(out, zoneRow{Name: z.name, Type: z.typ, Zone: z.kind, Status: "1", Serial: strconv.Itoa(z.serial), Group: "None"})
	}
	return out, nil
}

func (s *Server) pagesCount(p params) (any, error) {
	rows, ok := p.integer("rows-per-page")
	if !ok || !slices.Contains(rowsPerPage, rows) {
		return nil, fail(errRowsPerPage)
	}
	n := len(s.sortedZones(p.get("search")))
	return (n + rows - 1) / rows, nil
}

// zonesStats answers get-zones-stats.json as recorded: count and limit as
// strings. count is every zone of the account. [guess: that count covers
// all zone types, as list-zones does; the fake's limit is its own]
func (s *Server) zonesStats(params) (any, error) {
	return map[string]string{"count": strconv.Itoa(len(s.zones)), "limit": strconv.Itoa(zoneLimit)}, nil
}

// zoneLimit is the fake account's zone limit, as get-zones-stats reports it.
const zoneLimit = 100000

func (s *Server) zoneInfo(p params) (any, error) {
	z, err := s.zoneOf(p)
	if err != nil {
		return nil, err
	}
	return map[string]string{"name": z.name, "type": z.typ, "zone": z.kind, "status": "1"}, nil
}

// validZoneName checks a zone name as register.json would.
func validZoneName(name string) bool {
	if name == "" || len(name) > 253 || !strings.Contains(name, ".") {
		return false
	}
	_, ok := dns.IsDomainName(name)
	return ok && !strings.ContainsAny(name, " *@")
}

func (s *Server) register(p params) (any, error) {
	name := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p.get("domain-name")), "."))
	if name == "" {
		return nil, fail(errMissingDomain)
	}
	if !validZoneName(name) {
		return nil, fail(errInvalidDomain(name))
	}
	if s.zones[name] != nil {
		return nil, fail(errAlreadyAdded(name))
	}
	typ := p.get("zone-type")
	switch typ {
	case "master", "parked":
	case "slave":
		ip, err := netip.ParseAddr(strings.TrimSpace(p.get("master-ip")))
		if err != nil || ip.Zone() != "" {
			return nil, fail(errMasterIP)
		}
		z := s.newZone(name, typ)
		s.nextMaster++
		z.masters[s.nextMaster] = ip.String()
		return success(okRegister(name)), nil
	case "geodns":
		return answer{Status: "int(0)", StatusDescription: errGeoDNS}, nil
	default:
		return nil, fail(errZoneType)
	}
	ns := defaultNS
	if list := p["ns"]; len(list) > 0 {
		ns = nil
		for _, n := range list {
			if !validHostname(n) {
				return nil, fail(errRecord)
			}
			ns = append(ns, strings.ToLower(strings.TrimSuffix(n, ".")))
		}
	}
	z := s.newZone(name, typ)
	for _, n := range ns {
		id := s.newRecordID()
		z.records[id] = &record{id: id, typ: "NS", data: n, ttl: 3600, active: true, fields: map[string]string{}}
	}
	return success(okRegister(name)), nil
}

// masterServers answers the masters of a slave zone, keyed by id; a zone
// without any answers [] (guess, like records.json).
func (s *Server) masterServers(p params) (any, error) {
	z, err := s.zoneOf(p)
	if err != nil {
		return nil, err
	}
	if z.typ != "slave" {
		return nil, fail(errNotSlave)
	}
	if len(z.masters) == 0 {
		return []string{}, nil
	}
	out := map[string]string{}
	for id, ip := range z.masters {
		out[strconv.Itoa(id)] = ip
	}
	return out, nil
}

func (s *Server) addMasterServer(p params) (any, error) {
	z, err := s.zoneOf(p)
	if err != nil {
		return nil, err
	}
	if z.typ != "slave" {
		return nil, fail(errNotSlave)
	}
	ip, err := netip.ParseAddr(strings.TrimSpace(p.get("master-ip")))
	if err != nil || ip.Zone() != "" {
		return nil, fail(errMasterIP)
	}
	for _, m := range z.masters {
		if m == ip.String() {
			return nil, fail(errMasterExists)
		}
	}
	s.nextMaster++
	z.masters[s.nextMaster] = ip.String()
	z.changed()
	return success(okMasterAdd), nil
}

func (s *Server) deleteMasterServer(p params) (any, error) {
	z, err := s.zoneOf(p)
	if err != nil {
		return nil, err
	}
	id, ok := p.integer("master-id")
	if _, exists := z.masters[id]; !ok || !exists {
		return nil, fail(errMasterID)
	}
	delete(z.masters, id)
	z.changed()
	return success(okMasterDelete), nil
}
