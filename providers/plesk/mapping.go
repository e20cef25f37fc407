package plesk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// This file is the one place that knows how a record is spelled in
// Plesk's host, value and opt fields:
//
//	type   host               value                    opt
//	A      relative name      192.0.2.1                -
//	AAAA   relative name      2001:db8::1              -
//	CNAME  relative name      target.example.com       -
//	NS     relative name      ns1.example.com          -
//	PTR    relative name      host.example.com         -
//	MX     relative name      mail.example.com         preference ("10")
//	SRV    _service._proto…   target.example.com       "priority weight port"
//	TXT    relative name      the text itself, unquoted -  (one text: no string boundaries)
//	DS     relative name      "keytag alg digesttype digest" -
//
// The apex is the empty host. Names in values are sent without their
// trailing dot, as Plesk's own clients do; Plesk answers with FQDN hosts
// and names ending in a dot, and both spellings are read.
//
// SRV is a guess: the notes only have an old doc line saying opt "can
// contain" <Srv Protocol Port Priority Weight/>. The provider keeps the
// whole owner name in host and the three numbers in opt, in the order the
// presentation format uses, which is what Plesk's zone listing shows.

// wireRecord is a record as add_rec takes it and get_rec returns it.
type wireRecord struct {
	Type, Host, Value, Opt string
}

// toWire maps one value of the record set (name, rrtype) to add_rec fields.
func toWire(name, rrtype, value string) (wireRecord, error) {
	w := wireRecord{Type: rrtype}
	if name != model.Apex {
		w.Host = name
	}
	switch rrtype {
	case "A", "AAAA", "DS":
		w.Value = value
	case "CNAME", "NS", "PTR":
		w.Value = strings.TrimSuffix(value, ".")
	case "TXT":
		strs, err := model.TXTStrings(value)
		if err != nil {
			return w, err
		}
		// value holds one text, which Plesk splits itself; other string
		// boundaries would be lost. Validate refuses them (TXTStrings is
		// false); a plan that carries one anyway is refused here.
		if !model.PlainTXT(strs) {
			return w, fmt.Errorf("Plesk keeps a TXT record as one text and cannot hold the boundaries between the strings of %s", value)
		}
		text := strings.Join(strs, "")
		if !xmlSafe(text) {
			return w, fmt.Errorf("the text holds bytes an XML packet cannot carry (control characters or invalid UTF-8)")
		}
		w.Value = text
	case "MX":
		rr, err := model.NewRR("x.", 0, rrtype, value)
		if err != nil {
			return w, err
		}
		mx := rr.(*dns.MX)
		w.Value, w.Opt = strings.TrimSuffix(mx.Mx, "."), strconv.Itoa(int(mx.Preference))
	case "SRV":
		rr, err := model.NewRR("x.", 0, rrtype, value)
		if err != nil {
			return w, err
		}
		srv := rr.(*dns.SRV)
		w.Value = strings.TrimSuffix(srv.Target, ".")
		w.Opt = fmt.Sprintf("%d %d %d", srv.Priority, srv.Weight, srv.Port)
	default:
		return w, fmt.Errorf("record type %s is not one Plesk's API takes", rrtype)
	}
	return w, nil
}

// fromWire maps a record get_rec returned for zone to the model. skip is
// true for entries zonesync leaves alone: no DNS data a spec can declare
// (Plesk lists SOA and, on Windows, AXFR entries among the records), or a
// type this provider does not manage (a CAA record a newer Plesk holds):
// such records are never read into a plan, so never deleted.
func fromWire(zone string, d resultData) (name, rrtype, value string, skip bool, err error) {
	rrtype = strings.ToUpper(strings.TrimSpace(d.Type))
	if model.CheckType(rrtype) != nil || !slices.Contains(RecordTypes, rrtype) {
		return "", rrtype, "", true, nil
	}
	host := strings.TrimSpace(d.Host)
	if host == "" {
		name = model.Apex
	} else if name, err = relativeHost(host, zone); err != nil {
		return "", rrtype, "", false, err
	}
	v := strings.TrimSpace(d.Value)
	opt := strings.TrimSpace(d.Opt)
	var presentation string
	switch rrtype {
	case "CNAME", "NS", "PTR":
		presentation = absolute(v)
	case "MX", "SRV":
		presentation = opt + " " + absolute(v)
	case "TXT", "SPF":
		presentation = d.Value // the text itself: spaces at its ends are data
	default:
		presentation = v
	}
	value, err = model.CanonicalValue(rrtype, presentation)
	if err != nil {
		return "", rrtype, "", false, fmt.Errorf("host %q type %s value %q opt %q: %w", d.Host, rrtype, d.Value, d.Opt, err)
	}
	return name, rrtype, value, false, nil
}

// xmlSafe reports whether every character of s is one XML 1.0 allows;
// encoding/xml would silently replace the others.
func xmlSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) {
			return false
		}
	}
	return true
}

// relativeHost turns a host as Plesk returns it (an FQDN, usually with a
// trailing dot) into a name relative to zone.
func relativeHost(host, zone string) (string, error) {
	name, ok := model.RelativeName(host, zone)
	if !ok {
		return "", fmt.Errorf("host %q is not inside zone %s", host, zone)
	}
	return name, nil
}

// absolute adds the trailing dot Plesk may leave off a name.
func absolute(name string) string {
	if name == "" || strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}
