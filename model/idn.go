package model

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// idnaProfile is how zonesync turns an internationalised label into the
// ASCII form DNS carries: UTS #46 processing, non-transitional (as browsers
// resolve names today, so "straße" is xn--strae-oqa, not "strasse"), with
// its mapping (case, width: "Bücher" is "bücher"), the STD3 rules, the hyphen
// and joiner checks, the Bidi rule, and label lengths checked. It is applied
// to one label at a time, and only to labels with non-ASCII characters or
// already in xn-- form: STD3 would refuse the '_' of _dmarc and the '*' of a
// wildcard, and an ASCII label is the user's to spell.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.VerifyDNSLength(true),
)

// acePrefix starts the ASCII form of an internationalised label.
const acePrefix = "xn--"

// mayNeedIDNA reports whether ASCIIName could change or refuse name: it
// holds a non-ASCII byte or a label starting "xn--" (in either case). It
// is the cheap test that keeps plain ASCII names off the IDNA path.
func mayNeedIDNA(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return true
		}
		if c == '-' && i >= 3 && name[i-1] == '-' && name[i-2]|0x20 == 'n' && name[i-3]|0x20 == 'x' && (i == 3 || name[i-4] == '.') {
			return true
		}
	}
	return false
}

// ASCIIName returns name with each label that holds a non-ASCII character
// in its IDNA ASCII form ("bücher.example" is "xn--bcher-kva.example"),
// and checks each label already in that form. Other labels are kept as
// written, so underscore labels, wildcards and escapes work as before. The
// name may be relative or absolute, in presentation form (a "\." is no
// label boundary).
func ASCIIName(name string) (string, error) {
	if !mayNeedIDNA(name) {
		return name, nil
	}
	var b strings.Builder
	b.Grow(len(name) + 8)
	for i, label := range labelsOf(name) {
		if i > 0 {
			b.WriteByte('.')
		}
		a, err := asciiLabel(label)
		if err != nil {
			return "", err
		}
		b.WriteString(a)
	}
	return b.String(), nil
}

// labelsOf splits a name in presentation form at its unescaped dots. An
// absolute name's last label is the empty root label.
func labelsOf(name string) []string {
	var labels []string
	start := 0
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '\\':
			i++
		case '.':
			labels = append(labels, name[start:i])
			start = i + 1
		}
	}
	return append(labels, name[start:])
}

// asciiLabel is ASCIIName for one label.
func asciiLabel(label string) (string, error) {
	if !isASCII(label) {
		if !utf8.ValidString(label) {
			return "", fmt.Errorf("label %q is not UTF-8 text; write bytes that are not text as \\DDD escapes", label)
		}
		a, err := idnaProfile.ToASCII(label)
		if err != nil {
			return "", fmt.Errorf("label %q is not a valid internationalised name: %s", label, idnaReason(label, a, err))
		}
		return a, nil
	}
	if len(label) < len(acePrefix) || !strings.EqualFold(label[:len(acePrefix)], acePrefix) {
		return label, nil
	}
	lower := asciiLower(label)
	u, err := idnaProfile.ToUnicode(lower)
	if err == nil {
		if again, err2 := idnaProfile.ToASCII(u); err2 != nil || again != lower {
			err = errors.New("not the IDNA form of its Unicode text")
		}
	}
	if err != nil {
		return "", fmt.Errorf("label %q is not a valid xn-- (punycode) label; write the name in Unicode and zonesync converts it, or correct the xn-- form", label)
	}
	return label, nil
}

// idnaReason says in words why the idna package refused a label; ascii
// is the ASCII form it got as far as.
func idnaReason(label, ascii string, err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-"):
		return "a label cannot start or end with '-'"
	case len(label) >= 4 && label[2:4] == "--":
		return "'--' in the third and fourth place is kept for xn-- labels"
	case strings.Contains(msg, "disallowed rune "):
		code := msg[strings.LastIndex(msg, " ")+1:]
		var r rune
		if _, err := fmt.Sscanf(code, "U+%X", &r); err == nil && r < utf8.RuneSelf {
			return fmt.Sprintf("%s %q cannot stand in a label with non-ASCII letters (only letters, digits and '-' can)", code, r)
		}
		return code + " is not allowed in a domain name"
	case len(ascii) > 63:
		return fmt.Sprintf("its ASCII form %q is longer than 63 characters", ascii)
	}
	return "it breaks the IDNA rules (UTS #46): a character not allowed in a domain name, a misplaced joiner or combining mark, or right-to-left text mixed with left-to-right"
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// UnicodeName returns name with each xn-- label in its Unicode form, where
// that form converts back to the same label; changed reports whether any
// label did. It is for people to read (plans, imported specs); DNS, the
// plan file and providers keep the ASCII form.
func UnicodeName(name string) (unicode string, changed bool) {
	if !strings.Contains(name, acePrefix) {
		return name, false
	}
	labels := labelsOf(name)
	for i, label := range labels {
		if !strings.HasPrefix(label, acePrefix) {
			continue
		}
		u, err := idnaProfile.ToUnicode(label)
		if err != nil || strings.ContainsAny(u, ".\\") {
			continue
		}
		if again, err := idnaProfile.ToASCII(u); err != nil || again != label {
			continue
		}
		labels[i], changed = u, true
	}
	if !changed {
		return name, false
	}
	return strings.Join(labels, "."), true
}

// DisplayName shows a name with its Unicode form beside it when it has
// one: "xn--strae-oqa (straße)". Other names are shown as they are.
func DisplayName(name string) string {
	if u, ok := UnicodeName(name); ok {
		return name + " (" + u + ")"
	}
	return name
}
