package spec

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// CanonicalName returns a domain name absolute, lower-cased and with the
// escaping miekg/dns prints, so that one name has one spelling ("'" and
// "\\039" are both "\\'").
func CanonicalName(name string) string {
	name = dns.Fqdn(asciiLower(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '*' || c == '/') {
			return reescape(name)
		}
	}
	return name
}

// reescape gives a name miekg/dns's own escaping by packing and unpacking it.
func reescape(name string) string {
	buf := make([]byte, 256+len(name))
	off, err := dns.PackDomainName(name, buf, 0, nil, false)
	if err != nil {
		return name
	}
	out, _, err := dns.UnpackDomainName(buf[:off], 0)
	if err != nil {
		return name
	}
	return asciiLower(out)
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

// relativeOrigin is the origin values are parsed under, so that a name
// written without a trailing dot can be told apart from an absolute one.
const relativeOrigin = "zonesync-relative.invalid."

// TXTChunk is the longest character-string a TXT record can hold.
const TXTChunk = 255

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

// NewRR builds the record (owner, ttl, rrtype, value) from a canonical value.
func NewRR(owner string, ttl uint32, rrtype, value string) (dns.RR, error) {
	rr, err := dns.NewRR(dns.Fqdn(owner) + " " + strconv.FormatUint(uint64(ttl), 10) + " IN " + rrtype + " " + value)
	if err != nil {
		return nil, fmt.Errorf("%s %s value %q: %w", owner, rrtype, value, err)
	}
	if rr == nil {
		return nil, fmt.Errorf("%s %s value %q is empty", owner, rrtype, value)
	}
	return rr, nil
}

// TXTValue turns text into the canonical value of a TXT record: quoted,
// escaped, split into character-strings of at most 255 bytes. This is the
// plain split of a text; a record whose strings break elsewhere has another
// value (see TXTStringsValue).
func TXTValue(text string) string {
	if text == "" {
		return `""`
	}
	var b strings.Builder
	b.Grow(len(text) + 2 + len(text)/TXTChunk*3)
	for start := 0; start < len(text); start += TXTChunk {
		if start > 0 {
			b.WriteByte(' ')
		}
		quoteTo(&b, text[start:min(start+TXTChunk, len(text))])
	}
	return b.String()
}

// TXTStringsValue returns the canonical value of one TXT record holding
// strs, each the raw bytes of one character-string, boundaries kept. A
// string longer than 255 bytes is refused: its record could not hold it.
func TXTStringsValue(strs []string) (string, error) {
	if len(strs) == 0 {
		return "", errors.New("a TXT record needs at least one string")
	}
	n := 0
	for i, s := range strs {
		if len(s) > TXTChunk {
			return "", fmt.Errorf("string %d of the TXT value is %d bytes; one string holds at most %d (split it into more strings)", i+1, len(s), TXTChunk)
		}
		n += len(s) + 3
	}
	var b strings.Builder
	b.Grow(n)
	for i, s := range strs {
		if i > 0 {
			b.WriteByte(' ')
		}
		quoteTo(&b, s)
	}
	return b.String(), nil
}

// PlainTXT reports whether strs break where TXTValue breaks their joined
// text: every string but the last exactly 255 bytes, the last not empty
// unless it is the only one. A provider that keeps a TXT record as one text
// can hold exactly these.
func PlainTXT(strs []string) bool {
	for i, s := range strs {
		last := i == len(strs)-1
		if !last && len(s) != TXTChunk || last && (len(s) > TXTChunk || s == "" && i > 0) {
			return false
		}
	}
	return len(strs) > 0
}

// EscapeString writes raw bytes as miekg/dns holds a character-string:
// quotes and backslashes escaped, other unprintable bytes as \DDD.
func EscapeString(raw string) string {
	if plainString(raw) {
		return raw
	}
	var b strings.Builder
	escapeTo(&b, raw)
	return b.String()
}

// quoteTo writes raw bytes as one quoted character-string.
func quoteTo(b *strings.Builder, raw string) {
	b.WriteByte('"')
	if plainString(raw) {
		b.WriteString(raw)
	} else {
		escapeTo(b, raw)
	}
	b.WriteByte('"')
}

// plainString reports whether raw needs no escaping inside quotes.
func plainString(raw string) bool {
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func escapeTo(b *strings.Builder, raw string) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			b.WriteByte('\\')
			b.WriteByte('0' + c/100)
			b.WriteByte('0' + c/10%10)
			b.WriteByte('0' + c%10)
		default:
			b.WriteByte(c)
		}
	}
}

// UnescapeString reverses EscapeString: the raw bytes of a character-string
// as miekg/dns holds it.
func UnescapeString(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			n, _ := strconv.Atoi(s[i+1 : i+4])
			if n > 255 {
				return "", fmt.Errorf("escape \\%s is outside 0..255", s[i+1:i+4])
			}
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		if i+1 == len(s) {
			return "", fmt.Errorf("%q ends in a lone backslash", s)
		}
		i++
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// TXTText returns the text a canonical TXT value holds, its strings joined.
func TXTText(value string) (string, error) {
	strs, err := TXTStrings(value)
	if err != nil {
		return "", err
	}
	return strings.Join(strs, ""), nil
}

// TXTStrings returns the raw character-strings a canonical TXT value holds,
// in order.
func TXTStrings(value string) ([]string, error) {
	rr, err := dns.NewRR(". 0 IN TXT " + value)
	if err != nil {
		return nil, fmt.Errorf("TXT value %s: %w", value, err)
	}
	if rr == nil {
		return []string{""}, nil
	}
	return rawStrings(rr.(*dns.TXT).Txt), nil
}

// rawStrings turns character-strings as miekg/dns holds them (escaped)
// into raw bytes. miekg/dns only hands over strings it parsed, so an escape
// it could not have made is kept as written. No strings at all read as one
// empty string, the only way a spec can write an empty TXT.
func rawStrings(chunks []string) []string {
	if len(chunks) == 0 {
		return []string{""}
	}
	out := make([]string, len(chunks))
	for i, c := range chunks {
		raw, err := UnescapeString(c)
		if err != nil {
			raw = c
		}
		out[i] = raw
	}
	return out
}

// txtPresentation is the canonical value of a TXT record read from a
// provider or a zone file: its own strings, boundaries kept, so that a
// record whose strings break elsewhere than TXTValue's plain split differs
// from the plain text. A string over 255 bytes (which no record can carry)
// is split as TXTValue would.
func txtPresentation(chunks []string) string {
	var b strings.Builder
	n := 2
	for _, c := range chunks {
		n += len(c) + 3
	}
	b.Grow(n)
	for i, raw := range rawStrings(chunks) {
		if i > 0 {
			b.WriteByte(' ')
		}
		if len(raw) > TXTChunk {
			b.WriteString(TXTValue(raw))
			continue
		}
		quoteTo(&b, raw)
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

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
