package spec

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"
)

// parallelParseMin is the spec size from which the records section is
// parsed on several cores: below it, goroutines cost more than they save.
var parallelParseMin = 1 << 20

// parseYAML parses a zone spec into its node tree. A big spec's records
// section is split at its top-level keys and the parts are parsed at once
// on every core, their line numbers shifted back to the file's, then joined
// into one records mapping: the same tree a single parse gives. Anything
// the split cannot be sure of (a part that does not parse alone, an alias
// to an anchor in another part) falls back to the single parse, so errors
// are always reported as yaml.v3 reports them for the whole file.
func parseYAML(data []byte) (*yaml.Node, error) {
	if len(data) >= parallelParseMin && runtime.GOMAXPROCS(0) > 1 {
		if doc, ok := parseSplit(data, runtime.GOMAXPROCS(0)); ok {
			return doc, nil
		}
	}
	return decodeOne(data)
}

// decodeOne parses one YAML document and refuses a file that holds more:
// a second document would otherwise be dropped without a word.
func decodeOne(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
		return &doc, nil
	case err != nil:
		return nil, err
	case len(next.Content) > 0:
		return nil, fmt.Errorf("line %d: a second YAML document starts here; a zone spec is one document", max(next.Line, 1))
	}
	return &doc, nil
}

// parseSplit parses data as head (everything but the body of a top-level
// block "records:" key) plus the body in parts.
func parseSplit(data []byte, parts int) (*yaml.Node, bool) {
	lines := lineStarts(data)
	keyLine, bodyStart, bodyEnd := recordsBody(data, lines)
	if keyLine < 0 || bodyEnd-bodyStart < 2*parts {
		return nil, false
	}
	indent := firstIndent(data, lines, bodyStart, bodyEnd)
	if indent <= 0 {
		return nil, false
	}
	// Cut points: lines at the entries' indentation that start a key.
	cuts := []int{bodyStart}
	for p := 1; p < parts; p++ {
		for i := bodyStart + (bodyEnd-bodyStart)*p/parts; i < bodyEnd; i++ {
			if startsKey(lineOf(data, lines, i), indent) {
				if i > cuts[len(cuts)-1] {
					cuts = append(cuts, i)
				}
				break
			}
		}
	}
	cuts = append(cuts, bodyEnd)

	head := make([]byte, 0, lines[bodyStart]+len(data)-offset(data, lines, bodyEnd))
	head = append(head, data[:lines[bodyStart]]...)
	head = append(head, data[offset(data, lines, bodyEnd):]...)

	var wg sync.WaitGroup
	chunks := make([]*yaml.Node, len(cuts)-1)
	failed := make([]bool, len(cuts)-1)
	var headDoc yaml.Node
	var headErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		var doc *yaml.Node
		if doc, headErr = decodeOne(head); headErr == nil {
			headDoc = *doc
		}
	}()
	for i := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var doc yaml.Node
			part := data[lines[cuts[i]]:offset(data, lines, cuts[i+1])]
			if err := yaml.Unmarshal(part, &doc); err != nil || !blockMappingAt(&doc, indent) {
				failed[i] = true
				return
			}
			shiftLines(doc.Content[0], cuts[i])
			chunks[i] = doc.Content[0]
		}()
	}
	wg.Wait()
	if headErr != nil || len(headDoc.Content) != 1 || headDoc.Content[0].Kind != yaml.MappingNode {
		return nil, false
	}
	for _, f := range failed {
		if f {
			return nil, false
		}
	}
	root := headDoc.Content[0]
	// The records key kept its place in head, and its value is now empty:
	// fill it with the parts. Lines after the body moved up in head.
	shiftAfter(root, keyLine, cuts[len(cuts)-1]-bodyStart)
	value := mapValue(root, "records")
	if value == nil || value.Kind != yaml.ScalarNode || value.Tag != "!!null" {
		return nil, false
	}
	merged := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: chunks[0].Line, Column: chunks[0].Column}
	for _, c := range chunks {
		merged.Content = append(merged.Content, c.Content...)
	}
	*value = *merged
	return &headDoc, true
}

// blockMappingAt reports whether a part parsed into one block mapping whose
// keys all sit at the body's indentation, as they must inside the whole
// records mapping; a part that only parses alone fails this.
func blockMappingAt(doc *yaml.Node, indent int) bool {
	if len(doc.Content) != 1 {
		return false
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return false
	}
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i].Column != indent+1 {
			return false
		}
	}
	return true
}

// lineStarts returns the offset where each line begins.
func lineStarts(data []byte) []int {
	starts := make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for i, c := range data {
		if c == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset is where line i begins, or the end of data past the last line.
func offset(data []byte, lines []int, i int) int {
	if i >= len(lines) {
		return len(data)
	}
	return lines[i]
}

func lineOf(data []byte, lines []int, i int) []byte {
	end := offset(data, lines, i+1)
	return bytes.TrimRight(data[lines[i]:end], "\r\n")
}

// recordsBody finds a top-level "records:" key whose value is a block on
// the following lines; it returns the key's line and the body's lines
// [start, end), all 0-based, or -1 when there is none.
func recordsBody(data []byte, lines []int) (key, start, end int) {
	key = -1
	for i := range lines {
		l := lineOf(data, lines, i)
		if key < 0 {
			if rest, ok := bytes.CutPrefix(l, []byte("records:")); ok {
				rest = bytes.TrimSpace(rest)
				if len(rest) > 0 && rest[0] != '#' {
					return -1, 0, 0 // a value on the key's line: not a block
				}
				key, start = i, i+1
			}
			continue
		}
		if len(l) > 0 && l[0] != ' ' && l[0] != '#' {
			return key, start, i // the next top-level key
		}
	}
	if key < 0 {
		return -1, 0, 0
	}
	return key, start, len(lines)
}

// firstIndent is the indentation of the body's first entry, or -1 when the
// body is not a plain block mapping: a sequence, tabs, or a line indented
// less than the entries (which a part parsed alone would read differently).
func firstIndent(data []byte, lines []int, start, end int) int {
	indent := -1
	for i := start; i < end; i++ {
		l := lineOf(data, lines, i)
		t := bytes.TrimLeft(l, " ")
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		n := len(l) - len(t)
		switch {
		case bytes.IndexByte(l, '\t') >= 0:
			return -1
		case indent < 0:
			if t[0] == '-' {
				return -1
			}
			indent = n
		case n < indent:
			return -1
		}
	}
	return indent
}

// startsKey reports whether a line starts a key of the mapping at indent.
func startsKey(l []byte, indent int) bool {
	if len(l) <= indent || len(bytes.TrimLeft(l[:indent], " ")) > 0 {
		return false
	}
	c := l[indent]
	if c == ' ' || c == '#' || c == '-' || c == '\t' || c == '&' || c == '*' || c == '!' || c == '|' || c == '>' {
		return false
	}
	return bytes.Contains(l, []byte(":"))
}

// shiftLines adds n to the line of every node of a part parsed on its own.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// shiftAfter moves the nodes of head that come after the removed body
// (those past line key+1) down by the body's length.
func shiftAfter(n *yaml.Node, key, by int) {
	if n.Line > key+1 {
		n.Line += by
	}
	for _, c := range n.Content {
		shiftAfter(c, key, by)
	}
}
