package fake

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// How the fake spells records follows the provider's README: host is the
// owner (relative, or an FQDN inside the zone), names in values need no
// trailing dot, MX keeps its preference in opt and SRV "priority weight
// port" in opt, TXT is the raw text. Plesk's own answer adds the zone to
// relative hosts and a trailing dot to every name.

// normalize checks an add_rec's fields and returns the record as stored.
func normalize(st *site, typ, host, value, opt string) (*Record, *apiError) {
	r := &Record{Type: typ, Opt: strings.TrimSpace(opt)}
	fqdn, ok := ownerName(st.name, strings.TrimSpace(host))
	if !ok {
		return nil, &errInvalidValue
	}
	r.Host = fqdn
	v := strings.TrimSpace(value)
	switch typ {
	case "A", "AAAA":
		ip, err := netip.ParseAddr(v)
		if err != nil || ip.Zone() != "" || ip.Is4() != (typ == "A") {
			return nil, &errInvalidValue
		}
		r.Value = v
	case "CNAME", "NS", "PTR":
		if !validHost(v) {
			return nil, &errInvalidValue
		}
		r.Value = withDot(v)
	case "MX":
		if !validHost(v) || !uintIn(r.Opt, 65535) {
			return nil, &errInvalidValue
		}
		r.Value = withDot(v)
	case "SRV":
		f := strings.Fields(r.Opt)
		if len(f) != 3 || !uintIn(f[0], 65535) || !uintIn(f[1], 65535) || !uintIn(f[2], 65535) || !validHost(v) {
			return nil, &errInvalidValue
		}
		r.Value, r.Opt = withDot(v), strings.Join(f, " ")
	case "TXT":
		r.Value = value // the text itself, spaces included
	case "DS":
		f := strings.Fields(v)
		if len(f) != 4 || !uintIn(f[0], 65535) || !uintIn(f[1], 255) || !uintIn(f[2], 255) {
			return nil, &errInvalidValue
		}
		if _, err := hex.DecodeString(f[3]); err != nil || f[3] == "" {
			return nil, &errInvalidValue
		}
		r.Value = strings.Join(f, " ")
	default:
		// SOA and AXFR entries are Plesk's own; the fake adds neither.
		return nil, &errInvalidValue
	}
	if typ != "MX" && typ != "SRV" && r.Opt != "" {
		return nil, &errInvalidValue
	}
	return r, nil
}

// ownerName turns add_rec's host into an FQDN with a trailing dot inside
// the zone. An empty host is the apex; a host ending in the zone's name is
// taken as already absolute, as the 12.5 docs' sample passes the zone name.
func ownerName(zone, host string) (string, bool) {
	lz := strings.ToLower(zone)
	lh := strings.ToLower(strings.TrimSuffix(host, "."))
	var fqdn string
	switch {
	case host == "":
		fqdn = zone
	case lh == lz || strings.HasSuffix(lh, "."+lz):
		fqdn = strings.TrimSuffix(host, ".")
	case strings.HasSuffix(host, "."):
		return "", false // absolute, outside the zone
	default:
		fqdn = host + "." + zone
	}
	if !validHost(fqdn) {
		return "", false
	}
	return fqdn + ".", true
}

// validHost accepts names of letters, digits, '-', '_' and a leading '*' label.
func validHost(name string) bool {
	name = strings.TrimSuffix(name, ".")
	if name == "" || len(name) > 253 {
		return false
	}
	for i, label := range strings.Split(name, ".") {
		if label == "*" && i == 0 {
			continue
		}
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func withDot(name string) string {
	if strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}

func uintIn(s string, max uint64) bool {
	v, err := strconv.ParseUint(s, 10, 64)
	return err == nil && v <= max
}

// seedRecord turns one value of a model record set into add_rec fields,
// from the RR itself so that it does not share the provider's mapping.
func seedRecord(zoneName, name, rrtype, value string) (host, val, opt string, err error) {
	owner := model.FQDN(name, zoneName)
	if name == model.Apex {
		host = ""
	} else {
		host = name
	}
	rr, err := model.NewRR(owner, 0, rrtype, value)
	if err != nil {
		return "", "", "", err
	}
	switch t := rr.(type) {
	case *dns.A:
		val = t.A.String()
	case *dns.AAAA:
		val = model.CanonicalRR(t) // net.IP would print an IPv4-mapped address as IPv4
	case *dns.CNAME:
		val = t.Target
	case *dns.NS:
		val = t.Ns
	case *dns.PTR:
		val = t.Ptr
	case *dns.MX:
		val, opt = t.Mx, strconv.Itoa(int(t.Preference))
	case *dns.SRV:
		val, opt = t.Target, fmt.Sprintf("%d %d %d", t.Priority, t.Weight, t.Port)
	case *dns.TXT:
		val, err = model.TXTText(value)
	case *dns.DS:
		val = fmt.Sprintf("%d %d %d %s", t.KeyTag, t.Algorithm, t.DigestType, strings.ToUpper(t.Digest))
	default:
		return "", "", "", fmt.Errorf("fake: Plesk takes no %s records", rrtype)
	}
	return host, val, opt, err
}
