package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// Limits of the zone spec format.
const (
	// DefaultTTL is the TTL of records when a spec sets none.
	DefaultTTL = 3600
	// MaxSpecFile is the largest zone spec file zonesync reads, in bytes.
	MaxSpecFile = 256 << 20
)

// CapabilitiesFunc returns the capabilities of a configured provider by name.
type CapabilitiesFunc func(provider string) (model.Capabilities, bool)

// LoadZones loads and validates every zone spec (*.yaml, *.yml) in the
// config's zones directory. Every problem in every file is reported at once.
func LoadZones(cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	files, err := SpecFiles(cfg.ZonesDir)
	if err != nil {
		return nil, err
	}
	zones := make([]*model.Zone, len(files))
	errLists := make([]yamlx.ErrorList, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			defer func() {
				if r := recover(); r != nil {
					zones[i], errLists[i] = nil, yamlx.ErrorList{{Pos: model.Pos{File: f, Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error loading this spec: %v (please report it)", r)}}
				}
			}()
			zones[i], errLists[i] = loadZoneFile(f, cfg, caps)
		}()
	}
	wg.Wait()
	var all yamlx.ErrorList
	for _, l := range errLists {
		all = append(all, l...)
	}
	byName := map[string]*model.Zone{}
	for _, z := range zones {
		if z == nil {
			continue
		}
		if prev, dup := byName[z.Name]; dup {
			all = append(all, &yamlx.Error{Pos: z.Pos["zone"], Msg: fmt.Sprintf("zone %s is already declared in %s", z.Name, prev.File)})
			continue
		}
		byName[z.Name] = z
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	return zones, nil
}

// SpecFiles lists the zone spec files of a directory, sorted.
func SpecFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read zones directory: %w", err)
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) || strings.HasPrefix(n, ".") {
			continue
		}
		regular, err := specEntry(dir, e)
		if err != nil {
			return nil, err
		}
		if regular {
			files = append(files, filepath.Join(dir, n))
		}
	}
	return files, nil
}

// specEntry reports whether a directory entry is a spec file: a regular
// file, or a symbolic link to one. A link to nothing is an error, so that
// a zone's spec never goes missing silently.
func specEntry(dir string, e os.DirEntry) (bool, error) {
	if e.Type()&os.ModeSymlink == 0 {
		return e.Type().IsRegular(), nil
	}
	path := filepath.Join(dir, e.Name())
	info, err := os.Stat(path)
	if err != nil {
		target, _ := os.Readlink(path)
		return false, fmt.Errorf("zone spec %s is a symbolic link to %s, which cannot be read: %w", path, target, err)
	}
	return info.Mode().IsRegular(), nil
}

func loadZoneFile(file string, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, yamlx.ErrorList) {
	z, err := readZoneFile(file, cfg, caps)
	if err != nil {
		return nil, err.(yamlx.ErrorList)
	}
	return z, nil
}

// readZoneFile is ParseZone on a file, read in pieces where it can be, so
// that a big spec is never held in memory whole.
func readZoneFile(file string, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	if f, err := os.Open(file); err == nil {
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if problem := sizeProblems(file, f, st.Size()); problem != nil {
				return nil, problem
			}
			if z, ok, err := parseZoneSplit(file, f, st.Size(), cfg, caps); ok {
				return z, err
			}
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, yamlx.ErrorList{{Pos: model.Pos{File: file, Line: 1, Col: 1}, Msg: "cannot read: " + err.Error()}}
	}
	return parseZoneWhole(file, data, cfg, caps)
}

// ParseZone loads and validates one zone spec held in memory. The returned
// error, if any, is an ErrorList with every problem found.
func ParseZone(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	if problem := sizeProblems(file, bytes.NewReader(data), int64(len(data))); problem != nil {
		return nil, problem
	}
	if z, ok, err := parseZoneSplit(file, bytes.NewReader(data), int64(len(data)), cfg, caps); ok {
		return z, err
	}
	return parseZoneWhole(file, data, cfg, caps)
}

