package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// A template (templates/<name>.yaml) holds record sets, and optionally
// ignore rules, a default ttl and declared parameters, with names relative
// to whichever zone includes it (include: [mail, web]). A template is read
// and checked for its form once per run; its record sets are built for
// each zone that includes it, where the zone's provider and name decide
// what is valid, with the values already parsed for another zone reused.

// Templates are the templates of one directory (zonesync.yaml's templates
// key), each read once however many zones include it; safe for
// concurrent use.
type Templates struct {
	dir    string
	mu     sync.Mutex
	byName map[string]*template
}

// NewTemplates returns the templates of dir, read as zones include them.
func NewTemplates(dir string) *Templates {
	return &Templates{dir: dir, byName: map[string]*template{}}
}

// templateKeys are the keys a template may have, in their documented order.
var templateKeys = []string{"description", "parameters", "ttl", "ignore", "records"}

// templateName is what a template's name may look like: its file name
// without .yaml.
var templateName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// paramName is what a parameter's name may look like.
var paramName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// zoneParam is the parameter every template has: the name of the zone
// that includes it.
const zoneParam = "zone"

type template struct {
	name string
	// file is the template's path; empty when there is no such template.
	file string
	once sync.Once
	// used is set once a zone includes the template.
	used atomic.Bool
	// problems are the template's own, found whatever zone includes it.
	problems yamlx.ErrorList
	origins  map[*yaml.Node]yamlx.Origin
	params   map[string]*param
	// ttl, ignore and records are the values of those keys, or nil.
	ttl, ignore, records *yaml.Node
	// withParams holds the nodes under records whose text uses a
	// parameter, and every node above one.
	withParams map[*yaml.Node]bool
	cache      valueCache
}

// param is a parameter a template declares.
type param struct {
	name string
	// def is its default; nil when a zone must give it.
	def *string
	pos model.Pos
}

// get returns the template name, read and checked on first use, or nil
// when the directory has no such template.
func (ts *Templates) get(name string) *template {
	ts.mu.Lock()
	t, ok := ts.byName[name]
	if !ok {
		t = &template{name: name}
		ts.byName[name] = t
	}
	ts.mu.Unlock()
	t.once.Do(func() { t.load(ts.dir) })
	if t.file == "" {
		return nil
	}
	return t
}

// names lists the templates of the directory, sorted; none when it does
// not exist.
func (ts *Templates) names() ([]string, error) {
	files, err := TemplateFiles(ts.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		n := filepath.Base(f)
		if base := strings.TrimSuffix(strings.TrimSuffix(n, ".yaml"), ".yml"); !slices.Contains(names, base) {
			names = append(names, base)
		}
	}
	sort.Strings(names)
	return names, nil
}

// TemplateFiles lists the template files of a templates directory, as
// zone specs can include them (<name>.yaml or <name>.yml); none when the
// directory does not exist.
func TemplateFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read templates directory: %w", err)
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		base := strings.TrimSuffix(strings.TrimSuffix(n, ".yaml"), ".yml")
		if base == n || strings.HasPrefix(n, ".") || !templateName.MatchString(base) {
			continue
		}
		if regular, err := specEntry(dir, e); err != nil {
			return nil, err
		} else if regular {
			files = append(files, filepath.Join(dir, n))
		}
	}
	return files, nil
}

// unusedProblems are the problems of the templates no zone included
// (those of included ones are reported with the zones).
func (ts *Templates) unusedProblems() (yamlx.ErrorList, error) {
	names, err := ts.names()
	if err != nil {
		return nil, err
	}
	var out yamlx.ErrorList
	for _, n := range names {
		if t := ts.get(n); t != nil && !t.used.Load() {
			out = append(out, t.problems...)
		}
	}
	return out, nil
}

