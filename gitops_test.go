package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/zonesync/zonesync/spec"
	"gopkg.in/yaml.v3"
)

// appendLive adds lines to a live zone file of a copied example project.
func appendLive(t *testing.T, cfg, zone, lines string) {
	t.Helper()
	path := filepath.Join(filepath.Dir(cfg), "live", zone+".zone")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(data, lines...), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSavedPlanAppliesExactlyWhatWasPlanned(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	zonesync(t, "--config", cfg, "plan", "--zone", "example.org", "-out", planFile)
	// A zone outside the saved plan changes nothing when the plan is applied.
	code, out, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "zone example.org") || strings.Contains(out, "zone example.com") {
		t.Errorf("apply of a one-zone plan touched other zones:\n%s", out)
	}
	if code, _, _ := zonesync(t, "--config", cfg, "plan", "--zone", "example.com", "--detailed-exitcode"); code != 2 {
		t.Errorf("example.com was changed by a plan that did not cover it")
	}
}

func TestSavedPlanRefusedWhenSpecChanged(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	zonesync(t, "--config", cfg, "plan", "-out", planFile)
	specFile := filepath.Join(dir, "zones", "example.org.yaml")
	data, _ := os.ReadFile(specFile)
	os.WriteFile(specFile, []byte(strings.Replace(string(data), "198.51.100.25", "198.51.100.26", 1)), 0o644)
	code, _, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	if code != 1 || !strings.Contains(errOut, "zone example.org: its spec changed since the plan was made") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
}

