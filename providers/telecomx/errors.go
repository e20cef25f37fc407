package telecomx

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
)

// APIError is an error answer of the API: its HTTP status and the
// documented envelope {"error":{"code","path","status","message","check"}}.
type APIError struct {
	// Method and Path are the call, without its query (which may hold record data).
	Method, Path string
	// Subject names the record the call was about ("www A 192.0.2.1"), if any.
	Subject string
	// Status is the HTTP status.
	Status int
	// Code is the envelope's code: a property name (ttl, rData) or a keyword (not_found, access_denied).
	Code string
	// Message is the envelope's human text.
	Message string
	// Field is the envelope's path: the offending property, when the API gives it.
	Field string
	// Check is the kind of validation that failed, when the API gives it.
	Check string
	// Renewed is set when the call failed again after logging in anew.
	Renewed bool
}

// Error formats the failure as one line naming the call, e.g.
// telecomx: PUT /dns/example.com/record www A: 422 rData "Data is invalid".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("telecomx: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	if e.Subject != "" {
		b.WriteByte(' ')
		b.WriteString(e.Subject)
	}
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.Status))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(e.Message))
	}
	if hint := e.hint(); hint != "" {
		b.WriteString(" (")
		b.WriteString(hint)
		b.WriteByte(')')
	}
	if e.Renewed {
		b.WriteString(" (after logging in again)")
	}
	return b.String()
}

// hint says what to change for the answers only a setting can cause: the
// customer and product ids go to the API as configured, so "Customer not
// found" (GET /dns) and "Product not found" (POST /dns) mean the setting
// names an id Telecom X does not know.
func (e *APIError) hint() string {
	switch {
	case e.Status == 400 && e.Code == "customer":
		return "check the customer id in the provider's settings"
	case e.Status == 404 && e.Code == "product":
		return "check the product id in the provider's settings"
	}
	return ""
}

// Is makes a 404 not_found ("DNS not found") match providers.ErrZoneNotFound.
func (e *APIError) Is(target error) bool {
	return target == providers.ErrZoneNotFound && e.Status == 404 && e.Code == "not_found"
}

// errorDetail is one error of the envelope.
type errorDetail struct {
	Code    string `json:"code"`
	Path    string `json:"path"`
	Status  int    `json:"status"`
	Message string `json:"message"`
	Check   string `json:"check"`
}

// parseAPIError reads an error answer. The wiki documents one object under
// "error" but says the body describes "one or more errors", so a list under
// "error" or "errors" is read too, its messages joined. A body that is not
// the envelope is kept as a short message.
func parseAPIError(method, path, subject string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Subject: subject, Status: status}
	var env struct {
		Error  json.RawMessage `json:"error"`
		Errors json.RawMessage `json:"errors"`
	}
	var details []errorDetail
	if json.Unmarshal(body, &env) == nil {
		for _, raw := range []json.RawMessage{env.Error, env.Errors} {
			var one errorDetail
			var many []errorDetail
			switch {
			case len(raw) == 0:
			case json.Unmarshal(raw, &one) == nil:
				details = append(details, one)
			case json.Unmarshal(raw, &many) == nil:
				details = append(details, many...)
			}
		}
	}
	if len(details) == 0 {
		e.Message = bodySnippet(body)
		return e
	}
	d := details[0]
	e.Code, e.Field, e.Check = d.Code, d.Path, d.Check
	msgs := []string{oneLine(d.Message)}
	for _, more := range details[1:] {
		msgs = append(msgs, oneLine(more.Code+": "+more.Message))
	}
	e.Message = strings.Join(msgs, "; ")
	return e
}

// errorCode returns the envelope's code of an error answer, or "".
func errorCode(body []byte) string {
	return parseAPIError("", "", "", 0, body).Code
}

// bodySnippet is a short one-line piece of a body that is not the envelope.
func bodySnippet(body []byte) string {
	s := oneLine(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// oneLine collapses whitespace so that an error stays on one line.
var oneLine = httpx.OneLine
