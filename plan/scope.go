package plan

import (
	"fmt"
	"slices"
)

// Scope is what a plan made with plan --changed-since covers: the zones
// the change touched, out of all the specs select. A saved plan with a
// scope is applied to exactly its zones, and nothing else is read.
//
// It is optional in the plan file (format_version 1): a plan without it
// covers every zone its specs and --zone or --shard select.
type Scope struct {
	// ChangedSince is the commit the working tree was compared with, in full.
	ChangedSince string `json:"changed_since"`
	// Zones are the zones in scope, sorted: those whose spec, templates
	// or provider entry changed. Each is in the plan's zones.
	Zones []string `json:"zones"`
	// LeftOut counts the zones the specs declare (among those --zone and
	// --shard select) that the change did not touch: not read, not planned.
	LeftOut int `json:"left_out"`
	// Deleted are the specs the change deleted: zonesync does not delete
	// zones, so those zones stay at their providers as they are.
	Deleted []DeletedSpec `json:"deleted,omitempty"`
	// Dropped are the aliases a spec the change modified or deleted
	// declared at the commit and no spec declares now: like the zones of
	// deleted specs, they stay at their providers as they are.
	Dropped []DroppedZone `json:"dropped,omitempty"`
}

// DroppedZone is a zone no spec declares any more since the change a
// scoped plan covers took it out of a spec: an alias removed from the
// spec's aliases, or one of a deleted spec.
type DroppedZone struct {
	// File is the spec's path.
	File string `json:"file"`
	// Zone is the zone it no longer declares.
	Zone string `json:"zone"`
}

// DeletedSpec is a zone spec deleted by the change a scoped plan covers.
type DeletedSpec struct {
	// File is the spec's path.
	File string `json:"file"`
	// Zone is the zone it declared; empty when that could not be told.
	Zone string `json:"zone,omitempty"`
}

// checkScope makes sure a saved plan's scope and zones agree: apply takes
// the scope's word for which zones to read.
func (p *Plan) checkScope() error {
	if p.Scope == nil {
		return nil
	}
	if p.Scope.ChangedSince == "" {
		return fmt.Errorf("plan file: the scope names no commit (changed_since)")
	}
	if p.Scope.LeftOut < 0 {
		return fmt.Errorf("plan file: the scope leaves out %d zones", p.Scope.LeftOut)
	}
	planned := make([]string, len(p.Zones))
	for i, z := range p.Zones {
		planned[i] = z.Zone
	}
	// The targets of a zone served by several providers are one zone in
	// scope.
	slices.Sort(planned)
	planned = slices.Compact(planned)
	scoped := slices.Clone(p.Scope.Zones)
	slices.Sort(scoped)
	scoped = slices.Compact(scoped)
	if !slices.Equal(planned, scoped) {
		return fmt.Errorf("plan file: the scope's zones are not the zones planned; make a new plan")
	}
	return nil
}

// Note is the line that says what a scoped plan covers, or "".
func (s *Scope) Note() string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("Scoped to the change since %s: %d %s planned, %d %s left out (unchanged, not read).",
		shortCommit(s.ChangedSince), len(s.Zones), plural(len(s.Zones), "zone"), s.LeftOut, plural(s.LeftOut, "zone"))
}

// DeletedNote says what becomes of the zone of a deleted spec.
func (d DeletedSpec) DeletedNote() string {
	what := "spec " + d.File + " was deleted"
	if d.Zone != "" {
		return what + ": zonesync does not delete zones, so zone " + d.Zone + " stays at its provider as it is; delete it there if you mean to"
	}
	return what + ": zonesync does not delete zones, so its zone stays at its provider as it is; delete it there if you mean to"
}

// DroppedNote says what becomes of a zone a spec no longer declares.
func (d DroppedZone) DroppedNote() string {
	return "zone " + d.Zone + " is no longer declared by spec " + d.File + ": zonesync does not delete zones, so it stays at its provider as it is; delete it there if you mean to"
}

// shortCommit is a commit's first 12 hex digits.
func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