// parseZoneSplit is ParseZone on a spec of size bytes read from src in
// pieces (split.go); ok is false when the spec cannot be cut or a piece
// does not parse on its own.
func parseZoneSplit(file string, src io.ReaderAt, size int64, cfg *config.Config, caps CapabilitiesFunc) (z *model.Zone, ok bool, err error) {
	s := splitSpec(src, size)
	if s == nil {
		return nil, false, nil
	}
	root, placeholder, ok := s.parseRest()
	if !ok {
		return nil, false, nil
	}
	l := &loader{FileErrors: yamlx.FileErrors{File: file}, cfg: cfg, caps: caps, split: s, placeholder: placeholder}
	z = l.zone(root)
	if !l.chunksRead {
		// The body went unused (records is set twice): it must still be
		// YAML, as it must when the whole file is parsed.
		l.chunkFailed = !parseChunks(s.src, s.chunks, func(*yaml.Node) {})
	}
	if l.chunkFailed {
		return nil, false, nil
	}
	z, err = l.result(z)
	return z, true, err
}

// parseZoneWhole is ParseZone on the node tree of the whole spec.
func parseZoneWhole(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, yamlx.ErrorList{yamlx.SyntaxError(file, data, err, false)}
	}
	l := &loader{FileErrors: yamlx.FileErrors{File: file}, cfg: cfg, caps: caps}
	return l.result(l.zone(yamlx.Resolve(doc)))
}

func (l *loader) result(z *model.Zone) (*model.Zone, error) {
	if err := l.List.Err(); err != nil {
		return nil, err
	}
	return z, nil
}

// loader builds one zone from its YAML tree, collecting every problem.
type loader struct {
	yamlx.FileErrors
	cfg  *config.Config
	caps CapabilitiesFunc
	// cap is the zone's provider's capabilities, when the provider is known.
	cap *model.Capabilities
	z   *model.Zone
	// split holds the body of the records mapping when the spec was cut
	// into pieces (split.go); placeholder is the records value then.
	split       *specSplit
	placeholder *yaml.Node
	// chunksRead is set once the chunks are parsed, chunkFailed when one
	// did not parse on its own.
	chunksRead, chunkFailed bool
}

// zoneKeys are the keys a zone spec may have, in their documented order.
var zoneKeys = []string{"zone", "provider", "mode", "masters", "ttl", "soa", "ignore", "records"}

func (l *loader) zone(root *yaml.Node) *model.Zone {
	z := &model.Zone{File: l.File, Mode: model.Master, TTL: DefaultTTL, Pos: map[string]model.Pos{}}
	l.z = z
	if root == nil || root.Kind == 0 {
		l.Add(root, "the zone spec is empty")
		return nil
	}
	if root.Kind != yaml.MappingNode {
		l.Add(root, "a zone spec must be a mapping with zone, provider and records")
		return nil
	}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case !slices.Contains(zoneKeys, k.Value):
			l.Add(k, "unknown key %q%s", k.Value, yamlx.Suggest(k.Value, zoneKeys))
		case keys[k.Value] != nil:
			l.Add(k, "key %q is set twice", k.Value)
		default:
			keys[k.Value] = v
			z.Pos[k.Value] = yamlx.NodePos(l.File, k)
		}
	}

	l.zoneName(z, keys["zone"], root)
	l.provider(z, keys["provider"], root)
	if n := keys["mode"]; n != nil {
		switch m := model.Mode(n.Value); {
		case n.Kind == yaml.ScalarNode && (m == model.Master || m == model.Slave):
			z.Mode = m
		default:
			l.Add(n, "mode must be master or slave, not %s", yamlx.Describe(n))
		}
	}
	if n := keys["ttl"]; n != nil {
		if ttl, ok := l.ttl(n, "ttl"); ok {
			z.TTL = ttl
		}
	}
	l.masters(z, keys["masters"])
	if n := keys["soa"]; n != nil {
		z.SOA = l.soa(n)
	}
	if n := keys["ignore"]; n != nil {
		l.ignore(z, n)
	}
	if n := keys["records"]; n != nil {
		l.records(z, n)
	}
	l.checkMode(z, keys)
	l.checkZoneTTL(z, keys["ttl"])
	if z.Name == "" {
		return nil
	}
	return z
}

func (l *loader) zoneName(z *model.Zone, n *yaml.Node, root *yaml.Node) {
	if n == nil {
		l.Add(root, "missing key \"zone\": the zone's domain name")
		return
	}
	name, err := model.ASCIIName(strings.TrimSuffix(n.Value, "."))
	if err != nil && n.Kind == yaml.ScalarNode {
		l.Add(n, "zone %q: %v", n.Value, err)
		return
	}
	name = strings.ToLower(name)
	if n.Kind != yaml.ScalarNode || !model.ValidDomain(name) {
		l.Add(n, "zone %s is not a valid domain name", yamlx.Describe(n))
		return
	}
	// The file may be named in either form of an internationalised zone.
	if fileZone, err := model.ASCIIName(ZoneOfSpecFile(l.File)); err != nil || !strings.EqualFold(fileZone, name) {
		l.Add(n, "zone %s is declared in %s; name the file %s", name, filepath.Base(l.File), SpecFileName(name))
	}
	z.Name = name
}

