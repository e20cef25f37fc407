// Package redact removes secrets from text in every form a secret can take
// on the wire: as written; percent-encoded (query, path and form styles,
// upper- or lower-case hex); JSON-escaped the ways common servers write it
// (Go, PHP, Python, .NET) and Go-quoted; XML/HTML-escaped with named or
// numeric entities; any two of these stacked (an error quoting a JSON
// request inside a JSON answer); and inside base64, such as an HTTP basic
// authorization header, whatever precedes the secret there.
//
// It is zonesync's one scrubber: the HTTP providers clean what a server
// sends back before it reaches an error, and the command line cleans its
// output streams with the secrets of the config.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Mask replaces a secret, in whatever form it was found.
const Mask = "[redacted]"

// Scrubber removes a set of secrets from text. The zero value and nil
// scrub nothing; it is safe for concurrent use.
type Scrubber struct {
	mu      sync.RWMutex
	secrets map[string]bool
	r       *strings.Replacer
}

// New returns a scrubber of the given secrets; empty ones are ignored.
func New(secrets ...string) *Scrubber {
	s := &Scrubber{}
	s.Add(secrets...)
	return s
}

// Add registers more secrets; empty ones and ones already known are ignored.
func (s *Scrubber) Add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for _, secret := range secrets {
		if secret == "" || s.secrets[secret] {
			continue
		}
		if s.secrets == nil {
			s.secrets = map[string]bool{}
		}
		s.secrets[secret] = true
		changed = true
	}
	if !changed {
		return
	}
	var forms []string
	for secret := range s.secrets {
		forms = append(forms, Forms(secret)...)
	}
	forms = dedupe(forms)
	// A Replacer tries its patterns in argument order at each position:
	// longest first, so that a form is never cut short by a shorter one
	// that is its prefix (the raw secret before its escaped tail).
	sort.Slice(forms, func(i, j int) bool {
		if len(forms[i]) != len(forms[j]) {
			return len(forms[i]) > len(forms[j])
		}
		return forms[i] < forms[j]
	})
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Mask)
	}
	s.r = strings.NewReplacer(pairs...)
}

// Empty reports whether the scrubber knows no secret.
func (s *Scrubber) Empty() bool {
	if s == nil {
		return true
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.r == nil
}

// String returns text with every form of every secret replaced by Mask.
func (s *Scrubber) String(text string) string {
	if s == nil {
		return text
	}
	s.mu.RLock()
	r := s.r
	s.mu.RUnlock()
	if r == nil {
		return text
	}
	return r.Replace(text)
}

// Error returns err with its message scrubbed, keeping the chain for
// errors.Is and errors.As; err itself when there was nothing to remove.
func (s *Scrubber) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := s.String(msg)
	if clean == msg {
		return err
	}
	return &scrubbed{msg: clean, err: err}
}

// scrubbed is an error whose message had secrets removed.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }

// Unwrap keeps errors.Is and errors.As working; zonesync never prints the
// wrapped error's own message.
func (e *scrubbed) Unwrap() error { return e.err }

// Forms lists the ways secret can be written on the wire, the secret itself
// first. Fragments of its base64 encodings are included (see base64Cores),
// so a basic authorization header holding it is caught too.
func Forms(secret string) []string {
	if secret == "" {
		return nil
	}
	once := []string{secret}
	for _, enc := range encoders {
		once = append(once, enc(secret))
	}
	once = dedupe(once)
	forms := append([]string(nil), once...)
	for _, f := range once[1:] {
		for _, enc := range encoders {
			forms = append(forms, enc(f))
		}
	}
	// Hex digits of escapes come in either case: %3c beside %3C, \u003C
	// beside \u003c.
	stacked := dedupe(forms)
	forms = make([]string, 0, 3*len(stacked))
	for _, f := range stacked {
		forms = append(forms, f, lowerPercent(f), upperUnicode(f))
	}
	forms = append(forms, base64Cores(secret)...)
	return dedupe(forms)
}

