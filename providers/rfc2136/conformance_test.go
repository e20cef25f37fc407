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
		return providertest.Harness{LiveWritable: liveWritable,
			Provider: srv.provider(t, keyMain),
			Zone:     srv.newZone(t),
		}
	})
}

// liveWritable turns off the suite's check that Apply leaves the live zone
// alone, while this provider still keeps its record ids and its view of
// the zone in it. Issue 12: goes when the provider keeps its own index.
const liveWritable = "Apply still writes record ids and values into the live zone"
