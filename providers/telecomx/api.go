package telecomx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// PageLimit is the largest page GET /dns serves (documented: 1..500).
const PageLimit = 500

// Record is a record as the API holds it: no id, addressed by all three fields.
type Record struct {
	// Name is relative to the domain; "" is the apex.
	Name string `json:"name"`
	// Type is A, AAAA, CNAME, SRV, NS, TXT, or "MX <priority>".
	Type string `json:"type"`
	// RData is the record's data; see mapping.go for each type's form.
	RData string `json:"rData"`
}

// Domain is a DNS object of the API, full or condensed.
type Domain struct {
	ID            string `json:"_id"`
	Customer      string `json:"customer,omitempty"`
	Product       string `json:"product,omitempty"`
	InvoicedUntil string `json:"invoicedUntil,omitempty"`
	Serial        int64  `json:"serial,omitempty"`
	// TTL is the zone TTL; 0 when the answer left it out.
	TTL    int64  `json:"ttl"`
	Status string `json:"status,omitempty"`
	// Records are the full object's records.
	Records []Record `json:"records"`
	// RecordCount is the condensed object's record count; in a full object, len(Records).
	RecordCount int `json:"-"`
	// Full is true when the answer held the records themselves.
	Full bool `json:"-"`
}

// UnmarshalJSON reads both forms: the condensed object of a list without
// full=true has records as a count and ttl as a string.
func (d *Domain) UnmarshalJSON(data []byte) error {
	var raw struct {
		ID            string          `json:"_id"`
		Customer      string          `json:"customer"`
		Product       string          `json:"product"`
		InvoicedUntil string          `json:"invoicedUntil"`
		Serial        json.RawMessage `json:"serial"`
		TTL           json.RawMessage `json:"ttl"`
		Status        string          `json:"status"`
		Records       json.RawMessage `json:"records"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*d = Domain{ID: raw.ID, Customer: raw.Customer, Product: raw.Product, InvoicedUntil: raw.InvoicedUntil, Status: raw.Status}
	var err error
	if d.TTL, err = flexInt(raw.TTL); err != nil {
		return fmt.Errorf("domain %q: ttl: %v", raw.ID, err)
	}
	if d.Serial, err = flexInt(raw.Serial); err != nil {
		return fmt.Errorf("domain %q: serial: %v", raw.ID, err)
	}
	recs := bytes.TrimSpace(raw.Records)
	switch {
	case len(recs) == 0 || string(recs) == "null":
	case recs[0] == '[':
		if err := json.Unmarshal(recs, &d.Records); err != nil {
			return fmt.Errorf("domain %q: records: %v", raw.ID, err)
		}
		d.Full, d.RecordCount = true, len(d.Records)
	default:
		n, err := flexInt(recs)
		if err != nil {
			return fmt.Errorf("domain %q: records: %v", raw.ID, err)
		}
		d.RecordCount = int(n)
	}
	return nil
}

// flexInt reads a whole number written as a JSON number or a string of
// digits (the condensed list documents ttl as a string); absent is 0.
func flexInt(raw json.RawMessage) (int64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, nil
	}
	if s[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		if s == "" {
			return 0, nil
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a whole number", s)
	}
	return n, nil
}

// has reports whether the domain holds a record that match accepts.
func (d *Domain) has(match func(Record) bool) bool {
	for _, r := range d.Records {
		if match(r) {
			return true
		}
	}
	return false
}

// listPage is the answer of GET /dns.
type listPage struct {
	Offset int      `json:"offset"`
	Limit  int      `json:"limit"`
	Total  int      `json:"total"`
	DNS    []Domain `json:"dns"`
}

// newDomain is the body of POST /dns.
type newDomain struct {
	ID       string `json:"_id"`
	Customer string `json:"customer,omitempty"`
	Product  string `json:"product,omitempty"`
	TTL      uint32 `json:"ttl"`
}

// ttlUpdate is the body of POST /dns/DOMAIN when only the TTL changes.
type ttlUpdate struct {
	TTL uint32 `json:"ttl"`
}

// recordChange is the body of PUT /dns/DOMAIN/record.
type recordChange struct {
	Record
	New string `json:"new"`
}

// domainPath is the path of one domain. It is only ever used with GET and
// POST: see recordPath for everything that deletes.
func domainPath(domain string) string { return "/dns/" + url.PathEscape(domain) }

// recordPath is the path of a domain's records, the only path zonesync
// sends a DELETE to.
func recordPath(domain string) string { return domainPath(domain) + "/record" }

// isRecordPath reports whether an escaped path is a domain's record path.
func isRecordPath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/dns/")
	if !ok {
		return false
	}
	domain, ok := strings.CutSuffix(rest, "/record")
	return ok && domain != "" && !strings.Contains(domain, "/")
}

// ListDomains reads every domain of the configured customer, page by page,
// until it has read total of them. full asks for whole DNS objects.
func (c *Client) ListDomains(ctx context.Context, full bool) ([]Domain, error) {
	return c.listDomains(ctx, full, "")
}

// errIncompleteList is a listing whose domains do not add up to its total.
var errIncompleteList = errors.New("the domains listed do not add up to the total the list reports")

// listDomains reads every page of GET /dns with the given filter. The
// distinct domains read must be the list's total: pages that repeat
// domains (or a total that changed between pages) must not pass for the
// whole list.
func (c *Client) listDomains(ctx context.Context, full bool, filter string) ([]Domain, error) {
	var out []Domain
	for offset := 0; ; {
		page, err := c.listPage(ctx, offset, PageLimit, full, filter)
		if err != nil {
			return nil, err
		}
		out = append(out, page.DNS...)
		offset += len(page.DNS)
		if offset >= page.Total {
			seen := make(map[string]bool, len(out))
			for _, d := range out {
				seen[normalizeZone(d.ID)] = true
			}
			if len(seen) != page.Total {
				return nil, fmt.Errorf("telecomx: GET /dns: %d domains listed but total is %d: %w", len(seen), page.Total, errIncompleteList)
			}
			return out, nil
		}
		if len(page.DNS) == 0 {
			return nil, fmt.Errorf("telecomx: GET /dns: the page at offset %d is empty but total is %d: %w", offset, page.Total, errIncompleteList)
		}
	}
}

// recordCount is the number of records the domain list (GET /dns,
// condensed, filtered by the domain's name) reports for domain. listed is
// false when the list does not name it: it lists the configured customer's
// domains, and a reseller may read a domain of another customer.
func (c *Client) recordCount(ctx context.Context, domain string) (n int, listed bool, err error) {
	domains, err := c.listDomains(ctx, false, domain)
	if err != nil {
		return 0, false, err
	}
	for _, d := range domains {
		if normalizeZone(d.ID) == domain {
			return d.RecordCount, true, nil
		}
	}
	return 0, false, nil
}

// listPage reads one page of GET /dns.
func (c *Client) listPage(ctx context.Context, offset, limit int, full bool, filter string) (*listPage, error) {
	q := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}}
	if c.customer != "" {
		q.Set("customer", c.customer)
	}
	if filter != "" {
		q.Set("filter", filter)
	}
	if full {
		q.Set("full", "true")
	}
	var page listPage
	if err := c.call(ctx, &request{method: http.MethodGet, path: "/dns", query: q}, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// GetDomain reads one domain with its records.
func (c *Client) GetDomain(ctx context.Context, domain string) (*Domain, error) {
	var d Domain
	if err := c.call(ctx, getDomain(domain), &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// getOnce reads a domain with a single try, for the checks made between
// the tries of a change (the change's own retry loop retries the check).
func (c *Client) getOnce(ctx context.Context, domain string) (*Domain, error) {
	var d Domain
	if err := c.once(ctx, getDomain(domain), &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func getDomain(domain string) *request {
	return &request{method: http.MethodGet, path: domainPath(domain)}
}

// CreateDomain creates an empty domain with the zone TTL, for the
// configured customer and product. Retried only if the domain did not appear.
func (c *Client) CreateDomain(ctx context.Context, domain, product string, ttl uint32) (*Domain, error) {
	var d Domain
	r := &request{method: http.MethodPost, path: "/dns", body: newDomain{ID: domain, Customer: c.customer, Product: product, TTL: ttl}, subject: domain}
	err := c.change(ctx, r, &d, func(ctx context.Context) (bool, error) {
		got, err := c.getOnce(ctx, domain)
		if err != nil {
			if isNotFound(err) {
				return false, nil
			}
			return false, err
		}
		d = *got
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// SetTTL changes the zone TTL in one call. A retry needs no check: setting
// the same TTL twice leaves the same state.
func (c *Client) SetTTL(ctx context.Context, domain string, ttl uint32) (*Domain, error) {
	var d Domain
	r := &request{method: http.MethodPost, path: domainPath(domain), body: ttlUpdate{TTL: ttl}}
	if err := c.change(ctx, r, &d, nil); err != nil {
		return nil, err
	}
	return &d, nil
}

// CreateRecord adds one record. Before a retry it checks whether the first
// try landed, so a record is never added twice.
func (c *Client) CreateRecord(ctx context.Context, domain string, rec Record) error {
	r := &request{method: http.MethodPost, path: recordPath(domain), body: rec, subject: describeRecord(rec)}
	return c.change(ctx, r, nil, func(ctx context.Context) (bool, error) {
		d, err := c.getOnce(ctx, domain)
		if err != nil {
			return false, err
		}
		return d.has(func(x Record) bool { return sameRecord(domain, x, rec) }), nil
	})
}

// UpdateRecord changes one record's rData in place. Before a retry it
// checks whether the first try landed (the new record is there and the old
// one gone), so a retry never fails on its own success.
func (c *Client) UpdateRecord(ctx context.Context, domain string, old Record, newRData string) error {
	after := Record{Name: old.Name, Type: old.Type, RData: newRData}
	r := &request{method: http.MethodPut, path: recordPath(domain), body: recordChange{Record: old, New: newRData},
		subject: describeRecord(old) + " -> " + shorten(newRData)}
	return c.change(ctx, r, nil, func(ctx context.Context) (bool, error) {
		d, err := c.getOnce(ctx, domain)
		if err != nil {
			return false, err
		}
		return d.has(func(x Record) bool { return sameRecord(domain, x, after) }) && !d.has(func(x Record) bool { return x == old }), nil
	})
}

// DeleteRecord deletes one record, addressed by its three fields in the
// query of DELETE /dns/DOMAIN/record. Before a retry it checks whether the
// record is already gone.
func (c *Client) DeleteRecord(ctx context.Context, domain string, rec Record) error {
	q := url.Values{"name": {rec.Name}, "type": {rec.Type}, "rData": {rec.RData}}
	r := &request{method: http.MethodDelete, path: recordPath(domain), query: q, subject: describeRecord(rec)}
	return c.change(ctx, r, nil, func(ctx context.Context) (bool, error) {
		d, err := c.getOnce(ctx, domain)
		if err != nil {
			return false, err
		}
		return !d.has(func(x Record) bool { return x == rec }), nil
	})
}

// describeRecord names a record in an error: "www A 192.0.2.1", "@" for the apex.
func describeRecord(r Record) string {
	name := r.Name
	if name == "" {
		name = "@"
	}
	return name + " " + r.Type + " " + shorten(r.RData)
}

// shorten keeps long rData (TXT) from swamping an error line.
func shorten(s string) string {
	s = oneLine(s)
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
