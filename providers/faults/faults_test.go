package faults

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		if tc.status == 0 {
			assert.Error(t, err, "%s: want a dropped connection", tc.kind)
		} else if assert.NoError(t, err, "%s", tc.kind) {
			assert.Equal(t, tc.status, resp.StatusCode, "%s", tc.kind)
		}
		if resp != nil {
			resp.Body.Close()
		}
		assert.Equal(t, tc.stateAfter, state.n.Load(), "times the handler ran after %s", tc.kind)
	}
	assert.Equal(t, 7, in.Calls("/x"), "calls counted")
	f := in.Faults()
	assert.Equal(t, 1, f[ServerError], "server errors in %v", f)
	assert.Equal(t, 1, f[Timeout], "timeouts in %v", f)
	assert.Equal(t, 0, f[None], "no-faults in %v", f)
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
		require.Equal(t, a[i], b[i], "draw %d differs between two runs with the same seed", i)
		if a[i] != None {
			faulty++
		}
	}
	assert.InDelta(t, 60, faulty, 20, "requests of 200 that faulted at rate 0.3")
}
