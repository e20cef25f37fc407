package pdnstest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the server end when the test binary does, however
// it ends (a test timeout panics past every cleanup).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