// load reads and checks the template from dir.
func (t *template) load(dir string) {
	for _, ext := range []string{".yaml", ".yml"} {
		file := filepath.Join(dir, t.name+ext)
		if st, err := os.Stat(file); err == nil && st.Mode().IsRegular() {
			t.file = file
			break
		}
	}
	if t.file == "" {
		return
	}
	e := &yamlx.FileErrors{File: t.file}
	defer func() { t.problems, t.origins = e.List, e.Origins }()
	data, err := os.ReadFile(t.file)
	if err != nil {
		e.Add(nil, "cannot read: %v", err)
		return
	}
	if problem := sizeProblems(t.file, bytes.NewReader(data), int64(len(data))); problem != nil {
		e.List = problem
		return
	}
	doc, err := yamlx.Parse(data)
	if err != nil {
		// A template writes ${name} as zonesync.yaml writes ${VAR}.
		e.List = yamlx.ErrorList{yamlx.SyntaxError(t.file, data, err, true)}
		return
	}
	if !yamlx.Expand(e, doc) {
		return
	}
	root := yamlx.Resolve(doc)
	if root == nil || root.Kind == 0 {
		e.Add(root, "the template is empty; it needs records or ignore rules")
		return
	}
	if root.Kind != yaml.MappingNode {
		e.Add(root, "a template must be a mapping with records, and optionally parameters, ttl and ignore")
		return
	}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case isExtensionKey(k):
		case slices.Contains(zoneKeys, k.Value) && !slices.Contains(templateKeys, k.Value):
			e.Add(k, "%s is not for templates: the spec that includes a template sets its zone's %s; a template holds records, ignore rules, a default ttl and parameters", k.Value, k.Value)
		case !slices.Contains(templateKeys, k.Value):
			e.Add(k, "unknown key %q%s", k.Value, yamlx.Suggest(k.Value, templateKeys))
		case keys[k.Value] != nil:
			e.Add(k, "key %q is set twice", k.Value)
		default:
			keys[k.Value] = v
		}
	}
	if n := keys["description"]; n != nil && (n.Kind != yaml.ScalarNode || n.Tag == "!!null") {
		e.Add(n, "description must be a text, not %s", yamlx.Describe(n))
	}
	t.loadParams(e, keys["parameters"])
	if n := keys["ttl"]; n != nil {
		// The range here; the provider's rules for each including zone.
		check := &loader{FileErrors: yamlx.FileErrors{File: t.file}}
		if _, ok := check.ttl(n, "ttl"); ok {
			t.ttl = n
		}
		e.List = append(e.List, check.List...)
	}
	if n := keys["ignore"]; n != nil {
		if n.Kind != yaml.SequenceNode {
			e.Add(n, "ignore must be a list of {name, type} rules")
		} else {
			t.ignore = n
			t.checkNoParams(e, n, "ignore rules")
		}
	}
	if n := keys["records"]; n != nil {
		if n.Kind != yaml.MappingNode {
			e.Add(n, "records must be a mapping of names to lists of record sets")
		} else {
			t.records = n
			t.checkRecords(e, n)
		}
	}
	if t.records == nil && t.ignore == nil && len(e.List) == 0 {
		e.Add(root, "the template has neither records nor ignore rules")
	}
}

// loadParams reads the parameters key: a mapping of names to their
// description and default, or to nothing for a parameter without either.
func (t *template) loadParams(e *yamlx.FileErrors, n *yaml.Node) {
	t.params = map[string]*param{}
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		e.Add(n, "parameters must be a mapping of parameter names to {description, default}")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode || !paramName.MatchString(k.Value):
			e.Add(k, "parameter name %s must be letters, digits and '_', not starting with a digit", yamlx.Describe(k))
			continue
		case k.Value == zoneParam:
			e.Add(k, "parameter %q is zonesync's: ${zone} is the name of the zone that includes the template; name yours otherwise", zoneParam)
			continue
		case t.params[k.Value] != nil:
			e.Add(k, "parameter %q is declared twice", k.Value)
			continue
		}
		p := &param{name: k.Value, pos: yamlx.NodePos(t.file, k)}
		if v.Tag != "!!null" {
			var decl struct {
				Description string  `yaml:"description"`
				Default     *string `yaml:"default"`
			}
			before := len(e.List)
			yamlx.Decode(e, v, &decl, "parameters."+k.Value)
			if len(e.List) > before {
				continue
			}
			p.def = decl.Default
			if d := yamlx.MapValue(v, "default"); p.def != nil && strings.Contains(*p.def, "${") {
				e.Add(d, "a default cannot use a parameter: write the value itself")
				continue
			}
		}
		t.params[k.Value] = p
	}
}

