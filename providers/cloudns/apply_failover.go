package cloudns

import (
	"context"
	"slices"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/httpx"
)

// ClouDNS keeps failover per record; a set's failover is the same settings
// on every record of the set, each watching its own value (main_ip).

// ensureFailover gives every record of the set failover f: activate where
// it is off, modify (a full replace) where it is on.
func (p *Provider) ensureFailover(ctx context.Context, s setRef, f *model.Failover) error {
	r, _ := p.idx.set(s)
	for _, v := range r.values() {
		id, err := p.recordID(s, v)
		if err != nil {
			return err
		}
		_, on := p.idx.monitored(s.zone, id)
		if err := p.failoverOn(ctx, s, v, id, f, on); err != nil {
			return err
		}
	}
	p.idx.setFailover(s, f)
	return nil
}

// failoverOn activates (or, when it is on already, modifies) f on one record.
func (p *Provider) failoverOn(ctx context.Context, s setRef, value, id string, f *model.Failover, on bool) error {
	t := s.target()
	params, err := failoverParams(s.zone, id, value, f)
	if err != nil {
		call := "failover-activate"
		if on {
			call = "failover-modify"
		}
		return &callError{t: target{call: call, subject: t.subject, zone: s.zone}, err: err}
	}
	kept := map[string]any{}
	if on {
		// modify replaces the settings as a whole: send back those
		// zonesync does not model, as they were read.
		unmodeled, _ := p.idx.monitored(s.zone, id)
		for k, v := range unmodeled {
			kept[k] = v
			if _, set := params[k]; !set {
				params[k] = v
			}
		}
		if err := p.c.failover(ctx, t, "failover-modify", params, nil); err != nil {
			return err
		}
	} else if err := p.c.failover(ctx, t, "failover-activate", params, p.failoverFlag(s, id, true)); err != nil {
		return err
	}
	p.idx.setMonitored(s.zone, id, kept)
	return nil
}

// removeFailover deactivates failover on every record of the set that has it.
func (p *Provider) removeFailover(ctx context.Context, s setRef) error {
	r, _ := p.idx.set(s)
	for _, v := range r.values() {
		id, err := p.recordID(s, v)
		if err != nil {
			return err
		}
		if _, on := p.idx.monitored(s.zone, id); !on {
			continue
		}
		params := map[string]any{"domain-name": s.zone, "record-id": id}
		if err := p.c.failover(ctx, s.target(), "failover-deactivate", params, p.failoverFlag(s, id, false)); err != nil {
			return err
		}
		p.idx.setMonitored(s.zone, id, nil)
	}
	p.idx.setFailover(s, nil)
	return nil
}

// failoverFlag checks, before retrying an activate or deactivate that may
// have landed, whether the record's failover flag already says want.
func (p *Provider) failoverFlag(s setRef, id string, want bool) httpx.Landed {
	return func(ctx context.Context) (bool, error) {
		recs, err := p.c.records(ctx, s.zone, wireHost(s.name), s.rrtype)
		if err != nil {
			return false, err
		}
		i := slices.IndexFunc(recs, func(r wireRecord) bool { return string(r.ID) == id })
		return i >= 0 && (recs[i].Failover != 0) == want, nil
	}
}
