package spec

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"runtime"

	"github.com/zonesync/zonesync/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// A zone spec's node tree costs about 30 times the file's size, nearly all of
// it in the records mapping. A spec whose records mapping is in block style
// at the top level is therefore parsed in pieces: the document without the
// body of records, and that body in runs of whole entries, each run a YAML
// document of its own whose tree is dropped once its record sets are built.
// The pieces parse to the same nodes as the whole file: a run starts at a
// line that opens a key of the records mapping and ends before the next such
// line or the next line at column 0, so a construct cut in two (a quoted or
// flow value over several lines) leaves a run that fails to parse. Anything
// the cut cannot vouch for (a failed piece, an alias outside the runs, a
// records key not written as "records:" alone at column 0, a line break
// other than "\n" or "\r\n", an alias outside the records body, an alias
// in the body to an anchor in another piece) falls back to parsing the
// whole file, which also gives any syntax error its position. Aliases and
// merge keys inside a piece are expanded with the piece; since yaml.v3's
// rule against alias bombs is a share of the whole file (yamlx.Expand),
// a spec whose pieces copy more than maxPieceCopies nodes for aliases, or
// whose piece fails the rule on its own, is read whole too.

// maxPieceCopies is how many nodes the pieces of a spec may copy for
// aliases in all: few enough that the whole file, over 1,000 nodes when
// a piece holds that many copies, could not fail yaml.v3's alias rule
// where every piece passes it.
const maxPieceCopies = 1000

// chunkBytes is about how much of the records body one piece holds (a
// variable so that tests can cut every entry apart).
var chunkBytes int64 = 64 << 10

// specSplit is a zone spec cut into pieces that parse on their own, read
// from src as they are parsed, so that the spec's bytes are never all held
// at once.
type specSplit struct {
	src io.ReaderAt
	// rest is the spec without the lines of the records body.
	rest []byte
	// recordsLine is the line of "records:", 1-based.
	recordsLine int
	// bodyLines is how many lines the records body has; lines of rest after
	// recordsLine are that many lines further down in the spec.
	bodyLines int
	// chunks are the records body in runs of whole entries.
	chunks []chunk
	// entries is how many lines open an entry of the records mapping.
	entries int
}

// chunk is a run of entries of the records mapping: size bytes at off.
type chunk struct {
	off, size int64
	// line is the spec line of the chunk's first line.
	line int
}

// lineHead is as much of the start of a line as splitSpec looks at.
const lineHead = 4 << 10

// splitSpec cuts the size bytes of src into pieces, or returns nil when the
// spec has no records body it can cut or cannot be read: then the whole file
// is parsed.
func splitSpec(src io.ReaderAt, size int64) *specSplit {
	s := &specSplit{src: src}
	lines := newLineScanner(io.NewSectionReader(src, 0, size))
	for line := 1; ; line++ {
		head, _, ok := lines.next()
		if !ok {
			return nil
		}
		if isRecordsLine(head) {
			s.recordsLine = line
			break
		}
	}
	bodyStart := lines.off
	indent, start, startLine, line := 0, bodyStart, s.recordsLine+1, s.recordsLine+1
	for ; ; line++ {
		pos := lines.off
		head, full, ok := lines.next()
		if !ok {
			break
		}
		n := 0
		for n < len(head) && head[n] == ' ' {
			n++
		}
		if n == len(head) && !full {
			return nil
		}
		c := byte('\n')
		if n < len(head) {
			c = head[n]
		}
		text := head[n:]
		switch {
		case c == '\n' || c == '\r' || c == '#':
			// A blank line or a comment (or text of a value cut in two,
			// which stays inside its run either way).
		case c == '\t':
			return nil
		case n == 0:
			// The next top-level key ends the body.
			lines.off = pos
			goto done
		case indent == 0:
			if !opensKey(text) {
				return nil
			}
			indent = n
			s.entries++
		case n < indent:
			return nil
		case n == indent && opensKey(text):
			s.entries++
			if pos-start >= chunkBytes {
				s.chunks = append(s.chunks, chunk{off: start, size: pos - start, line: startLine})
				start, startLine = pos, line
			}
		case n == indent && !opensKey(text) && !opensSeqItem(text):
			return nil
		}
	}
done:
	if lines.err != nil || indent == 0 {
		return nil
	}
	s.chunks = append(s.chunks, chunk{off: start, size: lines.off - start, line: startLine})
	s.bodyLines = line - s.recordsLine - 1
	s.rest = make([]byte, bodyStart+size-lines.off)
	if _, err := src.ReadAt(s.rest[:bodyStart], 0); err != nil {
		return nil
	}
	if _, err := src.ReadAt(s.rest[bodyStart:], lines.off); err != nil && err != io.EOF {
		return nil
	}
	return s
}

// lineScanner reads a spec line by line, keeping only each line's head.
type lineScanner struct {
	r *bufio.Reader
	// off is the offset of the next line.
	off int64
	err error
}

