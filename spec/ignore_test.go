package spec

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
		if err := checkGlob(pattern); err != nil {
			t.Fatalf("path.Match takes %q, the ignore rule refuses it: %v", pattern, err)
		}
		if !ok {
			return
		}
		if !(IgnoreRule{Name: pattern}).Matches(name, "TXT") {
			t.Fatalf("path.Match(%q, %q) is true, the ignore rule does not match", pattern, name)
		}
	})
}

// TestIgnoreRuleNames: rule names are written as record names are,
// relative or absolute inside the zone; an absolute name outside the zone,
// or one that lacks its trailing dot, is an error at its line.
func TestIgnoreRuleNames(t *testing.T) {
	cfg, caps := corpusConfig()
	z, err := ParseZone("ex.com.yaml", []byte("zone: ex.com\nprovider: local\nignore:\n  - {name: _acme-challenge.Ex.Com., type: TXT}\n  - {name: '*.dyn.ex.com.'}\n  - {name: ex.com., type: NS}\n  - {name: '*'}\n"), cfg, caps)
	require.NoError(t, err)
	var names []string
	for _, r := range z.Ignore {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"_acme-challenge", "*.dyn", "@", "*"}, names)
	assert.True(t, z.Ignored("_acme-challenge", "TXT"))
	assert.True(t, z.Ignored("home.dyn", "A"))
	assert.True(t, z.Ignored(Apex, "NS"))
	assert.Equal(t, 4, z.Ignore[0].Pos.Line)

	_, err = ParseZone("ex.com.yaml", []byte("zone: ex.com\nprovider: local\nignore:\n  - {name: _acme-challenge.other.com., type: TXT}\n  - {name: www.ex.com}\n  - {name: 'host['}\n"), cfg, caps)
	require.Error(t, err)
	assert.Equal(t, `ex.com.yaml:4:12: ignore[0]: name "_acme-challenge.other.com." is outside zone ex.com
ex.com.yaml:5:12: ignore[1]: name "www.ex.com" looks absolute but has no trailing dot: write "www.ex.com." or "www"
ex.com.yaml:6:12: ignore[2]: name "host[" is not a valid glob`, err.Error())
}
