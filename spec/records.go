package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// recordKeys are the keys of one record set in a spec.
var recordKeys = []string{"type", "ttl", "value", "values", "failover"}

// records builds the record sets of the records mapping n into z; the
// rules that look at several sets at once are checked once templates
// have added theirs.
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
			if l.aliasesTooMany {
				return
			}
			copies, ok := yamlx.ExpandCount(&l.FileErrors, m)
			if l.pieceCopies += copies; !ok || l.pieceCopies > maxPieceCopies {
				l.aliasesTooMany = true
				return
			}
			for i := 0; i+1 < len(m.Content); i += 2 {
				l.recordEntry(z, m.Content[i], m.Content[i+1], names, &jobs)
			}
			l.parseValues(jobs)
			clear(jobs)
			jobs = jobs[:0]
		})
		l.chunkFailed = l.chunkFailed || l.aliasesTooMany
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
