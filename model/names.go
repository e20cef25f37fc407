package model

import (
	"strings"

	"github.com/miekg/dns"
)

// NormalizeZone spells a zone name as the model does: lower case, without
// surrounding space or a trailing dot, an internationalised name in its
// ASCII (xn--) form. A name that is no valid internationalised name is
// kept as written, for ValidZoneName to refuse.
func NormalizeZone(name string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if ascii, err := ASCIIName(name); err == nil {
		name = ascii
	}
	return asciiLower(name)
}

// CompareKeys orders record set keys: by name (see CompareNames), then by
// type; it returns -1, 0 or 1.
func CompareKeys(name1, type1, name2, type2 string) int {
	if c := CompareNames(name1, name2); c != 0 {
		return c
	}
	return strings.Compare(type1, type2)
}

// CompareNames orders relative names, the apex first, then lexically;
// it returns -1, 0 or 1.
func CompareNames(a, b string) int {
	// The apex tests come first: they are cheap, where a == b compares
	// every byte of two names of one length, and sorting a big zone makes
	// millions of these calls.
	switch {
	case a == Apex || b == Apex:
		if a == b {
			return 0
		}
		if a == Apex {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// FQDN returns the record set's absolute owner name within zone.
func FQDN(name, zone string) string {
	if name == Apex {
		return zone + "."
	}
	return name + "." + zone + "."
}

// RelativeName turns an owner name into the relative form of the model:
// lower case, "@" for the apex. ok is false when fqdn is outside the zone.
func RelativeName(fqdn, zone string) (name string, ok bool) {
	n := asciiLower(strings.TrimSuffix(fqdn, "."))
	z := asciiLower(strings.TrimSuffix(zone, "."))
	switch {
	case n == z:
		return Apex, true
	case strings.HasSuffix(n, "."+z):
		return strings.TrimSuffix(n, "."+z), true
	case z == "":
		return n, true
	}
	return "", false
}

// IsFqdn reports whether name ends in an unescaped dot. miekg/dns's IsFqdn
// counts the backslashes before the dot from the start of the last other
// rune, so a multi-byte character before "\\." made it answer no, and
// Fqdn then added a second dot: an empty label nothing can write.
func IsFqdn(name string) bool {
	if !strings.HasSuffix(name, ".") {
		return false
	}
	slashes := 0
	for i := len(name) - 2; i >= 0 && name[i] == '\\'; i-- {
		slashes++
	}
	return slashes%2 == 0
}

// Fqdn returns name with a trailing dot unless it already has one.
func Fqdn(name string) string {
	if IsFqdn(name) {
		return name
	}
	return name + "."
}

// CanonicalName returns a domain name absolute, lower-cased and with the
// escaping miekg/dns prints, so that one name has one spelling ("'" and
// "\\039" are both "\\'").
func CanonicalName(name string) string {
	name = Fqdn(asciiLower(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '*' || c == '/') {
			return reescape(name)
		}
	}
	return name
}

// reescape gives a name miekg/dns's own escaping by packing and unpacking it.
// The name is packed with a label "x" after it, taken off again after the
// unpack: PackDomainName refuses as not absolute a name whose last label
// ends in an escaped backslash after a multi-byte character (see IsFqdn).
func reescape(name string) string {
	if name == "." {
		return name
	}
	buf := make([]byte, 256+len(name))
	off, err := dns.PackDomainName(strings.TrimSuffix(name, ".")+".x.", buf, 0, nil, false)
	if err != nil {
		return name
	}
	out, _, err := dns.UnpackDomainName(buf[:off], 0)
	if err != nil {
		return name
	}
	return asciiLower(strings.TrimSuffix(out, "x."))
}

// asciiLower lower-cases ASCII letters only: DNS compares names without
// regard to ASCII case, and other bytes are data (strings.ToLower would turn
// bytes that are not UTF-8 into U+FFFD).
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// ValidRelativeName checks a lower-case relative name.
func ValidRelativeName(name string) bool {
	if len(name) > 253 {
		return false
	}
	labels := strings.Split(name, ".")
	for i, lab := range labels {
		if lab == "*" && i == 0 {
			continue
		}
		if !validLabel(lab) {
			return false
		}
	}
	return true
}

// validLabel checks one lower-case label: letters, digits, '_', and '-' or
// '/' (RFC 2317 classless reverse zones) inside it.
func validLabel(lab string) bool {
	if len(lab) == 0 || len(lab) > 63 {
		return false
	}
	for i := 0; i < len(lab); i++ {
		c := lab[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
		case (c == '-' || c == '/') && i > 0 && i < len(lab)-1:
		default:
			return false
		}
	}
	return true
}

// ValidDomain checks a lower-case domain name without trailing dot.
func ValidDomain(name string) bool {
	return name != "" && !strings.Contains(name, "*") && ValidRelativeName(name)
}

// ValidZoneName reports whether name, as NormalizeZone writes it, is a
// domain name zonesync accepts as a zone: letters, digits, '_', and '-' or
// '/' inside labels, at most 253 characters, no empty label.
func ValidZoneName(name string) bool { return ValidDomain(name) }
