package fake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Plesk checks every packet against its XSD before running any of it: an
// unknown element, a missing one or one out of order refuses the whole
// packet with a system error. The fake parses the packet into a tree and
// walks it with the schema of each operation it knows.

// node is one element of a request packet.
type node struct {
	name string
	attr []xml.Attr
	kids []*node
	text string
	line int
}

// invalid is a schema violation, reported as Plesk's 1014 parser error.
type invalid struct {
	line int
	msg  string
}

func (e *invalid) Error() string {
	return fmt.Sprintf("%s Error in line %d: %s", errParse.text, e.line, e.msg)
}

// parseTree reads a packet into a tree; it fails on XML that is not
// well-formed, on text beside child elements, and on a second root.
func parseTree(body []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var stack []*node
	var root *node
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &invalid{line, "the packet is not well-formed XML: " + err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ = d.InputPos()
			n := &node{name: t.Name.Local, attr: t.Attr, line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, &invalid{line, "Extra content at the end of the document."}
				}
				root = n
			} else {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, &invalid{line, "Start tag expected, '<' not found."}
			}
		case xml.Directive:
			return nil, &invalid{line, "a DOCTYPE is not allowed."}
		}
	}
	if root == nil {
		return nil, &invalid{1, "Document is empty."}
	}
	var mixed *node
	walk(root, func(n *node) {
		if mixed == nil && len(n.kids) > 0 && strings.TrimSpace(n.text) != "" {
			mixed = n
		}
	})
	if mixed != nil {
		return nil, &invalid{mixed.line, fmt.Sprintf("Element '%s': Character content other than whitespace is not allowed because the content type is 'element-only'.", mixed.name)}
	}
	return root, nil
}

func walk(n *node, f func(*node)) {
	f(n)
	for _, k := range n.kids {
		walk(k, f)
	}
}

// attrValue returns an attribute's value.
func (n *node) attrValue(name string) (string, bool) {
	for _, a := range n.attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// cursor walks an element's children in schema order.
type cursor struct {
	n *node
	i int
}

func children(n *node) *cursor { return &cursor{n: n} }

func expected(names []string) string { return strings.Join(names, ", ") }

// want takes the next child, which must be one of names.
func (c *cursor) want(names ...string) (*node, error) {
	if c.i >= len(c.n.kids) {
		return nil, &invalid{c.n.line, fmt.Sprintf("Element '%s': Missing child element(s). Expected is ( %s ).", c.n.name, expected(names))}
	}
	k := c.n.kids[c.i]
	for _, name := range names {
		if k.name == name {
			c.i++
			return k, nil
		}
	}
	return nil, &invalid{k.line, fmt.Sprintf("Element '%s': This element is not expected. Expected is ( %s ).", k.name, expected(names))}
}

// maybe takes the next child when it is one of names.
func (c *cursor) maybe(names ...string) *node {
	if c.i < len(c.n.kids) {
		for _, name := range names {
			if c.n.kids[c.i].name == name {
				c.i++
				return c.n.kids[c.i-1]
			}
		}
	}
	return nil
}

// maybeEmpty takes the next child when it is one of names; it must be empty.
func (c *cursor) maybeEmpty(names ...string) (*node, error) {
	n := c.maybe(names...)
	if n == nil {
		return nil, nil
	}
	return n, empty(n)
}

// end fails when children are left.
func (c *cursor) end() error {
	if c.i < len(c.n.kids) {
		k := c.n.kids[c.i]
		return &invalid{k.line, fmt.Sprintf("Element '%s': This element is not expected.", k.name)}
	}
	return nil
}

// leaf checks an element holds text only and returns it.
func leaf(n *node) (string, error) {
	if len(n.kids) > 0 {
		return "", &invalid{n.kids[0].line, fmt.Sprintf("Element '%s': This element is not expected.", n.kids[0].name)}
	}
	return n.text, nil
}

// empty checks an element holds nothing.
func empty(n *node) error {
	if _, err := leaf(n); err != nil {
		return err
	}
	if strings.TrimSpace(n.text) != "" {
		return &invalid{n.line, fmt.Sprintf("Element '%s': Character content is not allowed, because the content type is empty.", n.name)}
	}
	return nil
}

// idValue parses an id_type: a positive integer, whitespace collapsed.
func idValue(n *node) (uint64, error) {
	s, err := leaf(n)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if perr != nil || v == 0 {
		return 0, &invalid{n.line, fmt.Sprintf("Element '%s': '%s' is not a valid value of the atomic type 'id_type'.", n.name, s)}
	}
	return v, nil
}

// uintValue parses an xs:unsignedInt.
func uintValue(n *node) (uint32, error) {
	s, err := leaf(n)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	if perr != nil {
		return 0, &invalid{n.line, fmt.Sprintf("Element '%s': '%s' is not a valid value of the atomic type 'xs:unsignedInt'.", n.name, s)}
	}
	return uint32(v), nil
}

// enumValue parses a string restricted to values.
func enumValue(n *node, values ...string) (string, error) {
	s, err := leaf(n)
	if err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	for _, v := range values {
		if s == v {
			return s, nil
		}
	}
	return "", &invalid{n.line, fmt.Sprintf("Element '%s': [facet 'enumeration'] The value '%s' is not an element of the set {'%s'}.", n.name, s, strings.Join(values, "', '"))}
}

// filter is a parsed filter element: the kind of its children and their
// values. An empty filter has no kind.
type filter struct {
	kind   string
	ids    []uint64
	names  []string
	absent bool // no filter element at all
}

// parseFilter reads a filter whose children are any number of one of
// kinds; ids lists the kinds whose values are id_type. min is the fewest
// children allowed.
func parseFilter(n *node, min int, kinds []string, ids map[string]bool) (filter, error) {
	f := filter{}
	if n == nil {
		return filter{absent: true}, nil
	}
	for _, k := range n.kids {
		if f.kind == "" {
			found := false
			for _, want := range kinds {
				found = found || k.name == want
			}
			if !found {
				return f, &invalid{k.line, fmt.Sprintf("Element '%s': This element is not expected. Expected is ( %s ).", k.name, expected(kinds))}
			}
			f.kind = k.name
		} else if k.name != f.kind {
			return f, &invalid{k.line, fmt.Sprintf("Element '%s': This element is not expected. Expected is ( %s ).", k.name, f.kind)}
		}
		if ids[k.name] {
			v, err := idValue(k)
			if err != nil {
				return f, err
			}
			f.ids = append(f.ids, v)
		} else {
			s, err := leaf(k)
			if err != nil {
				return f, err
			}
			f.names = append(f.names, strings.TrimSpace(s))
		}
	}
	if len(n.kids) < min {
		return f, &invalid{n.line, fmt.Sprintf("Element '%s': Missing child element(s). Expected is ( %s ).", n.name, expected(kinds))}
	}
	if strings.TrimSpace(n.text) != "" {
		return f, &invalid{n.line, fmt.Sprintf("Element '%s': Character content other than whitespace is not allowed because the content type is 'element-only'.", n.name)}
	}
	return f, nil
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }
