package zonefile

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/spec"
)

// Defaults of the SOA of a zone file zonesync creates, before the spec's
// soa section (if any) is applied.
var defaultSOA = spec.SOA{Refresh: 7200, Retry: 3600, Expire: 1209600, Minimum: 3600}

const defaultSOATTL = 3600

// setKey identifies a record set in a file: its relative name and type.
type setKey struct{ name, rrtype string }

// file is a parsed zone file: its SOA and its record sets.
type file struct {
	zone, path string
	soa        spec.SOA
	soaTTL     uint32
	sets       map[setKey]*spec.RecordSet
	// fresh is true for a file zonesync is about to create.
	fresh bool
}

// newFile is the content of a zone file zonesync creates.
func newFile(zone, path string) *file {
	soa := defaultSOA
	soa.PrimaryNS = "ns1." + zone + "."
	soa.AdminMail = "hostmaster@" + zone
	return &file{zone: zone, path: path, soa: soa, soaTTL: defaultSOATTL, sets: map[setKey]*spec.RecordSet{}, fresh: true}
}

// parse reads a zone file's content; path is used in error messages.
func parse(zone, path string, data []byte) (*file, error) {
	f := &file{zone: zone, path: path, sets: map[setKey]*spec.RecordSet{}}
	origin := dns.Fqdn(zone)
	zp := dns.NewZoneParser(bytes.NewReader(data), origin, path)
	zp.SetDefaultTTL(spec.DefaultTTL)
	zp.SetIncludeAllowed(false)
	sawSOA := false
	var last dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		last = rr
		h := rr.Header()
		name, inside := spec.RelativeName(spec.CanonicalName(h.Name), zone)
		if !inside {
			return nil, fmt.Errorf("zonefile: %s: record %s is outside zone %s", path, h.Name, zone)
		}
		if h.Class != dns.ClassINET {
			return nil, fmt.Errorf("zonefile: %s: record %s has class %s; only IN is supported", path, h.Name, dns.ClassToString[h.Class])
		}
		if soa, ok := rr.(*dns.SOA); ok {
			if name != spec.Apex {
				return nil, fmt.Errorf("zonefile: %s: SOA record at %s, not at the zone apex", path, h.Name)
			}
			if sawSOA {
				return nil, fmt.Errorf("zonefile: %s: more than one SOA record", path)
			}
			sawSOA = true
			f.soaTTL = h.Ttl
			f.soa = spec.SOA{
				PrimaryNS: spec.CanonicalName(soa.Ns), AdminMail: spec.MboxToMail(spec.CanonicalName(soa.Mbox)), Serial: soa.Serial,
				Refresh: soa.Refresh, Retry: soa.Retry, Expire: soa.Expire, Minimum: soa.Minttl,
			}
			continue
		}
		rrtype := dns.TypeToString[h.Rrtype]
		key := setKey{name, rrtype}
		rs := f.sets[key]
		if rs == nil {
			rs = &spec.RecordSet{Name: name, Type: rrtype, TTL: h.Ttl}
			f.sets[key] = rs
		}
		// RFC 2181 wants one TTL per record set; keep the lowest so that a
		// mixed set shows as a change when the spec says otherwise.
		rs.TTL = min(rs.TTL, h.Ttl)
		rs.Values = append(rs.Values, spec.CanonicalRR(rr))
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("zonefile: %w", err)
	}
	// miekg/dns lets the file's last record through without any data
	// (elsewhere it is a parse error): refuse it the same way.
	if last != nil && emptyRdata(last) {
		return nil, fmt.Errorf("zonefile: %s: the last record, %s %s, has no data", path, last.Header().Name, dns.TypeToString[last.Header().Rrtype])
	}
	if !sawSOA {
		return nil, fmt.Errorf("zonefile: %s: no SOA record; a zone file starts with the zone's SOA", path)
	}
	for _, rs := range f.sets {
		rs.SetValues(rs.Values)
	}
	return f, nil
}

