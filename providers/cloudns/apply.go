package cloudns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// Apply carries out operations in order, one API call per record touched,
// and keeps live (values, record ids, SOA, masters) current after every
// call, so that a failure leaves it describing what ClouDNS holds.
func (p *Provider) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	errs := make([]error, len(ops))
	// A create or a mode switch makes a listed type out of date.
	p.types.forget(live.Name)
	for i, op := range ops {
		if err := ctx.Err(); err != nil {
			errs[i] = opError(live.Name, op, fmt.Errorf("not started: %w", err))
			continue
		}
		if err := p.CheckOperation(live, op); err != nil {
			errs[i] = err
			continue
		}
		errs[i] = p.apply(ctx, live, op)
	}
	return errs
}

// CheckOperation refuses what ClouDNS cannot do to the zone live holds:
// plan calls it while the plan is reviewed, Apply before every call.
func (p *Provider) CheckOperation(live *model.Zone, op *plan.Operation) error {
	switch op.Action {
	case plan.SwitchMode:
		from, to := model.Master, model.Slave
		if op.Before != nil && op.Before.Mode != "" {
			from = op.Before.Mode
		}
		if op.After != nil && op.After.Mode != "" {
			to = op.After.Mode
		}
		return opError(live.Name, op, fmt.Errorf("cannot change the zone from %s to %s: the ClouDNS API has no call that changes an existing zone's type, "+
			"and zonesync will not delete and re-create the zone (its records would be lost and it would not be served meanwhile); "+
			"change the type in the ClouDNS control panel, or delete the zone there and apply again", from, to))
	case plan.UpdateTTL:
		return opError(live.Name, op, errNoZoneTTL)
	}
	if err := providers.CapabilityProblem(p.Capabilities(), live.Name, op); err != nil {
		return fmt.Errorf("cloudns: %w", err)
	}
	return nil
}

// errNoZoneTTL is ClouDNS's answer to update_ttl.
var errNoZoneTTL = errors.New("ClouDNS has no such operation (records carry their own TTL)")

// opError is a failure found by the provider itself rather than the API.
func opError(zone string, op *plan.Operation, err error) error {
	what := string(op.Action)
	if op.Name != "" {
		what += " " + op.Name + " " + op.Type
	}
	return fmt.Errorf("cloudns: %s in %s: %w", what, zone, err)
}

func (p *Provider) apply(ctx context.Context, live *model.Zone, op *plan.Operation) error {
	switch op.Action {
	case plan.CreateZone:
		return p.createZone(ctx, live, op)
	case plan.UpdateMasters:
		return p.updateMasters(ctx, live, op)
	case plan.UpdateSOA:
		return p.updateSOA(ctx, live, op)
	case plan.Create:
		return p.createSet(ctx, live, op)
	case plan.Update:
		rs, err := liveSet(live, op)
		if err != nil {
			return err
		}
		return p.updateSet(ctx, live.Name, rs, op.After.Values, ttlOf(op.After, rs.TTL))
	case plan.Delete:
		return p.deleteSet(ctx, live, op)
	case plan.CreateFailover, plan.UpdateFailover:
		rs, err := liveSet(live, op)
		if err != nil {
			return err
		}
		if op.After == nil || op.After.Failover == nil {
			return opError(live.Name, op, fmt.Errorf("the operation has no failover to set"))
		}
		return p.ensureFailover(ctx, live.Name, rs, op.After.Failover)
	case plan.DeleteFailover:
		rs, err := liveSet(live, op)
		if err != nil {
			return err
		}
		return p.removeFailover(ctx, live.Name, rs)
	}
	return opError(live.Name, op, errNoZoneTTL)
}

// liveSet finds the record set an update, delete or failover operation is
// about, and checks it still holds what the plan saw.
func liveSet(live *model.Zone, op *plan.Operation) (*model.RecordSet, error) {
	rs := live.Find(op.Name, op.Type)
	if rs == nil {
		return nil, opError(live.Name, op, fmt.Errorf("the record set is not in the live zone; run plan again"))
	}
	if op.Before != nil && op.Before.Values != nil && !slices.Equal(op.Before.Values, rs.Values) {
		return nil, opError(live.Name, op, fmt.Errorf("the record set changed since the plan was made (live %q, plan %q); run plan again", rs.Values, op.Before.Values))
	}
	return rs, nil
}

