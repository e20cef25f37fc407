package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// asCLI makes the test binary run as zonesync, for the shell completion
// tests: the shells call `zonesync __complete ...`.
const asCLI = "ZONESYNC_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		os.Exit(run(context.Background(), os.Args, standardStreams()))
	}
	os.Exit(m.Run())
}

// zonesyncAt runs the command with stdin as a terminal that answers input.
func zonesyncAt(t *testing.T, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"zonesync"}, args...),
		streams{stdin: strings.NewReader(input), stdout: &out, stderr: &errOut, interactive: true})
	return code, out.String(), errOut.String()
}

// planZones is the zones of a JSON plan.
func planZones(t *testing.T, out string) []string {
	t.Helper()
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p), out)
	var zones []string
	for _, z := range p.Zones {
		zones = append(zones, z.Zone)
	}
	return zones
}

func TestGlobalFlagsBeforeAndAfterTheCommand(t *testing.T) {
	cfg := copyExamples(t)
	for _, tc := range []struct {
		name string
		args []string
		out  string
	}{
		{"config before", []string{"--config", cfg, "validate"}, "3 zone specs valid"},
		{"config after", []string{"validate", "--config", cfg}, "3 zone specs valid"},
		{"config=FILE after", []string{"validate", "--config=" + cfg}, "3 zone specs valid"},
		{"quiet before", []string{"-q", "--config", cfg, "validate"}, ""},
		{"quiet after", []string{"validate", "--config", cfg, "-q"}, ""},
		{"quiet long after", []string{"validate", "--quiet", "--config", cfg}, ""},
		{"the command's config wins", []string{"--config", "/nonexistent/zonesync.yaml", "validate", "--config", cfg}, "3 zone specs valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := zonesync(t, tc.args...)
			require.Equal(t, 0, code, errOut)
			if tc.out == "" {
				assert.Empty(t, out)
			} else {
				assert.Contains(t, out, tc.out)
			}
		})
	}
	t.Run("verbose after", func(t *testing.T) {
		code, _, errOut := zonesync(t, "plan", "--config", cfg, "--zone", "example.com", "-v")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, errOut, "zonesync: read zone example.com from provider local: ")
		_, _, errOut = zonesync(t, "plan", "--config", cfg, "--zone", "example.com")
		assert.Empty(t, errOut)
	})
	t.Run("plan -q after the command", func(t *testing.T) {
		code, out, errOut := zonesync(t, "plan", "--config", cfg, "-q")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "--- example.com (live)")
	})
	t.Run("a flag after the command wins over ZONESYNC_CONFIG", func(t *testing.T) {
		t.Setenv("ZONESYNC_CONFIG", "/nonexistent/zonesync.yaml")
		code, _, errOut := zonesync(t, "validate", "--config", cfg)
		require.Equal(t, 0, code, errOut)
		code, _, errOut = zonesync(t, "validate")
		require.Equal(t, 1, code)
		assert.Contains(t, errOut, "/nonexistent/zonesync.yaml")
	})
}

func TestFlagsAfterArguments(t *testing.T) {
	cfg := copyExamples(t)
	planFile := filepath.Join(filepath.Dir(cfg), "plan.json")
	code, _, errOut := zonesync(t, "plan", "-out", planFile, "--config", cfg)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := zonesync(t, "apply", planFile, "--config", cfg, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.True(t, json.Valid([]byte(out)), "apply FILE --format json printed %q", out)

	spec := filepath.Join(filepath.Dir(cfg), "zones", "example.com.yaml")
	code, out, _ = zonesync(t, "fmt", spec, "--check")
	assert.Equal(t, 0, code, "fmt FILE --check on a formatted file")
	assert.Empty(t, out)

	// After "--" everything is a file, even what looks like a flag.
	code, _, errOut = zonesync(t, "fmt", "--check", "--", "--config")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "open --config: no such file or directory")
}

