package model

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// IgnoreRule selects live records zonesync leaves alone.
type IgnoreRule struct {
	// Name is a glob on the relative name (see matchGlob); empty matches every name.
	Name string `json:"name,omitempty"`
	// Type is a record type; empty matches every type.
	Type string `json:"type,omitempty"`
	// Pos is where the rule is written in its spec.
	Pos Pos `json:"-"`
}

// String formats the rule as a spec writes it.
func (r IgnoreRule) String() string {
	var parts []string
	if r.Name != "" {
		parts = append(parts, fmt.Sprintf("name: %q", r.Name))
	}
	if r.Type != "" {
		parts = append(parts, "type: "+r.Type)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// Matches reports whether the rule covers the record set (name, rrtype).
func (r IgnoreRule) Matches(name, rrtype string) bool {
	if r.Type != "" && r.Type != rrtype {
		return false
	}
	return r.Name == "" || matchGlob(r.Name, name)
}

// errBadGlob is a glob with an unclosed or malformed character class, or a
// trailing backslash.
var errBadGlob = errors.New("malformed glob")

// matchGlob reports whether a relative DNS name matches a glob, comparing
// ASCII letters without regard to case. "*" stands for any run of
// characters, dots and the "/" of RFC 2317 names included, so that "*"
// matches every name and "*.dyn" every name below dyn; "?" stands for any
// one character; "[...]" for one character of a class ("[a-z]", "[^0-9]");
// "\" makes the next character literal. The syntax is path.Match's, and a
// glob matches every name path.Match matched with it.
func matchGlob(pattern, name string) bool {
	pattern, name = asciiLower(pattern), asciiLower(name)
	// On a mismatch, retry from the last "*" with one more character
	// taken by it: for globs, the first match found this way is enough.
	starP, starN := -1, 0
	p, n := 0, 0
	for n < len(name) {
		r, width := utf8.DecodeRuneInString(name[n:])
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				starP, starN = p, n
				p++
				continue
			case '?':
				p++
				n += width
				continue
			case '[':
				if ok, next, err := matchClass(pattern[p+1:], r); err == nil && ok {
					p = len(pattern) - len(next)
					n += width
					continue
				}
			default:
				lit, next := literalBytes(pattern[p:])
				if lit != "" && strings.HasPrefix(name[n:], lit) {
					p = len(pattern) - len(next)
					n += len(lit)
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// One byte at a time, as path.Match's "*" goes: a rule may match
		// names that are not valid UTF-8.
		starN++
		p, n = starP+1, starN
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// CheckGlob returns an error for a glob matchGlob cannot read.
func CheckGlob(pattern string) error {
	for p := pattern; p != ""; {
		switch p[0] {
		case '*', '?':
			p = p[1:]
		case '[':
			_, next, err := matchClass(p[1:], 0)
			if err != nil {
				return err
			}
			p = next
		default:
			lit, next := literalBytes(p)
			if lit == "" {
				return errBadGlob
			}
			p = next
		}
	}
	return nil
}

// literalBytes reads one literal character outside a class, escaped or
// not, as the bytes it must match: a whole UTF-8 character, or a single
// byte that is not one. lit is "" for a trailing backslash.
func literalBytes(s string) (lit, rest string) {
	if s[0] == '\\' {
		s = s[1:]
		if s == "" {
			return "", ""
		}
	}
	_, n := utf8.DecodeRuneInString(s)
	return s[:n], s[n:]
}

// matchClass matches r against the character class that class starts
// (just after its "["), and returns the pattern after the class.
func matchClass(class string, r rune) (ok bool, rest string, err error) {
	negated := false
	if class != "" && class[0] == '^' {
		negated, class = true, class[1:]
	}
	matched := false
	for ranges := 0; ; ranges++ {
		if class != "" && class[0] == ']' && ranges > 0 {
			return matched != negated, class[1:], nil
		}
		var lo, hi rune
		if lo, class, err = classChar(class); err != nil {
			return false, "", err
		}
		hi = lo
		if class != "" && class[0] == '-' {
			if hi, class, err = classChar(class[1:]); err != nil {
				return false, "", err
			}
		}
		if lo <= r && r <= hi {
			matched = true
		}
	}
}

// classChar reads one character of a class, escaped or not; "-" and "]"
// must be escaped there, as path.Match requires.
func classChar(s string) (rune, string, error) {
	if s == "" || s[0] == '-' || s[0] == ']' {
		return 0, "", errBadGlob
	}
	return globLiteral(s)
}

// globLiteral reads one literal character, escaped or not.
func globLiteral(s string) (rune, string, error) {
	if s[0] == '\\' {
		s = s[1:]
		if s == "" {
			return 0, "", errBadGlob
		}
	}
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		return 0, "", errBadGlob
	}
	return r, s[n:], nil
}