func ttlOf(s *plan.State, fallback uint32) uint32 {
	if s == nil || s.TTL == nil {
		return fallback
	}
	return *s.TTL
}

// createZone registers the zone in its mode: a slave with its first master
// (master-ip), then add-master-server for each other one. A new master
// zone comes with ClouDNS's default NS records; they are read into live so
// that a create of the apex NS set takes them over instead of adding beside them.
func (p *Provider) createZone(ctx context.Context, live *model.Zone, op *plan.Operation) error {
	zone := live.Name
	mode, masters := model.Master, []string(nil)
	if op.After != nil {
		if op.After.Mode != "" {
			mode = op.After.Mode
		}
		masters = op.After.Masters
	}
	params := map[string]any{"zone-type": string(mode)}
	switch mode {
	case model.Slave:
		if len(masters) == 0 {
			return opError(zone, op, fmt.Errorf("a slave zone needs at least one master"))
		}
		params["master-ip"] = masters[0]
	case model.Master:
	default:
		return opError(zone, op, fmt.Errorf("unknown zone mode %q", mode))
	}
	// The register landed when the zone exists with the type asked for; a
	// zone someone else registered as the other type is not this call's.
	exists := func(ctx context.Context) (bool, error) {
		info, err := p.c.zoneInfo(ctx, zone)
		if isAPIError(err, "Missing domain-name") {
			return false, nil
		}
		return err == nil && string(info.Type) == string(mode), err
	}
	if err := p.c.register(ctx, zone, params, exists); err != nil {
		return err
	}
	p.mu.Lock()
	p.created[zone] = true
	p.monitored[zone] = map[string]map[string]any{}
	p.mu.Unlock()
	live.Mode = mode
	if mode == model.Slave {
		live.Masters = []string{masters[0]}
		for _, ip := range masters[1:] {
			if err := p.addMaster(ctx, live, ip); err != nil {
				return err
			}
		}
		return nil
	}
	recs, err := p.c.records(ctx, zone, "", "")
	if err != nil {
		return err
	}
	sets, _, err := p.recordSets(ctx, zone, recs)
	if err != nil {
		return err
	}
	live.Records = sets
	live.SortRecords()
	return nil
}

// addMaster adds one master server to a slave zone.
func (p *Provider) addMaster(ctx context.Context, live *model.Zone, ip string) error {
	exists := func(ctx context.Context) (bool, error) {
		byID, err := p.c.masterServers(ctx, live.Name)
		if err != nil {
			return false, err
		}
		_, ok := masterID(byID, ip)
		return ok, nil
	}
	if err := p.c.addMasterServer(ctx, live.Name, ip, exists); err != nil {
		return err
	}
	live.Masters = insertSorted(live.Masters, ip)
	return nil
}

// masterID finds the id of a master IP, comparing canonical forms.
func masterID(byID map[string]string, ip string) (string, bool) {
	for id, m := range byID {
		if a, err := netip.ParseAddr(strings.TrimSpace(m)); err == nil && a.String() == ip {
			return id, true
		}
	}
	return "", false
}

func insertSorted(list []string, v string) []string {
	if i, found := slices.BinarySearch(list, v); !found {
		list = slices.Insert(list, i, v)
	}
	return list
}

// updateMasters adds the new masters first and removes the old ones after,
// so that the zone always has one to transfer from. The current ids come
// from master-servers, which is also the state a retry checks against.
func (p *Provider) updateMasters(ctx context.Context, live *model.Zone, op *plan.Operation) error {
	if op.After == nil {
		return opError(live.Name, op, fmt.Errorf("the operation has no masters"))
	}
	want := op.After.Masters
	if len(want) == 0 {
		return opError(live.Name, op, fmt.Errorf("a slave zone needs at least one master"))
	}
	byID, err := p.c.masterServers(ctx, live.Name)
	if err != nil {
		return err
	}
	current, err := canonicalMasters(byID)
	if err != nil {
		return opError(live.Name, op, err)
	}
	live.Masters = current
	for _, ip := range want {
		if _, ok := masterID(byID, ip); !ok {
			if err := p.addMaster(ctx, live, ip); err != nil {
				return err
			}
		}
	}
	for _, ip := range current {
		if slices.Contains(want, ip) {
			continue
		}
		id, _ := masterID(byID, ip)
		gone := func(ctx context.Context) (bool, error) {
			now, err := p.c.masterServers(ctx, live.Name)
			if err != nil {
				return false, err
			}
			_, still := now[id]
			return !still, nil
		}
		if err := p.c.deleteMasterServer(ctx, live.Name, ip, id, gone); err != nil {
			return err
		}
		live.Masters = slices.DeleteFunc(live.Masters, func(m string) bool { return m == ip })
	}
	return nil
}

