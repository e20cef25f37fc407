package plan

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// groupTitle names a grouped operation, without the sequence number it
// has in each zone: "update @ MX".
func groupTitle(op *Operation) string {
	if op.Marker != nil {
		// What the marker does to its set, as in a zone's diff: "adopt
		// api A (update api.a._zonesync TXT)".
		_, t, _ := strings.Cut(markerTitle(op), " ")
		return t
	}
	t := string(op.Action)
	if op.Name != "" {
		t += " " + model.DisplayName(op.Name) + " " + op.Type
	}
	return t
}

// groupHunks renders a group's operations as diff hunks.
func groupHunks(grp *Group) []hunk {
	hunks := zoneHunks(&ZonePlan{Operations: grp.Operations})
	for i, op := range grp.Operations {
		hunks[i].header = groupTitle(op)
	}
	return hunks
}

// groupHeadline is what a group's zones do: the one operation's headline,
// or the count of its operations by kind.
func groupHeadline(grp *Group) string {
	if len(grp.Operations) == 1 {
		return Headline(grp.Operations[0])
	}
	c, u, d := (&ZonePlan{Operations: grp.Operations}).Counts()
	return "each " + countsPhrase(c, u, d)
}

// zonesAlike is "240 zones".
func zonesAlike(n int) string { return fmt.Sprintf("%d %s", n, plural(n, "zone")) }

// sharedNote follows a zone's counts when a group holds some of its
// operations.
func sharedNote(shared int) string {
	if shared == 0 {
		return ""
	}
	return fmt.Sprintf("; %d more alike with other zones, above", shared)
}

// writeGroupsText writes each group: its headline, its diff, its zones.
func writeGroupsText(bw *bufio.Writer, g *Grouping, paint func(c, s string) string) {
	for _, grp := range g.Groups {
		fmt.Fprintln(bw, paint(colorBold, fmt.Sprintf("%s (provider %s): %s", zonesAlike(len(grp.Zones)), grp.Provider, groupHeadline(grp))))
		for _, h := range groupHunks(grp) {
			fmt.Fprintln(bw, paint(colorCyan, "@@ "+h.header+" @@"))
			for _, l := range h.lines {
				switch l.kind {
				case lineDel:
					fmt.Fprintln(bw, paint(colorRed, "-"+l.text))
				case lineAdd:
					fmt.Fprintln(bw, paint(colorGreen, "+"+l.text))
				default:
					fmt.Fprintln(bw, " "+l.text)
				}
			}
		}
		names := make([]string, len(grp.Zones))
		for i, z := range grp.Zones {
			names[i] = model.DisplayName(z)
		}
		for i, line := range wrapList(names, 100) {
			if i == 0 {
				fmt.Fprintln(bw, "zones: "+line)
			} else {
				fmt.Fprintln(bw, "       "+line)
			}
		}
		fmt.Fprintln(bw)
	}
}

// wrapList joins names with commas in lines of about width characters.
func wrapList(names []string, width int) []string {
	var lines []string
	var line strings.Builder
	for i, n := range names {
		if i < len(names)-1 {
			n += ","
		}
		if line.Len() > 0 && line.Len()+1+len(n) > width {
			lines = append(lines, line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(n)
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// groupMarkdown renders a group for a pull request comment: its headline
// and diff in view, its zones in a collapsed block. The list of zones
// takes at most room characters; the zones past it are counted, not named.
func groupMarkdown(grp *Group, room int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%s): %s\n\n```diff\n", zonesAlike(len(grp.Zones)), escapeMarkdown(grp.Provider), escapeMarkdown(groupHeadline(grp)))
	for _, h := range groupHunks(grp) {
		b.WriteString(renderHunk(h))
	}
	fmt.Fprintf(&b, "```\n\n<details><summary>the %s</summary>\n\n", zonesAlike(len(grp.Zones)))
	start := b.Len()
	for i, z := range grp.Zones {
		item := "`" + model.DisplayName(z) + "`"
		if i < len(grp.Zones)-1 {
			item += ", "
		}
		if b.Len()-start+len(item) > room {
			fmt.Fprintf(&b, "and %d more (the plan.json artifact and `zonesync plan` list every zone)", len(grp.Zones)-i)
			break
		}
		b.WriteString(item)
	}
	b.WriteString("\n\n</details>\n\n")
	return b.String()
}

// writeTableMarkdown writes the table of changes: a row for each group,
// its operations over all its zones, and a row for each zone with
// operations of its own, those operations. The table takes at most room
// characters: the rows past it are counted, not shown, so that a plan of
// thousands of zones still fits a comment.
func writeTableMarkdown(b *strings.Builder, p *Plan, g *Grouping, room int) {
	if p.Summary.ZonesChanged == 0 {
		return
	}
	markers := p.Summary.Adopt+p.Summary.Markers > 0
	start := b.Len()
	if markers {
		b.WriteString("| zone | provider | create | update | delete | adopt | markers |\n|---|---|--:|--:|--:|--:|--:|\n")
	} else {
		b.WriteString("| zone | provider | create | update | delete |\n|---|---|--:|--:|--:|\n")
	}
	cut := 0
	row := func(zone, provider string, z *ZonePlan, times int) {
		c, u, d := z.Counts()
		mark, adopt, unmark := z.MarkerCounts()
		if c+u+d+mark+adopt+unmark == 0 {
			return
		}
		line := fmt.Sprintf("| %s | %s | %d | %d | %d |", zone, escapeMarkdown(provider), c*times, u*times, d*times)
		if markers {
			line += fmt.Sprintf(" %d | %d |", adopt*times, (mark+unmark)*times)
		}
		if cut > 0 || b.Len()-start+len(line)+1 > room {
			cut++
			return
		}
		b.WriteString(line + "\n")
	}
	for _, grp := range g.Groups {
		row(zonesAlike(len(grp.Zones))+" alike (below)", grp.Provider, &ZonePlan{Operations: grp.Operations}, len(grp.Zones))
	}
	for _, z := range p.Zones {
		own, _ := g.Own(z)
		row("`"+model.DisplayName(z.Zone)+"`", z.Provider, own, 1)
	}
	if cut > 0 {
		fmt.Fprintf(b, "\n_%d more %s of the table not shown to stay under GitHub's comment size limit; the summary above counts them._\n", cut, plural(cut, "row"))
	}
	b.WriteString("\n")
}
