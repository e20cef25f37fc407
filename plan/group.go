package plan

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// A wide change, one template edited for hundreds of zones, makes the
// same operations in every zone it touches. The text and markdown plans
// show such operations once, with the zones they apply to, instead of
// once per zone; each zone's own differences are still shown zone by
// zone. The JSON plan stays per zone: apply carries out each zone's
// operations as ever.

// Group is operations that several zones of one provider make alike: the
// same action on the same record set (or the zone itself), from the same
// before to the same after.
type Group struct {
	Provider string
	// Zones are the zones that make every one of Operations, in plan order.
	Zones []string
	// Operations are the operations, as the first of Zones makes them
	// (their Seq is that zone's), in its order.
	Operations []*Operation
}

// Grouping is a plan's operations sorted into groups and each zone's own.
type Grouping struct {
	// Groups are the groups, the widest first.
	Groups []*Group
	// shared marks, per zone, the operations that are in a group.
	shared map[string]map[*Operation]bool
}

// minGroup is the fewest zones that make a group.
const minGroup = 2

// GroupOperations finds the operations zones make alike: each operation
// made the same way by at least two zones of a provider goes in a group,
// and operations made by the same zones go in the same group. Operations
// on DNSSEC are never grouped: each zone's DS records are its own.
func GroupOperations(p *Plan) *Grouping {
	g := &Grouping{shared: map[string]map[*Operation]bool{}}
	// Operations by identity, with the zones making each.
	type made struct {
		first *Operation
		ops   map[string]*Operation // by zone
		zones []string
	}
	byKey := map[string]*made{}
	var keys []string
	for _, z := range p.Zones {
		for _, op := range z.Operations {
			if op.Action == EnableDNSSEC || op.Action == DisableDNSSEC {
				continue
			}
			k := z.Provider + "\x00" + operationKey(op)
			m := byKey[k]
			if m == nil {
				m = &made{first: op, ops: map[string]*Operation{}}
				byKey[k] = m
				keys = append(keys, k)
			}
			if _, dup := m.ops[z.Zone]; !dup {
				m.ops[z.Zone] = op
				m.zones = append(m.zones, z.Zone)
			}
		}
	}
	// Operations made by the same zones form one group.
	byZones := map[string]*Group{}
	for _, k := range keys {
		m := byKey[k]
		if len(m.zones) < minGroup {
			continue
		}
		provider, _, _ := strings.Cut(k, "\x00")
		zk := provider + "\x00" + strings.Join(m.zones, "\x00")
		grp := byZones[zk]
		if grp == nil {
			grp = &Group{Provider: provider, Zones: m.zones}
			byZones[zk] = grp
			g.Groups = append(g.Groups, grp)
		}
		grp.Operations = append(grp.Operations, m.first)
		for zone, op := range m.ops {
			if g.shared[zone] == nil {
				g.shared[zone] = map[*Operation]bool{}
			}
			g.shared[zone][op] = true
		}
	}
	for _, grp := range g.Groups {
		sort.SliceStable(grp.Operations, func(i, j int) bool { return grp.Operations[i].Seq < grp.Operations[j].Seq })
	}
	sort.SliceStable(g.Groups, func(i, j int) bool { return len(g.Groups[i].Zones) > len(g.Groups[j].Zones) })
	return g
}

// Own is the zone's plan with only the operations no group holds, and
// the number of those a group does.
func (g *Grouping) Own(z *ZonePlan) (own *ZonePlan, shared int) {
	marks := g.shared[z.Zone]
	if len(marks) == 0 {
		return z, 0
	}
	c := *z
	c.Operations = slices.DeleteFunc(slices.Clone(z.Operations), func(op *Operation) bool { return marks[op] })
	return &c, len(z.Operations) - len(c.Operations)
}

// Counts tallies the group's operations by kind, over all its zones.
func (grp *Group) Counts() (create, update, del int) {
	z := ZonePlan{Operations: grp.Operations}
	c, u, d := z.Counts()
	n := len(grp.Zones)
	return c * n, u * n, d * n
}

// operationKey is what makes two zones' operations alike: everything but
// the sequence number. A marker that adopts a live set is not alike with
// the same marker written beside a new set: they are counted apart.
func operationKey(op *Operation) string {
	before, _ := json.Marshal(op.Before)
	after, _ := json.Marshal(op.After)
	marker, _ := json.Marshal(op.Marker)
	return string(op.Action) + "\x00" + op.Name + "\x00" + op.Type + "\x00" + string(before) + "\x00" + string(after) + "\x00" + string(marker)
}

// Headline says in one line what an operation does: "update @ MX
// 10 mx1.example.net. → 10 mx2.example.net.", its values cut short past
// a hundred characters.
func Headline(op *Operation) string {
	t := string(op.Action)
	if op.Name != "" {
		t += " " + model.DisplayName(op.Name) + " " + op.Type
	}
	var what string
	switch op.Action {
	case Create, Delete, Update:
		ch := op.Change()
		var parts []string
		if ch != nil {
			if len(ch.Removed) > 0 || len(ch.Added) > 0 {
				parts = append(parts, strings.TrimSpace(joinValues(op.Type, ch.Removed)+" → "+joinValues(op.Type, ch.Added)))
			}
			if ch.TTLChanged && op.Before != nil && op.After != nil && op.Before.TTL != nil && op.After.TTL != nil {
				parts = append(parts, "TTL "+uintText(*op.Before.TTL)+" → "+uintText(*op.After.TTL))
			}
		}
		what = strings.Join(parts, ", ")
		what = strings.TrimPrefix(strings.TrimSuffix(what, " →"), "→ ")
	case UpdateTTL:
		if op.Before != nil && op.After != nil && op.Before.TTL != nil && op.After.TTL != nil {
			what = uintText(*op.Before.TTL) + " → " + uintText(*op.After.TTL)
		}
	}
	if what == "" {
		return t
	}
	return t + " " + what
}

func joinValues(rrtype string, values []string) string {
	shown := make([]string, len(values))
	for i, v := range values {
		shown[i] = model.DisplayValue(rrtype, v)
	}
	s := strings.Join(shown, ", ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}

func uintText(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
