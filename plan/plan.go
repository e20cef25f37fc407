// Package plan diffs desired zones against live ones into ordered
// operations, and renders plans as text, markdown and JSON.
package plan

import (
	"fmt"

	"github.com/zonesync/zonesync/model"
)

// FormatVersion is the version of the plan JSON schema.
const FormatVersion = 1

// Action is what one operation does.
type Action string

// Actions, on a zone, a record set or a record set's failover.
const (
	CreateZone     Action = "create_zone"
	SwitchMode     Action = "switch_mode"
	UpdateMasters  Action = "update_masters"
	UpdateSOA      Action = "update_soa"
	UpdateTTL      Action = "update_ttl"
	EnableDNSSEC   Action = "enable_dnssec"
	DisableDNSSEC  Action = "disable_dnssec"
	Create         Action = "create"
	Update         Action = "update"
	Delete         Action = "delete"
	CreateFailover Action = "create_failover"
	UpdateFailover Action = "update_failover"
	DeleteFailover Action = "delete_failover"
)

// Actions lists every action, in the order the JSON schema documents them.
var Actions = []Action{CreateZone, SwitchMode, UpdateMasters, UpdateSOA, UpdateTTL,
	Create, Update, Delete, CreateFailover, UpdateFailover, DeleteFailover, EnableDNSSEC, DisableDNSSEC}

// IsZoneAction reports whether the action is on the zone rather than a record set.
func (a Action) IsZoneAction() bool {
	switch a {
	case CreateZone, SwitchMode, UpdateMasters, UpdateSOA, UpdateTTL, EnableDNSSEC, DisableDNSSEC:
		return true
	}
	return false
}

// IsFailover reports whether the action is on a record set's failover.
func (a Action) IsFailover() bool {
	return a == CreateFailover || a == UpdateFailover || a == DeleteFailover
}

// Kind is how the summary counts the action: create, update or delete.
func (a Action) Kind() string {
	switch a {
	case CreateZone, Create, CreateFailover:
		return "create"
	case Delete, DeleteFailover:
		return "delete"
	}
	return "update"
}

// Plan is every zone's operations, as `plan --format json` writes it.
type Plan struct {
	FormatVersion int         `json:"format_version"`
	Zones         []*ZonePlan `json:"zones"`
	Summary       Summary     `json:"summary"`
	// Refusals are every zone's refusals together; apply refuses such a
	// plan unless forced.
	Refusals []string `json:"refusals,omitempty"`
	// Warnings are every zone's warnings together: things to look at that
	// change nothing and refuse nothing.
	Warnings []string `json:"warnings,omitempty"`
	// Shard is the K/N slice of the estate the plan covers, if it was made
	// with --shard; a saved plan is applied only for the same shard.
	Shard string `json:"shard,omitempty"`
	// Scope, for a plan made with --changed-since, says which zones it
	// covers; nil for a plan of every zone selected.
	Scope *Scope `json:"scope,omitempty"`
	// Forced is true for a plan made with plan --force: its refusals were
	// reviewed and overridden, and apply of the saved plan carries them
	// out, as long as it finds no refusal the plan did not record.
	// Omitted when false, so that unforced plans read as before.
	Forced bool `json:"forced,omitempty"`
	// Errors are what kept the plan from covering every zone: a provider
	// that could not be used, invalid specs. A plan with errors is printed
	// for review but never saved or applied.
	Errors []Problem `json:"errors,omitempty"`
}

// Problem is one error of a plan or an apply, as the JSON documents and
// GitHub annotations carry it: a spec error has its file and position.
type Problem struct {
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
}

// String is the problem as zonesync prints it: file:line:col: message.
func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Message
	case p.Line == 0:
		return p.File + ": " + p.Message
	case p.Column == 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
}

