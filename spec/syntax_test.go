package spec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The YAML mistakes new users make most get a message at the right place
// that says what to write instead (config has the same test for
// zonesync.yaml).
func TestYAMLSyntaxMessages(t *testing.T) {
	const tab = "YAML syntax: a tab in the indentation; YAML indents with spaces only: replace the tab with spaces"
	for _, tc := range []struct {
		name string
		data string
		want string
	}{
		{"tab before a list item",
			"zone: a.test\nprovider: local\nrecords:\n  www:\n\t- {type: A, value: 192.0.2.1}\n",
			"f.yaml:5:1: " + tab},
		{"tab after spaces",
			"zone: a.test\nprovider: local\nrecords:\n  www:\n  \t- {type: A, value: 192.0.2.1}\n",
			"f.yaml:5:3: " + tab},
		{"tab before a key, reported on the line above",
			"zone: a.test\nprovider: local\nrecords:\n  www:\n    - type: A\n\t  value: 192.0.2.1\n",
			"f.yaml:6:1: " + tab},
		{"unquoted apex",
			"zone: a.test\nprovider: local\nrecords:\n  @:\n    - {type: A, value: 192.0.2.1}\n",
			`f.yaml:4:3: YAML syntax: '@' cannot start an unquoted key or value; quote it, e.g. "@"`},
		{"variable in a zone spec",
			"zone: a.test\nprovider: local\nrecords:\n  www:\n    - {type: A, value: ${IP}}\n",
			"f.yaml:5:24: YAML syntax: ${IP} inside a flow mapping {…}: a zone spec takes no environment variables (only zonesync.yaml does); write the value itself"},
		{"unclosed flow mapping, at its own line",
			"zone: a.test\nprovider: local\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1\n",
			"f.yaml:5:1: YAML syntax: did not find expected ',' or '}' in the flow mapping {…} that starts here: close it with '}', and quote any value in it holding '{', '}', '[', ']' or ','"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, caps := corpusConfig()
			_, err := ParseZone("f.yaml", []byte(tc.data), cfg, caps)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}
