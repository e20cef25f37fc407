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

// Apply carries out operations in order, one API call per record touched.
// Each record-set operation carries its change (op.Change()): Apply makes
// that change at the granularity of ClouDNS's API, a record at a time,
// looking record ids up in the provider's index and keeping the index
// current after every call, so that a failure leaves it describing what
// ClouDNS holds. live is only read.
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
	zone := live.Name
	switch op.Action {
	case plan.CreateZone:
		return p.createZone(ctx, zone, op)
	case plan.UpdateMasters:
		return p.updateMasters(ctx, zone, op)
	case plan.UpdateSOA:
		return p.updateSOA(ctx, live, op)
	case plan.Create:
		return p.createSet(ctx, zone, op)
	case plan.Update:
		s, err := p.setOf(zone, op)
		if err != nil {
			return err
		}
		return p.updateSet(ctx, s, op.Change(), ttlOf(op))
	case plan.Delete:
		return p.deleteSet(ctx, zone, op)
	case plan.CreateFailover, plan.UpdateFailover:
		s, err := p.setOf(zone, op)
		if err != nil {
			return err
		}
		if op.After == nil || op.After.Failover == nil {
			return opError(zone, op, fmt.Errorf("the operation has no failover to set"))
		}
		return p.ensureFailover(ctx, s, op.After.Failover)
	case plan.DeleteFailover:
		s, err := p.setOf(zone, op)
		if err != nil {
			return err
		}
		return p.removeFailover(ctx, s)
	}
	return opError(zone, op, errNoZoneTTL)
}

// setOf finds the record set an update, delete or failover operation is
// about in the index, and checks it still holds what the plan saw.
func (p *Provider) setOf(zone string, op *plan.Operation) (setRef, error) {
	s := setRef{zone: zone, name: op.Name, rrtype: op.Type}
	r, ok := p.idx.set(s)
	have := r.values()
	if !ok {
		return s, opError(zone, op, fmt.Errorf("the record set is not in the live zone; run plan again"))
	}
	if op.Before != nil && op.Before.Values != nil && !slices.Equal(op.Before.Values, have) {
		return s, opError(zone, op, fmt.Errorf("the record set changed since the plan was made (live %q, plan %q); run plan again", have, op.Before.Values))
	}
	return s, nil
}

// ttlOf is the TTL an operation's records get: the plan's, else the one
// they have.
func ttlOf(op *plan.Operation) uint32 {
	for _, s := range []*plan.State{op.After, op.Before} {
		if s != nil && s.TTL != nil {
			return *s.TTL
		}
	}
	return 0
}

// createZone registers the zone in its mode: a slave with its first master
// (master-ip), then add-master-server for each other one. A new master
// zone comes with ClouDNS's default NS records; their ids go into the
// index, so that a create of the apex NS set takes them over instead of
// adding beside them.
func (p *Provider) createZone(ctx context.Context, zone string, op *plan.Operation) error {
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
	fresh := newZoneRecords()
	fresh.created = true
	p.idx.replace(zone, fresh)
	if mode == model.Slave {
		for _, ip := range masters[1:] {
			if err := p.addMaster(ctx, zone, ip); err != nil {
				return err
			}
		}
		return nil
	}
	recs, err := p.c.records(ctx, zone, "", "")
	if err != nil {
		return err
	}
	_, defaults, err := p.recordSets(ctx, zone, recs)
	if err != nil {
		return err
	}
	defaults.created = true
	p.idx.replace(zone, defaults)
	return nil
}

