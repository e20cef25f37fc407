package plesk_test

import (
	"testing"

	"github.com/zonesync/zonesync/internal/providertest"
)

// TestConformance runs the shared suite against the fake, each subtest on
// a fresh server with one empty site.
func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		fx := newFixture(t, "example.test", "other.test")
		return providertest.Harness{Provider: fx.p, Zone: "example.test"}
	})
}
