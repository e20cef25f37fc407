// Package httpx is the HTTP plumbing the HTTP providers share: a client
// that keeps under the API's rate limit, retries transient failures with
// backoff (honouring Retry-After), and never lets a secret or a request URL
// into an error message; Change, the one late-commit protocol for changes
// that are not safe to repeat; and Settings, the HTTP settings every HTTP
// provider takes in zonesync.yaml.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/redact"
	"golang.org/x/time/rate"
)

// Default backoff of a Client that sets none. Variables so that a test
// driving whole commands can make retries instant.
var (
	DefaultBaseDelay = 250 * time.Millisecond
	DefaultMaxDelay  = 8 * time.Second
)

// MaxRetryAfter is the longest Retry-After a client waits out; a server
// asking for more makes the call fail rather than stall the apply.
var MaxRetryAfter = 2 * time.Minute

// Client sends API requests for one provider.
type Client struct {
	// HTTP does the requests; its Timeout bounds each attempt.
	HTTP *http.Client
	// Limiter paces requests; nil means no limit.
	Limiter *rate.Limiter
	// MaxAttempts is how many times a transient failure is tried (default 5).
	MaxAttempts int
	// BaseDelay is the first backoff (default DefaultBaseDelay); it doubles
	// up to MaxDelay (default DefaultMaxDelay).
	BaseDelay, MaxDelay time.Duration
	// Secrets are scrubbed, in every encoding, from every error this
	// client returns; nil scrubs nothing.
	Secrets *redact.Scrubber
	// Sleep waits between attempts; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Response is a whole HTTP response, body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// TransientError is a failure worth retrying: a network error, a timeout,
// a 5xx or a 429. RetryAfter is the server's requested wait, if it gave one.
type TransientError struct {
	Err        error
	RetryAfter time.Duration
	// Sent is true when the request may have reached the server (the
	// connection broke after it was written), so a non-idempotent call
	// might have taken effect.
	Sent bool
}

func (e *TransientError) Error() string { return e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// InterruptedError is a request cut short because its context ended.
// Sent is true when the request had been written by then, so that it may
// have reached the server and, for a change, taken effect.
type InterruptedError struct {
	Err  error
	Sent bool
}

func (e *InterruptedError) Error() string { return e.Err.Error() }
func (e *InterruptedError) Unwrap() error { return e.Err }

// Sent reports whether err ended a request that may have reached the
// server without an answer saying what came of it: a transient failure
// after the request went out, or an interruption after it was written.
func Sent(err error) bool {
	var t *TransientError
	if errors.As(err, &t) && t.Sent {
		return true
	}
	var i *InterruptedError
	return errors.As(err, &i) && i.Sent
}

// IsTransient reports whether err is worth retrying.
func IsTransient(err error) bool {
	var t *TransientError
	return errors.As(err, &t)
}

// NewLimiter returns a limiter of rps requests per second with the given burst.
func NewLimiter(rps float64, burst int) *rate.Limiter {
	if rps <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(rps), max(burst, 1))
}

// Do sends one request after waiting for the rate limiter, and reads the
// whole response. Network failures, 5xx and 429 come back as
// *TransientError; other statuses are returned for the caller to judge.
// Error messages never hold the request URL or a secret.
func (c *Client) Do(ctx context.Context, req *http.Request) (*Response, error) {
	if c.Limiter != nil {
		if err := c.Limiter.Wait(ctx); err != nil {
			return nil, fmt.Errorf("waiting for the rate limit: %w", err)
		}
	}
	// Whether the request went out decides, when ctx ends, whether a
	// change may have been made.
	var wrote atomic.Bool
	traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})
	start := time.Now()
	resp, err := c.HTTP.Do(req.WithContext(traced))
	if err == nil {
		providers.Logf(ctx, "%s %s%s: HTTP %d (%s)", req.Method, req.URL.Host, req.URL.Path, resp.StatusCode, time.Since(start).Round(time.Millisecond))
	} else {
		providers.Logf(ctx, "%s %s%s: failed (%s)", req.Method, req.URL.Host, req.URL.Path, time.Since(start).Round(time.Millisecond))
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, &InterruptedError{Err: c.Scrub(ctx.Err()), Sent: wrote.Load()}
		}
		return nil, &TransientError{Err: c.Scrub(transportError(req, err)), Sent: !neverSent(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, &TransientError{Err: c.Scrub(fmt.Errorf("%s %s: reading the response: %s", req.Method, req.URL.Path, errorCore(err))), Sent: true}
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return out, &TransientError{
			Err:        fmt.Errorf("%s %s: HTTP %d: %s", req.Method, req.URL.Path, resp.StatusCode, Snippet(c.ScrubString(string(body)))),
			RetryAfter: RetryAfter(resp.Header.Get("Retry-After"), time.Now()),
			Sent:       true,
		}
	}
	return out, nil
}

// Retry calls attempt until it succeeds or fails with an error that is not
// transient, waiting between tries with exponential backoff and jitter, or
// for the Retry-After the error carries. It gives up after MaxAttempts.
func (c *Client) Retry(ctx context.Context, attempt func() error) error {
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 5
	}
	delay := c.BaseDelay
	if delay <= 0 {
		delay = DefaultBaseDelay
	}
	maxDelay := c.MaxDelay
	if maxDelay <= 0 {
		maxDelay = DefaultMaxDelay
	}
	sleep := c.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	var err error
	for try := 1; ; try++ {
		err = attempt()
		var t *TransientError
		if err == nil || !errors.As(err, &t) || try >= attempts {
			break
		}
		wait := delay/2 + rand.N(delay/2+1)
		if t.RetryAfter > MaxRetryAfter {
			return fmt.Errorf("%w (the server asks to retry after %s; giving up)", err, t.RetryAfter)
		}
		if t.RetryAfter > 0 {
			wait = t.RetryAfter
		}
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (gave up waiting to retry: %v)", err, serr)
		}
		delay = min(delay*2, maxDelay)
	}
	if err != nil && IsTransient(err) {
		return fmt.Errorf("%w (after %d attempts)", err, attempts)
	}
	return err
}

// Sleep waits for d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RetryAfter parses a Retry-After header (seconds or an HTTP date).
func RetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Scrub removes every secret from err's message, keeping the chain for errors.Is.
func (c *Client) Scrub(err error) error { return c.Secrets.Error(err) }

// ScrubString removes every secret from text a server sent. Callers scrub
// before they shorten or reflow such text, so no secret is cut in a way
// that hides it from the scrubber.
func (c *Client) ScrubString(s string) string { return c.Secrets.String(s) }

// transportError describes a failed request by method and path only:
// *url.Error would print the whole URL, query string included.
func transportError(req *http.Request, err error) error {
	return fmt.Errorf("%s %s%s: %s", req.Method, req.URL.Host, req.URL.Path, errorCore(err))
}

// neverSent reports whether a transport error happened before the request
// could reach the server (it could not connect), so that a retry needs no
// check that the first try landed.
func neverSent(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// errorCore is the innermost useful description of a transport error.
func errorCore(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out"
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Op + ": " + oe.Err.Error()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "connection closed by the server before a response"
	}
	return err.Error()
}

// OneLine collapses whitespace so that a message stays on one line.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Snippet is a short, one-line piece of an answer for an error message,
// "(empty)" when there is nothing.
func Snippet(body string) string {
	s := OneLine(body)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	if s == "" {
		return "(empty)"
	}
	return s
}
