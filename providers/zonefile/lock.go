package zonefile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/zonesync/zonesync/providers"
)

// LockPath returns the lock file of a zone: .<zone>.zone.lock beside the
// zone file. It is created on first use and never removed: removing a lock
// file another process holds open would let a third process lock a new
// file of the same name while the second still holds the old one.
func (p *Provider) LockPath(zone string) string {
	return filepath.Join(p.dir, "."+strings.ToLower(zone)+Suffix+".lock")
}

// LockZone takes the zone's lock file exclusively (flock(2) on Unix,
// LockFileEx on Windows), waiting until every other zonesync process is
// done with the zone or ctx ends. apply holds it from the re-read of the
// zone before its first change until the last change is written, so two
// applies to one zone file take turns, and the second sees the first's
// changes before it writes. The operating system releases the lock when
// the process ends, even when it is killed.
func (p *Provider) LockZone(ctx context.Context, zone string) (func(), error) {
	path := p.LockPath(zone)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("zonefile: lock zone %s: %w", zone, err)
	}
	locked, err := tryLock(f)
	if err == nil && !locked {
		providers.Logf(ctx, "zonefile: zone %s: waiting for another zonesync to finish with it (lock %s)", zone, path)
		if err = waitLock(ctx, f); err != nil {
			return nil, fmt.Errorf("zonefile: lock zone %s: gave up waiting for another zonesync to finish with it (%s): %w", zone, path, err)
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("zonefile: lock %s: %w", path, err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			unlock(f)
			f.Close()
		})
	}, nil
}

// waitLock tries to lock f until it succeeds or ctx ends, at growing
// intervals. Trying again, rather than one blocking call, leaves nothing
// behind that could take the lock after ctx ended. It closes f on failure.
func waitLock(ctx context.Context, f *os.File) error {
	pause := 10 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			f.Close()
			return ctx.Err()
		case <-time.After(pause):
		}
		locked, err := tryLock(f)
		if err != nil {
			f.Close()
			return err
		}
		if locked {
			return nil
		}
		pause = min(2*pause, 500*time.Millisecond)
	}
}
