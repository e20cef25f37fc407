package apply

import (
	"fmt"
	"io"
	"strings"

	"github.com/zonesync/zonesync/plan"
)

// A zone whose spec names several providers is planned as one zone plan
// per target (plan.ZonePlan.Target). Apply takes its targets one after the
// other, in the order of the spec's providers, and a target stops at its
// first operation that does not succeed: it is left as far as the plan got,
// never with later changes made past a hole, while the zone's other targets
// go on. The report names the targets that did not complete: they now
// differ from the spec and from the zone's other targets.

// targetGroups splits the zone plans into what may run concurrently: each
// zone with one provider alone, the targets of a zone with several
// together, in plan order.
func targetGroups(zones []*plan.ZonePlan) [][]int {
	var groups [][]int
	byZone := map[string]int{}
	for i, zp := range zones {
		if zp.Target == "" {
			groups = append(groups, []int{i})
			continue
		}
		if g, ok := byZone[zp.Zone]; ok {
			groups[g] = append(groups[g], i)
			continue
		}
		byZone[zp.Zone] = len(groups)
		groups = append(groups, []int{i})
	}
	return groups
}

// haltedBy says why the rest of a target's operations do not run once op
// ended with status; "" when they do, and always for a zone with one
// provider, whose independent operations go on.
func haltedBy(zp *plan.ZonePlan, op *plan.Operation, status Status) string {
	if zp.Target == "" || status == OK {
		return ""
	}
	return fmt.Sprintf("not run: target %s stops at its first operation that did not succeed, operation %d (%s %s, %s); the zone's other targets go on",
		zp.Target, op.Seq, op.Action, describe(op), status)
}

// differingTargets are the targets of zones with several providers whose
// operations did not all succeed, in report order.
func differingTargets(zones []*ZoneReport) []string {
	var out []string
	for _, z := range zones {
		if z == nil || z.Target == "" {
			continue
		}
		if c := z.Counts(); c.Failed+c.Unknown+c.Skipped > 0 {
			out = append(out, z.Target)
		}
	}
	return out
}

// completeTargets are the other targets of zone in the report, those whose
// operations all succeeded.
func (r *Report) completeTargets(zone string) []string {
	var out []string
	for _, z := range r.Zones {
		if z == nil || z.Zone != zone || z.Target == "" {
			continue
		}
		if c := z.Counts(); c.Failed+c.Unknown+c.Skipped == 0 {
			out = append(out, z.Target)
		}
	}
	return out
}

// TargetLines say, one line each, which targets of zones served by several
// providers now differ, and from which of their zone's targets.
func (r *Report) TargetLines() []string {
	var out []string
	for _, t := range r.TargetsDiffer {
		zone, _, _ := strings.Cut(t, "@")
		line := fmt.Sprintf("target %s did not complete and now differs from the spec", t)
		if done := r.completeTargets(zone); len(done) > 0 {
			line += " and from " + strings.Join(done, ", ")
		}
		out = append(out, line+"; run plan to see what is left")
	}
	return out
}

// WriteTargetsText prints TargetLines.
func (r *Report) WriteTargetsText(w io.Writer) {
	for _, l := range r.TargetLines() {
		fmt.Fprintln(w, l)
	}
}
