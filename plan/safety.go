package plan

import (
	"fmt"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

// CheckSafety returns why a zone's plan changes too much of its live zone
// to apply without --force: a share of deletes or updates above the config's
// thresholds, or a live zone that read as empty while the spec has many
// record sets (the mark of a broken API answer, not of a new zone). live is
// the managed part of the live zone, nil when the zone does not exist yet.
func CheckSafety(zp *ZonePlan, desired, live *model.Zone, s config.Safety) []string {
	if live == nil {
		return nil
	}
	return safetyRefusals(zp, desired, len(live.Records), len(live.Records), s)
}

// safetyRefusals is CheckSafety of a plan of a live zone of whole record
// sets, existing of which zonesync manages (in ownership mode, the
// owner's): the shares count record-set operations, not ownership
// markers, against the managed sets, and an empty read is one of the
// whole zone.
func safetyRefusals(zp *ZonePlan, desired *model.Zone, existing, whole int, s config.Safety) []string {
	var refusals []string
	if whole == 0 && desired.Mode == model.Master && len(desired.Records) >= max(s.MinExistingRecords, 1) {
		refusals = append(refusals, fmt.Sprintf(
			"%s: the provider returned no records for an existing zone while the spec has %d record sets; "+
				"refusing in case the read was incomplete (use --force if the zone really is empty)",
			zp.Key(), len(desired.Records)))
	}
	if existing < s.MinExistingRecords || existing == 0 {
		return refusals
	}
	var deletes, updates int
	for _, op := range zp.Operations {
		if op.Marker != nil {
			continue
		}
		switch op.Action {
		case Delete:
			deletes++
		case Update:
			updates++
		}
	}
	for _, c := range []struct {
		n, limit  int
		verb, key string
	}{
		{deletes, s.MaxDeletePercent, "delete", "max_delete_percent"},
		{updates, s.MaxUpdatePercent, "update", "max_update_percent"},
	} {
		// Compare in whole numbers: n/existing > limit/100.
		if c.n*100 > c.limit*existing {
			refusals = append(refusals, fmt.Sprintf(
				"%s: the plan would %s %d of %d record sets (%.0f%%), above safety.%s %d%%",
				zp.Key(), c.verb, c.n, existing, float64(c.n)*100/float64(existing), c.key, c.limit))
		}
	}
	return refusals
}
