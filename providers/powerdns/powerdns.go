// Package powerdns is the provider for PowerDNS Authoritative Server, by
// its HTTP API: zones are read with one GET each, and all of a zone's
// record changes go to the server in one PATCH of its RRsets, which the
// server carries out as one transaction with one serial bump (a very
// large change in a few PATCHes of bounded size). Zones can be created
// as Master, Native or Slave, switched between master and slave, and
// signed with DNSSEC or unsigned.
//
// README.md beside this file says which facts come from PowerDNS's
// documentation and which were measured against a real server.
package powerdns

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// The Provider contract and the optional abilities this provider has.
var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.Checker          = (*Provider)(nil)
	_ providers.OperationChecker = (*Provider)(nil)
	_ providers.DSReader         = (*Provider)(nil)
)

// Provider syncs zones with one PowerDNS Authoritative Server.
type Provider struct {
	client *client
	// masterKind is the kind of the master zones zonesync makes.
	masterKind string

	mu sync.Mutex
	// zones is the per-zone index: what the last read of each zone
	// learnt that Apply needs and the model does not hold.
	zones map[string]*zoneIndex
}

// zoneIndex is what Apply needs of a zone besides the model: the
// disabled records of each RRset (a REPLACE must carry them, or they
// would be lost), the SOA as the server holds it, and the zone's kind
// and signing state. ReadZone replaces it; Apply updates it.
type zoneIndex struct {
	kind      string
	dnssec    bool
	presigned bool
	// soa is the SOA RRset as read (TTL and content), nil when the zone
	// has none.
	soa *wireRRset
	// disabled maps "owner. TYPE" to the RRset's disabled records.
	disabled map[string][]wireRecord
}

// RecordTypes are the record types zonesync manages at PowerDNS: the
// types PowerDNS serves from a database that miekg/dns also knows, less
// the SOA (update_soa) and the DNSSEC records the server makes itself.
var RecordTypes = []string{
	"A", "AAAA", "AFSDB", "CAA", "CERT", "CNAME", "DHCID", "DNAME", "DS", "EUI48", "EUI64", "HINFO",
	"HTTPS", "KEY", "LOC", "MX", "NAPTR", "NS", "OPENPGPKEY", "PTR", "RP", "SMIMEA", "SPF", "SRV",
	"SSHFP", "SVCB", "TLSA", "TXT", "URI",
}

// Capabilities: the record types above with a TTL per record set, every
// SOA field but the serial (the server's SOA-EDIT-API owns it), the apex
// NS records, master, native and slave zones and switches between them,
// zone creation, and DNSSEC. A call carries many operations (Batch) and
// is one transaction (Transaction): a zone's changes go in one PATCH.
// TXT content keeps its strings; empty TXT and "." targets are data like
// any other.
func (p *Provider) Capabilities() zsmodel.Capabilities {
	return zsmodel.Capabilities{
		RecordTypes: RecordTypes,
		Slave:       true,
		SwitchMode:  true,
		CreateZone:  true,
		SOA:         zsmodel.SOAFields,
		ApexNS:      true,
		Batch:       true,
		Transaction: true,
		TXTStrings:  true,
		EmptyTXT:    true,
		RootTarget:  true,
		DNSSEC:      true,
	}
}

// CheckAccess reads the server object: a wrong endpoint, API key or
// server id, or a client address the server's webserver-allow-from does
// not let in, fails here once instead of once per zone.
func (p *Provider) CheckAccess(ctx context.Context, _ string) error {
	if err := p.client.serverInfo(ctx); err != nil {
		return accessError(err)
	}
	return nil
}

// accessError says what a refused first call most likely means.
func accessError(err error) error {
	var e *APIError
	if errors.As(err, &e) {
		switch e.Status {
		case 401, 403:
			return fmt.Errorf("%w (the server refuses the API key: api_key must be the server's api-key setting)", err)
		case 404:
			return fmt.Errorf("%w (no such server: server_id must be the id in the API's paths, localhost for PowerDNS Authoritative, and endpoint the API's base URL without /api/v1)", err)
		}
	}
	return err
}

// ListZones lists the server's zones, sorted.
func (p *Provider) ListZones(ctx context.Context) ([]string, error) {
	zones, err := p.client.listZones(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(zones))
	for _, z := range zones {
		out = append(out, canonicalZone(z.Name))
	}
	sort.Strings(out)
	return slices.Compact(out), nil
}

// canonicalZone spells a zone as the model does: lower case, no
// trailing dot, in ASCII.
func canonicalZone(zone string) string { return zsmodel.NormalizeZone(zone) }

// index returns a copy of the zone's index, nil when no read filled it:
// the caller reads it while other calls for the zone may change the
// index itself.
func (p *Provider) index(zone string) *zoneIndex {
	p.mu.Lock()
	defer p.mu.Unlock()
	ix := p.zones[zone]
	if ix == nil {
		return nil
	}
	c := *ix
	c.disabled = maps.Clone(ix.disabled)
	return &c
}

// setIndex replaces the zone's index.
func (p *Provider) setIndex(zone string, ix *zoneIndex) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.zones[zone] = ix
}

// update changes the zone's index under the lock, creating it if needed.
func (p *Provider) update(zone string, f func(ix *zoneIndex)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ix := p.zones[zone]
	if ix == nil {
		ix = &zoneIndex{disabled: map[string][]wireRecord{}}
		p.zones[zone] = ix
	}
	f(ix)
}

// CheckOperation refuses what PowerDNS cannot do, or zonesync will not do
// there. Plan calls it while the plan is reviewed, Apply before it sends
// anything.
func (p *Provider) CheckOperation(live *zsmodel.Zone, op *plan.Operation) error {
	zone := canonicalZone(live.Name)
	if err := providers.CapabilityProblem(p.Capabilities(), zone, op); err != nil {
		return fmt.Errorf("powerdns: %w", err)
	}
	switch op.Action {
	case plan.CreateZone, plan.SwitchMode:
		if op.After != nil && op.After.Mode == zsmodel.Slave && len(op.After.Masters) == 0 {
			return fmt.Errorf("powerdns: zone %s: %s: a slave zone needs masters", zone, op.Action)
		}
	case plan.EnableDNSSEC, plan.DisableDNSSEC:
		if ix := p.index(zone); ix != nil && ix.presigned {
			return fmt.Errorf("powerdns: zone %s: %s: the zone is presigned (its signatures come from elsewhere); sign or unsign it where it is signed", zone, op.Action)
		}
	case plan.Create, plan.Update, plan.Delete:
		if op.Type == "SOA" {
			return fmt.Errorf("powerdns: zone %s: %s %s SOA: the SOA is changed with the spec's soa key", zone, op.Action, op.Name)
		}
	}
	return nil
}

// ownerKey is the key of an RRset in the index: absolute owner and type.
func ownerKey(owner, rrtype string) string { return strings.ToLower(owner) + " " + rrtype }