// addMaster adds one master server to a slave zone.
func (p *Provider) addMaster(ctx context.Context, zone, ip string) error {
	exists := func(ctx context.Context) (bool, error) {
		byID, err := p.c.masterServers(ctx, zone)
		if err != nil {
			return false, err
		}
		_, ok := masterID(byID, ip)
		return ok, nil
	}
	return p.c.addMasterServer(ctx, zone, ip, exists)
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

// updateMasters adds the new masters first and removes the old ones after,
// so that the zone always has one to transfer from. The current ids come
// from master-servers, which is also the state a retry checks against.
func (p *Provider) updateMasters(ctx context.Context, zone string, op *plan.Operation) error {
	if op.After == nil {
		return opError(zone, op, fmt.Errorf("the operation has no masters"))
	}
	want := op.After.Masters
	if len(want) == 0 {
		return opError(zone, op, fmt.Errorf("a slave zone needs at least one master"))
	}
	byID, err := p.c.masterServers(ctx, zone)
	if err != nil {
		return err
	}
	current, err := canonicalMasters(byID)
	if err != nil {
		return opError(zone, op, err)
	}
	for _, ip := range want {
		if _, ok := masterID(byID, ip); !ok {
			if err := p.addMaster(ctx, zone, ip); err != nil {
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
			now, err := p.c.masterServers(ctx, zone)
			if err != nil {
				return false, err
			}
			_, still := now[id]
			return !still, nil
		}
		if err := p.c.deleteMasterServer(ctx, zone, ip, id, gone); err != nil {
			return err
		}
	}
	return nil
}

// updateSOA sends the whole SOA, as modify-soa requires: the plan's fields
// over the live ones (read first when the zone was just created, or read
// without its SOA).
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
	params := map[string]any{
		"primary-ns": wireName(want.PrimaryNS), "admin-mail": want.AdminMail,
		"refresh": want.Refresh, "retry": want.Retry, "expire": want.Expire, "default-ttl": want.Minimum,
	}
	return p.c.modifySOA(ctx, live.Name, params)
}

// createSet adds one record per value. A set that already exists is only
// taken over in a zone this provider just registered (ClouDNS's default
// apex NS records): the plan's engine computes the change from the
// default records to the set. Anywhere else it means the plan is stale.
func (p *Provider) createSet(ctx context.Context, zone string, op *plan.Operation) error {
	if op.After == nil {
		return opError(zone, op, fmt.Errorf("the operation has no values"))
	}
	s, ttl := setRef{zone: zone, name: op.Name, rrtype: op.Type}, ttlOf(op)
	if r, ok := p.idx.set(s); ok {
		if !p.idx.created(zone) {
			return opError(zone, op, fmt.Errorf("the record set already exists at ClouDNS; run plan again"))
		}
		return p.updateSet(ctx, s, plan.NewChange(&plan.State{TTL: &r.ttl, Values: r.values()}, op.After), ttl)
	}
	for _, v := range op.Change().Added {
		id, err := p.addRecord(ctx, s, v, ttl)
		if err != nil {
			return err
		}
		p.idx.put(s, v, id, ttl)
	}
	return nil
}

// updateSet makes a set's change with the fewest calls: each of its pairs
// rewrites a removed value's record in place (mod-record) with an added
// value, kept records are rewritten only for a new TTL (Retimed), and only
// the rest are added or deleted, deletes last. Records repeating a value
// go first.
func (p *Provider) updateSet(ctx context.Context, s setRef, c *plan.Change, ttl uint32) error {
	if err := p.deleteDuplicates(ctx, s); err != nil {
		return err
	}
	for _, pair := range c.Pairs {
		id, err := p.recordID(s, pair.Old)
		if err != nil {
			return err
		}
		if err := p.modRecord(ctx, s, id, pair.New, ttl); err != nil {
			return err
		}
		p.idx.move(s, pair.Old, pair.New)
	}
	for _, v := range c.Retimed {
		id, err := p.recordID(s, v)
		if err != nil {
			return err
		}
		if err := p.modRecord(ctx, s, id, v, ttl); err != nil {
			return err
		}
	}
	// The set's failover covers every record: a new one gets it too.
	r, _ := p.idx.set(s)
	f := r.failover
	for _, v := range c.Creates {
		id, err := p.addRecord(ctx, s, v, ttl)
		if err != nil {
			return err
		}
		p.idx.put(s, v, id, ttl)
		if f != nil && f.Check != inconsistentCheck {
			if err := p.failoverOn(ctx, s, v, id, f, false); err != nil {
				return err
			}
		}
	}
	for _, v := range c.Deletes {
		if err := p.deleteValue(ctx, s, v); err != nil {
			return err
		}
	}
	p.idx.retime(s, ttl)
	return nil
}

// deleteDuplicates deletes the records that repeat a value of their set.
func (p *Provider) deleteDuplicates(ctx context.Context, s setRef) error {
	r, _ := p.idx.set(s)
	for _, id := range r.duplicates {
		if err := p.deleteRecord(ctx, s, id); err != nil {
			return err
		}
		p.idx.dropDuplicate(s, id)
	}
	return nil
}

// deleteSet deletes every record of the set.
func (p *Provider) deleteSet(ctx context.Context, zone string, op *plan.Operation) error {
	s, err := p.setOf(zone, op)
	if err != nil {
		return err
	}
	if err := p.deleteDuplicates(ctx, s); err != nil {
		return err
	}
	for _, v := range op.Change().Removed {
		if err := p.deleteValue(ctx, s, v); err != nil {
			return err
		}
	}
	return nil
}

// deleteValue deletes the record holding value.
func (p *Provider) deleteValue(ctx context.Context, s setRef, value string) error {
	id, err := p.recordID(s, value)
	if err != nil {
		return err
	}
	if err := p.deleteRecord(ctx, s, id); err != nil {
		return err
	}
	p.idx.remove(s, value)
	return nil
}

// recordID is the id of the record holding value, from the index.
func (p *Provider) recordID(s setRef, value string) (string, error) {
	id := p.idx.id(s, value)
	if id == "" {
		return "", fmt.Errorf("cloudns: %s %s in %s: no ClouDNS record id for value %s; run plan again", s.name, s.rrtype, s.zone, value)
	}
	return id, nil
}

// addRecord adds one value. Before retrying a try that may have reached
// ClouDNS, it looks for a record of the set holding the value that is not
// one the index knows, and takes that as the added record.
func (p *Provider) addRecord(ctx context.Context, s setRef, value string, ttl uint32) (string, error) {
	t := s.target()
	params, err := recordParams(s.zone, s.name, s.rrtype, ttl, value)
	if err != nil {
		return "", &callError{t: target{call: "add-record", subject: t.subject, zone: s.zone}, err: err}
	}
	landed := func(ctx context.Context) (string, error) {
		recs, err := p.c.records(ctx, s.zone, wireHost(s.name), s.rrtype)
		if err != nil {
			return "", err
		}
		r, _ := p.idx.set(s)
		known := r.known()
		for _, r := range recs {
			if v, err := modelValue(r); err == nil && v == value && !known[string(r.ID)] {
				return string(r.ID), nil
			}
		}
		return "", nil
	}
	return p.c.addRecord(ctx, t, params, landed)
}

func (p *Provider) modRecord(ctx context.Context, s setRef, id, value string, ttl uint32) error {
	t := s.target()
	params, err := recordParams(s.zone, s.name, s.rrtype, ttl, value)
	if err != nil {
		return &callError{t: target{call: "mod-record", subject: t.subject, zone: s.zone}, err: err}
	}
	params["record-id"] = id
	return p.c.modRecord(ctx, t, params)
}

// deleteRecord deletes one record; before a retry it checks the record is still there.
func (p *Provider) deleteRecord(ctx context.Context, s setRef, id string) error {
	gone := func(ctx context.Context) (bool, error) {
		recs, err := p.c.records(ctx, s.zone, wireHost(s.name), s.rrtype)
		if err != nil {
			return false, err
		}
		return !slices.ContainsFunc(recs, func(r wireRecord) bool { return string(r.ID) == id }), nil
	}
	if err := p.c.deleteRecord(ctx, s.target(), id, gone); err != nil {
		return err
	}
	p.idx.setMonitored(s.zone, id, nil)
	return nil
}
