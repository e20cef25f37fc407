package powerdns

import (
	"testing"

	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// TestConformance runs the providers' conformance suite against a real
// PowerDNS, each subtest in a zone of its own: half of them a zone the
// provider creates itself, half one that an administrator made.
func TestConformance(t *testing.T) {
	srv := pdnstest.Require(t)
	n := 0
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		n++
		zone := srv.ZoneName()
		if n%2 == 0 {
			zone = srv.NewZone(t, KindNative)
		}
		return providertest.Harness{
			Provider: newProvider(t, srv),
			Zone:     zone,
			Skip:     map[string]string{"Failover": "PowerDNS has no health checks"},
		}
	})
}
