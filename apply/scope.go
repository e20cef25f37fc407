package apply

import (
	"slices"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// scopeLeftOut notes a zone the specs select that the change did not
// touch. A zone served by several providers counts once, not per target,
// and not at all when the change touched another of its targets (a
// change to that provider's entry): it is planned.
func (p *Prepared) scopeLeftOut(z *model.Zone) {
	if p.Plan.Scope == nil {
		p.Plan.Scope = &plan.Scope{}
	}
	if len(z.Targets) < 2 {
		p.Plan.Scope.LeftOut++
		return
	}
	if p.leftOut == nil {
		p.leftOut = map[string]bool{}
	}
	p.leftOut[z.Name] = true
}

// scope says what a plan scoped to opt.Changes covers: the zones in
// scope, sorted, how many were left out (counted in s as the specs were
// walked), the specs the change deleted whose zones no spec declares any
// more, and the aliases of deleted specs, or of specs it modified, that no
// spec declares any more. declared are the zones every spec declares, before --zone and
// --shard.
func (opt Options) scope(in []*model.Zone, s *plan.Scope, leftOut map[string]bool, declared []string) *plan.Scope {
	c := opt.Changes
	if s == nil {
		s = &plan.Scope{}
	}
	s.ChangedSince, s.Zones = c.Commit, []string{}
	planned := make(map[string]bool, len(in))
	for _, z := range in {
		s.Zones = append(s.Zones, z.Name)
		planned[z.Name] = true
	}
	for name := range leftOut {
		if !planned[name] {
			s.LeftOut++
		}
	}
	// A zone served by several providers is one zone in scope, as it is
	// one zone left out.
	slices.Sort(s.Zones)
	s.Zones = slices.Compact(s.Zones)
	isDeclared := make(map[string]bool, len(declared))
	for _, name := range declared {
		isDeclared[name] = true
	}
	for _, d := range c.Deleted {
		if d.Zone == "" || !isDeclared[d.Zone] && opt.selects(d.Zone) && opt.Shard.Contains(d.Zone) {
			s.Deleted = append(s.Deleted, plan.DeletedSpec{File: d.File, Zone: d.Zone})
		}
	}
	dropped := func(file string, zones []string) {
		for _, zone := range zones {
			if !isDeclared[zone] && opt.selects(zone) && opt.Shard.Contains(zone) {
				s.Dropped = append(s.Dropped, plan.DroppedZone{File: file, Zone: zone})
			}
		}
	}
	for _, d := range c.Deleted {
		dropped(d.File, d.Aliases)
	}
	for _, m := range c.Modified {
		dropped(m.File, m.Zones)
	}
	return s
}