func (l *loader) provider(z *model.Zone, n *yaml.Node, root *yaml.Node) {
	if n == nil {
		l.Add(root, "missing key \"provider\": one of %s", strings.Join(l.cfg.ProviderNames(), ", "))
		return
	}
	if _, ok := l.cfg.Providers[n.Value]; !ok || n.Kind != yaml.ScalarNode {
		l.Add(n, "unknown provider %s; zonesync.yaml declares %s", yamlx.Describe(n), orNone(l.cfg.ProviderNames()))
		return
	}
	z.Provider = n.Value
	if l.caps != nil {
		if c, ok := l.caps(n.Value); ok {
			l.cap = &c
		}
	}
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// ttl reads a TTL, checking the protocol's range and the provider's rules.
func (l *loader) ttl(n *yaml.Node, key string) (uint32, bool) {
	// A leading zero makes YAML's tag !!float (086400) as often as !!int (0300).
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" && n.Tag != "!!float" {
		l.Add(n, "%s must be a whole number of seconds, not %s", key, yamlx.Describe(n))
		return 0, false
	}
	if why := yamlx.NotDecimal(key, n.Value, false); why != "" {
		l.Add(n, "%s", why)
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		l.Add(n, "%s must be a whole number of seconds, not %s", key, yamlx.Describe(n))
		return 0, false
	}
	if err != nil || v < 0 || v > model.MaxTTL {
		l.Add(n, "%s %s is outside 0..%d", key, n.Value, model.MaxTTL)
		return 0, false
	}
	ttl := uint32(v)
	if l.cap != nil {
		if why := l.cap.TTLProblem(ttl); why != "" {
			l.Add(n, "%s %d is %s (provider %s)", key, ttl, why, l.z.Provider)
			return 0, false
		}
	}
	return ttl, true
}

func (l *loader) masters(z *model.Zone, n *yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		l.Add(n, "masters must be a list of IP addresses")
		return
	}
	for _, m := range n.Content {
		ip, err := netip.ParseAddr(m.Value)
		if err != nil || m.Kind != yaml.ScalarNode || ip.Zone() != "" {
			l.Add(m, "master %s is not an IP address", yamlx.Describe(m))
			continue
		}
		z.Masters = append(z.Masters, ip.String())
	}
	sort.Strings(z.Masters)
	z.Masters = slices.Compact(z.Masters)
}

// soaSpec is the soa section of a zone spec.
type soaSpec struct {
	PrimaryNS string `yaml:"primary_ns"`
	AdminMail string `yaml:"admin_mail"`
	Refresh   *int64 `yaml:"refresh"`
	Retry     *int64 `yaml:"retry"`
	Expire    *int64 `yaml:"expire"`
	Minimum   *int64 `yaml:"minimum"`
}

func (l *loader) soa(n *yaml.Node) *model.SOA {
	var s soaSpec
	before := len(l.List)
	yamlx.Decode(&l.FileErrors, n, &s, "soa")
	if len(l.List) > before {
		return nil
	}
	out := &model.SOA{}
	if s.PrimaryNS != "" {
		ns, err := model.ASCIIName(s.PrimaryNS)
		ns = strings.ToLower(ns)
		if !strings.HasSuffix(ns, ".") {
			ns += "."
		}
		switch {
		case err != nil:
			l.Add(yamlx.MapValue(n, "primary_ns"), "soa.primary_ns: %v", err)
		case !model.ValidDomain(strings.TrimSuffix(ns, ".")) || strings.Contains(ns, "*"):
			l.Add(yamlx.MapValue(n, "primary_ns"), "soa.primary_ns %q is not a valid host name", s.PrimaryNS)
		}
		out.PrimaryNS = ns
	}
	if s.AdminMail != "" {
		mail, err := model.ParseAdminMail(s.AdminMail)
		if err != nil {
			l.Add(yamlx.MapValue(n, "admin_mail"), "soa.admin_mail: %v", err)
		}
		out.AdminMail = mail
	}
	for _, f := range []struct {
		key string
		v   *int64
		dst *uint32
	}{
		{"refresh", s.Refresh, &out.Refresh}, {"retry", s.Retry, &out.Retry},
		{"expire", s.Expire, &out.Expire}, {"minimum", s.Minimum, &out.Minimum},
	} {
		if f.v == nil {
			continue
		}
		vn := yamlx.MapValue(n, f.key)
		r := model.Range{Min: 1, Max: model.MaxTTL}
		if l.cap != nil {
			if pr, ok := l.cap.SOARanges[f.key]; ok {
				r = pr
			}
		}
		if *f.v < int64(r.Min) || *f.v > int64(r.Max) {
			l.Add(vn, "soa.%s %d is outside %s%s", f.key, *f.v, r, l.providerNote(f.key))
			continue
		}
		*f.dst = uint32(*f.v)
	}
	if l.cap != nil {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if slices.Contains(model.SOAFields, k.Value) && !l.cap.HasSOAField(k.Value) {
				l.Add(k, "provider %s cannot set soa.%s%s", l.z.Provider, k.Value, soaHint(l.cap.SOA))
			}
		}
	}
	return out
}

