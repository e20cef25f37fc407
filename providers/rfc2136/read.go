package rfc2136

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

// readAttempts is how many times a transfer is tried: reading is safe to
// repeat, and a dropped connection or a SERVFAIL is often gone a moment later.
const readAttempts = 3

// readBackoff is the pause before the second try, doubled before the third.
var readBackoff = 200 * time.Millisecond

// ReadZone reads the zone by AXFR from the transfer server and replaces
// the zone's entry in the provider's index with the server's spellings.
func (p *Provider) ReadZone(ctx context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	zone = canonicalZone(zone)
	rrs, err := p.transfer(ctx, zone)
	for attempt, pause := 1, readBackoff; err != nil && attempt < readAttempts && retriable(err) && ctx.Err() == nil; attempt, pause = attempt+1, 2*pause {
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(pause):
		}
		rrs, err = p.transfer(ctx, zone)
	}
	if err != nil {
		return nil, err
	}
	z, spellings, err := liveZone(zone, rrs)
	if err != nil {
		return nil, &Error{Op: "AXFR", Zone: zone, Server: p.cfg.transfer, Rcode: -1, Detail: err.Error()}
	}
	p.idx.read(zone, z.SOA.Serial, spellings)
	return z, nil
}

// liveZone turns the records of a transfer, its SOA first, into a live
// zone, and returns with it the server's spellings of its values, by
// record set (see exactRDATA).
//
// The signer's records (model.SignerOwned: DNSSEC signatures and chains,
// BIND's signing state at the apex, and the apex keys of a zone the server
// signs) and records of types that are no data (model.CheckType) are not
// part of the model: zonesync never manages them, and showing them would
// plan their deletion. Types miekg/dns does not know are in the model as
// TYPEnnn, their data in RFC 3597 form.
func liveZone(zone string, rrs []dns.RR) (*model.Zone, map[string]map[string]string, error) {
	z := &model.Zone{Name: zone, Mode: model.Master}
	soa, ok := firstSOA(rrs)
	if !ok {
		return nil, nil, fmt.Errorf("the transfer does not start with the zone's SOA")
	}
	z.SOA = soaModel(soa)
	signed := false
	for _, rr := range rrs[1:] {
		if rr.Header().Rrtype == dns.TypeRRSIG {
			signed = true
			break
		}
	}
	sets := map[string]*model.RecordSet{}
	originals := map[*model.RecordSet]map[string][]string{}
	for _, rr := range rrs[1:] {
		h := rr.Header()
		name, inside := model.RelativeName(h.Name, zone)
		if !inside {
			return nil, nil, fmt.Errorf("the transfer holds %s, which is outside the zone", h.Name)
		}
		if h.Class != dns.ClassINET {
			return nil, nil, fmt.Errorf("the transfer holds %s of class %s; only IN is supported", h.Name, dns.Class(h.Class))
		}
		rrtype := model.TypeName(h.Rrtype)
		if model.SignerOwned(name, rrtype, signed) || model.CheckType(rrtype) != nil {
			continue
		}
		key := setKey(name, rrtype)
		rs := sets[key]
		if rs == nil {
			rs = &model.RecordSet{Name: name, Type: rrtype, TTL: h.Ttl}
			sets[key] = rs
			originals[rs] = map[string][]string{}
		}
		// RFC 2181 wants one TTL per record set; keep the lowest so that
		// a mixed set shows as a change when the spec says otherwise.
		rs.TTL = min(rs.TTL, h.Ttl)
		orig := model.RDATA(rr)
		value := model.CanonicalRR(rr)
		rs.Values = append(rs.Values, value)
		originals[rs][value] = append(originals[rs][value], orig)
	}
	spellings := map[string]map[string]string{}
	for key, rs := range sets {
		rs.SetValues(rs.Values)
		if exact := exactRDATA(originals[rs]); exact != nil {
			spellings[key] = exact
		}
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z, spellings, nil
}

// firstSOA returns the SOA a transfer must start with.
func firstSOA(rrs []dns.RR) (*dns.SOA, bool) {
	if len(rrs) == 0 {
		return nil, false
	}
	soa, ok := rrs[0].(*dns.SOA)
	return soa, ok
}

// exactRDATA keeps, for each value whose RDATA on the server is not
// spelled exactly as its canonical form (TXT split into other chunks,
// names in upper case, ...), the RDATA as the server holds it. Value-
// dependent prerequisites compare RDATA exactly, so Apply must send these
// (they are kept in the provider's index).
// Several records can share one canonical value; they are joined by
// newlines, which presentation form never contains.
func exactRDATA(originals map[string][]string) map[string]string {
	var ids map[string]string
	for value, list := range originals {
		if len(list) == 1 && list[0] == value {
			continue
		}
		if ids == nil {
			ids = map[string]string{}
		}
		ids[value] = strings.Join(list, "\n")
	}
	return ids
}