// checkRecords checks the record names of a template, and where it uses
// parameters: in record names and values only, each one declared.
func (t *template) checkRecords(e *yamlx.FileErrors, records *yaml.Node) {
	t.withParams = map[*yaml.Node]bool{}
	for i := 0; i+1 < len(records.Content); i += 2 {
		k, v := records.Content[i], records.Content[i+1]
		if k.Kind == yaml.ScalarNode && strings.HasSuffix(k.Value, ".") {
			e.Add(k, "record name %q is absolute; a template's names are relative to the zone that includes it: write %q", k.Value, relativeHint(k.Value))
		}
		keyUses := t.usesParams(e, k)
		items := v.Content
		if v.Kind == yaml.MappingNode {
			items = []*yaml.Node{v}
		}
		valueUses := false
		for _, item := range items {
			if item.Kind != yaml.MappingNode {
				continue
			}
			itemUses := false
			for j := 0; j+1 < len(item.Content); j += 2 {
				ik, iv := item.Content[j], item.Content[j+1]
				if ik.Value == "value" || ik.Value == "values" {
					if t.usesParams(e, iv) {
						itemUses = true
					}
					continue
				}
				t.checkNoParams(e, iv, "record names and values")
			}
			if itemUses {
				t.withParams[item] = true
				valueUses = true
			}
		}
		if valueUses && v.Kind == yaml.SequenceNode {
			t.withParams[v] = true
		}
		if keyUses || valueUses {
			t.withParams[records] = true
		}
	}
}

// relativeHint is an absolute record name as a template writes it: its
// first label, for want of knowing the zone.
func relativeHint(name string) string {
	first, _, _ := strings.Cut(name, ".")
	if first == "" {
		return model.Apex
	}
	return first
}

// usesParams checks the parameters used in the scalars at and under n,
// marking the nodes that use one (and those above them) in withParams,
// and reports whether any does.
func (t *template) usesParams(e *yamlx.FileErrors, n *yaml.Node) bool {
	uses := false
	if n.Kind == yaml.ScalarNode {
		names, err := paramsIn(n.Value)
		if err != nil {
			e.Add(n, "%v", err)
		}
		uses = len(names) > 0 || strings.Contains(n.Value, "$${")
		for _, name := range names {
			if name != zoneParam && t.params[name] == nil {
				e.Add(n, "parameter %q is not declared; declare it under parameters%s", name, yamlx.Suggest(name, t.paramNames()))
			}
		}
	}
	for _, c := range n.Content {
		if t.usesParams(e, c) {
			uses = true
		}
	}
	if uses {
		t.withParams[n] = true
	}
	return uses
}

// checkNoParams refuses a parameter anywhere under n, which is outside
// where parameters can be used (where).
func (t *template) checkNoParams(e *yamlx.FileErrors, n *yaml.Node, where string) {
	if n.Kind == yaml.ScalarNode && strings.Contains(strings.ReplaceAll(n.Value, "$${", ""), "${") {
		e.Add(n, "a parameter can be used in %s only", where)
	}
	for _, c := range n.Content {
		t.checkNoParams(e, c, where)
	}
}

func (t *template) paramNames() []string {
	names := make([]string, 0, len(t.params)+1)
	for n := range t.params {
		names = append(names, n)
	}
	sort.Strings(names)
	return append(names, zoneParam)
}

// declared lists the template's parameters for a message.
func (t *template) declared() string {
	names := t.paramNames()
	names = names[:len(names)-1]
	if len(names) == 0 {
		return "it declares none"
	}
	return "it declares " + strings.Join(names, ", ")
}

// paramsIn returns the names of the parameters s uses, ${name} each;
// $${ is a literal "${".
func paramsIn(s string) ([]string, error) {
	var names []string
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "$${") {
			i += 2
			continue
		}
		if !strings.HasPrefix(s[i:], "${") {
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return names, fmt.Errorf("%q opens a parameter with ${ and does not close it with }; write $${ for a literal ${", s)
		}
		name := s[i+2 : i+end]
		if !paramName.MatchString(name) {
			return names, fmt.Errorf("%q is not a parameter name (letters, digits and '_', not starting with a digit)", "${"+name+"}")
		}
		names = append(names, name)
		i += end
	}
	return names, nil
}

