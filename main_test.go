package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
)

// zonesync runs the command in-process and returns its exit code and output.
func zonesync(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"zonesync"}, args...), streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut})
	return code, out.String(), errOut.String()
}

// copyExamples copies examples/ into a temporary directory and returns
// the path of its zonesync.yaml.
func copyExamples(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk("examples", func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("examples", path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	require.NoError(t, err)
	return filepath.Join(dst, "zonesync.yaml")
}

func TestExamplesPlanApplyPlan(t *testing.T) {
	cfg := copyExamples(t)
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, "validate:\n%s%s", out, errOut)
	require.Contains(t, out, "3 zone specs valid", "validate")
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 2, code, "first plan: want 2 (changes)\n%s%s", out, errOut)
	for _, want := range []string{"--- example.com (live)", "+@                  300 IN A     192.0.2.11", "-old               3600 IN A     192.0.2.99"} {
		assert.Contains(t, out, want, "plan output")
	}
	code, out, errOut = zonesync(t, "--config", cfg, "apply")
	require.Equal(t, 0, code, "apply:\n%s%s", out, errOut)
	code, out, _ = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 0, code, "plan after apply:\n%s", out)
	require.Contains(t, out, "No changes", "plan after apply")
	code, out, _ = zonesync(t, "--config", cfg, "apply")
	require.Equal(t, 0, code, "second apply:\n%s", out)
	require.Contains(t, out, "Nothing to do", "second apply")
}

func TestPlanJSONSchema(t *testing.T) {
	cfg := copyExamples(t)
	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--format", "json")
	require.Equal(t, 0, code, errOut)
	// Exactly the documented fields: an unknown one fails the decode.
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var p plan.Plan
	require.NoError(t, dec.Decode(&p))
	require.Equal(t, 1, p.FormatVersion, "format_version")
	require.Len(t, p.Zones, 3, "zones")
	var counted plan.Summary
	for _, z := range p.Zones {
		assert.Regexp(t, `^sha256:`, z.LiveDigest, "zone %s: live_digest", z.Zone)
		assert.Regexp(t, `^sha256:`, z.SpecDigest, "zone %s: spec_digest", z.Zone)
		assert.Equal(t, "local", z.Provider, "zone %s: provider", z.Zone)
		if len(z.Operations) > 0 {
			counted.ZonesChanged++
		}
		for i, op := range z.Operations {
			assert.Equal(t, i+1, op.Seq, "zone %s op %d: seq", z.Zone, i)
			if op.Action == plan.Create || op.Action == plan.Update || op.Action == plan.Delete {
				assert.NotEmpty(t, op.Name, "zone %s op %d %s has no name", z.Zone, op.Seq, op.Action)
				assert.NotEmpty(t, op.Type, "zone %s op %d %s has no type", z.Zone, op.Seq, op.Action)
			}
			switch op.Action {
			case plan.Create:
				counted.Create++
				assert.Nil(t, op.Before, "create %s %s: before", op.Name, op.Type)
				if assert.NotNil(t, op.After, "create %s %s: after", op.Name, op.Type) {
					assert.NotNil(t, op.After.TTL, "create %s %s: after's TTL", op.Name, op.Type)
					assert.NotEmpty(t, op.After.Values, "create %s %s: after's values", op.Name, op.Type)
				}
			case plan.Update:
				counted.Update++
				if assert.NotNil(t, op.Before, "update %s %s: before", op.Name, op.Type) {
					assert.NotNil(t, op.Before.TTL, "update %s %s: before's TTL", op.Name, op.Type)
				}
				if assert.NotNil(t, op.After, "update %s %s: after", op.Name, op.Type) {
					assert.NotNil(t, op.After.TTL, "update %s %s: after's TTL", op.Name, op.Type)
					assert.NotEmpty(t, op.After.Values, "update %s %s: after's values", op.Name, op.Type)
				}
			case plan.Delete:
				counted.Delete++
				assert.Nil(t, op.After, "delete %s %s: after", op.Name, op.Type)
				if assert.NotNil(t, op.Before, "delete %s %s: before", op.Name, op.Type) {
					assert.NotEmpty(t, op.Before.Values, "delete %s %s: before's values", op.Name, op.Type)
				}
			case plan.UpdateSOA:
				counted.Update++
				if assert.NotNil(t, op.After, "update_soa without a state after it") {
					assert.NotNil(t, op.After.SOA, "update_soa without the SOA after it: %+v", op)
				}
			default:
				assert.Fail(t, "unexpected action in the examples' plan", "%s", op.Action)
			}
		}
	}
	if d := cmp.Diff(counted, p.Summary); d != "" {
		t.Errorf("summary against the count of the operations (-counted +summary):\n%s", d)
	}
	assert.Equal(t, 13, counted.Create, "creates")
	assert.Equal(t, 5, counted.Update, "updates")
	assert.Equal(t, 4, counted.Delete, "deletes")
}

