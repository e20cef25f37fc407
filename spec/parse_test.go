package spec

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// parseBoth loads data once with the single parse and once with the records
// section split over parts, and returns each outcome as text.
func parseBoth(t *testing.T, file string, data []byte) (single, split string) {
	t.Helper()
	cfg, caps := corpusConfig()
	outcome := func() string {
		z, err := ParseZone(file, data, cfg, caps)
		if err != nil {
			return "error:\n" + err.Error()
		}
		return "zone " + z.Digest()
	}
	saved := parallelParseMin
	defer func() { parallelParseMin = saved }()
	parallelParseMin = 1 << 62
	single = outcome()
	parallelParseMin = 0
	split = outcome()
	return single, split
}

// The split parse gives exactly what the single parse gives: the same zone,
// or the same problems at the same lines and columns.
func TestSplitParseMatchesSingleParse(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	examples, _ := filepath.Glob("../examples/zones/*.yaml")
	for _, f := range append(files, examples...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		single, split := parseBoth(t, filepath.Base(f), data)
		if single != split {
			t.Errorf("%s:\nsingle parse: %s\nsplit parse:  %s", f, single, split)
		}
	}
}

func TestSplitParseKeepsPositions(t *testing.T) {
	var b strings.Builder
	b.WriteString("zone: example.com\nprovider: local\nrecords:\n")
	for i := 0; i < 400; i++ {
		b.WriteString("  h" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i) + ":\n    - {type: A, value: 192.0.2.1}\n")
	}
	b.WriteString("  bad:\n    - {type: A, value: 192.0.2.300}\n")
	b.WriteString("ttl: -1\n")
	if _, ok := parseSplit([]byte(b.String()), 2); !ok {
		t.Fatal("the spec was not split")
	}
	single, split := parseBoth(t, "example.com.yaml", []byte(b.String()))
	if single != split {
		t.Fatalf("single parse:\n%s\nsplit parse:\n%s", single, split)
	}
	for _, want := range []string{"example.com.yaml:805:24: bad A: invalid A value", "example.com.yaml:806:6: ttl -1 is outside"} {
		if !strings.Contains(split, want) {
			t.Errorf("split parse lacks %q:\n%s", want, split)
		}
	}
}

func TestSplitParseFallsBack(t *testing.T) {
	for _, spec := range []string{
		// An alias to an anchor in another part.
		"zone: example.com\nprovider: local\nrecords:\n  a:\n    - &set {type: A, value: 192.0.2.1}\n  b:\n    - {type: A, value: 192.0.2.2}\n  c:\n    - {type: A, value: 192.0.2.3}\n  d:\n    - *set\n",
		// A quoted value running over lines that look like keys.
		"zone: example.com\nprovider: local\nrecords:\n  a:\n    - {type: TXT, value: \"one\n  b: two\"}\n  c:\n    - {type: A, value: 192.0.2.3}\n  d:\n    - {type: A, value: 192.0.2.4}\n",
		// Records in flow style.
		"zone: example.com\nprovider: local\nrecords: {a: [{type: A, value: 192.0.2.1}]}\n",
	} {
		single, split := parseBoth(t, "example.com.yaml", []byte(spec))
		if single != split {
			t.Errorf("spec:\n%s\nsingle parse: %s\nsplit parse:  %s", spec, single, split)
		}
	}
}
