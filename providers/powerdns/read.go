package powerdns

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/miekg/dns"
	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

// ReadZone reads a zone with one GET: kind, masters, SOA and RRsets, and
// for a signed zone its keys' DS records with a second. It fills the
// zone's index with what Apply needs: the disabled records of each RRset
// and the SOA as the server holds it.
//
// What the server holds but does not serve stays out of the model, and
// zonesync leaves it alone: disabled records (a set of only disabled
// records is no set at all), comments, and the DNSSEC records the server
// makes. Records of types miekg/dns does not know (PowerDNS's ALIAS and
// LUA) stay out too, with a log line: zonesync can neither show nor
// write them.
func (p *Provider) ReadZone(ctx context.Context, zone string, _ providers.ReadOptions) (*zsmodel.Zone, error) {
	zone = canonicalZone(zone)
	w, err := p.client.getZone(ctx, zone)
	if err != nil {
		return nil, err
	}
	z, ix, err := model(ctx, zone, w)
	if err != nil {
		return nil, err
	}
	if w.DNSSEC && !w.Presigned {
		if z.DS, err = p.DS(ctx, zone); err != nil {
			return nil, err
		}
	}
	p.setIndex(zone, ix)
	return z, nil
}

// soaEditAPIWarning is the warning a zone without SOA-EDIT-API gets.
func soaEditAPIWarning(zone string) string {
	return fmt.Sprintf("%s: the zone has no SOA-EDIT-API setting at the PowerDNS server, so changes made through its API do not bump the SOA serial "+
		"and secondaries never transfer them; set it: pdnsutil set-meta %s SOA-EDIT-API DEFAULT", zone, zone)
}

// model turns a zone read from the API into the live model and its index.
func model(ctx context.Context, zone string, w *wireZone) (*zsmodel.Zone, *zoneIndex, error) {
	if got := canonicalZone(w.Name); got != zone {
		return nil, nil, fmt.Errorf("powerdns: zone %s: the server's answer is for zone %q, not %s", zone, w.Name, zone)
	}
	signed := w.DNSSEC
	z := &zsmodel.Zone{Name: zone, Mode: modeOf(w.Kind), DNSSEC: &signed}
	if z.Mode == zsmodel.Master && w.SOAEditAPI != nil && *w.SOAEditAPI == "" {
		z.Warnings = append(z.Warnings, soaEditAPIWarning(zone))
	}
	if z.Mode == zsmodel.Slave {
		z.Masters = append([]string(nil), w.Masters...)
		// The model's masters are sorted (model.Zone); the API keeps the order given.
		sort.Strings(z.Masters)
	}
	ix := &zoneIndex{kind: w.Kind, dnssec: w.DNSSEC, presigned: w.Presigned, disabled: map[string][]wireRecord{}}
	seen := make(map[string]*zsmodel.RecordSet, len(w.RRsets))
	for i := range w.RRsets {
		rs := &w.RRsets[i]
		owner := zsmodel.Fqdn(rs.Name)
		name, inside := zsmodel.RelativeName(owner, zone)
		if !inside {
			return nil, nil, fmt.Errorf("powerdns: zone %s: the server's answer holds %s, which is outside the zone", zone, rs.Name)
		}
		rrtype := strings.ToUpper(rs.Type)
		var enabled []string
		for _, r := range rs.Records {
			if r.Disabled {
				ix.disabled[ownerKey(owner, rrtype)] = append(ix.disabled[ownerKey(owner, rrtype)], r)
				continue
			}
			enabled = append(enabled, r.Content)
		}
		ttl := uint32(0)
		if rs.TTL != nil {
			ttl = *rs.TTL
		}
		if rrtype == "SOA" && name == zsmodel.Apex {
			if len(enabled) != 1 {
				return nil, nil, fmt.Errorf("powerdns: zone %s: the zone has %d SOA records", zone, len(enabled))
			}
			soa, err := soaModel(owner, ttl, enabled[0])
			if err != nil {
				return nil, nil, fmt.Errorf("powerdns: zone %s: the server's answer: %w", zone, err)
			}
			z.SOA = soa
			ix.soa = &wireRRset{Name: owner, Type: "SOA", TTL: rs.TTL, Records: []wireRecord{{Content: enabled[0]}}}
			continue
		}
		if len(enabled) == 0 {
			continue // comments only, or disabled records only: nothing served
		}
		if _, known := dns.StringToType[rrtype]; !known || zsmodel.SignerOwned(name, rrtype, signed) || zsmodel.CheckType(rrtype) != nil {
			if !known {
				providers.Logf(ctx, "powerdns: zone %s: %s %s records are PowerDNS's own type, which zonesync leaves alone", zone, rs.Name, rrtype)
			}
			continue
		}
		set := &zsmodel.RecordSet{Name: name, Type: rrtype, TTL: ttl}
		for _, content := range enabled {
			v, err := canonicalValue(owner, rrtype, content)
			if err != nil {
				return nil, nil, fmt.Errorf("powerdns: zone %s: the server's answer: %w", zone, err)
			}
			set.Values = append(set.Values, v)
		}
		set.SetValues(set.Values)
		if prev := seen[set.Key()]; prev != nil {
			// The API gives one RRset per name and type; a second one is
			// merged rather than one hiding the other.
			prev.SetValues(append(prev.Values, set.Values...))
			continue
		}
		seen[set.Key()] = set
		z.Records = append(z.Records, set)
	}
	z.SortRecords()
	return z, ix, nil
}