// ZonePlan is one zone's operations, in the order they must run.
type ZonePlan struct {
	Zone     string `json:"zone"`
	Provider string `json:"provider"`
	// Target is zone@provider for a zone its spec serves from several
	// providers (spec key providers): each such target has a plan of its
	// own. Omitted for a zone with one provider, whose plan reads as before.
	Target string `json:"target,omitempty"`
	// LiveDigest fingerprints the live state the plan was made from.
	LiveDigest string `json:"live_digest"`
	// SpecDigest fingerprints the desired zone the plan was made from.
	SpecDigest string       `json:"spec_digest,omitempty"`
	Operations []*Operation `json:"operations"`
	// Refusals are the safety checks this zone's plan fails. A saved plan's
	// refusals are shown, never trusted: apply checks the zone afresh.
	Refusals []string `json:"refusals,omitempty"`
	// Warnings point at parts of the spec that are likely mistakes, such
	// as an ignore rule that matches nothing, and at what the provider
	// found worth a look (model.Zone.Warnings). Like refusals, a saved
	// plan's warnings are shown, and apply finds them afresh.
	Warnings []string `json:"warnings,omitempty"`
	// LeftAlone are, for a zone in ownership mode, the live record sets
	// zonesync does not own and leaves alone, by owner: they are never
	// changed, never deleted and never drift.
	LeftAlone []LeftAlone `json:"left_alone,omitempty"`
	// DS are the DS records the zone's parent should hold, for a zone
	// the spec has signed (dnssec: true) and the provider signs: what to
	// hand to the registrar. A zone signed by this plan has none yet;
	// apply's report gives them.
	DS []string `json:"ds,omitempty"`
}

// Key is what tells a zone's plan from the others in a plan: the target
// for a zone served by several providers, the zone's name otherwise.
func (z *ZonePlan) Key() string {
	if z.Target != "" {
		return z.Target
	}
	return z.Zone
}

// Operation is one change to a zone, a record set or its failover.
type Operation struct {
	Seq    int    `json:"seq"`
	Action Action `json:"action"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
	Before *State `json:"before,omitempty"`
	After  *State `json:"after,omitempty"`
	// Marker is set on an operation that writes an ownership marker (a
	// zone in ownership mode): it names the record set the marker marks,
	// and says whether the marker adopts it.
	Marker *MarkerOf `json:"marker,omitempty"`
	// change is the value-level change of a record-set operation, set
	// once by Diff and Decode; see Change. Not in the JSON: it follows
	// from Before and After.
	change *Change
}

// State is what an operation's subject looks like before or after it.
// Only the fields the action concerns are set.
type State struct {
	TTL      *uint32         `json:"ttl,omitempty"`
	Values   []string        `json:"values,omitempty"`
	SOA      *model.SOA      `json:"soa,omitempty"`
	Mode     model.Mode      `json:"mode,omitempty"`
	Masters  []string        `json:"masters,omitempty"`
	Failover *model.Failover `json:"failover,omitempty"`
	// DNSSEC is whether the zone is signed, for enable_dnssec and
	// disable_dnssec.
	DNSSEC *bool `json:"dnssec,omitempty"`
}

// Summary counts a plan's operations by kind. Create, Update and Delete
// count the operations on record sets and zones; the ownership markers
// written with them are counted apart.
type Summary struct {
	Create       int `json:"create"`
	Update       int `json:"update"`
	Delete       int `json:"delete"`
	ZonesChanged int `json:"zones_changed"`
	// Adopt counts the markers that take over a live record set.
	Adopt int `json:"adopt,omitempty"`
	// Markers counts the other marker writes: markers created with
	// their record sets and deleted after them.
	Markers int `json:"markers,omitempty"`
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return p.Summary.ZonesChanged == 0 }

// Summarize recounts the summary from the zones' operations.
func (p *Plan) Summarize() {
	p.Summary = Summary{}
	for _, z := range p.Zones {
		c, u, d := z.Counts()
		p.Summary.Create += c
		p.Summary.Update += u
		p.Summary.Delete += d
		mark, adopt, unmark := z.MarkerCounts()
		p.Summary.Adopt += adopt
		p.Summary.Markers += mark + unmark
		if len(z.Operations) > 0 {
			p.Summary.ZonesChanged++
		}
	}
}

// Counts tallies one zone's operations by kind, but for the operations on
// ownership markers (see MarkerCounts).
func (z *ZonePlan) Counts() (create, update, del int) {
	for _, op := range z.Operations {
		if op.Marker != nil {
			continue
		}
		switch op.Action.Kind() {
		case "create":
			create++
		case "delete":
			del++
		default:
			update++
		}
	}
	return
}

// RecordSet returns the record set an operation leaves behind (after) or
// removes (before), in the model's form.
func (s *State) RecordSet(name, rrtype string) *model.RecordSet {
	if s == nil {
		return nil
	}
	rs := &model.RecordSet{Name: name, Type: rrtype, Values: s.Values, Failover: s.Failover}
	if s.TTL != nil {
		rs.TTL = *s.TTL
	}
	return rs
}

func ttlPtr(v uint32) *uint32 { return &v }
