package spec

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const anchoredSpec = `x-web: &web {type: A, ttl: 300}
x-mx: &mx ["10 mx1.example.net.", "20 mx2.example.net."]
zone: example.com
provider: local
ttl: &ttl 600
records:
  "@":
    - {<<: *web, values: [&ip 192.0.2.10, 192.0.2.11]}
    - {type: MX, values: *mx}
  www: {<<: *web, value: *ip}
  shop:
    <<: *web
    ttl: *ttl
    value: *ip
  mail: {type: MX, values: *mx}
`

const writtenOutSpec = `zone: example.com
provider: local
ttl: 600
records:
  "@":
    - {type: A, ttl: 300, values: [192.0.2.10, 192.0.2.11]}
    - {type: MX, values: ["10 mx1.example.net.", "20 mx2.example.net."]}
  www: {type: A, ttl: 300, value: 192.0.2.10}
  shop: {type: A, ttl: 600, value: 192.0.2.10}
  mail: {type: MX, values: ["10 mx1.example.net.", "20 mx2.example.net."]}
`

// TestSpecAnchors: anchors, aliases and merge keys make the zone the
// spec makes written out; the record sets are where they are used.
func TestSpecAnchors(t *testing.T) {
	cfg, caps := corpusConfig()
	got, err := ParseZone("example.com.yaml", []byte(anchoredSpec), cfg, caps)
	require.NoError(t, err)
	want, err := ParseZone("example.com.yaml", []byte(writtenOutSpec), cfg, caps)
	require.NoError(t, err)
	if diff := cmp.Diff(want, got, ignorePositions); diff != "" {
		t.Errorf("-written out +with anchors:\n%s", diff)
	}
	assert.Equal(t, 10, got.Find("www", "A").Pos.Line)
	assert.Equal(t, 12, got.Find("shop", "A").Pos.Line)
}

