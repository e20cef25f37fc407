package spec

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
)

// parseOne loads a spec of zone l.test at provider with one record set
// (name, rrtype) holding values, and returns the problems reported.
func parseOne(t *testing.T, provider, rrtype string, values ...string) yamlx.ErrorList {
	t.Helper()
	cfg, caps := corpusConfig()
	var b strings.Builder
	b.WriteString("zone: l.test\nprovider: " + provider + "\nrecords:\n  big:\n    - type: " + rrtype + "\n      values:\n")
	for _, v := range values {
		b.WriteString("        - '" + v + "'\n")
	}
	_, err := ParseZone("l.test.yaml", []byte(b.String()), cfg, caps)
	if err == nil {
		return nil
	}
	var list yamlx.ErrorList
	require.True(t, errors.As(err, &list), "%v", err)
	return list
}

func messages(list yamlx.ErrorList) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Msg
	}
	return out
}

// TestRecordDataLimit: one record's data is at most MaxRDATA bytes, which
// BIND also holds zone files to; a longer value is refused at its line
// instead of producing a zone no server loads.
func TestRecordDataLimit(t *testing.T) {
	// A TXT record is its text plus one length byte per 255-byte string.
	fits := strings.Repeat("a", 65256)
	assert.Empty(t, parseOne(t, "local", "TXT", fits))
	got := parseOne(t, "local", "TXT", fits+"b")
	require.Len(t, got, 1)
	assert.Equal(t, 7, got[0].Pos.Line)
	assert.Equal(t, "big TXT: the value is 65,513 bytes of record data; a DNS record holds at most 65,512 (a 65,535-byte message less its header and the record's own)", got[0].Msg)

	// Any other type is measured from its parsed form: base64 of 65,512 bytes fits, one byte more does not.
	key := make([]byte, 65512)
	assert.Empty(t, parseOne(t, "local", "OPENPGPKEY", base64.StdEncoding.EncodeToString(key)))
	got = parseOne(t, "local", "OPENPGPKEY", base64.StdEncoding.EncodeToString(append(key, 0)))
	assert.Equal(t, []string{"big OPENPGPKEY: the value is 65,513 bytes of record data; a DNS record holds at most 65,512 (a 65,535-byte message less its header and the record's own)"}, messages(got))
}

// TestOversizedValueRefusedBeforeParse: a value far longer than any
// record can hold is refused by its length, without being parsed.
func TestOversizedValueRefusedBeforeParse(t *testing.T) {
	huge := strings.Repeat("a", 300000)
	assert.Equal(t, []string{"big TXT: the value is 300,000 bytes long; a DNS record holds at most 65,512 bytes of data"}, messages(parseOne(t, "local", "TXT", huge)))
	assert.Equal(t, []string{"big CAA: the value is 300,000 bytes long; no value of a record holding at most 65,512 bytes of data is longer than 263,072 characters"}, messages(parseOne(t, "local", "CAA", huge)))
}

// TestRecordSetMessageLimit: a provider that carries a whole record set in
// one message (rfc2136's UPDATE) refuses, at validate, a set that cannot fit.
func TestRecordSetMessageLimit(t *testing.T) {
	// Each record: owner big.l.test. (12 bytes), 10 bytes of type, class,
	// TTL and length, and 203 bytes of data: 225 bytes.
	var values []string
	for i := 0; i < 19; i++ {
		values = append(values, strings.Repeat("v", 200)+"-"+string(rune('a'+i)))
	}
	assert.Empty(t, parseOne(t, "local", "TXT", values...), "a provider without the limit takes the set")
	got := parseOne(t, "onemessage", "TXT", values...)
	assert.Equal(t, []string{"big TXT takes 4,275 bytes as DNS records (19 records); provider onemessage carries a record set in one message and takes at most 4,096"}, messages(got))
	assert.Empty(t, parseOne(t, "onemessage", "TXT", values[:18]...))
}

// TestSpecFileSizeLimit: a spec file over the documented limit is refused
// before it is read.
func TestSpecFileSizeLimit(t *testing.T) {
	defer func(old int64) { specFileLimit = old }(specFileLimit)
	specFileLimit = 1000
	dir := t.TempDir()
	body := "zone: s.test\nprovider: local\nrecords:\n  www: [{type: TXT, value: " + strings.Repeat("a", 1000) + "}]\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "s.test.yaml"), []byte(body), 0o644))
	cfg, caps := corpusConfig()
	cfg.ZonesDir = dir
	_, err := LoadZones(cfg, caps)
	require.Error(t, err)
	assert.Equal(t, filepath.Join(dir, "s.test.yaml")+":1:1: the spec file is 1,068 bytes; zonesync reads spec files of at most 1,000 bytes", err.Error())
	_, err = ParseZone("s.test.yaml", []byte(body), cfg, caps)
	assert.EqualError(t, err, "s.test.yaml:1:1: the spec file is 1,068 bytes; zonesync reads spec files of at most 1,000 bytes")
}

// TestSpecLineLimit: a line longer than any value needs is refused before
// the YAML parse; a spec whose long value spans lines is still read.
func TestSpecLineLimit(t *testing.T) {
	defer func(old int) { specLineLimit = old }(specLineLimit)
	specLineLimit = 100
	cfg, caps := corpusConfig()
	long := "zone: s.test\nprovider: local\nrecords:\n  www: [{type: TXT, value: " + strings.Repeat("a", 100) + "}]\n"
	_, err := ParseZone("s.test.yaml", []byte(long), cfg, caps)
	assert.EqualError(t, err, "s.test.yaml:4:1: this line is 129 bytes long; zonesync reads spec lines of at most 100 bytes (no value can be longer than 263,072 characters)")
	folded := "zone: s.test\nprovider: local\nrecords:\n  www:\n    - type: TXT\n      value: >-\n        " + strings.Repeat("a", 60) + "\n        " + strings.Repeat("b", 60) + "\n"
	z, err := ParseZone("s.test.yaml", []byte(folded), cfg, caps)
	require.NoError(t, err)
	assert.Equal(t, []string{model.TXTValue(strings.Repeat("a", 60) + " " + strings.Repeat("b", 60))}, z.Find("www", "TXT").Values)
}

// BenchmarkOversizedValue measures validating a spec holding one 100 MB
// TXT value, which is refused by the length of its line before the YAML parse.
func BenchmarkOversizedValue(b *testing.B) {
	data := []byte("zone: big.test\nprovider: local\nrecords:\n  big:\n    - {type: TXT, value: \"" + strings.Repeat("a", 100<<20) + "\"}\n")
	cfg, caps := corpusConfig()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseZone("big.test.yaml", data, cfg, caps); err == nil {
			b.Fatal("a 100 MB value was accepted")
		}
	}
}
