package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
)

// TestIgnoreOnlyKeepsMarkersOff: with a default owner in zonesync.yaml,
// the zones of a provider listed under ignore_only_providers, and a zone
// whose spec says ownership: {mode: ignore-only}, get no markers; the
// other zones do. An unknown provider in the list is an error naming it.
func TestIgnoreOnlyKeepsMarkersOff(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"zones", "live", "plain"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, sub), 0o755))
	}
	config := "providers:\n  local:\n    type: zonefile\n    directory: ./live\n  plain:\n    type: zonefile\n    directory: ./plain\n" +
		"ownership:\n  owner: git:dns-repo\n  ignore_only_providers: [plain]\n"
	cfg := filepath.Join(dir, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(config), 0o644))
	specs := map[string]string{
		"owned.test":      "zone: owned.test\nprovider: local\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
		"optout.test":     "zone: optout.test\nprovider: local\nownership: {mode: ignore-only}\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
		"ignoreonly.test": "zone: ignoreonly.test\nprovider: plain\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
	}
	for zone, spec := range specs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", zone+".yaml"), []byte(spec), 0o644))
	}
	markers := map[string]int{}
	for zone, ops := range planJSON(t, cfg) {
		for _, op := range ops {
			if op.Marker != nil {
				markers[zone]++
			}
		}
	}
	assert.Equal(t, map[string]int{"owned.test": 1}, markers, "marker operations by zone")

	requireApply(t, cfg)
	requireNoChanges(t, cfg)
	for _, f := range []string{"live/optout.test.zone", "plain/ignoreonly.test.zone"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.NotContains(t, string(data), "_zonesync", f)
	}

	bad := "providers:\n  local:\n    type: zonefile\n    directory: ./live\nownership:\n  owner: git:dns-repo\n  ignore_only_providers: [plian]\n"
	require.NoError(t, os.WriteFile(cfg, []byte(bad), 0o644))
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, errOut, `ownership.ignore_only_providers: unknown provider "plian"`)
}

// TestIgnoreOnlyTargetBesideAMarkedOne: a zone served by a provider in
// ownership mode and by one listed under ignore_only_providers takes
// adopt: true for the first; the ignore-only target, which owns every
// record its ignore rules leave, has nothing to adopt and gets no markers.
func TestIgnoreOnlyTargetBesideAMarkedOne(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"zones", "live", "plain"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, sub), 0o755))
	}
	config := "providers:\n  local:\n    type: zonefile\n    directory: ./live\n  plain:\n    type: zonefile\n    directory: ./plain\n" +
		"ownership:\n  owner: git:dns-repo\n  ignore_only_providers: [plain]\n"
	cfg := filepath.Join(dir, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(config), 0o644))
	spec := "zone: both.test\nproviders: [local, plain]\nttl: 300\nrecords:\n" +
		"  '@':\n    - {type: NS, values: [ns1.example.net.], adopt: true}\n" +
		"  legacy:\n    - {type: A, value: 192.0.2.40, adopt: true}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", "both.test.yaml"), []byte(spec), 0o644))
	live := "$TTL 300\n" + soaLine + "legacy 300 IN A 192.0.2.40\n"
	for _, sub := range []string{"live", "plain"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, sub, "both.test.zone"), []byte(live), 0o644))
	}
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, out+errOut)

	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--format", "json")
	require.Equal(t, 0, code, out+errOut)
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	adopted := map[string]int{}
	for _, z := range p.Zones {
		for _, op := range z.Operations {
			if op.Marker != nil && op.Marker.Adopt {
				adopted[z.Key()]++
			}
		}
	}
	assert.Equal(t, map[string]int{"both.test@local": 2}, adopted, "adopting markers by target")

	requireApply(t, cfg)
	requireNoChanges(t, cfg)
	data, err := os.ReadFile(filepath.Join(dir, "plain", "both.test.zone"))
	require.NoError(t, err)
	assert.NotContains(t, string(data), "_zonesync")
}
