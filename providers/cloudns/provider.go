// Package cloudns is the ClouDNS provider: it reads and changes zones
// through the ClouDNS HTTP API (api.cloudns.net), one record id at a time.
//
// The API answers HTTP 200 for everything; a {"status":"Failed"} body is an
// error quoting ClouDNS's description. See README.md for the settings, the
// capabilities and how each plan action maps to API calls.
package cloudns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

// mixedTTL is the TTL of a record set whose records have different TTLs;
// it is below every TTL ClouDNS accepts, so it always differs from a spec.
const mixedTTL = 0

// The Provider contract and the optional abilities this provider has.
var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.Checker          = (*Provider)(nil)
	_ providers.OperationChecker = (*Provider)(nil)
)

// Provider is a ClouDNS account.
type Provider struct {
	c *client

	// idx holds the record ids, per zone, that ReadZone read and Apply
	// keeps current.
	idx index
	// types saves a get-zone-info call per zone when many are read.
	types zoneTypes
}

func newProvider(c *client) *Provider {
	return &Provider{c: c}
}

// ListZones reads every page of the account's zones and checks them
// against the account's zone count (get-zones-stats): a page cut short,
// or pages that repeat zones, must not pass for the whole list. Counts
// that differ may also be a zone added or removed meanwhile: the list is
// read again, once, before the listing fails.
func (p *Provider) ListZones(ctx context.Context) ([]string, error) {
	for try := 1; ; try++ {
		rows, err := p.c.listZones(ctx, 0)
		if err != nil {
			return nil, err
		}
		total, err := p.c.zonesCount(ctx)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		var zones []string
		for _, r := range rows {
			name := model.NormalizeZone(string(r.Name))
			if name != "" && !seen[name] {
				seen[name] = true
				zones = append(zones, name)
			}
		}
		if len(zones) == total {
			p.types.learn(rows)
			sort.Strings(zones)
			return zones, nil
		}
		if try == 2 {
			return nil, fmt.Errorf("cloudns: list-zones: %d zones listed but get-zones-stats counts %d; not taking an incomplete list for the account's zones", len(zones), total)
		}
		providers.Logf(ctx, "cloudns: list-zones: %d listed, %d counted; listing again", len(zones), total)
	}
}

// ReadZone reads a zone's type, then a master zone's records, SOA and the
// failover of every monitored record, or a slave zone's master servers.
// It leaves out the soa-details call when opt allows, and the first read
// of a run (opt.Run) learns every zone's type from the zone list when
// that takes fewer calls. The zone's record ids replace its entry in the
// provider's index; a zone that is not there leaves none.
func (p *Provider) ReadZone(ctx context.Context, zone string, opt providers.ReadOptions) (*model.Zone, error) {
	p.types.expect(opt.Run)
	zone = model.NormalizeZone(zone)
	z, ids, err := p.readZone(ctx, zone, opt)
	if errors.Is(err, providers.ErrZoneNotFound) {
		p.idx.replace(zone, nil)
	}
	if err != nil {
		return nil, err
	}
	p.idx.replace(zone, ids)
	return z, nil
}

// readZone reads a zone into the model and its record ids into an index entry.
func (p *Provider) readZone(ctx context.Context, zone string, opt providers.ReadOptions) (*model.Zone, *zoneRecords, error) {
	typ, err := p.zoneType(ctx, zone)
	if err != nil {
		return nil, nil, err
	}
	z := &model.Zone{Name: zone}
	switch typ {
	case "slave":
		z.Mode = model.Slave
		masters, err := p.c.masterServers(ctx, zone)
		if err != nil {
			return nil, nil, err
		}
		z.Masters, err = canonicalMasters(masters)
		if err != nil {
			return nil, nil, fmt.Errorf("cloudns: master-servers in %s: %v", zone, err)
		}
		return z, newZoneRecords(), nil
	case "master":
		z.Mode = model.Master
	default:
		return nil, nil, fmt.Errorf("cloudns: get-zone-info in %s: zone type %q is not one zonesync manages (master or slave)", zone, typ)
	}
	recs, err := p.c.wholeRecords(ctx, zone)
	if err != nil {
		return nil, nil, err
	}
	if !opt.SkipSOA {
		soa, err := p.c.soaDetails(ctx, zone)
		if err != nil {
			return nil, nil, err
		}
		z.SOA = modelSOA(soa)
	}
	sets, ids, err := p.recordSets(ctx, zone, recs)
	if err != nil {
		return nil, nil, err
	}
	z.Records = sets
	z.SortRecords()
	return z, ids, nil
}

// zoneType is a zone's type, from the zone list when a run listed it, else
// from get-zone-info.
func (p *Provider) zoneType(ctx context.Context, zone string) (string, error) {
	if typ, ok := p.types.lookup(ctx, p.c, zone); ok {
		return typ, nil
	}
	info, err := p.c.zoneInfo(ctx, zone)
	if isAPIError(err, "Missing domain-name") {
		return "", fmt.Errorf("%w: %w", err, providers.ErrZoneNotFound)
	}
	if err != nil {
		return "", err
	}
	return string(info.Type), nil
}

