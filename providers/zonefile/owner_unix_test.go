//go:build unix

package zonefile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteKeepsModeAndOwner(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "example.com.zone")
	writeFile(t, path, smallZone)
	require.NoError(t, os.Chmod(path, 0o600))
	owned := os.Geteuid() == 0
	if owned {
		require.NoError(t, os.Chown(path, 4321, 4322))
	}
	applyOK(t, New(dir), "example.com", createA("www", "192.0.2.1"))

	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	if !owned {
		t.Log("not root: the owner part is left out")
		return
	}
	st := info.Sys().(*syscall.Stat_t)
	assert.Equal(t, []uint32{4321, 4322}, []uint32{st.Uid, st.Gid}, "owner and group of the file")
}
