package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
)

const validSpec = `zone: Example.COM.
provider: local
ttl: 600
soa: {primary_ns: NS1.example.com, admin_mail: hostmaster@example.com, refresh: 7200}
ignore:
  - {name: _acme-challenge, type: txt}
records:
  "@":
    - {type: A, values: [192.0.2.2, 192.0.2.1, 192.0.2.1]}
    - {type: mx, value: "10 Mail.Example.com"}
  www.example.com.:
    - {type: AAAA, ttl: 60, value: "2001:DB8::1"}
  _sip._udp:
    - {type: SRV, value: "0 5 5060 sip.example.com."}
  "*.dev":
    type: TXT
    value: hello world
`

func TestParseZone(t *testing.T) {
	cfg, caps := corpusConfig()
	z, err := ParseZone("zones/example.com.yaml", []byte(validSpec), cfg, caps)
	require.NoError(t, err)
	assert.Equal(t, "example.com", z.Name)
	assert.Equal(t, "local", z.Provider)
	assert.Equal(t, uint32(600), z.TTL)
	assert.Equal(t, model.Master, z.Mode)
	if assert.NotNil(t, z.SOA) {
		assert.Equal(t, "ns1.example.com.", z.SOA.PrimaryNS)
		assert.Equal(t, uint32(7200), z.SOA.Refresh)
		assert.Equal(t, uint32(0), z.SOA.Retry)
	}
	var keys []string
	for _, rs := range z.Records {
		keys = append(keys, rs.Key())
	}
	assert.Equal(t, []string{"@ A", "@ MX", "*.dev TXT", "_sip._udp SRV", "www AAAA"}, keys, "record sets")
	a := z.Find("@", "A")
	require.NotNil(t, a, "@ A")
	assert.Equal(t, []string{"192.0.2.1", "192.0.2.2"}, a.Values, "@ A")
	assert.Equal(t, uint32(600), a.TTL, "@ A")
	mx := z.Find("@", "MX")
	require.NotNil(t, mx, "@ MX")
	require.NotEmpty(t, mx.Values, "@ MX")
	assert.Equal(t, "10 mail.example.com.", mx.Values[0], "@ MX")
	aaaa := z.Find("www", "AAAA")
	require.NotNil(t, aaaa, "www AAAA")
	require.NotEmpty(t, aaaa.Values, "www AAAA")
	assert.Equal(t, "2001:db8::1", aaaa.Values[0], "www AAAA")
	assert.Equal(t, uint32(60), aaaa.TTL, "www AAAA")
	assert.True(t, z.Ignored("_acme-challenge", "TXT"), "ignore rule not applied as written")
	assert.False(t, z.Ignored("_acme-challenge", "A"), "ignore rule not applied as written")
}

// sameZone asserts that got digests as want does and, where not, shows
// how the two differ, leaving out where in a file each came from.
func sameZone(t testing.TB, want, got *model.Zone, msgAndArgs ...any) bool {
	t.Helper()
	if want.Digest() == got.Digest() {
		return true
	}
	diff := cmp.Diff(want, got, cmpopts.IgnoreFields(model.Zone{}, "File", "Pos"), cmpopts.IgnoreFields(model.RecordSet{}, "Pos"))
	return assert.Fail(t, "the zones digest differently (-want +got):\n"+diff, msgAndArgs...)
}

func TestKeyOrderDoesNotMatter(t *testing.T) {
	cfg, caps := corpusConfig()
	a, err := ParseZone("example.com.yaml", []byte("zone: example.com\nprovider: local\nttl: 300\nrecords:\n  www: [{type: A, value: 192.0.2.1}]\n"), cfg, caps)
	require.NoError(t, err)
	b, err := ParseZone("example.com.yaml", []byte("records:\n  www: [{value: 192.0.2.1, type: A}]\nttl: 300\nprovider: local\nzone: example.com\n"), cfg, caps)
	require.NoError(t, err)
	sameZone(t, a, b, "the same zone with keys in another order")
}

func TestMarshalRoundTrip(t *testing.T) {
	cfg, caps := corpusConfig()
	z, err := ParseZone("example.com.yaml", []byte(validSpec), cfg, caps)
	require.NoError(t, err)
	z.Ignore = nil // import writes live zones, which have no ignore rules
	data, err := Marshal(z, false)
	require.NoError(t, err)
	back, err := ParseZone("example.com.yaml", data, cfg, caps)
	require.NoError(t, err, "reloading the marshalled spec:\n%s", data)
	sameZone(t, z, back, "round trip changed the zone:\n%s", data)
}

func TestPeek(t *testing.T) {
	for _, tc := range []struct{ in, zone, provider string }{
		{"zone: Example.com.\nprovider: local\n", "example.com", "local"},
		{"# c\nrecords: {}\nprovider: \"cloud\" # the main one\nzone: 'a.test'\n", "a.test", "cloud"},
		{"  zone: nested\n", "", ""},
	} {
		z, p := Peek([]byte(tc.in))
		assert.Equal(t, tc.zone, z, "zone of Peek(%q)", tc.in)
		assert.Equal(t, tc.provider, p, "provider of Peek(%q)", tc.in)
	}
}

