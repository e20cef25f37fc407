package spec

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// splitCases are specs whose records body is cut into pieces, or must not
// be, with split saying which when every entry is a piece of its own.
var splitCases = []struct {
	name, spec string
	split      bool
}{
	{"several providers", `zone: example.com
providers: [local, floor]
ttl: 7200
records:
  "@":
    - {type: NS, values: [ns1.example.net., ns2.example.org.]}
  www:
    - {type: A, value: 192.0.2.1, only: [local]}
    - {type: A, value: 192.0.2.9, except: [local]}
  api:
    - {type: A, ttl: 300, value: 192.0.2.2, only: [local]}
  low:
    - {type: A, ttl: 300, value: 192.0.2.3}
`, true},
	{"every block form", `zone: example.com
provider: local
records:
  # a comment before the first entry
  "@":
    - {type: A, values: [192.0.2.2, 192.0.2.1]}
    - type: MX
      value: "10 mail.example.com."
# a comment at column 0 inside the body

  www:
  - type: AAAA
    value: 2001:db8::1
  -
    type: TXT
    value: 'single # quoted'
  '*.dev': {type: TXT, value: "x"}
  txt:
    type: TXT
    value: |
      a block scalar
      www: not a key
    # an indented comment
  plain:
    type: TXT
    value: a plain value
      over two lines
  -dash: {type: A, value: 192.0.2.3}
ttl: 300
`, true},
	{"windows line ends", "zone: example.com\r\nprovider: local\r\nrecords:\r\n  www:\r\n    - {type: A, value: 192.0.2.1}\r\n  ftp: {type: CNAME, value: www}\r\n", true},
	{"no newline at the end", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, value: 192.0.2.1}\n  ftp: {type: A, value: 192.0.2.2}", true},
	{"comment after records", "zone: example.com\nprovider: local\nrecords:   # the sets\n  www: {type: A, value: 192.0.2.1}\n  ftp: {type: A, value: 192.0.2.2}\n", true},
	{"document markers", "---\nzone: example.com\nprovider: local\nrecords:\n  www: {type: A, value: 192.0.2.1}\n  ftp: {type: A, value: 192.0.2.2}\n...\n", true},
	{"a long line", "zone: example.com\nprovider: local\nrecords:\n  long: {type: TXT, value: " + strings.Repeat("x", 3*lineHead) + "}\n  ftp: {type: A, value: 192.0.2.2}\n", true},
	{"errors in several entries", `zone: example.com
provider: local
records:
  www: {type: A, value: 192.0.2.300}
  WWW: {type: A, value: 192.0.2.1}
  bad name: {type: A, value: 192.0.2.1}
  dup:
    - {type: A, value: 192.0.2.1}
    - {type: A, value: 192.0.2.2}
  cname: {type: CNAME, values: [a.example., b.example.]}
  cname: {type: A, value: 192.0.2.1}
  "@": {type: CNAME, value: x.example.}
  x: {type: A, ttl: -1, value: 192.0.2.1}
  y: [1, 2]
  z: 3
records:
  again: {type: A, value: 192.0.2.1}
`, true},
	{"records set twice, the first quoted", "zone: example.com\nprovider: local\n\"records\": {}\nrecords:\n  www: {type: A, value: 192.0.2.1}\n", true},
	{"slave zone with records", "zone: example.com\nprovider: secondary\nmode: slave\nmasters: [192.0.2.53]\nrecords:\n\n  www:\n    - {type: A, value: 192.0.2.1}\n", true},
	{"alias inside one entry", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, values: [&ip 192.0.2.1, *ip]}\n", true},

	{"alias to an earlier entry", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, value: &ip 192.0.2.1}\n  ftp: {type: A, value: *ip}\n", false},
	{"alias before records", "zone: example.com\nprovider: local\nttl: &t 300\nrecords:\n  www: {type: A, ttl: *t, value: 192.0.2.1}\n", false},
	{"alias after records", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, ttl: &t 300, value: 192.0.2.1}\nttl: *t\n", false},
	{"quoted value over an entry's start", "zone: example.com\nprovider: local\nrecords:\n  www: {type: TXT, value: \"one\n  ftp: two\"}\n  ftp: {type: A, value: 192.0.2.2}\n", false},
	{"flow value over an entry's start", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, values: [192.0.2.1,\n  192.0.2.2]}\n  ftp: {type: A, value: 192.0.2.2}\n", false},
	{"flow records", "zone: example.com\nprovider: local\nrecords: {www: {type: A, value: 192.0.2.1}}\n", false},
	{"quoted records key", "zone: example.com\nprovider: local\n\"records\":\n  www: {type: A, value: 192.0.2.1}\n", false},
	{"records without entries", "zone: example.com\nprovider: local\nrecords:\n  # none yet\nttl: 300\n", false},
	{"records as a list", "zone: example.com\nprovider: local\nrecords:\n- www\n", false},
	{"explicit key", "zone: example.com\nprovider: local\nrecords:\n  ? www\n  : {type: A, value: 192.0.2.1}\n", false},
	{"tab in the body", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, value: 192.0.2.1}\n\tftp: {type: A, value: 192.0.2.2}\n", false},
	{"less indented line", "zone: example.com\nprovider: local\nrecords:\n    www: {type: A, value: 192.0.2.1}\n  ftp: {type: A, value: 192.0.2.2}\n", false},
	{"second document after records", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, value: 192.0.2.1}\n---\nzone: other.com\n", false},
	{"records inside a quoted value", "zone: \"example.com\nrecords:\n  www: x\"\nprovider: local\n", false},
	{"records inside a flow mapping", "{zone: example.com, provider: local,\nrecords:\n  www: {type: A, value: 192.0.2.1}}\n", false},
	{"a carriage return alone", "zone: example.com\nprovider: local\nrecords:\n  www:\r    - {type: A, value: 192.0.2.1}\n  ftp: {type: A, value: 192.0.2.2}\n", false},
	{"a next-line character", "zone: example.com\nprovider: local\nrecords:\n  www: {type: TXT, value: \"a\u0085b\"}\n  ftp: {type: A, value: 192.0.2.2}\n", false},
	{"a line separator", "zone: example.com\nprovider: local\nrecords:\n  www: {type: TXT, value: \"a\u2028b\"}\n  ftp: {type: A, value: 192.0.2.2}\n", false},
	{"nested as deep as yaml.v3 allows, counting the records key", "zone: example.com\nprovider: local\nrecords:\n  www:\n    " + strings.Repeat("- ", 9999) + "x\n", false},
	{"syntax error in an entry", "zone: example.com\nprovider: local\nrecords:\n  www: {type: A, value: 192.0.2.1\n  ftp: {type: A, value: 192.0.2.2}\n", false},
}

