package cloudns

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
)

// rowsPerPage is the largest page list-zones.json serves.
const rowsPerPage = 100

// maxPages bounds the zone listing, so that a server repeating its last
// page cannot keep the client looping.
const maxPages = 10000

// listZones reads pages of list-zones.json, at most pages of them (0: no
// bound). A page shorter than rowsPerPage is the last one.
func (c *client) listZones(ctx context.Context, pages int) ([]zoneRow, error) {
	if pages <= 0 || pages > maxPages {
		pages = maxPages
	}
	var all []zoneRow
	for page := 1; page <= pages; page++ {
		var rows []zoneRow
		t := target{call: "list-zones"}
		if err := c.call(ctx, t, map[string]any{"page": page, "rows-per-page": rowsPerPage}, &rows, nil); err != nil {
			return nil, err
		}
		all = append(all, rows...)
		if len(rows) < rowsPerPage {
			return all, nil
		}
	}
	if pages < maxPages {
		return all, nil
	}
	return nil, fmt.Errorf("cloudns: list-zones: still more pages after %d", maxPages)
}

// pagesCount reads get-pages-count.json: how many pages of rowsPerPage
// zones list-zones.json has.
func (c *client) pagesCount(ctx context.Context) (int, error) {
	var n num
	if err := c.call(ctx, target{call: "get-pages-count"}, map[string]any{"rows-per-page": rowsPerPage}, &n, nil); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, fmt.Errorf("cloudns: get-pages-count: negative count %d", n)
	}
	return int(n), nil
}

// zonesCount reads get-zones-stats.json, whose count is how many zones the
// account holds (recorded as {"count":"35","limit":"75"}).
func (c *client) zonesCount(ctx context.Context) (int, error) {
	t := target{call: "get-zones-stats"}
	var stats struct {
		Count *num `json:"count"`
	}
	if err := c.call(ctx, t, map[string]any{}, &stats, nil); err != nil {
		return 0, err
	}
	if stats.Count == nil || *stats.Count < 0 {
		return 0, &callError{t: t, err: fmt.Errorf("the answer holds no zone count")}
	}
	return int(*stats.Count), nil
}

// zoneInfo reads get-zone-info.json; a missing zone answers "Missing domain-name".
func (c *client) zoneInfo(ctx context.Context, zone string) (zoneRow, error) {
	var z zoneRow
	err := c.call(ctx, target{call: "get-zone-info", zone: zone}, map[string]any{"domain-name": zone}, &z, nil)
	return z, err
}

// records reads records.json without paging, which answers the whole zone.
// With rrtype set it asks for one host and type only, and filters the
// answer itself: the API ignores an unknown type and may read an empty
// host as no filter.
func (c *client) records(ctx context.Context, zone, host, rrtype string) ([]wireRecord, error) {
	params := map[string]any{"domain-name": zone}
	t := target{call: "records", zone: zone}
	if rrtype != "" {
		t.subject = subject(host, rrtype)
		params["type"] = rrtype
		if host != "" {
			params["host"] = host
		}
	}
	var body []byte
	if err := c.call(ctx, t, params, &body, nil); err != nil {
		return nil, err
	}
	recs, err := decodeRecords(body)
	if err != nil {
		return nil, &callError{t: t, err: fmt.Errorf("unexpected answer (%v): %s", err, snippet(c.scrub(string(body))))}
	}
	if rrtype == "" {
		return recs, nil
	}
	out := recs[:0]
	for _, r := range recs {
		if strings.EqualFold(string(r.Host), host) && strings.EqualFold(string(r.Type), rrtype) {
			out = append(out, r)
		}
	}
	return out, nil
}

// wholeRecords reads every record of a zone and checks the answer against
// get-records-count, so that an answer cut short but still well-formed
// JSON never reads as a zone missing records, which a plan would create
// again. Counts that differ may also be a change made between the two
// calls: both are read again, once, before the read fails.
func (c *client) wholeRecords(ctx context.Context, zone string) ([]wireRecord, error) {
	for try := 1; ; try++ {
		recs, err := c.records(ctx, zone, "", "")
		if err != nil {
			return nil, err
		}
		n, err := c.recordsCount(ctx, zone)
		if err != nil {
			return nil, err
		}
		if len(recs) == n {
			return recs, nil
		}
		if try == 2 {
			return nil, &callError{t: target{call: "records", zone: zone}, err: fmt.Errorf(
				"the answer holds %d records but get-records-count counts %d; not taking an incomplete answer for the zone", len(recs), n)}
		}
		providers.Logf(ctx, "cloudns: records in %s: %d read, %d counted; reading again", zone, len(recs), n)
	}
}

