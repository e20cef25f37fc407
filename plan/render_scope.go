package plan

import (
	"bufio"
	"fmt"
	"strings"
)

// writeScopeText says what a scoped plan covers, and what becomes of the
// zones of deleted specs.
func writeScopeText(bw *bufio.Writer, s *Scope) {
	if s == nil {
		return
	}
	fmt.Fprintln(bw, s.Note())
	for _, d := range s.Deleted {
		fmt.Fprintln(bw, "note: "+d.DeletedNote())
	}
	for _, d := range s.Dropped {
		fmt.Fprintln(bw, "note: "+d.DroppedNote())
	}
	fmt.Fprintln(bw)
}

// writeScopeMarkdown is writeScopeText for a pull request comment.
func writeScopeMarkdown(b *strings.Builder, s *Scope) {
	if s == nil {
		return
	}
	b.WriteString("> [!NOTE]\n> " + escapeMarkdown(s.Note()) + "\n\n")
	for _, d := range s.Deleted {
		b.WriteString("> [!NOTE]\n> " + escapeMarkdown(strings.ToUpper(d.DeletedNote()[:1])+d.DeletedNote()[1:]) + "\n\n")
	}
	for _, d := range s.Dropped {
		b.WriteString("> [!NOTE]\n> " + escapeMarkdown(strings.ToUpper(d.DroppedNote()[:1])+d.DroppedNote()[1:]) + "\n\n")
	}
}
