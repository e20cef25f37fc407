package telecomx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// Credentials the tests' fakes accept.
const (
	testUser     = "dns-admin@example.com"
	testPassword = "s3cret-Pa55word"
	testToken    = "machine-token-0123456789"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a fake API served over HTTP and a provider pointed at it.
type env struct {
	fake  *fake.Server
	srv   *httptest.Server
	p     *Provider
	clock *clock
	mu    sync.Mutex
	// wrap, when set, sees every request before the fake.
	wrap func(*http.Request)
}

// watch makes f see every request before the fake does.
func (e *env) watch(f func(*http.Request)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.wrap = f
}

// newEnv starts a fake and a provider logging in with username and
// password, with backoff shortened so that retries cost no time.
func newEnv(t *testing.T, settings ...func(*Settings)) *env {
	t.Helper()
	e := &env{clock: newClock()}
	e.fake = fake.New(fake.Options{Username: testUser, Password: testPassword, Token: testToken, Now: e.clock.Now})
	// A timeout holds a request a little longer than the client waits
	// (the server may not notice the client leaving).
	e.fake.Faults().TimeoutDelay = 600 * time.Millisecond
	e.fake.Faults().SlowDelay = 10 * time.Millisecond
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		wrap := e.wrap
		e.mu.Unlock()
		if wrap != nil {
			wrap(r)
		}
		e.fake.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	e.p = e.provider(t, settings...)
	return e
}

// provider builds another provider against the env's fake, logging in as
// the test user unless settings say otherwise.
func (e *env) provider(t *testing.T, settings ...func(*Settings)) *Provider {
	t.Helper()
	return e.providerAt(t, e.srv.URL, settings...)
}

// providerAt builds a provider against endpoint.
func (e *env) providerAt(t *testing.T, endpoint string, settings ...func(*Settings)) *Provider {
	t.Helper()
	s := Settings{Username: testUser, Password: testPassword, Settings: httpx.Settings{Endpoint: endpoint, Timeout: "500ms"}}
	for _, f := range settings {
		f(&s)
	}
	p, err := New(s)
	require.NoError(t, err, "New")
	fastRetries(p)
	return p
}

// fastRetries removes the rate limit and the waits between retries.
func fastRetries(p *Provider) {
	h := p.client.http
	h.Limiter = nil
	h.BaseDelay, h.MaxDelay = time.Millisecond, time.Millisecond
	h.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
}

// serve starts a hand-written API and a provider pointed at it.
func serve(t *testing.T, h http.HandlerFunc, settings ...func(*Settings)) *Provider {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{srv: srv}
	return e.provider(t, settings...)
}