// inPieces sets the size of a piece for the rest of the test: 1 puts every
// entry of the records mapping in a piece of its own.
func inPieces(t testing.TB, size int64) {
	old := chunkBytes
	chunkBytes = size
	t.Cleanup(func() { chunkBytes = old })
}

// checkSplitMatchesWhole fails when a spec parsed in pieces gives another
// zone or other problems than parsed whole, and returns whether it was
// parsed in pieces.
func checkSplitMatchesWhole(t *testing.T, file string, data []byte) bool {
	t.Helper()
	cfg, caps := corpusConfig()
	whole, wholeErr := parseZoneWhole(file, data, cfg, caps)
	z, ok, err := parseZoneSplit(file, bytes.NewReader(data), int64(len(data)), cfg, caps)
	if !ok {
		z, err = ParseTargets(file, data, cfg, caps)
	}
	require.Equal(t, fmt.Sprint(wholeErr), fmt.Sprint(err), "problems reported (parsed in pieces: %v)", ok)
	if diff := cmp.Diff(whole, z); diff != "" {
		t.Fatalf("zone parsed in pieces differs from the whole parse (-whole +pieces):\n%s", diff)
	}
	return ok
}

func TestSplitMatchesWhole(t *testing.T) {
	for _, size := range []int64{1, chunkBytes} {
		for _, c := range splitCases {
			t.Run(fmt.Sprintf("%s/%d", c.name, size), func(t *testing.T) {
				inPieces(t, size)
				split := checkSplitMatchesWhole(t, "zones/example.com.yaml", []byte(c.spec))
				if size == 1 {
					require.Equal(t, c.split, split, "parsed in pieces")
				}
			})
		}
	}
}

func TestSplitMatchesWholeOnTheCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	require.NoError(t, err)
	inPieces(t, 1)
	split := 0
	for _, file := range append(files, "") {
		data := []byte(validSpec)
		if file != "" {
			data, err = os.ReadFile(file)
			require.NoError(t, err)
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			if checkSplitMatchesWhole(t, file, data) {
				split++
			}
		})
	}
	// Most of the corpus has a block records mapping; make sure the pieces
	// were in fact compared.
	require.Greater(t, split, len(files)/2, "specs parsed in pieces")
}

// bigSpec writes a spec of n record sets, each over several lines (block)
// or on one line.
func bigSpec(n int, block bool) []byte {
	var b strings.Builder
	b.WriteString("zone: example.com\nprovider: local\nrecords:\n")
	for i := range n {
		name, value := fmt.Sprintf("host-%05d", i), fmt.Sprintf("10.0.%d.%d", i/256%256, i%256)
		if i%7 == 3 {
			name = fmt.Sprintf("_svc-%05d._tcp", i)
		}
		if block {
			fmt.Fprintf(&b, "  %s:\n    - type: A\n      values:\n        - %q\n", name, value)
		} else {
			fmt.Fprintf(&b, "  %s: {type: A, value: %q}\n", name, value)
		}
	}
	return []byte(b.String())
}

// TestSplitManyPieces parses specs of many default-sized pieces, parsed
// ahead on several goroutines, and checks they come together in order.
func TestSplitManyPieces(t *testing.T) {
	for _, block := range []bool{true, false} {
		data := bigSpec(20000, block)
		require.Greater(t, int64(len(data)), 8*chunkBytes)
		require.True(t, checkSplitMatchesWhole(t, "zones/example.com.yaml", data), "parsed in pieces")
		broken := bytes.Replace(data, []byte("host-19999"), []byte("host-00007"), 1)
		require.True(t, checkSplitMatchesWhole(t, "zones/example.com.yaml", broken), "parsed in pieces")
	}
}

// TestSplitFileReadsInPieces checks that a spec file is parsed in pieces
// read from the file: a file whose body cannot be cut still loads whole.
func TestSplitFileReadsInPieces(t *testing.T) {
	cfg, caps := corpusConfig()
	dir := t.TempDir()
	inPieces(t, 1)
	for _, c := range splitCases {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, "example.com.yaml")
			require.NoError(t, os.WriteFile(file, []byte(c.spec), 0o644))
			want, wantErr := parseZoneWhole(file, []byte(c.spec), cfg, caps)
			got, err := readZoneFile(file, cfg, caps)
			require.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(err))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("-whole +read in pieces:\n%s", diff)
			}
		})
	}
}

// FuzzSplitSpec: a spec parsed in pieces gives the zone and the problems
// the whole parse gives.
func FuzzSplitSpec(f *testing.F) {
	for _, c := range splitCases {
		f.Add([]byte(c.spec))
	}
	f.Add([]byte(validSpec))
	f.Fuzz(func(t *testing.T, data []byte) {
		inPieces(t, 1)
		checkSplitMatchesWhole(t, "zones/example.com.yaml", data)
	})
}