func soaHint(fields []string) string {
	if len(fields) == 0 {
		return " (it manages no SOA fields; remove the soa section)"
	}
	return " (it can set " + strings.Join(fields, ", ") + ")"
}

func (l *loader) providerNote(field string) string {
	if l.cap != nil {
		if _, ok := l.cap.SOARanges[field]; ok {
			return " (provider " + l.z.Provider + ")"
		}
	}
	return ""
}

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

// recordKeys are the keys of one record set in a spec.
var recordKeys = []string{"type", "ttl", "value", "values", "failover"}

// valueJob is one value waiting to be parsed into canonical form.
type valueJob struct {
	rs   *model.RecordSet
	idx  int
	node *yaml.Node
	// strs are the strings of a TXT or SPF value written as a list; nil
	// for a value written as one scalar.
	strs []string
}

// canonical is the job's value in canonical form.
func (j valueJob) canonical() (string, error) {
	if j.strs != nil {
		return model.TXTStringsValue(j.strs)
	}
	return canonicalSafely(j.rs.Type, j.node.Value)
}

func (l *loader) records(z *model.Zone, n *yaml.Node) {
	var names map[string]int
	if n == l.placeholder && n != nil {
		// Sized up front: growing a map of a million names costs more
		// than filling it.
		names = make(map[string]int, l.split.entries)
		// The body was cut into chunks: build each chunk's record sets
		// and drop its nodes before the next.
		var jobs []valueJob
		first := true
		l.chunksRead = true
		l.chunkFailed = !parseChunks(l.split.src, l.split.chunks, func(m *yaml.Node) {
			if first {
				// The whole spec's records mapping starts where its first chunk does.
				n.Line, n.Column, first = m.Line, m.Column, false
			}
			for i := 0; i+1 < len(m.Content); i += 2 {
				l.recordEntry(z, m.Content[i], m.Content[i+1], names, &jobs)
			}
			l.parseValues(jobs)
			clear(jobs)
			jobs = jobs[:0]
		})
		if l.chunkFailed {
			return
		}
	} else {
		if n.Kind != yaml.MappingNode {
			l.Add(n, "records must be a mapping of names to lists of record sets")
			return
		}
		var jobs []valueJob
		names = make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			l.recordEntry(z, n.Content[i], n.Content[i+1], names, &jobs)
		}
		l.parseValues(jobs)
	}
	z.SortRecords()
	l.checkRecords(z)
}

// recordEntry builds the record sets of one entry of the records mapping,
// name k; names maps the names seen so far to their lines.
func (l *loader) recordEntry(z *model.Zone, k, v *yaml.Node, names map[string]int, jobs *[]valueJob) {
	name, ok := l.recordName(z, k)
	if !ok {
		return
	}
	if prev, dup := names[name]; dup {
		l.Add(k, "name %q is declared twice (first at line %d); put all its record sets under one key", k.Value, prev)
		return
	}
	names[name] = yamlx.NodePos(l.File, k).Line
	items := v.Content
	switch v.Kind {
	case yaml.MappingNode:
		items = []*yaml.Node{v}
	case yaml.SequenceNode:
	default:
		l.Add(v, "records.%s must be a list of record sets, not %s", k.Value, yamlx.Describe(v))
		return
	}
	// A name is declared once, so a duplicate record set can only be
	// among this entry's own.
	first := len(z.Records)
	for j, item := range items {
		rs := l.recordSet(z, name, "records."+k.Value+"["+strconv.Itoa(j)+"]", item, jobs)
		if rs == nil {
			continue
		}
		if i := slices.IndexFunc(z.Records[first:], func(o *model.RecordSet) bool { return o.Type == rs.Type }); i >= 0 {
			l.Add(item, "duplicate record set %s %s (first at line %d); merge the values into one", k.Value, rs.Type, z.Records[first+i].Pos.Line)
			continue
		}
		z.Records = append(z.Records, rs)
	}
}

