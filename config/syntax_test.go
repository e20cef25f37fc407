package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The YAML mistakes new users make most get a message at the right place
// that says what to write instead (spec has the same test for zone specs).
func TestYAMLSyntaxMessages(t *testing.T) {
	const tab = "YAML syntax: a tab in the indentation; YAML indents with spaces only: replace the tab with spaces"
	for _, tc := range []struct {
		name string
		data string
		want string
	}{
		{"tab in the config",
			"providers:\n\tlocal: {type: zonefile}\n",
			"f.yaml:2:1: " + tab},
		{"variable in a one-line flow mapping",
			"providers:\n  dns:\n    type: cloudns\n  cf: {type: cloudns, auth_id: ${X}}\n",
			`f.yaml:4:32: YAML syntax: ${X} inside a flow mapping {…} must be quoted: write "${X}"`},
		{"variable on the second line of a flow mapping",
			"providers:\n  cf: {type: cloudns,\n    auth_password: ${CLOUDNS_PASSWORD}}\n",
			`f.yaml:3:20: YAML syntax: ${CLOUDNS_PASSWORD} inside a flow mapping {…} must be quoted: write "${CLOUDNS_PASSWORD}"`},
		{"variable in a flow list",
			"providers:\n  ns:\n    type: rfc2136\n    servers: [${NS1}, ns2.example.net]\n",
			`f.yaml:4:15: YAML syntax: ${NS1} inside a flow list […] must be quoted: write "${NS1}"`},
		{"quoted variables before the culprit are fine",
			"# ${NOT_THIS}\nproviders:\n  a: {type: x, auth_id: \"${A}\", note: 'it''s {x}'}\n  b: {type: x, auth_id: ${B}}\n",
			`f.yaml:4:25: YAML syntax: ${B} inside a flow mapping {…} must be quoted: write "${B}"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tc.data), env(map[string]string{"X": "12345678", "B": "x", "NS1": "x", "CLOUDNS_PASSWORD": "x"}))
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// A block value may hold ${VAR} unquoted; only a flow collection ends a
// plain value at '{'.
func TestVariableInBlockValueNeedsNoQuotes(t *testing.T) {
	cfg, err := Parse("f.yaml", []byte("providers:\n  cf:\n    type: cloudns\n    auth_id: ${X}\n"), env(map[string]string{"X": "12345678"}))
	require.NoError(t, err)
	assert.Equal(t, "cloudns", cfg.Providers["cf"].Type)
}