func TestReorderArgs(t *testing.T) {
	app := newApp(&env{})
	for _, tc := range []struct{ in, want string }{
		{"zonesync plan", "zonesync plan"},
		{"zonesync --config c.yaml plan -q", "zonesync --config c.yaml plan -q"},
		{"zonesync apply plan.json --auto-approve", "zonesync apply --auto-approve plan.json"},
		{"zonesync apply plan.json --zone a.com --config c.yaml", "zonesync apply --zone a.com --config c.yaml plan.json"},
		{"zonesync fmt a.yaml --check b.yaml", "zonesync fmt --check a.yaml b.yaml"},
		{"zonesync fmt a.yaml -- --check", "zonesync fmt -- a.yaml --check"},
		{"zonesync plan -out --odd-name.json", "zonesync plan -out --odd-name.json"},
		{"zonesync unknown x --y", "zonesync unknown x --y"},
		{"zonesync __complete plan --zo", "zonesync __complete plan --zo"},
	} {
		got := strings.Join(reorderArgs(app, strings.Fields(tc.in)), " ")
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestZoneSelection(t *testing.T) {
	cfg := copyExamples(t)
	for _, tc := range []struct {
		name  string
		zones []string
		want  []string
	}{
		{"one", []string{"example.com"}, []string{"example.com"}},
		{"repeated", []string{"example.com", "example.org"}, []string{"example.com", "example.org"}},
		{"comma list", []string{"example.org,2.0.192.in-addr.arpa"}, []string{"2.0.192.in-addr.arpa", "example.org"}},
		{"glob", []string{"example.*"}, []string{"example.com", "example.org"}},
		{"glob and name, any case, trailing dot", []string{"*.ARPA.", "Example.COM"}, []string{"2.0.192.in-addr.arpa", "example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--config", cfg, "plan", "--format", "json"}
			for _, z := range tc.zones {
				args = append(args, "--zone", z)
			}
			code, out, errOut := zonesync(t, args...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, tc.want, planZones(t, out))
		})
	}
	t.Run("a pattern that matches nothing is named", func(t *testing.T) {
		code, out, errOut := zonesync(t, "--config", cfg, "plan", "--zone", "example.com", "--zone", "shop-*.com")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Equal(t, "zonesync: no zone spec matches shop-*.com; the specs declare 2.0.192.in-addr.arpa, example.com, example.org\n", errOut)
	})
	t.Run("a broken glob", func(t *testing.T) {
		code, _, errOut := zonesync(t, "--config", cfg, "plan", "--zone", "[example.com")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "--zone [example.com is not a zone name or glob")
	})
	t.Run("apply applies only the selected zones", func(t *testing.T) {
		code, _, errOut := zonesync(t, "--config", cfg, "apply", "--zone", "example.org", "--zone", "*.arpa")
		require.Equal(t, 0, code, errOut)
		code, out, errOut := zonesync(t, "--config", cfg, "plan", "--format", "json")
		require.Equal(t, 0, code, errOut)
		var p plan.Plan
		require.NoError(t, json.Unmarshal([]byte(out), &p))
		for _, z := range p.Zones {
			assert.Equal(t, z.Zone == "example.com", len(z.Operations) > 0, "zone %s has %d operations left", z.Zone, len(z.Operations))
		}
	})
	t.Run("a saved plan, applied for some of its zones", func(t *testing.T) {
		cfg := copyExamples(t)
		planFile := filepath.Join(filepath.Dir(cfg), "plan.json")
		code, _, errOut := zonesync(t, "--config", cfg, "plan", "-out", planFile)
		require.Equal(t, 0, code, errOut)
		code, out, errOut := zonesync(t, "--config", cfg, "apply", planFile, "--zone", "example.org,example.com", "--format", "json")
		require.Equal(t, 0, code, errOut)
		var rep struct{ Zones []struct{ Zone string } }
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		require.Len(t, rep.Zones, 2)
		assert.Equal(t, "example.com", rep.Zones[0].Zone)
		assert.Equal(t, "example.org", rep.Zones[1].Zone)
	})
}

func TestVersion(t *testing.T) {
	code, out, errOut := zonesync(t, "version")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `^zonesync \S+\ncommit: .+\ngo:     `+runtime.Version()+` `+runtime.GOOS+"/"+runtime.GOARCH+"\n$", out)
	code, flagOut, _ := zonesync(t, "--version")
	assert.Equal(t, 0, code)
	assert.Equal(t, out, flagOut)

	// A release build stamps its version and commit (.ci/release-build).
	defer func(v, c string) { version, commit = v, c }(version, commit)
	version, commit = "v1.2.3", "0123456789abcdef0123456789abcdef01234567"
	_, out, _ = zonesync(t, "version")
	assert.Equal(t, "zonesync v1.2.3\ncommit: 0123456789abcdef0123456789abcdef01234567\ngo:     "+
		readBuildInfo().goVersion+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n", out)
}