// recordName validates a key of the records mapping and returns it relative to the zone.
func (l *loader) recordName(z *model.Zone, k *yaml.Node) (string, bool) {
	raw := k.Value
	if k.Kind != yaml.ScalarNode || raw == "" {
		l.Add(k, "record name %s is not a valid name", yamlx.Describe(k))
		return "", false
	}
	if raw == model.Apex {
		return model.Apex, true
	}
	ascii, err := model.ASCIIName(raw)
	if err != nil {
		l.Add(k, "name %q: %v", raw, err)
		return "", false
	}
	name := strings.ToLower(ascii)
	if strings.HasSuffix(name, ".") {
		rel, ok := model.RelativeName(name, z.Name)
		if !ok {
			l.Add(k, "name %q is outside zone %s", raw, z.Name)
			return "", false
		}
		name = rel
		if name == model.Apex {
			return model.Apex, true
		}
	} else if z.Name != "" && (name == z.Name || strings.HasSuffix(name, "."+z.Name)) {
		l.Add(k, "name %q looks absolute but has no trailing dot: write %q or %q", raw, raw+".", strings.TrimSuffix(strings.TrimSuffix(name, z.Name), "."))
		return "", false
	}
	if !model.ValidRelativeName(name) {
		l.Add(k, "name %q is not a valid DNS name (labels of letters, digits, '-' and '_', '*' only as the first label)", raw)
		return "", false
	}
	if z.Name != "" && len(name)+len(z.Name)+2 > 255 {
		l.Add(k, "name %q makes an owner name longer than 255 bytes", raw)
		return "", false
	}
	return name, true
}

func (l *loader) recordSet(z *model.Zone, name, key string, item *yaml.Node, jobs *[]valueJob) *model.RecordSet {
	if item.Kind != yaml.MappingNode {
		l.Add(item, "%s must be a mapping with type and value or values", key)
		return nil
	}
	rs := &model.RecordSet{Name: name, TTL: z.TTL, Pos: yamlx.NodePos(l.File, item)}
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		switch {
		case !slices.Contains(recordKeys, k.Value):
			l.Add(k, "unknown key %q in %s%s", k.Value, key, yamlx.Suggest(k.Value, recordKeys))
		case fields[k.Value] != nil:
			l.Add(k, "key %q is set twice in %s", k.Value, key)
		default:
			fields[k.Value] = v
		}
	}
	tn := fields["type"]
	if tn == nil {
		l.Add(item, "%s has no type", key)
		return nil
	}
	rs.Type = internType(strings.ToUpper(tn.Value))
	if err := model.CheckType(rs.Type); err != nil || tn.Kind != yaml.ScalarNode {
		if err == nil {
			err = fmt.Errorf("type must be a record type, not %s", yamlx.Describe(tn))
		}
		l.Add(tn, "%s: %v", key, err)
		return nil
	}
	if model.SignerOwned(name, rs.Type, false) {
		l.Add(tn, "%s: %s at the apex is BIND's DNSSEC signing state, kept by the signer; it cannot be declared", key, rs.Type)
		return nil
	}
	if l.cap != nil && !l.cap.HasType(rs.Type) {
		l.Add(tn, "%s: provider %s cannot hold %s records (it supports %s)", key, z.Provider, rs.Type, strings.Join(l.cap.RecordTypes, ", "))
		return nil
	}
	if tn := fields["ttl"]; tn != nil {
		ttl, ok := l.ttl(tn, key+".ttl")
		if !ok {
			return nil
		}
		rs.TTL = ttl
		if l.cap != nil && l.cap.ZoneTTL && ttl != z.TTL {
			l.Add(tn, "%s.ttl %d differs from the zone's ttl %d: provider %s has one TTL per zone, not per record", key, ttl, z.TTL, z.Provider)
			return nil
		}
	}
	var values []*yaml.Node
	switch v, vs := fields["value"], fields["values"]; {
	case v != nil && vs != nil:
		l.Add(vs, "%s has both value and values; use one", key)
		return nil
	case v != nil:
		values = []*yaml.Node{v}
	case vs != nil:
		if vs.Kind != yaml.SequenceNode {
			l.Add(vs, "%s.values must be a list", key)
			return nil
		}
		if len(vs.Content) == 0 {
			l.Add(vs, "%s.values is empty; a record set needs at least one value", key)
			return nil
		}
		values = vs.Content
	default:
		l.Add(item, "%s has no value or values", key)
		return nil
	}
	rs.Values = make([]string, len(values))
	tooLong := false
	for i, vn := range values {
		if vn.Kind == yaml.SequenceNode && model.IsTXT(rs.Type) {
			strs, ok := l.txtStrings(z, key, vn)
			if !ok {
				return nil
			}
			*jobs = append(*jobs, valueJob{rs: rs, idx: i, node: vn, strs: strs})
			continue
		}
		if vn.Kind != yaml.ScalarNode || vn.Tag == "!!null" {
			hint := ""
			if vn.Kind == yaml.SequenceNode {
				hint = " (only a TXT or SPF value can be a list: the strings of one record)"
			}
			l.Add(vn, "%s: a value must be a string, not %s%s", key, yamlx.Describe(vn), hint)
			return nil
		}
		if why := valueTextProblem(rs.Type, len(vn.Value)); why != "" {
			l.Add(vn, "%s %s: %s", model.DisplayName(name), rs.Type, why)
			tooLong = true
			continue
		}
		*jobs = append(*jobs, valueJob{rs: rs, idx: i, node: vn})
	}
	if tooLong {
		return nil
	}
	if fn := fields["failover"]; fn != nil {
		rs.Failover = l.failover(z, rs, key, fn)
	}
	return rs
}

