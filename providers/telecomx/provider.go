// Package telecomx is the Telecom X provider: the REST API at
// api.telecomx.dk, where a domain has one TTL and records have no id (they
// are addressed by name, type and rData).
//
// The API's wire format, and the guesses made where its documentation is
// silent, are described in README.md beside this file.
package telecomx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// MinTTL is the lowest zone TTL zonesync lets a spec ask for. The API
// documents no range (only the default 86400); 60 is a guess.
const MinTTL = 60

// The Provider contract and the optional abilities this provider has.
var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.Checker          = (*Provider)(nil)
	_ providers.OperationChecker = (*Provider)(nil)
)

// Provider syncs zones with Telecom X.
type Provider struct {
	client  *Client
	product string
	// index holds, per zone, the API's records of each value, which
	// changes and deletes address them by.
	index index
}

// New builds a provider from its settings without touching the network.
func New(s Settings) (*Provider, error) {
	if _, msg := s.problem(); msg != "" {
		return nil, fmt.Errorf("telecomx: %s", msg)
	}
	h, err := s.Settings.Resolve(httpDefaults)
	if err != nil {
		return nil, fmt.Errorf("telecomx: %v", err)
	}
	return &Provider{client: newClient(s, h), product: s.Product}, nil
}

// Capabilities: the seven documented record types, one TTL per zone, no
// SOA, failover or slave zones. Apex NS records are editable like any
// other: the API lists them among the domain's records. TXT rData is a
// list of quoted strings, so a record's string boundaries are kept; it may
// be an empty quoted string, and "." is a target like any host name.
func (p *Provider) Capabilities() model.Capabilities {
	return model.Capabilities{
		RecordTypes: RecordTypes,
		ZoneTTL:     true,
		MinTTL:      MinTTL,
		CreateZone:  true,
		ApexNS:      true,
		TXTStrings:  true,
		EmptyTXT:    true,
		RootTarget:  true,
	}
}

// ListZones lists the configured customer's domains, every page of them.
// A list that does not add up to its total (a domain added or removed
// between pages, or pages cut or repeated) is read again, once.
func (p *Provider) ListZones(ctx context.Context) ([]string, error) {
	domains, err := p.client.ListDomains(ctx, false)
	if errors.Is(err, errIncompleteList) {
		providers.Logf(ctx, "telecomx: %v; listing again", err)
		domains, err = p.client.ListDomains(ctx, false)
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	zones := make([]string, 0, len(domains))
	for _, d := range domains {
		name := normalizeZone(d.ID)
		if name == "" {
			return nil, fmt.Errorf("telecomx: GET /dns: the answer lists a domain without _id")
		}
		if !seen[name] {
			seen[name] = true
			zones = append(zones, name)
		}
	}
	sort.Strings(zones)
	return zones, nil
}

// ReadZone reads a domain with its records and TTL, and checks the
// records against the count the domain list reports for it: an answer cut
// short but still well-formed JSON must not read as a zone missing
// records, which a plan would create again. Counts that differ may also be
// a change made between the two calls: both are read again, once, before
// the read fails. The records read replace the zone's entry in the index.
func (p *Provider) ReadZone(ctx context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	zone = normalizeZone(zone)
	z, recs, err := p.readZone(ctx, zone)
	switch {
	case err == nil:
		p.index.replace(zone, recs)
	case isNotFound(err):
		p.index.replace(zone, nil)
	}
	return z, err
}

// readZone reads a zone and the records that hold each of its values.
func (p *Provider) readZone(ctx context.Context, zone string) (*model.Zone, zoneRecords, error) {
	for try := 1; ; try++ {
		d, err := p.client.GetDomain(ctx, zone)
		if err != nil {
			return nil, nil, err
		}
		// An answer that is not this domain's object (an empty {} from a proxy,
		// say) must not read as an empty zone.
		if got := normalizeZone(d.ID); got != zone {
			return nil, nil, fmt.Errorf("telecomx: GET %s: the answer is for domain %q, not %s", domainPath(zone), got, zone)
		}
		if d.Records == nil && !d.Full && d.RecordCount > 0 {
			return nil, nil, fmt.Errorf("telecomx: GET %s: the answer holds a record count, not the records", domainPath(zone))
		}
		n, listed, err := p.client.recordCount(ctx, zone)
		if err != nil {
			return nil, nil, err
		}
		if !listed {
			providers.Logf(ctx, "telecomx: %s is not in the domain list; its records are not checked against a count", zone)
		}
		if !listed || n == len(d.Records) {
			return zoneModel(zone, d)
		}
		if try == 2 {
			return nil, nil, fmt.Errorf("telecomx: GET %s: the answer holds %d records but the domain list counts %d; not taking an incomplete answer for the zone", domainPath(zone), len(d.Records), n)
		}
		providers.Logf(ctx, "telecomx: GET %s: %d records read, %d counted; reading again", domainPath(zone), len(d.Records), n)
	}
}

// normalizeZone writes a zone name as the model and the API key it: lower
// case, no trailing dot.
func normalizeZone(zone string) string {
	return model.NormalizeZone(zone)
}

// Apply carries out operations one by one; see apply.go. live is only
// read: what Apply changes at the API goes into the provider's index.
func (p *Provider) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	zone := normalizeZone(live.Name)
	errs := make([]error, len(ops))
	for i, op := range ops {
		if err := p.CheckOperation(live, op); err != nil {
			errs[i] = err
			continue
		}
		errs[i] = p.apply(ctx, zone, op)
	}
	return errs
}

// CheckOperation refuses what Telecom X cannot do: plan calls it while the
// plan is reviewed, Apply before every call.
func (p *Provider) CheckOperation(live *model.Zone, op *plan.Operation) error {
	zone := normalizeZone(live.Name)
	switch op.Action {
	case plan.CreateZone:
		if op.After != nil && op.After.Mode == model.Slave {
			return fmt.Errorf("telecomx: zone %s: Telecom X has no slave zones", zone)
		}
		return nil
	case plan.UpdateTTL:
		return nil
	case plan.Delete:
		return nil
	case plan.Create, plan.Update:
		if !slices.Contains(RecordTypes, op.Type) {
			return fmt.Errorf("telecomx: zone %s: %s %s: telecomx cannot hold %s records (it supports %s)", zone, op.Name, op.Type, op.Type, strings.Join(RecordTypes, ", "))
		}
		return nil
	}
	return fmt.Errorf("telecomx: zone %s: %s is not something Telecom X can do", zone, op.Action)
}

// CheckAccess reads the first domain of the list: it logs in first when
// the config has a username and password, so that one call tells a wrong
// password, token or customer, or an unreachable endpoint, before any
// zone is read.
func (p *Provider) CheckAccess(ctx context.Context, zone string) error {
	if _, err := p.client.listPage(ctx, 0, 1, false, ""); err != nil {
		return err
	}
	return nil
}
