package main

import (
	"io"
	"sync"

	"github.com/zonesync/zonesync/providers/redact"
)

// redactingWriter scrubs the config's secrets, in every encoding, from what
// passes through it. It is the last line of defence: providers keep
// secrets out of their errors anyway. Writes are serialised: zones are read
// and applied concurrently, and each line must reach the stream whole.
type redactingWriter struct {
	mu sync.Mutex
	w  io.Writer
	r  *redact.Scrubber
}

func (rw *redactingWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.r.Empty() {
		return rw.w.Write(p)
	}
	if _, err := io.WriteString(rw.w, rw.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
