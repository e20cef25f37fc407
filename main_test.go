package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dst, "zonesync.yaml")
}

func TestExamplesPlanApplyPlan(t *testing.T) {
	cfg := copyExamples(t)
	if code, out, errOut := zonesync(t, "--config", cfg, "validate"); code != 0 || !strings.Contains(out, "3 zone specs valid") {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	if code != 2 {
		t.Fatalf("first plan: exit %d, want 2 (changes)\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"--- example.com (live)", "+@                  300 IN A     192.0.2.11", "-old               3600 IN A     192.0.2.99"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q", want)
		}
	}
	if code, out, errOut := zonesync(t, "--config", cfg, "apply"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode"); code != 0 || !strings.Contains(out, "No changes") {
		t.Fatalf("plan after apply: exit %d, want 0\n%s", code, out)
	}
	if code, out, _ := zonesync(t, "--config", cfg, "apply"); code != 0 || !strings.Contains(out, "Nothing to do") {
		t.Fatalf("second apply: exit %d\n%s", code, out)
	}
}

func TestPlanJSONSchema(t *testing.T) {
	cfg := copyExamples(t)
	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Exactly the documented fields: an unknown one fails the decode.
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var p plan.Plan
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.FormatVersion != 1 || len(p.Zones) != 3 {
		t.Fatalf("format_version %d, %d zones", p.FormatVersion, len(p.Zones))
	}
	var counted plan.Summary
	for _, z := range p.Zones {
		if !strings.HasPrefix(z.LiveDigest, "sha256:") || !strings.HasPrefix(z.SpecDigest, "sha256:") || z.Provider != "local" {
			t.Errorf("zone %s: provider %q, live_digest %q, spec_digest %q", z.Zone, z.Provider, z.LiveDigest, z.SpecDigest)
		}
		if len(z.Operations) > 0 {
			counted.ZonesChanged++
		}
		for i, op := range z.Operations {
			if op.Seq != i+1 {
				t.Errorf("zone %s op %d has seq %d", z.Zone, i, op.Seq)
			}
			record := op.Action == plan.Create || op.Action == plan.Update || op.Action == plan.Delete
			if record && (op.Name == "" || op.Type == "") {
				t.Errorf("zone %s op %d %s has no name or type", z.Zone, op.Seq, op.Action)
			}
			switch op.Action {
			case plan.Create:
				counted.Create++
				if op.Before != nil || op.After == nil || op.After.TTL == nil || len(op.After.Values) == 0 {
					t.Errorf("create %s %s: before %+v after %+v", op.Name, op.Type, op.Before, op.After)
				}
			case plan.Update:
				counted.Update++
				if op.Before == nil || op.After == nil || op.Before.TTL == nil || op.After.TTL == nil || len(op.After.Values) == 0 {
					t.Errorf("update %s %s: before %+v after %+v", op.Name, op.Type, op.Before, op.After)
				}
			case plan.Delete:
				counted.Delete++
				if op.After != nil || op.Before == nil || len(op.Before.Values) == 0 {
					t.Errorf("delete %s %s: before %+v after %+v", op.Name, op.Type, op.Before, op.After)
				}
			case plan.UpdateSOA:
				counted.Update++
				if op.After == nil || op.After.SOA == nil {
					t.Errorf("update_soa without the SOA after it: %+v", op)
				}
			default:
				t.Errorf("unexpected action %s in the examples' plan", op.Action)
			}
		}
	}
	if p.Summary != counted || counted.Create != 13 || counted.Update != 5 || counted.Delete != 4 {
		t.Errorf("summary %+v, counted from the operations %+v (want 13 creates, 5 updates, 4 deletes)", p.Summary, counted)
	}
}

func TestValidateRejectsWithPosition(t *testing.T) {
	cfg := copyExamples(t)
	bad := filepath.Join(filepath.Dir(cfg), "zones", "example.org.yaml")
	data, _ := os.ReadFile(bad)
	os.WriteFile(bad, bytes.Replace(data, []byte("records:"), []byte("recrods:"), 1), 0o644)
	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	want := bad + `:11:1: unknown key "recrods" (did you mean "records"?)` + "\n"
	if errOut != want {
		t.Errorf("stderr %q\nwant    %q", errOut, want)
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"--config", "/nonexistent/zonesync.yaml", "plan"},
		{"plan", "--format", "yaml"},
		{"--config", "/nonexistent/zonesync.yaml", "apply", "/nonexistent/plan.json"},
	} {
		code, _, errOut := zonesync(t, args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "zonesync: ") || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: stderr %q, want one line", args, errOut)
		}
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	cfg := copyExamples(t)
	t.Setenv("ZONESYNC_CONFIG", cfg)
	if code, out, errOut := zonesync(t, "validate"); code != 0 {
		t.Fatalf("validate with ZONESYNC_CONFIG: exit %d %s%s", code, out, errOut)
	}
}

func TestImportPlansAsNoChange(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "example.com")
	if code != 0 {
		t.Fatalf("import: exit %d %s", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, "zones", "example.com.yaml"), []byte(out), 0o644)
	if code, out, errOut := zonesync(t, "--config", cfg, "plan", "--zone", "example.com", "--detailed-exitcode"); code != 0 {
		t.Fatalf("plan of an imported zone: exit %d\n%s%s", code, out, errOut)
	}
}

func TestSavedPlanRefusedWhenStale(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	if code, _, errOut := zonesync(t, "--config", cfg, "plan", "-out", planFile); code != 0 {
		t.Fatalf("plan -out: %s", errOut)
	}
	live := filepath.Join(dir, "live", "example.org.zone")
	data, _ := os.ReadFile(live)
	os.WriteFile(live, append(data, []byte("intruder 60 IN A 203.0.113.66\n")...), 0o644)
	code, _, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	if code != 1 || errOut != "zonesync: live state of zone example.org at provider local changed since the plan was made: make a new plan\n" {
		t.Fatalf("apply of a stale plan: exit %d\n%s", code, errOut)
	}
	os.WriteFile(live, data, 0o644)
	if code, out, errOut := zonesync(t, "--config", cfg, "apply", planFile); code != 0 {
		t.Fatalf("apply of the saved plan once live is back: exit %d\n%s%s", code, out, errOut)
	}
}

func TestUsageErrorsStayOffStdout(t *testing.T) {
	for _, args := range [][]string{
		{"plan", "--format", "json", "--bogus"},
		{"--bogus", "plan"},
		{"import"},
		{"import", "--zone", "example.com"},
	} {
		code, out, errOut := zonesync(t, args...)
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1, nothing on stdout, one line on stderr", args, code, out, errOut)
		}
	}
}
