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
// protect nothing. With safety it also carries the refusals of
// CheckSafety; without, it has none.
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
	managed := Managed(desired, live, caps)
	zp := Diff(desired, managed, caps)
	if safety != nil {
		zp.Refusals = CheckSafety(zp, desired, managed, *safety)
	}
	zp.Warnings = IgnoreWarnings(desired, live)
	return zp, nil
}

// LiveDigest is the live digest a plan of desired made now from the whole
// live zone would carry ("none" when live is nil), without diffing: apply
// compares it with a plan's to find a zone that changed since.
func LiveDigest(desired, live *model.Zone, caps model.Capabilities) string {
	if live == nil {
		return "none"
	}
	return liveDigest(desired, Managed(desired, live, caps))
}
