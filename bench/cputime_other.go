//go:build !unix

package bench

import "time"

// cpuTime is not read outside unix.
func cpuTime() (time.Duration, bool) { return 0, false }
