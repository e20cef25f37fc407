package plan

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

func signedZone(dnssec *bool) *model.Zone {
	return &model.Zone{Name: "example.com", Provider: "p", Mode: model.Master, TTL: 3600, DNSSEC: dnssec}
}

// TestDNSSECOperations: the spec's dnssec against the live zone's signing
// plans enable_dnssec or disable_dnssec, nothing when they agree or the
// spec leaves signing alone, and enable_dnssec after a zone it creates.
func TestDNSSECOperations(t *testing.T) {
	on, off := boolPtr(true), boolPtr(false)
	caps := model.Capabilities{DNSSEC: true}
	for _, tc := range []struct {
		name        string
		want        *bool
		live        *model.Zone
		wantActions []Action
	}{
		{"sign", on, signedZone(off), []Action{EnableDNSSEC}},
		{"sign, provider cannot tell", on, signedZone(nil), []Action{EnableDNSSEC}},
		{"unsign", off, signedZone(on), []Action{DisableDNSSEC}},
		{"signed already", on, signedZone(on), nil},
		{"unsigned already", off, signedZone(off), nil},
		{"left alone", nil, signedZone(on), nil},
		{"new zone", on, nil, []Action{CreateZone, EnableDNSSEC}},
		{"new zone unsigned", off, nil, []Action{CreateZone}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			zp, err := Zone(signedZone(tc.want), tc.live, caps, nil)
			require.NoError(t, err)
			var got []Action
			for _, op := range zp.Operations {
				got = append(got, op.Action)
			}
			assert.Equal(t, tc.wantActions, got)
		})
	}
}

// TestDisableDNSSECIsRefused: a plan that unsigns a zone is refused, the
// confirmation --force gives, with what to do first; signing is not.
func TestDisableDNSSECIsRefused(t *testing.T) {
	zp, err := Zone(signedZone(boolPtr(false)), signedZone(boolPtr(true)), model.Capabilities{DNSSEC: true}, &config.Safety{})
	require.NoError(t, err)
	require.Len(t, zp.Refusals, 1)
	assert.Contains(t, zp.Refusals[0], "example.com: disable_dnssec removes the zone's DNSSEC keys")
	assert.Contains(t, zp.Refusals[0], "remove the DS records at the registrar")
	assert.Contains(t, zp.Refusals[0], "--force")
	zp, err = Zone(signedZone(boolPtr(true)), signedZone(boolPtr(false)), model.Capabilities{DNSSEC: true}, &config.Safety{})
	require.NoError(t, err)
	assert.Empty(t, zp.Refusals)
}

// TestDSAndProviderWarningsInPlan: a signed zone's DS records and the live
// zone's warnings reach the plan, and the text shows the DS records.
func TestDSAndProviderWarningsInPlan(t *testing.T) {
	live := signedZone(boolPtr(true))
	live.DS = []string{"24607 13 2 ab02d22c5af8322cd1efdaeffca6a82812de69ad015d5af1c19cc7a5c011b1bc"}
	live.Warnings = []string{"example.com: a server setting"}
	desired := signedZone(boolPtr(true))
	desired.Records = []*model.RecordSet{{Name: "www", Type: "A", TTL: 300, Values: []string{"192.0.2.1"}}}
	zp, err := Zone(desired, live, model.Capabilities{DNSSEC: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, live.DS, zp.DS)
	assert.Equal(t, []string{"example.com: a server setting"}, zp.Warnings)
	var out bytes.Buffer
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{zp}}
	p.Summarize()
	require.NoError(t, WriteText(&out, p, false))
	assert.Contains(t, out.String(), "@@ DS records for the parent zone, to hand to the registrar @@\n example.com. IN DS 24607 13 2 ab02d22c")

	// A spec that leaves signing alone gets no DS records.
	zp, err = Zone(signedZone(nil), live, model.Capabilities{DNSSEC: true}, nil)
	require.NoError(t, err)
	assert.Empty(t, zp.DS)
}

// TestUnmanagedSigningIsNotInTheLiveDigest: a spec without dnssec does
// not make a plan stale when the zone's signing changes.
func TestUnmanagedSigningIsNotInTheLiveDigest(t *testing.T) {
	caps := model.Capabilities{DNSSEC: true}
	a := LiveDigest(signedZone(nil), signedZone(boolPtr(true)), caps)
	b := LiveDigest(signedZone(nil), signedZone(boolPtr(false)), caps)
	assert.Equal(t, a, b)
	c := LiveDigest(signedZone(boolPtr(true)), signedZone(boolPtr(false)), caps)
	d := LiveDigest(signedZone(boolPtr(true)), signedZone(boolPtr(true)), caps)
	assert.NotEqual(t, c, d)
}
