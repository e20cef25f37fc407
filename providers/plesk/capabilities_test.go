package plesk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
)

// TestCapabilitiesMatchTheAPI: a record validates for Plesk exactly when
// the API takes it: add_rec takes a TXT record with empty text but no "."
// as an MX or SRV target.
func TestCapabilitiesMatchTheAPI(t *testing.T) {
	for _, probe := range providertest.ValueProbes {
		t.Run(probe.Type, func(t *testing.T) {
			fx := newFixture(t, "probe.test")
			validErr := providertest.Validates(fx.p.Capabilities(), "probe.test", probe)
			_, rep := fx.apply(t, desired(t, "probe.test", 3600, rec{probe.Name, probe.Type, []string{probe.Value}}))
			applied := true
			for _, r := range rep.Results {
				applied = applied && r.Status == apply.OK
			}
			assert.Equal(t, applied, validErr == nil, "validation: %v; apply: %+v", validErr, rep.Results)
		})
	}
}
