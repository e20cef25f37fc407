package zonefile

import (
	"testing"

	"github.com/zonesync/zonesync/internal/providertest"
)

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		return providertest.Harness{Provider: New(t.TempDir()), Zone: "example.test"}
	})
}
