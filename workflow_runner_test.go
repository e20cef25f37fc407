package main

// The runner of the workflow tests (workflows_run_test.go): a workflow's
// jobs, step by step, outside GitHub.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

type ghWorkflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]*ghJob `yaml:"jobs"`
}

type ghJob struct {
	If          string            `yaml:"if"`
	Environment string            `yaml:"environment"`
	Env         map[string]string `yaml:"env"`
	Steps       []*ghStep         `yaml:"steps"`
}

type ghStep struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
	With map[string]string `yaml:"with"`
}

func readWorkflow(t *testing.T, name string) *ghWorkflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(".github", "workflows", name))
	require.NoError(t, err)
	var wf ghWorkflow
	require.NoError(t, yaml.Unmarshal(data, &wf))
	return &wf
}

// stepRun is how one step of a job ended.
type stepRun struct {
	ran     bool
	outcome string // success, failure or skipped
	outputs map[string]string
}

// jobRun is one run of a job.
type jobRun struct {
	t        *testing.T
	dir      string // the checkout
	releases string // where the action downloads zonesync
	temp     string // RUNNER_TEMP
	summary  string // GITHUB_STEP_SUMMARY
	github   map[string]any
	matrix   map[string]any
	// stubs stand in for the steps that need GitHub, by step name; a
	// step without one does nothing and succeeds.
	stubs map[string]func(r *jobRun) map[string]string
	// api, when set, is the GitHub API the github-script steps talk to:
	// they run in node against it, and what they call is recorded.
	api *fakeGitHub

	env     map[string]string
	steps   map[string]*stepRun
	byName  map[string]*stepRun
	failed  bool
	skipped bool // the job's if: was false
	log     bytes.Buffer
}

// job says which job to run and what GitHub would give it.
type job struct {
	workflow, name string
	dir            string // the checkout
	releases       string // where the action downloads zonesync from
	github, matrix map[string]any
	stubs          map[string]func(*jobRun) map[string]string
	// env replaces values of the workflow's env, as a user sets them.
	env map[string]string
	api *fakeGitHub
}

// runJob runs a workflow's job.
func runJob(t *testing.T, o job) *jobRun {
	t.Helper()
	wf := readWorkflow(t, o.workflow)
	j := wf.Jobs[o.name]
	require.NotNil(t, j, "%s has no job %s", o.workflow, o.name)
	r := &jobRun{t: t, dir: o.dir, releases: o.releases, temp: t.TempDir(), github: o.github, matrix: o.matrix, stubs: o.stubs, api: o.api,
		env: map[string]string{}, steps: map[string]*stepRun{}, byName: map[string]*stepRun{}}
	r.summary = filepath.Join(r.temp, "summary.md")
	require.NoError(t, os.WriteFile(r.summary, nil, 0o644))
	for k, v := range wf.Env {
		r.env[k] = r.interpolate(v)
	}
	for k, v := range o.env {
		require.Contains(t, wf.Env, k, "%s sets no %s", o.workflow, k)
		r.env[k] = v
	}
	if j.If != "" && !truthy(r.eval(strings.TrimSpace(unwrapExpr(j.If)))) {
		r.skipped = true
		return r
	}
	for k, v := range j.Env {
		r.env[k] = r.interpolate(v)
	}
	for _, s := range j.Steps {
		res := r.step(s)
		if s.ID != "" {
			r.steps[s.ID] = res
		}
		r.byName[s.Name] = res
		if res.outcome == "failure" {
			r.failed = true
		}
	}
	return r
}

// ran reports whether the named step ran.
func (r *jobRun) ran(name string) bool {
	s := r.byName[name]
	require.NotNil(r.t, s, "no step %q", name)
	return s.ran
}

func (r *jobRun) step(s *ghStep) *stepRun {
	t := r.t
	cond := strings.TrimSpace(unwrapExpr(s.If))
	if cond == "" {
		cond = "success()"
	} else if !regexp.MustCompile(`\b(success|failure|always|cancelled)\(\)`).MatchString(cond) {
		cond = "success() && (" + cond + ")"
	}
	if !truthy(r.eval(cond)) {
		return &stepRun{outcome: "skipped", outputs: map[string]string{}}
	}
	res := &stepRun{ran: true, outcome: "success", outputs: map[string]string{}}
	env := map[string]string{}
	for k, v := range r.env {
		env[k] = v
	}
	for k, v := range s.Env {
		env[k] = r.interpolate(v)
	}
	switch {
	case ownAction.MatchString("uses: " + s.Uses):
		inputs := map[string]string{}
		for k, v := range s.With {
			inputs[k] = r.interpolate(v)
		}
		outputs, log, err := actionRunEnv(t, r.releases, inputs, r.dir, envList(env))
		fmt.Fprintf(&r.log, "--- %s\n%s", s.Name, log)
		res.outputs = outputs
		if err != nil {
			res.outcome = "failure"
		}
	case s.Uses != "":
		if stub := r.stubs[s.Name]; stub != nil {
			res.outputs = stub(r)
		} else if strings.HasPrefix(s.Uses, "actions/github-script@") && r.api != nil {
			var err error
			res.outputs, err = r.api.run(t, s.With["script"], env)
			if err != nil {
				fmt.Fprintf(&r.log, "--- %s\n%v\n", s.Name, err)
				res.outcome = "failure"
			}
		}
	default:
		require.NotContains(t, s.Run, "${{", "step %q: pass expressions to run scripts through env", s.Name)
		output := filepath.Join(r.temp, "output")
		require.NoError(t, os.WriteFile(output, nil, 0o644))
		cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-c", s.Run)
		cmd.Dir = r.dir
		cmd.Env = append(os.Environ(), envList(env)...)
		cmd.Env = append(cmd.Env, "GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+r.summary, "RUNNER_TEMP="+r.temp, "GITHUB_WORKSPACE="+r.dir)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		fmt.Fprintf(&r.log, "--- %s\n%s", s.Name, out.String())
		if err != nil {
			res.outcome = "failure"
		}
		data, err := os.ReadFile(output)
		require.NoError(t, err)
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				res.outputs[k] = v
			}
		}
	}
	return res
}

func envList(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}
