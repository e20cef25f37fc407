package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/spec"
	"gopkg.in/yaml.v3"
)

// appendLive adds lines to a live zone file of a copied example project.
func appendLive(t *testing.T, cfg, zone, lines string) {
	t.Helper()
	path := filepath.Join(filepath.Dir(cfg), "live", zone+".zone")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(data, lines...), 0o644))
}

func TestSavedPlanAppliesExactlyWhatWasPlanned(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	zonesync(t, "--config", cfg, "plan", "--zone", "example.org", "-out", planFile)
	// A zone outside the saved plan changes nothing when the plan is applied.
	code, out, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 0, code, "apply:\n%s%s", out, errOut)
	assert.Contains(t, out, "zone example.org", "apply of a one-zone plan")
	assert.NotContains(t, out, "zone example.com", "apply of a one-zone plan touched other zones")
	code, _, _ = zonesync(t, "--config", cfg, "plan", "--zone", "example.com", "--detailed-exitcode")
	assert.Equal(t, 2, code, "example.com was changed by a plan that did not cover it")
}

func TestSavedPlanRefusedWhenSpecChanged(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	zonesync(t, "--config", cfg, "plan", "-out", planFile)
	specFile := filepath.Join(dir, "zones", "example.org.yaml")
	data, err := os.ReadFile(specFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(specFile, []byte(strings.Replace(string(data), "198.51.100.25", "198.51.100.26", 1)), 0o644))
	code, _, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 1, code, errOut)
	require.Contains(t, errOut, "zone example.org: its spec changed since the plan was made")
}

func TestEditedOrCorruptPlanRefused(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	zonesync(t, "--config", cfg, "plan", "-out", planFile)
	data, err := os.ReadFile(planFile)
	require.NoError(t, err)
	for _, tc := range []struct{ name, content, want string }{
		{"edited value", strings.Replace(string(data), "198.51.100.10", "203.0.113.66", 1), "operation 2 of the plan file is not what the specs and live state give; was the file edited?"},
		{"truncated", string(data[:len(data)/3]), "not a valid zonesync plan file: the file is empty or truncated"},
		{"garbage", "<html>", "not a valid zonesync plan file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(planFile, []byte(tc.content), 0o644))
			code, _, errOut := zonesync(t, "--config", cfg, "apply", planFile)
			assert.Equal(t, 1, code, errOut)
			assert.Contains(t, errOut, tc.want)
		})
	}
	code, _, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	assert.Equal(t, 2, code, "a refused plan changed live zones")
}

func TestSafetyRefusesBigDeletesUnlessForced(t *testing.T) {
	cfg := copyExamples(t)
	var lines strings.Builder
	for i := 0; i < 20; i++ {
		lines.WriteString("stale" + string(rune('a'+i)) + " 300 IN A 203.0.113.1\n")
	}
	appendLive(t, cfg, "example.org", lines.String())
	// A refused plan fails, and still shows the whole diff.
	code, out, errOut := zonesync(t, "--config", cfg, "plan")
	require.Equal(t, 1, code, "plan:\n%s%s", out, errOut)
	require.Contains(t, out, "refused: example.org: the plan would delete 20 of 24 record sets (83%), above safety.max_delete_percent 50%")
	require.Contains(t, out, "-staler", "a refused plan still shows the whole diff")
	require.Contains(t, errOut, "the safety checks refuse this plan")
	code, _, _ = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 1, code, "plan --detailed-exitcode of a refused plan")
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--force", "--detailed-exitcode")
	require.Equal(t, 2, code, "plan --force:\n%s%s", out, errOut)
	require.Contains(t, out, "refused, forced with --force: example.org: the plan would delete 20 of 24")
	code, _, errOut = zonesync(t, "--config", cfg, "apply")
	require.Equal(t, 1, code, "apply without --force:\n%s", errOut)
	require.Contains(t, errOut, "refused: example.org: the plan would delete 20 of 24")
	require.Contains(t, errOut, "--force")
	code, _, _ = zonesync(t, "--config", cfg, "plan", "--zone", "example.com", "--detailed-exitcode")
	require.Equal(t, 2, code, "a refused apply changed another zone")
	code, out, errOut = zonesync(t, "--config", cfg, "apply", "--force")
	require.Equal(t, 0, code, "apply --force:\n%s%s", out, errOut)
	code, _, _ = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 0, code, "forced apply left changes")
}

