package cloudns

import (
	"context"

	"github.com/zonesync/zonesync/model"
)

// ClouDNS keeps failover per record; a set's failover is the same settings
// on every record of the set, each watching its own value (main_ip).

// ensureFailover gives every record of the set failover f: activate where
// it is off, modify (a full replace) where it is on.
func (p *Provider) ensureFailover(ctx context.Context, zone string, rs *model.RecordSet, f *model.Failover) error {
	on, err := p.monitoredSet(ctx, zone, rs)
	if err != nil {
		return err
	}
	for _, v := range rs.Values {
		id, err := recordID(zone, rs, v)
		if err != nil {
			return err
		}
		if err := p.failoverOn(ctx, zone, rs, v, id, f, on[id]); err != nil {
			return err
		}
	}
	rs.Failover = f
	return nil
}

// failoverOn activates (or, when it is on already, modifies) f on one record.
func (p *Provider) failoverOn(ctx context.Context, zone string, rs *model.RecordSet, value, id string, f *model.Failover, on bool) error {
	t := setTarget(zone, rs)
	params, err := failoverParams(zone, id, value, f)
	if err != nil {
		call := "failover-activate"
		if on {
			call = "failover-modify"
		}
		return &callError{t: target{call: call, subject: t.subject, zone: zone}, err: err}
	}
	kept := p.unmodeledOf(zone, id)
	if on {
		for k, v := range kept {
			if _, set := params[k]; !set {
				params[k] = v
			}
		}
		if err := p.c.failover(ctx, t, "failover-modify", params, nil); err != nil {
			return err
		}
	} else if err := p.c.failover(ctx, t, "failover-activate", params, p.failoverFlag(zone, rs, id, true)); err != nil {
		return err
	}
	if !on {
		kept = map[string]any{}
	}
	p.setMonitored(zone, id, kept)
	return nil
}

// removeFailover deactivates failover on every record of the set that has it.
func (p *Provider) removeFailover(ctx context.Context, zone string, rs *model.RecordSet) error {
	on, err := p.monitoredSet(ctx, zone, rs)
	if err != nil {
		return err
	}
	for _, v := range rs.Values {
		id, err := recordID(zone, rs, v)
		if err != nil {
			return err
		}
		if !on[id] {
			continue
		}
		params := map[string]any{"domain-name": zone, "record-id": id}
		if err := p.c.failover(ctx, setTarget(zone, rs), "failover-deactivate", params, p.failoverFlag(zone, rs, id, false)); err != nil {
			return err
		}
		p.setMonitored(zone, id, nil)
	}
	rs.Failover = nil
	return nil
}

// failoverFlag checks, before retrying an activate or deactivate that may
// have landed, whether the record's failover flag already says want.
func (p *Provider) failoverFlag(zone string, rs *model.RecordSet, id string, want bool) landedFunc {
	return func(ctx context.Context) (bool, error) {
		recs, err := p.c.records(ctx, zone, wireHost(rs.Name), rs.Type)
		if err != nil {
			return false, err
		}
		for _, r := range recs {
			if string(r.ID) == id {
				return (r.Failover != 0) == want, nil
			}
		}
		return false, nil
	}
}

// monitoredSet returns which records of the set have failover on, from
// the last read, or from records.json when this provider has not read the zone.
func (p *Provider) monitoredSet(ctx context.Context, zone string, rs *model.RecordSet) (map[string]bool, error) {
	p.mu.Lock()
	known, ok := p.monitored[zone]
	out := map[string]bool{}
	for _, id := range rs.IDs {
		_, out[id] = known[id]
	}
	p.mu.Unlock()
	if ok {
		return out, nil
	}
	recs, err := p.c.records(ctx, zone, wireHost(rs.Name), rs.Type)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if _, mine := out[string(r.ID)]; mine {
			out[string(r.ID)] = r.Failover != 0
		}
	}
	return out, nil
}

// setMonitored records that a record has failover on (with the settings
// zonesync does not model) or off (nil), in a zone whose records this
// provider has read in full; of other zones it knows nothing.
func (p *Provider) setMonitored(zone, id string, unmodeled map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.monitored[zone] == nil {
		return
	}
	if unmodeled != nil {
		p.monitored[zone][id] = unmodeled
	} else {
		delete(p.monitored[zone], id)
	}
}

// unmodeledOf returns the settings zonesync does not model of a record's failover.
func (p *Provider) unmodeledOf(zone, id string) map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.monitored[zone][id]
}
