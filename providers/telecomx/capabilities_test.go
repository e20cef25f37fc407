package telecomx

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
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
			zp := providertest.Plan(t, want, nil, e.p.Capabilities())
			rep := apply.Zone(context.Background(), e.p, want, nil, zp, nil)
			applied := true
			for _, r := range rep.Results {
				applied = applied && r.Status == apply.OK
			}
			assert.Equal(t, applied, validErr == nil, "validation: %v; apply: %+v", validErr, rep.Results)
		})
	}
}
