package spec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The YAML mistakes new users make most get a message at the right place
// that says what to write instead.
func TestYAMLSyntaxMessages(t *testing.T) {
	const tab = "YAML syntax: a tab in the indentation; YAML indents with spaces only: replace the tab with spaces"
	for _, tc := range []struct {
		name   string
		config bool
		data   string
		want   string
	}{
		{"tab before a list item", false,
			"zone: a.test\nprovider: local\nrecords:\n  www:\n\t- {type: A, value: 192.0.2.1}\n",
			"f.yaml:5:1: " + tab},
		{"tab after spaces", false,
			"zone: a.test\nprovider: local\nrecords:\n  www:\n  \t- {type: A, value: 192.0.2.1}\n",
			"f.yaml:5:3: " + tab},
		{"tab before a key, reported on the line above", false,
			"zone: a.test\nprovider: local\nrecords:\n  www:\n    - type: A\n\t  value: 192.0.2.1\n",
			"f.yaml:6:1: " + tab},
		{"tab in the config", true,
			"providers:\n\tlocal: {type: zonefile}\n",
			"f.yaml:2:1: " + tab},
		{"unquoted apex", false,
			"zone: a.test\nprovider: local\nrecords:\n  @:\n    - {type: A, value: 192.0.2.1}\n",
			`f.yaml:4:3: YAML syntax: '@' cannot start an unquoted key or value; quote it, e.g. "@"`},
		{"variable in a one-line flow mapping", true,
			"providers:\n  dns:\n    type: cloudns\n  cf: {type: cloudns, auth_id: ${X}}\n",
			`f.yaml:4:32: YAML syntax: ${X} inside a flow mapping {…} must be quoted: write "${X}"`},
		{"variable on the second line of a flow mapping", true,
			"providers:\n  cf: {type: cloudns,\n    auth_password: ${CLOUDNS_PASSWORD}}\n",
			`f.yaml:3:20: YAML syntax: ${CLOUDNS_PASSWORD} inside a flow mapping {…} must be quoted: write "${CLOUDNS_PASSWORD}"`},
		{"variable in a flow list", true,
			"providers:\n  ns:\n    type: rfc2136\n    servers: [${NS1}, ns2.example.net]\n",
			`f.yaml:4:15: YAML syntax: ${NS1} inside a flow list […] must be quoted: write "${NS1}"`},
		{"quoted variables before the culprit are fine", true,
			"# ${NOT_THIS}\nproviders:\n  a: {type: x, auth_id: \"${A}\", note: 'it''s {x}'}\n  b: {type: x, auth_id: ${B}}\n",
			`f.yaml:4:25: YAML syntax: ${B} inside a flow mapping {…} must be quoted: write "${B}"`},
		{"variable in a zone spec", false,
			"zone: a.test\nprovider: local\nrecords:\n  www:\n    - {type: A, value: ${IP}}\n",
			"f.yaml:5:24: YAML syntax: ${IP} inside a flow mapping {…}: a zone spec takes no environment variables (only zonesync.yaml does); write the value itself"},
		{"unclosed flow mapping, at its own line", false,
			"zone: a.test\nprovider: local\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1\n",
			"f.yaml:5:1: YAML syntax: did not find expected ',' or '}' in the flow mapping {…} that starts here: close it with '}', and quote any value in it holding '{', '}', '[', ']' or ','"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.config {
				_, err = ParseConfig("f.yaml", []byte(tc.data), env(map[string]string{"X": "12345678", "B": "x", "NS1": "x", "CLOUDNS_PASSWORD": "x"}))
			} else {
				cfg, caps := corpusConfig()
				_, err = ParseZone("f.yaml", []byte(tc.data), cfg, caps)
			}
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// A block value may hold ${VAR} unquoted; only a flow collection ends a
// plain value at '{'.
func TestVariableInBlockValueNeedsNoQuotes(t *testing.T) {
	cfg, err := ParseConfig("f.yaml", []byte("providers:\n  cf:\n    type: cloudns\n    auth_id: ${X}\n"), env(map[string]string{"X": "12345678"}))
	require.NoError(t, err)
	assert.Equal(t, "cloudns", cfg.Providers["cf"].Type)
}