func TestEditedOrCorruptPlanRefused(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	zonesync(t, "--config", cfg, "plan", "-out", planFile)
	data, _ := os.ReadFile(planFile)
	for _, tc := range []struct{ name, content, want string }{
		{"edited value", strings.Replace(string(data), "198.51.100.10", "203.0.113.66", 1), "operation 2 of the plan file is not what the specs and live state give; was the file edited?"},
		{"truncated", string(data[:len(data)/3]), "not a valid zonesync plan file: the file is empty or truncated"},
		{"garbage", "<html>", "not a valid zonesync plan file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(planFile, []byte(tc.content), 0o644)
			code, _, errOut := zonesync(t, "--config", cfg, "apply", planFile)
			if code != 1 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant it to contain %q", code, errOut, tc.want)
			}
		})
	}
	if code, _, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 2 {
		t.Error("a refused plan changed live zones")
	}
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
	if code != 1 || !strings.Contains(out, "refused: example.org: the plan would delete 20 of 24 record sets (83%), above safety.max_delete_percent 50%") ||
		!strings.Contains(out, "-staler") || !strings.Contains(errOut, "the safety checks refuse this plan") {
		t.Fatalf("plan: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 1 {
		t.Fatalf("plan --detailed-exitcode of a refused plan: exit %d, want 1", code)
	}
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--force", "--detailed-exitcode")
	if code != 2 || !strings.Contains(out, "refused, forced with --force: example.org: the plan would delete 20 of 24") {
		t.Fatalf("plan --force: exit %d, want 2\n%s%s", code, out, errOut)
	}
	code, _, errOut = zonesync(t, "--config", cfg, "apply")
	if code != 1 || !strings.Contains(errOut, "refused: example.org: the plan would delete 20 of 24") || !strings.Contains(errOut, "--force") {
		t.Fatalf("apply without --force: exit %d\n%s", code, errOut)
	}
	if code, _, _ := zonesync(t, "--config", cfg, "plan", "--zone", "example.com", "--detailed-exitcode"); code != 2 {
		t.Fatal("a refused apply changed another zone")
	}
	if code, out, errOut := zonesync(t, "--config", cfg, "apply", "--force"); code != 0 {
		t.Fatalf("apply --force: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 0 {
		t.Fatal("forced apply left changes")
	}
}

func TestEmptyLiveZoneRefused(t *testing.T) {
	cfg := copyExamples(t)
	live := filepath.Join(filepath.Dir(cfg), "live", "example.com.zone")
	os.WriteFile(live, []byte("@ 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n"), 0o644)
	code, _, errOut := zonesync(t, "--config", cfg, "apply")
	if code != 1 || !strings.Contains(errOut, "example.com: the provider returned no records for an existing zone while the spec has") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
}

func TestMissingSpecNeverDeletesAZone(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	os.Remove(filepath.Join(dir, "zones", "example.org.yaml"))
	before, _ := os.ReadFile(filepath.Join(dir, "live", "example.org.zone"))
	code, out, errOut := zonesync(t, "--config", cfg, "apply")
	if code != 0 || strings.Contains(out, "example.org") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	after, err := os.ReadFile(filepath.Join(dir, "live", "example.org.zone"))
	if err != nil || string(after) != string(before) {
		t.Error("the zone of a removed spec was changed or deleted")
	}
}

func TestDriftExitCodes(t *testing.T) {
	cfg := copyExamples(t)
	zonesync(t, "--config", cfg, "apply")
	if code, _, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 0 {
		t.Fatalf("no drift: exit %d, want 0", code)
	}
	// Records under ignore rules are never drift.
	appendLive(t, cfg, "example.org", "_acme-challenge 60 IN TXT \"new-token\"\nlaptop.dyn 60 IN A 203.0.113.9\n")
	if code, out, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 0 {
		t.Fatalf("ignored records counted as drift: exit %d\n%s", code, out)
	}
	appendLive(t, cfg, "example.org", "rogue 60 IN A 203.0.113.10\n")
	code, out, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode", "--format", "markdown")
	if code != 2 || !strings.Contains(out, "-rogue") || !strings.HasPrefix(out, "<!-- zonesync-plan: ") {
		t.Fatalf("drift: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(filepath.Dir(cfg), "live", "example.org.zone"), []byte("not a zone file"), 0o644)
	if code, _, errOut := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 1 || !strings.Contains(errOut, "example.org") {
		t.Fatalf("unreadable live zone: exit %d, want 1\n%s", code, errOut)
	}
}

func TestMarkdownMarkerNamesConfig(t *testing.T) {
	cfg := copyExamples(t)
	_, out, _ := zonesync(t, "--config", cfg, "plan", "--format", "markdown")
	first := strings.SplitN(out, "\n", 2)[0]
	if first != "<!-- zonesync-plan: "+filepath.ToSlash(cfg)+" -->" {
		t.Errorf("first line %q", first)
	}
	for _, want := range []string{"3 of 3 zones to change", "<details><summary><code>example.com</code>", "```diff", "SOA refresh"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestImportAll(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	zonesync(t, "--config", cfg, "apply")
	zonesDir := filepath.Join(dir, "zones")
	os.RemoveAll(zonesDir)
	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--all")
	if code != 0 || strings.Count(out, ".yaml\n") != 3 {
		t.Fatalf("import --all: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 0 {
		t.Fatalf("imported zones do not plan as no change: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = zonesync(t, "--config", cfg, "import", "--provider", "local", "--all")
	if code != 0 || strings.Count(errOut, "exists; left as it is") != 3 {
		t.Errorf("second import --all: exit %d\n%s", code, errOut)
	}
}

func TestSchemaValidatesExamples(t *testing.T) {
	c := jsonschema.NewCompiler()
	for _, which := range []string{"zone", "config"} {
		code, out, _ := zonesync(t, "schema", which)
		if code != 0 {
			t.Fatalf("schema %s: exit %d", which, code)
		}
		var doc any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("schema %s is not JSON: %v", which, err)
		}
		if err := c.AddResource(which+".json", doc); err != nil {
			t.Fatal(err)
		}
	}
	zoneSchema, err := c.Compile("zone.json")
	if err != nil {
		t.Fatal(err)
	}
	configSchema, err := c.Compile("config.json")
	if err != nil {
		t.Fatal(err)
	}
	check := func(s *jsonschema.Schema, file string, wantValid bool) {
		t.Helper()
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "# yaml-language-server: $schema=") && wantValid {
			t.Errorf("%s lacks the yaml-language-server header", file)
		}
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		err = s.Validate(toJSON(v))
		if (err == nil) != wantValid {
			t.Errorf("%s: schema says %v, want valid=%v", file, err, wantValid)
		}
	}
	check(configSchema, "examples/zonesync.yaml", true)
	specs, _ := filepath.Glob("examples/zones/*.yaml")
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
	if code, out, _ := zonesync(t, "--config", cfg, "fmt", "--check"); code != 0 || out != "" {
		t.Fatalf("examples are not formatted: exit %d\n%s", code, out)
	}
	file := filepath.Join(filepath.Dir(cfg), "zones", "example.org.yaml")
	messy := "records:\n  www:\n    - {value: 198.51.100.10, type: a}\n  # the apex\n  \"@\":\n    - {type: MX, value: \"10 Mail.Example.ORG\"}\n    - {type: A, values: [198.51.100.10, 198.51.100.10]}\nprovider: local\nzone: example.org\n"
	os.WriteFile(file, []byte(messy), 0o644)
	code, out, errOut := zonesync(t, "--config", cfg, "fmt", "--check")
	if code != 1 || !strings.HasPrefix(out, "--- "+file+"\n+++ "+file+"\n@@ -1,9 +1,9 @@\n+zone: example.org\n") || !strings.Contains(errOut, "1 spec is not formatted") {
		t.Fatalf("fmt --check: exit %d\n%s%s", code, out, errOut)
	}
	if data, _ := os.ReadFile(file); string(data) != messy {
		t.Fatal("fmt --check changed the file")
	}
	if code, _, errOut := zonesync(t, "--config", cfg, "fmt"); code != 0 {
		t.Fatalf("fmt: exit %d %s", code, errOut)
	}
	got, _ := os.ReadFile(file)
	want := "zone: example.org\nprovider: local\nrecords:\n  # the apex\n  \"@\":\n    - {type: A, values: [198.51.100.10]}\n    - {type: MX, value: \"10 mail.example.org.\"}\n  www:\n    - {type: A, value: 198.51.100.10}\n"
	if string(got) != want {
		t.Errorf("fmt wrote:\n%s\nwant:\n%s", got, want)
	}
	if code, out, _ := zonesync(t, "--config", cfg, "fmt", "--check"); code != 0 || out != "" {
		t.Errorf("fmt is not idempotent: %s", out)
	}
	if _, err := spec.Format([]byte(want)); err != nil {
		t.Error(err)
	}
}

func TestApplyJSONReport(t *testing.T) {
	cfg := copyExamples(t)
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
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
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("apply --format json is not one JSON document: %v\n%s", err, out)
	}
	if rep.Summary.OK == 0 || rep.Summary.Failed != 0 || rep.DurationMS == nil || len(rep.Zones) != 3 {
		t.Errorf("report %+v", rep)
	}
	for _, z := range rep.Zones {
		for _, r := range z.Results {
			if r.Status != "ok" || r.DurationMS == nil {
				t.Errorf("zone %s op %d: %+v", z.Zone, r.Seq, r)
			}
		}
	}
}

func TestNoProgressWhenNotATerminal(t *testing.T) {
	cfg := copyExamples(t)
	code, _, errOut := zonesync(t, "--config", cfg, "apply")
	if code != 0 || errOut != "" {
		t.Errorf("apply to a non-terminal wrote to stderr: %q", errOut)
	}
}

func TestVerboseLogsReads(t *testing.T) {
	cfg := copyExamples(t)
	code, _, errOut := zonesync(t, "--config", cfg, "--verbose", "plan")
	if code != 0 || !strings.Contains(errOut, "zonesync: read zone example.org from provider local: 8 record sets") {
		t.Errorf("verbose plan: exit %d, stderr:\n%s", code, errOut)
	}
	if _, _, errOut := zonesync(t, "--config", cfg, "plan"); errOut != "" {
		t.Errorf("plan without --verbose wrote to stderr: %q", errOut)
	}
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
	data, _ := os.ReadFile(planFile)
	json.Unmarshal(data, &doc)
	if doc["refusals"] == nil {
		t.Fatal("the saved plan records no refusal")
	}
	// Strip every refusal from the file: apply must find them again.
	delete(doc, "refusals")
	for _, z := range doc["zones"].([]any) {
		delete(z.(map[string]any), "refusals")
	}
	edited, _ := json.MarshalIndent(doc, "", "  ")
	os.WriteFile(planFile, edited, 0o644)
	code, _, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	if code != 1 || !strings.Contains(errOut, "refused: example.org: the plan would delete 20 of 24") {
		t.Fatalf("apply of a plan whose refusals were removed: exit %d\n%s", code, errOut)
	}
	// A zone without refusals can still be applied from the same file.
	if code, out, errOut := zonesync(t, "--config", cfg, "apply", "--zone", "example.com", planFile); code != 0 {
		t.Fatalf("apply --zone of a zone without refusals: exit %d\n%s%s", code, out, errOut)
	}
}
