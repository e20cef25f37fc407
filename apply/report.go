package apply

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteZoneText prints one zone's results, a line per operation.
func WriteZoneText(w io.Writer, z *ZoneReport) {
	if len(z.Results) == 0 {
		return
	}
	fmt.Fprintf(w, "zone %s (provider %s)\n", z.Zone, z.Provider)
	for _, r := range z.Results {
		line := fmt.Sprintf("  %-7s %3d %s", r.Status, r.Seq, r.Action)
		if r.Name != "" {
			line += " " + r.Name + " " + r.Type
		}
		if r.Error != "" {
			line += ": " + r.Error
		}
		fmt.Fprintln(w, line)
	}
	if len(z.DS) > 0 {
		fmt.Fprintf(w, "  DS records for the parent zone, to hand to the registrar:\n")
		for _, ds := range z.DS {
			fmt.Fprintf(w, "    %s. IN DS %s\n", z.Zone, ds)
		}
	}
	if z.DSError != "" {
		fmt.Fprintf(w, "  the zone is signed, but its DS records could not be read: %s\n", z.DSError)
	}
}

// SummaryLine is the one-line outcome of an apply.
func (r *Report) SummaryLine() string {
	s := r.Summary
	total := s.OK + s.Failed + s.Unknown + s.Skipped
	if total == 0 && len(r.AlreadyApplied) > 0 {
		return fmt.Sprintf("Nothing to do: the plan was already applied to %s.", plural(len(r.AlreadyApplied), "zone"))
	}
	if total == 0 {
		return "Nothing to do: live state matches the specs."
	}
	unknown := ""
	if s.Unknown > 0 {
		unknown = fmt.Sprintf(", %d unknown (sent, outcome not confirmed: run plan)", s.Unknown)
	}
	msg := fmt.Sprintf("Applied %d of %d operations: %d ok, %d failed%s, %d skipped (%.1fs).", s.OK, total, s.OK, s.Failed, unknown, s.Skipped, r.DurationMS/1000)
	if r.Interrupted {
		msg += " Interrupted: operations not yet started were skipped."
	}
	return msg
}

// WriteJSON prints the whole report as one JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	for _, z := range r.Zones {
		if z.Results == nil {
			z.Results = []Result{}
		}
	}
	if r.Zones == nil {
		r.Zones = []*ZoneReport{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// plural counts a noun: "1 zone", "2 zones".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
