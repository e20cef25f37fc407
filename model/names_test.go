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
