package spec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// TestSpecFileNames: a zone name maps to a file name inside the zones
// directory and back, '/' of RFC 2317 zones included.
func TestSpecFileNames(t *testing.T) {
	for _, tc := range []struct{ zone, file string }{
		{"example.com", "example.com.yaml"},
		{"2.0.192.in-addr.arpa", "2.0.192.in-addr.arpa.yaml"},
		{"0/26.2.0.192.in-addr.arpa", "0%2F26.2.0.192.in-addr.arpa.yaml"},
		{"64/27.100.51.198.in-addr.arpa", "64%2F27.100.51.198.in-addr.arpa.yaml"},
	} {
		require.True(t, model.ValidZoneName(tc.zone), tc.zone)
		assert.Equal(t, tc.file, SpecFileName(tc.zone))
		assert.Equal(t, tc.zone, ZoneOfSpecFile(filepath.Join("zones", SpecFileName(tc.zone))))
		assert.Equal(t, filepath.Join("zones", tc.file), filepath.Join("zones", SpecFileName(tc.zone)), "stays in the directory")
	}
	assert.Equal(t, "0/26.2.0.192.in-addr.arpa", ZoneOfSpecFile("zones/0%2f26.2.0.192.in-addr.arpa.yml"))
}

// TestLoadClasslessReverseZone: the spec of an RFC 2317 zone, in the file
// SpecFileName names, loads without a file-name mismatch.
func TestLoadClasslessReverseZone(t *testing.T) {
	dir := t.TempDir()
	zone := "0/26.2.0.192.in-addr.arpa"
	body := "zone: " + zone + "\nprovider: local\nrecords:\n  \"1\": [{type: PTR, value: host.example.com.}]\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, SpecFileName(zone)), []byte(body), 0o644))
	cfg, caps := corpusConfig()
	cfg.ZonesDir = dir
	zones, err := LoadZones(cfg, caps)
	require.NoError(t, err)
	require.Len(t, zones, 1)
	assert.Equal(t, zone, zones[0].Name)

	// Named as the zone with '/' replaced some other way, it is a mismatch
	// whose message gives the right name.
	require.NoError(t, os.Rename(filepath.Join(dir, SpecFileName(zone)), filepath.Join(dir, "0-26.2.0.192.in-addr.arpa.yaml")))
	_, err = LoadZones(cfg, caps)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "zone 0/26.2.0.192.in-addr.arpa is declared in 0-26.2.0.192.in-addr.arpa.yaml; name the file 0%2F26.2.0.192.in-addr.arpa.yaml")
}

func TestSpecFilesFollowSymlinks(t *testing.T) {
	root := t.TempDir()
	zones, common := filepath.Join(root, "zones"), filepath.Join(root, "common")
	require.NoError(t, os.Mkdir(zones, 0o755))
	require.NoError(t, os.Mkdir(common, 0o755))
	require.NoError(t, os.Mkdir(filepath.Join(common, "dir.yaml"), 0o755))
	for _, f := range []string{filepath.Join(zones, "plain.yaml"), filepath.Join(common, "linked.yaml")} {
		require.NoError(t, os.WriteFile(f, []byte("zone: x\n"), 0o644))
	}
	require.NoError(t, os.Symlink("../common/linked.yaml", filepath.Join(zones, "linked.yaml")))
	require.NoError(t, os.Symlink("../common/dir.yaml", filepath.Join(zones, "dir.yaml")))

	files, err := SpecFiles(zones)
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(zones, "linked.yaml"), filepath.Join(zones, "plain.yaml")}, files)

	require.NoError(t, os.Symlink("../common/gone.yaml", filepath.Join(zones, "gone.yaml")))
	_, err = SpecFiles(zones)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "gone.yaml is a symbolic link to ../common/gone.yaml, which cannot be read")
}
