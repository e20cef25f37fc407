package zonefile

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

const smallZone = "@ 300 IN SOA ns1.example.net. hostmaster.example.com. 1 7200 3600 1209600 300\n@ 300 IN NS ns1.example.net.\n"

func createA(name, ip string) *plan.Operation {
	return &plan.Operation{Action: plan.Create, Name: name, Type: "A", After: &plan.State{TTL: ttlPtr(300), Values: []string{ip}}}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// linkedZone lays out a zone file the way a server's setup links it:
// live/example.com.zone -> ../bind/example.com.zone.
func linkedZone(t *testing.T) (live, bind string) {
	t.Helper()
	root := t.TempDir()
	live, bind = filepath.Join(root, "live"), filepath.Join(root, "bind")
	require.NoError(t, os.Mkdir(live, 0o755))
	require.NoError(t, os.Mkdir(bind, 0o755))
	require.NoError(t, os.Symlink(filepath.Join("..", "bind", "example.com.zone"), filepath.Join(live, "example.com.zone")))
	return live, bind
}

func TestSymlinkedZoneFileIsWrittenThrough(t *testing.T) {
	live, bind := linkedZone(t)
	target := filepath.Join(bind, "example.com.zone")
	writeFile(t, target, smallZone)
	p := New(live)

	zones, err := p.ListZones(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"example.com"}, zones, "a linked zone file is a zone")

	applyOK(t, p, "example.com", createA("www", "192.0.2.1"))

	info, err := os.Lstat(filepath.Join(live, "example.com.zone"))
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&os.ModeSymlink, "the link was replaced by a file")
	assert.Contains(t, readFile(t, target), "www", "the file the server loads has the change")
	assert.Equal(t, []string{"example.com.zone"}, names(t, live))
	assert.Equal(t, []string{"example.com.zone"}, names(t, bind), "no temporary file left")
	z, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	assert.NotNil(t, z.Find("www", "A"))
}

func TestZoneCreatedThroughADanglingLink(t *testing.T) {
	live, bind := linkedZone(t)
	p := New(live)
	_, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.Error(t, err)
	applyOK(t, p, "example.com", &plan.Operation{Action: plan.CreateZone, After: &plan.State{}}, createA("www", "192.0.2.1"))
	info, err := os.Lstat(filepath.Join(live, "example.com.zone"))
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&os.ModeSymlink)
	assert.Contains(t, readFile(t, filepath.Join(bind, "example.com.zone")), "www")
}

func TestNewZoneFileIsWorldReadable(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	applyOK(t, p, "example.com", &plan.Operation{Action: plan.CreateZone, After: &plan.State{}})
	info, err := os.Stat(p.Path("example.com"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
}

func TestStaleTemporaryFilesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "example.com.zone"), smallZone)
	writeFile(t, filepath.Join(dir, "example.org.zone"), smallZone)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	old := now.Add(-2 * staleTemp)
	for name, mtime := range map[string]time.Time{
		".example.com.zone.tmp-1234567": old, // left by a killed apply: removed
		".example.com.zone.tmp-7654321": now, // being written by another apply: kept
		".example.org.zone.tmp-1234567": old, // another zone's: left to its own apply
		".example.com.zone.tmp-notours": old, // not a name zonesync makes
		"example.com.zone.tmp-1234567":  old, // not a name zonesync makes
		".example.com.zone.tmp-":        old, // not a name zonesync makes
	} {
		path := filepath.Join(dir, name)
		writeFile(t, path, "; partial")
		require.NoError(t, os.Chtimes(path, mtime, mtime))
	}
	p := New(dir)
	p.SetClock(func() time.Time { return now })
	applyOK(t, p, "example.com", createA("www", "192.0.2.1"))

	left := names(t, dir)
	assert.False(t, slices.Contains(left, ".example.com.zone.tmp-1234567"), "stale temporary file kept: %v", left)
	for _, kept := range []string{".example.com.zone.tmp-7654321", ".example.org.zone.tmp-1234567", ".example.com.zone.tmp-notours", "example.com.zone.tmp-1234567", ".example.com.zone.tmp-"} {
		assert.Contains(t, left, kept)
	}
}

func TestStaleTemporaryFileBesideALinksTarget(t *testing.T) {
	live, bind := linkedZone(t)
	writeFile(t, filepath.Join(bind, "example.com.zone"), smallZone)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	stale := filepath.Join(bind, ".example.com.zone.tmp-42")
	writeFile(t, stale, "; partial")
	require.NoError(t, os.Chtimes(stale, now.Add(-2*staleTemp), now.Add(-2*staleTemp)))
	p := New(live)
	p.SetClock(func() time.Time { return now })
	applyOK(t, p, "example.com", createA("www", "192.0.2.1"))
	assert.Equal(t, []string{"example.com.zone"}, names(t, bind))
}
