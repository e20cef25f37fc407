package spec

import (
	"slices"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// A spec may name several providers (providers: [a, b]): the zone is then
// served by each of them, and each (zone, provider) pair is a target of
// its own, planned against its own live state and checked against its own
// provider's capabilities. A spec is loaded once per target (loadTargets),
// each time with that provider's capabilities and only the record sets the
// target gets (only / except); a problem every pass finds is the spec's,
// one that only some passes find is reported for those targets, by name.

// providers reads the providers key, a list of provider names; the pass
// loads the target l.target, or the first one when none is chosen yet.
func (l *loader) providers(z *model.Zone, one, n *yaml.Node) {
	if one != nil {
		l.Add(one, "provider and providers are both set; use provider for one provider or providers for several")
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		l.Add(n, "providers must be a list of provider names, such as [%s], not %s", strings.Join(firstN(l.cfg.ProviderNames(), 2), ", "), yamlx.Describe(n))
		return
	}
	var names []string
	for _, p := range n.Content {
		switch _, ok := l.cfg.Providers[p.Value]; {
		case p.Kind != yaml.ScalarNode || !ok:
			l.Add(p, "unknown provider %s; zonesync.yaml declares %s", yamlx.Describe(p), orNone(l.cfg.ProviderNames()))
		case slices.Contains(names, p.Value):
			l.Add(p, "provider %s is listed twice in providers", p.Value)
		default:
			names = append(names, p.Value)
		}
	}
	if len(names) < len(n.Content) {
		return
	}
	if l.target == "" {
		l.target = names[0]
	}
	if len(names) > 1 {
		z.Targets = names
	}
	z.Provider = l.target
	if l.caps != nil {
		if c, ok := l.caps(l.target); ok {
			l.cap = &c
		}
	}
}

// firstN returns at most the first n of names.
func firstN(names []string, n int) []string {
	return names[:min(n, len(names))]
}

// zoneProviders are the providers a loaded zone names, in order.
func zoneProviders(z *model.Zone) []string {
	if len(z.Targets) > 0 {
		return z.Targets
	}
	if z.Provider != "" {
		return []string{z.Provider}
	}
	return nil
}

// scope reads a record set's only or except key and reports whether the
// target being loaded gets the record set. key names the record set in
// messages.
func (l *loader) scope(z *model.Zone, name, rrtype, key string, only, except *yaml.Node) bool {
	if only == nil && except == nil {
		return true
	}
	if only != nil && except != nil {
		l.Add(except, "%s has both only and except; use one", key)
		return true
	}
	field, n := "only", only
	if except != nil {
		field, n = "except", except
	}
	if name == model.Apex && rrtype == "NS" {
		l.Add(n, "%s.%s: the apex NS records are the zone's delegation, served the same by every provider; they cannot have %s", key, field, field)
		return true
	}
	all := zoneProviders(z)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		l.Add(n, "%s.%s must be a list of the zone's providers, such as [%s], not %s", key, field, strings.Join(firstN(all, 1), ", "), yamlx.Describe(n))
		return true
	}
	var names []string
	bad := false
	for _, p := range n.Content {
		if p.Kind != yaml.ScalarNode || !slices.Contains(all, p.Value) {
			l.Add(p, "%s.%s: %s is not one of the zone's providers (%s)", key, field, yamlx.Describe(p), orNone(all))
			bad = true
			continue
		}
		names = append(names, p.Value)
	}
	if bad || len(all) == 0 {
		return true
	}
	if except != nil && !slices.ContainsFunc(all, func(p string) bool { return !slices.Contains(names, p) }) {
		l.Add(n, "%s.except leaves none of the zone's providers to serve it; remove the record set", key)
		return true
	}
	return slices.Contains(names, z.Provider) == (only != nil)
}

// checkTargets applies the rules of a zone served by several providers:
// every target serves the same apex NS set, which the spec declares, so
// each provider must let zonesync set the apex NS records.
func (l *loader) checkTargets(z *model.Zone, keys map[string]*yaml.Node) {
	if len(z.Targets) < 2 || z.Mode != model.Master {
		return
	}
	at := keys["providers"]
	if l.cap != nil && !l.cap.ApexNS {
		l.Add(at, "provider %s manages the apex NS records itself and cannot serve the NS names of the zone's other providers; serve the zone from providers that let zonesync set the apex NS records", z.Provider)
		return
	}
	if z.Name != "" && z.Find(model.Apex, "NS") == nil && !z.Ignored(model.Apex, "NS") && !l.chunkFailed {
		l.Add(at, "a zone served by several providers must declare its apex NS records (records: \"@\": NS), the full set every provider serves; otherwise each provider serves only its own name servers")
	}
}

// onTarget reports whether the target being loaded gets a record set.
func (l *loader) onTarget(rs *model.RecordSet) bool { return !l.offTarget[rs] }

// loadTargets loads a spec once per target with pass, which loads the
// target it is given ("" for the first) and reports ok false when the spec
// cannot be loaded that way at all. It returns the targets' zones in the
// order of the spec's providers, and the problems of every pass, those
// found for only some targets prefixed with the target's name.
func loadTargets(pass func(target string) (z *model.Zone, errs yamlx.ErrorList, ok bool)) ([]*model.Zone, yamlx.ErrorList, bool) {
	z, errs, ok := pass("")
	if !ok {
		return nil, nil, false
	}
	if z == nil || len(z.Targets) < 2 {
		if z == nil {
			return nil, errs, true
		}
		return []*model.Zone{z}, errs, true
	}
	zones := []*model.Zone{z}
	lists := []yamlx.ErrorList{errs}
	for _, t := range z.Targets[1:] {
		tz, terrs, ok := pass(t)
		if !ok {
			return nil, nil, false
		}
		zones = append(zones, tz)
		lists = append(lists, terrs)
	}
	var all yamlx.ErrorList
	seen := map[string]bool{}
	for i, list := range lists {
		for _, e := range list {
			msg := e.Error()
			if !slices.ContainsFunc(lists, func(other yamlx.ErrorList) bool { return !hasError(other, msg) }) {
				if !seen[msg] {
					seen[msg] = true
					all = append(all, e)
				}
				continue
			}
			all = append(all, &yamlx.Error{Pos: e.Pos, Msg: model.TargetName(z.Name, z.Targets[i], true) + ": " + e.Msg})
		}
	}
	if len(all) > 0 {
		return nil, all, true
	}
	return zones, nil, true
}

func hasError(list yamlx.ErrorList, msg string) bool {
	return slices.ContainsFunc(list, func(e *yamlx.Error) bool { return e.Error() == msg })
}
