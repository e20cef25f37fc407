package plesk

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/redact"
)

// client posts XML packets to one Plesk server's agent.
type client struct {
	url string
	// auth holds the authentication headers, spelled as Plesk documents
	// them (Go would otherwise rewrite HTTP_AUTH_LOGIN as Http_auth_login).
	auth map[string]string
	http *httpx.Client
}

func newClient(c *clientConfig) *client {
	auth := map[string]string{}
	var secrets []string
	if c.secretKey != "" {
		auth["KEY"] = c.secretKey
		secrets = append(secrets, c.secretKey)
	} else {
		auth["HTTP_AUTH_LOGIN"] = c.login
		auth["HTTP_AUTH_PASSWD"] = c.password
		secrets = append(secrets, c.password)
	}
	return &client{
		url:  c.url,
		auth: auth,
		http: c.http.Client(redact.New(secrets...)),
	}
}

// post sends one packet, once, and returns one result element per
// operation, in the order sent. When Plesk's answer holds fewer or other
// elements than were sent, the ones that match come back with an error
// about the rest. Transport failures come back as *httpx.TransientError.
func (c *client) post(ctx context.Context, req request) ([]opResult, error) {
	body, err := encodePacket(req)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, c.http.Scrub(fmt.Errorf("build request: %w", err))
	}
	hreq.Header.Set("Content-Type", "text/xml")
	for k, v := range c.auth {
		hreq.Header[k] = []string{v}
	}
	resp, err := c.http.Do(ctx, hreq)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, c.http.Scrub(fmt.Errorf("POST %s: HTTP %d", AgentPath, resp.Status))
	}
	ans, err := decodeResponse(resp.Body, req.operator)
	if err != nil {
		return nil, c.http.Scrub(err)
	}
	c.scrubErrors(ans)
	if ans.system != nil {
		if err := ans.system.err(); err != nil {
			return nil, c.http.Scrub(fmt.Errorf("packet rejected: %w", err))
		}
	}
	n := 0
	for n < len(ans.ops) && n < len(req.ops) && ans.ops[n].name == req.ops[n].call() {
		n++
	}
	if n < len(req.ops) || len(ans.ops) != len(req.ops) {
		return ans.ops[:n], fmt.Errorf("Plesk's answer does not match the request: %d operation elements sent, %d answered, %d in order", len(req.ops), len(ans.ops), n)
	}
	return ans.ops, nil
}

// scrubErrors removes the credentials from every error text of an answer:
// Plesk's errtext may quote what it was sent.
func (c *client) scrubErrors(ans *response) {
	if ans.system != nil {
		ans.system.ErrText = c.http.ScrubString(ans.system.ErrText)
	}
	for i := range ans.ops {
		for j := range ans.ops[i].results {
			r := &ans.ops[i].results[j]
			r.ErrText = c.http.ScrubString(r.ErrText)
		}
	}
}

// read sends a packet that changes nothing, retrying transient failures.
func (c *client) read(ctx context.Context, req request) ([]opResult, error) {
	var out []opResult
	err := c.http.Retry(ctx, func() error {
		var err error
		out, err = c.post(ctx, req)
		return err
	})
	return out, err
}
