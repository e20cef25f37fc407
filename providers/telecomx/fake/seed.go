package fake

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// Seed creates a domain of DefaultCustomer with the zone's TTL (for a zone
// read from a zone file, the TTL most records have) and records,
// written as the provider writes them (MX priority in the type, targets
// without the trailing dot, TXT rData quoted).
func (s *Server) Seed(z *model.Zone) error {
	id := strings.TrimSuffix(strings.ToLower(z.Name), ".")
	if !validDomain(id) {
		return fmt.Errorf("seed %s: not a domain name the API accepts", z.Name)
	}
	ttl := int64(z.TTL)
	if ttl == 0 {
		ttl = int64(commonTTL(z, 86400))
	}
	if !validTTL(ttl) {
		return fmt.Errorf("seed %s: ttl %d is outside %d..%d", id, ttl, minTTL, maxTTL)
	}
	var recs []Record
	for _, rs := range z.Records {
		for _, v := range rs.Values {
			rec, err := seedRecord(rs.Name, rs.Type, v)
			if err != nil {
				return fmt.Errorf("seed %s: %s %s %q: %v", id, rs.Name, rs.Type, v, err)
			}
			if fail := validRecord(rec); fail != nil {
				return fmt.Errorf("seed %s: %s %s %q: %d %s %q", id, rs.Name, rs.Type, v, fail.status, fail.code, fail.message)
			}
			if !slices.Contains(recs, rec) {
				recs = append(recs, rec)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.domains[id] != nil {
		return fmt.Errorf("seed %s: the domain exists", id)
	}
	s.domains[id] = &domain{id: id, customer: DefaultCustomer, product: DefaultProduct, ttl: ttl, status: StatusOK,
		invoicedUntil: s.now().AddDate(1, 0, 0), serial: nextSerial(0, s.now()), records: recs}
	return nil
}

// commonTTL is the TTL most of a zone's records have, for a zone without a
// zone TTL of its own (one read from a zone file), and def for a zone
// without records or record TTLs. Ties go to the lower TTL.
func commonTTL(z *model.Zone, def uint32) uint32 {
	count := map[uint32]int{}
	for _, rs := range z.Records {
		if rs.TTL != 0 {
			count[rs.TTL] += len(rs.Values)
		}
	}
	best, most := def, 0
	for ttl, n := range count {
		if n > most || n == most && ttl < best {
			best, most = ttl, n
		}
	}
	return best
}

// seedRecord writes one value of the model in the API's form.
func seedRecord(name, rrtype, value string) (Record, error) {
	rec := Record{Name: name, Type: rrtype, RData: value}
	if name == model.Apex {
		rec.Name = ""
	}
	switch rrtype {
	case "A", "AAAA", "TXT":
		return rec, nil
	case "CNAME", "NS", "MX", "SRV":
	default:
		return rec, fmt.Errorf("Telecom X holds no %s records", rrtype)
	}
	rr, err := model.NewRR(".", 0, rrtype, value)
	if err != nil {
		return rec, err
	}
	host := func(n string) string {
		if n == "." {
			return n
		}
		return strings.TrimSuffix(n, ".")
	}
	switch t := rr.(type) {
	case *dns.CNAME:
		rec.RData = host(t.Target)
	case *dns.NS:
		rec.RData = host(t.Ns)
	case *dns.MX:
		rec.Type, rec.RData = "MX "+strconv.Itoa(int(t.Preference)), host(t.Mx)
	case *dns.SRV:
		rec.RData = fmt.Sprintf("%d %d %d %s", t.Priority, t.Weight, t.Port, host(t.Target))
	}
	return rec, nil
}

// AddDomain creates an empty domain of customer ("" for DefaultCustomer) with a TTL.
func (s *Server) AddDomain(id, customer string, ttl int64) error {
	if customer == "" {
		customer = DefaultCustomer
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.domains[id] != nil {
		return fmt.Errorf("add %s: the domain exists", id)
	}
	if _, ok := s.customers[customer]; !ok {
		s.customers[customer] = ""
	}
	s.domains[id] = &domain{id: id, customer: customer, product: DefaultProduct, ttl: ttl, status: StatusOK,
		invoicedUntil: s.now().AddDate(1, 0, 0), serial: nextSerial(0, s.now())}
	return nil
}

// AddRecord stores a record as it is, unchecked, as if another tool had
// written it: for tests of spellings the provider does not write.
func (s *Server) AddRecord(id string, rec Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domains[id]
	if d == nil {
		return fmt.Errorf("add record: no domain %s", id)
	}
	d.records = append(d.records, rec)
	s.changed(d)
	return nil
}

// SetStatus sets a domain's delegation status (OK, NOT_EXIST, WRONG_NS).
func (s *Server) SetStatus(id, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domains[id]
	if d == nil {
		return fmt.Errorf("set status: no domain %s", id)
	}
	d.status = status
	return nil
}

// Domain returns a copy of a domain's state.
func (s *Server) Domain(id string) (Domain, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domains[id]
	if d == nil {
		return Domain{}, false
	}
	return Domain{ID: d.id, Customer: d.customer, Product: d.product, Serial: d.serial, TTL: d.ttl,
		Status: d.status, Records: slices.Clone(d.records)}, true
}

// Domains lists the ids of every domain, sorted.
func (s *Server) Domains() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.domains))
	for id := range s.domains {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
