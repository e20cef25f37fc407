package cloudns

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
)

// TestConformance runs the suite with the zone created by zonesync
// (register.json), the way a new zone starts.
func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		e := newEnv(t, nil)
		return providertest.Harness{Provider: e.p, Zone: "example.test"}
	})
}

// TestConformanceExistingZone runs the suite in a zone that exists
// already, with ClouDNS's default apex NS records beside it.
func TestConformanceExistingZone(t *testing.T) {
	providertest.Run(t, func(t *testing.T) providertest.Harness {
		e := newEnv(t, nil)
		ns := &model.RecordSet{Name: model.Apex, Type: "NS", TTL: 3600, Values: []string{"pns41.cloudns.net.", "pns42.cloudns.net."}}
		require.NoError(t, e.fake.Seed(&model.Zone{Name: "example.test", Mode: model.Master, Records: []*model.RecordSet{ns}}))
		return providertest.Harness{Provider: e.p, Zone: "example.test"}
	})
}
