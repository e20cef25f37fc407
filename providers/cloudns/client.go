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

// landedFunc checks, after a try that may have reached the server, whether
// its change is already there; done stops the retries as a success.
type landedFunc func(ctx context.Context) (done bool, err error)

// call sends method with params, retrying transient failures, and decodes
// a successful answer into out (nil: ignore it). landed, when not nil, is
// consulted before each retry of a try that may have taken effect, so a
// call that is not idempotent is never repeated after it landed.
func (c *client) call(ctx context.Context, t target, params map[string]any, out any, landed landedFunc) error {
	var mayHaveLanded error
	err := c.http.Retry(ctx, func() error {
		if mayHaveLanded != nil && landed != nil {
			done, err := landed(ctx)
			if err != nil {
				// The check retried on its own; flattening the error ends
				// the retries here instead of multiplying them.
				return fmt.Errorf("%v; checking whether that try took effect failed too: %v", mayHaveLanded, err)
			}
			if done {
				return nil
			}
		}
		body, err := c.once(ctx, t, params)
		if err != nil {
			var te *httpx.TransientError
			if errors.As(err, &te) && te.Sent {
				mayHaveLanded = err
			}
			return err
		}
		if out == nil {
			// A change answers with its status; anything else is not a success.
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
	})
	if err == nil {
		return nil
	}
	// unsure is whether a change may have been made although the call
	// failed: its last try went out without an answer, or, for a call
	// that is checked, an earlier one did and the check cannot be made.
	unsure := httpx.Sent(err)
	if mayHaveLanded != nil && landed != nil {
		unsure = true
		if ctx.Err() == nil {
			// A try that reached ClouDNS may have been carried out only
			// after the check before the next try, which the API then
			// refuses (a record id already deleted). When the state is
			// what the call wanted, it succeeded.
			done, cerr := landed(ctx)
			if cerr == nil && done {
				return nil
			}
			unsure = cerr != nil
		}
	}
	err = c.http.Scrub(&callError{t: t, err: err})
	if unsure && t.changes() {
		return providers.OutcomeUnknown(err)
	}
	return err
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