func TestBuildInfoString(t *testing.T) {
	for _, tc := range []struct {
		b    buildInfo
		want string
	}{
		{buildInfo{version: "v1.0.0", goVersion: "go1.26.0", platform: "linux/amd64"},
			"zonesync v1.0.0\ncommit: unknown (this build did not record it)\ngo:     go1.26.0 linux/amd64\n"},
		{buildInfo{version: "v1.0.1-0.20260102030405-0123456789ab", commit: "0123456789ab", time: "2026-01-02T03:04:05Z", modified: true, goVersion: "go1.26.0", platform: "darwin/arm64"},
			"zonesync v1.0.1-0.20260102030405-0123456789ab\ncommit: 0123456789ab (2026-01-02T03:04:05Z) with uncommitted changes\ngo:     go1.26.0 darwin/arm64\n"},
	} {
		assert.Equal(t, tc.want, tc.b.String())
	}
}

// commandNamesForHelp are the commands with a help page of their own.
func commandNamesForHelp(t *testing.T) []string {
	t.Helper()
	return commandNames(newApp(&env{}))
}

func TestHelpPages(t *testing.T) {
	pages := map[string][]string{"zonesync": {"--help"}}
	for _, name := range commandNamesForHelp(t) {
		if name != "help" {
			pages[name] = []string{name, "--help"}
		}
	}
	for name, args := range pages {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := zonesync(t, args...)
			require.Equal(t, 0, code, errOut)
			require.Empty(t, errOut)
			golden(t, filepath.Join("testdata", "help", name+".txt"), out)
			if name == "zonesync" {
				return
			}
			assert.Contains(t, out, "\nEXAMPLES:\n")
			assert.Contains(t, out, "\nEXIT CODES:\n   0  ")
			assert.Contains(t, out, "\nGLOBAL OPTIONS:\n   --config FILE")
			// `zonesync help CMD` is the same page.
			code, helpOut, _ := zonesync(t, "help", name)
			assert.Equal(t, 0, code)
			assert.Equal(t, out, helpOut)
		})
	}
}

// golden compares text with a golden file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write the golden file")
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-golden +got; go test -update rewrites it):\n%s", path, diff)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, out, errOut := zonesync(t, "pln")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, `zonesync: "pln" is not a zonesync command (did you mean plan?); the commands are validate, plan, apply, verify, import, fmt, schema, version, completion, help`+"\n", errOut)
}

func TestConfigDiscovery(t *testing.T) {
	cfg := copyExamples(t)
	root := filepath.Dir(cfg)
	deep := filepath.Join(root, "zones", "sub", "dir")
	require.NoError(t, os.MkdirAll(deep, 0o755))

	t.Run("from the zones directory", func(t *testing.T) {
		t.Chdir(filepath.Join(root, "zones"))
		code, out, errOut := zonesync(t, "validate")
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, "3 zone specs valid ("+filepath.Join("..", "zones")+")\n", out)
	})
	t.Run("from deeper down, paths inside the config stay relative to it", func(t *testing.T) {
		t.Chdir(deep)
		code, out, errOut := zonesync(t, "plan", "--zone", "example.com", "--detailed-exitcode")
		require.Equal(t, 2, code, errOut)
		assert.Contains(t, out, "--- example.com (live)")
		code, _, errOut = zonesync(t, "-v", "validate")
		require.Equal(t, 0, code)
		assert.Equal(t, "zonesync: using config "+filepath.Join("..", "..", "..", "zonesync.yaml")+"\n", errOut)
	})
	t.Run("errors name files as seen from where zonesync runs", func(t *testing.T) {
		cfg := copyExamples(t)
		root := filepath.Dir(cfg)
		bad := filepath.Join(root, "zones", "example.org.yaml")
		data, err := os.ReadFile(bad)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(bad, bytes.Replace(data, []byte("records:"), []byte("recrods:"), 1), 0o644))
		t.Chdir(filepath.Join(root, "zones"))
		code, _, errOut := zonesync(t, "validate")
		assert.Equal(t, 1, code)
		assert.Equal(t, filepath.Join("..", "zones", "example.org.yaml")+`:11:1: unknown key "recrods" (did you mean "records"?)`+"\n", errOut)
	})
	t.Run("ZONESYNC_CONFIG and --config win", func(t *testing.T) {
		other := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(other, "zonesync.yaml"), []byte("providers: {}\n"), 0o644))
		t.Chdir(other)
		t.Setenv("ZONESYNC_CONFIG", cfg)
		code, out, errOut := zonesync(t, "validate")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "3 zone specs valid")
		t.Setenv("ZONESYNC_CONFIG", "")
		code, out, errOut = zonesync(t, "validate", "--config", cfg)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "3 zone specs valid")
	})
	t.Run("none anywhere", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		code, out, errOut := zonesync(t, "plan")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Equal(t, "zonesync: no zonesync.yaml in "+dir+" or any parent directory; run zonesync inside your DNS repository, or name the config with --config FILE or $ZONESYNC_CONFIG\n", errOut)
	})
}

