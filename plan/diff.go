package plan

import (
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/zonesync/zonesync/model"
)

// Steps of a zone's plan, in the order they run. See DESIGN.md, "Plan".
const (
	stepZone           = iota // create_zone, switch_mode, masters, TTL, SOA
	stepClaim                 // ownership markers of the sets about to be created or adopted
	stepUnfailConflict        // failover off a record that must go before a create
	stepConflictDelete        // deletes that must precede a create at the same name
	stepUpsert                // creates and updates
	stepFailover              // failover of records that stay
	stepUnfailDelete          // failover off a record about to be deleted
	stepDelete                // the remaining deletes
	stepRelease               // ownership markers of the sets just deleted
)

// Managed returns the part of a live zone that zonesync manages for the
// desired zone: ignored record sets are dropped, and so are the apex NS
// records when the spec declares none or the provider owns them. A slave
// zone's records come from its masters and are never managed. In
// ownership mode it is the record sets the owner's markers claim, the
// ones the spec adopts, and the owner's markers themselves (see
// ownedView).
func Managed(desired, live *model.Zone, caps model.Capabilities) *model.Zone {
	if live == nil {
		return nil
	}
	if owned(desired) {
		return viewOwned(desired, live, caps).have
	}
	out := *live
	out.Ignore = nil
	out.Records = make([]*model.RecordSet, 0, len(live.Records))
	if desired.Mode == model.Slave {
		out.Records = nil
		return &out
	}
	keepApexNS := caps.ApexNS && desired.Find(model.Apex, "NS") != nil
	for _, rs := range live.Records {
		if desired.Ignored(rs.Name, rs.Type) {
			continue
		}
		if rs.Name == model.Apex && rs.Type == "NS" && !keepApexNS {
			continue
		}
		out.Records = append(out.Records, rs)
	}
	// Diff walks both sides in order; a provider need not have sorted them.
	out.SortRecords()
	return &out
}

// Diff computes the operations that turn live into desired, in order. live
// is nil when the zone does not exist at its provider yet; it must already
// be reduced to what zonesync manages (see Managed).
func Diff(desired, live *model.Zone, caps model.Capabilities) *ZonePlan {
	return diff(desired, live, caps, nil)
}

// diff is Diff, where markers names the ownership markers among the
// record sets of desired and live, by their name: their operations carry
// the MarkerOf, and run as the record sets they mark need (see stepClaim
// and stepRelease).
func diff(desired, live *model.Zone, caps model.Capabilities, markers map[string]*MarkerOf) *ZonePlan {
	zp := &ZonePlan{Zone: desired.Name, Provider: desired.Provider, SpecDigest: desired.Digest()}
	if len(desired.Targets) > 1 {
		zp.Target = desired.Target()
	}
	var ops []*Operation
	var steps []int
	add := func(step int, op *Operation) {
		if m := markers[op.Name]; m != nil && op.Type == "TXT" {
			marker := *m
			op.Marker = &marker
			switch op.Action {
			case Create, Update:
				step = stepClaim
			case Delete:
				step = stepRelease
			}
		}
		ops = append(ops, op)
		steps = append(steps, step)
	}
	liveRecords := []*model.RecordSet(nil)
	if live == nil {
		zp.LiveDigest = "none"
		created := &State{Mode: desired.Mode, Masters: desired.Masters}
		if caps.ZoneTTL {
			created.TTL = ttlPtr(desired.TTL)
		}
		add(stepZone, &Operation{Action: CreateZone, After: created})
		if desired.SOA != nil {
			add(stepZone, &Operation{Action: UpdateSOA, After: &State{SOA: desired.SOA.Merge(nil)}})
		}
	} else {
		zp.LiveDigest = liveDigest(desired, live)
		liveRecords = live.Records
		if live.Mode != desired.Mode {
			add(stepZone, &Operation{Action: SwitchMode,
				Before: &State{Mode: live.Mode, Masters: live.Masters},
				After:  &State{Mode: desired.Mode, Masters: desired.Masters}})
		} else if desired.Mode == model.Slave && !slices.Equal(live.Masters, desired.Masters) {
			add(stepZone, &Operation{Action: UpdateMasters,
				Before: &State{Masters: live.Masters}, After: &State{Masters: desired.Masters}})
		}
		// A slave zone's TTL comes from its masters, like the rest of its data.
		if caps.ZoneTTL && desired.Mode == model.Master && live.TTL != desired.TTL {
			add(stepZone, &Operation{Action: UpdateTTL, Before: &State{TTL: ttlPtr(live.TTL)}, After: &State{TTL: ttlPtr(desired.TTL)}})
		}
		if desired.SOA != nil {
			current := soaOrNil(live.SOA)
			if merged := desired.SOA.Merge(current); current == nil || *merged != *current {
				add(stepZone, &Operation{Action: UpdateSOA, Before: &State{SOA: current}, After: &State{SOA: merged}})
			}
		}
	}
	if want := desired.DNSSEC; want != nil {
		signed := live != nil && live.DNSSEC != nil && *live.DNSSEC
		switch {
		case *want && !signed:
			add(stepZone, &Operation{Action: EnableDNSSEC, Before: &State{DNSSEC: boolPtr(false)}, After: &State{DNSSEC: boolPtr(true)}})
		case !*want && signed:
			add(stepZone, &Operation{Action: DisableDNSSEC, Before: &State{DNSSEC: boolPtr(true)}, After: &State{DNSSEC: boolPtr(false)}})
		}
	}
	if desired.Mode == model.Master {
		diffRecords(desired.Records, liveRecords, caps, add)
	}
	order(ops, steps)
	setChanges(ops)
	zp.Operations = ops
	return zp
}

