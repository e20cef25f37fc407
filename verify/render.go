package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zonesync/zonesync/model"
)

// MarkerComment is the hidden first line of a markdown verify report, by
// which a workflow finds the comment it posted before.
func MarkerComment(config string) string {
	return "<!-- zonesync-verify: " + config + " -->"
}

// SummaryLine is the one-line outcome of a verify.
func (r *Report) SummaryLine() string {
	s := r.Summary
	took := time.Duration(r.ElapsedMS * float64(time.Millisecond)).Round(100 * time.Millisecond)
	if s.Zones == 0 {
		return "Nothing to verify."
	}
	var parts []string
	for _, st := range States {
		if n := s.count(st); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st.Label()))
		}
	}
	if s.Errors > 0 {
		parts = append(parts, count(s.Errors, "zone", "zones")+" not checked")
	}
	head := fmt.Sprintf("Verified %s at %s", count(s.Zones, "zone", "zones"), count(s.Servers, "server address", "server addresses"))
	switch {
	case s.Servers > 0 && s.InSync == s.Servers && s.Errors == 0:
		return fmt.Sprintf("%s: all in sync (%s).", head, took)
	case r.TimedOut:
		return fmt.Sprintf("%s: %s; still so when the timeout passed (%s).", head, strings.Join(parts, ", "), took)
	}
	return fmt.Sprintf("%s: %s (%s).", head, strings.Join(parts, ", "), took)
}

func (s Summary) count(st State) int {
	switch st {
	case InSync:
		return s.InSync
	case Behind:
		return s.Behind
	case WrongAnswer:
		return s.WrongAnswer
	case Unreachable:
		return s.Unreachable
	case Lame:
		return s.Lame
	}
	return 0
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// zoneLine says what was expected of a zone's servers.
func (z *ZoneReport) zoneLine() string {
	parts := []string{"servers from the " + map[string]string{"apex": "apex NS set", "parent": "delegation at the parent"}[z.NSFrom]}
	if z.SerialFrom != "" {
		parts = append(parts, fmt.Sprintf("expected serial %d (%s)", z.Serial, z.SerialFrom))
	}
	if z.Checked == 0 {
		parts = append(parts, "the serial only")
	} else {
		parts = append(parts, count(z.Checked, "record set", "record sets")+" checked")
	}
	return strings.Join(parts, "; ")
}

// WriteText prints a table of each zone's servers, then the record sets
// each server serves otherwise than the spec, then the summary line.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, z := range r.Zones {
		fmt.Fprintf(&b, "zone %s: ", z.Zone)
		if z.Error != "" {
			fmt.Fprintf(&b, "not verified: %s\n\n", z.Error)
			continue
		}
		b.WriteString(z.zoneLine() + "\n")
		var table strings.Builder
		tw := tabwriter.NewWriter(&table, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "  SERVER\tADDRESS\tSERIAL\tSTATE\tDETAIL")
		for _, s := range z.Servers {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", s.Name, orDash(s.Address), serialText(s.Serial), s.State.Label(), s.Detail)
		}
		tw.Flush()
		for _, line := range strings.SplitAfter(table.String(), "\n") {
			b.WriteString(strings.TrimRight(line, " \n"))
			if strings.HasSuffix(line, "\n") {
				b.WriteString("\n")
			}
		}
		for _, s := range z.Servers {
			if len(s.Differences) == 0 {
				continue
			}
			fmt.Fprintf(&b, "  %s at %s serves:\n", s.Name, s.Address)
			for _, d := range s.Differences {
				b.WriteString("    " + d.String() + "\n")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString(r.SummaryLine() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// String is the difference in one line: the record set, what the server
// answered and what the spec has.
func (d Difference) String() string {
	return fmt.Sprintf("%s %s: %s; the spec has %s", d.Name, d.Type, rrsetText(d.Type, d.Got), rrsetText(d.Type, d.Want))
}

func rrsetText(rrtype string, s *RRSet) string {
	if s == nil {
		return "none"
	}
	vals := make([]string, len(s.Values))
	for i, v := range s.Values {
		vals[i] = model.DisplayValue(rrtype, v)
	}
	return fmt.Sprintf("ttl %d %s", s.TTL, strings.Join(vals, ", "))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func serialText(s *uint32) string {
	if s == nil {
		return "-"
	}
	return strconv.FormatUint(uint64(*s), 10)
}

// MarkdownOptions shape the markdown report.
type MarkdownOptions struct {
	// Marker, when set, is the config named in the hidden first line
	// (MarkerComment); a report appended to another document has none.
	Marker string
}

// WriteMarkdown renders the report for a pull request comment or a job
// summary: the summary line, then a table per zone.
func WriteMarkdown(w io.Writer, r *Report, opt MarkdownOptions) error {
	var b strings.Builder
	if opt.Marker != "" {
		b.WriteString(MarkerComment(opt.Marker) + "\n")
	}
	title := "### zonesync verify"
	if r.ExitCode() != 0 {
		title += ": not in sync"
	}
	b.WriteString(title + "\n\n**" + escape(r.SummaryLine()) + "**\n")
	for _, z := range r.Zones {
		b.WriteString("\n#### " + escape(z.Zone) + "\n\n")
		if z.Error != "" {
			b.WriteString("Not verified: " + escape(z.Error) + "\n")
			continue
		}
		b.WriteString(escape(upperFirst(z.zoneLine())) + ".\n\n")
		b.WriteString("| server | address | serial | state | what differs |\n|---|---|---|---|---|\n")
		for _, s := range z.Servers {
			var what []string
			if s.Detail != "" {
				what = append(what, escape(s.Detail))
			}
			for _, d := range s.Differences {
				code := strings.NewReplacer("`", "'", "|", "\\|", "\n", " ").Replace(d.String())
				what = append(what, "`"+code+"`")
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", escape(s.Name), escape(orDash(s.Address)), serialText(s.Serial), s.State.Label(),
				strings.Join(what, "<br>"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// escape keeps server and zone text from being read as markup or
// breaking a table.
func escape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "|", "\\|", "`", "\\`", "*", "\\*", "_", "\\_",
		"[", "\\[", "]", "\\]", "\n", " ").Replace(s)
}

// WriteJSON prints the report as one JSON document.
func WriteJSON(w io.Writer, r *Report) error {
	if r.Zones == nil {
		r.Zones = []*ZoneReport{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
