package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// relativeOrigin is the origin values are parsed under, so that a name
// written without a trailing dot can be told apart from an absolute one.
const relativeOrigin = "zonesync-relative.invalid."

// unmanagedTypes are record types a zone spec cannot declare, with the reason.
var unmanagedTypes = map[string]string{
	"SOA":   "the SOA is set with the zone's soa key",
	"OPT":   "OPT is a pseudo-record",
	"TSIG":  "TSIG is a pseudo-record",
	"TKEY":  "TKEY is a pseudo-record",
	"ANY":   "ANY is a query type",
	"AXFR":  "AXFR is a query type",
	"IXFR":  "IXFR is a query type",
	"MAILA": "MAILA is a query type",
	"MAILB": "MAILB is a query type",
	"NONE":  "NONE is not a record type",
}

// CheckType returns an error when rrtype is not a record type a spec can
// declare. A type miekg/dns does not know is declared as TYPEnnn.
func CheckType(rrtype string) error {
	if why, ok := unmanagedTypes[rrtype]; ok {
		return fmt.Errorf("record type %s cannot be declared: %s", rrtype, why)
	}
	if signerTypes[rrtype] {
		return fmt.Errorf("record type %s cannot be declared: DNSSEC records are maintained by the zone's signer", rrtype)
	}
	if _, ok := dns.StringToType[rrtype]; !ok {
		return checkGenericType(rrtype)
	}
	return nil
}

// CanonicalValue parses value, the RDATA of an rrtype record as a spec
// writes it, and returns its canonical presentation form. TXT and SPF values
// are the text itself, unquoted; every other type is RFC 1035 presentation
// format. Domain names in the data are absolute whether or not they end in a
// dot, and are lower-cased; a name of a single label without a trailing dot
// is refused as ambiguous.
func CanonicalValue(rrtype, value string) (string, error) {
	if rrtype == "TXT" || rrtype == "SPF" {
		return TXTValue(value), nil
	}
	if strings.TrimSpace(value) == "" {
		return "", errors.New("value is empty")
	}
	if strings.ContainsAny(value, "\n\r") {
		return "", errors.New("value spans several lines")
	}
	if v, ok := fastValue(rrtype, value); ok {
		return v, nil
	}
	return slowValue(rrtype, value)
}

// slowValue is CanonicalValue by miekg/dns's zone parser, for any type. The
// canonical form must read back as itself: a value of a type the library
// prints in a form it cannot read (obsolete types such as NXT), or with a
// name inside it zonesync does not know to make absolute, is refused
// rather than planned wrongly.
func slowValue(rrtype, value string) (string, error) {
	out, err := parseValue(rrtype, value)
	if err != nil {
		return "", err
	}
	again, err := parseValue(rrtype, out)
	if err != nil || again != out || strings.Contains(out, relativeOrigin) {
		return "", fmt.Errorf("%s value %q cannot be held: its presentation form %q does not read back the same", rrtype, value, out)
	}
	return out, nil
}

// parseValue parses one value under the relative origin into canonical form.
func parseValue(rrtype, value string) (string, error) {
	zp := dns.NewZoneParser(strings.NewReader(". 0 IN "+rrtype+" "+value+"\n"), relativeOrigin, "")
	rr, ok := zp.Next()
	if err := zp.Err(); err != nil {
		return "", parseProblem(rrtype, value, err)
	}
	if !ok || rr == nil || TypeName(rr.Header().Rrtype) != rrtype {
		return "", fmt.Errorf("%s value %q is not valid", rrtype, value)
	}
	if err := CheckGenericData(rr); err != nil {
		return "", fmt.Errorf("invalid %s value %q: %w", rrtype, value, err)
	}
	var nameErr error
	mapNames(rr, func(name string) string {
		abs, err := absoluteName(name)
		if err != nil && nameErr == nil {
			nameErr = err
		}
		return abs
	})
	if nameErr != nil {
		return "", nameErr
	}
	return presentation(rr), nil
}

// CanonicalRR returns the canonical value of a record read from a provider
// or a zone file, whose names are already absolute. It lower-cases the
// names inside rr in place.
func CanonicalRR(rr dns.RR) string {
	switch t := rr.(type) {
	case *dns.TXT:
		return txtPresentation(t.Txt)
	case *dns.SPF:
		return txtPresentation(t.Txt)
	}
	switch t := rr.(type) {
	case *dns.A:
		return t.A.String()
	case *dns.AAAA:
		return aaaaValue(t.AAAA)
	case *dns.CNAME:
		return CanonicalName(t.Target)
	case *dns.NS:
		return CanonicalName(t.Ns)
	case *dns.PTR:
		return CanonicalName(t.Ptr)
	case *dns.MX:
		return strconv.Itoa(int(t.Preference)) + " " + CanonicalName(t.Mx)
	}
	mapNames(rr, CanonicalName)
	return presentation(rr)
}

// NewRR builds the record (owner, ttl, rrtype, value) from a canonical value.
func NewRR(owner string, ttl uint32, rrtype, value string) (dns.RR, error) {
	rr, err := dns.NewRR(dns.Fqdn(owner) + " " + strconv.FormatUint(uint64(ttl), 10) + " IN " + rrtype + " " + value)
	if err != nil {
		return nil, fmt.Errorf("%s %s value %q: %w", owner, rrtype, value, err)
	}
	if rr == nil {
		return nil, fmt.Errorf("%s %s value %q is empty", owner, rrtype, value)
	}
	if _, generic := rr.(*dns.RFC3597); !generic && strings.HasPrefix(strings.TrimSpace(value), `\#`) {
		// miekg/dns reads RFC 3597 data of a known type even when it is too
		// short for that type: "A \# 0" becomes an A record without an
		// address, written "<nil>". Such a record must read back as itself.
		if _, err := dns.NewRR(rr.String()); err != nil {
			return nil, fmt.Errorf("%s %s value %q is not a whole %s record", owner, rrtype, value, rrtype)
		}
	}
	return rr, nil
}