func TestApplyAsksAtATerminal(t *testing.T) {
	liveFile := func(cfg string) string {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "live", "example.com.zone"))
		require.NoError(t, err)
		return string(data)
	}
	t.Run("no", func(t *testing.T) {
		cfg := copyExamples(t)
		before := liveFile(cfg)
		code, out, errOut := zonesyncAt(t, "no\n", "--config", cfg, "apply", "--zone", "example.com")
		assert.Equal(t, 1, code)
		assert.Contains(t, out, "--- example.com (live)", "the plan is shown before the question")
		assert.Contains(t, errOut, "Only 'yes' will be accepted")
		assert.Contains(t, errOut, "zonesync: apply cancelled; nothing was changed\n")
		assert.Equal(t, before, liveFile(cfg))
	})
	t.Run("no answer at all", func(t *testing.T) {
		cfg := copyExamples(t)
		before := liveFile(cfg)
		code, _, errOut := zonesyncAt(t, "", "--config", cfg, "apply")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "apply cancelled")
		assert.Equal(t, before, liveFile(cfg))
	})
	t.Run("yes", func(t *testing.T) {
		cfg := copyExamples(t)
		before := liveFile(cfg)
		code, out, errOut := zonesyncAt(t, "yes\n", "--config", cfg, "apply", "--zone", "example.com")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, errOut, "zonesync will change 1 zone: ")
		assert.Contains(t, out, "ok")
		assert.NotEqual(t, before, liveFile(cfg))
	})
	t.Run("quiet still shows the plan before asking", func(t *testing.T) {
		cfg := copyExamples(t)
		code, out, errOut := zonesyncAt(t, "no\n", "--config", cfg, "apply", "-q")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "--- example.com (live)")
	})
	t.Run("stdout is not the terminal: the plan is shown with the question too", func(t *testing.T) {
		cfg := copyExamples(t)
		code, out, errOut := zonesyncAt(t, "no\n", "--config", cfg, "apply")
		assert.Equal(t, 1, code)
		assert.Contains(t, out, "--- example.com (live)")
		before, _, ok := strings.Cut(errOut, "Apply these changes? ")
		require.True(t, ok)
		assert.Contains(t, before, "--- example.com (live)")
	})
	t.Run("json: the plan and the question on stderr, the report alone on stdout", func(t *testing.T) {
		cfg := copyExamples(t)
		code, out, errOut := zonesyncAt(t, "yes\n", "--config", cfg, "apply", "--format", "json")
		require.Equal(t, 0, code, errOut)
		assert.True(t, json.Valid([]byte(out)), out)
		assert.Contains(t, errOut, "--- example.com (live)")
		assert.Contains(t, errOut, "Apply these changes? ")
	})
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, cfg string) (int, string, string)
	}{
		{"--auto-approve", func(t *testing.T, cfg string) (int, string, string) {
			return zonesyncAt(t, "no\n", "--config", cfg, "apply", "--auto-approve")
		}},
		{"stdin is not a terminal (CI)", func(t *testing.T, cfg string) (int, string, string) {
			return zonesync(t, "--config", cfg, "apply")
		}},
		{"a saved plan was reviewed already", func(t *testing.T, cfg string) (int, string, string) {
			planFile := filepath.Join(filepath.Dir(cfg), "plan.json")
			code, _, errOut := zonesync(t, "--config", cfg, "plan", "-out", planFile)
			require.Equal(t, 0, code, errOut)
			return zonesyncAt(t, "no\n", "--config", cfg, "apply", planFile)
		}},
	} {
		t.Run("no question: "+tc.name, func(t *testing.T) {
			cfg := copyExamples(t)
			before := liveFile(cfg)
			code, _, errOut := tc.run(t, cfg)
			require.Equal(t, 0, code, errOut)
			assert.NotContains(t, errOut, "Apply these changes?")
			assert.NotEqual(t, before, liveFile(cfg))
		})
	}
	t.Run("nothing to do: no question", func(t *testing.T) {
		cfg := copyExamples(t)
		code, _, errOut := zonesync(t, "--config", cfg, "apply")
		require.Equal(t, 0, code, errOut)
		code, out, errOut := zonesyncAt(t, "", "--config", cfg, "apply")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Nothing to do")
		assert.Empty(t, errOut)
	})
}