func TestPeekAliases(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"zone: example.com\naliases: [example.net, \"Example.ORG.\"] # parked\nprovider: p\n", []string{"example.net", "example.org"}},
		{"zone: example.com\naliases: []\n", nil},
		{"zone: example.com\naliases:\n  - example.net\n", []string{"example.net"}},
		{"zone: example.com\naliases: # parked\n- example.net\n  # brand\n\n  - 'Example.ORG.' # old\nprovider: p\n  - not.test\n", []string{"example.net", "example.org"}},
		{"zone: example.com\r\naliases:\r\n  - example.net\r\n", []string{"example.net"}},
		{"zone: example.com\naliases:\n  - *parked\n", nil},
		{"zone: example.com\naliases:\n  - {zone: example.net}\n", nil},
		{"zone: example.com\naliases:\nprovider: p\n", nil},
		{"zone: example.com\naliases: *a\n", nil},
		{"zone: example.com\nrecords:\n  aliases: [x.test]\n", nil},
		{"zone: example.com\n", nil},
	} {
		assert.Equal(t, tc.want, PeekAliases([]byte(tc.in)), "PeekAliases(%q)", tc.in)
	}
}

func TestLoadZonesReportsEveryFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("a.test.yaml", "zone: a.test\nprovider: local\nrecords:\n  x: [{type: A, value: bad}]\n")
	write("b.test.yaml", "zone: b.test\nprovider: nope\n")
	write("c.test.yaml", "zone: c.test\nprovider: local\n")
	write("notes.txt", "ignored")
	cfg, caps := corpusConfig()
	cfg.ZonesDir = dir
	_, err := LoadZones(cfg, caps)
	require.IsType(t, yamlx.ErrorList{}, err, "LoadZones error = %v", err)
	list := err.(yamlx.ErrorList)
	require.Len(t, list, 2, "LoadZones error = %v, want 2 problems in 2 files", err)
	assert.Equal(t, []string{"a.test.yaml", "b.test.yaml"}, []string{filepath.Base(list[0].Pos.File), filepath.Base(list[1].Pos.File)}, "problems not in file order: %v", err)
}

const txtSpec = `zone: example.com
provider: local
records:
  printer._ipp._tcp:
    - {type: TXT, value: ["txtvers=1", "rp=printers/lab", "note=2nd floor"]}
  multi:
    - type: TXT
      values:
        - ["b", "c"]
        - plain text
        - ["a", "b"]
        - [only one]
`

// A TXT value written as a list of strings is one record whose strings
// keep their boundaries; values: holds such lists beside plain texts.
func TestTXTStringsInSpec(t *testing.T) {
	cfg, caps := corpusConfig()
	z, err := ParseZone("example.com.yaml", []byte(txtSpec), cfg, caps)
	require.NoError(t, err)
	assert.Equal(t, []string{`"txtvers=1" "rp=printers/lab" "note=2nd floor"`}, z.Find("printer._ipp._tcp", "TXT").Values)
	assert.Equal(t, []string{`"a" "b"`, `"b" "c"`, `"only one"`, `"plain text"`}, z.Find("multi", "TXT").Values)
}

// import writes the list form exactly when the live strings are not the
// plain 255-byte split, and the spec it writes loads back the same.
func TestMarshalKeepsTXTStrings(t *testing.T) {
	long := strings.Repeat("x", 300)
	z := &model.Zone{Name: "example.com", Provider: "local", Mode: model.Master, TTL: 300, Records: []*model.RecordSet{
		{Name: "dnssd", Type: "TXT", TTL: 300, Values: []string{`"txtvers=1" "rp=printers/lab"`}},
		{Name: "long", Type: "TXT", TTL: 300, Values: []string{model.TXTValue(long)}},
		{Name: "mixed", Type: "TXT", TTL: 300, Values: []string{`"a" "b"`, `"plain"`}},
	}}
	data, err := Marshal(z, false)
	require.NoError(t, err)
	out := string(data)
	assert.Contains(t, out, `value: ["txtvers=1", "rp=printers/lab"]`)
	assert.Contains(t, out, "value: "+long+"\n", "the plain split of a long text is written as the text")
	assert.Contains(t, out, `- ["a", "b"]`)
	cfg, caps := corpusConfig()
	back, err := ParseZone("example.com.yaml", data, cfg, caps)
	require.NoError(t, err, "%s", data)
	for _, rs := range z.Records {
		assert.Equal(t, rs.Values, back.Find(rs.Name, rs.Type).Values, "%s", rs.Name)
	}
}

// fmt sorts and de-duplicates values; a TXT value written as a list is a
// value of its own, not an empty one to merge with the next list.
func TestFormatKeepsTXTLists(t *testing.T) {
	cfg, caps := corpusConfig()
	out, err := Format([]byte(txtSpec))
	require.NoError(t, err)
	before, err := ParseZone("example.com.yaml", []byte(txtSpec), cfg, caps)
	require.NoError(t, err)
	after, err := ParseZone("example.com.yaml", out, cfg, caps)
	require.NoError(t, err, "%s", out)
	sameZone(t, before, after, "fmt changed the zone:\n%s", out)
	assert.Contains(t, string(out), "- plain text\n        - [\"a\", \"b\"]\n        - [\"b\", \"c\"]\n        - [only one]\n")
}
