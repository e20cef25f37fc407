package model

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/miekg/dns"
	"golang.org/x/text/unicode/norm"
)

// DisplayValue shows a canonical value for people to read in a plan: a TXT
// or SPF value's non-ASCII text as text ("grüße", not "gr\195\188\195\159e"),
// and each xn-- name inside any other value with its Unicode form beside it
// ("10 xn--ndaaa.com. (ööö.com.)"). It is never read back: the canonical
// value stays what plan files and providers carry.
func DisplayValue(rrtype, value string) string {
	if IsTXT(rrtype) {
		return displayText(value)
	}
	return mapValueNames(rrtype, value, func(name, u string) string { return name + " (" + u + ")" })
}

// UnicodeValue is a canonical value with each xn-- name inside it in its
// Unicode form, where that form converts back to the same name: the value
// as `zonesync import` writes it. Loading it gives the canonical value again.
func UnicodeValue(rrtype, value string) string {
	if IsTXT(rrtype) {
		return value
	}
	return mapValueNames(rrtype, value, func(_, u string) string { return u })
}

// mapValueNames rewrites each domain name field of a value that has a
// Unicode form as show(name, unicode). Which fields are names is what
// miekg/dns parses them as, so that text that only looks like a name (in a
// NAPTR regexp, say) is left alone.
func mapValueNames(rrtype, value string, show func(name, unicode string) string) string {
	if !strings.Contains(value, acePrefix) {
		return value
	}
	rr, err := dns.NewRR(". 0 IN " + rrtype + " " + value)
	if err != nil || rr == nil {
		return value
	}
	forms := map[string]string{}
	mapNames(rr, func(name string) string {
		if u, ok := UnicodeName(name); ok {
			forms[name] = u
		}
		return name
	})
	if len(forms) == 0 {
		return value
	}
	var b strings.Builder
	for i := 0; i < len(value); {
		if value[i] == ' ' || value[i] == '\t' {
			b.WriteByte(value[i])
			i++
			continue
		}
		end := fieldEnd(value, i)
		field := value[i:end]
		if u, ok := forms[field]; ok {
			field = show(field, u)
		}
		b.WriteString(field)
		i = end
	}
	return b.String()
}

// fieldEnd is where the presentation-form field starting at i ends: at a
// blank, or after the closing quote of a quoted string.
func fieldEnd(s string, i int) int {
	quoted := s[i] == '"'
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '\\':
			j++
		case quoted && c == '"':
			return j + 1
		case !quoted && (c == ' ' || c == '\t'):
			return j
		}
	}
	return len(s)
}

// displayText turns the \DDD escapes of a TXT value's non-ASCII bytes back
// into the text they spell. Bytes that are no UTF-8, and characters that
// do not show (controls, format characters such as bidi overrides and
// zero-width spaces, unusual spaces), stay escaped; so does a string not in
// NFC, whose text could look the same as another value's.
func displayText(value string) string {
	if !strings.Contains(value, `\`) {
		return value
	}
	var b strings.Builder
	b.Grow(len(value))
	var raw []byte
	for i := 0; i < len(value); {
		if value[i] != '\\' {
			b.WriteByte(value[i])
			i++
			continue
		}
		raw = raw[:0]
		j := i
		for ; j+3 < len(value) && value[j] == '\\' && isDigit(value[j+1]) && isDigit(value[j+2]) && isDigit(value[j+3]); j += 4 {
			n := int(value[j+1]-'0')*100 + int(value[j+2]-'0')*10 + int(value[j+3]-'0')
			if n < utf8.RuneSelf || n > 255 {
				break
			}
			raw = append(raw, byte(n))
		}
		if len(raw) == 0 {
			// An escape of an ASCII byte, or of a quote or backslash.
			end := min(i+2, len(value))
			if end < len(value) && isDigit(value[i+1]) {
				end = min(i+4, len(value))
			}
			b.WriteString(value[i:end])
			i = end
			continue
		}
		for k := 0; k < len(raw); {
			r, size := utf8.DecodeRune(raw[k:])
			if r == utf8.RuneError || !unicode.IsPrint(r) {
				escapeTo(&b, string(raw[k:k+size]))
			} else {
				b.Write(raw[k : k+size])
			}
			k += size
		}
		i = j
	}
	out := b.String()
	if !norm.NFC.IsNormalString(out) {
		return value
	}
	return out
}