func TestPipesAndDevNullAreNotTerminals(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(r))
	assert.False(t, isTerminal(w))
	// /dev/null is a character device, like a terminal; CI often gives it
	// as stdin, and apply must not wait for an answer from it.
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer null.Close()
	assert.False(t, isTerminal(null))
	assert.False(t, isTerminal(&bytes.Buffer{}))
}

func TestPlanOutIntoAMissingDirectory(t *testing.T) {
	cfg := copyExamples(t)
	missing := filepath.Join(filepath.Dir(cfg), "plans")
	out := filepath.Join(missing, "plan.json")
	code, stdout, errOut := zonesync(t, "--config", cfg, "plan", "-out", out)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "zonesync: -out "+out+": directory "+missing+" does not exist; create it first (mkdir -p "+missing+") or save the plan elsewhere\n", errOut)

	code, _, errOut = zonesync(t, "--config", cfg, "plan", "-out", filepath.Dir(cfg))
	assert.Equal(t, 1, code)
	assert.Equal(t, "zonesync: -out "+filepath.Dir(cfg)+" is a directory; name a file, such as "+filepath.Join(filepath.Dir(cfg), "plan.json")+"\n", errOut)
}

func TestShardOfASavedPlan(t *testing.T) {
	cfg := copyExamples(t)
	planFile := filepath.Join(filepath.Dir(cfg), "plan.json")
	code, _, errOut := zonesync(t, "--config", cfg, "plan", "-out", planFile)
	require.Equal(t, 0, code, errOut)
	code, _, errOut = zonesync(t, "--config", cfg, "apply", "--shard", "1/2", planFile)
	assert.Equal(t, 1, code)
	assert.Equal(t, "zonesync: the plan file covers all zones, not shard 1/2: it was made without --shard; apply it without --shard\n", errOut)
}

func TestFmtCheckPrintsTheDiff(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "example.com.yaml")
	messy := "provider: local\nzone: example.com\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n  \"@\":\n    - {type: a, value: 192.0.2.2}\n"
	require.NoError(t, os.WriteFile(file, []byte(messy), 0o644))
	code, out, errOut := zonesync(t, "fmt", "--check", file)
	assert.Equal(t, 1, code)
	assert.Equal(t, "zonesync: 1 spec is not formatted; run zonesync fmt\n", errOut)
	assert.Equal(t, "--- "+file+"\n+++ "+file+"\n"+`@@ -1,7 +1,7 @@
-provider: local
 zone: example.com
+provider: local
 records:
+  "@":
+    - {type: A, value: 192.0.2.2}
   www:
     - {type: A, value: 192.0.2.1}
-  "@":
-    - {type: a, value: 192.0.2.2}
`, out)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, messy, string(data), "fmt --check changed the file")
}

