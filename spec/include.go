package spec

import (
	"sort"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// include reads the include key: the templates whose record sets and
// ignore rules the zone takes, in order. A set the spec declares itself
// replaces a template's set of the same name and type; two templates
// declaring the same set is an error, unless the spec declares it too.
func (l *loader) include(z *model.Zone, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		l.Add(n, "include must be a list of template names, e.g. include: [mail, web]")
		return
	}
	own := make(map[[2]string]bool, len(z.Records))
	for _, rs := range z.Records {
		own[[2]string{rs.Name, rs.Type}] = true
	}
	type provided struct {
		template string
		rs       *model.RecordSet
	}
	from := map[[2]string]provided{}
	conflicts := map[[2]string]bool{}
	included := map[string]int{}
	for i, item := range n.Content {
		name, nameNode, args, ok := l.includeItem(i, item)
		if !ok {
			continue
		}
		if line, dup := included[name]; dup {
			l.Add(nameNode, "template %s is included twice (first at line %d)", name, line)
			continue
		}
		included[name] = nameNode.Line
		t := l.templates.get(name)
		if t == nil {
			known, _ := l.templates.names()
			l.Add(nameNode, "template %q not found: there is no %s.yaml in %s%s", name, name, l.templates.dir, yamlx.Suggest(name, known))
			continue
		}
		t.used.Store(true)
		z.Sources = append(z.Sources, t.file)
		if len(t.problems) > 0 {
			l.problemsElsewhere(t.problems, z.Name)
			continue
		}
		values, ok := l.templateArgs(z, t, nameNode, args)
		if !ok {
			continue
		}
		tz, ok := l.buildTemplate(z, t, values)
		if !ok {
			continue
		}
		for _, rs := range tz.Records {
			key := [2]string{rs.Name, rs.Type}
			switch prev := from[key]; {
			case own[key]:
			case prev.rs != nil:
				if !conflicts[key] {
					conflicts[key] = true
					l.Add(nameNode, "templates %s and %s both define %s %s (%s and %s); keep it in one of them, or declare %s %s in this spec, which replaces both",
						prev.template, name, model.DisplayName(rs.Name), rs.Type, prev.rs.Pos, rs.Pos, model.DisplayName(rs.Name), rs.Type)
				}
			default:
				from[key] = provided{name, rs}
				z.Records = append(z.Records, rs)
			}
		}
		z.Ignore = append(z.Ignore, tz.Ignore...)
	}
}

// includeItem reads one entry of the include list: a template's name, or
// a mapping of its name to its parameters (- web: {address: 192.0.2.10}).
func (l *loader) includeItem(i int, item *yaml.Node) (name string, nameNode, args *yaml.Node, ok bool) {
	switch {
	case item.Kind == yaml.ScalarNode && item.Tag != "!!null":
		nameNode = item
	case item.Kind == yaml.MappingNode && len(item.Content) == 2 && item.Content[0].Kind == yaml.ScalarNode:
		nameNode, args = item.Content[0], item.Content[1]
	default:
		l.Add(item, "include[%d] must be a template name, or a template name with its parameters (- web: {address: 192.0.2.10}), not %s", i, yamlx.Describe(item))
		return "", nil, nil, false
	}
	if !templateName.MatchString(nameNode.Value) {
		l.Add(nameNode, "include[%d]: %q is not a template name: the name of a file in the templates directory without .yaml (letters, digits, '.', '_', '-')", i, nameNode.Value)
		return "", nil, nil, false
	}
	return nameNode.Value, nameNode, args, true
}

// templateArgs checks the parameters a zone gives a template against the
// ones it declares, and returns the value of each.
func (l *loader) templateArgs(z *model.Zone, t *template, nameNode, args *yaml.Node) (map[string]paramValue, bool) {
	values := map[string]paramValue{zoneParam: {value: z.Name}}
	ok := true
	if args != nil && args.Tag != "!!null" {
		if args.Kind != yaml.MappingNode {
			l.Add(args, "the parameters of template %s must be a mapping of names to values, not %s", t.name, yamlx.Describe(args))
			return nil, false
		}
		for i := 0; i+1 < len(args.Content); i += 2 {
			k, v := args.Content[i], args.Content[i+1]
			switch _, given := values[k.Value]; {
			case k.Value == zoneParam:
				l.Add(k, "parameter %s is zonesync's: it is the name of the zone that includes the template", zoneParam)
				ok = false
			case t.params[k.Value] == nil:
				l.Add(k, "template %s has no parameter %q%s; %s", t.name, k.Value, yamlx.Suggest(k.Value, t.paramNames()), t.declared())
				ok = false
			case given:
				l.Add(k, "parameter %q is set twice", k.Value)
				ok = false
			case v.Kind != yaml.ScalarNode || v.Tag == "!!null":
				l.Add(v, "parameter %s of template %s must be a text, not %s", k.Value, t.name, yamlx.Describe(v))
				values[k.Value] = paramValue{}
				ok = false
			default:
				values[k.Value] = paramValue{value: v.Value, from: ", given at " + yamlx.NodePos(l.File, v).String()}
			}
		}
	}
	names := make([]string, 0, len(t.params))
	for name := range t.params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, given := values[name]; given {
			continue
		}
		if p := t.params[name]; p.def != nil {
			values[name] = paramValue{value: *p.def, from: ", its default"}
		} else {
			l.Add(nameNode, "template %s needs parameter %s (declared at %s): write - %s: {%s: ...}", t.name, name, p.pos, t.name, name)
			ok = false
		}
	}
	return values, ok
}

// buildTemplate builds the record sets and ignore rules of template t for
// zone z, with the parameters' values. Problems are the template's, at
// its lines, naming z.
func (l *loader) buildTemplate(z *model.Zone, t *template, values map[string]paramValue) (*model.Zone, bool) {
	tl := &loader{
		FileErrors: yamlx.FileErrors{File: t.file, Origins: t.origins, Notes: map[*yaml.Node]string{}},
		cfg:        l.cfg, caps: l.caps, cap: l.cap, cache: &t.cache, templates: l.templates,
	}
	tz := &model.Zone{Name: z.Name, Provider: z.Provider, Mode: z.Mode, TTL: z.TTL, Pos: map[string]model.Pos{}}
	tl.z = tz
	if t.ttl != nil {
		if ttl, ok := tl.ttl(t.ttl, "ttl"); ok {
			if l.cap != nil && l.cap.ZoneTTL && ttl != z.TTL {
				tl.Add(t.ttl, "ttl %d differs from the zone's ttl %d: provider %s has one TTL per zone, not per record", ttl, z.TTL, z.Provider)
			} else {
				tz.TTL = ttl
			}
		}
	}
	if t.ignore != nil {
		tl.ignore(tz, t.ignore)
	}
	if t.records != nil {
		records := t.instantiate(t.records, values, tl.Notes)
		names := make(map[string]int, len(records.Content)/2)
		var jobs []valueJob
		for i := 0; i+1 < len(records.Content); i += 2 {
			tl.recordEntry(tz, records.Content[i], records.Content[i+1], names, &jobs)
		}
		tl.parseValues(jobs)
	}
	if len(tl.List) > 0 {
		l.problemsElsewhere(tl.List, z.Name)
		return nil, false
	}
	return tz, true
}
