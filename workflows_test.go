package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// actionMetadata is action.yml, decoded strictly: an unknown or misspelt
// key fails the decode.
type actionMetadata struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) (*actionMetadata, []byte) {
	t.Helper()
	data, err := os.ReadFile("action.yml")
	require.NoError(t, err)
	var meta actionMetadata
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&meta))
	return &meta, data
}

// expressions finds the ${{ ... }} of a text.
var expressions = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func TestActionMetadata(t *testing.T) {
	meta, _ := readAction(t)
	assert.Equal(t, "zonesync", meta.Name)
	assert.NotEmpty(t, meta.Description)
	var inputs []string
	for name, in := range meta.Inputs {
		inputs = append(inputs, name)
		assert.NotEmpty(t, in.Description, "input %s has no description", name)
		assert.Equal(t, in.Required, in.Default == nil, "input %s: required exactly when it has no default", name)
	}
	sort.Strings(inputs)
	assert.Equal(t, []string{"args", "command", "config", "version"}, inputs)
	assert.True(t, meta.Inputs["version"].Required, "version must be given: a pinned release")
	assert.True(t, meta.Inputs["command"].Required)

	require.Equal(t, "composite", meta.Runs.Using)
	ids := map[string]bool{}
	for _, s := range meta.Runs.Steps {
		assert.NotEmpty(t, s.Name)
		assert.Equal(t, "bash", s.Shell, "step %q: a composite run step needs a shell", s.Name)
		// Inputs reach scripts through the environment only: an input
		// written into a script would run as shell code.
		assert.NotRegexp(t, `\$\{\{`, s.Run, "step %q: use env, not ${{ }} in run", s.Name)
		for _, v := range s.Env {
			for _, m := range expressions.FindAllStringSubmatch(v, -1) {
				if name, ok := strings.CutPrefix(m[1], "inputs."); ok {
					assert.Contains(t, inputs, name, "step %q reads an undeclared input", s.Name)
				}
			}
		}
		if s.ID != "" {
			ids[s.ID] = true
		}
	}
	for name, out := range meta.Outputs {
		assert.NotEmpty(t, out.Description, "output %s", name)
		m := regexp.MustCompile(`^\$\{\{ steps\.([a-z-]+)\.outputs\.([a-z-]+) \}\}$`).FindStringSubmatch(out.Value)
		require.NotNil(t, m, "output %s: %q", name, out.Value)
		assert.True(t, ids[m[1]], "output %s reads step %s, which the action does not have", name, m[1])
	}
}

// linter is actionlint, with shellcheck when it is installed (CI installs it).
func linter(t *testing.T, out *bytes.Buffer) *actionlint.Linter {
	t.Helper()
	opts := &actionlint.LinterOptions{Oneline: true}
	if path, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = path
	} else if os.Getenv("CI") == "true" {
		t.Fatal("shellcheck is not installed (.ci/run installs it)")
	}
	l, err := actionlint.NewLinter(out, opts)
	require.NoError(t, err)
	return l
}

// TestActionStepsLint lints action.yml's steps with actionlint, which
// checks workflows only: the steps run as the job of a reusable workflow
// whose inputs are the action's.
func TestActionStepsLint(t *testing.T) {
	_, data := readAction(t)
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
		Runs   struct {
			Steps []any `yaml:"steps"`
		} `yaml:"runs"`
	}
	require.NoError(t, yaml.Unmarshal(data, &action))
	inputs := map[string]any{}
	for name := range action.Inputs {
		inputs[name] = map[string]any{"type": "string"}
	}
	workflow, err := yaml.Marshal(map[string]any{
		"name": "action.yml steps",
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"action": map[string]any{"runs-on": "ubuntu-latest", "steps": action.Runs.Steps}},
	})
	require.NoError(t, err)
	dir := t.TempDir()
	path := filepath.Join(dir, ".github", "workflows", "action-steps.yml")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, workflow, 0o644))
	var out bytes.Buffer
	errs, err := linter(t, &out).LintFile(path, nil)
	require.NoError(t, err)
	assert.Empty(t, errs, "actionlint on action.yml's steps:\n%s\n%s", out.String(), workflow)
}

// ownAction is how the shipped workflows use zonesync's action.
var ownAction = regexp.MustCompile(`uses: zonesync/zonesync@v1\b`)

