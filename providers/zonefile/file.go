package zonefile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// Defaults of the SOA of a zone file zonesync creates, before the spec's
// soa section (if any) is applied.
var defaultSOA = model.SOA{Refresh: 7200, Retry: 3600, Expire: 1209600, Minimum: 3600}

const defaultSOATTL = 3600

// setKey identifies a record set in a file: its relative name and type.
type setKey struct{ name, rrtype string }

// file is a parsed zone file: its SOA and its record sets.
type file struct {
	zone, path string
	soa        model.SOA
	soaTTL     uint32
	// sets are all the file's record sets, the signer's included: they are
	// written back as they were read.
	sets map[setKey]*model.RecordSet
	// signed is true when the file holds DNSSEC signatures.
	signed bool
	// fresh is true for a file zonesync is about to create.
	fresh bool
}

// newFile is the content of a zone file zonesync creates.
func newFile(zone, path string) *file {
	soa := defaultSOA
	soa.PrimaryNS = "ns1." + zone + "."
	soa.AdminMail = "hostmaster@" + zone
	return &file{zone: zone, path: path, soa: soa, soaTTL: defaultSOATTL, sets: map[setKey]*model.RecordSet{}, fresh: true}
}

// noTTL is the TTL the parser gives a record before the file has said
// any: no $TTL and no TTL on an earlier record. An explicit TTL this high
// reads the same, but BIND caps TTLs at 2^31-1 anyway.
const noTTL = math.MaxUint32

// soaWithoutTTL reports a file whose SOA has no TTL and none before it.
type soaWithoutTTL struct{ minimum uint32 }

func (s soaWithoutTTL) Error() string { return "the SOA has no TTL" }

// parse reads a zone file's content; path is used in error messages.
//
// Records without a TTL take it as BIND gives it: from $TTL; else from the
// last record that had one (RFC 1035); and when the SOA comes before
// either, from the SOA's last field, which then serves as $TTL (RFC 2308).
// That last case is read a second time with that $TTL in front.
func parse(zone, path string, data []byte) (*file, error) {
	f, err := parseTTL(zone, path, data, "")
	var fallback soaWithoutTTL
	if errors.As(err, &fallback) {
		return parseTTL(zone, path, data, "$TTL "+strconv.FormatUint(uint64(fallback.minimum), 10)+"\n")
	}
	return f, err
}

