package spec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpecFilesFollowSymlinks(t *testing.T) {
	root := t.TempDir()
	zones, shared := filepath.Join(root, "zones"), filepath.Join(root, "shared")
	require.NoError(t, os.Mkdir(zones, 0o755))
	require.NoError(t, os.Mkdir(shared, 0o755))
	require.NoError(t, os.Mkdir(filepath.Join(shared, "dir.yaml"), 0o755))
	for _, f := range []string{filepath.Join(zones, "plain.yaml"), filepath.Join(shared, "linked.yaml")} {
		require.NoError(t, os.WriteFile(f, []byte("zone: x\n"), 0o644))
	}
	require.NoError(t, os.Symlink("../shared/linked.yaml", filepath.Join(zones, "linked.yaml")))
	require.NoError(t, os.Symlink("../shared/dir.yaml", filepath.Join(zones, "dir.yaml")))

	files, err := SpecFiles(zones)
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(zones, "linked.yaml"), filepath.Join(zones, "plain.yaml")}, files)

	require.NoError(t, os.Symlink("../shared/gone.yaml", filepath.Join(zones, "gone.yaml")))
	_, err = SpecFiles(zones)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "gone.yaml is a symbolic link to ../shared/gone.yaml, which cannot be read")
}