// modeOf maps a zone kind to the model's mode: Slave and Consumer zones
// take their data from elsewhere; Master, Native and Producer zones
// are served from their own.
func modeOf(kind string) zsmodel.Mode {
	switch strings.ToLower(kind) {
	case "slave", "secondary", "consumer":
		return zsmodel.Slave
	}
	return zsmodel.Master
}

// soaModel reads the SOA's content.
func soaModel(owner string, ttl uint32, content string) (*zsmodel.SOA, error) {
	rr, err := zsmodel.NewRR(owner, ttl, "SOA", content)
	if err != nil {
		return nil, err
	}
	s := rr.(*dns.SOA)
	return &zsmodel.SOA{PrimaryNS: dns.CanonicalName(s.Ns), AdminMail: zsmodel.MboxToMail(s.Mbox), Serial: s.Serial,
		Refresh: s.Refresh, Retry: s.Retry, Expire: s.Expire, Minimum: s.Minttl}, nil
}

// canonicalValue is the canonical value of a record's content. The
// commonest contents take a short way (a zone of 10,000 sets spends most
// of its read here otherwise): addresses, names and MX by
// model.CanonicalValue, which reads presentation form as the wire has it,
// and a TXT of one plain quoted string is its own canonical form; the
// rest is parsed by miekg/dns.
func canonicalValue(owner, rrtype, content string) (string, error) {
	switch rrtype {
	case "A", "AAAA", "CNAME", "NS", "PTR", "MX":
		if v, err := zsmodel.CanonicalValue(rrtype, content); err == nil {
			return v, nil
		}
	case "TXT", "SPF":
		if plainQuoted(content) {
			return content, nil
		}
	}
	rr, err := zsmodel.NewRR(owner, 0, rrtype, content)
	if err != nil {
		return "", err
	}
	return zsmodel.CanonicalRR(rr), nil
}

// plainQuoted reports whether content is one quoted string of at most 255
// printable ASCII bytes, without quotes or backslashes inside: the
// canonical form of such a TXT record is the content itself.
func plainQuoted(content string) bool {
	if len(content) < 2 || len(content) > zsmodel.TXTChunk+2 || content[0] != '"' || content[len(content)-1] != '"' {
		return false
	}
	for i := 1; i < len(content)-1; i++ {
		if c := content[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
