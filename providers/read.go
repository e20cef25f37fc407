package providers

import (
	"context"

	"github.com/zonesync/zonesync/spec"
)

// ReadOptions name the parts of a live zone a caller can do without.
type ReadOptions struct {
	// SkipSOA allows the provider to leave Zone.SOA nil: the spec does not
	// manage the SOA, so the plan never looks at it.
	SkipSOA bool
}

// OptionReader is implemented by providers for which a part of a zone
// costs an API call of its own, so that a caller who does not need that
// part saves the call. ClouDNS reads the SOA with a call of its own.
type OptionReader interface {
	// ReadZoneOptions is ReadZone, leaving out what opt allows.
	ReadZoneOptions(ctx context.Context, zone string, opt ReadOptions) (*spec.Zone, error)
}

// ZoneExpecter is implemented by providers that read many zones with fewer
// calls when told in advance which zones a run will read: ClouDNS learns
// every zone's type from a few pages of its zone list instead of a call
// per zone.
type ZoneExpecter interface {
	// ExpectZones is called before a run's reads with every zone the run
	// expects to read from this provider. It must not touch the network,
	// and a zone read without being expected must still read correctly.
	ExpectZones(zones []string)
}

// ReadZone reads a zone, through OptionReader when the provider has it.
// A provider without it reads the whole zone: the options allow leaving
// parts out, they never require it.
func ReadZone(ctx context.Context, p Provider, zone string, opt ReadOptions) (*spec.Zone, error) {
	if r, ok := p.(OptionReader); ok {
		return r.ReadZoneOptions(ctx, zone, opt)
	}
	return p.ReadZone(ctx, zone)
}