// TestSpecAnchorProblems: a problem in an aliased value is reported at
// each use, naming where the value is written.
func TestSpecAnchorProblems(t *testing.T) {
	cfg, caps := corpusConfig()
	for _, tc := range []struct{ name, spec, want string }{
		{"a bad value", "x-ip: &ip 192.0.2.300\nzone: example.com\nprovider: local\nrecords:\n  www: {type: A, value: *ip}\n",
			`example.com.yaml:5:25: www A: invalid A value "192.0.2.300": not an IPv4 address (from anchor &ip, line 1:7)`},
		{"an unknown key merged in", "x-d: &d {type: A, vaule: 192.0.2.1}\nzone: example.com\nprovider: local\nrecords:\n  www: {<<: *d}\n",
			`example.com.yaml:5:8: records.www[0] has no value or values
example.com.yaml:5:13: unknown key "vaule" in records.www[0] (did you mean "value"?) (from anchor &d, line 1:19)`},
		{"merge of a scalar", "zone: example.com\nprovider: local\nttl: &t 300\nrecords:\n  www: {<<: *t, type: A, value: 192.0.2.1}\n",
			`example.com.yaml:5:13: the merge key << takes a mapping (or an alias of one), or a list of them, not "300" (from anchor &t, line 3:6)`},
		{"an alias in its own anchor", "zone: example.com\nprovider: local\nrecords: &r\n  www: *r\n",
			`example.com.yaml:4:8: alias *r is inside the value of anchor &r (line 3) it refers to, so it would never end; alias a value that does not hold it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseZone("example.com.yaml", []byte(tc.spec), cfg, caps)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// TestSpecAliasBomb: a billion-laughs spec is refused with one clear
// problem, having copied a bounded number of nodes.
func TestSpecAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("zone: example.com\nprovider: local\nx-0: &a0 [lol]\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "x-%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	b.WriteString("records:\n  www: {type: TXT, values: *a10}\n")
	cfg, caps := corpusConfig()
	_, err := ParseZone("example.com.yaml", []byte(b.String()), cfg, caps)
	require.Error(t, err)
	assert.Regexp(t, `^example.com.yaml:\d+:\d+: the aliases of this file expand it to over \d+ nodes from \d+ written, which is how an alias bomb \("billion laughs"\) works; zonesync stops reading it: alias fewer or smaller values, or write them out$`, err.Error())
}

// aliasSplitCases are specs with anchors in the records body: parsed in
// pieces where each piece holds its anchors, whole otherwise, the same
// either way.
var aliasSplitCases = []struct {
	name, spec string
	split      bool
}{
	{"merge key inside one entry", "zone: example.com\nprovider: local\nrecords:\n  www:\n    <<: {type: A, ttl: 60}\n    value: 192.0.2.1\n  ftp: {type: A, value: 192.0.2.2}\n", true},
	{"anchor and alias inside one entry", "zone: example.com\nprovider: local\nrecords:\n  www:\n    - &a {type: A, value: 192.0.2.1}\n    - {<<: *a, type: AAAA, value: \"2001:db8::1\"}\n", true},
	{"alias to an anchor of another entry", "zone: example.com\nprovider: local\nrecords:\n  www: &a {type: A, value: 192.0.2.1}\n  ftp: *a\n", false},
	{"merge key of the records mapping", "zone: example.com\nprovider: local\nrecords:\n  <<: {www: {type: A, value: 192.0.2.9}}\n  www: {type: A, value: 192.0.2.1}\n", false},
	{"anchor before records", "x-d: &d {type: A, ttl: 60}\nzone: example.com\nprovider: local\nrecords:\n  www: {<<: *d, value: 192.0.2.1}\n", false},
	{"a bad value through an alias in one entry", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, values: [&ip 192.0.2.300, *ip]}\n", true},
	{"an alias bomb in one entry", "zone: example.com\nprovider: local\nrecords:\n  www:\n    type: TXT\n    x: &a0 [lol]\n" + bombLevels(8) + "    values: *a8\n", false},
}

// bombLevels writes the levels of an alias bomb as keys of one mapping,
// indented for a record set.
func bombLevels(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    x%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	return b.String()
}

func TestSplitWithAnchors(t *testing.T) {
	for _, size := range []int64{1, chunkBytes} {
		for _, c := range aliasSplitCases {
			t.Run(fmt.Sprintf("%s/%d", c.name, size), func(t *testing.T) {
				inPieces(t, size)
				split := checkSplitMatchesWhole(t, "zones/example.com.yaml", []byte(c.spec))
				if size == 1 {
					assert.Equal(t, c.split, split, "parsed in pieces")
				}
			})
		}
	}
}

// TestSplitPiecesCopyLittle: pieces that copy many nodes for aliases
// send the spec to the whole parse, where yaml.v3's rule is applied to
// the whole file.
func TestSplitPiecesCopyLittle(t *testing.T) {
	var b strings.Builder
	b.WriteString("zone: example.com\nprovider: local\nrecords:\n")
	for i := range 300 {
		fmt.Fprintf(&b, "  h%d: {type: A, ttl: &t%d 60, values: [&v%d 192.0.2.1, *v%d, *v%d, *v%d], x: *t%d}\n", i, i, i, i, i, i, i)
	}
	inPieces(t, 1)
	assert.False(t, checkSplitMatchesWhole(t, "zones/example.com.yaml", []byte(b.String())), "parsed in pieces")
}

// TestFormatKeepsAnchorsValid: Format sorts, and an alias never ends up
// before its anchor; the formatted spec is the same zone.
func TestFormatKeepsAnchorsValid(t *testing.T) {
	cfg, caps := corpusConfig()
	for _, spec := range []string{
		anchoredSpec,
		"zone: example.com\nprovider: local\nrecords:\n  zzz: &a {type: A, value: 192.0.2.1}\n  aaa: *a\n",
		"zone: example.com\nprovider: local\nrecords:\n  www: {type: A, ttl: &t 300, value: 192.0.2.1}\nttl: *t\n",
		"zone: example.com\nprovider: local\nrecords:\n  www: {type: A, values: [192.0.2.9, &a 192.0.2.1, *a]}\n  ftp: {type: A, value: *a}\n",
		"zone: example.com\nprovider: local\nrecords:\n  b: {type: TXT, value: &a one}\n  a: {type: TXT, value: &a two}\n  c: {type: TXT, value: *a}\n  d: {type: TXT, value: x}\n",
		"zone: example.com\nprovider: local\nrecords:\n  www: {type: &t a, value: 192.0.2.1}\n  txt: {type: TXT, value: *t}\n",
	} {
		want, err := ParseZone("example.com.yaml", []byte(spec), cfg, caps)
		require.NoError(t, err, spec)
		out, err := Format([]byte(spec))
		require.NoError(t, err, spec)
		got, err := ParseZone("example.com.yaml", out, cfg, caps)
		require.NoError(t, err, "%s\nformatted:\n%s", spec, out)
		assert.Equal(t, want.Digest(), got.Digest(), "%s\nformatted:\n%s", spec, out)
		again, err := Format(out)
		require.NoError(t, err)
		assert.Equal(t, string(out), string(again), "formatting twice")
	}
	out, err := Format([]byte("zone: example.com\nprovider: local\nrecords:\n  zzz: &a {type: A, value: 192.0.2.1}\n  aaa: *a\nx-note: 1\n"))
	require.NoError(t, err)
	assert.Equal(t, "x-note: 1\nzone: example.com\nprovider: local\nrecords:\n  aaa: &a {type: A, value: 192.0.2.1}\n  zzz: *a\n", string(out))
}

func TestPeekSkipsAnchors(t *testing.T) {
	zone, provider := Peek([]byte("zone: &z example.com\nprovider: *p\n"))
	assert.Empty(t, zone)
	assert.Empty(t, provider)
}
