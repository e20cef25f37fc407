// Package plesk is the provider for Plesk's XML API ("XML-RPC", agent.php),
// through its dns operator.
//
// Plesk keeps a DNS zone per site (a domain). The provider finds the site
// by the zone's name, reads and writes the zone by site-id, and addresses
// records by id. Plesk has no modify call and no TTL per record: an update
// is add_rec + del_rec, and the zone's one TTL is its SOA ttl. Independent
// operations of one zone share a packet; every result element of Plesk's
// answer is mapped back to its operation.
package plesk

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
)

func init() {
	providers.Register(Type, func(cfg *config.ProviderConfig) (providers.Provider, error) {
		return factory(cfg)
	})
}

// The Provider contract and the optional abilities this provider has.
var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.Checker          = (*Provider)(nil)
	_ providers.OperationChecker = (*Provider)(nil)
)

// Provider is a Plesk server's DNS zones.
type Provider struct {
	c *client
	// index keeps each zone's site and record ids, for Apply.
	index *index
}

// New builds a provider from settings, as zonesync.yaml would; it does not
// touch the network.
func New(s Settings) (*Provider, error) {
	c, err := s.resolve()
	if err != nil {
		return nil, err
	}
	return newProvider(c), nil
}

func newProvider(c *clientConfig) *Provider {
	return &Provider{c: newClient(c), index: newIndex()}
}

// HTTP returns the provider's HTTP plumbing, so that tests can shorten its
// backoff.
func (p *Provider) HTTP() *httpx.Client { return p.c.http }

// RecordTypes are the types the notes evidence for add_rec: the 2014
// schema's enum (A, AAAA, CNAME, MX, NS, TXT, SRV, PTR) and DS from the
// 12.5+ docs. CAA, TLSA and the rest are not evidenced, so a spec asking
// for them is refused at validate time instead of failing at apply.
var RecordTypes = []string{"A", "AAAA", "CNAME", "DS", "MX", "NS", "PTR", "SRV", "TXT"}

// Capabilities: one TTL per zone (the SOA ttl), SOA timers but not its
// names, slave zones and switching, no zone creation and no failover.
// The API documents no SOA ranges, so none are enforced here. A TXT
// record's value is one unquoted text, so its string boundaries cannot be
// held (TXTStrings false). A TXT record may hold empty text; an MX or SRV
// record may not point at ".":
// Plesk takes only a host name as the mail server or target, so a null MX
// is refused at validate instead of at add_rec.
func (p *Provider) Capabilities() model.Capabilities {
	return model.Capabilities{
		RecordTypes: RecordTypes,
		ZoneTTL:     true,
		Slave:       true,
		SwitchMode:  true,
		SOA:         []string{"refresh", "retry", "expire", "minimum"},
		ApexNS:      true,
		Batch:       true,
		EmptyTXT:    true,
		RootTarget:  false,
	}
}

// ListZones lists the sites the login can see; each site has its zone.
func (p *Provider) ListZones(ctx context.Context) ([]string, error) {
	ops, err := p.c.read(ctx, request{operator: "site", ops: []operation{getSites{}}})
	if err != nil {
		return nil, fmt.Errorf("plesk: list sites: %w", err)
	}
	var zones []string
	for _, r := range ops[0].results {
		if err := r.err(); err != nil {
			return nil, fmt.Errorf("plesk: list sites: %w", err)
		}
		if name := siteName(r); name != "" {
			zones = append(zones, name)
		}
	}
	sort.Strings(zones)
	return slices.Compact(zones), nil
}

// siteName is the zone name of a site/get result: the ASCII (punycode)
// name when Plesk gives one.
func siteName(r result) string {
	if r.Data == nil || r.Data.GenInfo == nil {
		return ""
	}
	name := r.Data.GenInfo.ASCIIName
	if name == "" {
		name = r.Data.GenInfo.Name
	}
	return normalizeZone(name)
}

func normalizeZone(zone string) string {
	return model.NormalizeZone(zone)
}

// lookupSite finds the site that holds zone, and remembers it.
func (p *Provider) lookupSite(ctx context.Context, zone string) (siteID, error) {
	q := getSites{}
	q.Filter.Names = []string{zone}
	ops, err := p.c.read(ctx, request{operator: "site", ops: []operation{q}})
	if err != nil {
		return 0, fmt.Errorf("plesk: find site %s: %w", zone, err)
	}
	for _, r := range ops[0].results {
		if err := r.err(); err != nil {
			if hasCode(err, codeObjectNotFound) {
				return 0, fmt.Errorf("plesk: no site %s: %w", zone, providers.ErrZoneNotFound)
			}
			return 0, fmt.Errorf("plesk: find site %s: %w", zone, err)
		}
		if siteName(r) != zone {
			continue
		}
		id, err := parseID(r.ID)
		if err != nil {
			return 0, fmt.Errorf("plesk: find site %s: %w", zone, err)
		}
		p.index.setSite(zone, siteID(id))
		return siteID(id), nil
	}
	return 0, fmt.Errorf("plesk: no site %s: %w", zone, providers.ErrZoneNotFound)
}

// siteFor returns the site of a zone, from the index when it was looked up
// before.
func (p *Provider) siteFor(ctx context.Context, zone string) (siteID, error) {
	if id, ok := p.index.site(zone); ok {
		return id, nil
	}
	return p.lookupSite(ctx, zone)
}

