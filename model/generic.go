package model

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// Record types miekg/dns does not know are held in the generic form of
// RFC 3597: the type as TYPEnnn and the data as `\# <length> <hex>`. That
// is how BIND, Knot and miekg/dns write them, so a zone file, a spec and an
// UPDATE message all agree on one spelling.

// TypeCode returns the number of a record type as the model spells it: a
// mnemonic miekg/dns knows (A, MX, ...) or TYPEnnn for one it does not.
func TypeCode(rrtype string) (uint16, bool) {
	if t, ok := dns.StringToType[rrtype]; ok {
		return t, true
	}
	n, ok := genericNumber(rrtype)
	if !ok {
		return 0, false
	}
	if _, known := dns.TypeToString[n]; known {
		return 0, false
	}
	return n, true
}

// TypeName is the model's spelling of a record type number: its mnemonic,
// or TYPEnnn for a type miekg/dns does not know.
func TypeName(t uint16) string { return dns.Type(t).String() }

// genericNumber reads the number of a TYPEnnn spelling, 1..65535.
func genericNumber(rrtype string) (uint16, bool) {
	digits, ok := strings.CutPrefix(rrtype, "TYPE")
	if !ok || digits == "" || digits[0] == '0' || len(digits) > 5 {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(digits, 10, 16)
	if err != nil || n == 0 {
		return 0, false
	}
	return uint16(n), true
}

// checkGenericType returns nil when rrtype is the TYPEnnn spelling of a
// type a spec can declare in RFC 3597 form, and otherwise why not.
func checkGenericType(rrtype string) error {
	n, ok := genericNumber(rrtype)
	switch {
	case !ok:
		return fmt.Errorf("unknown record type %q", rrtype)
	case dns.TypeToString[n] != "":
		if err := CheckType(dns.TypeToString[n]); err != nil {
			return fmt.Errorf("%s is %s: %w", rrtype, dns.TypeToString[n], err)
		}
		return fmt.Errorf("%s is %s; write type %s", rrtype, dns.TypeToString[n], dns.TypeToString[n])
	case MetaType(n):
		return fmt.Errorf("%s is a query or meta type (128..255), not a record type", rrtype)
	}
	return nil
}

// MetaType reports whether t can never be a record's type in a zone: 0,
// OPT and the query and meta types 128..255 (RFC 6895 §3.1). BIND refuses
// them in zone files.
func MetaType(t uint16) bool {
	return t == 0 || t == dns.TypeOPT || t >= 128 && t <= 255
}

// RDATA returns a record's data in presentation form, without its owner,
// TTL, class and type: as a zone file writes it after the type. A type
// miekg/dns does not know is in RFC 3597 form with lower-case hex.
func RDATA(rr dns.RR) string {
	if g, ok := genericForm(rr); ok {
		return g
	}
	return strings.TrimPrefix(rr.String(), rr.Header().String())
}

// genericForm returns the RFC 3597 form of the data of a record that has
// no other: a type miekg/dns does not know, and NULL, which RFC 1035 gives
// no presentation format (miekg/dns prints it as a comment).
func genericForm(rr dns.RR) (string, bool) {
	switch t := rr.(type) {
	case *dns.RFC3597:
		return genericRDATA(t.Rdata), true
	case *dns.NULL:
		return genericRDATA(hex.EncodeToString([]byte(t.Data))), true
	}
	return "", false
}

// genericRDATA is the RFC 3597 form of data held as hex.
func genericRDATA(hex string) string {
	if hex == "" {
		return `\# 0`
	}
	return `\# ` + strconv.Itoa(len(hex)/2) + " " + strings.ToLower(hex)
}

// CheckGenericData returns an error when rr is in RFC 3597 form with data
// that is not hexadecimal: miekg/dns checks the length of the hex, not
// its digits, and such a record could not be written and read again.
func CheckGenericData(rr dns.RR) error {
	if g, ok := rr.(*dns.RFC3597); ok {
		if _, err := hex.DecodeString(g.Rdata); err != nil {
			return fmt.Errorf("the data %q after \\# <length> is not hexadecimal", g.Rdata)
		}
	}
	return nil
}