// parseValues turns every value into canonical form, on every core.
func (l *loader) parseValues(jobs []valueJob) {
	problems := make([]error, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), 1+len(jobs)/256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(jobs); i += workers {
				j := jobs[i]
				v, err := j.canonical()
				if err != nil {
					problems[i] = err
					continue
				}
				if why := rdataProblem(j.rs.Type, v); why != "" {
					problems[i] = errors.New(why)
					continue
				}
				j.rs.Values[j.idx] = v
			}
		}()
	}
	wg.Wait()
	bad := map[*model.RecordSet]bool{}
	for i, err := range problems {
		if err == nil {
			if why := l.valueProblem(jobs[i].rs, jobs[i].rs.Values[jobs[i].idx]); why != "" {
				err = fmt.Errorf("%s", why)
			}
		}
		if err != nil {
			l.Add(jobs[i].node, "%s %s: %v", model.DisplayName(jobs[i].rs.Name), jobs[i].rs.Type, err)
			bad[jobs[i].rs] = true
		}
	}
	seen := map[*model.RecordSet]bool{}
	for _, j := range jobs {
		if !seen[j.rs] && !bad[j.rs] {
			seen[j.rs] = true
			j.rs.SetValues(j.rs.Values)
		}
	}
}

// txtStrings reads a TXT or SPF value written as a list of strings: one
// record whose strings keep their boundaries. ok is false when the list
// was refused (and the problem added).
func (l *loader) txtStrings(z *model.Zone, key string, n *yaml.Node) ([]string, bool) {
	if len(n.Content) == 0 {
		l.Add(n, "%s: a TXT value written as a list needs at least one string", key)
		return nil, false
	}
	strs := make([]string, len(n.Content))
	ok := true
	for i, item := range n.Content {
		switch {
		case item.Kind != yaml.ScalarNode || item.Tag == "!!null":
			l.Add(item, "%s: string %d of a TXT value must be a string, not %s", key, i+1, yamlx.Describe(item))
			ok = false
		case len(item.Value) > model.TXTChunk:
			l.Add(item, "%s: string %d of a TXT value is %d bytes; one string holds at most %d (split it into more strings, or write the text as one plain value)", key, i+1, len(item.Value), model.TXTChunk)
			ok = false
		}
		strs[i] = item.Value
	}
	if ok && l.cap != nil && !l.cap.TXTStrings && !model.PlainTXT(strs) {
		l.Add(n, "%s: provider %s keeps a TXT record as one text and cannot hold the boundaries between its strings; write the text as one plain value", key, z.Provider)
		ok = false
	}
	return strs, ok
}

// canonicalSafely is CanonicalValue, with a panic in the parser (on input
// no one foresaw) turned into the value's error.
func canonicalSafely(rrtype, value string) (v string, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = "", fmt.Errorf("the value could not be parsed (internal error: %v)", r)
		}
	}()
	return model.CanonicalValue(rrtype, value)
}

