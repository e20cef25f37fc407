package providers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// OperationChecker is implemented by providers that know, from the live
// zone alone, operations they cannot carry out beyond what their
// capabilities say: a mode switch their API has no call for, a zone they
// cannot create, said in the provider's own words. apply's Prepare calls
// it for every operation of a plan, so that what apply would refuse is
// refused while the plan is reviewed; the provider's Apply calls it too,
// before it sends anything, so that both say the same.
//
// A provider without it is normal: CheckOperation then refuses what the
// provider's capabilities rule out (CapabilityProblem), which is all a
// provider whose capabilities tell the whole story needs.
type OperationChecker interface {
	// CheckOperation returns why the provider cannot carry out op on live
	// (a zone holding only its name when it does not exist yet), or nil.
	// It must not touch the network, and its error names the zone.
	CheckOperation(live *model.Zone, op *plan.Operation) error
}

// CheckOperation returns why p cannot carry out op on live: the
// provider's own OperationChecker when it has one, else CapabilityProblem.
func CheckOperation(p Provider, live *model.Zone, op *plan.Operation) error {
	if c, ok := p.(OperationChecker); ok {
		return c.CheckOperation(live, op)
	}
	return CapabilityProblem(p.Capabilities(), live.Name, op)
}

// CapabilityProblem returns why a provider with caps cannot carry out op
// on zone, or nil. Providers build their CheckOperation on it.
func CapabilityProblem(caps model.Capabilities, zone string, op *plan.Operation) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("zone %s: %s: %s", zone, describe(op), fmt.Sprintf(format, args...))
	}
	switch op.Action {
	case plan.CreateZone:
		if !caps.CreateZone {
			return fail("the zone does not exist, and zonesync cannot create zones at this provider; create it there first")
		}
		if op.After != nil && op.After.Mode == model.Slave && !caps.Slave {
			return fail("the provider has no slave zones")
		}
	case plan.SwitchMode:
		if !caps.SwitchMode {
			return fail("the provider cannot change an existing zone between master and slave; change it at the provider, or delete the zone there and apply again")
		}
	case plan.UpdateMasters:
		if !caps.Slave {
			return fail("the provider has no slave zones")
		}
	case plan.UpdateTTL:
		if !caps.ZoneTTL {
			return fail("the provider keeps a TTL per record, not one per zone")
		}
	case plan.UpdateSOA:
		if fields := soaChanges(op); len(fields) > 0 {
			var cannot []string
			for _, f := range fields {
				if !slices.Contains(caps.SOA, f) {
					cannot = append(cannot, f)
				}
			}
			if len(cannot) > 0 {
				return fail("the provider cannot set the SOA's %s", strings.Join(cannot, ", "))
			}
		}
	case plan.EnableDNSSEC, plan.DisableDNSSEC:
		if !caps.DNSSEC {
			return fail("the provider cannot sign zones with DNSSEC")
		}
	case plan.CreateFailover, plan.UpdateFailover, plan.DeleteFailover:
		if !caps.Failover {
			return fail("the provider has no failover")
		}
	case plan.Create, plan.Update:
		if caps.RecordTypes != nil && !slices.Contains(caps.RecordTypes, op.Type) {
			return fail("the provider cannot hold %s records (it holds %s)", op.Type, strings.Join(caps.RecordTypes, ", "))
		}
	}
	return nil
}

// soaChanges names the SOA fields an update_soa sets to a new value.
func soaChanges(op *plan.Operation) []string {
	if op.After == nil || op.After.SOA == nil {
		return nil
	}
	var before model.SOA
	if op.Before != nil && op.Before.SOA != nil {
		before = *op.Before.SOA
	}
	after := *op.After.SOA
	var out []string
	for _, f := range []struct {
		name    string
		changed bool
	}{
		{"primary_ns", after.PrimaryNS != "" && after.PrimaryNS != before.PrimaryNS},
		{"admin_mail", after.AdminMail != "" && after.AdminMail != before.AdminMail},
		{"refresh", after.Refresh != 0 && after.Refresh != before.Refresh},
		{"retry", after.Retry != 0 && after.Retry != before.Retry},
		{"expire", after.Expire != 0 && after.Expire != before.Expire},
		{"minimum", after.Minimum != 0 && after.Minimum != before.Minimum},
	} {
		if f.changed {
			out = append(out, f.name)
		}
	}
	return out
}

// describe names an operation: "switch_mode", "create www A".
func describe(op *plan.Operation) string {
	if op.Name == "" {
		return string(op.Action)
	}
	return string(op.Action) + " " + op.Name + " " + op.Type
}

// Checker is implemented by providers that can check, with one cheap
// call, that their credentials work and their API answers. zonesync asks
// once per provider at the start of a run, before reading any zone, so
// that a wrong password or an unreachable endpoint costs one call and one
// line instead of a failure (and its retries) per zone.
//
// A provider without it is normal: one whose API has no call cheaper than
// a zone read gains nothing from a check, and its first failed read says
// the same, once per zone.
type Checker interface {
	// CheckAccess returns an error, naming the provider and what failed,
	// when the provider cannot be used at all. zone is one zone the run
	// will read from it, for a provider whose check is about a zone (a
	// DNS server answers queries for the zones it serves); a zone that
	// does not exist is not an access problem.
	CheckAccess(ctx context.Context, zone string) error
}
