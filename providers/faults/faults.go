// Package faults injects the failures real APIs have into the providers'
// fake servers: server errors, rate limiting, timeouts, connections reset
// before or after the server applied the change, and slow answers. Faults
// are drawn from a seeded generator, so a failing run can be replayed, or
// scripted one by one for table tests. It also counts calls per endpoint.
package faults

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Kind is a kind of injected failure.
type Kind int

// Failure kinds.
const (
	None Kind = iota
	// ServerError answers 5xx without touching state.
	ServerError
	// RateLimit answers the API's own rate-limit response without touching state.
	RateLimit
	// Timeout holds the request until the client gives up, without touching state.
	Timeout
	// Reset drops the connection before the handler runs.
	Reset
	// ResetAfterApply runs the handler, so the change is stored, then drops
	// the connection instead of answering.
	ResetAfterApply
	// Slow answers correctly after a delay.
	Slow
)

var kindNames = map[Kind]string{None: "none", ServerError: "5xx", RateLimit: "429", Timeout: "timeout", Reset: "reset", ResetAfterApply: "reset-after-apply", Slow: "slow"}

func (k Kind) String() string { return kindNames[k] }

// All lists every failure kind.
var All = []Kind{ServerError, RateLimit, Timeout, Reset, ResetAfterApply, Slow}

// Injector wraps a fake API's handler. Its zero value injects nothing and
// only counts calls.
type Injector struct {
	mu     sync.Mutex
	rng    *rand.Rand
	rate   float64
	kinds  []Kind
	script []Kind
	calls  map[string]int
	faults map[Kind]int
	// Endpoint names the endpoint a request counts under (default: its path).
	Endpoint func(*http.Request) string
	// Latency is added to every request.
	Latency time.Duration
	// SlowDelay is how late a Slow answer comes (default 200ms).
	SlowDelay time.Duration
	// TimeoutDelay is how long a Timeout holds the request (default 30s, or
	// until the client hangs up).
	TimeoutDelay time.Duration
	// RateLimited writes the API's rate-limit answer (default: 429 with Retry-After: 1).
	RateLimited func(w http.ResponseWriter)
	// ServerFailed writes the API's server error (default: 503).
	ServerFailed func(w http.ResponseWriter)
	// Skip exempts requests from faults (still counted), e.g. reads a test relies on.
	Skip func(*http.Request) bool
}

// SetRandom makes a share rate (0..1) of requests fail with one of kinds
// (default All), drawn from a generator seeded with seed.
func (in *Injector) SetRandom(seed uint64, rate float64, kinds ...Kind) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(kinds) == 0 {
		kinds = All
	}
	in.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	in.rate, in.kinds = rate, kinds
}

// Script makes the next requests fail with kinds in order (None lets one through).
func (in *Injector) Script(kinds ...Kind) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.script = append(in.script, kinds...)
}

// Calls returns how many requests reached an endpoint.
func (in *Injector) Calls(endpoint string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.calls[endpoint]
}

// AllCalls returns the request count of every endpoint.
func (in *Injector) AllCalls() map[string]int {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make(map[string]int, len(in.calls))
	for k, v := range in.calls {
		out[k] = v
	}
	return out
}

// Faults returns how many faults of each kind were injected.
func (in *Injector) Faults() map[Kind]int {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make(map[Kind]int, len(in.faults))
	for k, v := range in.faults {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the call and fault counters.
func (in *Injector) ResetCounts() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.calls, in.faults = nil, nil
}

// next picks the fault for one HTTP request and counts it.
func (in *Injector) next(r *http.Request) Kind {
	ep := r.URL.Path
	if in.Endpoint != nil {
		ep = in.Endpoint(r)
	}
	return in.draw(ep, in.Skip != nil && in.Skip(r))
}

// Draw picks the fault for one request to endpoint and counts it, for a
// fake or proxy that does not speak HTTP and carries the fault out itself.
func (in *Injector) Draw(endpoint string) Kind { return in.draw(endpoint, false) }

func (in *Injector) draw(ep string, skip bool) Kind {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.calls == nil {
		in.calls = map[string]int{}
		in.faults = map[Kind]int{}
	}
	in.calls[ep]++
	if skip {
		return None
	}
	k := None
	switch {
	case len(in.script) > 0:
		k, in.script = in.script[0], in.script[1:]
	case in.rng != nil && in.rng.Float64() < in.rate:
		k = in.kinds[in.rng.IntN(len(in.kinds))]
	}
	if k != None {
		in.faults[k]++
	}
	return k
}

// Wrap returns h with faults injected in front of it.
func (in *Injector) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if in.Latency > 0 {
			time.Sleep(in.Latency)
		}
		switch in.next(r) {
		case ServerError:
			if in.ServerFailed != nil {
				in.ServerFailed(w)
			} else {
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			}
		case RateLimit:
			if in.RateLimited != nil {
				in.RateLimited(w)
			} else {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
			}
		case Timeout:
			// Read the body first: a server notices a client leaving only
			// once it reads from the connection.
			io.Copy(io.Discard, r.Body)
			d := in.TimeoutDelay
			if d == 0 {
				d = 30 * time.Second
			}
			select {
			case <-time.After(d):
			case <-r.Context().Done():
			}
			hangUp(w)
		case Reset:
			hangUp(w)
		case ResetAfterApply:
			h.ServeHTTP(httptest.NewRecorder(), r)
			hangUp(w)
		case Slow:
			d := in.SlowDelay
			if d == 0 {
				d = 200 * time.Millisecond
			}
			time.Sleep(d)
			h.ServeHTTP(w, r)
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
