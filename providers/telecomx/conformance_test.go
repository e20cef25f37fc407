package telecomx

import (
	"testing"

	"github.com/zonesync/zonesync/internal/providertest"
)

// TestConformance runs the shared suite against the fake, the zone created
// by the suite's own create_zone.
func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		return providertest.Harness{Provider: newEnv(t).p, Zone: "example.test"}
	})
}

// providersTest runs the conformance suite with a hook before each subtest
// (on its fresh env) and after it.
func providersTest(t *testing.T, before, after func(*env)) {
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		e := newEnv(t)
		before(e)
		t.Cleanup(func() { after(e) })
		return providertest.Harness{Provider: e.p, Zone: "example.test"}
	})
}
