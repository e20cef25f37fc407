package plan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// ANSI colors of the text diff.
const (
	colorReset  = "\x1b[0m"
	colorRed    = "\x1b[31m"
	colorGreen  = "\x1b[32m"
	colorCyan   = "\x1b[36m"
	colorYellow = "\x1b[33m"
	colorBold   = "\x1b[1m"
)

// WriteText renders the plan as a unified diff per zone, in zone
// presentation form; color adds ANSI colors for a terminal.
func WriteText(w io.Writer, p *Plan, color bool) error {
	bw := bufio.NewWriter(w)
	paint := func(c, s string) string {
		if !color {
			return s
		}
		return c + s + colorReset
	}
	refused := "refused: "
	if p.Forced {
		refused = "refused, forced with --force: "
	}
	for _, r := range p.Refusals {
		fmt.Fprintln(bw, paint(colorRed, refused+r))
	}
	for _, w := range p.Warnings {
		fmt.Fprintln(bw, paint(colorYellow, "warning: "+w))
	}
	writeScopeText(bw, p.Scope)
	groups := GroupOperations(p)
	writeGroupsText(bw, groups, paint)
	for _, z := range p.Zones {
		z, shared := groups.Own(z)
		if len(z.Operations) == 0 {
			continue
		}
		zone := model.DisplayName(z.Zone)
		fmt.Fprintln(bw, paint(colorBold, fmt.Sprintf("zone %s (provider %s): %s%s", zone, z.Provider, zonePhrase(z), sharedNote(shared))))
		fmt.Fprintln(bw, paint(colorBold, "--- "+zone+" (live)"))
		fmt.Fprintln(bw, paint(colorBold, "+++ "+zone+" (desired)"))
		for _, h := range zoneHunks(z) {
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
		fmt.Fprintln(bw)
	}
	writeLeftAloneText(bw, p, paint)
	fmt.Fprintln(bw, p.SummaryLine())
	return bw.Flush()
}

// MarkdownOptions shape the markdown rendering.
type MarkdownOptions struct {
	// Marker names the config in the hidden comment a workflow finds its
	// own PR comment or issue by.
	Marker string
	// Limit is the most characters to write; 0 means GitHubCommentLimit.
	Limit int
}

// GitHubCommentLimit is the longest comment or issue body GitHub accepts.
const GitHubCommentLimit = 65536

// MarkerComment is the hidden first line of a markdown plan.
func MarkerComment(config string) string {
	return "<!-- zonesync-plan: " + config + " -->"
}

// WriteMarkdown renders the plan for a pull request comment or an issue:
// a hidden marker, the plan's Status in a hidden line for workflows, the
// summary, errors, refusals, then one collapsible diff per zone.
// Operations that do not fit the size limit are left out and counted.
func WriteMarkdown(w io.Writer, p *Plan, opt MarkdownOptions) error {
	limit := opt.Limit
	if limit <= 0 {
		limit = GitHubCommentLimit
	}
	var b strings.Builder
	b.WriteString(MarkerComment(opt.Marker) + "\n")
	b.WriteString("<!-- zonesync-plan-status: " + p.Status() + " -->\n")
	switch {
	case len(p.Errors) > 0 && len(p.Zones) == 0:
		b.WriteString("### zonesync plan failed\n\n")
	case len(p.Errors) > 0:
		b.WriteString("### zonesync plan (incomplete)\n\n")
	default:
		b.WriteString("### zonesync plan\n\n")
	}
	b.WriteString("**" + p.SummaryLine() + "**\n\n")
	if len(p.Errors) > 0 {
		writeErrors(&b, p, limit/2)
	}
	switch {
	case len(p.Refusals) > 0 && p.Forced:
		b.WriteString("> [!WARNING]\n> **Forced.** The safety checks refuse this plan, and it was made with `--force`: " +
			"apply carries it out anyway. Make sure the refusals below are what you want.\n\n")
	case len(p.Refusals) > 0:
		b.WriteString("> [!CAUTION]\n> **Refused.** The safety checks refuse this plan, so apply will not carry it out. " +
			"Review the refusals below; to apply the plan anyway, plan and apply it with `--force` " +
			"(with zonesync's workflows: add the `zonesync:force` label to the pull request).\n\n")
	}
	// Refusals and warnings may each take a quarter of the room left: a
	// setting that every zone trips (ownership turned on for an estate)
	// gives one per zone.
	writeNotes(&b, p.Refusals, "refusal", "> [!CAUTION]\n> **Refused:** ", max(limit-b.Len(), 0)/4)
	writeNotes(&b, p.Warnings, "warning", "> [!WARNING]\n> ", max(limit-b.Len(), 0)/4)
	writeScopeMarkdown(&b, p.Scope)
	groups := GroupOperations(p)
	// Room kept for the closing lines and the note about what was cut.
	const reserve = 400
	// The table may take half the room left: the diffs below keep room.
	writeTableMarkdown(&b, p, groups, max(limit-b.Len()-reserve, 0)/2)
	omitted := 0
	for _, grp := range groups.Groups {
		// The widest group's zones may take half the room left, the
		// next's half of what is left then, and so on: the zones'
		// own differences below keep room too.
		text := groupMarkdown(grp, max(limit-b.Len()-reserve, 0)/2)
		if omitted > 0 || b.Len()+len(text)+reserve > limit {
			omitted += len(grp.Operations) * len(grp.Zones)
			continue
		}
		b.WriteString(text)
	}
	for _, z := range p.Zones {
		z, shared := groups.Own(z)
		if len(z.Operations) == 0 {
			continue
		}
		if omitted > 0 {
			omitted += len(z.Operations)
			continue
		}
		head := fmt.Sprintf("<details><summary><code>%s</code> (%s): %s%s</summary>\n\n```diff\n", model.DisplayName(z.Zone), escapeMarkdown(z.Provider), zonePhrase(z), sharedNote(shared))
		tail := "```\n\n</details>\n\n"
		if b.Len()+len(head)+len(tail)+reserve > limit {
			omitted += len(z.Operations)
			continue
		}
		b.WriteString(head)
		hunks := zoneHunks(z)
		for i, h := range hunks {
			text := renderHunk(h)
			if b.Len()+len(text)+len(tail)+reserve > limit {
				omitted += len(hunks) - i
				break
			}
			b.WriteString(text)
		}
		b.WriteString(tail)
	}
	writeLeftAloneMarkdown(&b, p, limit-reserve)
	if omitted > 0 {
		fmt.Fprintf(&b, "_%d more %s not shown to stay under GitHub's comment size limit; the full plan is in the plan.json artifact and `zonesync plan` output._\n", omitted, plural(omitted, "operation"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeNotes writes each note as a block under prefix, in at most room
// characters, and counts the notes past it.
func writeNotes(b *strings.Builder, notes []string, what, prefix string, room int) {
	start := b.Len()
	for i, n := range notes {
		text := prefix + escapeMarkdown(n) + "\n\n"
		if b.Len()-start+len(text) > room {
			fmt.Fprintf(b, "_%d more %s not shown to stay under GitHub's comment size limit; `zonesync plan` lists every one._\n\n", len(notes)-i, plural(len(notes)-i, what))
			return
		}
		b.WriteString(text)
	}
}

// writeErrors lists the plan's errors in a code block of at most room
// characters, so that no error text is read as markup.
func writeErrors(b *strings.Builder, p *Plan, room int) {
	if len(p.Zones) == 0 {
		b.WriteString("> [!CAUTION]\n> **zonesync could not make a plan.** Nothing was planned: " +
			"any plan shown here before is out of date. Fix the errors below and push again.\n\n")
	} else {
		b.WriteString("> [!CAUTION]\n> **zonesync could not plan every zone.** The errors below left zones out: " +
			"this plan is incomplete, and it is not saved for apply.\n\n")
	}
	b.WriteString("```text\n")
	start := b.Len()
	for i, e := range p.Errors {
		line := strings.ReplaceAll(e.String(), "```", "`\u200b``") + "\n"
		if b.Len()-start+len(line) > room {
			fmt.Fprintf(b, "... and %d more %s\n", len(p.Errors)-i, plural(len(p.Errors)-i, "error"))
			break
		}
		b.WriteString(line)
	}
	b.WriteString("```\n\n")
}

func renderHunk(h hunk) string {
	var b strings.Builder
	b.WriteString("@@ " + h.header + " @@\n")
	for _, l := range h.lines {
		b.WriteByte(l.kind)
		// A fence inside a value would end the code block early.
		b.WriteString(strings.ReplaceAll(l.text, "```", "`\u200b``"))
		b.WriteByte('\n')
	}
	return b.String()
}

// escapeMarkdown keeps provider text from being read as markup.
func escapeMarkdown(s string) string {
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "|", "\\|", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]")
	return r.Replace(s)
}

// WriteJSON writes the plan in the documented JSON schema.
func WriteJSON(w io.Writer, p *Plan) error {
	if p.Zones == nil {
		p.Zones = []*ZonePlan{}
	}
	for _, z := range p.Zones {
		if z.Operations == nil {
			z.Operations = []*Operation{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
