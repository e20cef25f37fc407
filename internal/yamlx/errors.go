// Package yamlx is what zonesync's YAML files share: strict decoding of a
// node tree into Go values with every problem at its line and column,
// numbers in plain decimal only, the problem list printed as
// file:line:col: message, and yaml.v3's syntax errors in words that say
// what to write instead. The project config (package config) and the zone
// specs (package spec) are read with it.
package yamlx

import (
	"fmt"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// NodePos is where node n stands in file; the file's start when n is nil
// or has no position.
func NodePos(file string, n *yaml.Node) model.Pos {
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

// FileErrors collects the problems found in one file.
type FileErrors struct {
	// File names the file in every problem's position.
	File string
	// List is the problems found so far, in the order found.
	List ErrorList
	// Origins maps the nodes Expand copied for aliases to where they are
	// written; a problem at one says so. Only read once Expand is done,
	// so several FileErrors may share one.
	Origins map[*yaml.Node]Origin
	// Notes are more words for a problem at a node: where a value put in
	// its place came from.
	Notes map[*yaml.Node]string
}

// Add records a problem at node n (the file's start when n is nil). A
// node copied from an anchor or given a note gets its origin or note
// after the message.
func (e *FileErrors) Add(n *yaml.Node, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if n != nil {
		if note, ok := e.Notes[n]; ok {
			msg += " (" + note + ")"
		}
		if o, ok := e.Origins[n]; ok {
			msg += " (" + o.String() + ")"
		}
	}
	e.List = append(e.List, &Error{Pos: NodePos(e.File, n), Msg: msg})
}
