// Package testproc holds what the tests' real servers (BIND's named in
// internal/namedtest, PowerDNS in providers/powerdns/pdnstest) share as
// processes a test starts: a free port to give them, and the tail of
// their output for a failure's message.
package testproc

import (
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
)

// FreePort finds a port free for both TCP and UDP on every address
// (127.0.0.1 when none is given). A DNS server may bind with SO_REUSEPORT
// and start silently beside another server on a busy port, so the port is
// bound here without it first.
func FreePort(addrs ...string) (int, error) {
	if len(addrs) == 0 {
		addrs = []string{"127.0.0.1"}
	}
	for range 20 {
		l, err := net.Listen("tcp", net.JoinHostPort(addrs[0], "0"))
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		ok := true
		var held []interface{ Close() error }
		for i, a := range addrs {
			hp := net.JoinHostPort(a, strconv.Itoa(port))
			if i > 0 {
				tl, err := net.Listen("tcp", hp)
				if err != nil {
					ok = false
					break
				}
				held = append(held, tl)
			}
			u, err := net.ListenPacket("udp", hp)
			if err != nil {
				ok = false
				break
			}
			held = append(held, u)
		}
		l.Close()
		for _, h := range held {
			h.Close()
		}
		if ok {
			return port, nil
		}
	}
	return 0, fmt.Errorf("no port free for TCP and UDP on %s", strings.Join(addrs, ", "))
}

// TailBuffer keeps the last Max bytes written to it: a server's output,
// for the message of a test that fails, without holding all of it.
type TailBuffer struct {
	// Max is how many bytes to keep.
	Max int

	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p and drops what falls out of the last Max bytes.
func (b *TailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if extra := b.buf.Len() - b.Max; extra > 0 {
		b.buf.Next(extra)
	}
	return len(p), nil
}

// String returns the bytes kept.
func (b *TailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
