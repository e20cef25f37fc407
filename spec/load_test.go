package spec

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	if err != nil {
		t.Fatal(err)
	}
	if z.Name != "example.com" || z.Provider != "local" || z.TTL != 600 || z.Mode != model.Master {
		t.Errorf("zone = %+v", z)
	}
	if z.SOA == nil || z.SOA.PrimaryNS != "ns1.example.com." || z.SOA.Refresh != 7200 || z.SOA.Retry != 0 {
		t.Errorf("soa = %+v", z.SOA)
	}
	var keys []string
	for _, rs := range z.Records {
		keys = append(keys, rs.Key())
	}
	if want := []string{"@ A", "@ MX", "*.dev TXT", "_sip._udp SRV", "www AAAA"}; !slices.Equal(keys, want) {
		t.Errorf("record sets %v, want %v", keys, want)
	}
	if a := z.Find("@", "A"); !slices.Equal(a.Values, []string{"192.0.2.1", "192.0.2.2"}) || a.TTL != 600 {
		t.Errorf("@ A = %+v", a)
	}
	if mx := z.Find("@", "MX"); mx.Values[0] != "10 mail.example.com." {
		t.Errorf("@ MX = %q", mx.Values)
	}
	if aaaa := z.Find("www", "AAAA"); aaaa.Values[0] != "2001:db8::1" || aaaa.TTL != 60 {
		t.Errorf("www AAAA = %+v", aaaa)
	}
	if !z.Ignored("_acme-challenge", "TXT") || z.Ignored("_acme-challenge", "A") {
		t.Error("ignore rule not applied as written")
	}
}

func TestKeyOrderDoesNotMatter(t *testing.T) {
	cfg, caps := corpusConfig()
	a, err := ParseZone("example.com.yaml", []byte("zone: example.com\nprovider: local\nttl: 300\nrecords:\n  www: [{type: A, value: 192.0.2.1}]\n"), cfg, caps)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseZone("example.com.yaml", []byte("records:\n  www: [{value: 192.0.2.1, type: A}]\nttl: 300\nprovider: local\nzone: example.com\n"), cfg, caps)
	if err != nil {
		t.Fatal(err)
	}
	if a.Digest() != b.Digest() {
		t.Error("the same zone with keys in another order digests differently")
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	cfg, caps := corpusConfig()
	z, err := ParseZone("example.com.yaml", []byte(validSpec), cfg, caps)
	if err != nil {
		t.Fatal(err)
	}
	z.Ignore = nil // import writes live zones, which have no ignore rules
	data, err := Marshal(z, false)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseZone("example.com.yaml", data, cfg, caps)
	if err != nil {
		t.Fatalf("reloading the marshalled spec: %v\n%s", err, data)
	}
	if back.Digest() != z.Digest() {
		t.Errorf("round trip changed the zone:\n%s", data)
	}
}

func TestPeek(t *testing.T) {
	for _, tc := range []struct{ in, zone, provider string }{
		{"zone: Example.com.\nprovider: local\n", "example.com", "local"},
		{"# c\nrecords: {}\nprovider: \"cloud\" # the main one\nzone: 'a.test'\n", "a.test", "cloud"},
		{"  zone: nested\n", "", ""},
	} {
		z, p := Peek([]byte(tc.in))
		if z != tc.zone || p != tc.provider {
			t.Errorf("Peek(%q) = %q, %q; want %q, %q", tc.in, z, p, tc.zone, tc.provider)
		}
	}
}

func TestPeekSOA(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"soa:\n  refresh: 7200\n", true},
		{"zone: a.test\r\nsoa: {retry: 600}\r\n", true},
		{"zone: a.test\nrecords:\n  soa:\n    - {type: A, value: 192.0.2.1}\n", false},
		{"zone: a.test\n# soa: later\n", false},
		{"zone: a.test\n", false},
	} {
		if got := PeekSOA([]byte(tc.in)); got != tc.want {
			t.Errorf("PeekSOA(%q) = %t, want %t", tc.in, got, tc.want)
		}
	}
}

func TestLoadZonesReportsEveryFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.test.yaml", "zone: a.test\nprovider: local\nrecords:\n  x: [{type: A, value: bad}]\n")
	write("b.test.yaml", "zone: b.test\nprovider: nope\n")
	write("c.test.yaml", "zone: c.test\nprovider: local\n")
	write("notes.txt", "ignored")
	cfg, caps := corpusConfig()
	cfg.ZonesDir = dir
	_, err := LoadZones(cfg, caps)
	list, ok := err.(yamlx.ErrorList)
	if !ok || len(list) != 2 {
		t.Fatalf("LoadZones error = %v, want 2 problems in 2 files", err)
	}
	if filepath.Base(list[0].Pos.File) != "a.test.yaml" || filepath.Base(list[1].Pos.File) != "b.test.yaml" {
		t.Errorf("problems not in file order: %v", err)
	}
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
	assert.Equal(t, before.Digest(), after.Digest(), "fmt changed the zone:\n%s", out)
	assert.Contains(t, string(out), "- plain text\n        - [\"a\", \"b\"]\n        - [\"b\", \"c\"]\n        - [only one]\n")
}