// liveDigest fingerprints the live state the plan depends on: the live
// SOA and signing only when the spec manages them, so that whether a provider read it or
// left it out does not matter, nor does a change to an SOA zonesync leaves
// alone.
func liveDigest(desired, live *model.Zone) string {
	if desired.SOA == nil && live.SOA != nil || desired.DNSSEC == nil && live.DNSSEC != nil {
		unmanaged := *live
		if desired.SOA == nil {
			unmanaged.SOA = nil
		}
		if desired.DNSSEC == nil {
			unmanaged.DNSSEC = nil
		}
		return unmanaged.Digest()
	}
	return live.Digest()
}

func boolPtr(v bool) *bool { return &v }

func soaOrNil(s *model.SOA) *model.SOA {
	if s == nil {
		return nil
	}
	c := *s
	c.Serial = 0
	return &c
}

// diffRecords walks both sorted record lists at once.
func diffRecords(want, have []*model.RecordSet, caps model.Capabilities, add func(int, *Operation)) {
	i, j := 0, 0
	for i < len(want) || j < len(have) {
		var w, h *model.RecordSet
		switch {
		case j == len(have):
			w = want[i]
			i++
		case i == len(want):
			h = have[j]
			j++
		case want[i].Name == have[j].Name && want[i].Type == have[j].Type:
			w, h = want[i], have[j]
			i++
			j++
		case model.CompareKeys(want[i].Name, want[i].Type, have[j].Name, have[j].Type) < 0:
			w = want[i]
			i++
		default:
			h = have[j]
			j++
		}
		switch {
		case h == nil:
			add(stepUpsert, &Operation{Action: Create, Name: w.Name, Type: w.Type, After: recordState(w)})
			if w.Failover != nil {
				add(stepFailover, &Operation{Action: CreateFailover, Name: w.Name, Type: w.Type, After: &State{Failover: w.Failover}})
			}
		case w == nil:
			delStep, unfailStep := stepDelete, stepUnfailDelete
			// Where a CNAME meets other data, the deletes must come first.
			if conflictAt(h.Name, want, have) {
				delStep, unfailStep = stepConflictDelete, stepUnfailConflict
			}
			if h.Failover != nil {
				add(unfailStep, &Operation{Action: DeleteFailover, Name: h.Name, Type: h.Type, Before: &State{Failover: h.Failover}})
			}
			add(delStep, &Operation{Action: Delete, Name: h.Name, Type: h.Type, Before: recordState(h)})
		default:
			if !slices.Equal(w.Values, h.Values) || (!caps.ZoneTTL && w.TTL != h.TTL) {
				add(stepUpsert, &Operation{Action: Update, Name: w.Name, Type: w.Type, Before: recordState(h), After: recordState(w)})
			}
			switch {
			case w.Failover != nil && h.Failover == nil:
				add(stepFailover, &Operation{Action: CreateFailover, Name: w.Name, Type: w.Type, After: &State{Failover: w.Failover}})
			case w.Failover == nil && h.Failover != nil:
				add(stepFailover, &Operation{Action: DeleteFailover, Name: w.Name, Type: w.Type, Before: &State{Failover: h.Failover}})
			case w.Failover != nil && !reflect.DeepEqual(w.Failover, h.Failover):
				add(stepFailover, &Operation{Action: UpdateFailover, Name: w.Name, Type: w.Type, Before: &State{Failover: h.Failover}, After: &State{Failover: w.Failover}})
			}
		}
	}
}

