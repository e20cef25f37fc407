package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/providers/redact"
)

func TestRetryHonoursRetryAfterAndStopsOnSuccess(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "3")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case 2:
			http.Error(w, "oops", http.StatusBadGateway)
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	var waits []time.Duration
	c := &Client{HTTP: srv.Client(), BaseDelay: 100 * time.Millisecond,
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	var body string
	err := c.Retry(context.Background(), func() error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
		resp, err := c.Do(context.Background(), req)
		if err == nil {
			body = string(resp.Body)
		}
		return err
	})
	require.NoError(t, err)
	require.Equal(t, "ok", body)
	require.Equal(t, int32(3), calls.Load(), "calls")
	const want = "the 429's Retry-After of 3s, then the doubled backoff, jittered: 100-200ms"
	if assert.Len(t, waits, 2, want) {
		assert.Equal(t, 3*time.Second, waits[0], want)
		assert.GreaterOrEqual(t, waits[1], 100*time.Millisecond, want)
		assert.LessOrEqual(t, waits[1], 200*time.Millisecond, want)
	}
}

func TestRetryGivesUpAndLeavesOtherErrorsAlone(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), MaxAttempts: 3, Sleep: func(context.Context, time.Duration) error { return nil }}
	err := c.Retry(context.Background(), func() error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
		_, err := c.Do(context.Background(), req)
		return err
	})
	assert.True(t, IsTransient(err), "err %v is not transient", err)
	assert.Equal(t, int32(3), calls.Load(), "calls")
	assert.ErrorContains(t, err, "HTTP 503: down (after 3 attempts)")
	permanent := errors.New("422 invalid")
	calls.Store(0)
	err = c.Retry(context.Background(), func() error { calls.Add(1); return permanent })
	assert.Same(t, permanent, err, "a permanent error was retried")
	assert.Equal(t, int32(1), calls.Load(), "a permanent error was retried")
}

func TestErrorsNeverHoldTheURLOrSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := srv.URL
	srv.Close() // every request now fails in the transport
	c := &Client{HTTP: &http.Client{Timeout: time.Second}, Secrets: redact.New("hunter2-secret")}
	req, _ := http.NewRequest(http.MethodGet, url+"/dns/records.json?auth-password=hunter2-secret&auth-id=42", nil)
	_, err := c.Do(context.Background(), req)
	require.Error(t, err, "request to a closed server succeeded")
	for _, leak := range []string{"hunter2", "auth-password", "?"} {
		assert.NotContains(t, err.Error(), leak, "transport error leaks the URL or a secret")
	}
	assert.Contains(t, err.Error(), "/dns/records.json", "transport error does not name the call")
	assert.True(t, IsTransient(err), "transport error %q is not transient", err)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad gateway: saw password hunter2-secret", http.StatusBadGateway)
	}))
	defer echo.Close()
	req, _ = http.NewRequest(http.MethodGet, echo.URL+"/x", nil)
	_, err = c.Do(context.Background(), req)
	if assert.Error(t, err, "a 5xx answer") {
		assert.NotContains(t, err.Error(), "hunter2", "a secret echoed in a 5xx body reaches the error")
		assert.Contains(t, err.Error(), "[redacted]", "a secret echoed in a 5xx body reaches the error")
	}
}

// TestEscapedSecretInA5xxBody: a server error quoting the password as its
// JSON encoder escapes it, where a cut to a short snippet would fall inside
// it, reaches the error as the mask only.
func TestEscapedSecretInA5xxBody(t *testing.T) {
	const secret = `S3cr3t<Cl0uD>&"pw`
	escaped := `S3cr3t\u003cCl0uD\u003e\u0026\"pw`
	for _, pad := range []int{0, 185} {
		body := `{"error":"` + strings.Repeat("x", pad) + escaped + `"}`
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, body, http.StatusInternalServerError)
		}))
		c := &Client{HTTP: srv.Client(), Secrets: redact.New(secret)}
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/dns/records.json", nil)
		require.NoError(t, err)
		_, err = c.Do(context.Background(), req)
		srv.Close()
		require.Error(t, err)
		msg := err.Error()
		assert.NotContains(t, msg, "S3cr3t", "pad %d", pad)
		assert.NotContains(t, msg, "Cl0uD", "pad %d", pad)
		if pad == 0 {
			assert.Contains(t, msg, redact.Mask)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"5", 5 * time.Second}, {"0", 0}, {"-3", 0}, {"soon", 0},
		{"Mon, 23 Nov 2026 12:00:10 GMT", 10 * time.Second},
		{"Mon, 23 Nov 2026 11:00:00 GMT", 0},
	} {
		assert.Equal(t, tc.want, RetryAfter(tc.in, now), "RetryAfter(%q)", tc.in)
	}
}

func TestLimiterPaces(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), Limiter: NewLimiter(50, 1)}
	start := time.Now()
	for i := 0; i < 6; i++ {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		_, err := c.Do(context.Background(), req)
		require.NoError(t, err)
	}
	// 6 requests at 50/s with a burst of 1 take at least 5 intervals of 20ms.
	assert.GreaterOrEqual(t, time.Since(start), 95*time.Millisecond, "6 requests: the limiter did not pace them")
}

func TestRefusedConnectionWasNeverSent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := srv.URL
	srv.Close()
	c := &Client{HTTP: &http.Client{Timeout: time.Second}}
	req, _ := http.NewRequest(http.MethodPost, url+"/x", strings.NewReader("a=1"))
	_, err := c.Do(context.Background(), req)
	var te *TransientError
	if assert.ErrorAs(t, err, &te, "a refused connection") {
		assert.False(t, te.Sent, "a refused connection is a TransientError with Sent false")
	}
}

func TestRetryAfterTooLongGivesUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "86400")
		http.Error(w, "come back tomorrow", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	slept := false
	c := &Client{HTTP: srv.Client(), Sleep: func(context.Context, time.Duration) error { slept = true; return nil }}
	err := c.Retry(context.Background(), func() error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		_, err := c.Do(context.Background(), req)
		return err
	})
	assert.ErrorContains(t, err, "asks to retry after 24h0m0s; giving up")
	assert.False(t, slept, "slept")
}
