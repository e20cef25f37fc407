package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportInOwnershipMode: import --owner writes the owner's record sets
// and the unmarked ones, never another owner's, external-dns's or a
// marker; the spec adopts the unmarked ones, so the first plan marks them
// (and nothing else), and after that apply the zone plans as no change.
func TestImportInOwnershipMode(t *testing.T) {
	live := "$TTL 300\n" + soaLine +
		"www IN A 192.0.2.1\n" +
		"www.a._zonesync IN TXT \"v=zonesync1 owner=git:a\"\n" +
		"api IN A 192.0.2.2\n" +
		"api.a._zonesync IN TXT \"v=zonesync1 owner=git:b\"\n" +
		"k8s IN A 192.0.2.3\n" +
		"a-k8s IN TXT \"heritage=external-dns,external-dns/owner=cluster1\"\n" +
		"mail IN A 192.0.2.4\n"
	cfg := zonefileProject(t, nil, map[string]string{"ex.test": live})

	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "ex.test", "--owner", "git:a")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "ownership: {owner: 'git:a', adopt: unmarked}")
	for _, name := range []string{"www:", "mail:", "'@':"} {
		assert.Contains(t, out, "\n  "+name+"\n", "imported: %s", name)
	}
	for _, name := range []string{"api", "k8s", "a-k8s", "_zonesync"} {
		assert.NotContains(t, out, name, "another owner's, a tool's or a marker")
	}
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(cfg), "zones", "ex.test.yaml"), []byte(out), 0o644))

	var marks []string
	for _, op := range planJSON(t, cfg)["ex.test"] {
		marks = append(marks, string(op.Action)+" "+op.Name+" "+op.Type)
	}
	assert.ElementsMatch(t, []string{"create mail.a._zonesync TXT", "create ns._zonesync TXT"}, marks,
		"the first plan marks the unmarked sets the spec declares, and only those")
	requireApply(t, cfg)
	requireNoChanges(t, cfg)
	after, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "live", "ex.test.zone"))
	require.NoError(t, err)
	for _, kept := range []string{"api", "k8s", "a-k8s", "owner=git:b"} {
		assert.Contains(t, string(after), kept, "foreign data is kept")
	}
}

// TestImportOwnerDefaultsToConfig: without --owner, import takes
// zonesync.yaml's owner and does not repeat it in the spec; an invalid
// --owner is refused.
func TestImportOwnerDefaultsToConfig(t *testing.T) {
	live := "$TTL 300\n" + soaLine + "www IN A 192.0.2.1\n" +
		"api IN A 192.0.2.2\napi.a._zonesync IN TXT \"v=zonesync1 owner=git:b\"\n"
	cfg := zonefileProject(t, nil, map[string]string{"ex.test": live})
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("ownership: {owner: git:a}\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "ex.test")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "ownership: {adopt: unmarked}")
	assert.NotContains(t, out, "api")

	code, _, errOut = zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "ex.test", "--owner", "no spaces")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--owner: the owner id \"no spaces\" holds ' '")
}
