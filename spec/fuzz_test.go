package spec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/zonesync/zonesync/internal/yamlx"
)

// FuzzParseZone: no input makes the loader panic, and a spec it accepts
// formats into a spec it accepts again, with the same content.
func FuzzParseZone(f *testing.F) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(validSpec))
	f.Add([]byte(txtSpec))
	cfg, caps := corpusConfig()
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := ParseZone("example.com.yaml", data, cfg, caps)
		if err != nil {
			if _, ok := err.(yamlx.ErrorList); !ok {
				t.Fatalf("ParseZone returned %T, want ErrorList", err)
			}
			return
		}
		out, err := Format(data)
		if err != nil {
			t.Fatalf("Format of an accepted spec: %v", err)
		}
		again, err := ParseZone("example.com.yaml", out, cfg, caps)
		if err != nil {
			t.Fatalf("the formatted spec is refused: %v\n%s", err, out)
		}
		if again.Digest() != z.Digest() {
			t.Fatalf("formatting changed the zone:\n%s\n---\n%s", data, out)
		}
	})
}
