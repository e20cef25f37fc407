package spec

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// Format rewrites a zone spec or a template in canonical form: top-level
// keys in their documented order, record names sorted with the apex first,
// each name's record sets sorted by type, values in canonical presentation
// form, sorted and without duplicates; a value using a template parameter
// (${name}) is left as written, since its form is known only in the zone
// that includes it. Comments and the quoting and flow style of each node
// are kept. The file should be valid (see ParseZone); a value that does
// not parse is an error.
func Format(data []byte) ([]byte, error) {
	doc, err := yamlx.Parse(data)
	if err != nil {
		e := yamlx.SyntaxError("", data, err, false)
		return nil, fmt.Errorf("line %d: %s", e.Pos.Line, e.Msg)
	}
	root := yamlx.Resolve(doc)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("a zone spec or template must be a mapping")
	}
	zone := model.NormalizeZone(scalarOf(yamlx.Resolve(yamlx.MapValue(root, "zone"))))
	sortPairs(root, specKeyOrder)
	if params := yamlx.MapValue(root, "parameters"); params != nil && params.Kind == yaml.MappingNode {
		for i := 1; i < len(params.Content); i += 2 {
			sortPairs(params.Content[i], keyOrder([]string{"description", "default"}))
		}
	}
	if soa := yamlx.MapValue(root, "soa"); soa != nil {
		sortPairs(soa, keyOrder(model.SOAFields))
	}
	if records := yamlx.MapValue(root, "records"); records != nil && records.Kind == yaml.MappingNode {
		if err := formatRecords(records, zone); err != nil {
			return nil, err
		}
	}
	// Sorting can put an alias before its anchor: the first use becomes
	// the definition.
	fixAnchors(doc)
	plainMergeKeys(doc)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func formatRecords(records *yaml.Node, zone string) error {
	relative := func(key string) string {
		if key == model.Apex {
			return model.Apex
		}
		name := strings.ToLower(key)
		if strings.HasSuffix(name, ".") {
			if rel, ok := model.RelativeName(name, zone); ok {
				return rel
			}
		}
		return name
	}
	pairs := pairsOf(records)
	slices.SortStableFunc(pairs, func(a, b [2]*yaml.Node) int {
		return model.CompareNames(relative(a[0].Value), relative(b[0].Value))
	})
	setPairs(records, pairs)
	for _, p := range pairs {
		sets := p[1]
		items := sets.Content
		if sets.Kind == yaml.MappingNode {
			items = []*yaml.Node{sets}
		} else {
			slices.SortStableFunc(items, func(a, b *yaml.Node) int {
				return strings.Compare(strings.ToUpper(scalarOf(yamlx.MapValue(a, "type"))), strings.ToUpper(scalarOf(yamlx.MapValue(b, "type"))))
			})
		}
		for _, item := range items {
			if item.Kind != yaml.MappingNode {
				continue
			}
			sortPairs(item, keyOrder(recordKeys))
			if err := formatValues(p[0].Value, item); err != nil {
				return err
			}
			if f := yamlx.MapValue(item, "failover"); f != nil {
				sortPairs(f, keyOrder([]string{"check", "settings", "down", "up", "backup_ips", "active"}))
			}
		}
	}
	return nil
}

// formatValues canonicalises one record set's type and values in place.
func formatValues(name string, item *yaml.Node) error {
	tn := yamlx.MapValue(item, "type")
	if tn == nil {
		return nil
	}
	// An anchored node may be used elsewhere for something else: it is
	// left as written, and so is an alias.
	if tn.Kind == yaml.ScalarNode && tn.Anchor == "" {
		tn.Value = strings.ToUpper(tn.Value)
	}
	rrtype := strings.ToUpper(scalarOf(yamlx.Resolve(tn)))
	canon := func(n *yaml.Node) error {
		if rrtype == "TXT" || rrtype == "SPF" || n.Kind != yaml.ScalarNode || n.Anchor != "" || strings.Contains(n.Value, "${") {
			return nil
		}
		v, err := model.CanonicalValue(rrtype, n.Value)
		if err != nil {
			return fmt.Errorf("line %d: %s %s: %w", n.Line, name, rrtype, err)
		}
		if strings.ContainsFunc(n.Value, func(r rune) bool { return r >= utf8.RuneSelf }) {
			// Names written in Unicode stay in Unicode.
			v = model.UnicodeValue(rrtype, v)
		}
		n.Value = v
		return nil
	}
	if v := yamlx.MapValue(item, "value"); v != nil {
		return canon(v)
	}
	vs := yamlx.MapValue(item, "values")
	if vs == nil || vs.Kind != yaml.SequenceNode {
		return nil
	}
	for _, v := range vs.Content {
		if err := canon(v); err != nil {
			return err
		}
	}
	slices.SortStableFunc(vs.Content, compareValueNodes)
	vs.Content = slices.CompactFunc(vs.Content, func(a, b *yaml.Node) bool { return compareValueNodes(a, b) == 0 })
	return nil
}

// compareValueNodes orders the values of a record set: plain values by
// their text, then TXT values written as lists of strings by their strings.
func compareValueNodes(a, b *yaml.Node) int {
	a, b = yamlx.Resolve(a), yamlx.Resolve(b)
	if la, lb := a.Kind == yaml.SequenceNode, b.Kind == yaml.SequenceNode; la != lb {
		if la {
			return 1
		}
		return -1
	}
	return strings.Compare(nodeText(a), nodeText(b))
}

// nodeText is a scalar's value, or a list's values quoted and joined.
func nodeText(n *yaml.Node) string {
	n = yamlx.Resolve(n)
	if n.Kind != yaml.SequenceNode {
		return n.Value
	}
	parts := make([]string, len(n.Content))
	for i, c := range n.Content {
		parts[i] = strconv.Quote(nodeText(c))
	}
	return strings.Join(parts, " ")
}

// keyOrder ranks keys by their place in a documented list; others go
// last, and a merge key (<<) first, where readers look for it: the keys
// written beside it win wherever it stands.
func keyOrder(keys []string) func(string) int {
	return func(k string) int {
		if k == "<<" {
			return -2
		}
		if i := slices.Index(keys, k); i >= 0 {
			return i
		}
		return len(keys)
	}
}

// sortPairs orders a mapping's key/value pairs by rank, stably.
func sortPairs(m *yaml.Node, rank func(string) int) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	pairs := pairsOf(m)
	slices.SortStableFunc(pairs, func(a, b [2]*yaml.Node) int { return rank(a[0].Value) - rank(b[0].Value) })
	setPairs(m, pairs)
}

func pairsOf(m *yaml.Node) [][2]*yaml.Node {
	pairs := make([][2]*yaml.Node, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		pairs = append(pairs, [2]*yaml.Node{m.Content[i], m.Content[i+1]})
	}
	return pairs
}

func setPairs(m *yaml.Node, pairs [][2]*yaml.Node) {
	m.Content = m.Content[:0]
	for _, p := range pairs {
		m.Content = append(m.Content, p[0], p[1])
	}
}

func scalarOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
