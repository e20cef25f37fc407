package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/zonesync/zonesync/model"
)

// A hunk line's kind: unchanged context, removed or added.
const (
	lineSame = ' '
	lineDel  = '-'
	lineAdd  = '+'
)

// hunkLine is one line of an operation's diff.
type hunkLine struct {
	kind byte
	text string
}

// hunk is the diff of one operation, in zone presentation form.
type hunk struct {
	header string
	lines  []hunkLine
}

// zoneHunks renders every operation of a zone as a diff hunk.
func zoneHunks(z *ZonePlan) []hunk {
	width := 1
	for _, op := range z.Operations {
		width = max(width, min(utf8.RuneCountInString(model.DisplayName(op.Name)), 40))
	}
	dmp := diffmatchpatch.New()
	hunks := make([]hunk, 0, len(z.Operations))
	for _, op := range z.Operations {
		before := stateLines(op, op.Before, width)
		after := stateLines(op, op.After, width)
		lines := diffLines(dmp, before, after)
		if txtRegrouped(op) {
			lines = append(lines, hunkLine{lineSame, "; same text in other strings: a TXT record's string boundaries are part of its data"})
		}
		hunks = append(hunks, hunk{header: opTitle(op), lines: lines})
	}
	if h, ok := dsHunk(z); ok {
		hunks = append(hunks, h)
	}
	return hunks
}

// dsHunk lists a signed zone's DS records for the registrar, or says when
// apply will: a zone that this plan signs has no keys yet.
func dsHunk(z *ZonePlan) (hunk, bool) {
	h := hunk{header: "DS records for the parent zone, to hand to the registrar"}
	for _, ds := range z.DS {
		h.lines = append(h.lines, hunkLine{lineSame, model.DisplayName(z.Zone) + ". IN DS " + ds})
	}
	if len(h.lines) == 0 && slices.ContainsFunc(z.Operations, func(op *Operation) bool { return op.Action == EnableDNSSEC }) {
		h.lines = append(h.lines, hunkLine{lineSame, "; the zone has no keys yet: apply prints its DS records once it is signed"})
	}
	return h, len(h.lines) > 0
}

// txtRegrouped reports whether an update of a TXT or SPF record set turns
// a value into one with the same text in other strings, a change that
// reads on a diff line as hardly any change at all.
func txtRegrouped(op *Operation) bool {
	if op.Action != Update || op.Type != "TXT" && op.Type != "SPF" || op.Before == nil || op.After == nil {
		return false
	}
	removed := map[string]bool{}
	for _, v := range op.Before.Values {
		if !slices.Contains(op.After.Values, v) {
			if text, err := model.TXTText(v); err == nil {
				removed[text] = true
			}
		}
	}
	for _, v := range op.After.Values {
		if slices.Contains(op.Before.Values, v) {
			continue
		}
		if text, err := model.TXTText(v); err == nil && removed[text] {
			return true
		}
	}
	return false
}

// opTitle names an operation: "3 update www A".
func opTitle(op *Operation) string {
	if op.Marker != nil {
		return markerTitle(op)
	}
	t := strconv.Itoa(op.Seq) + " " + string(op.Action)
	if op.Name != "" {
		t += " " + model.DisplayName(op.Name) + " " + op.Type
	}
	return t
}

// diffLines diffs two lists of lines with go-diff, keeping equal lines as context.
func diffLines(dmp *diffmatchpatch.DiffMatchPatch, before, after []string) []hunkLine {
	if len(before) == 0 || len(after) == 0 {
		out := make([]hunkLine, 0, len(before)+len(after))
		for _, l := range before {
			out = append(out, hunkLine{lineDel, l})
		}
		for _, l := range after {
			out = append(out, hunkLine{lineAdd, l})
		}
		return out
	}
	a, b, lines := dmp.DiffLinesToChars(strings.Join(before, "\n")+"\n", strings.Join(after, "\n")+"\n")
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out []hunkLine
	for _, d := range diffs {
		kind := byte(lineSame)
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = lineDel
		case diffmatchpatch.DiffInsert:
			kind = lineAdd
		}
		for _, l := range strings.Split(strings.TrimSuffix(d.Text, "\n"), "\n") {
			out = append(out, hunkLine{kind, l})
		}
	}
	return out
}

