package zonefile

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckAccess(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	assert.NoError(t, p.CheckAccess(context.Background(), "example.com"))

	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	assert.EqualError(t, New(file).CheckAccess(context.Background(), "example.com"), "zonefile: "+file+" is not a directory")

	require.NoError(t, os.RemoveAll(dir))
	assert.EqualError(t, p.CheckAccess(context.Background(), "example.com"), "zonefile: directory "+dir+": no such file or directory")
}