func TestEmptyLiveZoneRefused(t *testing.T) {
	cfg := copyExamples(t)
	live := filepath.Join(filepath.Dir(cfg), "live", "example.com.zone")
	require.NoError(t, os.WriteFile(live, []byte("@ 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n"), 0o644))
	code, _, errOut := zonesync(t, "--config", cfg, "apply")
	require.Equal(t, 1, code, errOut)
	require.Contains(t, errOut, "example.com: the provider returned no records for an existing zone while the spec has")
}

func TestMissingSpecNeverDeletesAZone(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	require.NoError(t, os.Remove(filepath.Join(dir, "zones", "example.org.yaml")))
	before, err := os.ReadFile(filepath.Join(dir, "live", "example.org.zone"))
	require.NoError(t, err)
	code, out, errOut := zonesync(t, "--config", cfg, "apply")
	require.Equal(t, 0, code, "apply:\n%s%s", out, errOut)
	require.NotContains(t, out, "example.org", "apply of the zones whose spec is left")
	after, err := os.ReadFile(filepath.Join(dir, "live", "example.org.zone"))
	if assert.NoError(t, err, "the zone of a removed spec was deleted") {
		assert.Equal(t, string(before), string(after), "the zone of a removed spec was changed")
	}
}

func TestDriftExitCodes(t *testing.T) {
	cfg := copyExamples(t)
	zonesync(t, "--config", cfg, "apply")
	code, _, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 0, code, "no drift")
	// Records under ignore rules are never drift.
	appendLive(t, cfg, "example.org", "_acme-challenge 60 IN TXT \"new-token\"\nlaptop.dyn 60 IN A 203.0.113.9\n")
	code, out, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 0, code, "ignored records counted as drift:\n%s", out)
	appendLive(t, cfg, "example.org", "rogue 60 IN A 203.0.113.10\n")
	code, out, _ = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode", "--format", "markdown")
	require.Equal(t, 2, code, "drift:\n%s", out)
	require.Contains(t, out, "-rogue", "drift")
	require.Regexp(t, `^<!-- zonesync-plan: `, out, "drift as markdown")
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(cfg), "live", "example.org.zone"), []byte("not a zone file"), 0o644))
	code, _, errOut := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 1, code, "unreadable live zone:\n%s", errOut)
	require.Contains(t, errOut, "example.org", "unreadable live zone")
}

func TestMarkdownMarkerNamesConfig(t *testing.T) {
	cfg := copyExamples(t)
	_, out, _ := zonesync(t, "--config", cfg, "plan", "--format", "markdown")
	first := strings.SplitN(out, "\n", 2)[0]
	assert.Equal(t, "<!-- zonesync-plan: "+filepath.ToSlash(cfg)+" -->", first, "first line")
	for _, want := range []string{"3 of 3 zones to change", "<details><summary><code>example.com</code>", "```diff", "SOA refresh"} {
		assert.Contains(t, out, want, "markdown")
	}
}

func TestImportAll(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	zonesync(t, "--config", cfg, "apply")
	zonesDir := filepath.Join(dir, "zones")
	require.NoError(t, os.RemoveAll(zonesDir))
	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--all")
	require.Equal(t, 0, code, "import --all:\n%s%s", out, errOut)
	require.Equal(t, 3, strings.Count(out, ".yaml\n"), "import --all: specs written:\n%s", out)
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 0, code, "imported zones do not plan as no change:\n%s%s", out, errOut)
	code, _, errOut = zonesync(t, "--config", cfg, "import", "--provider", "local", "--all")
	assert.Equal(t, 0, code, "second import --all:\n%s", errOut)
	assert.Equal(t, 3, strings.Count(errOut, "exists; left as it is"), "second import --all: specs left as they are:\n%s", errOut)
}

