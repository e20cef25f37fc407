package main

import (
	"io"
	"strings"
	"sync"
)

// redactor knows the secrets of the loaded config.
type redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// minSecret is the shortest value scrubbed from output; shorter values
// (a port, a flag) would blank out unrelated text.
const minSecret = 4

func (r *redactor) add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= minSecret {
			r.secrets = append(r.secrets, s)
		}
	}
}

func (r *redactor) scrub(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}

// redactingWriter scrubs every secret from what passes through it. It is
// the last line of defence: providers keep secrets out of errors anyway.
// Writes are serialised: zones are read and applied concurrently, and each
// log line must reach the stream whole.
type redactingWriter struct {
	mu sync.Mutex
	w  io.Writer
	r  *redactor
}

func (rw *redactingWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.r.mu.RLock()
	none := len(rw.r.secrets) == 0
	rw.r.mu.RUnlock()
	if none {
		return rw.w.Write(p)
	}
	if _, err := io.WriteString(rw.w, rw.r.scrub(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
