package rfc2136

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
)

// TestValidationAgreesWithNamed: each probe record validates for rfc2136
// exactly when BIND takes it in an UPDATE and keeps it: named takes empty
// TXT text and "." as a target, and drops a DS away from a delegation.
func TestValidationAgreesWithNamed(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	probes := append([]providertest.Probe{
		{Name: "@", Type: "DS", Value: "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"},
		{Name: "sub", Type: "DS", Value: "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"},
	}, providertest.ValueProbes...)
	var sets []set
	valid := map[string]error{}
	for _, probe := range probes {
		sets = append(sets, set{name: probe.Name, rrtype: probe.Type, values: []string{probe.Value}})
		valid[probe.Name+" "+probe.Type] = providertest.Validates(p.Capabilities(), zone, probe)
	}
	want := desired(t, zone, sets...)
	zp, live := makePlan(t, p, want)
	for _, r := range run(t, p, want, live, zp) {
		err := valid[r.Name+" "+r.Type]
		assert.Equal(t, r.Status == apply.OK, err == nil, "%s %s: validation: %v; apply: %s %s", r.Name, r.Type, err, r.Status, r.Error)
	}
}
