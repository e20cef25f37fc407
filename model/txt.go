package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// TXTChunk is the longest character-string a TXT record can hold.
const TXTChunk = 255

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

// IsTXT reports whether values of rrtype are text, written unquoted.
func IsTXT(rrtype string) bool { return rrtype == "TXT" || rrtype == "SPF" }
