package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/ownership"
)

// MarkerOf is, on an operation that writes an ownership marker, the record
// set the marker marks.
type MarkerOf struct {
	// Name and Type are the marked record set; Name is empty for the
	// marker, under a hashed name, of a set that is gone.
	Name string `json:"name"`
	Type string `json:"type"`
	// Adopt is true for a marker that takes over a live record set which
	// was not the owner's: unmarked, or another owner's.
	Adopt bool `json:"adopt,omitempty"`
}

// LeftAlone is one owner's live record sets in a zone in ownership mode,
// which zonesync leaves alone.
type LeftAlone struct {
	// Owner says whose they are: "no marker", "owner git:platform",
	// "external-dns (owner k8s)", "octoDNS", "ignore rules".
	Owner string `json:"owner"`
	// Sets are the record sets, the owner's markers included, in zone order.
	Sets []SetKey `json:"sets"`
}

// SetKey names a record set.
type SetKey struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// leftIgnored is the LeftAlone owner of the record sets ignore rules cover.
const leftIgnored = "ignore rules"

// owned reports whether the desired zone is planned in ownership mode: a
// master zone with an owner.
func owned(desired *model.Zone) bool {
	return desired.Owner() != "" && desired.Mode == model.Master
}

// ownedView is what the plan of a zone in ownership mode compares: the
// owner's part of the live zone and the spec's, each with its markers.
type ownedView struct {
	// want is the desired zone with a marker for each record set it
	// declares, but for the sets refused; have is the live record sets the
	// owner's markers claim, the ones adopted, and the owner's markers.
	want, have *model.Zone
	// markers are the markers of want and have, by name.
	markers map[string]*MarkerOf
	// watched are the live record sets that are not the owner's at the
	// names the spec declares and at their markers' names: the plan is
	// stale when they change (a set appearing where the plan creates one).
	watched []*model.RecordSet
	// sets counts the live record sets have holds, markers not counted.
	sets                int
	refusals, warnings  []string
	leftAlone           []LeftAlone
	liveMissing, noMine bool
}

// liveSet is one live record set not the owner's, with its claim.
type liveSet struct {
	rs    *model.RecordSet
	claim string
}

// viewOwned sorts a zone in ownership mode into what its plan compares.
// A desired set whose live set (or marker name) is someone else's is
// refused, unless the spec adopts it; so is one that would sit beside a
// CNAME that is not the owner's, or a CNAME beside such data.
func viewOwned(desired, live *model.Zone, caps model.Capabilities) *ownedView {
	owner := desired.Owner()
	v := &ownedView{markers: map[string]*MarkerOf{}}
	want := *desired
	want.Records = make([]*model.RecordSet, 0, 2*len(desired.Records))
	var lv *ownership.Live
	foreign := map[string]liveSet{} // by key: live sets not the owner's
	var foreignOrder []string
	if live == nil {
		v.liveMissing = true
	} else {
		lv = ownership.Read(live.Name, live.Records)
		have := *live
		have.Ignore = nil
		have.Records = make([]*model.RecordSet, 0, len(live.Records))
		keepApexNS := caps.ApexNS && desired.Find(model.Apex, "NS") != nil
		for _, rs := range live.Records {
			if rs.Name == model.Apex && rs.Type == "NS" && !keepApexNS {
				continue
			}
			claim := ""
			if name, rrtype, c, isMarker := lv.MarkerRole(rs); isMarker {
				switch {
				case c.Owns(owner) && name != "" && desired.Ignored(name, rrtype):
					// The marker of a set the spec ignores stays, as the set does.
					continue
				case c.Owns(owner):
					have.Records = append(have.Records, rs)
					v.markers[rs.Name] = &MarkerOf{Name: name, Type: rrtype}
					continue
				}
				claim = c.String()
			} else {
				switch {
				case ownership.Reserved(rs.Name):
					claim = ownership.Claim{Kind: ownership.Unmarked}.String()
				case desired.Ignored(rs.Name, rs.Type):
					claim = leftIgnored
				default:
					c := lv.ClaimOf(rs.Name, rs.Type)
					if c.Owns(owner) {
						have.Records = append(have.Records, rs)
						v.sets++
						if m, err := ownership.Name(live.Name, rs.Name, rs.Type); err == nil {
							v.markers[m] = &MarkerOf{Name: rs.Name, Type: rs.Type}
						}
						if t, ok := lv.ToolClaim(rs.Name, rs.Type); ok {
							v.warnings = append(v.warnings, bothClaim(desired.Target(), rs, owner, t))
						}
						continue
					}
					claim = c.String()
				}
			}
			k := rs.Key()
			foreign[k] = liveSet{rs, claim}
			foreignOrder = append(foreignOrder, k)
		}
		v.have = &have
		v.noMine = len(v.markers) == 0
	}

	var unmarked []*model.RecordSet
	adopted := map[string]bool{}
	unmarkedAdoptable := 0
	for _, d := range desired.Records {
		mname, err := ownership.Name(desired.Name, d.Name, d.Type)
		if err != nil {
			v.refusals = append(v.refusals, err.Error())
			continue
		}
		adopt := false
		var liveMarker *model.RecordSet
		if lv != nil {
			var mc ownership.Claim
			liveMarker, mc = lv.MarkerOf(d.Name, d.Type)
			set, isForeign := foreign[d.Key()]
			_, markerForeign := foreign[mname+" TXT"]
			if isForeign || markerForeign {
				c := lv.ClaimOf(d.Name, d.Type)
				bare := c.Kind == ownership.Unmarked && liveMarker == nil
				if bare && isForeign {
					unmarkedAdoptable++
				}
				switch {
				case d.Adopt || desired.Ownership.AdoptUnmarked && bare:
					adopt = true
				case bare:
					unmarked = append(unmarked, d)
					continue
				default:
					v.refusals = append(v.refusals, collision(desired.Target(), d, c, isForeign, mc, mname))
					continue
				}
				if isForeign {
					v.have.Records = append(v.have.Records, set.rs)
					v.sets++
					adopted[d.Key()] = true
					if t, ok := lv.ToolClaim(d.Name, d.Type); ok {
						v.warnings = append(v.warnings, bothClaim(desired.Target(), d, owner, t))
					}
				}
				if markerForeign {
					v.have.Records = append(v.have.Records, liveMarker)
					adopted[mname+" TXT"] = true
				}
			}
		}
		marker := &model.RecordSet{Name: mname, Type: "TXT", TTL: desired.TTL, Values: []string{ownership.Value(owner)}}
		if liveMarker != nil && !adopt {
			// A marker keeps the TTL it has: only its text matters.
			marker.TTL = liveMarker.TTL
		}
		want.Records = append(want.Records, d, marker)
		v.markers[mname] = &MarkerOf{Name: d.Name, Type: d.Type, Adopt: adopt}
	}
	if len(unmarked) > 0 {
		v.refusals = append(v.refusals, unmarkedRefusal(desired, unmarked, v.noMine))
	}
	if desired.Ownership.AdoptUnmarked && lv != nil && unmarkedAdoptable == 0 {
		v.warnings = append(v.warnings, fmt.Sprintf("%s: ownership.adopt: unmarked adopts nothing: every declared record set is marked or new; remove it, "+
			"so that a record set someone else adds later under a declared name is refused rather than taken over", desired.Target()))
	}
	for k := range adopted {
		delete(foreign, k)
	}
	v.refuseCNAMEConflicts(desired, &want, foreign, foreignOrder)
	want.SortRecords()
	v.want = &want
	if v.have != nil {
		v.have.SortRecords()
		v.watch(desired, live, foreign)
	}
	v.leftAlone = groupLeftAlone(foreign, foreignOrder)
	return v
}