func TestSchemaValidatesExamples(t *testing.T) {
	c := jsonschema.NewCompiler()
	for _, which := range []string{"zone", "config"} {
		code, out, errOut := zonesync(t, "schema", which)
		require.Equal(t, 0, code, "schema %s: %s", which, errOut)
		var doc any
		require.NoError(t, json.Unmarshal([]byte(out), &doc), "schema %s is not JSON", which)
		require.NoError(t, c.AddResource(which+".json", doc))
	}
	zoneSchema, err := c.Compile("zone.json")
	require.NoError(t, err)
	configSchema, err := c.Compile("config.json")
	require.NoError(t, err)
	check := func(s *jsonschema.Schema, file string, wantValid bool) {
		t.Helper()
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		if wantValid {
			assert.True(t, strings.HasPrefix(string(data), "# yaml-language-server: $schema="), "%s lacks the yaml-language-server header", file)
		}
		var v any
		require.NoError(t, yaml.Unmarshal(data, &v))
		err = s.Validate(toJSON(v))
		if wantValid {
			assert.NoError(t, err, "%s: the schema refuses a valid spec", file)
		} else {
			assert.Error(t, err, "%s: the schema accepts an invalid spec", file)
		}
	}
	check(configSchema, "examples/zonesync.yaml", true)
	specs, err := filepath.Glob("examples/zones/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, specs, "example specs")
	for _, f := range specs {
		check(zoneSchema, f, true)
	}
	for _, f := range []string{"unknown-top-key", "unknown-record-key", "value-and-values", "failover-bad-check", "mode-invalid", "ttl-negative"} {
		check(zoneSchema, "spec/testdata/invalid/"+f+".test.yaml", false)
	}
}

// toJSON turns a YAML-decoded value into the types encoding/json would give.
func toJSON(v any) any {
	data, _ := json.Marshal(v)
	var out any
	json.Unmarshal(data, &out)
	return out
}

func TestFmt(t *testing.T) {
	cfg := copyExamples(t)
	code, out, _ := zonesync(t, "--config", cfg, "fmt", "--check")
	require.Equal(t, 0, code, "examples are not formatted:\n%s", out)
	require.Empty(t, out, "examples are not formatted")
	file := filepath.Join(filepath.Dir(cfg), "zones", "example.org.yaml")
	messy := "records:\n  www:\n    - {value: 198.51.100.10, type: a}\n  # the apex\n  \"@\":\n    - {type: MX, value: \"10 Mail.Example.ORG\"}\n    - {type: A, values: [198.51.100.10, 198.51.100.10]}\nprovider: local\nzone: example.org\n"
	require.NoError(t, os.WriteFile(file, []byte(messy), 0o644))
	code, out, errOut := zonesync(t, "--config", cfg, "fmt", "--check")
	require.Equal(t, 1, code, "fmt --check:\n%s%s", out, errOut)
	diffStart := "--- " + file + "\n+++ " + file + "\n@@ -1,9 +1,9 @@\n+zone: example.org\n"
	require.Equal(t, diffStart, out[:min(len(out), len(diffStart))], "the start of fmt --check's diff")
	require.Contains(t, errOut, "1 spec is not formatted")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, messy, string(data), "fmt --check changed the file")
	code, _, errOut = zonesync(t, "--config", cfg, "fmt")
	require.Equal(t, 0, code, "fmt: %s", errOut)
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	want := "zone: example.org\nprovider: local\nrecords:\n  # the apex\n  \"@\":\n    - {type: A, values: [198.51.100.10]}\n    - {type: MX, value: \"10 mail.example.org.\"}\n  www:\n    - {type: A, value: 198.51.100.10}\n"
	assert.Equal(t, want, string(got), "what fmt wrote")
	code, out, _ = zonesync(t, "--config", cfg, "fmt", "--check")
	assert.Equal(t, 0, code, "fmt is not idempotent:\n%s", out)
	assert.Empty(t, out, "fmt is not idempotent")
	_, err = spec.Format([]byte(want))
	assert.NoError(t, err)
}

