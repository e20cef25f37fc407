package cloudns

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
)

// TestCapabilitiesMatchTheAPI: a record validates for ClouDNS exactly when
// the API takes it: add-record refuses a TXT record without text, and
// takes "." as an MX or SRV target.
func TestCapabilitiesMatchTheAPI(t *testing.T) {
	for _, probe := range providertest.ValueProbes {
		t.Run(probe.Type, func(t *testing.T) {
			e := newEnv(t, nil)
			validErr := providertest.Validates(e.p.Capabilities(), "probe.test", probe)
			_, rep := e.run(t, zoneOf(t, "probe.test", set(probe.Name, probe.Type, probe.Value)))
			applied := true
			for _, r := range rep.Results {
				applied = applied && r.Status == apply.OK
			}
			assert.Equal(t, applied, validErr == nil, "validation: %v; apply: %+v", validErr, rep.Results)
		})
	}
}
