package telecomx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/redact"
)

// Client speaks the Telecom X REST API: authentication, requests, retries
// and error mapping. It has no call that deletes a domain.
type Client struct {
	http     *httpx.Client
	base     string
	customer string
	auth     *auth
}

// newClient builds a client from settings whose HTTP part Resolve has
// checked, without touching the network.
func newClient(s Settings, h httpx.Resolved) *Client {
	c := &Client{
		http:     h.Client(redact.New(s.Token, s.Password)),
		base:     h.Endpoint,
		customer: s.Customer,
	}
	c.auth = &auth{client: c, static: s.Token, username: s.Username, password: s.Password}
	return c
}

// request is one API call, built only by the functions in api.go.
type request struct {
	method string
	// path is escaped, without the base URL.
	path  string
	query url.Values
	body  any
	// subject names the record the call is about, for error messages.
	subject string
	// noAuth is set for the login call itself.
	noAuth bool
}

// describe names the call in an error about it.
func (r *request) describe() string {
	s := r.method + " " + r.path
	if r.subject != "" {
		s += " " + r.subject
	}
	return s
}

// call sends a request that changes nothing (a read), retrying transient
// failures.
func (c *Client) call(ctx context.Context, r *request, out any) error {
	return c.scrub(c.http.Retry(ctx, func() error { return c.once(ctx, r, out) }))
}

// change sends a request that changes something, through the one
// late-commit protocol (httpx.Client.Change): landed, when set, is asked
// before a retry of a try that may have reached the server, and before
// the call fails, so that a change that took effect is never sent again
// nor reported failed. A change that may have taken effect unconfirmed
// fails as providers.OutcomeUnknown. Its log lines name the call by
// method and path, never the record.
func (c *Client) change(ctx context.Context, r *request, out any, landed httpx.Landed) error {
	name := "telecomx: " + r.method + " " + r.path
	return c.scrub(c.http.Change(ctx, name, func(ctx context.Context) error { return c.once(ctx, r, out) }, landed))
}

// loginFailed marks the failure of a login made for a request as one that
// never sent the request: it cannot have taken effect, so no check follows
// it and it is never reported as a change of unknown outcome. A transient
// failure stays transient, so the request is tried again.
func loginFailed(err error) error {
	var t *httpx.TransientError
	if errors.As(err, &t) {
		return &httpx.TransientError{Err: err, RetryAfter: t.RetryAfter}
	}
	var i *httpx.InterruptedError
	if errors.As(err, &i) {
		return &httpx.InterruptedError{Err: err}
	}
	return err
}

// once sends r once, logging in first when needed and again, once, when
// the API says the session expired.
func (c *Client) once(ctx context.Context, r *request, out any) error {
	token := ""
	if !r.noAuth {
		var err error
		if token, err = c.auth.token(ctx); err != nil {
			return loginFailed(err)
		}
	}
	resp, err := c.send(ctx, r, token)
	renewed := false
	// A session refused as expired is renewed once. A token another call
	// has already replaced is simply swapped for the new one.
	if err == nil && resp.Status == http.StatusUnauthorized && !r.noAuth && c.auth.canRenew() &&
		(errorCode(resp.Body) == "expired" || c.auth.current() != token) {
		if token, err = c.auth.renew(ctx, token); err != nil {
			return loginFailed(err)
		}
		renewed = true
		resp, err = c.send(ctx, r, token)
	}
	if err != nil {
		return c.transient(r, resp, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		e := parseAPIError(r.method, r.path, r.subject, resp.Status, c.clean(resp.Body))
		e.Renewed = renewed
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("telecomx: %s: the answer is not the documented JSON: %v", r.describe(), err)
	}
	return nil
}

// send makes the HTTP request. It refuses a DELETE of anything but a
// record, so that no bug can turn into DELETE /dns/DOMAIN, which deletes the
// whole domain.
func (c *Client) send(ctx context.Context, r *request, token string) (*httpx.Response, error) {
	if r.method == http.MethodDelete && !isRecordPath(r.path) {
		return nil, fmt.Errorf("telecomx: refusing to send DELETE %s: zonesync only ever deletes records, never a domain", r.path)
	}
	u := c.base + r.path
	if len(r.query) > 0 {
		u += "?" + encodeQuery(r.query)
	}
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("telecomx: %s: encoding the request: %v", r.describe(), err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("telecomx: %s: building the request: %v", r.describe(), err)
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.http.Do(ctx, req)
}

// transient rewrites a failure from httpx so that it names the call: an
// error answer (5xx, 429) becomes an APIError, still transient.
func (c *Client) transient(r *request, resp *httpx.Response, err error) error {
	var t *httpx.TransientError
	if !errors.As(err, &t) {
		if strings.HasPrefix(err.Error(), "telecomx: ") {
			return err
		}
		return fmt.Errorf("telecomx: %s: %w", r.describe(), err)
	}
	if resp != nil {
		return &httpx.TransientError{Err: parseAPIError(r.method, r.path, r.subject, resp.Status, c.clean(resp.Body)), RetryAfter: t.RetryAfter, Sent: t.Sent}
	}
	prefix := "telecomx: "
	if r.subject != "" {
		prefix += r.subject + ": "
	}
	return &httpx.TransientError{Err: fmt.Errorf("%s%w", prefix, t.Err), RetryAfter: t.RetryAfter, Sent: t.Sent}
}

// scrub removes every credential, the session token included, from err.
func (c *Client) scrub(err error) error {
	if err == nil {
		return nil
	}
	return c.http.Scrub(err)
}

// clean removes every credential from an error answer before it is read
// into a message, so that shortening the message cannot cut a secret into
// a piece the scrubber no longer knows.
func (c *Client) clean(body []byte) []byte {
	return []byte(c.http.ScrubString(string(body)))
}

// encodeQuery encodes query parameters with %20 for a space rather than
// "+", which every server decodes the same way (an MX type is "MX 10").
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}
