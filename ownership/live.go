package ownership

import (
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// Kind is the kind of marker that claims a record set.
type Kind string

// Kinds of claims.
const (
	// Unmarked: no marker claims the set.
	Unmarked Kind = "unmarked"
	// Zonesync: a zonesync marker, of this or another owner.
	Zonesync Kind = "zonesync"
	// ExternalDNS: a TXT record of Kubernetes external-dns's registry,
	// "heritage=external-dns,external-dns/owner=...".
	ExternalDNS Kind = "external-dns"
	// OctoDNS: an octoDNS ownership record, _owner.<type>.<name>.
	OctoDNS Kind = "octodns"
)

// Claim is who a live record set belongs to, as the zone's markers say.
type Claim struct {
	Kind Kind
	// Owner is the owner id the marker names, "" when it names none;
	// the owners of several zonesync markers at once, joined with ", ".
	Owner string
	// Version is a zonesync marker's format.
	Version int
	// Several is true when the set's zonesync marker holds more than
	// one value: no single owner has it.
	Several bool
}

// Owns reports whether the claim is owner's, and owner's alone, in a
// marker format this zonesync reads.
func (c Claim) Owns(owner string) bool {
	return c.Kind == Zonesync && !c.Several && c.Version <= Version && c.Owner == owner
}

// String names the claim's owner for people: "no marker", "owner
// git:dns-repo", "external-dns (owner default)", "octoDNS".
func (c Claim) String() string {
	switch c.Kind {
	case Zonesync:
		switch {
		case c.Several:
			return "several zonesync owners (" + orNone(c.Owner) + ")"
		case c.Version > Version:
			return fmt.Sprintf("owner %s, in marker format zonesync%d, newer than this zonesync reads", orNone(c.Owner), c.Version)
		}
		return "owner " + c.Owner
	case ExternalDNS:
		if c.Owner == "" {
			return "external-dns"
		}
		return "external-dns (owner " + c.Owner + ")"
	case OctoDNS:
		return "octoDNS"
	}
	return "no marker"
}

func orNone(s string) string {
	if s == "" {
		return "no owner named"
	}
	return s
}

// key is a record set's identity in its zone.
type key struct{ name, rrtype string }

// Live is a live zone's record sets with the claims of its markers:
// zonesync's own, and those of external-dns and octoDNS.
type Live struct {
	zone  string
	sets  map[key]*model.RecordSet
	claim map[key]Claim
	// markers are the zonesync markers by their relative name.
	markers map[string]Claim
	// tools are the claims of other tools' markers, by the set they mark.
	tools map[key]Claim
	// toolMarkers are other tools' marker records themselves.
	toolMarkers map[key]Claim
}

// Read sorts the record sets of a live zone by their markers.
func Read(zone string, records []*model.RecordSet) *Live {
	l := &Live{zone: zone, sets: make(map[key]*model.RecordSet, len(records)),
		markers: map[string]Claim{}, tools: map[key]Claim{}, toolMarkers: map[key]Claim{}}
	for _, rs := range records {
		l.sets[key{rs.Name, rs.Type}] = rs
	}
	for _, rs := range records {
		if rs.Type != "TXT" {
			continue
		}
		if Reserved(rs.Name) {
			if _, _, _, ok := markedBy(rs.Name); ok {
				l.markers[rs.Name] = markerClaim(rs.Values)
			}
			continue
		}
		l.readToolMarker(rs)
	}
	return l
}

// markerClaim is the claim of a zonesync marker record set's values.
func markerClaim(values []string) Claim {
	var owners []string
	c := Claim{Kind: Zonesync}
	for _, v := range values {
		m, ok := ParseValue(v)
		if !ok {
			continue
		}
		owners = append(owners, m.Owner)
		c.Version = max(c.Version, m.Version)
	}
	switch {
	case len(owners) == 0:
		return Claim{Kind: Unmarked}
	case len(values) > 1:
		slices.Sort(owners)
		c.Several, c.Owner = true, strings.Join(slices.Compact(owners), ", ")
	default:
		c.Owner = owners[0]
	}
	return c
}

// readToolMarker records what a TXT record set says if it is a marker of
// external-dns or octoDNS.
func (l *Live) readToolMarker(rs *model.RecordSet) {
	labels := strings.Split(rs.Name, ".")
	if labels[0] == "_owner" && len(labels) >= 2 {
		if rrtype, ok := typeOfLabel(labels[1]); ok {
			c := Claim{Kind: OctoDNS}
			l.toolMarkers[key{rs.Name, rs.Type}] = c
			l.addTool(joinName(labels[2:]), rrtype, c)
			return
		}
	}
	owner, ok := externalDNSOwner(rs.Values)
	if !ok {
		return
	}
	c := Claim{Kind: ExternalDNS, Owner: owner}
	l.toolMarkers[key{rs.Name, rs.Type}] = c
	// The old format: the TXT record beside the records it marks.
	for k := range l.sets {
		if k.name == rs.Name && k.rrtype != "TXT" {
			l.addTool(k.name, k.rrtype, c)
		}
	}
	// The new format: <type>-<first label>.<rest>.
	if t, first, ok := strings.Cut(labels[0], "-"); ok && first != "" {
		if rrtype, ok := typeOfLabel(t); ok {
			l.addTool(joinName(append([]string{first}, labels[1:]...)), rrtype, c)
		}
	}
	// The metadata format: <type>._metadata.<name>, *.<type>._metadata.<name>.
	for i, wild := range []bool{false, true} {
		if len(labels) < 2+i || labels[1+i] != "_metadata" || wild && labels[0] != "*" {
			continue
		}
		if rrtype, ok := typeOfLabel(labels[i]); ok {
			name := joinName(labels[2+i:])
			if wild {
				name = "*." + strings.Join(labels[2+i:], ".")
				if len(labels) == 3 {
					name = "*"
				}
			}
			l.addTool(name, rrtype, c)
		}
	}
}

func (l *Live) addTool(name, rrtype string, c Claim) {
	if _, dup := l.tools[key{name, rrtype}]; !dup {
		l.tools[key{name, rrtype}] = c
	}
}

// externalDNSOwner finds external-dns's registry text among TXT values
// and returns the owner it names.
func externalDNSOwner(values []string) (string, bool) {
	for _, v := range values {
		text, err := model.TXTText(v)
		if err != nil || !strings.Contains(text, "heritage=external-dns") {
			continue
		}
		for _, f := range strings.Split(text, ",") {
			if owner, ok := strings.CutPrefix(strings.TrimSpace(f), "external-dns/owner="); ok {
				return owner, true
			}
		}
		return "", true
	}
	return "", false
}

// typeOfLabel reads a lower-case label as a record type.
func typeOfLabel(label string) (string, bool) {
	t := strings.ToUpper(label)
	if _, ok := dns.StringToType[t]; ok && t != "" {
		return t, true
	}
	return "", false
}

// joinName joins labels into a relative name, the apex for none.
func joinName(labels []string) string {
	if len(labels) == 0 {
		return model.Apex
	}
	return strings.Join(labels, ".")
}

// Set returns the live record set (name, rrtype), or nil.
func (l *Live) Set(name, rrtype string) *model.RecordSet { return l.sets[key{name, rrtype}] }

// MarkerOf returns the live zonesync marker of the record set (name,
// rrtype), with its claim: nil when there is none, or no marker name fits.
func (l *Live) MarkerOf(name, rrtype string) (*model.RecordSet, Claim) {
	mname, err := Name(l.zone, name, rrtype)
	if err != nil {
		return nil, Claim{Kind: Unmarked}
	}
	c, ok := l.markers[mname]
	if !ok {
		return l.sets[key{mname, "TXT"}], Claim{Kind: Unmarked}
	}
	return l.sets[key{mname, "TXT"}], c
}

// ClaimOf returns who owns the record set (name, rrtype): its zonesync
// marker's owner, else the tool whose marker names it, else no one.
func (l *Live) ClaimOf(name, rrtype string) Claim {
	if _, c := l.MarkerOf(name, rrtype); c.Kind != Unmarked {
		return c
	}
	if c, ok := l.tools[key{name, rrtype}]; ok {
		return c
	}
	return Claim{Kind: Unmarked}
}

// ToolClaim returns the claim of another tool's marker on the record set
// (name, rrtype), if one claims it.
func (l *Live) ToolClaim(name, rrtype string) (Claim, bool) {
	c, ok := l.tools[key{name, rrtype}]
	return c, ok
}

// MarkerRole says what a live record set is as a marker: a zonesync
// marker (of the set it names, with its claim), another tool's marker, or
// no marker (ok false). For a zonesync marker under a hashed name, name is
// empty.
func (l *Live) MarkerRole(rs *model.RecordSet) (name, rrtype string, c Claim, ok bool) {
	if c, found := l.toolMarkers[key{rs.Name, rs.Type}]; found {
		return "", "", c, true
	}
	if rs.Type != "TXT" {
		return "", "", Claim{}, false
	}
	c, found := l.markers[rs.Name]
	if !found {
		return "", "", Claim{}, false
	}
	name, rrtype, _, _ = markedBy(rs.Name)
	return name, rrtype, c, true
}

// Importable returns the record sets of a live zone that a spec of
// owner declares when it is imported: the owner's, and those no marker
// claims at all; never a marker, nor a set another owner or tool claims.
// unmarked counts the sets no marker claims, which the spec must adopt.
func Importable(zone string, records []*model.RecordSet, owner string) (sets []*model.RecordSet, unmarked int) {
	l := Read(zone, records)
	for _, rs := range records {
		if _, _, _, isMarker := l.MarkerRole(rs); isMarker || Reserved(rs.Name) {
			continue
		}
		switch c := l.ClaimOf(rs.Name, rs.Type); {
		case c.Owns(owner):
			sets = append(sets, rs)
		case c.Kind == Unmarked:
			if m, _ := l.MarkerOf(rs.Name, rs.Type); m != nil {
				continue // its marker name holds something else
			}
			sets = append(sets, rs)
			unmarked++
		}
	}
	return sets, unmarked
}