// presentation returns the RDATA part of rr's presentation form. It sets
// the header to a fixed owner and TTL so that the header's length is known
// without formatting it twice.
func presentation(rr dns.RR) string {
	if g, ok := genericForm(rr); ok {
		return g
	}
	switch t := rr.(type) {
	case *dns.TLSA:
		t.Certificate = strings.ToLower(t.Certificate)
	case *dns.SMIMEA:
		t.Certificate = strings.ToLower(t.Certificate)
	}
	h := rr.Header()
	h.Name, h.Ttl, h.Class = ".", 0, dns.ClassINET
	// ".\t0\tIN\t<TYPE>\t"
	return rr.String()[len(".\t0\tIN\t")+len(TypeName(h.Rrtype))+1:]
}

// absoluteName turns a name parsed under relativeOrigin into an absolute,
// lower-case name.
func absoluteName(name string) (string, error) {
	ascii, err := ASCIIName(name)
	if err != nil {
		return "", fmt.Errorf("name %q: %w", strings.TrimSuffix(name, "."+relativeOrigin), err)
	}
	converted := ascii != name
	lower := CanonicalName(ascii)
	if lower == relativeOrigin {
		return "", errors.New("\"@\" is ambiguous in a value; write the absolute name with a trailing dot")
	}
	// Compare by labels, not characters: an escaped dot ("a\\.") is no
	// label boundary.
	if dns.IsSubDomain(relativeOrigin, lower) {
		labels := dns.SplitDomainName(lower)
		rel := labels[:len(labels)-dns.CountLabel(relativeOrigin)]
		if len(rel) == 1 {
			label := rel[0]
			if converted {
				label = labelsOf(name)[0] // as written, not in its xn-- form
			}
			return "", fmt.Errorf("name %q is a single label without a trailing dot; write the absolute name, e.g. %q", label, label+".example.com.")
		}
		lower = strings.Join(rel, ".") + "."
	}
	if _, ok := dns.IsDomainName(lower); converted && !ok {
		return "", fmt.Errorf("name %q is longer than 255 bytes in its xn-- form", lower)
	}
	return lower, nil
}

// mapNames replaces every domain name inside rr's data with f(name).
func mapNames(rr dns.RR, f func(string) string) {
	switch t := rr.(type) {
	case *dns.NS:
		t.Ns = f(t.Ns)
	case *dns.CNAME:
		t.Target = f(t.Target)
	case *dns.DNAME:
		t.Target = f(t.Target)
	case *dns.PTR:
		t.Ptr = f(t.Ptr)
	case *dns.MX:
		t.Mx = f(t.Mx)
	case *dns.SRV:
		t.Target = f(t.Target)
	case *dns.NAPTR:
		t.Replacement = f(t.Replacement)
	case *dns.RP:
		t.Mbox = f(t.Mbox)
		t.Txt = f(t.Txt)
	case *dns.AFSDB:
		t.Hostname = f(t.Hostname)
	case *dns.KX:
		t.Exchanger = f(t.Exchanger)
	case *dns.RT:
		t.Host = f(t.Host)
	case *dns.PX:
		t.Map822 = f(t.Map822)
		t.Mapx400 = f(t.Mapx400)
	case *dns.MINFO:
		t.Rmail = f(t.Rmail)
		t.Email = f(t.Email)
	case *dns.MB:
		t.Mb = f(t.Mb)
	case *dns.MG:
		t.Mg = f(t.Mg)
	case *dns.MR:
		t.Mr = f(t.Mr)
	case *dns.LP:
		t.Fqdn = f(t.Fqdn)
	case *dns.SVCB:
		t.Target = f(t.Target)
	case *dns.HTTPS:
		t.Target = f(t.Target)
	case *dns.SOA:
		t.Ns = f(t.Ns)
		t.Mbox = f(t.Mbox)
	}
}

// parseProblem turns a miekg/dns parse error ("dns: bad MX Pref: "ten" at
// line: 1:12") into a short message naming the field at fault.
func parseProblem(rrtype, value string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "dns: ")
	if i := strings.Index(msg, " at line: "); i >= 0 {
		msg = msg[:i]
	}
	_, known := dns.StringToType[rrtype]
	switch f := strings.Fields(value); {
	case !known:
		msg = "TYPEnnn data is written `\\# <length in bytes> <hex>` (RFC 3597)"
	case rrtype == "MX" && len(f) == 1 && strings.HasPrefix(msg, "bad MX Pref"):
		// The commonest slip: the host alone, as a web form asks for it.
		return fmt.Errorf("MX value %q has no preference; write \"10 %s\" (the lowest preference is tried first)", value, f[0])
	case rrtype == "A" && strings.HasPrefix(msg, "bad A A"):
		msg = "not an IPv4 address"
	case rrtype == "AAAA" && strings.HasPrefix(msg, "bad AAAA AAAA"):
		msg = "not an IPv6 address"
	default:
		// "bad MX Pref: "ten"" -> "bad Pref "ten""
		if rest, ok := strings.CutPrefix(msg, "bad "+rrtype+" "); ok {
			msg = "bad " + strings.Replace(rest, ": ", " ", 1)
		}
	}
	return fmt.Errorf("invalid %s value %q: %s", rrtype, value, msg)
}
