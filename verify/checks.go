package verify

import (
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// AllChecks checks every record set the spec declares. A slave zone
// declares none: only its serial is compared.
func AllChecks(desired *model.Zone) []Check {
	out := make([]Check, 0, len(desired.Records))
	for _, rs := range desired.Records {
		out = append(out, Check{Name: rs.Name, Type: rs.Type, Want: rs})
	}
	return out
}

// PlanChecks checks the record sets a zone's plan creates, updates or
// deletes, each as the spec has it now (absent for a delete). A plan that
// creates the zone or changes the TTL of every record checks them all;
// failover changes are not in DNS answers and check nothing.
func PlanChecks(zp *plan.ZonePlan, desired *model.Zone) []Check {
	seen := map[[2]string]bool{}
	var out []Check
	for _, op := range zp.Operations {
		switch op.Action {
		case plan.CreateZone, plan.UpdateTTL:
			return AllChecks(desired)
		case plan.Create, plan.Update, plan.Delete:
		default:
			continue
		}
		key := [2]string{op.Name, op.Type}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Check{Name: op.Name, Type: op.Type, Want: desired.Find(op.Name, op.Type)})
	}
	return out
}