// ReadZone reads a zone's records, SOA, type, status and master servers
// in one packet, after finding its site, and replaces the zone's record
// ids in the index with the ones read.
func (p *Provider) ReadZone(ctx context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	zone = normalizeZone(zone)
	site, err := p.lookupSite(ctx, zone)
	if err != nil {
		return nil, err
	}
	f := siteFilter{SiteID: site}
	ops, err := p.c.read(ctx, request{operator: "dns", ops: []operation{getRec{Filter: f}, getZone{Filter: f}, getMasters{Filter: f}}})
	if err != nil {
		return nil, fmt.Errorf("plesk: read zone %s: %w", zone, err)
	}
	z := &model.Zone{Name: zone}
	if err := readZoneInfo(z, ops[1].results); err != nil {
		return nil, p.readError(zone, "get", err)
	}
	ids, err := readRecords(zone, ops[0].results)
	if err != nil {
		return nil, p.readError(zone, "get_rec", err)
	}
	ids.fill(z)
	masters, err := readMasters(ops[2].results)
	if err != nil {
		return nil, p.readError(zone, "get_master_server", err)
	}
	for _, m := range masters {
		z.Masters = append(z.Masters, m.ip)
	}
	sort.Strings(z.Masters)
	z.Masters = slices.Compact(z.Masters)
	p.index.replace(zone, site, ids)
	return z, nil
}

// readError names the call; a site that vanished is a missing zone.
func (p *Provider) readError(zone, call string, err error) error {
	if hasCode(err, codeOwnerNotFound) {
		p.index.forget(zone)
		return fmt.Errorf("plesk: %s %s: %w (%w)", call, zone, err, providers.ErrZoneNotFound)
	}
	return fmt.Errorf("plesk: %s %s: %w", call, zone, err)
}

// readZoneInfo fills the mode, TTL and SOA from get's one result.
func readZoneInfo(z *model.Zone, results []result) error {
	if len(results) != 1 {
		return fmt.Errorf("%d results, want 1", len(results))
	}
	r := results[0]
	if err := r.err(); err != nil {
		return err
	}
	switch r.ZoneType {
	case "master":
		z.Mode = model.Master
	case "slave":
		z.Mode = model.Slave
	default:
		return fmt.Errorf("zone_type %q is neither master nor slave", r.ZoneType)
	}
	// A disabled zone is not served: planning changes to it would report
	// success for records nobody can query.
	if r.ZoneStatus != "enabled" {
		return fmt.Errorf("the zone's status is %q, not enabled; enable its DNS zone in Plesk before zonesync manages it", r.ZoneStatus)
	}
	if r.SOA == nil || r.SOA.TTL == nil {
		return errors.New("no SOA ttl in the answer")
	}
	z.TTL = *r.SOA.TTL
	z.SOA = &model.SOA{}
	for _, f := range []struct {
		dst *uint32
		src *uint32
	}{{&z.SOA.Refresh, r.SOA.Refresh}, {&z.SOA.Retry, r.SOA.Retry}, {&z.SOA.Expire, r.SOA.Expire}, {&z.SOA.Minimum, r.SOA.Minimum}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	return nil
}

// readRecords maps get_rec's results to the ids of the records holding
// each value. Records of types a spec cannot declare are left out.
func readRecords(zone string, results []result) (recordIDs, error) {
	ids := recordIDs{}
	for _, r := range results {
		if err := r.err(); err != nil {
			return nil, err
		}
		if r.Data == nil {
			return nil, fmt.Errorf("record id %s has no data", r.ID)
		}
		id, err := parseID(r.ID)
		if err != nil {
			return nil, err
		}
		name, rrtype, value, skip, err := fromWire(zone, *r.Data)
		if err != nil {
			return nil, fmt.Errorf("record id %d: %w", id, err)
		}
		if !skip {
			k := recordKey{name, rrtype, value}
			ids[k] = append(ids[k], id)
		}
	}
	return ids, nil
}

// master is one master-server entry of a zone.
type master struct {
	id recordID
	ip string // canonical
}

// readMasters maps get_master_server's results.
func readMasters(results []result) ([]master, error) {
	var out []master
	for _, r := range results {
		if err := r.err(); err != nil {
			return nil, err
		}
		id, err := parseID(r.ID)
		if err != nil {
			return nil, err
		}
		ip, err := netip.ParseAddr(strings.TrimSpace(r.IPAddress))
		if err != nil {
			return nil, fmt.Errorf("master server id %d: ip_address %q is not an IP address", id, r.IPAddress)
		}
		out = append(out, master{id: id, ip: ip.String()})
	}
	return out, nil
}

// CheckAccess looks up the site of a zone of the run, which the zone's
// read would do first anyway (the site is remembered): a packet refused
// for its credentials, or no answer at all, stops the run's use of this
// Plesk before any zone is read. A zone without a site is no access
// problem; its read reports it.
func (p *Provider) CheckAccess(ctx context.Context, zone string) error {
	_, err := p.siteFor(ctx, normalizeZone(zone))
	if errors.Is(err, providers.ErrZoneNotFound) {
		return nil
	}
	return err
}
