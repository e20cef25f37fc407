package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commandNamesForHelp are the commands with a help page of their own.
func commandNamesForHelp(t *testing.T) []string {
	t.Helper()
	return commandNames(newApp(&env{}))
}

func TestHelpPages(t *testing.T) {
	pages := map[string][]string{"zonesync": {"--help"}}
	for _, name := range commandNamesForHelp(t) {
		if name != "help" {
			pages[name] = []string{name, "--help"}
		}
	}
	for name, args := range pages {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := zonesync(t, args...)
			require.Equal(t, 0, code, errOut)
			require.Empty(t, errOut)
			golden(t, filepath.Join("testdata", "help", name+".txt"), out)
			if name == "zonesync" {
				return
			}
			assert.Contains(t, out, "\nEXAMPLES:\n")
			assert.Contains(t, out, "\nEXIT CODES:\n   0  ")
			assert.Contains(t, out, "\nGLOBAL OPTIONS:\n   --config FILE")
			// `zonesync help CMD` is the same page.
			code, helpOut, _ := zonesync(t, "help", name)
			assert.Equal(t, 0, code)
			assert.Equal(t, out, helpOut)
		})
	}
}

// golden compares text with a golden file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write the golden file")
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-golden +got; go test -update rewrites it):\n%s", path, diff)
	}
}
