package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestValidZoneName: names a provider could list that are no domain
// names, above all ones that would climb out of a directory.
func TestValidZoneName(t *testing.T) {
	for _, name := range []string{"", ".", "..", "../../h/pwned", "a/../../b", "/etc/passwd", "a..b", "a.b.", ".a.b",
		"with space.test", "tab\t.test", "percent%2F.test", "back\\slash.test", "Upper.test", "-lead.test", "trail-.test",
		"a/.test", "/a.test", "x.test\n"} {
		assert.False(t, ValidZoneName(name), "%q", name)
	}
	for _, name := range []string{"example.com", "_tcp.example.com", "xn--bcher-kva.example", "0/26.2.0.192.in-addr.arpa", "com"} {
		assert.True(t, ValidZoneName(name), "%q", name)
	}
}

// A dot after an even number of backslashes ends the name, whatever comes
// before them; miekg/dns's IsFqdn miscounted after a multi-byte character
// and a Telecom X CNAME target "ȫ\\" read back as "ȫ\\..", found by fuzzing.
func TestFqdn(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fqdn bool
	}{
		{"a.", true}, {"a", false}, {".", true}, {"", false},
		{`a\.`, false}, {`a\\.`, true}, {`a\\\.`, false},
		{"ȫ\\\\.", true}, {"ȫ\\.", false}, {"é.", true},
	} {
		assert.Equal(t, tc.fqdn, IsFqdn(tc.in), "IsFqdn(%q)", tc.in)
		want := tc.in
		if !tc.fqdn {
			want += "."
		}
		assert.Equal(t, want, Fqdn(tc.in), "Fqdn(%q)", tc.in)
	}
	// The canonical name escapes the character, as miekg/dns writes it,
	// and miekg/dns reads it back as the same name.
	assert.Equal(t, `\200\171\\.`, CanonicalName("ȫ\\\\"), "CanonicalName")
}