// substitute replaces each ${name} of s by its value, and $${ by ${.
func substitute(s string, values map[string]paramValue) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "$${") {
			b.WriteString("${")
			i += 2
			continue
		}
		if strings.HasPrefix(s[i:], "${") {
			if end := strings.IndexByte(s[i:], '}'); end > 0 {
				b.WriteString(values[s[i+2:i+end]].value)
				i += end
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// paramValue is the value a parameter takes in one including zone.
type paramValue struct {
	value string
	// from says where the value was given, for messages.
	from string
}

// instantiate returns the node tree n with the parameters replaced by
// their values in one zone; the nodes without a parameter are shared,
// and each node given a value gets a note saying where it came from.
func (t *template) instantiate(n *yaml.Node, values map[string]paramValue, notes map[*yaml.Node]string) *yaml.Node {
	if !t.withParams[n] {
		return n
	}
	c := *n
	if n.Kind == yaml.ScalarNode {
		c.Value = substitute(n.Value, values)
		names, _ := paramsIn(n.Value)
		var parts []string
		for _, name := range slices.Compact(slices.Sorted(slices.Values(names))) {
			parts = append(parts, fmt.Sprintf("${%s} is %q%s", name, values[name].value, values[name].from))
		}
		if len(parts) > 0 {
			notes[&c] = strings.Join(parts, ", ")
		}
		return &c
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		c.Content[i] = t.instantiate(ch, values, notes)
	}
	return &c
}

// valueCache holds the canonical form of values parsed for one zone, for
// the next zone that includes the same template: canonical form and the
// value's problems depend on the type and the text only.
type valueCache struct {
	m sync.Map
}

type cachedValue struct {
	v   string
	err error
}

func (c *valueCache) get(rrtype, value string, parse func() (string, error)) (string, error) {
	key := rrtype + " " + value
	if cv, ok := c.m.Load(key); ok {
		return cv.(cachedValue).v, cv.(cachedValue).err
	}
	v, err := parse()
	c.m.Store(key, cachedValue{v, err})
	return v, err
}

// elsewhereProblem is a problem found in a template while loading a zone
// that includes it.
type elsewhereProblem struct {
	*yamlx.Error
	zone string
}

// groupElsewhere turns the problems found in templates into one problem
// each, naming the zones that met it, however many did.
func groupElsewhere(ps []elsewhereProblem) yamlx.ErrorList {
	type key struct {
		pos model.Pos
		msg string
	}
	zones := map[key][]string{}
	var order []key
	for _, p := range ps {
		k := key{p.Pos, p.Msg}
		if _, ok := zones[k]; !ok {
			order = append(order, k)
		}
		if p.zone != "" && !slices.Contains(zones[k], p.zone) {
			zones[k] = append(zones[k], p.zone)
		}
	}
	out := make(yamlx.ErrorList, 0, len(order))
	for _, k := range order {
		msg := k.msg
		if names := zones[k]; len(names) > 0 {
			sort.Strings(names)
			msg += " (included by zone " + listSome(names, 3) + ")"
			if len(names) > 1 {
				msg = strings.Replace(msg, "(included by zone ", "(included by zones ", 1)
			}
		}
		out = append(out, &yamlx.Error{Pos: k.pos, Msg: msg})
	}
	return out
}

// listSome joins the first n names and counts the rest.
func listSome(names []string, n int) string {
	if len(names) <= n {
		if len(names) > 1 {
			return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
		}
		return strings.Join(names, "")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// problemsElsewhere adds a loader's problems, found in a template, as
// problems of the zone being loaded.
func (l *loader) problemsElsewhere(list yamlx.ErrorList, zone string) {
	for _, e := range list {
		l.elsewhere = append(l.elsewhere, elsewhereProblem{Error: e, zone: zone})
	}
}
