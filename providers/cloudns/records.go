package cloudns

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// This file maps one ClouDNS record to a canonical value of the model and
// back. ClouDNS keeps each type's data in its own fields (priority, weight,
// caa_value, ...), names without the trailing dot, and TXT as raw text.

// hostName turns ClouDNS's host (relative, "" for the apex) into the model's name.
func hostName(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || host == "@" {
		return model.Apex
	}
	return host
}

// wireHost turns the model's name into ClouDNS's host.
func wireHost(name string) string {
	if name == model.Apex {
		return ""
	}
	return name
}

// wireName writes a domain name in a record's data as ClouDNS keeps it:
// without the trailing dot, except the root itself.
func wireName(name string) string {
	if name == "." {
		return "."
	}
	return strings.TrimSuffix(name, ".")
}

// absName reads a domain name from a record's data: ClouDNS returns
// absolute names without the trailing dot. Guess: an empty name (seen
// nowhere, but possible for a NAPTR replacement) is the root.
func absName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "." {
		return ".", nil
	}
	if _, ok := dns.IsDomainName(s); !ok || strings.ContainsAny(s, " \t;\"()") {
		return "", fmt.Errorf("%q is not a domain name", s)
	}
	return dns.CanonicalName(s), nil
}

// token checks a field that goes into a presentation string as one token.
func token(field, s string) (string, error) {
	if s == "" || strings.ContainsAny(s, " \t\r\n;\"()\\") {
		return "", fmt.Errorf("%s %q is not a single token", field, s)
	}
	return s, nil
}

// modelValue returns the canonical value of a record read from records.json.
func modelValue(r wireRecord) (string, error) {
	rrtype := strings.ToUpper(string(r.Type))
	data := string(r.Record)
	switch rrtype {
	case "A", "AAAA":
		ip, err := netip.ParseAddr(strings.TrimSpace(data))
		if err != nil || ip.Is4() != (rrtype == "A") || ip.Zone() != "" {
			return "", fmt.Errorf("%q is not an %s address", data, map[string]string{"A": "IPv4", "AAAA": "IPv6"}[rrtype])
		}
		return ip.String(), nil
	case "CNAME", "NS", "PTR":
		name, err := absName(data)
		if err != nil {
			return "", err
		}
		if name == "." {
			return "", fmt.Errorf("%s record without a target", rrtype)
		}
		return name, nil
	case "TXT", "SPF":
		return model.TXTValue(data), nil
	case "MX":
		name, err := absName(data)
		if err != nil {
			return "", err
		}
		return model.CanonicalValue(rrtype, fmt.Sprintf("%d %s", r.Priority, name))
	case "SRV":
		name, err := absName(data)
		if err != nil {
			return "", err
		}
		return model.CanonicalValue(rrtype, fmt.Sprintf("%d %d %d %s", r.Priority, r.Weight, r.Port, name))
	case "CAA":
		tag, err := token("caa_type", string(r.CAAType))
		if err != nil {
			return "", err
		}
		if r.CAAFlag < 0 || r.CAAFlag > 255 {
			return "", fmt.Errorf("caa_flag %d is outside 0..255", r.CAAFlag)
		}
		rr := &dns.CAA{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeCAA, Class: dns.ClassINET},
			Flag: uint8(r.CAAFlag), Tag: tag, Value: escapeString(string(r.CAAValue))}
		return model.CanonicalRR(rr), nil
	case "TLSA":
		cert, err := token("record", data)
		if err != nil {
			return "", err
		}
		return model.CanonicalValue(rrtype, fmt.Sprintf("%d %d %d %s", r.TLSAUsage, r.TLSASelector, r.TLSAMatchingType, cert))
	case "SSHFP":
		fp, err := token("record", data)
		if err != nil {
			return "", err
		}
		return model.CanonicalValue(rrtype, fmt.Sprintf("%d %d %s", r.Algorithm, r.FPType, fp))
	case "DS":
		digest := string(r.DSDigest)
		if digest == "" {
			digest = data
		}
		digest, err := token("dsdigest", digest)
		if err != nil {
			return "", err
		}
		alg := r.DSAlgorithm
		if alg == 0 {
			alg = r.Algorithm
		}
		return model.CanonicalValue(rrtype, fmt.Sprintf("%d %d %d %s", r.KeyTag, alg, r.DigestType, digest))
	case "NAPTR":
		repl, err := absName(string(r.Replace))
		if err != nil {
			return "", err
		}
		if r.Order < 0 || r.Order > 65535 || r.Pref < 0 || r.Pref > 65535 {
			return "", fmt.Errorf("order %d or pref %d is outside 0..65535", r.Order, r.Pref)
		}
		rr := &dns.NAPTR{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeNAPTR, Class: dns.ClassINET},
			Order: uint16(r.Order), Preference: uint16(r.Pref), Flags: escapeString(string(r.Flag)),
			Service: escapeString(string(r.Params)), Regexp: escapeString(string(r.Regexp)), Replacement: repl}
		return model.CanonicalRR(rr), nil
	}
	return "", fmt.Errorf("record type %s is not managed by zonesync's ClouDNS provider", rrtype)
}