func TestFmtKeepsTheTopComment(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"comment on the first key",
			"# Managed by zonesync; see README.\nprovider: local\nzone: example.com\n",
			"# Managed by zonesync; see README.\nzone: example.com\nprovider: local\n"},
		{"schema line, blank line, comment",
			"# yaml-language-server: $schema=zone.schema.json\n\n# Our main zone.\nttl: 300\nzone: example.com\nprovider: local\n",
			"# yaml-language-server: $schema=zone.schema.json\n\n# Our main zone.\nzone: example.com\nprovider: local\nttl: 300\n"},
		{"comments further down stay with their keys",
			"# top\nprovider: local\n# the zone\nzone: example.com\n",
			"# top\n# the zone\nzone: example.com\nprovider: local\n"},
		{"no comment", "provider: local\nzone: example.com\n", "zone: example.com\nprovider: local\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := formatSpec([]byte(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
			again, err := formatSpec(got)
			require.NoError(t, err)
			assert.Equal(t, string(got), string(again), "formatting is idempotent")
		})
	}
	t.Run("errors keep their line numbers", func(t *testing.T) {
		_, err := formatSpec([]byte("# one\n# two\nzone: example.com\nrecords:\n  www:\n    - {type: A, value: not-an-ip}\n"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "line 6:")
	})
}

func TestUnifiedDiffMatchesDiffAndPatch(t *testing.T) {
	for _, bin := range []string{"diff", "patch"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed", bin)
			}
			t.Skipf("%s is not installed", bin)
		}
	}
	lines := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i) + "\n")
		}
		return b.String()
	}
	plain := func(i int) string { return "line " + string(rune('a'+i%26)) + string(rune('a'+i/26)) }
	for _, tc := range []struct{ name, before, after string }{
		{"one change", lines(20, plain), strings.Replace(lines(20, plain), "line ja", "line JA", 1)},
		{"two hunks", lines(40, plain), strings.Replace(strings.Replace(lines(40, plain), "line ca", "line CA", 1), "line kb", "line KB", 1)},
		{"changes close together share a hunk", lines(30, plain), strings.Replace(strings.Replace(lines(30, plain), "line fa", "x", 1), "line la", "y", 1)},
		{"insert at the top", lines(10, plain), "new\n" + lines(10, plain)},
		{"delete at the end", lines(10, plain), lines(9, plain)},
		{"from nothing", "", "a\nb\n"},
		{"no newline at the end", "a\nb", "a\nb\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "f.yaml")
			require.NoError(t, os.WriteFile(file, []byte(tc.before), 0o644))
			require.NoError(t, os.WriteFile(file+".new", []byte(tc.after), 0o644))
			got := unifiedDiff(file, []byte(tc.before), []byte(tc.after))
			want, _ := exec.Command("diff", "-u", file, file+".new").Output()
			// diff's headers carry times and the second name; the hunks must match.
			hunks := func(d string) string { return d[strings.Index(d, "@@"):] }
			assert.Equal(t, hunks(string(want)), hunks(got))
			patch := exec.Command("patch", "-s", "-p0")
			patch.Dir = "/"
			patch.Stdin = strings.NewReader(got)
			out, err := patch.CombinedOutput()
			require.NoError(t, err, "%s", out)
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Equal(t, tc.after, string(data))
		})
	}
}