// parseTTL is parse with a directive read before the file's first line.
func parseTTL(zone, path string, data []byte, prefix string) (*file, error) {
	f := &file{zone: zone, path: path, sets: map[setKey]*model.RecordSet{}}
	origin := model.Fqdn(zone)
	zp := dns.NewZoneParser(io.MultiReader(strings.NewReader(prefix), bytes.NewReader(data)), origin, path)
	zp.SetDefaultTTL(noTTL)
	zp.SetIncludeAllowed(false)
	sawSOA := false
	var fallback *soaWithoutTTL
	// The last record; model.CanonicalRR rewrites its header, so its owner
	// and type are kept for messages.
	var last dns.RR
	var lastName, lastType string
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		h := rr.Header()
		last, lastName, lastType = rr, h.Name, model.TypeName(h.Rrtype)
		name, inside := model.RelativeName(model.CanonicalName(h.Name), zone)
		if !inside {
			return nil, fmt.Errorf("zonefile: %s: record %s is outside zone %s", path, h.Name, zone)
		}
		if h.Class != dns.ClassINET {
			return nil, fmt.Errorf("zonefile: %s: record %s has class %s; only IN is supported", path, h.Name, dns.ClassToString[h.Class])
		}
		if model.MetaType(h.Rrtype) {
			return nil, fmt.Errorf("zonefile: %s: record %s has type %s, which is not a record type; BIND refuses it", path, h.Name, model.TypeName(h.Rrtype))
		}
		if err := model.CheckGenericData(rr); err != nil {
			return nil, fmt.Errorf("zonefile: %s: record %s %s: %w", path, h.Name, model.TypeName(h.Rrtype), err)
		}
		if emptyData(rr) {
			return nil, fmt.Errorf("zonefile: %s: record %s %s has no data; BIND refuses it", path, h.Name, model.TypeName(h.Rrtype))
		}
		soa, isSOA := rr.(*dns.SOA)
		if h.Ttl == noTTL && prefix == "" && fallback == nil {
			if !isSOA {
				return nil, fmt.Errorf("zonefile: %s: record %s %s has no TTL, and neither $TTL nor an earlier record gives one; BIND refuses such a file", path, h.Name, model.TypeName(h.Rrtype))
			}
			// Read on to report any error in the file, then again.
			fallback = &soaWithoutTTL{soa.Minttl}
		}
		if isSOA {
			if name != model.Apex {
				return nil, fmt.Errorf("zonefile: %s: SOA record at %s, not at the zone apex", path, h.Name)
			}
			if sawSOA {
				return nil, fmt.Errorf("zonefile: %s: more than one SOA record", path)
			}
			sawSOA = true
			f.soaTTL = h.Ttl
			f.soa = model.SOA{
				PrimaryNS: model.CanonicalName(soa.Ns), AdminMail: model.MboxToMail(model.CanonicalName(soa.Mbox)), Serial: soa.Serial,
				Refresh: soa.Refresh, Retry: soa.Retry, Expire: soa.Expire, Minimum: soa.Minttl,
			}
			continue
		}
		rrtype := model.TypeName(h.Rrtype)
		if rrtype == "RRSIG" {
			f.signed = true
		}
		key := setKey{name, rrtype}
		rs := f.sets[key]
		if rs == nil {
			rs = &model.RecordSet{Name: name, Type: rrtype, TTL: h.Ttl}
			f.sets[key] = rs
		}
		// RFC 2181 wants one TTL per record set; keep the lowest so that a
		// mixed set shows as a change when the spec says otherwise.
		rs.TTL = min(rs.TTL, h.Ttl)
		rs.Values = append(rs.Values, model.CanonicalRR(rr))
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("zonefile: %w", err)
	}
	// miekg/dns lets the file's last record through with its data cut
	// short, zeros or nothing for the rest (elsewhere that is a parse
	// error): refuse it the same way.
	if last != nil && !readsBackSame(last) {
		return nil, fmt.Errorf("zonefile: %s: the last record, %s %s, is incomplete: the file ends inside it", path, lastName, lastType)
	}
	if !sawSOA {
		return nil, fmt.Errorf("zonefile: %s: no SOA record; a zone file starts with the zone's SOA", path)
	}
	if fallback != nil {
		return nil, *fallback
	}
	for _, rs := range f.sets {
		rs.SetValues(rs.Values)
	}
	return f, nil
}

// signerOwned reports whether a record set is the DNSSEC signer's: kept
// in the file, never shown as live data nor changed.
func (f *file) signerOwned(k setKey) bool {
	return model.SignerOwned(k.name, k.rrtype, f.signed)
}

// model returns the file as a live zone: every record set but the signer's.
func (f *file) model() *model.Zone {
	z := f.all()
	kept := z.Records[:0]
	for _, rs := range z.Records {
		if !f.signerOwned(setKey{rs.Name, rs.Type}) {
			kept = append(kept, rs)
		}
	}
	z.Records = kept
	return z
}