// refuseCNAMEConflicts refuses the desired sets that cannot stand beside
// the live data left alone at their name: a CNAME beside other data, or
// other data beside a CNAME. Their markers go with them.
func (v *ownedView) refuseCNAMEConflicts(desired, want *model.Zone, foreign map[string]liveSet, order []string) {
	if len(foreign) == 0 {
		return
	}
	atName := map[string][]*model.RecordSet{}
	for _, k := range order {
		if f, ok := foreign[k]; ok {
			atName[f.rs.Name] = append(atName[f.rs.Name], f.rs)
		}
	}
	drop := map[string]bool{}
	for _, d := range desired.Records {
		for _, f := range atName[d.Name] {
			if f.Type == d.Type || d.Type != "CNAME" && f.Type != "CNAME" {
				continue
			}
			v.refusals = append(v.refusals, fmt.Sprintf("%s: %s %s cannot be created: the live record set %s %s, which zonesync leaves alone (%s), holds the name, and a CNAME can hold no other data",
				desired.Target(), model.DisplayName(d.Name), d.Type, model.DisplayName(f.Name), f.Type, foreign[f.Key()].claim))
			drop[d.Key()] = true
			if m, err := ownership.Name(desired.Name, d.Name, d.Type); err == nil {
				drop[m+" TXT"] = true
			}
			break
		}
	}
	if len(drop) > 0 {
		want.Records = slices.DeleteFunc(want.Records, func(rs *model.RecordSet) bool { return drop[rs.Key()] })
	}
}

// watch collects the live record sets the live digest covers beyond have.
func (v *ownedView) watch(desired, live *model.Zone, foreign map[string]liveSet) {
	names := make(map[string]bool, 2*len(desired.Records))
	for _, d := range desired.Records {
		names[d.Name] = true
		if m, err := ownership.Name(desired.Name, d.Name, d.Type); err == nil {
			names[m] = true
		}
	}
	for _, rs := range live.Records {
		if _, ok := foreign[rs.Key()]; ok && names[rs.Name] {
			v.watched = append(v.watched, rs)
		}
	}
}

// digestZone is the live zone the plan's live digest fingerprints: the
// owner's part and the watched sets.
func (v *ownedView) digestZone() *model.Zone {
	z := *v.have
	z.Records = append(slices.Clone(v.have.Records), v.watched...)
	z.SortRecords()
	return &z
}

