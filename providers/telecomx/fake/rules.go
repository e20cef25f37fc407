package fake

import (
	"net"
	"regexp"
	"strconv"
	"strings"
)

// The API documents no TTL range, only the default 86400. The fake accepts
// 60..2147483647, the same guess as the provider's MinTTL (README.md).
const (
	minTTL = 60
	maxTTL = 2147483647
)

func validTTL(ttl int64) bool { return ttl >= minTTL && ttl <= maxTTL }

var (
	label    = `([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)`
	hostname = regexp.MustCompile(`^` + label + `(\.` + label + `)*\.?$`)
	// owner allows a leading wildcard label; a trailing dot is allowed
	// because the wiki writes an SRV name with one.
	owner = regexp.MustCompile(`^(\*|` + label + `)(\.` + label + `)*\.?$`)
	// rrType is a documented type; MX carries its priority.
	rrType = regexp.MustCompile(`^(A|AAAA|CNAME|SRV|NS|TXT|MX ([0-9]{1,5}))$`)
)

// validName: relative to the domain, "" for the apex.
func validName(name string) bool {
	return name == "" || len(name) <= 253 && owner.MatchString(name)
}

// validType: one of the documented types, MX with a priority 0..65535.
func validType(t string) bool {
	m := rrType.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	if m[2] != "" {
		n, err := strconv.Atoi(m[2])
		return err == nil && n <= 65535
	}
	return true
}

// validHost is a target name, with or without the trailing dot (the wiki's
// examples have both); "." is the root.
func validHost(s string) bool {
	return s == "." || len(s) <= 254 && hostname.MatchString(s)
}

// validRData checks rData against the type's documented form.
func validRData(rrtype, rdata string) bool {
	if strings.ContainsAny(rdata, "\n\r") {
		return false
	}
	switch {
	case rrtype == "A":
		ip := net.ParseIP(rdata)
		return ip != nil && ip.To4() != nil && !strings.Contains(rdata, ":")
	case rrtype == "AAAA":
		ip := net.ParseIP(rdata)
		return ip != nil && strings.Contains(rdata, ":")
	case rrtype == "CNAME", rrtype == "NS", strings.HasPrefix(rrtype, "MX "):
		return validHost(rdata)
	case rrtype == "SRV":
		f := strings.Fields(rdata)
		if len(f) != 4 {
			return false
		}
		for _, n := range f[:3] {
			if v, err := strconv.Atoi(n); err != nil || v < 0 || v > 65535 {
				return false
			}
		}
		return validHost(f[3])
	case rrtype == "TXT":
		return validTXT(rdata)
	}
	return false
}

// validTXT: TXT rData is quoted, as the wiki shows it ("a string in
// quotes"): one or more quoted strings, separated by spaces, of at most 255
// bytes each once \X and \DDD escapes are undone. That the quotes belong to
// rData is zonesync's reading (README.md).
func validTXT(rdata string) bool {
	i, strs := 0, 0
	for i < len(rdata) {
		if rdata[i] == ' ' && strs > 0 {
			i++
			continue
		}
		if rdata[i] != '"' {
			return false
		}
		i++
		n := 0
		for ; i < len(rdata) && rdata[i] != '"'; i++ {
			if rdata[i] == '\\' {
				switch {
				case i+3 < len(rdata) && isDigit(rdata[i+1]) && isDigit(rdata[i+2]) && isDigit(rdata[i+3]):
					i += 3
				case i+1 < len(rdata):
					i++
				default:
					return false
				}
			}
			n++
		}
		if i == len(rdata) || n > 255 {
			return false
		}
		i++
		strs++
	}
	return strs > 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// validDomain is a domain name for POST /dns: at least two labels.
func validDomain(id string) bool {
	return len(id) <= 253 && strings.Contains(id, ".") && !strings.HasSuffix(id, ".") && hostname.MatchString(id)
}
