package main

import (
	"slices"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/verify"
)

// The world sees one zone however many providers serve it, and a resolver
// may ask any of its servers: verify checks a zone served by several
// providers once, at every server, and only for the record sets every
// target is to serve alike. A record set only some targets get (only,
// except) cannot be the same at every server, so it is not checked.

// targetOf finds the desired zone of a target: zone at provider.
func targetOf(desired []*model.Zone, zone, provider string) (*model.Zone, bool) {
	i := slices.IndexFunc(desired, func(z *model.Zone) bool { return z != nil && z.Name == zone && z.Provider == provider })
	if i < 0 {
		return nil, false
	}
	return desired[i], true
}

// mergeTargets makes one verify.Zone of the entries of each zone served by
// several providers: the union of their checks, less those of record sets
// that differ between its targets' desired zones. Other zones are left as
// they are, in order.
func mergeTargets(zones []verify.Zone, desired []*model.Zone) []verify.Zone {
	targets := map[string][]*model.Zone{}
	for _, z := range desired {
		// A zone without changes may not be kept (apply.RetainForApply).
		if z != nil {
			targets[z.Name] = append(targets[z.Name], z)
		}
	}
	var out []verify.Zone
	at := map[string]int{}
	for _, vz := range zones {
		ts := targets[vz.Name]
		if len(ts) < 2 {
			out = append(out, vz)
			continue
		}
		i, seen := at[vz.Name]
		if !seen {
			i = len(out)
			at[vz.Name] = i
			out = append(out, verify.Zone{Name: vz.Name, Serial: vz.Serial})
		}
		for _, c := range vz.Checks {
			if !sameAtEveryTarget(ts, c.Name, c.Type) {
				continue
			}
			if !slices.ContainsFunc(out[i].Checks, func(o verify.Check) bool { return o.Name == c.Name && o.Type == c.Type }) {
				out[i].Checks = append(out[i].Checks, c)
			}
		}
	}
	return out
}

// sameAtEveryTarget reports whether every target holds the record set
// (name, rrtype) alike: the same TTL and values, or none of them it.
func sameAtEveryTarget(targets []*model.Zone, name, rrtype string) bool {
	first := targets[0].Find(name, rrtype)
	for _, z := range targets[1:] {
		rs := z.Find(name, rrtype)
		switch {
		case (rs == nil) != (first == nil):
			return false
		case rs != nil && (rs.TTL != first.TTL || !slices.Equal(rs.Values, first.Values)):
			return false
		}
	}
	return true
}