// encoders are the single encodings a secret may pass through. Each is
// also applied to the output of each other, for double escaping.
var encoders = []func(string) string{
	jsonGo,          // Go's encoding/json: <, >, & as \u003c \u003e \u0026
	jsonPlain,       // JSON without HTML escaping (Node, Ruby, most others)
	jsonASCII,       // Python's json.dumps: non-ASCII as \uXXXX
	jsonPHP,         // PHP's json_encode: non-ASCII as \uXXXX and / as \/
	goQuote,         // Go's %q and strconv.Quote
	goQuoteASCII,    // Go's %+q and strconv.QuoteToASCII
	xmlText,         // <, >, & only (text nodes of most serialisers)
	xmlNamed,        // and " ' as &quot; &apos;
	xmlNumeric,      // and " ' as &#34; &#39; (Go's encoding/xml, html.EscapeString)
	xmlHex,          // and " ' as &#x22; &#x27;
	url.QueryEscape, // form and query values: space as +
	url.PathEscape,  // path segments
	rawURLEncode,    // RFC 3986 unreserved only, space as %20 (PHP rawurlencode)
	uriComponent,    // JavaScript's encodeURIComponent
}

func dedupe(forms []string) []string {
	seen := make(map[string]bool, len(forms))
	out := forms[:0]
	for _, f := range forms {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func jsonGo(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b[1 : len(b)-1])
}

func jsonPlain(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

func jsonASCII(s string) string { return asciiEscape(jsonPlain(s)) }

func jsonPHP(s string) string {
	return strings.ReplaceAll(asciiEscape(jsonPlain(s)), "/", `\/`)
}

// asciiEscape writes every non-ASCII rune as \uXXXX, in UTF-16 surrogate
// pairs above the basic plane, as JSON encoders that keep to ASCII do.
func asciiEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func goQuote(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

func goQuoteASCII(s string) string {
	q := strconv.QuoteToASCII(s)
	return q[1 : len(q)-1]
}

var (
	xmlTextEscaper    = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	xmlNamedEscaper   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")
	xmlNumericEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;",
		"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
	xmlHexEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#x22;", "'", "&#x27;")
)

func xmlText(s string) string    { return xmlTextEscaper.Replace(s) }
func xmlNamed(s string) string   { return xmlNamedEscaper.Replace(s) }
func xmlNumeric(s string) string { return xmlNumericEscaper.Replace(s) }
func xmlHex(s string) string     { return xmlHexEscaper.Replace(s) }

func rawURLEncode(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// uriComponent is encodeURIComponent: it leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func uriComponent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// lowerPercent writes the hex digits of %XX escapes in lower case.
func lowerPercent(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && isHex(b[i+1]) && isHex(b[i+2]) {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

// upperUnicode writes the hex digits of \uXXXX escapes in upper case.
func upperUnicode(s string) string {
	b := []byte(s)
	for i := 0; i+5 < len(b); i++ {
		if b[i] == '\\' && b[i+1] == 'u' && isHex(b[i+2]) && isHex(b[i+3]) && isHex(b[i+4]) && isHex(b[i+5]) {
			for j := i + 2; j < i+6; j++ {
				b[j] = upper(b[j])
			}
		}
	}
	return string(b)
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

// minBase64Core is the shortest base64 fragment worth scrubbing: shorter
// ones could match unrelated base64 by chance.
const minBase64Core = 8

// base64Cores returns, for each of the three ways the secret can fall on
// base64's 3-byte groups (after a prefix such as "user:" of any length),
// the run of base64 characters that only the secret's own bytes decide,
// in the standard and the URL alphabets. Whatever precedes or follows the
// secret, its encoding contains one of them.
func base64Cores(secret string) []string {
	var out []string
	for shift := 0; shift < 3; shift++ {
		buf := make([]byte, shift+len(secret))
		copy(buf[shift:], secret)
		// Characters are 6 bits each: the first fully inside the secret
		// starts at bit 8*shift rounded up, the last ends at bit
		// 8*(shift+len) rounded down.
		from := (8*shift + 5) / 6
		to := 8 * (shift + len(secret)) / 6
		if to-from < minBase64Core {
			continue
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			out = append(out, enc.EncodeToString(buf)[from:to])
		}
	}
	return out
}
