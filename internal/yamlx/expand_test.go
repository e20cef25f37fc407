package yamlx

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// expanded parses and expands src, failing the test on a syntax error.
func expanded(t *testing.T, src string) (*yaml.Node, *FileErrors, bool) {
	t.Helper()
	doc, err := Parse([]byte(src))
	require.NoError(t, err)
	e := &FileErrors{File: "f.yaml"}
	ok := Expand(e, doc)
	return Resolve(doc), e, ok
}

// plain is the tree under n as Go values, for comparing.
func plain(t *testing.T, n *yaml.Node) any {
	t.Helper()
	var v any
	require.NoError(t, n.Decode(&v))
	return v
}

func TestExpandAliasesAndMergeKeys(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"alias of a scalar", "a: &x 1\nb: *x\n", "a: 1\nb: 1\n"},
		{"alias of a mapping", "a: &m {k: v}\nb: *m\n", "a: {k: v}\nb: {k: v}\n"},
		{"nested aliases", "a: &i [1]\nb: &o {l: *i}\nc: *o\n", "a: [1]\nb: {l: [1]}\nc: {l: [1]}\n"},
		{"merge, the mapping's own keys win", "d: &d {a: 1, b: 2}\ne: {<<: *d, b: 3}\n", "d: {a: 1, b: 2}\ne: {a: 1, b: 3}\n"},
		{"merge of a list, the earlier mapping wins", "x: &x {a: 1}\ny: &y {a: 2, b: 2}\nz: {<<: [*x, *y]}\n", "x: {a: 1}\ny: {a: 2, b: 2}\nz: {a: 1, b: 2}\n"},
		{"merge of a mapping written in place", "z:\n  <<: {a: 1}\n  b: 2\n", "z: {a: 1, b: 2}\n"},
		{"a quoted << is a key", "z: {\"<<\": 1}\n", "z: {\"<<\": 1}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, e, ok := expanded(t, tc.src)
			require.True(t, ok)
			require.Empty(t, e.List)
			assert.False(t, hasAliasOrMerge(root), "an alias or merge key is left")
			want, err := Parse([]byte(tc.want))
			require.NoError(t, err)
			if diff := cmp.Diff(plain(t, want), plain(t, root)); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

func hasAliasOrMerge(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || IsMergeKey(n) {
		return true
	}
	for _, c := range n.Content {
		if hasAliasOrMerge(c) {
			return true
		}
	}
	return false
}

// TestExpandedProblemPointsAtTheUse: a problem in a copied value is at
// the alias, and names where the value is written.
func TestExpandedProblemPointsAtTheUse(t *testing.T) {
	root, e, ok := expanded(t, "defaults: &d\n  ttl: many\nzone:\n  settings: *d\n")
	require.True(t, ok)
	var v struct {
		Defaults struct {
			TTL int `yaml:"ttl"`
		} `yaml:"defaults"`
		Zone struct {
			Settings struct {
				TTL int `yaml:"ttl"`
			} `yaml:"settings"`
		} `yaml:"zone"`
	}
	Decode(e, root, &v, "")
	require.Error(t, e.List.Err())
	assert.Equal(t, `f.yaml:2:8: defaults.ttl must be a whole number, not "many"
f.yaml:4:13: zone.settings.ttl must be a whole number, not "many" (from anchor &d, line 2:8)`, e.List.Err().Error())
}

func TestExpandRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"an alias inside its own anchor", "a: &a [1, *a]\n", "f.yaml:1:11: alias *a is inside the value of anchor &a (line 1) it refers to, so it would never end; alias a value that does not hold it"},
		{"a merge of a scalar", "a: &s 1\nb: {<<: *s, c: 2}\n", "f.yaml:2:9: the merge key << takes a mapping (or an alias of one), or a list of them, not \"1\" (from anchor &s, line 1:4)"},
		{"a merge of a list of scalars", "b: {<<: [1], c: 2}\n", "f.yaml:1:10: the merge key << takes a mapping (or an alias of one), or a list of them, not \"1\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, e, _ := expanded(t, tc.src)
			require.Error(t, e.List.Err())
			assert.Equal(t, tc.want, e.List.Err().Error())
		})
	}
}

// billionLaughs is the alias bomb: ten levels of ten aliases each of the
// level below, 10^10 strings once expanded from a file of 1 KB.
func billionLaughs(key string) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol]\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	b.WriteString(key + ": *a10\n")
	return b.String()
}

// TestExpandStopsAnAliasBomb: the bomb is refused with a clear message
// after copying a bounded number of nodes (yaml.v3's rule: 99% of at most
// 400,000), not after trying to build ten billion.
func TestExpandStopsAnAliasBomb(t *testing.T) {
	src := billionLaughs("laughs")
	require.Less(t, len(src), 1024)
	doc, err := Parse([]byte(src))
	require.NoError(t, err)
	e := &FileErrors{File: "bomb.yaml"}
	copies, ok := ExpandCount(e, doc)
	require.False(t, ok)
	require.Len(t, e.List, 1)
	assert.Contains(t, e.List[0].Error(), "which is how an alias bomb (\"billion laughs\") works; zonesync stops reading it")
	assert.LessOrEqual(t, copies, 400_000, "nodes copied before stopping")
	// yaml.v3 refuses the same document when it decodes it.
	var v any
	assert.ErrorContains(t, yaml.NewDecoder(bytes.NewReader([]byte(src))).Decode(&v), "excessive aliasing")
}

// TestExpandAllowsModerateReuse: a document that reuses an anchor a lot,
// as a big spec with one set of defaults does, is expanded whole.
func TestExpandAllowsModerateReuse(t *testing.T) {
	var b strings.Builder
	b.WriteString("defaults: &d {type: A, ttl: 300}\nrecords:\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "  h%d: {<<: *d, value: 192.0.2.1}\n", i)
	}
	root, e, ok := expanded(t, b.String())
	require.True(t, ok)
	require.Empty(t, e.List)
	rec := MapValue(root, "records")
	require.Len(t, rec.Content, 10000)
	assert.Equal(t, "300", MapValue(rec.Content[9999], "ttl").Value)
}

// TestAllowedAliasShare holds the rule to yaml.v3's numbers.
func TestAllowedAliasShare(t *testing.T) {
	assert.InDelta(t, 0.99, allowedAliasShare(1000), 1e-9)
	assert.InDelta(t, 0.99, allowedAliasShare(400_000), 1e-9)
	assert.InDelta(t, 0.545, allowedAliasShare(2_200_000), 1e-9)
	assert.InDelta(t, 0.10, allowedAliasShare(4_000_000), 1e-9)
	assert.InDelta(t, 0.10, allowedAliasShare(40_000_000), 1e-9)
}

func TestStripExtensions(t *testing.T) {
	root, _, ok := expanded(t, "x-defaults: &d {a: 1}\nkey: *d\n\"x-quoted\": 2\n")
	require.True(t, ok)
	StripExtensions(root)
	assert.Equal(t, map[string]any{"key": map[string]any{"a": 1}}, plain(t, root))
}
