package telecomx

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

// RecordTypes are the record types the API documents.
var RecordTypes = []string{"A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT"}

// DefaultZoneTTL is the TTL POST /dns gives a domain when none is sent
// (documented), and the one assumed when an answer leaves ttl out.
const DefaultZoneTTL = 86400

// wireTarget writes a domain name inside rData. Whether the API wants a
// trailing dot is unknown; the wiki's CNAME, NS and MX examples have none,
// so none is written (the root stays "."). This is the only place that decides.
func wireTarget(fqdn string) string {
	if fqdn == "." {
		return fqdn
	}
	return strings.TrimSuffix(fqdn, ".")
}

// wireTXT writes TXT rData. The wiki shows TXT rData "in quotes"; zonesync
// sends the quotes as part of rData: the canonical value, which is quoted,
// escaped and split into 255-byte strings. This is the only place that decides.
func wireTXT(canonical string) string { return canonical }

// wireName writes an owner name: relative, "" for the apex.
func wireName(name string) string {
	if name == model.Apex {
		return ""
	}
	return name
}

// toWire turns one value of a record set into the record the API holds.
func toWire(name, rrtype, value string) (Record, error) {
	rec := Record{Name: wireName(name), Type: rrtype}
	switch rrtype {
	case "A", "AAAA":
		rec.RData = value
		return rec, nil
	case "TXT":
		rec.RData = wireTXT(value)
		return rec, nil
	case "CNAME", "NS", "MX", "SRV":
	default:
		return rec, fmt.Errorf("telecomx cannot hold %s records (it supports %s)", rrtype, strings.Join(RecordTypes, ", "))
	}
	rr, err := model.NewRR(".", 0, rrtype, value)
	if err != nil {
		return rec, err
	}
	switch t := rr.(type) {
	case *dns.CNAME:
		rec.RData = wireTarget(t.Target)
	case *dns.NS:
		rec.RData = wireTarget(t.Ns)
	case *dns.MX:
		// The API carries an MX record's priority in its type.
		rec.Type = "MX " + strconv.Itoa(int(t.Preference))
		rec.RData = wireTarget(t.Mx)
	case *dns.SRV:
		rec.RData = fmt.Sprintf("%d %d %d %s", t.Priority, t.Weight, t.Port, wireTarget(t.Target))
	}
	return rec, nil
}

// fromWire turns a record of the API into the model's name, type and
// canonical value. Names in rData are absolute with or without a trailing
// dot: they are parsed under the root origin, so both read alike.
func fromWire(zone string, r Record) (name, rrtype, value string, err error) {
	if name, err = modelName(r.Name, zone); err != nil {
		return "", "", "", err
	}
	typeFields := strings.Fields(r.Type)
	if len(typeFields) == 0 {
		return "", "", "", errors.New("the record has no type")
	}
	rrtype = strings.ToUpper(typeFields[0])
	rdata := strings.TrimSpace(r.RData)
	if strings.ContainsAny(rdata, "\n\r") {
		return "", "", "", errors.New("rData spans several lines")
	}
	pres := rdata
	switch {
	case rrtype == "TXT" && len(typeFields) == 1:
		return name, rrtype, modelTXT(rdata), nil
	case rrtype == "MX" && len(typeFields) == 2:
		pres = typeFields[1] + " " + rdata
	case len(typeFields) != 1:
		return "", "", "", fmt.Errorf("type %q is not a record type", r.Type)
	}
	if model.CheckType(rrtype) != nil {
		return "", "", "", fmt.Errorf("type %q is not a record type", r.Type)
	}
	rr, err := model.NewRR(".", 0, rrtype, pres)
	if err != nil {
		return "", "", "", fmt.Errorf("%s rData %q: cannot be read", rrtype, rdata)
	}
	if dns.TypeToString[rr.Header().Rrtype] != rrtype {
		return "", "", "", fmt.Errorf("%s rData %q: cannot be read", rrtype, rdata)
	}
	return name, rrtype, model.CanonicalRR(rr), nil
}

