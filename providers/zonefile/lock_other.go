//go:build !unix && !windows

package zonefile

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// errNoLocks: this platform has no file locks zonesync knows how to take.
var errNoLocks = fmt.Errorf("file locks are not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)

func tryLock(*os.File) (bool, error) { return false, errNoLocks }
func unlock(*os.File)                {}
