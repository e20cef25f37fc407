package yamlx

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/zonesync/zonesync/model"
)

// parserProblems are the messages of yaml.v3's parser (not its scanner).
// yaml.v3 numbers their lines from 0 where it numbers the scanner's from 1,
// so their line reads one too early.
var parserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found undefined tag handle", "found duplicate %YAML directive",
	"found incompatible YAML document", "found duplicate %TAG directive",
}

// SyntaxError turns a yaml.v3 syntax error into a positioned problem, and
// the ones new users meet most into a message that says what to write.
// config is whether data is zonesync.yaml, where ${VAR} is expanded.
func SyntaxError(file string, data []byte, err error, config bool) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, numbered := 1, false
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := fmt.Sscanf(rest[:i], "%d", &line); n == 1 && err == nil {
				msg, numbered = rest[i+2:], true
			}
		}
	}
	for _, p := range parserProblems {
		if msg == p && numbered {
			line++
		}
	}
	at := func(line, col int, format string, args ...any) *Error {
		return &Error{Pos: model.Pos{File: file, Line: line, Col: col}, Msg: "YAML syntax: " + fmt.Sprintf(format, args...)}
	}
	switch msg {
	case "did not find expected ',' or '}'", "did not find expected ',' or ']'":
		if v, ok := flowVariable(data, line); ok {
			what := "a flow mapping {…}"
			if v.bracket == '[' {
				what = "a flow list […]"
			}
			if !config {
				return at(v.line, v.col, "%s inside %s: a zone spec takes no environment variables (only zonesync.yaml does); write the value itself", v.text, what)
			}
			return at(v.line, v.col, "%s inside %s must be quoted: write \"%s\"", v.text, what, v.text)
		}
		what, closer := "flow mapping {…}", '}'
		if strings.HasSuffix(msg, "']'") {
			what, closer = "flow list […]", ']'
		}
		return at(line, 1, "%s in the %s that starts here: close it with '%c', and quote any value in it holding '{', '}', '[', ']' or ','", msg, what, closer)
	case "found character that cannot start any token",
		"found a tab character that violates indentation",
		"found a tab character where an indentation space is expected":
		if l, col, ok := tabIndent(data, line); ok {
			return at(l, col, "a tab in the indentation; YAML indents with spaces only: replace the tab with spaces")
		}
		if col, c, ok := reservedStart(data, line); ok {
			return at(line, col, "%q cannot start an unquoted key or value; quote it, e.g. \"%c\"", c, c)
		}
	}
	return at(line, 1, "%s", msg)
}

// lineAt returns the 1-based line n of data, without its line break.
func lineAt(data []byte, n int) ([]byte, bool) {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return nil, false
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return trimCR(data), true
}

// tabIndent finds a tab in the indentation of line n or of the two lines
// after it (yaml.v3 reports some tabs at the line of the value before).
func tabIndent(data []byte, n int) (line, col int, ok bool) {
	for l := n; l <= n+2; l++ {
		text, ok := lineAt(data, l)
		if !ok {
			break
		}
		for i, c := range text {
			if c == '\t' {
				return l, i + 1, true
			}
			if c != ' ' {
				break
			}
		}
	}
	return 0, 0, false
}

// reservedStart finds, on line n, a key or value starting with '@' or '`',
// which YAML keeps for future use: "@:" is how a new user writes the apex.
func reservedStart(data []byte, n int) (col int, c byte, ok bool) {
	text, found := lineAt(data, n)
	if !found {
		return 0, 0, false
	}
	prev := byte(' ')
	for i := 0; i < len(text); i++ {
		if (text[i] == '@' || text[i] == '`') && (prev == ' ' || prev == '\t' || prev == '[' || prev == '{' || prev == ',') {
			return utf8.RuneCount(text[:i]) + 1, text[i], true
		}
		if text[i] == '#' || text[i] == '"' || text[i] == '\'' {
			break
		}
		prev = text[i]
	}
	return 0, 0, false
}

// variable is an unquoted ${VAR} inside a flow collection.
type variable struct {
	line, col int
	text      string
	// bracket opens the innermost collection it is in: '{' or '['.
	bracket byte
}

// flowVariable finds the first unquoted ${VAR} inside a flow collection,
// {…} or […], at or after line from. In a flow collection '{' ends a plain
// value, so `{auth_id: ${X}}` is a syntax error that yaml.v3 reports as a
// missing ',' or '}' at the line the collection starts on; the variable is
// what to point at. Quoted strings and comments are skipped; a quote opens
// a string only where a value can start, so "it's" in a plain value is text.
func flowVariable(data []byte, from int) (variable, bool) {
	line, col := 1, 0
	var stack []byte
	var quote byte
	// valueStart: a key or value can start here (line start, after ": ",
	// "- ", "? ", or after '{', '[' or ',' in a flow collection).
	valueStart := true
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line, col = line+1, 0
			if quote == 0 {
				valueStart = true
			}
			continue
		}
		if c < utf8.RuneSelf || utf8.RuneStart(c) {
			col++
		}
		switch {
		case quote == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = 0
			}
			continue
		case quote == '\'':
			if c == '\'' && i+1 < len(data) && data[i+1] == '\'' {
				i++
			} else if c == '\'' {
				quote = 0
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			if i > 0 && strings.IndexByte(":-?", data[i-1]) >= 0 {
				valueStart = true
			}
			continue
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
			continue
		case (c == '"' || c == '\'') && valueStart:
			quote = c
		case c == '$' && len(stack) > 0 && i+1 < len(data) && data[i+1] == '{':
			if end := bytes.IndexByte(data[i:], '}'); end > 0 && line >= from && bytes.IndexByte(data[i:i+end], '\n') < 0 {
				return variable{line: line, col: col, text: string(data[i : i+end+1]), bracket: stack[len(stack)-1]}, true
			}
		case (c == '{' || c == '[') && (valueStart || len(stack) > 0):
			stack = append(stack, c)
			valueStart = true
			continue
		case (c == '}' || c == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		case c == ',' && len(stack) > 0:
			valueStart = true
			continue
		}
		valueStart = false
	}
	return variable{}, false
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}
