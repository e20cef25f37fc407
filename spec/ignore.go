package spec

import (
	"fmt"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// ignoreSpec is one entry of a zone spec's ignore list.
type ignoreSpec struct {
	Name string `yaml:"name"`
	Type string `yaml:"type"`
}

func (l *loader) ignore(z *model.Zone, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		l.Add(n, "ignore must be a list of {name, type} rules")
		return
	}
	for i, item := range n.Content {
		var r ignoreSpec
		before := len(l.List)
		yamlx.Decode(&l.FileErrors, item, &r, fmt.Sprintf("ignore[%d]", i))
		if len(l.List) > before {
			continue
		}
		ruleName, err := model.ASCIIName(r.Name)
		if err != nil {
			l.Add(yamlx.MapValue(item, "name"), "ignore[%d]: name %q: %v", i, r.Name, err)
			continue
		}
		rule := model.IgnoreRule{Name: strings.ToLower(ruleName), Type: strings.ToUpper(r.Type), Pos: yamlx.NodePos(l.File, item)}
		if rule.Name == "" && rule.Type == "" {
			l.Add(item, "ignore[%d] needs a name, a type or both", i)
			continue
		}
		if rule.Type != "" {
			if err := model.CheckType(rule.Type); err != nil {
				l.Add(yamlx.MapValue(item, "type"), "ignore[%d]: %v", i, err)
				continue
			}
		}
		if err := model.CheckGlob(rule.Name); err != nil {
			l.Add(yamlx.MapValue(item, "name"), "ignore[%d]: name %q is not a valid glob", i, r.Name)
			continue
		}
		// Names are written as record names are: relative, or absolute
		// with a trailing dot inside the zone.
		switch name := rule.Name; {
		case z.Name == "" || name == "":
		case strings.HasSuffix(name, "."):
			rel, ok := model.RelativeName(name, z.Name)
			if !ok {
				l.Add(yamlx.MapValue(item, "name"), "ignore[%d]: name %q is outside zone %s", i, r.Name, z.Name)
				continue
			}
			rule.Name = rel
		case name == z.Name || strings.HasSuffix(name, "."+z.Name):
			rel := strings.TrimSuffix(strings.TrimSuffix(name, z.Name), ".")
			if rel == "" {
				rel = model.Apex
			}
			l.Add(yamlx.MapValue(item, "name"), "ignore[%d]: name %q looks absolute but has no trailing dot: write %q or %q", i, r.Name, r.Name+".", rel)
			continue
		}
		z.Ignore = append(z.Ignore, rule)
	}
}
