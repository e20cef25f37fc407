package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

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
		zones = append(zones, z.Key())
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
		{"comma list", []string{"example.org,2.0.192.in-addr.arpa"}, []string{"2.0.192.in-addr.arpa@local", "2.0.192.in-addr.arpa@backup", "example.org"}},
		{"glob", []string{"example.*"}, []string{"example.com", "example.org"}},
		{"glob and name, any case, trailing dot", []string{"*.ARPA.", "Example.COM"}, []string{"2.0.192.in-addr.arpa@local", "2.0.192.in-addr.arpa@backup", "example.com"}},
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
		assert.Equal(t, "3 zone specs valid, 4 targets ("+filepath.Join("..", "zones")+")\n", out)
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
