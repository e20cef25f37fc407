package model

import (
	"path"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIgnoreRuleMatchesLabels: a rule's glob runs over the whole relative
// name, "*" across dots and the "/" of RFC 2317 names alike, without
// regard to case.
func TestIgnoreRuleMatchesLabels(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "0/26", true},
		{"*", "www", true},
		{"*", "@", true},
		{"*.dyn", "home.dyn", true},
		{"*.dyn", "a.b.dyn", true},
		{"*.dyn", "dyn", false},
		{"*/26", "0/26", true},
		{"*.0/26", "5.0/26", true},
		{"0?26", "0/26", true},
		{"[0-9]*", "64/26", true},
		{"[^a]*", "0/26", true},
		{"_acme-challenge", "_acme-challenge", true},
		{"_acme-challenge", "_acme-challenge.www", false},
		{"_acme-challenge.*", "_acme-challenge.www", true},
		{"WWW", "www", true},
		{"www", "WWW", true},
		{"[A-Z]*", "mail", true},
		{`\*`, "*", true},
		{`\*`, "a", false},
		{"w?w", "www", true},
		{"w?w", "ww", false},
		{"", "", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
	} {
		got := IgnoreRule{Name: tc.pattern}.Matches(tc.name, "A")
		assert.Equal(t, tc.want, got, "%q on %q", tc.pattern, tc.name)
	}
}

// FuzzIgnoreRuleKeepsPathMatches: every name a rule matched with
// path.Match, as rules were matched before, it still matches: ignore
// rules protect data, so none may start to let a record go.
func FuzzIgnoreRuleKeepsPathMatches(f *testing.F) {
	for _, s := range [][2]string{
		{"*", "www"}, {"*.dyn", "home.dyn"}, {"[a-c]?", "b1"}, {`\[x`, "[x"}, {"[^/]", "a"},
		{"a*b", "a/b"}, {"*/*", "0/26"}, {"h[!x]", "h!"}, {"é?", "éé"}, {"[]a]", "a"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		pattern, name = asciiLower(pattern), asciiLower(name)
		ok, err := path.Match(pattern, name)
		if err != nil {
			return
		}
		require.NoError(t, CheckGlob(pattern), "path.Match takes %q, the ignore rule refuses it", pattern)
		if !ok {
			return
		}
		require.True(t, IgnoreRule{Name: pattern}.Matches(name, "TXT"), "path.Match(%q, %q) is true, the ignore rule does not match", pattern, name)
	})
}
