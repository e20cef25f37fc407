package apply

import (
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// scope keeps the zones opt.Changes touched, sorted as given, and says
// what the plan covers: those zones, how many were left out, and the specs
// the change deleted whose zones no spec declares any more. declared are
// the zones every spec declares, before --zone and --shard.
func (opt Options) scope(zones []*model.Zone, declared map[string]bool) ([]*model.Zone, *plan.Scope) {
	c := opt.Changes
	s := &plan.Scope{ChangedSince: c.Commit, Zones: []string{}}
	var in []*model.Zone
	for _, z := range zones {
		if c.All() || c.Provider(z.Provider) || touchesAny(c.Touches, sources(z)) {
			in = append(in, z)
			s.Zones = append(s.Zones, z.Name)
		}
	}
	s.LeftOut = len(zones) - len(in)
	for _, d := range c.Deleted {
		if d.Zone == "" || !declared[d.Zone] && opt.selects(d.Zone) && opt.Shard.Contains(d.Zone) {
			s.Deleted = append(s.Deleted, plan.DeletedSpec{File: d.File, Zone: d.Zone})
		}
	}
	return in, s
}

// sources are the files a desired zone was built from: its spec file and
// the templates it includes. An alias shares its spec's sources, so a
// change to the spec or a template it includes puts every alias in scope.
func sources(z *model.Zone) []string {
	if len(z.Sources) > 0 {
		return z.Sources
	}
	return []string{z.File}
}

func touchesAny(touches func(string) bool, files []string) bool {
	for _, f := range files {
		if touches(f) {
			return true
		}
	}
	return false
}
