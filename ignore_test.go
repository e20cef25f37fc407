package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
)

// TestIgnoreRulesInPlans: an ignore rule written with the absolute name
// protects its record, and a rule that matches nothing is a warning in
// the text, markdown and JSON plans, and in a saved plan applied later.
func TestIgnoreRulesInPlans(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	specFile := filepath.Join(dir, "zones", "example.org.yaml")
	data, err := os.ReadFile(specFile)
	require.NoError(t, err)
	edited := strings.Replace(string(data), "  - {name: _acme-challenge, type: TXT}\n",
		"  - {name: _acme-challenge.example.org., type: TXT}\n  - {name: _acme-challange, type: TXT}\n", 1)
	require.NotEqual(t, string(data), edited)
	require.NoError(t, os.WriteFile(specFile, []byte(edited), 0o644))
	warning := `example.org: ignore rule {name: "_acme-challange", type: TXT} (` + specFile + `:10:5) matches no live or declared record, so it protects nothing; check its name and type`

	code, out, errOut := zonesync(t, "--config", cfg, "plan")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "warning: "+warning+"\n")
	assert.NotContains(t, out, "_acme-challenge ", "the record the absolute rule protects is in the plan")

	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "> [!WARNING]\n> "+strings.ReplaceAll(warning, "_", `\_`)+"\n")

	planFile := filepath.Join(dir, "plan.json")
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--format", "json", "-out", planFile)
	require.Equal(t, 0, code, errOut)
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	assert.Equal(t, []string{warning}, p.Warnings)
	for _, z := range p.Zones {
		if z.Zone == "example.org" {
			assert.Equal(t, []string{warning}, z.Warnings)
		} else {
			assert.Empty(t, z.Warnings, z.Zone)
		}
	}

	code, out, errOut = zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "warning: "+warning+"\n")
	live, err := os.ReadFile(filepath.Join(dir, "live", "example.org.zone"))
	require.NoError(t, err)
	assert.Contains(t, string(live), "kq3J8f2-acme-token-written-by-certbot", "apply deleted the record an absolute ignore rule protects")
}
