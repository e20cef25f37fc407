package plan

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// leftAloneExamples is how many record sets of one owner the text and
// markdown name before counting the rest.
const leftAloneExamples = 5

// markerTitle names an operation on an ownership marker by what it does
// to the record set it marks: "3 mark www A (create www.a._zonesync TXT)",
// "adopt", "unmark".
func markerTitle(op *Operation) string {
	verb := "mark"
	switch {
	case op.Action == Delete:
		verb = "unmark"
	case op.Marker.Adopt:
		verb = "adopt"
	}
	set := model.DisplayName(op.Marker.Name) + " " + op.Marker.Type
	if op.Marker.Name == "" {
		set = "the " + op.Marker.Type + " record set of a long name"
	}
	return fmt.Sprintf("%d %s %s (%s %s %s)", op.Seq, verb, set, op.Action, model.DisplayName(op.Name), op.Type)
}

// zonePhrase says what a zone's plan does: "2 to create, 1 to adopt, 2
// marker writes".
func zonePhrase(z *ZonePlan) string {
	c, u, d := z.Counts()
	mark, adopt, unmark := z.MarkerCounts()
	return withMarkers(countsPhrase(c, u, d), adopt, mark+unmark)
}

// withMarkers adds the marker operations to a counts phrase.
func withMarkers(phrase string, adopt, markers int) string {
	if adopt+markers == 0 {
		return phrase
	}
	var parts []string
	if phrase != "no changes" {
		parts = append(parts, phrase)
	}
	if adopt > 0 {
		parts = append(parts, fmt.Sprintf("%d to adopt", adopt))
	}
	if markers > 0 {
		parts = append(parts, fmt.Sprintf("%d marker %s", markers, plural(markers, "write")))
	}
	return strings.Join(parts, ", ")
}

// displayKey names a zone's plan as people read it: the zone, or
// zone@provider for one target of a zone served by several providers.
func displayKey(z *ZonePlan) string {
	if z.Target != "" {
		return model.DisplayName(z.Zone) + "@" + z.Provider
	}
	return model.DisplayName(z.Zone)
}

// leftAloneCount is how many record sets a zone leaves alone.
func leftAloneCount(z *ZonePlan) int {
	n := 0
	for _, g := range z.LeftAlone {
		n += len(g.Sets)
	}
	return n
}

// setList names the first record sets of a group and counts the rest.
func setList(sets []SetKey) string {
	names := make([]string, 0, leftAloneExamples)
	for _, s := range sets[:min(len(sets), leftAloneExamples)] {
		names = append(names, model.DisplayName(s.Name)+" "+s.Type)
	}
	out := strings.Join(names, ", ")
	if len(sets) > leftAloneExamples {
		out += fmt.Sprintf(" and %d more", len(sets)-leftAloneExamples)
	}
	return out
}

// writeLeftAloneText lists, after the zones' diffs, the record sets each
// zone in ownership mode leaves alone, by owner.
func writeLeftAloneText(w io.Writer, p *Plan, paint func(c, s string) string) {
	header := false
	for _, z := range p.Zones {
		n := leftAloneCount(z)
		if n == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(w, paint(colorBold, "left alone: record sets zonesync does not own, never changed or deleted, never drift"))
			header = true
		}
		fmt.Fprintf(w, "  %s: %d record %s\n", displayKey(z), n, plural(n, "set"))
		for _, g := range z.LeftAlone {
			fmt.Fprintf(w, "    %s: %d (%s)\n", g.Owner, len(g.Sets), setList(g.Sets))
		}
	}
	if header {
		fmt.Fprintln(w)
	}
}

// writeLeftAloneMarkdown writes the left-alone section as a collapsible
// table, in at most room characters all told.
func writeLeftAloneMarkdown(b *strings.Builder, p *Plan, room int) {
	total, zones := 0, 0
	for _, z := range p.Zones {
		if n := leftAloneCount(z); n > 0 {
			total += n
			zones++
		}
	}
	if total == 0 {
		return
	}
	head := fmt.Sprintf("<details><summary>Left alone: %d record %s zonesync does not own, in %d %s (never changed, deleted or counted as drift)</summary>\n\n| zone | owner | record sets | |\n|---|---|--:|---|\n",
		total, plural(total, "set"), zones, plural(zones, "zone"))
	tail := "\n</details>\n\n"
	if b.Len()+len(head)+len(tail) > room {
		return
	}
	b.WriteString(head)
	cut := 0
	for _, z := range p.Zones {
		for _, g := range z.LeftAlone {
			row := "| `" + displayKey(z) + "` | " + escapeMarkdown(g.Owner) + " | " + strconv.Itoa(len(g.Sets)) + " | " + escapeMarkdown(setList(g.Sets)) + " |\n"
			if cut > 0 || b.Len()+len(row)+len(tail)+80 > room {
				cut++
				continue
			}
			b.WriteString(row)
		}
	}
	if cut > 0 {
		fmt.Fprintf(b, "\n_%d more %s not shown._\n", cut, plural(cut, "row"))
	}
	b.WriteString(tail)
}