// failoverSpec is the failover section of a record set.
type failoverSpec struct {
	Check     string                 `yaml:"check"`
	Settings  model.FailoverSettings `yaml:"settings"`
	Down      string                 `yaml:"down"`
	Up        string                 `yaml:"up"`
	BackupIPs []string               `yaml:"backup_ips"`
	Active    *bool                  `yaml:"active"`
}

func (l *loader) failover(z *model.Zone, rs *model.RecordSet, key string, n *yaml.Node) *model.Failover {
	if rs.Type != "A" && rs.Type != "AAAA" {
		l.Add(n, "%s: failover is only possible on A and AAAA records, not %s", key, rs.Type)
		return nil
	}
	if l.cap != nil && !l.cap.Failover {
		l.Add(n, "%s: provider %s does not support failover", key, z.Provider)
		return nil
	}
	var s failoverSpec
	before := len(l.List)
	yamlx.Decode(&l.FileErrors, n, &s, key+".failover")
	if len(l.List) > before {
		return nil
	}
	f := &model.Failover{Check: s.Check, Settings: s.Settings, Down: s.Down, Up: s.Up, Active: true}
	if s.Active != nil {
		f.Active = *s.Active
	}
	checks := model.FailoverChecks
	if l.cap != nil && l.cap.FailoverChecks != nil {
		checks = l.cap.FailoverChecks
	}
	for _, c := range []struct {
		key, v  string
		allowed []string
	}{
		{"check", s.Check, checks}, {"down", s.Down, model.FailoverDownActs}, {"up", s.Up, model.FailoverUpActs},
	} {
		if !slices.Contains(c.allowed, c.v) {
			l.Add(yamlx.ValueOr(n, c.key), "%s.failover.%s must be one of %s, not %q", key, c.key, strings.Join(c.allowed, ", "), c.v)
		}
	}
	if p := s.Settings.Port; p < 0 || p > 65535 {
		l.Add(yamlx.ValueOr(yamlx.MapValue(n, "settings"), "port"), "%s.failover.settings.port %d is outside 0..65535", key, p)
	}
	bn := yamlx.MapValue(n, "backup_ips")
	for i, ip := range s.BackupIPs {
		a, err := netip.ParseAddr(ip)
		if err != nil || (rs.Type == "A") != a.Is4() {
			l.Add(bn.Content[i], "%s.failover.backup_ips: %q is not an %s address", key, ip, map[string]string{"A": "IPv4", "AAAA": "IPv6"}[rs.Type])
			continue
		}
		f.BackupIPs = append(f.BackupIPs, a.String())
	}
	if l.cap != nil && l.cap.MaxBackupIPs > 0 && len(s.BackupIPs) > l.cap.MaxBackupIPs {
		l.Add(bn, "%s.failover.backup_ips has %d addresses; provider %s takes at most %d", key, len(s.BackupIPs), z.Provider, l.cap.MaxBackupIPs)
	}
	if s.Down == "backup-ips" && len(s.BackupIPs) == 0 {
		l.Add(yamlx.ValueOr(n, "down"), "%s.failover.down is backup-ips but backup_ips is empty", key)
	}
	if (s.Check == "http" || s.Check == "https") && s.Settings.Host == "" {
		l.Add(yamlx.ValueOr(n, "settings"), "%s.failover: an %s check needs settings.host", key, s.Check)
	}
	if s.Check == "dns" && (s.Settings.Host == "" || s.Settings.QueryType == "") {
		l.Add(yamlx.ValueOr(n, "settings"), "%s.failover: a dns check needs settings.host and settings.query_type", key)
	}
	if (s.Check == "tcp" || s.Check == "udp") && s.Settings.Port == 0 {
		l.Add(yamlx.ValueOr(n, "settings"), "%s.failover: a %s check needs settings.port", key, s.Check)
	}
	return f
}