// stateLines renders one side of an operation as zone-file-like lines.
func stateLines(op *Operation, s *State, width int) []string {
	if s == nil {
		return nil
	}
	switch op.Action {
	case CreateZone, SwitchMode, UpdateMasters:
		var out []string
		if s.Mode != "" {
			out = append(out, "; mode "+string(s.Mode))
		}
		if len(s.Masters) > 0 || s.Mode == model.Slave || op.Action == UpdateMasters {
			out = append(out, "; masters "+orDash(strings.Join(s.Masters, ", ")))
		}
		if s.TTL != nil {
			out = append(out, "$TTL "+strconv.FormatUint(uint64(*s.TTL), 10))
		}
		return out
	case UpdateTTL:
		if s.TTL == nil {
			return nil
		}
		return []string{"$TTL " + strconv.FormatUint(uint64(*s.TTL), 10)}
	case UpdateSOA:
		return soaLines(s.SOA, width)
	case EnableDNSSEC, DisableDNSSEC:
		if s.DNSSEC == nil {
			return nil
		}
		if *s.DNSSEC {
			return []string{"; dnssec signed"}
		}
		return []string{"; dnssec unsigned"}
	case CreateFailover, UpdateFailover, DeleteFailover:
		return failoverLines(model.DisplayName(op.Name), op.Type, s.Failover, width)
	}
	ttl := uint32(0)
	if s.TTL != nil {
		ttl = *s.TTL
	}
	// Names and values as people read them: an xn-- name with its
	// Unicode form beside it, a TXT record's non-ASCII text as text.
	name := model.DisplayName(op.Name)
	out := make([]string, len(s.Values))
	for i, v := range s.Values {
		out[i] = fmt.Sprintf("%-*s %6d IN %-5s %s", width, name, ttl, op.Type, model.DisplayValue(op.Type, v))
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func soaLines(s *model.SOA, width int) []string {
	if s == nil {
		return nil
	}
	field := func(k, v string) string { return fmt.Sprintf("%-*s SOA %-10s %s", width, model.Apex, k, v) }
	num := func(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
	var out []string
	for _, f := range []struct{ k, v string }{
		{"primary_ns", s.PrimaryNS}, {"admin_mail", s.AdminMail},
		{"refresh", num(s.Refresh)}, {"retry", num(s.Retry)},
		{"expire", num(s.Expire)}, {"minimum", num(s.Minimum)},
	} {
		if f.v != "" && f.v != "0" {
			out = append(out, field(f.k, f.v))
		}
	}
	return out
}

func failoverLines(name, rrtype string, f *model.Failover, width int) []string {
	if f == nil {
		return nil
	}
	p := fmt.Sprintf("%-*s %-5s failover ", width, name, rrtype)
	var settings []string
	for _, kv := range f.Settings.Fields() {
		settings = append(settings, kv[0]+"="+kv[1])
	}
	out := []string{
		p + "check " + f.Check,
		p + "settings " + orDash(strings.Join(settings, " ")),
		p + "down " + f.Down,
	}
	if len(f.BackupIPs) > 0 {
		out = append(out, p+"backup_ips "+strings.Join(f.BackupIPs, ", "))
	}
	state := "active"
	if !f.Active {
		state = "paused"
	}
	return append(out, p+"up "+f.Up, p+"monitoring "+state)
}

// countsPhrase says "3 to create, 1 to update, 2 to delete", leaving out zeros.
func countsPhrase(create, update, del int) string {
	var parts []string
	for _, c := range []struct {
		n    int
		verb string
	}{{create, "create"}, {update, "update"}, {del, "delete"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", c.n, c.verb))
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

// SummaryLine is the one-line summary of a plan.
func (p *Plan) SummaryLine() string {
	s := p.Summary
	n := len(p.Errors)
	if n > 0 && len(p.Zones) == 0 {
		return fmt.Sprintf("No plan: %d %s.", n, plural(n, "error"))
	}
	var line string
	if s.ZonesChanged == 0 {
		line = fmt.Sprintf("No changes: %d %s checked, live state matches the specs.", len(p.Zones), plural(len(p.Zones), "zone"))
	} else {
		line = fmt.Sprintf("%d of %d %s to change: %s.", s.ZonesChanged, len(p.Zones), plural(len(p.Zones), "zone"),
			withMarkers(countsPhrase(s.Create, s.Update, s.Delete), s.Adopt, s.Markers))
	}
	if n > 0 {
		line += fmt.Sprintf(" Incomplete: %d %s left zones out of the plan.", n, plural(n, "error"))
	}
	return line
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Plan statuses, as Status names them.
const (
	StatusFailed     = "failed"     // errors, and no zone was planned
	StatusIncomplete = "incomplete" // errors left some zones out
	StatusRefused    = "refused"    // the safety checks refuse it, not forced
	StatusChanges    = "changes"    // it changes something
	StatusNoChanges  = "no-changes" // live state matches the specs
)

// Status is the plan's outcome in a word, for a workflow to act on.
func (p *Plan) Status() string {
	switch {
	case len(p.Errors) > 0 && len(p.Zones) == 0:
		return StatusFailed
	case len(p.Errors) > 0:
		return StatusIncomplete
	case len(p.Refusals) > 0 && !p.Forced:
		return StatusRefused
	case !p.Empty():
		return StatusChanges
	}
	return StatusNoChanges
}
