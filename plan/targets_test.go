package plan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

// twoTargets is example.com served by providers a and b: the same spec,
// one desired zone per target.
func twoTargets(t *testing.T) (a, b *model.Zone) {
	a = zone(t, "@ NS 3600 ns1.example.net.|ns2.example.org.", "www A 300 192.0.2.1")
	b = zone(t, "@ NS 3600 ns1.example.net.|ns2.example.org.", "www A 300 192.0.2.1")
	a.Provider, b.Provider = "a", "b"
	a.Targets, b.Targets = []string{"a", "b"}, []string{"a", "b"}
	return a, b
}

// TestTargetPlans: each target of a zone with several providers is planned
// against its own live state, with its own safety gates, and its plan
// names the target; a zone with one provider has no target in the JSON.
func TestTargetPlans(t *testing.T) {
	a, b := twoTargets(t)
	liveA := zone(t, "@ NS 3600 ns1.example.net.|ns2.example.org.", "www A 300 192.0.2.1")
	liveB := zone(t, "@ NS 3600 ns1.example.net.|ns2.example.org.", "old A 300 192.0.2.7", "old2 A 300 192.0.2.8", "www A 300 192.0.2.9")
	safety := &config.Safety{MaxDeletePercent: 30, MaxUpdatePercent: 30, MinExistingRecords: 1}
	za, err := Zone(a, liveA, allCaps, safety)
	require.NoError(t, err)
	zb, err := Zone(b, liveB, allCaps, safety)
	require.NoError(t, err)

	assert.Equal(t, "example.com@a", za.Target)
	assert.Empty(t, ops(za), "target a is as the spec says")
	assert.Empty(t, za.Refusals)
	assert.Equal(t, "example.com@b", zb.Target)
	assert.Equal(t, []string{"update www A", "delete old A", "delete old2 A"}, ops(zb))
	assert.Equal(t, []string{"example.com@b: the plan would delete 2 of 4 record sets (50%), above safety.max_delete_percent 30%"}, zb.Refusals,
		"the refusal is the target's, by name")

	single := zone(t, "www A 300 192.0.2.1")
	zs, err := Zone(single, nil, allCaps, nil)
	require.NoError(t, err)
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{za, zb, zs}}
	p.Summarize()
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, p))
	assert.Equal(t, 2, strings.Count(buf.String(), `"target"`), "only the targets of a zone with several providers carry the field")
	assert.Contains(t, buf.String(), `"target": "example.com@b"`)

	decoded, err := Decode(&buf)
	require.NoError(t, err, "a plan with two targets of one zone is one zone plan each, not a zone listed twice")
	assert.Equal(t, []string{"example.com@a", "example.com@b", "example.com"}, []string{decoded.Zones[0].Key(), decoded.Zones[1].Key(), decoded.Zones[2].Key()})
}

func TestDecodeChecksTargets(t *testing.T) {
	a, b := twoTargets(t)
	za, err := Zone(a, nil, allCaps, nil)
	require.NoError(t, err)
	zb, err := Zone(b, nil, allCaps, nil)
	require.NoError(t, err)
	var good bytes.Buffer
	require.NoError(t, WriteJSON(&good, &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{za, zb}}))
	for _, tc := range []struct{ name, data, want string }{
		{"target twice", strings.Replace(good.String(), `"target": "example.com@b"`, `"target": "example.com@a"`, 1), "has target example.com@a, not example.com@b"},
		{"target of another provider", strings.Replace(good.String(), `"provider": "b"`, `"provider": "a"`, 1), "has target example.com@b, not example.com@a"},
		{"no targets: one zone twice", strings.NewReplacer(`"target": "example.com@a",`, ``, `"target": "example.com@b",`, ``).Replace(good.String()), "zone example.com appears twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.data))
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
