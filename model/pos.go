package model

import "fmt"

// Pos is a place in a spec or config file, line and column 1-based as
// editors show them: where a record set or an ignore rule was declared,
// for the errors and warnings that point at it.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col.
func (p Pos) String() string {
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}
