package zonefile

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
)

// TestValidationAgreesWithNamed: a record validates for a zone file
// exactly when BIND loads the file zonesync writes with it.
func TestValidationAgreesWithNamed(t *testing.T) {
	bin := checkzone(t)
	probes := append([]providertest.Probe{
		{Name: "@", Type: "DS", Value: "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"},
	}, providertest.ValueProbes...)
	for _, probe := range probes {
		t.Run(probe.Type, func(t *testing.T) {
			p := New(t.TempDir())
			validErr := providertest.Validates(p.Capabilities(), "probe.test", probe)
			// The zone as a spec would declare it, whether or not it
			// validates: BIND is asked about the file either way.
			desired := &model.Zone{Name: "probe.test", Provider: "local", Mode: model.Master}
			for _, r := range [][3]string{{"@", "NS", "ns1.probe.test."}, {"ns1", "A", "192.0.2.53"}, {probe.Name, probe.Type, probe.Value}} {
				rs, err := model.NewRecordSet(r[0], r[1], 300, r[2])
				require.NoError(t, err)
				desired.Records = append(desired.Records, rs)
			}
			desired.SortRecords()
			syncZone(t, p, desired)
			out, err := exec.Command(bin, "probe.test", p.Path("probe.test")).CombinedOutput()
			assert.Equal(t, err == nil, validErr == nil, "validation: %v; named-checkzone: %s", validErr, out)
		})
	}
}
