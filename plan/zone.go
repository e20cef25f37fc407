package plan

import (
	"errors"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

// Zone plans one zone from its desired state and its whole live state, as
// read from a provider with caps (nil when the zone does not exist there
// yet): the part zonesync manages is diffed into ordered operations (see
// Managed and Diff), each record-set operation with its value-level
// Change, and the plan carries the warnings about ignore rules that
// protect nothing, the live zone's own warnings, and, for a signed zone,
// its DS records. With safety it also carries the refusals of
// CheckSafety and DNSSECRefusals; without, it has none.
//
// It returns an error, one line per conflict, when desired cannot be
// reached without touching records the spec ignores (IgnoredConflicts).
// It does not ask the provider about the operations: apply does that with
// providers.CheckOperation.
func Zone(desired, live *model.Zone, caps model.Capabilities, safety *config.Safety) (*ZonePlan, error) {
	if conflicts := IgnoredConflicts(desired, live); len(conflicts) > 0 {
		errs := make([]error, len(conflicts))
		for i, c := range conflicts {
			errs[i] = errors.New(c)
		}
		return nil, errors.Join(errs...)
	}
	var zp *ZonePlan
	existing := 0
	if owned(desired) {
		v := viewOwned(desired, live, caps)
		zp, existing = v.plan(desired, caps), v.sets
	} else {
		managed := Managed(desired, live, caps)
		zp = Diff(desired, managed, caps)
		if managed != nil {
			existing = len(managed.Records)
		}
	}
	if safety != nil && live != nil {
		zp.Refusals = append(zp.Refusals, safetyRefusals(zp, desired, existing, len(live.Records), *safety)...)
	}
	zp.Warnings = append(IgnoreWarnings(desired, live), zp.Warnings...)
	if live != nil {
		zp.Warnings = append(zp.Warnings, live.Warnings...)
		if desired.DNSSEC != nil && *desired.DNSSEC {
			zp.DS = live.DS
		}
	}
	if safety != nil {
		zp.Refusals = append(zp.Refusals, DNSSECRefusals(zp)...)
	}
	return zp, nil
}

// DNSSECRefusals returns the refusal of a plan that stops signing a zone,
// which apply carries out only when forced: while the zone's parent holds
// a DS record for it, resolvers that validate fail to resolve the zone
// once it is unsigned. The refusal is the confirmation: remove the DS at
// the registrar, wait for its TTL to pass, then plan and apply with
// --force.
func DNSSECRefusals(zp *ZonePlan) []string {
	for _, op := range zp.Operations {
		if op.Action == DisableDNSSEC {
			return []string{zp.Key() + ": disable_dnssec removes the zone's DNSSEC keys, and resolvers that validate stop resolving the zone " +
				"while its parent still holds a DS record for it; remove the DS records at the registrar, wait for their TTL to pass, " +
				"then apply with --force"}
		}
	}
	return nil
}

// LiveDigest is the live digest a plan of desired made now from the whole
// live zone would carry ("none" when live is nil), without diffing: apply
// compares it with a plan's to find a zone that changed since.
func LiveDigest(desired, live *model.Zone, caps model.Capabilities) string {
	if live == nil {
		return "none"
	}
	if owned(desired) {
		return liveDigest(desired, viewOwned(desired, live, caps).digestZone())
	}
	return liveDigest(desired, Managed(desired, live, caps))
}
