package spec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

func nodePos(file string, n *yaml.Node) model.Pos {
	if n == nil || n.Line == 0 {
		return model.Pos{File: file, Line: 1, Col: 1}
	}
	return model.Pos{File: file, Line: n.Line, Col: n.Column}
}

// Error is one problem found in a config or zone spec, at a position.
type Error struct {
	Pos model.Pos
	Msg string
}

// Error formats the problem as file:line:col: message.
func (e *Error) Error() string {
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is every problem found while loading, in file and line order.
type ErrorList []*Error

// Error joins the problems, one per line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Sort orders the problems by file, line and column so that output is stable.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// errs collects problems for one file.
type errs struct {
	file string
	list ErrorList
}

func (e *errs) add(n *yaml.Node, format string, args ...any) {
	e.list = append(e.list, &Error{Pos: nodePos(e.file, n), Msg: fmt.Sprintf(format, args...)})
}
