package spec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
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
			require.IsType(t, yamlx.ErrorList{}, err, "ParseZone returned %T, want ErrorList", err)
			return
		}
		out, err := Format(data)
		require.NoError(t, err, "Format of an accepted spec")
		again, err := ParseZone("example.com.yaml", out, cfg, caps)
		require.NoError(t, err, "the formatted spec is refused:\n%s", out)
		if !sameZone(t, z, again, "formatting changed the zone:\n%s\n---\n%s", data, out) {
			t.FailNow()
		}
	})
}
