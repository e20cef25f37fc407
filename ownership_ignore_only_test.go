package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