// updateSOA sends the whole SOA, as modify-soa requires: the plan's fields
// over the live ones (read first when the zone was just created).
func (p *Provider) updateSOA(ctx context.Context, live *model.Zone, op *plan.Operation) error {
	if op.After == nil || op.After.SOA == nil {
		return opError(live.Name, op, fmt.Errorf("the operation has no SOA"))
	}
	base := live.SOA
	if base == nil {
		s, err := p.c.soaDetails(ctx, live.Name)
		if err != nil {
			return err
		}
		base = modelSOA(s)
	}
	want := op.After.SOA.Merge(base)
	want.Serial = base.Serial
	params := map[string]any{
		"primary-ns": wireName(want.PrimaryNS), "admin-mail": want.AdminMail,
		"refresh": want.Refresh, "retry": want.Retry, "expire": want.Expire, "default-ttl": want.Minimum,
	}
	if err := p.c.modifySOA(ctx, live.Name, params); err != nil {
		return err
	}
	live.SOA = want
	return nil
}

// createSet adds one record per value. A set that already exists is only
// taken over in a zone this provider just registered (ClouDNS's default
// apex NS records); anywhere else it means the plan is stale.
func (p *Provider) createSet(ctx context.Context, live *model.Zone, op *plan.Operation) error {
	if op.After == nil {
		return opError(live.Name, op, fmt.Errorf("the operation has no values"))
	}
	ttl := ttlOf(op.After, 0)
	if rs := live.Find(op.Name, op.Type); rs != nil {
		p.mu.Lock()
		fresh := p.created[live.Name]
		p.mu.Unlock()
		if !fresh {
			return opError(live.Name, op, fmt.Errorf("the record set already exists at ClouDNS; run plan again"))
		}
		return p.updateSet(ctx, live.Name, rs, op.After.Values, ttl)
	}
	rs := &model.RecordSet{Name: op.Name, Type: op.Type, TTL: ttl, IDs: map[string]string{}}
	for _, v := range op.After.Values {
		id, err := p.addRecord(ctx, live.Name, rs, v, ttl)
		if err != nil {
			return err
		}
		if len(rs.Values) == 0 {
			live.Records = append(live.Records, rs)
			live.SortRecords()
		}
		rs.IDs[v] = id
		rs.SetValues(append(rs.Values, v))
	}
	return nil
}

// updateSet turns a record set into want with the fewest calls: each
// removed value's record is rewritten in place (mod-record) with an added
// value, kept records are rewritten only when the TTL changes, and only
// the surplus is added or deleted, deletes last.
func (p *Provider) updateSet(ctx context.Context, zone string, rs *model.RecordSet, want []string, ttl uint32) error {
	if err := p.deleteDuplicates(ctx, zone, rs); err != nil {
		return err
	}
	var removed, added, kept []string
	for _, v := range rs.Values {
		if slices.Contains(want, v) {
			kept = append(kept, v)
		} else {
			removed = append(removed, v)
		}
	}
	for _, v := range want {
		if !slices.Contains(rs.Values, v) {
			added = append(added, v)
		}
	}
	n := min(len(removed), len(added))
	for i := range n {
		id, err := recordID(zone, rs, removed[i])
		if err != nil {
			return err
		}
		if err := p.modRecord(ctx, zone, rs, id, added[i], ttl); err != nil {
			return err
		}
		delete(rs.IDs, removed[i])
		rs.IDs[added[i]] = id
		rs.SetValues(append(slices.DeleteFunc(rs.Values, func(v string) bool { return v == removed[i] }), added[i]))
	}
	if ttl != rs.TTL {
		for _, v := range kept {
			id, err := recordID(zone, rs, v)
			if err != nil {
				return err
			}
			if err := p.modRecord(ctx, zone, rs, id, v, ttl); err != nil {
				return err
			}
		}
	}
	for _, v := range added[n:] {
		id, err := p.addRecord(ctx, zone, rs, v, ttl)
		if err != nil {
			return err
		}
		rs.IDs[v] = id
		rs.SetValues(append(rs.Values, v))
		// The set's failover covers every record: a new one gets it too.
		if f := rs.Failover; f != nil && f.Check != inconsistentCheck {
			if err := p.failoverOn(ctx, zone, rs, v, id, f, false); err != nil {
				return err
			}
		}
	}
	for _, v := range removed[n:] {
		id, err := recordID(zone, rs, v)
		if err != nil {
			return err
		}
		if err := p.deleteRecord(ctx, zone, rs, id); err != nil {
			return err
		}
		delete(rs.IDs, v)
		rs.Values = slices.DeleteFunc(rs.Values, func(x string) bool { return x == v })
	}
	rs.TTL = ttl
	return nil
}

