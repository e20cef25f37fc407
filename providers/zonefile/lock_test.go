package zonefile

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/providers"
)

// cancelled is a context that has already ended: LockZone with it gets
// the lock only if no one holds it.
func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestLockZone(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	var _ providers.ZoneLocker = p

	unlock, err := p.LockZone(context.Background(), "Example.com")
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(dir, ".example.com.zone.lock"), "the lock file sits beside the zone file")

	// A second holder, even in the same process, waits.
	_, err = p.LockZone(cancelled(), "example.com")
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "zonefile: lock zone example.com: gave up waiting for another zonesync to finish with it")

	// Other zones have locks of their own.
	other, err := p.LockZone(cancelled(), "example.org")
	require.NoError(t, err)
	other()

	unlock()
	unlock() // a second release does nothing
	again, err := p.LockZone(cancelled(), "example.com")
	require.NoError(t, err, "the released lock is free")
	again()

	zones, err := p.ListZones(context.Background())
	require.NoError(t, err)
	assert.Empty(t, zones, "lock files are not zones")
}

func TestLockZoneWaitsForTheHolder(t *testing.T) {
	p := New(t.TempDir())
	unlock, err := p.LockZone(context.Background(), "example.com")
	require.NoError(t, err)
	got := make(chan error)
	go func() {
		release, err := p.LockZone(context.Background(), "example.com")
		if err == nil {
			release()
		}
		got <- err
	}()
	unlock()
	require.NoError(t, <-got, "the waiting LockZone gets the lock once it is released")
}

func TestLockZoneMissingDirectory(t *testing.T) {
	p := New(filepath.Join(t.TempDir(), "missing"))
	_, err := p.LockZone(context.Background(), "example.com")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "zonefile: lock zone example.com: open ")
}

// lockHelperEnv names the directory the helper process locks a zone in.
const lockHelperEnv = "ZONESYNC_TEST_LOCK_DIR"

// TestLockHelperProcess, run by TestLockReleasedWhenHolderDies in a
// process of its own, takes the lock of example.com, says so on its
// output and waits to be killed.
func TestLockHelperProcess(t *testing.T) {
	dir, ok := os.LookupEnv(lockHelperEnv)
	if !ok {
		t.Skip("run by TestLockReleasedWhenHolderDies as a separate process")
	}
	if _, err := New(dir).LockZone(context.Background(), "example.com"); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

func TestLockReleasedWhenHolderDies(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "locked\n", line)

	p := New(dir)
	_, err = p.LockZone(cancelled(), "example.com")
	require.ErrorIs(t, err, context.Canceled, "the other process holds the lock")

	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()
	unlock, err := p.LockZone(cancelled(), "example.com")
	require.NoError(t, err, "the lock of a killed process is free")
	unlock()
}