// recordParams returns the add-record parameters of one value of a record
// set; mod-record takes the same plus record-id.
func recordParams(zone, name, rrtype string, ttl uint32, value string) (map[string]any, error) {
	p := map[string]any{"domain-name": zone, "host": wireHost(name), "record-type": rrtype, "ttl": ttl}
	if rrtype == "TXT" || rrtype == "SPF" {
		text, err := wireTXT(value)
		if err != nil {
			return nil, err
		}
		p["record"] = text
		return p, nil
	}
	rr, err := model.NewRR(model.FQDN(name, zone), ttl, rrtype, value)
	if err != nil {
		return nil, err
	}
	switch t := rr.(type) {
	case *dns.A:
		p["record"] = t.A.String()
	case *dns.AAAA:
		// The canonical spelling: net.IP would print an IPv4-mapped
		// address as bare IPv4, which is no IPv6 address.
		p["record"] = model.CanonicalRR(t)
	case *dns.CNAME:
		p["record"] = wireName(t.Target)
	case *dns.NS:
		p["record"] = wireName(t.Ns)
	case *dns.PTR:
		p["record"] = wireName(t.Ptr)
	case *dns.MX:
		p["priority"], p["record"] = t.Preference, wireName(t.Mx)
	case *dns.SRV:
		p["priority"], p["weight"], p["port"], p["record"] = t.Priority, t.Weight, t.Port, wireName(t.Target)
	case *dns.CAA:
		if t.Flag != 0 && t.Flag != 128 {
			return nil, fmt.Errorf("ClouDNS accepts CAA flag 0 or 128 only, not %d", t.Flag)
		}
		value, err := unescapeString(t.Value)
		if err != nil {
			return nil, err
		}
		p["record"], p["caa_flag"], p["caa_type"], p["caa_value"] = "", t.Flag, t.Tag, value
	case *dns.TLSA:
		p["tlsa_usage"], p["tlsa_selector"], p["tlsa_matching_type"], p["record"] = t.Usage, t.Selector, t.MatchingType, strings.ToLower(t.Certificate)
	case *dns.SSHFP:
		p["algorithm"], p["fptype"], p["record"] = t.Algorithm, t.Type, strings.ToLower(t.FingerPrint)
	case *dns.DS:
		p["key-tag"], p["algorithm"], p["digest-type"], p["record"] = t.KeyTag, t.Algorithm, t.DigestType, strings.ToUpper(t.Digest)
	case *dns.NAPTR:
		var fields [3]string
		for i, s := range []string{t.Flags, t.Service, t.Regexp} {
			if fields[i], err = unescapeString(s); err != nil {
				return nil, err
			}
		}
		p["record"], p["order"], p["pref"], p["flag"], p["params"], p["regexp"], p["replace"] =
			"", t.Order, t.Preference, fields[0], fields[1], fields[2], wireName(t.Replacement)
	default:
		return nil, fmt.Errorf("record type %s is not managed by zonesync's ClouDNS provider", rrtype)
	}
	return p, nil
}

// wireTXT is the text of a TXT or SPF record as ClouDNS's record field
// holds it: one text, which ClouDNS splits into strings itself. A value
// whose strings break elsewhere than the plain 255-byte split cannot be
// sent without losing its boundaries; validate refuses such a spec, and a
// plan that carries one anyway is refused here rather than joined.
func wireTXT(value string) (string, error) {
	strs, err := model.TXTStrings(value)
	if err != nil {
		return "", err
	}
	if !model.PlainTXT(strs) {
		return "", fmt.Errorf("ClouDNS keeps a TXT record as one text and cannot hold the boundaries between the strings of %s", value)
	}
	return strings.Join(strs, ""), nil
}

// escapeString and unescapeString convert between the raw text ClouDNS
// holds and a character-string as miekg/dns holds it.
var (
	escapeString   = model.EscapeString
	unescapeString = model.UnescapeString
)