func TestCompleteCandidates(t *testing.T) {
	cfg := copyExamples(t)
	t.Chdir(filepath.Join(filepath.Dir(cfg), "zones"))
	for _, tc := range []struct {
		words string // the words after "zonesync"; the last one is being completed
		want  []string
	}{
		{"", []string{"validate", "plan", "apply", "verify", "import", "fmt", "schema", "version", "completion", "help"}},
		{"pl", []string{"plan"}},
		{"--config x.yaml a", []string{"apply"}},
		{"-q ", []string{"validate", "plan", "apply", "verify", "import", "fmt", "schema", "version", "completion", "help"}},
		{"plan --f", []string{"--format", "--force"}},
		{"plan --d", []string{"--detailed-exitcode"}},
		{"apply --a", []string{"--auto-approve"}},
		{"plan --con", []string{"--config"}},
		{"--", []string{"--config", "--quiet", "--verbose", "--error-format", "--version", "--help"}},
		{"plan --zone ", []string{"2.0.192.in-addr.arpa", "example.com", "example.org"}},
		{"apply --zone example.com --zone ex", []string{"example.com", "example.org"}},
		{"plan --format ", []string{"text", "markdown", "json"}},
		{"apply --format ", []string{"text", "json", "markdown"}},
		{"ver", []string{"verify", "version"}},
		{"veri", []string{"verify"}},
		{"verify --format ", []string{"text", "markdown", "json"}},
		{"verify --family ", []string{"both", "ipv4", "ipv6"}},
		{"verify --zone example.o", []string{"example.org"}},
		{"apply --verify-f", []string{"--verify-from-parent", "--verify-family"}},
		{"apply --verify-family ip", []string{"ipv4", "ipv6"}},
		{"--error-format ", []string{"text", "github"}},
		{"import --provider ", []string{"local"}},
		{"schema ", []string{"zone", "config"}},
		{"completion f", []string{"fish"}},
		{"help ap", []string{"apply"}},
		{"plan --config ", nil},
		{"fmt ", nil},
		{"apply ", nil},
		{"nonsense ", nil},
	} {
		t.Run(tc.words, func(t *testing.T) {
			words := strings.Split(tc.words, " ")
			code, out, errOut := zonesync(t, append([]string{completeCommand}, words...)...)
			require.Equal(t, 0, code, errOut)
			var got []string
			if out != "" {
				got = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			}
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("zones of another config", func(t *testing.T) {
		other := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(other, "zones"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(other, "zonesync.yaml"), []byte("providers:\n  p: {type: zonefile, directory: live}\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(other, "zones", "z.yaml"), []byte("zone: other.test\nprovider: p\n"), 0o644))
		_, out, _ := zonesync(t, completeCommand, "--config", filepath.Join(other, "zonesync.yaml"), "plan", "--zone", "")
		assert.Equal(t, "other.test\n", out)
		_, out, _ = zonesync(t, completeCommand, "plan", "--config="+filepath.Join(other, "zonesync.yaml"), "--zone", "")
		assert.Equal(t, "other.test\n", out)
	})
}

// shellTest runs a shell script with zonesync on PATH (this test binary,
// acting as the CLI) from the examples' zones directory.
func shellTest(t *testing.T, shell string, script string) string {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (.ci/run installs it)", shell)
		}
		t.Skipf("%s is not installed", shell)
	}
	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	wrapper := "#!/bin/sh\n" + asCLI + "=1 exec '" + self + "' \"$@\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "zonesync"), []byte(wrapper), 0o755))
	cfg := copyExamples(t)
	cmd := exec.Command(path, "-c", script)
	cmd.Dir = filepath.Join(filepath.Dir(cfg), "zones")
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "PATH=") }),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}

func TestCompletionScripts(t *testing.T) {
	t.Run("bash", func(t *testing.T) {
		out := shellTest(t, "bash", `source <(zonesync completion bash)
complete -p zonesync
for line in "zonesync pl" "zonesync plan --zone ex" "zonesync apply --au" "zonesync -q app"; do
  read -ra COMP_WORDS <<< "$line"
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _zonesync
  echo "$line => ${COMPREPLY[*]}"
done
COMP_WORDS=(zonesync plan --zone ""); COMP_CWORD=3; _zonesync; echo "all zones => ${COMPREPLY[*]}"
COMP_WORDS=(zonesync fmt ""); COMP_CWORD=2; _zonesync; echo "files => ${#COMPREPLY[@]} (readline completes file names)"
`)
		assert.Equal(t, `complete -o default -F _zonesync zonesync
zonesync pl => plan
zonesync plan --zone ex => example.com example.org
zonesync apply --au => --auto-approve
zonesync -q app => apply
all zones => 2.0.192.in-addr.arpa example.com example.org
files => 0 (readline completes file names)
`, out)
	})
	t.Run("zsh", func(t *testing.T) {
		// The completion system itself needs a terminal: stand in for
		// compadd, _files and compdef, and call the function as zsh would.
		out := shellTest(t, "zsh", `compdef() { print "compdef $*" }
compadd() { shift; print -r -- "compadd $*" }
_files() { print "_files" }
source <(zonesync completion zsh)
words=(zonesync pl); CURRENT=2; _zonesync
words=(zonesync plan --zone ex); CURRENT=4; _zonesync
words=(zonesync plan --zone ''); CURRENT=4; _zonesync
words=(zonesync fmt ''); CURRENT=3; _zonesync
`)
		assert.Equal(t, `compdef _zonesync zonesync
compadd plan
compadd example.com example.org
compadd 2.0.192.in-addr.arpa example.com example.org
_files
`, out)
	})
	t.Run("fish", func(t *testing.T) {
		out := shellTest(t, "fish", `zonesync completion fish | source
complete -C "zonesync pl"
complete -C "zonesync plan --zone ex"
complete -C "zonesync apply --auto"
complete -C "zonesync schema "
`)
		// fish sorts the candidates.
		assert.Equal(t, "plan\nexample.com\nexample.org\n--auto-approve\nconfig\nzone\n", out)
	})
	t.Run("unknown shell", func(t *testing.T) {
		code, out, errOut := zonesync(t, "completion", "powershell")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Equal(t, "zonesync: completion takes one shell: bash, zsh or fish (got \"powershell\")\n", errOut)
	})
}

