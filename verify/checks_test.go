package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

func TestChecks(t *testing.T) {
	desired := &model.Zone{Name: "example.com", TTL: 3600}
	for _, c := range []Check{
		want(t, "@", "MX", 3600, "10 mx.example.com."),
		want(t, "www", "A", 300, "192.0.2.1"),
		want(t, "www", "AAAA", 300, "2001:db8::1"),
	} {
		desired.Records = append(desired.Records, c.Want)
	}
	desired.SortRecords()
	keys := func(cs []Check) []string {
		var out []string
		for _, c := range cs {
			k := c.Name + " " + c.Type
			if c.Want == nil {
				k += " (absent)"
			}
			out = append(out, k)
		}
		return out
	}
	assert.Equal(t, []string{"@ MX", "www A", "www AAAA"}, keys(AllChecks(desired)))

	ops := func(actions ...plan.Action) *plan.ZonePlan {
		zp := &plan.ZonePlan{Zone: "example.com"}
		names := []string{"www", "old", "www", "www"}
		types := []string{"A", "TXT", "A", "A"}
		for i, a := range actions {
			op := &plan.Operation{Seq: i + 1, Action: a}
			if !a.IsZoneAction() {
				op.Name, op.Type = names[i], types[i]
			}
			zp.Operations = append(zp.Operations, op)
		}
		return zp
	}
	got := PlanChecks(ops(plan.Update, plan.Delete, plan.UpdateFailover), desired)
	assert.Equal(t, []string{"www A", "old TXT (absent)"}, keys(got), "a failover change checks nothing more; a set comes once")
	require.NotNil(t, got[0].Want)
	assert.Equal(t, []string{"192.0.2.1"}, got[0].Want.Values)
	assert.Equal(t, []string{"@ MX", "www A", "www AAAA"}, keys(PlanChecks(ops(plan.UpdateTTL), desired)), "a zone TTL change checks every set")
	assert.Equal(t, []string{"@ MX", "www A", "www AAAA"}, keys(PlanChecks(ops(plan.CreateZone), desired)))
	assert.Empty(t, PlanChecks(ops(plan.UpdateSOA), desired), "the serial only")
}
