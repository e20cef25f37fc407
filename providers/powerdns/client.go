package powerdns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
)

// client speaks the HTTP API of one PowerDNS server: requests with the
// API key, retries of transient failures, and the API's errors as
// *APIError. Reads go through httpx's Retry; changes through its Change,
// each with a check of whether an unanswered try took effect.
type client struct {
	http *httpx.Client
	// base is the endpoint and the API's path: .../api/v1.
	base string
	// server is the server's path below base: /servers/ID.
	server string
	key    string
}

// APIError is an answer of the API that refuses a request.
type APIError struct {
	// Method and Path name the call; Path is below /api/v1.
	Method, Path string
	// Status is the HTTP status.
	Status int
	// Message is the API's error text ("error" of its JSON answer, or
	// the plain text of a 404 or 409).
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("powerdns: %s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Message)
}

// request is one call: path below the server's URL, escaped.
type request struct {
	method string
	path   string
	query  url.Values
	body   any
}

// once sends r one time and decodes a JSON answer into out, when not nil.
// A refusal is an *APIError; a transient failure an *httpx.TransientError.
func (c *client) once(ctx context.Context, r request, out any) error {
	path := c.server + r.path
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("powerdns: %s %s: encoding the request: %w", r.method, path, err)
		}
	}
	u := c.base + path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("powerdns: %s %s: %w", r.method, path, err)
	}
	req.Header.Set("X-API-Key", c.key)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return fmt.Errorf("powerdns: %w", err)
	}
	if resp.Status >= 300 {
		return &APIError{Method: r.method, Path: path, Status: resp.Status, Message: c.errorText(resp)}
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("powerdns: %s %s: the answer is not the JSON the API documents: %v", r.method, path, err)
		}
	}
	return nil
}

// errorText is the API's message in an error answer: the "error" of its
// JSON (and "errors", when it lists more), or the body's text.
func (c *client) errorText(resp *httpx.Response) string {
	var e wireError
	if json.Unmarshal(resp.Body, &e) == nil && e.Error != "" {
		text := e.Error
		for _, more := range e.Errors {
			if more != e.Error {
				text += "; " + more
			}
		}
		return httpx.OneLine(c.http.ScrubString(text))
	}
	return httpx.Snippet(c.http.ScrubString(string(resp.Body)))
}

// read sends a request that changes nothing, retrying transient failures.
func (c *client) read(ctx context.Context, r request, out any) error {
	return c.http.Retry(ctx, func() error { return c.once(ctx, r, out) })
}

// change sends a request that changes the server, through httpx's
// late-commit protocol: landed (nil for a change that is safe to repeat)
// says whether an unanswered try took effect.
func (c *client) change(ctx context.Context, r request, landed httpx.Landed) error {
	return c.http.Change(ctx, "powerdns: "+r.method+" "+c.server+r.path, func(ctx context.Context) error { return c.once(ctx, r, nil) }, landed)
}

// isStatus reports whether err is the API's answer with that status.
func isStatus(err error, status int) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == status
}

func zonePath(zone string) string { return "/zones/" + zoneID(zone) }

// serverInfo reads the server object: the cheapest call that needs the key
// and the server id to be right.
func (c *client) serverInfo(ctx context.Context) error {
	var out struct {
		DaemonType string `json:"daemon_type"`
	}
	if err := c.read(ctx, request{method: http.MethodGet}, &out); err != nil {
		return err
	}
	if out.DaemonType != "" && out.DaemonType != "authoritative" {
		return fmt.Errorf("powerdns: the endpoint is a PowerDNS %s, not an Authoritative Server", out.DaemonType)
	}
	return nil
}

// listZones lists every zone of the server, without their records.
func (c *client) listZones(ctx context.Context) ([]wireZone, error) {
	var out []wireZone
	err := c.read(ctx, request{method: http.MethodGet, path: "/zones", query: url.Values{"dnssec": {"false"}}}, &out)
	return out, err
}