// recordsCount reads get-records-count.json: how many records the zone
// holds. Its answer was never captured: a bare number (as get-pages-count
// answers), a number in a string, or an object with a count are read.
func (c *client) recordsCount(ctx context.Context, zone string) (int, error) {
	t := target{call: "get-records-count", zone: zone}
	var body []byte
	if err := c.call(ctx, t, map[string]any{"domain-name": zone}, &body, nil); err != nil {
		return 0, err
	}
	var n num
	if err := json.Unmarshal(body, &n); err != nil {
		var obj struct {
			Count *num `json:"count"`
		}
		if json.Unmarshal(body, &obj) != nil || obj.Count == nil {
			return 0, &callError{t: t, err: fmt.Errorf("unexpected answer (not a count): %s", snippet(c.scrub(string(body))))}
		}
		n = *obj.Count
	}
	if n < 0 {
		return 0, &callError{t: t, err: fmt.Errorf("negative count %d", n)}
	}
	return int(n), nil
}

// subject names a record set in messages: "www A", "@ MX".
func subject(host, rrtype string) string {
	if host == "" {
		host = "@"
	}
	return host + " " + rrtype
}

func (c *client) soaDetails(ctx context.Context, zone string) (soaDetails, error) {
	var s soaDetails
	err := c.call(ctx, target{call: "soa-details", zone: zone}, map[string]any{"domain-name": zone}, &s, nil)
	return s, err
}

// modifySOA sends every field, as the API requires. Repeating it sets the
// same values again, so a retry is safe.
func (c *client) modifySOA(ctx context.Context, zone string, params map[string]any) error {
	params["domain-name"] = zone
	return c.call(ctx, target{call: "modify-soa", zone: zone}, params, nil, nil)
}

// addRecord adds one record and returns its id. landed finds the record
// when a try may have reached the server, so a retry never duplicates it.
func (c *client) addRecord(ctx context.Context, t target, params map[string]any, landed func(ctx context.Context) (string, error)) (string, error) {
	t.call = "add-record"
	var id string
	var ans addAnswer
	err := c.call(ctx, t, params, &ans, func(ctx context.Context) (bool, error) {
		found, err := landed(ctx)
		id = found
		return found != "", err
	})
	if err != nil {
		return "", err
	}
	if id != "" {
		return id, nil
	}
	if ans.Status != "Success" || ans.Data.ID == "" {
		return "", &callError{t: t, err: fmt.Errorf("the answer carries no record id (data.id)")}
	}
	return string(ans.Data.ID), nil
}

// modRecord rewrites one record. It sends the complete record, so a
// repeated call leaves the same state: retries need no check.
func (c *client) modRecord(ctx context.Context, t target, params map[string]any) error {
	t.call = "mod-record"
	return c.call(ctx, t, params, nil, nil)
}

// deleteRecord deletes one record; gone tells whether an earlier try already did.
func (c *client) deleteRecord(ctx context.Context, t target, id string, gone httpx.Landed) error {
	t.call = "delete-record"
	return c.call(ctx, t, map[string]any{"domain-name": t.zone, "record-id": id}, nil, gone)
}

// register creates a zone; exists tells whether an earlier try already did.
func (c *client) register(ctx context.Context, zone string, params map[string]any, exists httpx.Landed) error {
	params["domain-name"] = zone
	return c.call(ctx, target{call: "register", zone: zone}, params, nil, exists)
}

// masterServers lists a slave zone's masters by id.
func (c *client) masterServers(ctx context.Context, zone string) (map[string]string, error) {
	var body []byte
	t := target{call: "master-servers", zone: zone}
	if err := c.call(ctx, t, map[string]any{"domain-name": zone}, &body, nil); err != nil {
		return nil, err
	}
	m, err := decodeMasters(body)
	if err != nil {
		return nil, &callError{t: t, err: fmt.Errorf("unexpected answer (%v): %s", err, snippet(c.scrub(string(body))))}
	}
	return m, nil
}

func (c *client) addMasterServer(ctx context.Context, zone, ip string, exists httpx.Landed) error {
	t := target{call: "add-master-server", subject: ip, zone: zone}
	return c.call(ctx, t, map[string]any{"domain-name": zone, "master-ip": ip}, nil, exists)
}

func (c *client) deleteMasterServer(ctx context.Context, zone, ip, id string, gone httpx.Landed) error {
	t := target{call: "delete-master-server", subject: ip, zone: zone}
	return c.call(ctx, t, map[string]any{"domain-name": zone, "master-id": id}, nil, gone)
}

func (c *client) failoverSettings(ctx context.Context, t target, id string) (wireFailover, error) {
	t.call = "failover-settings"
	var w wireFailover
	err := c.call(ctx, t, map[string]any{"domain-name": t.zone, "record-id": id}, &w, nil)
	return w, err
}

// failover calls failover-activate, -modify or -deactivate. Modify sends
// the full settings, so repeating it is safe; activate and deactivate
// check the record's failover flag before a retry.
func (c *client) failover(ctx context.Context, t target, call string, params map[string]any, landed httpx.Landed) error {
	t.call = call
	return c.call(ctx, t, params, nil, landed)
}
