package spec

import (
	"slices"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// specKeyOrder ranks the top-level keys of a spec or a template: x- keys,
// which hold anchors, first, so that their anchors come before the aliases
// using them; then the documented keys in order; others last.
func specKeyOrder(k string) int {
	if strings.HasPrefix(k, "x-") {
		return -1
	}
	return keyOrder(formatKeys)(k)
}

// formatKeys are the top-level keys of specs and templates in one order
// that keeps each kind's documented order: a template's description and
// parameters, which specs do not have, come before the ttl both have.
var formatKeys = func() []string {
	ttl := slices.Index(zoneKeys, "ttl")
	return slices.Concat(zoneKeys[:ttl], []string{"description", "parameters"}, zoneKeys[ttl:])
}()

// fixAnchors makes the tree under doc valid YAML again after Format moved
// and dropped nodes: an alias that comes before its anchor (or whose
// anchored node was dropped as a duplicate value) trades places with it,
// and each anchor gets a name of its own, so that every alias reads back
// as the node it stood for.
func fixAnchors(doc *yaml.Node) {
	type slot struct {
		parent *yaml.Node
		i      int
	}
	where := map[*yaml.Node]slot{}
	var index func(n *yaml.Node)
	index = func(n *yaml.Node) {
		for i, c := range n.Content {
			if c.Anchor != "" && c.Kind != yaml.AliasNode {
				where[c] = slot{n, i}
			}
			index(c)
		}
	}
	index(doc)
	seen := map[*yaml.Node]bool{}
	names := map[string]*yaml.Node{}
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		for i := 0; i < len(n.Content); i++ {
			c := n.Content[i]
			if c.Kind == yaml.AliasNode && c.Alias != nil && !seen[c.Alias] {
				target := c.Alias
				if s, ok := where[target]; ok {
					s.parent.Content[s.i] = c
				}
				n.Content[i] = target
				where[target] = slot{n, i}
				c = target
			}
			if c.Kind == yaml.AliasNode {
				if c.Alias != nil {
					c.Value = c.Alias.Anchor
				}
				continue
			}
			if c.Anchor != "" && !seen[c] {
				seen[c] = true
				name := c.Anchor
				for k := 2; names[name] != nil; k++ {
					name = c.Anchor + "_" + strconv.Itoa(k)
				}
				c.Anchor = name
				names[name] = c
			}
			visit(c)
		}
	}
	visit(doc)
}

// plainMergeKeys clears the tag yaml.v3 gives a merge key when it reads
// one, which its encoder would write out (!!merge <<); a plain << reads
// back as the merge key.
func plainMergeKeys(n *yaml.Node) {
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 && yamlx.IsMergeKey(c) {
			c.Tag = ""
		}
		plainMergeKeys(c)
	}
}
