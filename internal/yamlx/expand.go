package yamlx

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Expand rewrites the tree under doc in place so that readers see it as
// written out: every alias becomes a copy of the node its anchor names,
// and every merge key (<<: *defaults) the pairs it merges, keys written
// in the mapping itself winning over merged ones, and earlier merged
// mappings over later ones (YAML's merge key rules).
//
// A copy stands where the alias stands, so that a problem in it is
// reported at the use; e.Origins remembers where each copied node is
// written, and e.Add names that place too. Expanding is refused, with
// the problem added to e and false returned, for an alias that refers to
// the value it is inside and for a tree that aliases expand far beyond
// its written size (an alias bomb, "billion laughs"), by the rule yaml.v3
// applies when it decodes into Go values: zonesync decodes yaml.Node
// trees, where yaml.v3 does not expand aliases, so the check is ours.
func Expand(e *FileErrors, doc *yaml.Node) bool {
	_, ok := ExpandCount(e, doc)
	return ok
}

// ExpandCount is Expand, and also says how many nodes it copied for aliases.
func ExpandCount(e *FileErrors, doc *yaml.Node) (copies int, ok bool) {
	if doc == nil {
		return 0, true
	}
	x := &expander{e: e, active: map[*yaml.Node]bool{}}
	x.node(doc)
	return x.copied, !x.failed && !x.endless
}

// Origin is where a node that Expand copied from an anchor is written.
type Origin struct {
	// Anchor is the name of the anchor whose value holds the node.
	Anchor string
	// Line and Col are the node's place in the file, 1-based.
	Line, Col int
}

// String says where the node is written, for the end of a message.
func (o Origin) String() string {
	return fmt.Sprintf("from anchor &%s, line %d:%d", o.Anchor, o.Line, o.Col)
}

// The bounds of yaml.v3's check of alias expansion (decode.go,
// allowedAliasRatio): up to 99% of the nodes of a document of up to
// 400,000 nodes may come from aliases, then less, down to 10% from 4
// million nodes on; the check starts past 100 copies in 1,000 nodes.
const (
	aliasRatioLow     = 400_000
	aliasRatioHigh    = 4_000_000
	aliasMinCopies    = 100
	aliasMinNodes     = 1000
	aliasRatioSmall   = 0.99
	aliasRatioLarge   = 0.10
	aliasRatioScaling = aliasRatioSmall - aliasRatioLarge
)

// allowedAliasShare is the share of a document's nodes that may be copies
// made for aliases, for a document of nodes nodes so far.
func allowedAliasShare(nodes int) float64 {
	switch {
	case nodes <= aliasRatioLow:
		return aliasRatioSmall
	case nodes >= aliasRatioHigh:
		return aliasRatioLarge
	}
	return aliasRatioSmall - aliasRatioScaling*float64(nodes-aliasRatioLow)/float64(aliasRatioHigh-aliasRatioLow)
}

type expander struct {
	e *FileErrors
	// written counts the nodes of the document as written, copied the
	// nodes made for aliases.
	written, copied int
	// active holds the anchored nodes being expanded: an alias to one of
	// them is inside the value it refers to.
	active map[*yaml.Node]bool
	// failed stops the expansion (too many copies); endless is set for
	// an alias inside its own anchor, and the expansion goes on to find
	// any other.
	failed, endless bool
}

func (x *expander) node(n *yaml.Node) {
	x.written++
	if n.Anchor != "" {
		x.active[n] = true
		defer delete(x.active, n)
	}
	for i, c := range n.Content {
		if x.failed {
			return
		}
		if c.Kind == yaml.AliasNode {
			n.Content[i] = x.alias(c)
			continue
		}
		x.node(c)
	}
	if n.Kind == yaml.MappingNode && !x.failed {
		x.merge(n)
	}
}

// alias returns the copy that stands for alias a.
func (x *expander) alias(a *yaml.Node) *yaml.Node {
	x.written++
	t := a.Alias
	if t == nil {
		return nullAt(a)
	}
	if x.active[t] {
		x.e.Add(a, "alias *%s is inside the value of anchor &%s (line %d) it refers to, so it would never end; alias a value that does not hold it", a.Value, t.Anchor, t.Line)
		x.endless = true
		return nullAt(a)
	}
	return x.copy(t, a, a.Value)
}

// copy copies n, already expanded, to stand at the place of node at;
// anchor names the anchor whose value n is part of.
func (x *expander) copy(n, at *yaml.Node, anchor string) *yaml.Node {
	if x.failed {
		return nullAt(at)
	}
	x.copied++
	if total := x.written + x.copied; x.copied > aliasMinCopies && total > aliasMinNodes && float64(x.copied)/float64(total) > allowedAliasShare(total) {
		x.failed = true
		x.e.Add(at, "the aliases of this file expand it to over %d nodes from %d written, which is how an alias bomb (\"billion laughs\") works; zonesync stops reading it: alias fewer or smaller values, or write them out", total, x.written)
		return nullAt(at)
	}
	c := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value, Line: at.Line, Column: at.Column}
	if x.e.Origins == nil {
		x.e.Origins = map[*yaml.Node]Origin{}
	}
	if o, ok := x.e.Origins[n]; ok {
		// n is itself a copy: it is written where its own origin says.
		x.e.Origins[c] = o
	} else {
		x.e.Origins[c] = Origin{Anchor: anchor, Line: n.Line, Col: n.Column}
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			c.Content[i] = x.copy(ch, at, anchor)
		}
	}
	return c
}

func nullAt(at *yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: at.Line, Column: at.Column}
}

// IsMergeKey reports whether k is YAML's merge key: << written plain.
func IsMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge"
}

// merge replaces the merge keys of mapping m, whose values are expanded,
// by the pairs they merge.
func (x *expander) merge(m *yaml.Node) {
	merges := false
	explicit := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; IsMergeKey(k) {
			merges = true
		} else if k.Kind == yaml.ScalarNode {
			explicit[k.Value] = true
		}
	}
	if !merges {
		return
	}
	merged := map[string]bool{}
	out := make([]*yaml.Node, 0, len(m.Content))
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !IsMergeKey(k) {
			out = append(out, k, v)
			continue
		}
		sources := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			sources = v.Content
		}
		for _, src := range sources {
			if src.Kind != yaml.MappingNode {
				x.e.Add(src, "the merge key << takes a mapping (or an alias of one), or a list of them, not %s", Describe(src))
				continue
			}
			for j := 0; j+1 < len(src.Content); j += 2 {
				sk := src.Content[j]
				if sk.Kind == yaml.ScalarNode {
					if explicit[sk.Value] || merged[sk.Value] {
						continue
					}
					merged[sk.Value] = true
				}
				out = append(out, sk, src.Content[j+1])
			}
		}
	}
	m.Content = out
}

// StripExtensions removes from mapping m the keys starting with "x-",
// which a zonesync file leaves to its authors: a place to define anchors
// (x-defaults: &defaults {...}) that zonesync reads nothing from.
func StripExtensions(m *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	out := m.Content[:0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && strings.HasPrefix(k.Value, "x-") {
			continue
		}
		out = append(out, m.Content[i], m.Content[i+1])
	}
	m.Content = out
}