func newLineScanner(r io.Reader) *lineScanner {
	return &lineScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the head of the next line (at most lineHead bytes, with its
// newline when it fits) and whether that is the whole line; ok is false at
// the end of the input or on a read error (then err is set).
func (l *lineScanner) next() (head []byte, full, ok bool) {
	line, err := l.r.ReadSlice('\n')
	l.off += int64(len(line))
	full = err == nil || err == io.EOF
	odd := oddBreak(line)
	for err == bufio.ErrBufferFull {
		// Skip the rest of a very long line.
		var more []byte
		more, err = l.r.ReadSlice('\n')
		l.off += int64(len(more))
		odd = odd || oddBreak(more)
	}
	if odd {
		err = errOddBreak
	}
	if err != nil && err != io.EOF {
		l.err = err
		return nil, false, false
	}
	if len(line) == 0 {
		return nil, false, false
	}
	if len(line) > lineHead {
		line, full = line[:lineHead], false
	}
	return line, full, true
}

// errOddBreak stops a split at a line break other than "\n" and "\r\n".
var errOddBreak = errors.New("a line break splitSpec does not count")

// oddBreak reports whether a piece of a line holds a line break YAML counts
// and splitSpec does not: "\r" alone, or NEL, LS or PS, which yaml.v3 takes
// as line breaks as YAML 1.1 does.
func oddBreak(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\r':
			if i+1 >= len(b) || b[i+1] != '\n' {
				return true
			}
		case 0xC2:
			// At the end of b, the rest of the character is in the next piece.
			if i+1 >= len(b) || b[i+1] == 0x85 {
				return true
			}
		case 0xE2:
			if i+2 >= len(b) || b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9) {
				return true
			}
		}
	}
	return false
}

// isRecordsLine reports whether a line is "records:" alone, with at most
// spaces and a comment after it.
func isRecordsLine(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte("records:"))
	if !ok {
		return false
	}
	trimmed := bytes.TrimLeft(rest, " ")
	return len(trimmed) == 0 || trimmed[0] == '\n' || trimmed[0] == '\r' || trimmed[0] == '#' && len(trimmed) < len(rest)
}

// opensKey reports whether an indented line's text opens a mapping key: not
// a sequence item, an explicit key or value ("? ", ": "), or a tab.
func opensKey(text []byte) bool {
	switch text[0] {
	case '?', ':', '\t':
		return false
	}
	return !opensSeqItem(text)
}

// opensSeqItem reports whether a line's text is a block sequence item.
func opensSeqItem(text []byte) bool {
	return text[0] == '-' && (len(text) == 1 || text[1] == ' ' || text[1] == '\n' || text[1] == '\r')
}

// parseRest parses the spec without its records body and returns its root
// mapping and the null value that stands in for the body, or ok false when
// the pieces cannot be trusted to parse as the whole file would.
func (s *specSplit) parseRest() (root, placeholder *yaml.Node, ok bool) {
	doc, err := yamlx.Parse(s.rest)
	if err != nil {
		return nil, nil, false
	}
	root = yamlx.Resolve(doc)
	if root == nil || root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 || hasAlias(root) {
		return nil, nil, false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Line == s.recordsLine && k.Column == 1 && k.Kind == yaml.ScalarNode && k.Value == "records" && k.Style == 0 &&
			v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && v.Style == 0 {
			placeholder = v
		}
	}
	if placeholder == nil {
		return nil, nil, false
	}
	shiftLines(root, s.recordsLine, s.bodyLines)
	return root, placeholder, true
}

// hasAlias reports whether the tree under n holds an alias.
func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// hasMergeKey reports whether mapping m has a merge key (<<) of its own.
func hasMergeKey(m *yaml.Node) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if yamlx.IsMergeKey(m.Content[i]) {
			return true
		}
	}
	return false
}

// shiftLines moves the nodes of a piece that lie after line by delta lines,
// to their lines in the whole spec.
func shiftLines(n *yaml.Node, after, delta int) {
	if n.Line > after {
		n.Line += delta
	}
	for _, c := range n.Content {
		shiftLines(c, after, delta)
	}
}

// parsedChunk is a chunk's records mapping, or ok false when the chunk does
// not parse on its own.
type parsedChunk struct {
	root *yaml.Node
	ok   bool
}

// chunkHead goes before every chunk, so that the chunk parses where it
// stands in the whole file: inside the top-level records key, one
// indentation level deep (yaml.v3 limits the depth of nesting).
const chunkHead = "records:\n"

// parseChunk reads and parses a run of entries into its mapping, on the
// spec's lines.
func parseChunk(src io.ReaderAt, c chunk) parsedChunk {
	data := make([]byte, int64(len(chunkHead))+c.size)
	copy(data, chunkHead)
	if _, err := src.ReadAt(data[len(chunkHead):], c.off); err != nil && err != io.EOF {
		return parsedChunk{}
	}
	doc, err := yamlx.Parse(data)
	if err != nil {
		return parsedChunk{}
	}
	root := yamlx.Resolve(doc)
	if root == nil || root.Kind != yaml.MappingNode || len(root.Content) != 2 {
		return parsedChunk{}
	}
	m := root.Content[1]
	// A merge key of the records mapping itself sends the spec to the
	// whole parse: the keys it merges give way to keys of other pieces.
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 || hasMergeKey(m) {
		return parsedChunk{}
	}
	shiftLines(m, 0, c.line-2)
	return parsedChunk{root: m, ok: true}
}

// parseChunks parses the chunks a few at a time ahead of the caller, on
// every core, and calls use with each in order, stopping at a chunk that
// fails to parse. It reports whether every chunk parsed.
func parseChunks(src io.ReaderAt, chunks []chunk, use func(root *yaml.Node)) bool {
	results := make([]chan parsedChunk, len(chunks))
	for i := range results {
		results[i] = make(chan parsedChunk, 1)
	}
	ahead := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i, c := range chunks {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			go func() { results[i] <- parseChunk(src, c) }()
		}
	}()
	for i := range chunks {
		p := <-results[i]
		results[i] = nil
		<-ahead
		if !p.ok {
			return false
		}
		use(p.root)
	}
	return true
}
