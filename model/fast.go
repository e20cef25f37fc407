package model

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// fastValue canonicalises the commonest values without a zone parser: big
// zones are mostly addresses, names and MX and SRV records. It takes only
// plain spellings it is sure of; anything else (escapes, comments, odd
// characters, a name of one label) is left to miekg/dns, which also gives
// the errors. FuzzFastValue holds it to miekg/dns's answers.
func fastValue(rrtype, value string) (string, bool) {
	switch rrtype {
	case "A", "AAAA":
		return fastAddress(rrtype, value)
	case "CNAME", "NS", "PTR", "DNAME":
		return fastName(value)
	case "MX":
		f := plainFields(value)
		if len(f) != 2 {
			return "", false
		}
		pref, ok := fastUint16(f[0])
		name, ok2 := fastName(f[1])
		if !ok || !ok2 {
			return "", false
		}
		return pref + " " + name, true
	case "SRV":
		f := plainFields(value)
		if len(f) != 4 {
			return "", false
		}
		prio, ok1 := fastUint16(f[0])
		weight, ok2 := fastUint16(f[1])
		port, ok3 := fastUint16(f[2])
		target, ok4 := fastName(f[3])
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return "", false
		}
		return prio + " " + weight + " " + port + " " + target, true
	}
	return "", false
}

// plainFields splits a value at spaces and tabs, as the zone parser does;
// nil when it holds any other blank or control character.
func plainFields(s string) []string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return nil
		}
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

// fastUint16 reads a plain decimal 16-bit number.
func fastUint16(s string) (string, bool) {
	if len(s) == 0 || len(s) > 5 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return "", false
	}
	return strconv.FormatUint(n, 10), true
}

// fastName reads a plain domain name of two labels or more, or one ending
// in a dot: letters, digits, '-' and '_' only, no empty or long label.
func fastName(s string) (string, bool) {
	abs := strings.HasSuffix(s, ".")
	body := strings.TrimSuffix(s, ".")
	if body == "" || len(body) > 250 || !abs && !strings.Contains(body, ".") {
		return "", false
	}
	label := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '.':
			if label == 0 {
				return "", false
			}
			label = 0
			continue
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
		case c == '-':
			if label == 3 && body[i-1] == '-' {
				// "xn--" labels are checked as IDNA on the slow path.
				return "", false
			}
		case c >= 'A' && c <= 'Z':
		default:
			return "", false
		}
		if label++; label > 63 {
			return "", false
		}
	}
	if label == 0 {
		return "", false
	}
	return strings.ToLower(body) + ".", true
}

// fastAddress canonicalises the commonest values, plain IPv4 and IPv6
// addresses, without a zone parser: big zones are mostly addresses. Anything
// unusual is left to miekg/dns.
func fastAddress(rrtype, value string) (string, bool) {
	if rrtype != "A" && rrtype != "AAAA" {
		return "", false
	}
	ip, err := netip.ParseAddr(value)
	if err != nil || ip.Zone() != "" {
		return "", false
	}
	if rrtype == "A" && ip.Is4() {
		return ip.String(), true
	}
	if rrtype == "AAAA" && ip.Is6() {
		return ip.String(), true
	}
	return "", false
}

// aaaaValue is the canonical value of an AAAA record's address: netip's
// spelling, which keeps an IPv4-mapped address as ::ffff:192.0.2.1 (the
// form miekg/dns prints in a zone file and parses back) where net.IP's
// String would print the bare IPv4 address, which is no AAAA value.
func aaaaValue(ip net.IP) string {
	ip16 := ip.To16()
	if ip16 == nil {
		return ip.String()
	}
	return netip.AddrFrom16([16]byte(ip16)).String()
}
