package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedExample: the shared zone of examples/shared validates, is
// formatted, plans as one set to create with its marker and one to adopt,
// lists what it leaves alone, and after its apply plans as no change with
// every foreign line of the live zone as it was.
func TestSharedExample(t *testing.T) {
	cfg := filepath.Join(filepath.Dir(copyExamples(t)), "shared", "zonesync.yaml")
	dir := filepath.Dir(cfg)
	live := filepath.Join(dir, "live", "example.net.zone")
	before := readString(t, live)

	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, out+errOut)
	code, out, errOut = zonesync(t, "--config", cfg, "fmt", "--check")
	require.Equal(t, 0, code, out+errOut)

	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 2, code, out+errOut)
	for _, want := range []string{"1 to create, 1 to adopt, 1 marker write", "adopt legacy A", "mark status A",
		"external-dns (owner prod-cluster): 2 (a-app TXT, app A)", "octoDNS: 2 (_owner.a.vpn TXT, vpn A)",
		"owner git:shop-team: 2 (shop CNAME, shop.cname._zonesync TXT)", "no marker: 2 (_acme-challenge TXT, ns1 A)"} {
		assert.Contains(t, out, want)
	}
	requireApply(t, cfg)
	requireNoChanges(t, cfg)

	after := readString(t, live)
	for _, line := range strings.Split(before, "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || f[0] == ";" || f[0] == "$ORIGIN" || f[3] == "SOA" {
			continue
		}
		// zonesync writes the file anew: compare name, type and value.
		assert.Regexp(t, `(?m)^`+regexpQuote(f[0])+`\s+\d+\s+IN\s+`+f[3]+`\s+`+regexpQuote(strings.Join(f[4:], " "))+`$`, after, "live line %q", line)
	}
	assert.Contains(t, after, "status.a._zonesync")
	assert.Contains(t, after, "legacy.a._zonesync")
}

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }
