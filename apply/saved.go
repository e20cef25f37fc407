package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// ErrStale marks a saved plan whose specs or live state changed since it
// was made; errors.Is finds it in the errors PrepareSaved returns.
var ErrStale = errors.New("stale plan")

// staleError is a zone whose plan is stale. Its message says so in its
// own words, without ErrStale's.
type staleError struct{ msg string }

func (e *staleError) Error() string        { return e.msg }
func (e *staleError) Is(target error) bool { return target == ErrStale }

func stale(format string, args ...any) error {
	return &staleError{msg: fmt.Sprintf(format, args...)}
}

// PrepareSaved readies a saved plan for apply. It re-reads the live state of
// every zone in the plan and re-loads the specs, and refuses the plan, naming
// the zone, when either changed since the plan was made, or when the saved
// operations are not the ones the specs and live state give (an edited
// file). What it returns applies exactly the saved operations.
//
// A zone whose live state is already what the plan makes (the same plan
// applied before: a re-run of CI) is not stale: it is returned in
// AlreadyApplied, with nothing to do. Stale is a live state that is
// neither what the plan was made from nor what it makes.
//
// A plan saved with plan --force stays forced only while every refusal
// found now is one it recorded: a new refusal was never reviewed.
func PrepareSaved(ctx context.Context, cfg *config.Config, set *providers.Set, saved *plan.Plan, opt Options) (*Prepared, error) {
	if opt.Shard.Count > 0 && opt.Shard.String() != saved.Shard {
		if saved.Shard == "" {
			return nil, fmt.Errorf("the plan file covers all zones, not shard %s: it was made without --shard; apply it without --shard", opt.Shard)
		}
		return nil, fmt.Errorf("the plan file was made for shard %s, not %s; apply it with --shard %s, or without --shard", saved.Shard, opt.Shard, saved.Shard)
	}
	if saved.Shard != "" {
		shard, err := plan.ParseShard(saved.Shard)
		if err != nil {
			return nil, fmt.Errorf("plan file: %w", err)
		}
		opt.Shard = shard
	}
	// A scoped plan is checked and applied for exactly its zones: the
	// others were neither read nor reviewed.
	fresh, err := Prepare(ctx, cfg, set, Options{Concurrency: opt.Concurrency, Progress: opt.Progress, Zones: opt.Zones, Shard: opt.Shard,
		Retain: opt.Retain, only: scopeZones(saved.Scope)})
	if err != nil {
		return nil, err
	}
	// Zones are matched by target: the zone's name, or zone@provider for
	// a zone served by several providers.
	index := map[string]int{}
	declared := map[string]bool{}
	for i, z := range fresh.Plan.Zones {
		index[z.Key()] = i
		declared[z.Zone] = true
	}
	// Refusals come from checking the zones now, under the current safety
	// config, never from the file: removing them from it must not help.
	out := &Prepared{Plan: &plan.Plan{FormatVersion: plan.FormatVersion, Shard: saved.Shard, Scope: saved.Scope}, Unavailable: fresh.Unavailable}
	var problems []error
	applied := map[int]bool{}
	for _, sz := range saved.Zones {
		if !opt.selects(sz.Zone) || fresh.UnavailableTarget(sz.Zone, sz.Provider) {
			continue
		}
		i, ok := index[sz.Key()]
		switch {
		case !ok && declared[sz.Zone]:
			// The zone is there, served by other providers than planned.
			problems = append(problems, stale("%s: the plan covers it, but the spec of zone %s names other providers since the plan was made; make a new plan", savedTarget(sz), sz.Zone))
			continue
		case !ok:
			problems = append(problems, stale("%s: the plan covers it but no spec declares it any more; make a new plan", savedTarget(sz)))
			continue
		}
		fz := fresh.Plan.Zones[i]
		switch {
		case fz.Provider != sz.Provider:
			problems = append(problems, stale("zone %s: the plan was made for provider %s, the spec now says %s; make a new plan", sz.Zone, sz.Provider, fz.Provider))
		case fz.SpecDigest != sz.SpecDigest:
			problems = append(problems, stale("%s: its spec changed since the plan was made; make a new plan", savedTarget(sz)))
		case fz.LiveDigest != sz.LiveDigest && len(fz.Operations) == 0 && len(sz.Operations) > 0:
			// The spec is the one planned and live state already matches
			// it: the plan's after-state. It landed before.
			out.AlreadyApplied = append(out.AlreadyApplied, sz)
		case fz.LiveDigest != sz.LiveDigest:
			problems = append(problems, stale("live state of zone %s at provider %s changed since the plan was made: make a new plan", sz.Zone, sz.Provider))
		default:
			if seq, ok := sameOperations(sz.Operations, fz.Operations); !ok {
				problems = append(problems, fmt.Errorf("%s: operation %d of the plan file is not what the specs and live state give; was the file edited? Make a new plan", savedTarget(sz), seq))
				continue
			}
			sz.Refusals, sz.Warnings = fz.Refusals, fz.Warnings
			out.Plan.Refusals = append(out.Plan.Refusals, fz.Refusals...)
			out.Plan.Warnings = append(out.Plan.Warnings, fz.Warnings...)
			out.Plan.Zones = append(out.Plan.Zones, sz)
			applied[i] = true
			out.Desired = append(out.Desired, fresh.Desired[i])
			out.Live = append(out.Live, fresh.Live[i])
			out.Providers = append(out.Providers, fresh.Providers[i])
		}
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	for i, fz := range fresh.Plan.Zones {
		if fz.Target != "" && !applied[i] && fresh.Desired[i] != nil {
			out.OtherTargets = append(out.OtherTargets, fresh.Desired[i])
		}
	}
	if saved.Forced {
		recorded := map[string]bool{}
		for _, r := range saved.Refusals {
			recorded[r] = true
		}
		out.Plan.Forced = !slices.ContainsFunc(out.Plan.Refusals, func(r string) bool { return !recorded[r] })
	}
	if len(opt.Zones) > 0 && len(out.Plan.Zones)+len(out.AlreadyApplied) == 0 {
		return nil, fmt.Errorf("the plan file covers no zone that --zone %s selects; make the plan with the same --zone", strings.Join(opt.Zones, ", "))
	}
	out.Plan.Summarize()
	return out, nil
}

// savedTarget names a zone of a saved plan in messages: "zone Z", or
// "target Z@P" for one of several providers of the zone.
func savedTarget(zp *plan.ZonePlan) string {
	if zp.Target != "" {
		return "target " + zp.Target
	}
	return "zone " + zp.Zone
}

// sameOperations compares two operation lists as their JSON forms; on a
// difference it returns the first differing sequence number.
func sameOperations(a, b []*plan.Operation) (int, bool) {
	for i := 0; i < max(len(a), len(b)); i++ {
		if i >= len(a) || i >= len(b) {
			return i + 1, false
		}
		x, _ := json.Marshal(a[i])
		y, _ := json.Marshal(b[i])
		if !bytes.Equal(x, y) {
			return i + 1, false
		}
	}
	return 0, true
}

// scopeZones are the zones of a saved plan's scope, or nil for a plan of
// every zone.
func scopeZones(s *plan.Scope) map[string]bool {
	if s == nil {
		return nil
	}
	only := make(map[string]bool, len(s.Zones))
	for _, z := range s.Zones {
		only[z] = true
	}
	return only
}