func TestValidateRejectsWithPosition(t *testing.T) {
	cfg := copyExamples(t)
	bad := filepath.Join(filepath.Dir(cfg), "zones", "example.org.yaml")
	data, err := os.ReadFile(bad)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(bad, bytes.Replace(data, []byte("records:"), []byte("recrods:"), 1), 0o644))
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 1, code, errOut)
	require.Empty(t, out, "stdout")
	assert.Equal(t, bad+`:11:1: unknown key "recrods" (did you mean "records"?)`+"\n", errOut, "stderr")
}

func TestErrorsAreOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"--config", "/nonexistent/zonesync.yaml", "plan"},
		{"plan", "--format", "yaml"},
		{"--config", "/nonexistent/zonesync.yaml", "apply", "/nonexistent/plan.json"},
	} {
		code, _, errOut := zonesync(t, args...)
		assert.Equal(t, 1, code, "%v: exit", args)
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		assert.Len(t, lines, 1, "%v: stderr %q, want one line", args, errOut)
		assert.Regexp(t, `^zonesync: `, lines[0], "%v: stderr", args)
		assert.NotContains(t, errOut, "goroutine", "%v: stderr", args)
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	cfg := copyExamples(t)
	t.Setenv("ZONESYNC_CONFIG", cfg)
	code, out, errOut := zonesync(t, "validate")
	require.Equal(t, 0, code, "validate with ZONESYNC_CONFIG: %s%s", out, errOut)
}

func TestImportPlansAsNoChange(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "example.com")
	require.Equal(t, 0, code, "import: %s", errOut)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", "example.com.yaml"), []byte(out), 0o644))
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--zone", "example.com", "--detailed-exitcode")
	require.Equal(t, 0, code, "plan of an imported zone:\n%s%s", out, errOut)
}

func TestSavedPlanRefusedWhenStale(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	code, _, errOut := zonesync(t, "--config", cfg, "plan", "-out", planFile)
	require.Equal(t, 0, code, "plan -out: %s", errOut)
	live := filepath.Join(dir, "live", "example.org.zone")
	data, err := os.ReadFile(live)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(live, append(data, []byte("intruder 60 IN A 203.0.113.66\n")...), 0o644))
	code, _, errOut = zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 1, code, "apply of a stale plan:\n%s", errOut)
	require.Equal(t, "zonesync: live state of zone example.org at provider local changed since the plan was made: make a new plan\n", errOut, "apply of a stale plan")
	require.NoError(t, os.WriteFile(live, data, 0o644))
	code, out, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 0, code, "apply of the saved plan once live is back:\n%s%s", out, errOut)
}

func TestUsageErrorsStayOffStdout(t *testing.T) {
	for _, args := range [][]string{
		{"plan", "--format", "json", "--bogus"},
		{"--bogus", "plan"},
		{"import"},
		{"import", "--zone", "example.com"},
	} {
		code, out, errOut := zonesync(t, args...)
		assert.Equal(t, 1, code, "%v: exit", args)
		assert.Empty(t, out, "%v: stdout", args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%v: stderr %q, want one line", args, errOut)
	}
}
