package providers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

func TestCapabilityProblem(t *testing.T) {
	all := model.Capabilities{CreateZone: true, Slave: true, SwitchMode: true, ZoneTTL: true, Failover: true, SOA: model.SOAFields}
	for _, tc := range []struct {
		name string
		caps model.Capabilities
		op   *plan.Operation
		want string // "" when the provider can do it
	}{
		{"create a zone", all, &plan.Operation{Action: plan.CreateZone}, ""},
		{"create a zone without CreateZone", model.Capabilities{}, &plan.Operation{Action: plan.CreateZone},
			"zone example.com: create_zone: the zone does not exist, and zonesync cannot create zones at this provider; create it there first"},
		{"create a slave zone without Slave", model.Capabilities{CreateZone: true}, &plan.Operation{Action: plan.CreateZone, After: &plan.State{Mode: model.Slave}},
			"zone example.com: create_zone: the provider has no slave zones"},
		{"switch mode", model.Capabilities{Slave: true}, &plan.Operation{Action: plan.SwitchMode},
			"zone example.com: switch_mode: the provider cannot change an existing zone between master and slave; change it at the provider, or delete the zone there and apply again"},
		{"update masters", model.Capabilities{}, &plan.Operation{Action: plan.UpdateMasters}, "zone example.com: update_masters: the provider has no slave zones"},
		{"update the zone TTL", model.Capabilities{}, &plan.Operation{Action: plan.UpdateTTL}, "zone example.com: update_ttl: the provider keeps a TTL per record, not one per zone"},
		{"an SOA field it cannot set", model.Capabilities{SOA: []string{"refresh"}},
			&plan.Operation{Action: plan.UpdateSOA, Before: &plan.State{SOA: &model.SOA{PrimaryNS: "a.", Refresh: 1}}, After: &plan.State{SOA: &model.SOA{PrimaryNS: "b.", Refresh: 2}}},
			"zone example.com: update_soa: the provider cannot set the SOA's primary_ns"},
		{"SOA fields it can set", model.Capabilities{SOA: []string{"refresh"}},
			&plan.Operation{Action: plan.UpdateSOA, Before: &plan.State{SOA: &model.SOA{PrimaryNS: "a.", Refresh: 1}}, After: &plan.State{SOA: &model.SOA{PrimaryNS: "a.", Refresh: 2}}}, ""},
		{"failover", model.Capabilities{}, &plan.Operation{Action: plan.CreateFailover, Name: "www", Type: "A"}, "zone example.com: create_failover www A: the provider has no failover"},
		{"a type it cannot hold", model.Capabilities{RecordTypes: []string{"A", "MX"}}, &plan.Operation{Action: plan.Create, Name: "x", Type: "TLSA"},
			"zone example.com: create x TLSA: the provider cannot hold TLSA records (it holds A, MX)"},
		{"deleting a type is always possible", model.Capabilities{RecordTypes: []string{"A"}}, &plan.Operation{Action: plan.Delete, Name: "x", Type: "TLSA"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CapabilityProblem(tc.caps, "example.com", tc.op)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tc.want)
		})
	}
}
