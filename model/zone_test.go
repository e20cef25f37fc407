package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompareNames(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"@", "@", 0},
		{"@", "*", -1}, // the apex first, though '*' sorts before '@'
		{"*", "@", 1},
		{"@", "a", -1},
		{"www", "@", 1},
		{"host-1", "host-2", -1},
		{"host-2", "host-1", 1},
		{"www", "www", 0},
		{"_svc._tcp", "host", -1},
		{"a", "a.b", -1},
	} {
		assert.Equal(t, c.want, CompareNames(c.a, c.b), "CompareNames(%q, %q)", c.a, c.b)
	}
}
