package rfc2136

import (
	"testing"

	"github.com/zonesync/zonesync/internal/providertest"
)

// TestConformance runs the providers' conformance suite against real BIND,
// each subtest in a zone of its own.
func TestConformance(t *testing.T) {
	srv := requireNamed(t)
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		return providertest.Harness{
			Provider: srv.provider(t, keyMain),
			Zone:     srv.newZone(t),
		}
	})
}
