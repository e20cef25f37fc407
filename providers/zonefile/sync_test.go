package zonefile

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

// specZone loads the spec of zone, for a zonefile provider named "local",
// as zonesync loads <zone>.yaml from the repository; body is the YAML after
// the zone and provider keys.
func specZone(t *testing.T, zone, body string) *model.Zone {
	t.Helper()
	cfg := &config.Config{Providers: map[string]*config.ProviderConfig{"local": {Name: "local", Type: Type}}}
	caps := New(t.TempDir()).Capabilities()
	z, err := spec.ParseZone(zone+".yaml", []byte("zone: "+zone+"\nprovider: local\n"+body), cfg, func(string) (model.Capabilities, bool) { return caps, true })
	require.NoError(t, err)
	return z
}

// readLive reads a zone as a plan does: nil when it has no file yet.
func readLive(t *testing.T, p *Provider, zone string) *model.Zone {
	t.Helper()
	live, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	if errors.Is(err, providers.ErrZoneNotFound) {
		return nil
	}
	require.NoError(t, err)
	return live
}

// syncZone plans desired against the zone's file and applies the plan as
// zonesync apply does, requiring every operation to succeed, and returns
// the plan.
func syncZone(t *testing.T, p *Provider, desired *model.Zone) *plan.ZonePlan {
	t.Helper()
	live := readLive(t, p, desired.Name)
	zp := providertest.Plan(t, desired, live, p.Capabilities())
	report := apply.Zone(context.Background(), p, desired, live, zp, nil)
	want := apply.Counts{OK: len(zp.Operations)}
	require.Empty(t, cmp.Diff(want, report.Counts()), "operations by status (-want +got); results: %+v", report.Results)
	return zp
}

// requireInSync requires a plan of desired against the zone's file to be empty.
func requireInSync(t *testing.T, p *Provider, desired *model.Zone) {
	t.Helper()
	zp := providertest.Plan(t, desired, readLive(t, p, desired.Name), p.Capabilities())
	require.Empty(t, zp.Operations, "the plan after apply is not empty")
}
