package spec

import (
	"maps"
	"slices"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// aliases reads the aliases key: other zones that get exactly the spec's
// content. Record names are relative, so they follow the alias; every
// value stays as written (a CNAME to example.com. still points there).
// The alias zones are built and checked only for a zone without problems:
// the rules that depend on the zone's name (owner name length, CNAME
// loops, a record set's size in one message) are checked again for each.
func (l *loader) aliases(z *model.Zone, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		l.Add(n, "aliases must be a list of zone names, e.g. aliases: [example.net, example.org]")
		return
	}
	seen := map[string]int{}
	var names []string
	var nodes []*yaml.Node
	for i, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			l.Add(item, "aliases[%d] must be a zone name, e.g. example.net, not %s", i, yamlx.Describe(item))
			continue
		}
		ascii, err := model.ASCIIName(strings.TrimSuffix(item.Value, "."))
		if err != nil {
			l.Add(item, "alias %q: %v", item.Value, err)
			continue
		}
		name := strings.ToLower(ascii)
		switch line, dup := seen[name]; {
		case !model.ValidDomain(name):
			l.Add(item, "alias %s is not a valid domain name", yamlx.Describe(item))
		case name == z.Name:
			l.Add(item, "alias %s is the zone itself", name)
		case dup:
			l.Add(item, "alias %s is listed twice (first at line %d)", name, line)
		default:
			seen[name] = item.Line
			names = append(names, name)
			nodes = append(nodes, item)
		}
	}
	if len(l.List) > 0 || len(l.elsewhere) > 0 {
		return
	}
	for i, name := range names {
		a := aliasZone(z, name, yamlx.NodePos(l.File, nodes[i]))
		al := &loader{FileErrors: yamlx.FileErrors{File: l.File}, cfg: l.cfg, caps: l.caps, cap: l.cap, z: a}
		for _, rs := range a.Records {
			if rs.Name != model.Apex && len(rs.Name)+len(a.Name)+2 > 255 {
				al.errAt(rs, "name %q makes an owner name longer than 255 bytes", rs.Name)
			}
		}
		al.checkRecords(a)
		for _, e := range al.List {
			e.Msg += " (in alias " + name + ")"
		}
		l.List = append(l.List, al.List...)
		l.elsewhere = append(l.elsewhere, al.elsewhere...)
		l.aliasZones = append(l.aliasZones, a)
	}
}

// aliasZone is a copy of z named name, declared at pos; it shares nothing
// with z that either could change.
func aliasZone(z *model.Zone, name string, pos model.Pos) *model.Zone {
	a := *z
	a.Name, a.AliasOf = name, z.Name
	a.Pos = maps.Clone(z.Pos)
	a.Pos["zone"] = pos
	a.Sources = slices.Clone(z.Sources)
	a.Masters = slices.Clone(z.Masters)
	a.Ignore = slices.Clone(z.Ignore)
	if z.SOA != nil {
		soa := *z.SOA
		a.SOA = &soa
	}
	if z.DNSSEC != nil {
		on := *z.DNSSEC
		a.DNSSEC = &on
	}
	a.Records = make([]*model.RecordSet, len(z.Records))
	for i, rs := range z.Records {
		c := *rs
		c.Values = slices.Clone(rs.Values)
		if rs.Failover != nil {
			f := *rs.Failover
			f.BackupIPs = slices.Clone(rs.Failover.BackupIPs)
			c.Failover = &f
		}
		a.Records[i] = &c
	}
	return &a
}