// collision is the refusal of a declared record set that is someone
// else's: its live set, or the name of its marker.
func collision(zone string, d *model.RecordSet, c ownership.Claim, setLive bool, markerClaim ownership.Claim, markerName string) string {
	what := fmt.Sprintf("%s: %s %s is declared, but the live record set %s", zone, model.DisplayName(d.Name), d.Type, claimPhrase(c))
	if !setLive {
		held := "the marker of " + markerClaim.String()
		if markerClaim.Kind == ownership.Unmarked {
			held = "text that is no zonesync marker"
		}
		what = fmt.Sprintf("%s: %s %s is declared, but the name of its marker, %s TXT, holds %s", zone, model.DisplayName(d.Name), d.Type, markerName, held)
	}
	return what + "; zonesync leaves it alone: take it over with adopt: true on the record set, or remove it from the spec"
}

// claimPhrase says whose a record set is, after "the live record set".
func claimPhrase(c ownership.Claim) string {
	if c.Kind == ownership.Unmarked {
		return "has a marker name holding text that is no zonesync marker"
	}
	return "is marked by " + c.String()
}

// unmarkedRefusal is the refusal of the declared record sets that are
// live without any marker, with the way into ownership mode when the zone
// holds no marker of the owner yet.
func unmarkedRefusal(desired *model.Zone, sets []*model.RecordSet, noMine bool) string {
	names := make([]string, 0, 3)
	for _, d := range sets[:min(len(sets), 3)] {
		names = append(names, model.DisplayName(d.Name)+" "+d.Type)
	}
	list := strings.Join(names, ", ")
	if len(sets) > 3 {
		list += fmt.Sprintf(" and %d more", len(sets)-3)
	}
	owner := desired.Owner()
	var msg, them string
	if len(sets) == 1 {
		msg = fmt.Sprintf("%s: %s is declared and live without any marker, so it is not owner %s's; zonesync leaves it alone", desired.Target(), list, owner)
		them = "it"
	} else {
		msg = fmt.Sprintf("%s: %d declared record sets are live without any marker (%s), so they are not owner %s's; zonesync leaves them alone", desired.Target(), len(sets), list, owner)
		them = "them"
	}
	if noMine {
		return msg + fmt.Sprintf(": the zone holds no marker of %s yet. If zonesync managed this zone before, mark what the spec declares with ownership: {owner: %s, adopt: unmarked} for one apply; else adopt each with adopt: true, or remove %s from the spec", owner, owner, them)
	}
	return msg + ": take " + them + " over with adopt: true on the record set, or remove " + them + " from the spec"
}

// bothClaim warns of a record set the owner has that another tool's
// marker claims too.
func bothClaim(zone string, rs *model.RecordSet, owner string, tool ownership.Claim) string {
	return fmt.Sprintf("%s: %s %s is owner %s's, and %s marks it too and may change it back; remove %s's marker for it, or the record set from the spec",
		zone, model.DisplayName(rs.Name), rs.Type, owner, tool, strings.SplitN(tool.String(), " ", 2)[0])
}

// groupLeftAlone lists the record sets left alone by owner.
func groupLeftAlone(foreign map[string]liveSet, order []string) []LeftAlone {
	byOwner := map[string]*LeftAlone{}
	var out []*LeftAlone
	for _, k := range order {
		f, ok := foreign[k]
		if !ok {
			continue
		}
		g := byOwner[f.claim]
		if g == nil {
			g = &LeftAlone{Owner: f.claim}
			byOwner[f.claim] = g
			out = append(out, g)
		}
		g.Sets = append(g.Sets, SetKey{f.rs.Name, f.rs.Type})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Owner < out[j].Owner })
	res := make([]LeftAlone, len(out))
	for i, g := range out {
		slices.SortFunc(g.Sets, func(a, b SetKey) int { return model.CompareKeys(a.Name, a.Type, b.Name, b.Type) })
		res[i] = *g
	}
	return res
}

// planOwned diffs a zone in ownership mode.
func (v *ownedView) plan(desired *model.Zone, caps model.Capabilities) *ZonePlan {
	zp := diff(v.want, v.have, caps, v.markers)
	zp.SpecDigest = desired.Digest()
	if v.have != nil {
		zp.LiveDigest = liveDigest(desired, v.digestZone())
	}
	zp.Refusals = v.refusals
	zp.Warnings = v.warnings
	zp.LeftAlone = v.leftAlone
	return zp
}

// MarkerCounts tallies a zone's operations on ownership markers: markers
// created (or rewritten) with their record sets, markers that adopt a
// live record set, and markers deleted after theirs.
func (z *ZonePlan) MarkerCounts() (mark, adopt, unmark int) {
	for _, op := range z.Operations {
		switch {
		case op.Marker == nil:
		case op.Action == Delete:
			unmark++
		case op.Marker.Adopt:
			adopt++
		default:
			mark++
		}
	}
	return
}
