package spec

import (
	"slices"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/ownership"
	"gopkg.in/yaml.v3"
)

// ownershipKeys are the keys of a spec's ownership mapping.
var ownershipKeys = []string{"mode", "owner", "adopt"}

// Ownership modes, as the spec's ownership.mode writes them.
const (
	modeMarkers    = "markers"
	modeIgnoreOnly = "ignore-only"
)

// adoptUnmarked is the one value of ownership.adopt.
const adoptUnmarked = "unmarked"

// ownership reads the zone's ownership key, or takes zonesync.yaml's
// default when the spec has none.
func (l *loader) ownership(z *model.Zone, n *yaml.Node) {
	l.ignoreOnlyTarget = false
	if n == nil {
		if o := l.cfg.Ownership; o != nil && z.Mode == model.Master {
			if !o.IgnoreOnly(z.Provider) {
				z.Ownership = &model.Ownership{Owner: o.Owner, Pos: o.Pos}
			} else {
				l.ignoreOnlyTarget = slices.ContainsFunc(z.Targets, func(t string) bool { return !o.IgnoreOnly(t) })
			}
		}
		return
	}
	if n.Kind != yaml.MappingNode {
		l.Add(n, "ownership must be a mapping: {owner: ID} for ownership mode with markers, or {mode: ignore-only}, not %s", yamlx.Describe(n))
		return
	}
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(ownershipKeys, k.Value):
			l.Add(k, "unknown key %q in ownership%s", k.Value, yamlx.Suggest(k.Value, ownershipKeys))
		case fields[k.Value] != nil:
			l.Add(k, "key %q is set twice in ownership", k.Value)
		default:
			fields[k.Value] = v
		}
	}
	mode := modeMarkers
	if m := fields["mode"]; m != nil {
		if m.Kind != yaml.ScalarNode || m.Value != modeMarkers && m.Value != modeIgnoreOnly {
			l.Add(m, "ownership.mode must be markers or ignore-only, not %s", yamlx.Describe(m))
			return
		}
		mode = m.Value
	}
	owner := ""
	if o := fields["owner"]; o != nil {
		if o.Kind != yaml.ScalarNode || o.Tag != "!!str" {
			l.Add(o, "ownership.owner must be a string, such as \"git:dns-repo\", not %s", yamlx.Describe(o))
			return
		}
		if why := ownership.OwnerProblem(o.Value); why != "" {
			l.Add(o, "ownership.owner: %s", why)
			return
		}
		owner = o.Value
	}
	adoptAll := false
	if a := fields["adopt"]; a != nil {
		if a.Kind != yaml.ScalarNode || a.Value != adoptUnmarked {
			l.Add(a, "ownership.adopt must be unmarked (adopt every declared record set that is live without a marker), not %s; to adopt one record set, write adopt: true on it", yamlx.Describe(a))
			return
		}
		adoptAll = true
	}
	if z.Mode == model.Slave {
		l.Add(n, "a slave zone's records come from its masters: ownership is for master zones")
		return
	}
	if mode == modeIgnoreOnly {
		for _, k := range []string{"owner", "adopt"} {
			if f := fields[k]; f != nil {
				l.Add(f, "ownership.%s is for mode markers; mode ignore-only writes no markers and owns every record its ignore rules leave", k)
			}
		}
		return
	}
	if owner == "" {
		if l.cfg.Ownership == nil {
			l.Add(n, "ownership needs an owner: the id zonesync writes in the zone's markers, such as owner: \"git:dns-repo\" (or set one for every zone under ownership in zonesync.yaml)")
			return
		}
		owner = l.cfg.Ownership.Owner
	}
	z.Ownership = &model.Ownership{Owner: owner, AdoptUnmarked: adoptAll, Pos: yamlx.NodePos(l.File, n)}
}

// adopt reads a record set's adopt key.
func (l *loader) adopt(z *model.Zone, key string, n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.Add(n, "%s.adopt must be true or false, not %s", key, yamlx.Describe(n))
		return false
	}
	on := n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	if on && z.Ownership == nil && l.ignoreOnlyTarget {
		// An ignore-only target owns the record set already.
		return false
	}
	if on && z.Ownership == nil {
		l.Add(n, "%s.adopt is for zones in ownership mode: set ownership: {owner: ID} on the zone (or a default owner in zonesync.yaml)", key)
		return false
	}
	return on
}

// checkOwnership applies the rules of ownership mode to the declared
// record sets: none under the reserved name, a marker name for each, and
// a provider that can hold the markers.
func (l *loader) checkOwnership(z *model.Zone, n *yaml.Node) {
	if z.Ownership == nil || z.Name == "" {
		return
	}
	if l.cap != nil && !l.cap.HasType("TXT") {
		l.Add(n, "provider %s cannot hold TXT records, and ownership markers are TXT records; set ownership: {mode: ignore-only} on this zone, or list the provider under ownership.ignore_only_providers in zonesync.yaml", z.Provider)
		return
	}
	for _, rs := range z.Records {
		if ownership.Reserved(rs.Name) {
			l.errAt(rs, "%s is under %s, where zonesync keeps its ownership markers; a zone in ownership mode cannot declare it", model.DisplayName(rs.Name), ownership.Subtree)
			continue
		}
		if _, err := ownership.Name(z.Name, rs.Name, rs.Type); err != nil {
			l.errAt(rs, "%v", err)
		}
	}
}