// model returns the file as a live zone.
func (f *file) model() *spec.Zone {
	z := &spec.Zone{Name: f.zone, Mode: spec.Master, Records: make([]*spec.RecordSet, 0, len(f.sets))}
	soa := f.soa
	z.SOA = &soa
	for _, rs := range f.sets {
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// apply makes one operation's change in memory, after checking that the
// file still holds what the plan saw.
func (f *file) apply(op *plan.Operation) error {
	key := setKey{op.Name, op.Type}
	cur := f.sets[key]
	switch op.Action {
	case plan.CreateZone:
		if !f.fresh {
			return fmt.Errorf("zonefile: zone %s already exists", f.zone)
		}
		return nil
	case plan.UpdateSOA:
		if b := op.Before; b != nil && b.SOA != nil {
			now := f.soa
			now.Serial = 0
			if *b.SOA != now {
				return fmt.Errorf("zonefile: the SOA of %s changed since the plan was made", f.zone)
			}
		}
		serial := f.soa.Serial
		f.soa = *op.After.SOA.Merge(&f.soa)
		f.soa.Serial = serial
		return nil
	case plan.Create:
		if cur != nil {
			return fmt.Errorf("zonefile: %s %s already exists", op.Name, op.Type)
		}
		if other := f.cnameClash(op.Name, op.Type); other != "" {
			return fmt.Errorf("zonefile: %s %s cannot be created: %s %s is at that name, and a CNAME can hold no other data", op.Name, op.Type, op.Name, other)
		}
		f.sets[key] = op.After.RecordSet(op.Name, op.Type)
		return nil
	case plan.Update, plan.Delete:
		if cur == nil || !sameState(cur, op.Before) {
			return fmt.Errorf("zonefile: %s %s changed since the plan was made", op.Name, op.Type)
		}
		if op.Action == plan.Delete {
			delete(f.sets, key)
		} else {
			f.sets[key] = op.After.RecordSet(op.Name, op.Type)
		}
		return nil
	}
	return fmt.Errorf("zonefile: %s is not supported by zone files", op.Action)
}

// cnameClash returns a type at name that cannot stand beside rrtype: any
// other type beside a CNAME, a CNAME beside anything.
func (f *file) cnameClash(name, rrtype string) string {
	for k := range f.sets {
		if k.name == name && k.rrtype != rrtype && (rrtype == "CNAME" || k.rrtype == "CNAME") {
			return k.rrtype
		}
	}
	return ""
}

func sameState(rs *spec.RecordSet, s *plan.State) bool {
	return s != nil && s.TTL != nil && *s.TTL == rs.TTL && slices.Equal(rs.Values, s.Values)
}

// render writes the file: a header, the SOA, then every record set in order.
func (f *file) render() []byte {
	z := f.model()
	width := 1
	for _, rs := range z.Records {
		width = max(width, min(len(rs.Name), 32))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "; Zone %s, written by zonesync. Records edited here are kept; comments are not.\n", f.zone)
	fmt.Fprintf(&b, "$ORIGIN %s.\n", f.zone)
	soa := dnsNewSOA(f.zone+".", f.soaTTL, &f.soa)
	fmt.Fprintf(&b, "%-*s %6d IN SOA   %s\n", width, spec.Apex, f.soaTTL, rdata(soa))
	for _, rs := range z.Records {
		ttl := strconv.FormatUint(uint64(rs.TTL), 10)
		for _, v := range rs.Values {
			fmt.Fprintf(&b, "%-*s %6s IN %-5s %s\n", width, rs.Name, ttl, rs.Type, v)
		}
	}
	return b.Bytes()
}

// emptyRdata reports whether rr packs to zero bytes of data.
func emptyRdata(rr dns.RR) bool {
	buf := make([]byte, dns.Len(rr)+512)
	off, err := dns.PackRR(rr, buf, 0, nil, false)
	if err != nil {
		return true
	}
	nameLen, err := dns.PackDomainName(rr.Header().Name, make([]byte, 256), 0, nil, false)
	if err != nil || off < nameLen+10 {
		return true
	}
	return buf[nameLen+8] == 0 && buf[nameLen+9] == 0 // RDLENGTH
}

// rdata is a record's presentation form without its header.
func rdata(rr dns.RR) string {
	return rr.String()[len(rr.Header().String()):]
}
