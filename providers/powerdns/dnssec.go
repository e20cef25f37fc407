package powerdns

import (
	"context"
	"fmt"
	"strings"

	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// DS returns the DS records of the zone's active keys, for the
// registrar: those of digest types SHA-256 and SHA-384, not SHA-1, which
// RFC 8624 says not to use for new delegations.
func (p *Provider) DS(ctx context.Context, zone string) ([]string, error) {
	keys, err := p.client.cryptokeys(ctx, canonicalZone(zone))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys {
		if !k.Active {
			continue
		}
		for _, ds := range k.DS {
			if f := strings.Fields(ds); len(f) == 4 && f[2] != "1" {
				out = append(out, ds)
			}
		}
	}
	return out, nil
}

// enableDNSSEC signs the zone: one active key that signs both the keys
// and the data (a CSK, of the server's default-ksk-algorithm), then a
// rectify of a master zone, which fills in the ordering data the
// server's denial of existence needs for the records already there.
func (p *Provider) enableDNSSEC(ctx context.Context, zone string, mode zsmodel.Mode) error {
	keys, err := p.client.cryptokeys(ctx, zone)
	if err != nil {
		return err
	}
	active := false
	for _, k := range keys {
		active = active || k.Active
	}
	if !active {
		if err := p.client.addCryptokey(ctx, zone, "csk"); err != nil {
			return dnssecError(err)
		}
	}
	if mode == zsmodel.Master {
		if err := p.client.rectify(ctx, zone); err != nil {
			return err
		}
	}
	p.update(zone, func(ix *zoneIndex) { ix.dnssec = true })
	return nil
}

// disableDNSSEC unsigns the zone: every key is deleted (the plan refused
// this unless forced: see plan.DNSSECRefusals).
func (p *Provider) disableDNSSEC(ctx context.Context, zone string) error {
	keys, err := p.client.cryptokeys(ctx, zone)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := p.client.deleteCryptokey(ctx, zone, k.ID); err != nil {
			return err
		}
	}
	p.update(zone, func(ix *zoneIndex) { ix.dnssec = false })
	return nil
}

// dnssecError explains the refusal of a server without DNSSEC in its
// backend.
func dnssecError(err error) error {
	if isStatus(err, 422) && strings.Contains(err.Error(), "DNSSEC not enabled") {
		return fmt.Errorf("%w: the server's backend has DNSSEC off; set gsqlite3-dnssec=yes (or gmysql-dnssec, gpgsql-dnssec) in pdns.conf", err)
	}
	return err
}

// dnssecOps carries out the signing operations of an Apply call, after
// its PATCH: a zone is signed with its records in place.
func (p *Provider) dnssecOps(ctx context.Context, zone string, live *zsmodel.Zone, ops []*plan.Operation, errs []error) {
	for i, op := range ops {
		if errs[i] != nil {
			continue
		}
		switch op.Action {
		case plan.EnableDNSSEC:
			mode := live.Mode
			if ix := p.index(zone); ix != nil && ix.kind != "" {
				mode = modeOf(ix.kind)
			}
			errs[i] = p.enableDNSSEC(ctx, zone, mode)
		case plan.DisableDNSSEC:
			errs[i] = p.disableDNSSEC(ctx, zone)
		}
	}
}
