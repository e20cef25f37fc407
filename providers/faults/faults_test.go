package faults

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// counter is a handler that records how often it changed state.
type counter struct{ n atomic.Int32 }

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	io.WriteString(w, "stored")
}

func TestScriptedFaults(t *testing.T) {
	state := &counter{}
	in := &Injector{TimeoutDelay: 50 * time.Millisecond, SlowDelay: 10 * time.Millisecond}
	srv := httptest.NewServer(in.Wrap(state))
	defer srv.Close()
	client := &http.Client{Timeout: 2 * time.Second}
	in.Script(ServerError, RateLimit, Reset, ResetAfterApply, Timeout, Slow, None)
	for _, tc := range []struct {
		kind       Kind
		status     int // 0: the connection is dropped
		stateAfter int32
	}{
		{ServerError, 503, 0}, {RateLimit, 429, 0}, {Reset, 0, 0},
		{ResetAfterApply, 0, 1}, {Timeout, 0, 1}, {Slow, 200, 2}, {None, 200, 3},
	} {
		resp, err := client.Post(srv.URL+"/x", "text/plain", strings.NewReader("body"))
		switch {
		case tc.status == 0 && err == nil:
			t.Errorf("%s: got HTTP %d, want a dropped connection", tc.kind, resp.StatusCode)
		case tc.status != 0 && (err != nil || resp.StatusCode != tc.status):
			t.Errorf("%s: got %v %v, want HTTP %d", tc.kind, resp, err, tc.status)
		}
		if resp != nil {
			resp.Body.Close()
		}
		if got := state.n.Load(); got != tc.stateAfter {
			t.Errorf("after %s the handler ran %d times, want %d", tc.kind, got, tc.stateAfter)
		}
	}
	if in.Calls("/x") != 7 {
		t.Errorf("counted %d calls, want 7", in.Calls("/x"))
	}
	if f := in.Faults(); f[ServerError] != 1 || f[Timeout] != 1 || f[None] != 0 {
		t.Errorf("fault counts %v", f)
	}
}

func TestRandomFaultsAreReproducible(t *testing.T) {
	draw := func() []Kind {
		in := &Injector{}
		in.SetRandom(42, 0.3)
		var out []Kind
		for i := 0; i < 200; i++ {
			out = append(out, in.next(httptest.NewRequest(http.MethodGet, "/", nil)))
		}
		return out
	}
	a, b := draw(), draw()
	faulty := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs between two runs with the same seed", i)
		}
		if a[i] != None {
			faulty++
		}
	}
	if faulty < 40 || faulty > 80 {
		t.Errorf("%d of 200 requests faulted at rate 0.3", faulty)
	}
}