// modelTXT reads TXT rData: quoted strings as zonesync writes them, or,
// should the API hand back bare text, that text as it is.
func modelTXT(rdata string) string {
	if strings.HasPrefix(rdata, `"`) {
		if rr, err := model.NewRR(".", 0, "TXT", rdata); err == nil {
			return model.CanonicalRR(rr)
		}
	}
	return model.TXTValue(rdata)
}

// modelName reads an owner name. Names are relative to the domain; the
// wiki writes an SRV owner with a trailing dot, which is read as absolute
// when it ends in the zone and as relative otherwise.
func modelName(name, zone string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" || n == model.Apex {
		return model.Apex, nil
	}
	if strings.HasSuffix(n, ".") {
		if rel, ok := model.RelativeName(n, zone); ok {
			return rel, nil
		}
		n = strings.TrimSuffix(n, ".")
	}
	if n == "" || strings.IndexFunc(n, isSpaceOrControl) >= 0 || strings.Contains(n, "..") || strings.HasPrefix(n, ".") || strings.HasSuffix(n, ".") {
		return "", fmt.Errorf("name %q is not a domain name", name)
	}
	return n, nil
}

// isSpaceOrControl reports whether r cannot stand in a name as the API
// spells it: white space of any kind (form feed and vertical tab included,
// which TrimSpace would take off the end of a name on a second read) and
// control characters.
func isSpaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// sameRecord reports whether two records of the API hold the same data,
// whatever their spelling (case, trailing dots, quoting).
func sameRecord(zone string, a, b Record) bool {
	if a == b {
		return true
	}
	an, at, av, err1 := fromWire(zone, a)
	bn, bt, bv, err2 := fromWire(zone, b)
	return err1 == nil && err2 == nil && an == bn && at == bt && av == bv
}

// zoneModel turns a full DNS object into the model, and the records that
// hold each value, as the API spells them, for the provider's index (a
// record is addressed by exactly those three fields). Every record set
// gets the zone TTL.
func zoneModel(zone string, d *Domain) (*model.Zone, zoneRecords, error) {
	ttl := uint32(DefaultZoneTTL)
	if d.TTL > 0 && d.TTL <= 1<<31-1 {
		ttl = uint32(d.TTL)
	} else if d.TTL != 0 {
		return nil, nil, fmt.Errorf("telecomx: GET %s: ttl %d is out of range", domainPath(zone), d.TTL)
	}
	z := &model.Zone{Name: zone, Mode: model.Master, TTL: ttl}
	sets := map[setKey]*model.RecordSet{}
	wire := zoneRecords{}
	for _, r := range d.Records {
		if !managedType(r.Type) {
			// A type this provider does not manage: left alone, never in a
			// plan, so never deleted.
			continue
		}
		name, rrtype, value, err := fromWire(zone, r)
		if err != nil {
			return nil, nil, fmt.Errorf("telecomx: GET %s: record %s: %v", domainPath(zone), describeRecord(r), err)
		}
		key := setKey{name, rrtype}
		rs := sets[key]
		if rs == nil {
			rs = &model.RecordSet{Name: name, Type: rrtype, TTL: ttl}
			sets[key] = rs
			z.Records = append(z.Records, rs)
		}
		rs.Values = append(rs.Values, value)
		wire.add(key, value, r)
	}
	for _, rs := range z.Records {
		rs.SetValues(rs.Values)
	}
	z.SortRecords()
	return z, wire, nil
}

// managedType reports whether a wire type ("A", "MX 10") is one of RecordTypes.
func managedType(wireType string) bool {
	f := strings.Fields(wireType)
	return len(f) > 0 && slices.Contains(RecordTypes, strings.ToUpper(f[0]))
}

// isNotFound reports whether err says the domain does not exist.
func isNotFound(err error) bool { return errors.Is(err, providers.ErrZoneNotFound) }
