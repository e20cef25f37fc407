package telecomx

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/providertest"
	"github.com/zonesync/zonesync/spec"
)

// TestCapabilitiesMatchTheAPI: a record validates for Telecom X exactly
// when the API takes it: empty TXT text ("") and "." as an MX or SRV
// target are both taken.
func TestCapabilitiesMatchTheAPI(t *testing.T) {
	for _, probe := range providertest.ValueProbes {
		t.Run(probe.Type, func(t *testing.T) {
			e := newEnv(t)
			validErr := providertest.Validates(e.p.Capabilities(), "probe.test", probe)
			want := desired(t, "probe.test", 3600, set{probe.Name, probe.Type, []string{probe.Value}})
			caps := e.p.Capabilities()
			zp := plan.Diff(want, nil, caps)
			prep := &apply.Prepared{Plan: &plan.Plan{Zones: []*plan.ZonePlan{zp}}, Desired: []*spec.Zone{want}, Live: []*spec.Zone{nil}, Providers: []providers.Provider{e.p}}
			rep := apply.Run(context.Background(), prep, apply.RunOptions{Concurrency: 1})
			applied := true
			for _, r := range rep.Zones[0].Results {
				applied = applied && r.Status == apply.OK
			}
			assert.Equal(t, applied, validErr == nil, "validation: %v; apply: %+v", validErr, rep.Zones[0].Results)
		})
	}
}
