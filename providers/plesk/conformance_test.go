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
		return providertest.Harness{LiveWritable: liveWritable, Provider: fx.p, Zone: "example.test"}
	})
}

// liveWritable turns off the suite's check that Apply leaves the live zone
// alone, while this provider still keeps its record ids and its view of
// the zone in it. Issue 12: goes when the provider keeps its own index.
const liveWritable = "Apply still writes record ids and values into the live zone"