// lintWithLocalAction lints the shipped workflows with their use of
// zonesync's action pointed at this repository's action.yml, so that
// actionlint checks the action's metadata and every input the workflows
// pass. edit may change each workflow first.
func lintWithLocalAction(t *testing.T, edit func(string) string) ([]*actionlint.Error, string) {
	t.Helper()
	dir := t.TempDir()
	workflows := filepath.Join(dir, ".github", "workflows")
	require.NoError(t, os.MkdirAll(workflows, 0o755))
	action, err := os.ReadFile("action.yml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "action.yml"), action, 0o644))
	files, err := filepath.Glob(filepath.Join(".github", "workflows", "zonesync-*.yml"))
	require.NoError(t, err)
	require.Len(t, files, 3)
	var paths []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		text := string(data)
		require.Regexp(t, ownAction, text, "%s does not use zonesync's action", f)
		text = ownAction.ReplaceAllString(text, "uses: ./")
		if edit != nil {
			text = edit(text)
		}
		path := filepath.Join(workflows, filepath.Base(f))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		paths = append(paths, path)
	}
	project, err := actionlint.NewProject(dir)
	require.NoError(t, err)
	var out bytes.Buffer
	errs, err := linter(t, &out).LintFiles(paths, project)
	require.NoError(t, err)
	return errs, out.String()
}

func TestShippedWorkflowsUseTheAction(t *testing.T) {
	errs, out := lintWithLocalAction(t, nil)
	assert.Empty(t, errs, "actionlint:\n%s", out)

	// The check is live: a misspelt input and a missing required one are caught.
	errs, out = lintWithLocalAction(t, func(s string) string {
		return strings.Replace(strings.Replace(s, "command: plan", "comand: plan", 1), "version: ${{ env.ZONESYNC_VERSION }}", "", 1)
	})
	assert.NotEmpty(t, errs)
	assert.Contains(t, out, `input "comand" is not defined in action`)
	assert.Contains(t, out, `missing input "version" which is required by action`)
}

// pinned is a third-party action pinned by commit, with its version noted.
var pinned = regexp.MustCompile(`^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$`)

func TestWorkflowsPinWhatTheyRun(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(".github", "workflows", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var versions []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		text := string(data)
		for _, line := range strings.Split(text, "\n") {
			uses, ok := strings.CutPrefix(strings.TrimLeft(strings.TrimSpace(line), "- "), "uses: ")
			if !ok || strings.HasPrefix(uses, "./") || strings.HasPrefix(uses, "zonesync/zonesync@v1 ") {
				continue
			}
			assert.Regexp(t, pinned, uses, "%s: pin the action by commit SHA with its version in a comment", f)
		}
		assert.NotContains(t, text, "@latest", f)
		assert.NotContains(t, text, "go-version: stable", f)
		if strings.HasPrefix(filepath.Base(f), "zonesync-") {
			m := regexp.MustCompile(`\n  ZONESYNC_VERSION: (\S+)`).FindStringSubmatch(text)
			require.NotNil(t, m, "%s sets no ZONESYNC_VERSION", f)
			assert.Regexp(t, `^v\d+\.\d+\.\d+$`, m[1], "%s: pin a zonesync release", f)
			versions = append(versions, m[1])
			assert.NotContains(t, text, "go install", "%s: install zonesync with the action", f)
		}
	}
	assert.Len(t, slices.Compact(versions), 1, "the shipped workflows run different zonesync releases: %v", versions)
}