// conflictAt reports whether at name a desired CNAME replaces other live
// data, or desired data replaces a live CNAME: there the old record sets
// must be deleted before the new ones can be created. It looks the name up
// in both sorted lists, where maps of every name would cost a big zone
// tens of megabytes for the few names that are deleted.
func conflictAt(name string, want, have []*model.RecordSet) bool {
	wantCNAME, wantOther := typesAt(want, name)
	haveCNAME, haveOther := typesAt(have, name)
	return haveCNAME && wantOther || haveOther && wantCNAME
}

// typesAt reports whether record sets sorted by name hold a CNAME, and
// other types, at name.
func typesAt(sets []*model.RecordSet, name string) (cname, other bool) {
	i := sort.Search(len(sets), func(i int) bool { return model.CompareNames(sets[i].Name, name) >= 0 })
	for ; i < len(sets) && sets[i].Name == name; i++ {
		if sets[i].Type == "CNAME" {
			cname = true
		} else {
			other = true
		}
	}
	return cname, other
}

// recordState copies a record set's TTL and values into an operation, so
// that a provider updating its live zone during apply cannot change the plan.
func recordState(rs *model.RecordSet) *State {
	return &State{TTL: ttlPtr(rs.TTL), Values: slices.Clone(rs.Values)}
}

// order sorts operations by step, then name, then type, and numbers them.
func order(ops []*Operation, steps []int) {
	idx := make([]int, len(ops))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := idx[a], idx[b]
		if steps[x] != steps[y] {
			return steps[x] < steps[y]
		}
		if c := model.CompareKeys(ops[x].Name, ops[x].Type, ops[y].Name, ops[y].Type); c != 0 {
			return c < 0
		}
		return slices.Index(Actions, ops[x].Action) < slices.Index(Actions, ops[y].Action)
	})
	sorted := make([]*Operation, len(ops))
	for i, k := range idx {
		sorted[i] = ops[k]
		sorted[i].Seq = i + 1
	}
	copy(ops, sorted)
}

// IgnoredConflicts returns why desired cannot be reached without touching
// records the spec ignores: a CNAME must stand alone at its name, so a
// desired CNAME where ignored live data stays, or desired data where an
// ignored live CNAME stays, would leave the zone invalid.
func IgnoredConflicts(desired, live *model.Zone) []string {
	if live == nil || len(desired.Ignore) == 0 {
		return nil
	}
	var out []string
	for _, rs := range live.Records {
		if !desired.Ignored(rs.Name, rs.Type) {
			continue
		}
		for _, want := range desired.Records {
			if want.Name != rs.Name || want.Type == rs.Type || (want.Type != "CNAME" && rs.Type != "CNAME") {
				continue
			}
			out = append(out, fmt.Sprintf("%s: %s %s cannot be created: the ignored live record set %s %s holds the name, and a CNAME can hold no other data",
				desired.Name, want.Name, want.Type, rs.Name, rs.Type))
		}
	}
	return out
}
