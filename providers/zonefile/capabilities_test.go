package zonefile

import (
	"context"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// checkzone returns BIND's named-checkzone, skipping the test where it is
// not installed, except in CI.
// TestValidationAgreesWithNamed: a record validates for a zone file
// exactly when BIND loads the file zonesync writes with it.
func TestValidationAgreesWithNamed(t *testing.T) {
	bin := checkzone(t)
	probes := append([]providertest.Probe{
		{Name: "@", Type: "DS", Value: "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"},
	}, providertest.ValueProbes...)
	for _, probe := range probes {
		t.Run(probe.Type, func(t *testing.T) {
			p := New(t.TempDir())
			validErr := providertest.Validates(p.Capabilities(), "probe.test", probe)
			rs, err := model.NewRecordSet(probe.Name, probe.Type, 300, probe.Value)
			require.NoError(t, err)
			ttl := uint32(300)
			errs := p.Apply(context.Background(), &model.Zone{Name: "probe.test"}, []*plan.Operation{
				{Action: plan.CreateZone, After: &plan.State{Mode: model.Master}},
				{Action: plan.Create, Name: "@", Type: "NS", After: &plan.State{TTL: &ttl, Values: []string{"ns1.probe.test."}}},
				{Action: plan.Create, Name: "ns1", Type: "A", After: &plan.State{TTL: &ttl, Values: []string{"192.0.2.53"}}},
				{Action: plan.Create, Name: probe.Name, Type: probe.Type, After: &plan.State{TTL: &ttl, Values: rs.Values}},
			})
			for _, err := range errs {
				require.NoError(t, err)
			}
			out, err := exec.Command(bin, "probe.test", p.Path("probe.test")).CombinedOutput()
			assert.Equal(t, err == nil, validErr == nil, "validation: %v; named-checkzone: %s", validErr, out)
		})
	}
}