// getZone reads a zone with its RRsets; a zone the server does not have
// is providers.ErrZoneNotFound.
func (c *client) getZone(ctx context.Context, zone string) (*wireZone, error) {
	var out wireZone
	err := c.read(ctx, request{method: http.MethodGet, path: zonePath(zone)}, &out)
	if isStatus(err, http.StatusNotFound) {
		return nil, fmt.Errorf("powerdns: zone %s: %w", zone, providers.ErrZoneNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// findZone looks a zone up in the list by name, without its records: the
// zone, or nil when the server does not have it.
func (c *client) findZone(ctx context.Context, zone string) (*wireZone, error) {
	var out []wireZone
	err := c.read(ctx, request{method: http.MethodGet, path: "/zones", query: url.Values{"zone": {zone + "."}}}, &out)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// createZone creates a zone. A try whose answer was lost has landed when
// the zone exists.
func (c *client) createZone(ctx context.Context, z wireZone) error {
	zone := canonicalZone(z.Name)
	r := request{method: http.MethodPost, path: "/zones", query: url.Values{"rrsets": {"false"}}, body: z}
	return c.change(ctx, r, func(ctx context.Context) (bool, error) {
		found, err := c.findZone(ctx, zone)
		return found != nil, err
	})
}

// putZone changes a zone's kind, masters or SOA-EDIT-API. Setting them to
// what they are is harmless, so a try is simply sent again.
func (c *client) putZone(ctx context.Context, zone string, s wireZoneSettings) error {
	return c.change(ctx, request{method: http.MethodPut, path: zonePath(zone), body: s}, nil)
}

// patch sends RRset changes, which the server carries out in one
// transaction (one serial bump): all or none.
func (c *client) patch(ctx context.Context, zone string, rrsets []wireRRset, landed httpx.Landed) error {
	return c.change(ctx, request{method: http.MethodPatch, path: zonePath(zone), body: wirePatch{RRsets: rrsets}}, landed)
}

// cryptokeys lists a zone's DNSSEC keys, without private keys.
func (c *client) cryptokeys(ctx context.Context, zone string) ([]wireCryptokey, error) {
	var out []wireCryptokey
	err := c.read(ctx, request{method: http.MethodGet, path: zonePath(zone) + "/cryptokeys"}, &out)
	return out, err
}

// addCryptokey generates a key of keytype (csk, ksk, zsk), active. A try
// whose answer was lost has landed when the zone has an active key of
// that type.
func (c *client) addCryptokey(ctx context.Context, zone, keytype string) error {
	r := request{method: http.MethodPost, path: zonePath(zone) + "/cryptokeys", body: wireCryptokey{KeyType: keytype, Active: true}}
	return c.change(ctx, r, func(ctx context.Context) (bool, error) {
		keys, err := c.cryptokeys(ctx, zone)
		for _, k := range keys {
			if k.Active && k.KeyType == keytype {
				return true, err
			}
		}
		return false, err
	})
}

// deleteCryptokey removes one key. A try whose answer was lost has landed
// when the key is gone.
func (c *client) deleteCryptokey(ctx context.Context, zone string, id int) error {
	r := request{method: http.MethodDelete, path: fmt.Sprintf("%s/cryptokeys/%d", zonePath(zone), id)}
	return c.change(ctx, r, func(ctx context.Context) (bool, error) {
		keys, err := c.cryptokeys(ctx, zone)
		if err != nil {
			return false, err
		}
		for _, k := range keys {
			if k.ID == id {
				return false, nil
			}
		}
		return true, nil
	})
}

// rectify fills in the DNSSEC ordering data of a signed zone; doing it
// twice is harmless.
func (c *client) rectify(ctx context.Context, zone string) error {
	return c.change(ctx, request{method: http.MethodPut, path: zonePath(zone) + "/rectify"}, nil)
}