// deleteDuplicates deletes the records that repeat a value of their set.
func (p *Provider) deleteDuplicates(ctx context.Context, zone string, rs *model.RecordSet) error {
	for _, id := range duplicateIDs(rs) {
		if err := p.deleteRecord(ctx, zone, rs, id); err != nil {
			return err
		}
		delete(rs.IDs, duplicateKey(id))
	}
	return nil
}

// deleteSet deletes every record of the set.
func (p *Provider) deleteSet(ctx context.Context, live *model.Zone, op *plan.Operation) error {
	rs, err := liveSet(live, op)
	if err != nil {
		return err
	}
	if err := p.deleteDuplicates(ctx, live.Name, rs); err != nil {
		return err
	}
	for _, v := range slices.Clone(rs.Values) {
		id, err := recordID(live.Name, rs, v)
		if err != nil {
			return err
		}
		if err := p.deleteRecord(ctx, live.Name, rs, id); err != nil {
			return err
		}
		delete(rs.IDs, v)
		rs.Values = slices.DeleteFunc(rs.Values, func(x string) bool { return x == v })
	}
	live.Records = slices.DeleteFunc(live.Records, func(x *model.RecordSet) bool { return x == rs })
	return nil
}

func recordID(zone string, rs *model.RecordSet, value string) (string, error) {
	id := rs.IDs[value]
	if id == "" {
		return "", fmt.Errorf("cloudns: %s %s in %s: no ClouDNS record id for value %s; run plan again", rs.Name, rs.Type, zone, value)
	}
	return id, nil
}

func setTarget(zone string, rs *model.RecordSet) target {
	return target{subject: rs.Name + " " + rs.Type, zone: zone}
}

// addRecord adds one value. Before retrying a try that may have reached
// ClouDNS, it looks for a record of the set holding the value that is not
// one it knows, and takes that as the added record.
func (p *Provider) addRecord(ctx context.Context, zone string, rs *model.RecordSet, value string, ttl uint32) (string, error) {
	t := setTarget(zone, rs)
	params, err := recordParams(zone, rs.Name, rs.Type, ttl, value)
	if err != nil {
		return "", &callError{t: target{call: "add-record", subject: t.subject, zone: zone}, err: err}
	}
	landed := func(ctx context.Context) (string, error) {
		recs, err := p.c.records(ctx, zone, wireHost(rs.Name), rs.Type)
		if err != nil {
			return "", err
		}
		known := map[string]bool{}
		for _, id := range rs.IDs {
			known[id] = true
		}
		for _, r := range recs {
			if v, err := modelValue(r); err == nil && v == value && !known[string(r.ID)] {
				return string(r.ID), nil
			}
		}
		return "", nil
	}
	return p.c.addRecord(ctx, t, params, landed)
}

func (p *Provider) modRecord(ctx context.Context, zone string, rs *model.RecordSet, id, value string, ttl uint32) error {
	t := setTarget(zone, rs)
	params, err := recordParams(zone, rs.Name, rs.Type, ttl, value)
	if err != nil {
		return &callError{t: target{call: "mod-record", subject: t.subject, zone: zone}, err: err}
	}
	params["record-id"] = id
	return p.c.modRecord(ctx, t, params)
}

// deleteRecord deletes one record; before a retry it checks the record is still there.
func (p *Provider) deleteRecord(ctx context.Context, zone string, rs *model.RecordSet, id string) error {
	gone := func(ctx context.Context) (bool, error) {
		recs, err := p.c.records(ctx, zone, wireHost(rs.Name), rs.Type)
		if err != nil {
			return false, err
		}
		return !slices.ContainsFunc(recs, func(r wireRecord) bool { return string(r.ID) == id }), nil
	}
	if err := p.c.deleteRecord(ctx, setTarget(zone, rs), id, gone); err != nil {
		return err
	}
	p.setMonitored(zone, id, nil)
	return nil
}
