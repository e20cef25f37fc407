package cloudns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
)

// client speaks the ClouDNS HTTP API: every call is a POST of a JSON object
// to /dns/<method>.json with the credentials in the body, never in the URL.
type client struct {
	base string
	// identity is the one auth parameter (auth-id, sub-auth-id or sub-auth-user) and its value.
	identity [2]string
	password string
	http     *httpx.Client
}

// target names what a call is about, for its error message.
type target struct {
	// call is the API method without .json, e.g. add-record.
	call string
	// subject is the record set (www A) or "" for the zone itself.
	subject string
	zone    string
}

func (t target) String() string {
	s := t.call
	if t.subject != "" {
		s += " " + t.subject
	}
	if t.zone != "" {
		s += " in " + t.zone
	}
	return s
}

// APIError is a {"status":"Failed"} answer.
type APIError struct {
	// Call is the API method, e.g. add-record.
	Call string
	// Description is the API's statusDescription, verbatim.
	Description string
}

// Error quotes ClouDNS's description; the call and zone are added by the caller.
func (e *APIError) Error() string { return `"` + e.Description + `"` }

// isAPIError reports whether err is a Failed answer with the given description.
func isAPIError(err error, description string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Description == description
}

// callError is a failed call, named by what it was about.
type callError struct {
	t   target
	err error
}

func (e *callError) Error() string { return "cloudns: " + e.t.String() + ": " + e.err.Error() }
func (e *callError) Unwrap() error { return e.err }

// rateLimited reports whether a Failed description is the per-IP rate-limit block,
// e.g. "Request blocked. 84.86.84.86 is sending more than 20 requests per second."
func rateLimited(desc string) bool {
	return strings.HasPrefix(desc, "Request blocked.") || strings.Contains(desc, "is sending more than")
}

// call sends method with params and decodes a successful answer into out
// (nil: a change, whose answer is only its status). A read retries
// transient failures (httpx.Client.Retry); a change goes through
// httpx.Client.Change, which asks landed, when not nil, before it repeats
// a try that may have taken effect, so that a call that is not safe to
// repeat is never made twice.
func (c *client) call(ctx context.Context, t target, params map[string]any, out any, landed httpx.Landed) error {
	send := func(ctx context.Context) error {
		body, err := c.once(ctx, t, params)
		if err != nil {
			return err
		}
		return c.decodeAnswer(body, out)
	}
	var err error
	if t.changes() {
		err = c.http.Change(ctx, "cloudns: "+t.call, send, landed)
	} else {
		err = c.http.Retry(ctx, func() error { return send(ctx) })
	}
	if err == nil {
		return nil
	}
	unknown := errors.Is(err, providers.ErrOutcomeUnknown)
	err = c.http.Scrub(&callError{t: t, err: providers.Confirmed(err)})
	if unknown {
		return providers.OutcomeUnknown(err)
	}
	return err
}

// decodeAnswer reads a successful answer into out; with out nil, the
// answer of a change, only a success status will do.
func (c *client) decodeAnswer(body []byte, out any) error {
	if out == nil {
		var e envelope
		if json.Unmarshal(body, &e) != nil || e.Status != "Success" {
			return fmt.Errorf("unexpected answer: %s", snippet(c.scrub(string(body))))
		}
		return nil
	}
	if err := decode(body, out); err != nil {
		return fmt.Errorf("unexpected answer (%v): %s", err, snippet(c.scrub(string(body))))
	}
	return nil
}

// readCalls are the API methods that change nothing.
var readCalls = map[string]bool{
	"list-zones": true, "get-pages-count": true, "get-zone-info": true, "records": true,
	"soa-details": true, "master-servers": true, "failover-settings": true,
}

// changes reports whether the call changes the zone, so that a failed try
// that went out may have taken effect.
func (t target) changes() bool { return !readCalls[t.call] }

// decode reads an answer into out; a *[]byte gets the raw body.
func decode(body []byte, out any) error {
	if raw, ok := out.(*[]byte); ok {
		*raw = body
		return nil
	}
	return json.Unmarshal(body, out)
}

// once sends one request and returns the body of a successful answer. The
// API answers HTTP 200 for everything, errors included; a rate-limit
// block comes back as a transient error that never took effect.
func (c *client) once(ctx context.Context, t target, params map[string]any) ([]byte, error) {
	payload := make(map[string]any, len(params)+2)
	for k, v := range params {
		payload[k] = v
	}
	payload[c.identity[0]] = c.identity[1]
	payload["auth-password"] = c.password
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encoding the request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/dns/"+t.call+".json", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.Status, snippet(c.scrub(string(resp.Body))))
	}
	if desc, failed := failure(resp.Body); failed {
		desc = oneLine(c.scrub(desc))
		if rateLimited(desc) {
			// Blocked before it was handled: safe to send again as it is.
			return nil, &httpx.TransientError{Err: &APIError{Call: t.call, Description: desc}}
		}
		return nil, &APIError{Call: t.call, Description: desc}
	}
	return resp.Body, nil
}

// scrub removes the password, in every encoding, from text that came from
// the server; it comes before any shortening, so no cut hides a secret.
func (c *client) scrub(s string) string { return c.http.ScrubString(s) }

// oneLine and snippet keep answers quoted in errors short and on one line.
var (
	oneLine = httpx.OneLine
	snippet = httpx.Snippet
)