// release serves a fake zonesync release: an archive whose zonesync is this
// test binary acting as the CLI, and its SHA256SUMS. corrupt spoils the sum.
func release(t *testing.T, version string, corrupt bool) string {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	var archive bytes.Buffer
	gz := gzip.NewWriter(&archive)
	tw := tar.NewWriter(gz)
	script := "#!/bin/sh\n" + asCLI + "=1 exec '" + self + "' \"$@\"\n"
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "zonesync", Mode: 0o755, Size: int64(len(script))}))
	_, err = tw.Write([]byte(script))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())
	name := "zonesync_" + strings.TrimPrefix(version, "v") + "_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
	sum := sha256.Sum256(archive.Bytes())
	if corrupt {
		sum[0] ^= 1
	}
	files := map[string][]byte{
		"/" + version + "/" + name:    archive.Bytes(),
		"/" + version + "/SHA256SUMS": []byte(hex.EncodeToString(sum[:]) + "  " + name + "\n"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// actionRun runs action.yml's steps as a runner would: each step's script
// with its env, GITHUB_PATH carried from step to step. It returns the
// outputs of the run step and the exit status of the last step run.
func actionRun(t *testing.T, releases string, inputs map[string]string, dir string) (outputs map[string]string, log string, err error) {
	t.Helper()
	return actionRunEnv(t, releases, inputs, dir, nil)
}

// actionRunEnv is actionRun with more variables in the steps' environment,
// as a job's env gives them.
func actionRunEnv(t *testing.T, releases string, inputs map[string]string, dir string, jobEnv []string) (outputs map[string]string, log string, err error) {
	t.Helper()
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("the action runs on Linux and macOS runners")
	}
	meta, _ := readAction(t)
	runnerOS := map[string]string{"linux": "Linux", "darwin": "macOS"}[runtime.GOOS]
	runnerArch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	temp := t.TempDir()
	githubPath := filepath.Join(temp, "path")
	githubOutput := filepath.Join(temp, "output")
	var out bytes.Buffer
	for _, step := range meta.Runs.Steps {
		require.NoError(t, os.WriteFile(githubOutput, nil, 0o644))
		env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
			return strings.HasPrefix(kv, "ZONESYNC_CONFIG=") || strings.HasPrefix(kv, "PATH=")
		})
		path := os.Getenv("PATH")
		if data, err := os.ReadFile(githubPath); err == nil {
			for _, p := range strings.Fields(string(data)) {
				path = p + string(os.PathListSeparator) + path
			}
		}
		env = append(env, jobEnv...)
		env = append(env, "PATH="+path, "RUNNER_OS="+runnerOS, "RUNNER_ARCH="+runnerArch, "RUNNER_TEMP="+temp,
			"GITHUB_PATH="+githubPath, "GITHUB_OUTPUT="+githubOutput, "GITHUB_JOB=test", "GITHUB_ACTION=zonesync",
			"ZONESYNC_RELEASES_URL="+releases)
		for k, v := range step.Env {
			v = expressions.ReplaceAllStringFunc(v, func(e string) string {
				m := expressions.FindStringSubmatch(e)
				name, ok := strings.CutPrefix(m[1], "inputs.")
				require.True(t, ok || strings.HasPrefix(m[1], "github.action_repository"), "unexpected expression %s", e)
				return inputs[name]
			})
			env = append(env, k+"="+v)
		}
		// As a runner runs `shell: bash`.
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
		cmd.Dir = dir
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = &out, &out
		if err = cmd.Run(); err != nil {
			break
		}
	}
	outputs = map[string]string{}
	data, _ := os.ReadFile(githubOutput)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outputs[k] = v
		}
	}
	return outputs, out.String(), err
}

func TestActionRunsZonesync(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	releases := release(t, "v9.8.7", false)

	t.Run("plan with changes: exit 2 passes, and the output is kept", func(t *testing.T) {
		outputs, log, err := actionRun(t, releases, map[string]string{"version": "v9.8.7", "command": "plan", "args": "--zone example.com --detailed-exitcode", "config": "zonesync.yaml"}, dir)
		require.NoError(t, err, log)
		assert.Contains(t, log, "zonesync_9.8.7_"+runtime.GOOS+"_"+runtime.GOARCH+".tar.gz: OK")
		assert.Equal(t, "2", outputs["exitcode"])
		plan, err := os.ReadFile(outputs["output"])
		require.NoError(t, err)
		assert.Contains(t, string(plan), "--- example.com (live)")
	})
	t.Run("the config input, or discovery without it", func(t *testing.T) {
		sub := filepath.Join(dir, "zones")
		outputs, log, err := actionRun(t, releases, map[string]string{"version": "v9.8.7", "command": "validate"}, sub)
		require.NoError(t, err, log)
		assert.Equal(t, "0", outputs["exitcode"])
		outputs, log, err = actionRun(t, releases, map[string]string{"version": "v9.8.7", "command": "validate", "config": "nonexistent.yaml"}, dir)
		require.Error(t, err, log)
		assert.Equal(t, "1", outputs["exitcode"])
		assert.Contains(t, log, "nonexistent.yaml")
	})
	t.Run("a command with its flags in command", func(t *testing.T) {
		outputs, log, err := actionRun(t, releases, map[string]string{"version": "v9.8.7", "command": "fmt --check"}, dir)
		require.NoError(t, err, log)
		assert.Equal(t, "0", outputs["exitcode"])
	})
	t.Run("a version that is not a release tag", func(t *testing.T) {
		_, log, err := actionRun(t, releases, map[string]string{"version": "latest", "command": "validate"}, dir)
		require.Error(t, err)
		assert.Contains(t, log, "version must be a zonesync release tag such as v1.0.0, not 'latest'")
	})
	t.Run("a release whose checksum does not match is not run", func(t *testing.T) {
		_, log, err := actionRun(t, release(t, "v9.8.7", true), map[string]string{"version": "v9.8.7", "command": "validate"}, dir)
		require.Error(t, err)
		assert.Contains(t, log, "FAILED")
		assert.NotContains(t, log, "zone specs valid")
	})
}