// all returns the file as a zone with every record set, the signer's too.
func (f *file) all() *model.Zone {
	z := &model.Zone{Name: f.zone, Mode: model.Master, Records: make([]*model.RecordSet, 0, len(f.sets))}
	soa := f.soa
	z.SOA = &soa
	for _, rs := range f.sets {
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// apply makes one operation's change in memory, after checking that the
// file still holds what the plan saw (op.Before). A file is rewritten
// whole, so a record set is replaced by the plan's after state: with the
// set as the plan saw it, that is op.Change() carried out, and nothing of
// the change is computed here.
func (f *file) apply(op *plan.Operation) error {
	key := setKey{op.Name, op.Type}
	cur := f.sets[key]
	if op.Action == plan.Create || op.Action == plan.Update || op.Action == plan.Delete {
		if f.signerOwned(key) {
			return fmt.Errorf("zonefile: %s %s belongs to the zone's DNSSEC signer; zonesync does not change it", op.Name, op.Type)
		}
	}
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

// apexNSKey is the record set of the zone's name servers.
var apexNSKey = setKey{model.Apex, "NS"}

// addApexNS gives a zone file without apex NS records the one BIND needs
// to load it, naming the SOA's primary server, and returns that name.
// (A name server inside the zone also needs an address there; that is the
// spec's to declare, see the README.)
func (f *file) addApexNS() string {
	f.sets[apexNSKey] = &model.RecordSet{Name: model.Apex, Type: "NS", TTL: f.soaTTL, Values: []string{f.soa.PrimaryNS}}
	return f.soa.PrimaryNS
}

// cnameClash returns a type at name that cannot stand beside rrtype: any
// other type beside a CNAME, a CNAME beside anything.
func (f *file) cnameClash(name, rrtype string) string {
	for k := range f.sets {
		// A CNAME's signature and NSEC record stand beside it (RFC 4035 §2.5).
		if k.name == name && k.rrtype != rrtype && (rrtype == "CNAME" || k.rrtype == "CNAME") && !f.signerOwned(k) {
			return k.rrtype
		}
	}
	return ""
}

func sameState(rs *model.RecordSet, s *plan.State) bool {
	return s != nil && s.TTL != nil && *s.TTL == rs.TTL && slices.Equal(rs.Values, s.Values)
}

// render writes the file: a header, the SOA, then every record set in order.
func (f *file) render() []byte {
	z := f.all()
	width := 1
	for _, rs := range z.Records {
		width = max(width, min(len(rs.Name), 32))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "; Zone %s, written by zonesync. Records edited here are kept; comments are not.\n", f.zone)
	fmt.Fprintf(&b, "$ORIGIN %s.\n", f.zone)
	soa := dnsNewSOA(f.zone+".", f.soaTTL, &f.soa)
	fmt.Fprintf(&b, "%-*s %6d IN SOA   %s\n", width, model.Apex, f.soaTTL, rdata(soa))
	for _, rs := range z.Records {
		ttl := strconv.FormatUint(uint64(rs.TTL), 10)
		for _, v := range rs.Values {
			fmt.Fprintf(&b, "%-*s %6s IN %-5s %s\n", width, rs.Name, ttl, rs.Type, v)
		}
	}
	return b.Bytes()
}

// emptyData reports whether rr holds no data although its type needs
// some: miekg/dns reads `A \# 0`, and a last line "www 300 IN A" with
// nothing after it, as an A record without an address, which it writes
// as "<nil>". Such a record is the zero value of its type and does not
// read back; a zero value that does, such as an EUI48 of zeros, is data.
func emptyData(rr dns.RR) bool {
	// The commonest types first, without allocating: big zones are
	// mostly these.
	switch t := rr.(type) {
	case *dns.A:
		return t.A == nil
	case *dns.AAAA:
		return t.AAAA == nil
	case *dns.CNAME:
		return t.Target == ""
	case *dns.NS:
		return t.Ns == ""
	case *dns.PTR:
		return t.Ptr == ""
	case *dns.MX:
		return t.Mx == ""
	case *dns.SRV:
		return t.Target == ""
	case *dns.TXT:
		return t.Txt == nil
	case *dns.RFC3597, *dns.APL, *dns.NULL:
		return false // data of length 0 is theirs to have
	}
	newRR, known := dns.TypeToRR[rr.Header().Rrtype]
	if !known {
		return false
	}
	zero := newRR()
	*zero.Header() = *rr.Header()
	return dns.IsDuplicate(rr, zero) && !readsBack(rr)
}

// readsBack reports whether rr's presentation form parses as a record.
func readsBack(rr dns.RR) bool {
	_, ok := reparse(rr)
	return ok
}

// readsBackSame reports whether rr's presentation form parses as a record
// with the same data.
func readsBackSame(rr dns.RR) bool {
	again, ok := reparse(rr)
	return ok && model.CanonicalRR(dns.Copy(rr)) == model.CanonicalRR(again)
}

// reparse parses rr's presentation form. A line after it keeps miekg/dns
// from taking a record cut short at the end of its input.
func reparse(rr dns.RR) (dns.RR, bool) {
	h := rr.Header()
	text := h.Name + " 0 IN " + model.TypeName(h.Rrtype) + " " + model.RDATA(rr)
	zp := dns.NewZoneParser(strings.NewReader(text+"\n$ORIGIN .\n"), ".", "")
	again, ok := zp.Next()
	return again, ok && zp.Err() == nil
}

// rdata is a record's presentation form without its header.
func rdata(rr dns.RR) string {
	return rr.String()[len(rr.Header().String()):]
}
