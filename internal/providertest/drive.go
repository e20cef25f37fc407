package providertest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// status is how one operation of a driven plan ended.
type status string

const (
	ok      status = "ok"
	failed  status = "failed"
	unknown status = "unknown" // sent, outcome not confirmed (providers.ErrOutcomeUnknown)
	skipped status = "skipped" // an operation it depends on did not succeed
)

// result is one operation's outcome.
type result struct {
	status status
	err    error
}

// run carries out a zone's plan with the provider under test the way apply
// does, without apply: operations in order; where the capabilities say
// Batch, a run of operations none of which depends on another in one
// call (for a Transaction provider, operations that depend on each other
// at record level too); an operation whose dependency did not succeed is
// skipped. Every
// call gets the same live zone (a zone with only its name when it does not
// exist yet), and the suite fails when Apply changed it: the live zone is
// read-only to a provider.
func (s *suite) run(t *testing.T, live *model.Zone, zp *plan.ZonePlan) []result {
	t.Helper()
	if live == nil {
		live = &model.Zone{Name: zp.Zone, Provider: zp.Provider, Mode: model.Master}
	}
	ops := zp.Operations
	deps := plan.Dependencies(ops)
	out := make([]result, len(ops))
	// blocked: a dependency before from did not succeed (those from on
	// are in the call being put together).
	blocked := func(k, from int) bool {
		return slices.ContainsFunc(deps[k], func(d int) bool { return d < from && out[d].status != ok })
	}
	for k := 0; k < len(ops); {
		if blocked(k, k) {
			out[k] = result{status: skipped, err: errors.New("not run: an operation it depends on did not succeed")}
			k++
			continue
		}
		end := k + 1
		within := func(d int) bool {
			return d >= k && (!s.caps.Transaction || ops[d].Action == plan.CreateZone || ops[d].Action == plan.SwitchMode)
		}
		for s.caps.Batch && end < len(ops) && !blocked(end, k) && !slices.ContainsFunc(deps[end], within) {
			end++
		}
		before := cloneZone(live)
		errs := s.h.Provider.Apply(context.Background(), live, ops[k:end])
		if d := cmp.Diff(before, live, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("Apply of operations %d..%d changed the live zone it was given, which is read-only to a provider (-before +after):\n%s", ops[k].Seq, ops[end-1].Seq, d)
		}
		for j := k; j < end; j++ {
			var err error
			if j-k < len(errs) {
				err = errs[j-k]
			} else {
				err = errors.New("the provider reported no result for this operation")
			}
			switch {
			case err == nil:
				out[j] = result{status: ok}
			case errors.Is(err, providers.ErrOutcomeUnknown):
				out[j] = result{status: unknown, err: err}
			default:
				out[j] = result{status: failed, err: err}
			}
		}
		k = end
	}
	return out
}

// cloneZone copies a zone deeply, for comparing it after Apply.
func cloneZone(z *model.Zone) *model.Zone {
	c := *z
	c.Masters = slices.Clone(z.Masters)
	if z.SOA != nil {
		soa := *z.SOA
		c.SOA = &soa
	}
	c.Ignore = slices.Clone(z.Ignore)
	c.Pos = maps.Clone(z.Pos)
	c.Records = nil
	for _, rs := range z.Records {
		r := *rs
		r.Values = slices.Clone(rs.Values)
		if rs.Failover != nil {
			f := *rs.Failover
			f.BackupIPs = slices.Clone(rs.Failover.BackupIPs)
			r.Failover = &f
		}
		c.Records = append(c.Records, &r)
	}
	return &c
}

// Plan is plan.Zone for a test: it plans desired against the whole live
// zone (nil: it does not exist) and fails the test when the plan cannot
// be made.
func Plan(t testing.TB, desired, live *model.Zone, caps model.Capabilities) *plan.ZonePlan {
	t.Helper()
	zp, err := plan.Zone(desired, live, caps, nil)
	require.NoError(t, err, "plan of %s", desired.Name)
	return zp
}