// checkRecords applies the rules that look at several record sets together.
func (l *loader) checkRecords(z *model.Zone) {
	for i := 0; i < len(z.Records); {
		j := i
		for j < len(z.Records) && z.Records[j].Name == z.Records[i].Name {
			j++
		}
		group := z.Records[i:j]
		for _, rs := range group {
			if rs.Type != "CNAME" {
				continue
			}
			if rs.Name == model.Apex {
				l.errAt(rs, "CNAME at the zone apex is not allowed (the apex holds SOA and NS)")
			}
			if len(rs.Values) > 1 {
				l.errAt(rs, "CNAME %s has %d values; a CNAME holds exactly one", rs.Name, len(rs.Values))
			}
			for _, other := range group {
				if other != rs {
					l.errAt(other, "%s %s beside a CNAME: a name with a CNAME can hold no other data", other.Name, other.Type)
				}
			}
		}
		i = j
	}
	for _, rs := range z.Records {
		for _, rule := range z.Ignore {
			if rule.Matches(rs.Name, rs.Type) {
				l.errAt(rs, "%s %s is declared but also matches ignore rule %s; a record is either managed or ignored", rs.Name, rs.Type, rule)
				break
			}
		}
		if rs.Name == model.Apex && rs.Type == "NS" && l.cap != nil && !l.cap.ApexNS {
			l.errAt(rs, "provider %s manages the apex NS records itself; remove them from the spec", z.Provider)
		}
		if l.cap != nil && l.cap.MaxRecordSetSize > 0 && !slices.Contains(rs.Values, "") {
			size, err := recordSetSize(rs, z.Name, l.cap.MaxRecordSetSize)
			if err == nil && size > l.cap.MaxRecordSetSize {
				l.errAt(rs, "%s %s takes %s bytes as DNS records (%d records); provider %s carries a record set in one message and takes at most %s",
					rs.Name, rs.Type, thousands(int64(size)), len(rs.Values), z.Provider, thousands(int64(l.cap.MaxRecordSetSize)))
			}
		}
	}
	l.checkDS(z)
	l.checkCNAMELoops(z)
}

func (l *loader) errAt(rs *model.RecordSet, format string, args ...any) {
	l.List = append(l.List, &yamlx.Error{Pos: rs.Pos, Msg: fmt.Sprintf(format, args...)})
}

// checkMode applies the rules of master and slave zones.
func (l *loader) checkMode(z *model.Zone, keys map[string]*yaml.Node) {
	switch z.Mode {
	case model.Slave:
		if l.cap != nil && !l.cap.Slave {
			l.Add(keys["mode"], "provider %s does not support slave zones", z.Provider)
		}
		if len(z.Masters) == 0 && keys["masters"] == nil {
			l.Add(keys["mode"], "a slave zone needs masters: the servers it is transferred from")
		}
		if n := keys["records"]; n != nil && (len(n.Content) > 0 || n == l.placeholder) {
			l.Add(keys["records"], "a slave zone cannot declare records: its data comes from its masters")
		}
		if keys["soa"] != nil {
			l.Add(keys["soa"], "a slave zone cannot set its SOA: it comes from its masters")
		}
	case model.Master:
		if keys["masters"] != nil {
			l.Add(keys["masters"], "masters are only for slave zones (set mode: slave)")
		}
	}
}

// checkZoneTTL checks the zone TTL against a provider with one TTL per zone.
func (l *loader) checkZoneTTL(z *model.Zone, n *yaml.Node) {
	if l.cap == nil || n != nil {
		return
	}
	if why := l.cap.TTLProblem(z.TTL); why != "" {
		l.Add(nil, "the default ttl %d is %s (provider %s); set ttl", z.TTL, why, z.Provider)
	}
}

// Peek finds a spec's zone and provider without parsing it, from top-level
// "zone:" and "provider:" lines, so that the live zone can be read while the
// spec is still being parsed. It returns empty strings when it cannot tell;
// the parsed spec is the authority either way.
func Peek(data []byte) (zone, provider string) {
	for len(data) > 0 && (zone == "" || provider == "") {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if k, v, ok := strings.Cut(string(bytes.TrimSuffix(line, []byte("\r"))), ":"); ok && (k == "zone" || k == "provider") {
			v = strings.TrimSpace(v)
			if i := strings.Index(v, " #"); i >= 0 {
				v = strings.TrimSpace(v[:i])
			}
			v = strings.Trim(v, `"'`)
			if k == "zone" {
				zone = model.NormalizeZone(v)
			} else {
				provider = v
			}
		}
	}
	return zone, provider
}

// PeekSOA reports whether a spec has a top-level "soa:" line, without
// parsing it, so that a provider can leave out a live SOA the spec does not
// manage. Like Peek it can be wrong for unusual YAML (a quoted or flow-style
// key); the caller checks the parsed spec and reads again when it was.
func PeekSOA(data []byte) bool {
	return bytes.HasPrefix(data, []byte("soa:")) || bytes.Contains(data, []byte("\nsoa:"))
}