// recordSets groups records into the model's record sets, reading the
// failover settings of every record that has failover on, and returns
// their ids as the zone's index entry.
func (p *Provider) recordSets(ctx context.Context, zone string, recs []wireRecord) ([]*model.RecordSet, *zoneRecords, error) {
	ids := newZoneRecords()
	bySet := map[setKey]*model.RecordSet{}
	fo := map[setKey][]recordFailover{}
	for _, r := range recs {
		rrtype := strings.ToUpper(string(r.Type))
		if !slices.Contains(RecordTypes, rrtype) {
			// WR, ALIAS, RP, ...: not in the model, never touched.
			continue
		}
		name := hostName(string(r.Host))
		value, err := modelValue(r)
		if err != nil {
			return nil, nil, fmt.Errorf("cloudns: records in %s: record %s (%s %s): %v", zone, r.ID, name, rrtype, err)
		}
		if r.TTL < 0 || r.TTL > model.MaxTTL {
			return nil, nil, fmt.Errorf("cloudns: records in %s: record %s (%s %s): ttl %d is out of range", zone, r.ID, name, rrtype, r.TTL)
		}
		key := setKey{name: name, rrtype: rrtype}
		rs, set := bySet[key], ids.sets[key]
		if rs == nil {
			rs = &model.RecordSet{Name: name, Type: rrtype, TTL: uint32(r.TTL)}
			set = &setRecords{ids: map[string]string{}}
			bySet[key], ids.sets[key] = rs, set
		}
		if rs.TTL != uint32(r.TTL) {
			// One TTL per set: records that disagree (changed outside
			// zonesync, or an update cut short) read as mixedTTL, which no
			// spec can hold, so the plan rewrites every record of the set.
			rs.TTL = mixedTTL
		}
		if _, dup := set.ids[value]; !dup {
			rs.Values = append(rs.Values, value)
			set.ids[value] = string(r.ID)
		} else {
			// ClouDNS holds the same value twice (a create that landed late,
			// or a change outside zonesync). Values are a set, so the model
			// cannot show it: keep the extra record's id for the update that
			// removes it, and read the set as mixedTTL so that update is planned.
			set.duplicates = append(set.duplicates, string(r.ID))
			rs.TTL = mixedTTL
		}
		rf := recordFailover{value: value}
		if r.Failover != 0 {
			w, err := p.c.failoverSettings(ctx, target{subject: subject(string(r.Host), rrtype), zone: zone}, string(r.ID))
			if err != nil {
				return nil, nil, err
			}
			ids.monitored[string(r.ID)] = unmodeled(w)
			if rf.failover, rf.mainIP, err = modelFailover(w); err != nil {
				return nil, nil, fmt.Errorf("cloudns: failover-settings %s in %s: %v", subject(string(r.Host), rrtype), zone, err)
			}
		}
		fo[key] = append(fo[key], rf)
	}
	out := make([]*model.RecordSet, 0, len(bySet))
	for key, rs := range bySet {
		rs.SetValues(rs.Values)
		rs.Failover = setFailover(fo[key])
		set := ids.sets[key]
		set.ttl, set.failover = rs.TTL, rs.Failover
		slices.Sort(set.duplicates)
		out = append(out, rs)
	}
	return out, ids, nil
}

// modelSOA reads soa-details into the model: the primary NS as an
// absolute name, default-ttl as minimum.
func modelSOA(s soaDetails) *model.SOA {
	ns := strings.ToLower(strings.TrimSuffix(string(s.PrimaryNS), "."))
	if ns != "" {
		ns += "."
	}
	mail := string(s.AdminMail)
	if m, err := model.ParseAdminMail(mail); err == nil {
		mail = m
	}
	return &model.SOA{PrimaryNS: ns, AdminMail: mail, Serial: uint32(s.SerialNumber),
		Refresh: uint32(s.Refresh), Retry: uint32(s.Retry), Expire: uint32(s.Expire), Minimum: uint32(s.DefaultTTL)}
}

// canonicalMasters returns master IPs in the model's sorted canonical form.
func canonicalMasters(byID map[string]string) ([]string, error) {
	out := make([]string, 0, len(byID))
	for id, ip := range byID {
		a, err := netip.ParseAddr(strings.TrimSpace(ip))
		if err != nil {
			return nil, fmt.Errorf("master %s: %q is not an IP address", id, ip)
		}
		out = append(out, a.String())
	}
	sort.Strings(out)
	return out, nil
}

// CheckAccess logs in (login.json), the API's own test of credentials:
// one call tells a wrong password or an unreachable endpoint before any
// zone is read. https://www.cloudns.net/wiki/article/45/
func (p *Provider) CheckAccess(ctx context.Context, zone string) error {
	return p.c.call(ctx, target{call: "login"}, nil, nil, nil)
}
