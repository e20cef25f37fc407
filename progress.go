package main

import (
	"fmt"
	"sync"

	"github.com/urfave/cli/v2"
)

// progress shows "label: done/total" on stderr while a long step runs, when
// stderr is a terminal and --quiet is off; otherwise it prints nothing.
type progress struct {
	mu      sync.Mutex
	e       *env
	label   string
	on      bool
	printed bool
	// over is set by done: reads still finishing after it print nothing.
	over bool
}

func (e *env) progress(c *cli.Context, label string) *progress {
	return &progress{e: e, label: label, on: e.terminal && !globalBool(c, "quiet")}
}

func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on || p.over {
		return
	}
	fmt.Fprintf(p.e.stderr, "\r\x1b[K%s: %d/%d", p.label, done, total)
	p.printed = true
}

// clear removes the progress line so other output starts on a clean line.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

func (p *progress) clearLocked() {
	if p.printed {
		fmt.Fprint(p.e.stderr, "\r\x1b[K")
		p.printed = false
	}
}

// done clears the line and ignores any later update.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
	p.over = true
}