// readmeBlock is the shell block of README.md between two markers.
func readmeBlock(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(data), "<!-- "+name+":begin -->\n```sh\n")
	require.True(t, ok, "README.md has no %s block", name)
	block, _, ok := strings.Cut(rest, "```\n<!-- "+name+":end -->")
	require.True(t, ok, "README.md's %s block does not end", name)
	return block
}

// TestReadmeFirstZone runs README's first steps with an installed
// zonesync, as a newcomer would, in an empty directory.
func TestReadmeFirstZone(t *testing.T) {
	script := "set -e\n" + readmeBlock(t, "first-zone") + "cat live/example.com.zone\n"
	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	wrapper := "#!/bin/sh\n" + asCLI + "=1 exec '" + self + "' \"$@\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "zonesync"), []byte(wrapper), 0o755))
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = t.TempDir()
	cmd.Stdin = nil // not a terminal: apply does not ask, as in CI
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "ZONESYNC_CONFIG=")
	}), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, want := range []string{
		"1 zone spec valid (zones)\n",
		"1 of 1 zone to change: 5 to create.\nexit 2\n",
		"Applied 5 of 5 operations: 5 ok, 0 failed, 0 skipped",
		"No changes: 1 zone checked, live state matches the specs.\n",
		"www    3600 IN CNAME example.com.\n",
	} {
		assert.Contains(t, string(out), want)
	}
}

// TestReadmeInstallMatchesTheRelease checks README's install steps
// against what a release holds and what the shipped workflows run.
func TestReadmeInstallMatchesTheRelease(t *testing.T) {
	read := func(path string) string {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		return string(data)
	}
	readme := read("README.md")
	m := regexp.MustCompile(`go install github\.com/zonesync/zonesync@(v\d+\.\d+\.\d+)`).FindStringSubmatch(readme)
	require.NotNil(t, m, "README.md does not say how to go install a release")
	assert.Contains(t, readme, "VERSION="+m[1]+" ", "the release binary steps name another version")
	assert.Contains(t, readme, "`go run` turns\nevery non-zero exit code of the program into 1")
	plan := read(filepath.Join(".github", "workflows", "zonesync-plan.yml"))
	assert.Contains(t, plan, "ZONESYNC_VERSION: "+m[1]+" ", "README and the shipped workflows name different releases")

	// The archive names README and the action download are the ones the
	// release build writes.
	name := regexp.MustCompile(`(?i)zonesync_\$\{[a-z]+#v\}_\$\{[a-z]+\}_\$\{[a-z]+\}`)
	for _, file := range []string{"README.md", "action.yml", filepath.Join(".ci", "release-build")} {
		found := name.FindAllString(read(file), -1)
		require.NotEmpty(t, found, "%s names no release archive", file)
		for _, f := range found {
			assert.Regexp(t, `(?i)^zonesync_\$\{version#v\}_\$\{(os|goos)\}_\$\{(arch|goarch)\}$`, f, file)
		}
	}
	assert.Contains(t, read(filepath.Join(".ci", "release-build")), `"$outdir/$name.tar.gz"`)
	assert.Contains(t, read("action.yml"), `archive="zonesync_${VERSION#v}_${os}_${arch}.tar.gz"`)
}