func TestApplyJSONReport(t *testing.T) {
	cfg := copyExamples(t)
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rep struct {
		Zones []struct {
			Zone    string `json:"zone"`
			Results []struct {
				Seq        int      `json:"seq"`
				Status     string   `json:"status"`
				Error      string   `json:"error"`
				DurationMS *float64 `json:"duration_ms"`
			} `json:"results"`
		} `json:"zones"`
		Summary    struct{ OK, Failed, Skipped int } `json:"summary"`
		DurationMS *float64                          `json:"duration_ms"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "apply --format json is not one JSON document:\n%s", out)
	assert.NotZero(t, rep.Summary.OK, "operations ok")
	assert.Zero(t, rep.Summary.Failed, "operations failed")
	assert.NotNil(t, rep.DurationMS, "the report's duration_ms")
	assert.Len(t, rep.Zones, 3, "zones in the report")
	for _, z := range rep.Zones {
		for _, r := range z.Results {
			assert.Equal(t, "ok", r.Status, "zone %s op %d: %+v", z.Zone, r.Seq, r)
			assert.NotNil(t, r.DurationMS, "zone %s op %d: duration_ms", z.Zone, r.Seq)
		}
	}
}

func TestNoProgressWhenNotATerminal(t *testing.T) {
	cfg := copyExamples(t)
	code, _, errOut := zonesync(t, "--config", cfg, "apply")
	assert.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut, "apply to a non-terminal wrote to stderr")
}

func TestVerboseLogsReads(t *testing.T) {
	cfg := copyExamples(t)
	code, _, errOut := zonesync(t, "--config", cfg, "--verbose", "plan")
	assert.Equal(t, 0, code, "verbose plan:\n%s", errOut)
	assert.Contains(t, errOut, "zonesync: read zone example.org from provider local: 8 record sets", "verbose plan")
	_, _, errOut = zonesync(t, "--config", cfg, "plan")
	assert.Empty(t, errOut, "plan without --verbose wrote to stderr")
}

func TestSavedPlanRefusalsAreCheckedAfresh(t *testing.T) {
	cfg := copyExamples(t)
	var lines strings.Builder
	for i := 0; i < 20; i++ {
		lines.WriteString("stale" + string(rune('a'+i)) + " 300 IN A 203.0.113.1\n")
	}
	appendLive(t, cfg, "example.org", lines.String())
	planFile := filepath.Join(filepath.Dir(cfg), "plan.json")
	zonesync(t, "--config", cfg, "plan", "-out", planFile)
	var doc map[string]any
	data, err := os.ReadFile(planFile)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &doc))
	require.NotNil(t, doc["refusals"], "the saved plan records no refusal")
	// Strip every refusal from the file: apply must find them again.
	delete(doc, "refusals")
	for _, z := range doc["zones"].([]any) {
		delete(z.(map[string]any), "refusals")
	}
	edited, err := json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(planFile, edited, 0o644))
	code, _, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 1, code, "apply of a plan whose refusals were removed:\n%s", errOut)
	require.Contains(t, errOut, "refused: example.org: the plan would delete 20 of 24", "apply of a plan whose refusals were removed")
	// A zone without refusals can still be applied from the same file.
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--zone", "example.com", planFile)
	require.Equal(t, 0, code, "apply --zone of a zone without refusals:\n%s%s", out, errOut)
}
