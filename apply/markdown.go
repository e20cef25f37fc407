package apply

import (
	"fmt"
	"io"
	"strings"

	"github.com/zonesync/zonesync/plan"
)

// MarkerComment is the hidden first line of a markdown apply report, by
// which a workflow finds the comment it posted on a pull request before.
func MarkerComment(config string) string {
	return "<!-- zonesync-apply: " + config + " -->"
}

// WriteMarkdown renders the report for a pull request comment: a hidden
// marker naming the config, the summary, what stopped the apply, then a
// table per zone with every operation's status; zones with a failure are
// shown open. Zones that do not fit GitHub's comment size are counted.
func WriteMarkdown(w io.Writer, r *Report, config string) error {
	var b strings.Builder
	b.WriteString(MarkerComment(config) + "\n")
	title := "### zonesync apply"
	if r.Failed() || len(r.Errors) > 0 || len(r.Refusals) > 0 || r.Interrupted {
		title += " failed"
	}
	b.WriteString(title + "\n\n")
	if len(r.Refusals) > 0 && len(r.Zones) == 0 {
		b.WriteString("**Refused by the safety checks: nothing was changed.**\n\n")
	} else if len(r.Errors) > 0 && len(r.Zones) == 0 && len(r.AlreadyApplied) == 0 {
		b.WriteString("**Nothing was applied.**\n\n")
	} else {
		b.WriteString("**" + escape(r.SummaryLine()) + "**\n\n")
	}
	if len(r.Errors) > 0 {
		b.WriteString("> [!CAUTION]\n> **Errors**\n\n```text\n")
		for i, p := range r.Errors {
			if b.Len() > plan.GitHubCommentLimit/2 {
				fmt.Fprintf(&b, "... and %d more\n", len(r.Errors)-i)
				break
			}
			b.WriteString(strings.ReplaceAll(p.String(), "```", "`\u200b``") + "\n")
		}
		b.WriteString("```\n\n")
	}
	for _, x := range r.TargetLines() {
		b.WriteString("> [!CAUTION]\n> **Targets differ:** " + escape(x) + "\n\n")
	}
	for _, x := range r.Refusals {
		b.WriteString("> [!CAUTION]\n> **Refused:** " + escape(x) + "\n\n")
	}
	for _, x := range r.Forced {
		b.WriteString("> [!WARNING]\n> **Forced past:** " + escape(x) + "\n\n")
	}
	if n := len(r.AlreadyApplied); n > 0 {
		b.WriteString("Already applied (a re-run: live state is what the plan makes, nothing to do): " +
			"`" + strings.Join(r.AlreadyApplied, "`, `") + "`\n\n")
	}
	var changed []*ZoneReport
	for _, z := range r.Zones {
		if len(z.Results) > 0 {
			changed = append(changed, z)
		}
	}
	if len(changed) > 0 {
		b.WriteString("| zone | provider | ok | failed | skipped |\n|---|---|--:|--:|--:|\n")
		for _, z := range changed {
			c := z.counts()
			fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %d |\n", z.Zone, escape(z.Provider), c.OK, c.Failed, c.Skipped)
		}
		b.WriteString("\n")
	}
	const reserve = 400
	omitted := 0
	for _, z := range changed {
		c := z.counts()
		var zb strings.Builder
		open := ""
		if c.Failed+c.Skipped > 0 {
			open = " open"
		}
		fmt.Fprintf(&zb, "<details%s><summary><code>%s</code> (%s): %d ok, %d failed, %d skipped</summary>\n\n",
			open, z.Zone, escape(z.Provider), c.OK, c.Failed, c.Skipped)
		zb.WriteString("| # | operation | status | detail |\n|--:|---|---|---|\n")
		for _, res := range z.Results {
			op := string(res.Action)
			if res.Name != "" {
				op += " " + res.Name + " " + res.Type
			}
			fmt.Fprintf(&zb, "| %d | %s | %s | %s |\n", res.Seq, escape(op), res.Status, escape(res.Error))
		}
		if len(z.DS) > 0 {
			zb.WriteString("\nDS records for the parent zone, to hand to the registrar:\n\n```text\n")
			for _, ds := range z.DS {
				zb.WriteString(z.Zone + ". IN DS " + ds + "\n")
			}
			zb.WriteString("```\n")
		}
		zb.WriteString("\n</details>\n\n")
		if omitted > 0 || b.Len()+zb.Len()+reserve > plan.GitHubCommentLimit {
			omitted++
			continue
		}
		b.WriteString(zb.String())
	}
	if omitted > 0 {
		fmt.Fprintf(&b, "_%d more zones not shown to stay under GitHub's comment size limit; `apply --format json` has them all._\n", omitted)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// counts tallies one zone's operations by status.
func (z *ZoneReport) counts() Counts {
	var c Counts
	for _, r := range z.Results {
		switch r.Status {
		case OK:
			c.OK++
		case Failed:
			c.Failed++
		default:
			c.Skipped++
		}
	}
	return c
}

// escape keeps provider text from being read as markup or breaking a table.
func escape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "|", "\\|", "`", "\\`", "*", "\\*", "_", "\\_",
		"[", "\\[", "]", "\\]", "\n", " ").Replace(s)
}
