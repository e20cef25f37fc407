//go:build !linux

package pdnstest

import "os/exec"

// dieWithParent does nothing where the system cannot tie a child to its
// parent's life; Stop ends the server.
func dieWithParent(*exec.Cmd) {}
