package main

// The shipped workflows, run outside GitHub: each job's steps in order,
// with their `if:` conditions and ${{ }} expressions evaluated as GitHub
// does, `run:` steps in bash, zonesync's own action through action.yml's
// steps against a local release, and the steps that only GitHub can run
// (checkout, artifacts, the GitHub API through github-script) replaced by
// what the test says they return. The repository is a copy of the
// examples, planned and applied with the zonefile provider.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/assert"
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

// unwrapExpr strips ${{ }} from a whole-expression value such as an if:.
func unwrapExpr(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "${{") && strings.HasSuffix(s, "}}") {
		return s[3 : len(s)-2]
	}
	return s
}

// interpolate replaces each ${{ }} of a value with its result.
func (r *jobRun) interpolate(s string) string {
	return expressions.ReplaceAllStringFunc(s, func(e string) string {
		return str(r.eval(expressions.FindStringSubmatch(e)[1]))
	})
}

// eval evaluates an expression the way GitHub Actions does, for the
// parts of the language the shipped workflows use.
func (r *jobRun) eval(src string) any {
	n, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(src + "}}"))
	require.Nil(r.t, err, "expression %q", src)
	return r.node(n)
}

func (r *jobRun) node(n actionlint.ExprNode) any {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		return r.context(n.Name)
	case *actionlint.NullNode:
		return nil
	case *actionlint.BoolNode:
		return n.Value
	case *actionlint.IntNode:
		return float64(n.Value)
	case *actionlint.FloatNode:
		return n.Value
	case *actionlint.StringNode:
		return n.Value
	case *actionlint.ObjectDerefNode:
		return deref(r.node(n.Receiver), n.Property)
	case *actionlint.ArrayDerefNode:
		// .* keeps the elements; a property after it is taken of each.
		if a, ok := r.node(n.Receiver).([]any); ok {
			return filtered(a)
		}
		return filtered(nil)
	case *actionlint.IndexAccessNode:
		return deref(r.node(n.Operand), str(r.node(n.Index)))
	case *actionlint.NotOpNode:
		return !truthy(r.node(n.Operand))
	case *actionlint.CompareOpNode:
		l, rr := r.node(n.Left), r.node(n.Right)
		switch n.Kind {
		case actionlint.CompareOpNodeKindEq:
			return looseEqual(l, rr)
		case actionlint.CompareOpNodeKindNotEq:
			return !looseEqual(l, rr)
		}
		r.t.Fatalf("comparison %s is not supported by this test's evaluator", n.Kind)
	case *actionlint.LogicalOpNode:
		l := r.node(n.Left)
		if (n.Kind == actionlint.LogicalOpNodeKindAnd) != truthy(l) {
			return l
		}
		return r.node(n.Right)
	case *actionlint.FuncCallNode:
		var args []any
		for _, a := range n.Args {
			args = append(args, r.node(a))
		}
		switch strings.ToLower(n.Callee) {
		case "success":
			return !r.failed
		case "failure":
			return r.failed
		case "always":
			return true
		case "cancelled":
			return false
		case "contains":
			if list, ok := args[0].(filtered); ok {
				return slices.ContainsFunc(list, func(v any) bool { return looseEqual(v, args[1]) })
			}
			if list, ok := args[0].([]any); ok {
				return slices.ContainsFunc(list, func(v any) bool { return looseEqual(v, args[1]) })
			}
			return strings.Contains(strings.ToLower(str(args[0])), strings.ToLower(str(args[1])))
		}
		r.t.Fatalf("function %s is not supported by this test's evaluator", n.Callee)
	}
	r.t.Fatalf("expression node %T is not supported by this test's evaluator", n)
	return nil
}

// filtered is the result of .*: a property of it is taken of each element.
type filtered []any

func (r *jobRun) context(name string) any {
	switch name {
	case "github":
		return r.github
	case "matrix":
		return r.matrix
	case "env":
		m := map[string]any{}
		for k, v := range r.env {
			m[k] = v
		}
		return m
	case "steps":
		m := map[string]any{}
		for id, s := range r.steps {
			outputs := map[string]any{}
			for k, v := range s.outputs {
				outputs[k] = v
			}
			m[id] = map[string]any{"outputs": outputs, "outcome": s.outcome, "conclusion": s.outcome}
		}
		return m
	case "secrets", "vars", "inputs":
		return map[string]any{}
	}
	r.t.Fatalf("context %s is not supported by this test's evaluator", name)
	return nil
}

func deref(v any, prop string) any {
	switch v := v.(type) {
	case map[string]any:
		if x, ok := v[prop]; ok {
			return x
		}
		for k, x := range v {
			if strings.EqualFold(k, prop) {
				return x
			}
		}
	case filtered:
		var out filtered
		for _, e := range v {
			if x := deref(e, prop); x != nil {
				out = append(out, x)
			}
		}
		return out
	}
	return nil
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case float64:
		return v != 0
	case string:
		return v != ""
	}
	return true
}

func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	}
	data, _ := json.Marshal(v)
	return string(data)
}

// looseEqual is GitHub's ==: strings ignore case, values of different
// kinds compare as numbers (null and the empty string are both 0), NaN equals nothing.
func looseEqual(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return strings.EqualFold(as, bs)
	}
	x, y := number(a), number(b)
	return x == y && x != notANumber
}

const notANumber = -1e308

func number(v any) float64 {
	switch v := v.(type) {
	case nil:
		return 0
	case bool:
		if v {
			return 1
		}
		return 0
	case float64:
		return v
	case string:
		if strings.TrimSpace(v) == "" {
			return 0
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return notANumber
		}
		return f
	}
	return notANumber
}

// pullRequest is the github context of a pull_request event.
func pullRequest(action, headRepo string, labels ...string) map[string]any {
	var ls []any
	for _, l := range labels {
		ls = append(ls, map[string]any{"name": l})
	}
	event := map[string]any{
		"action":       action,
		"pull_request": map[string]any{"number": 7.0, "labels": ls, "head": map[string]any{"repo": map[string]any{"full_name": headRepo}}},
	}
	if action == "labeled" || action == "unlabeled" {
		event["label"] = map[string]any{"name": labels[len(labels)-1]}
	}
	return map[string]any{"repository": "acme/dns", "server_url": "https://github.com", "run_id": "4242", "event": event, "token": "t"}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

// earlierPlan is the comment an earlier push left, and another one.
func earlierPlan() *fakeGitHub {
	return &fakeGitHub{Comments: []map[string]any{
		{"id": 11.0, "body": "Looks good to me"},
		{"id": 12.0, "body": "<!-- zonesync-plan: zonesync.yaml -->\n<!-- zonesync-plan-status: changes -->\n### zonesync plan\n\nthe plan of an earlier push"},
	}}
}

func TestPlanWorkflowSteps(t *testing.T) {
	releases := release(t, "v1.0.0", false)
	plan := func(t *testing.T, dir string, github map[string]any, api *fakeGitHub) *jobRun {
		return runJob(t, job{workflow: "zonesync-plan.yml", name: "plan", dir: dir, releases: releases, github: github, api: api})
	}
	// comment is the body of the plan comment, which must replace the
	// earlier push's comment under the same marker.
	comment := func(t *testing.T, r *jobRun) string {
		t.Helper()
		require.True(t, r.ran("Write the comment"), r.log.String())
		body := read(t, r.steps["comment"].outputs["body"])
		require.True(t, strings.HasPrefix(body, "<!-- zonesync-plan: zonesync.yaml -->\n"), body)
		require.True(t, r.ran("Post or update the plan comment"))
		call := r.api.call(t, "issues.updateComment")
		assert.Equal(t, 12.0, call["comment_id"], "the earlier plan's comment is the one replaced")
		assert.Equal(t, body, call["body"])
		assert.Len(t, r.api.Calls, 1)
		return body
	}

	t.Run("changes", func(t *testing.T) {
		dir := filepath.Dir(copyExamples(t))
		r := plan(t, dir, pullRequest("synchronize", "acme/dns"), earlierPlan())
		require.False(t, r.failed, r.log.String())
		assert.False(t, r.ran("No plan for a fork"))
		assert.Equal(t, "2", r.steps["plan"].outputs["exitcode"])
		assert.True(t, r.ran("Upload the plan for apply"))
		assert.FileExists(t, filepath.Join(dir, "plan.json"))
		body := comment(t, r)
		assert.Contains(t, body, "<!-- zonesync-plan-status: changes -->")
		assert.Contains(t, body, "### zonesync plan\n")
		assert.Contains(t, read(t, r.summary), "3 of 3 zones to change")
	})
	t.Run("the first plan of a pull request is a new comment", func(t *testing.T) {
		api := &fakeGitHub{Comments: []map[string]any{{"id": 11.0, "body": "Looks good to me"}}}
		r := plan(t, filepath.Dir(copyExamples(t)), pullRequest("opened", "acme/dns"), api)
		require.False(t, r.failed, r.log.String())
		call := api.call(t, "issues.createComment")
		assert.Equal(t, 7.0, call["issue_number"])
		assert.True(t, strings.HasPrefix(call["body"].(string), "<!-- zonesync-plan: zonesync.yaml -->\n"))
	})
	t.Run("refused: the check fails, the comment shows why", func(t *testing.T) {
		dir := filepath.Dir(refusedProject(t))
		r := plan(t, dir, pullRequest("synchronize", "acme/dns"), earlierPlan())
		assert.True(t, r.failed)
		assert.Equal(t, "failure", r.steps["plan"].outcome)
		assert.False(t, r.ran("Upload the plan for apply"), "a refused plan is not offered to apply")
		body := comment(t, r)
		assert.Contains(t, body, "**Refused.**")
		assert.Contains(t, body, "-stalet")
	})
	t.Run("refused, forced by the label", func(t *testing.T) {
		dir := filepath.Dir(refusedProject(t))
		r := plan(t, dir, pullRequest("labeled", "acme/dns", "dns", "zonesync:force"), earlierPlan())
		require.False(t, r.failed, r.log.String())
		assert.True(t, r.ran("Upload the plan for apply"))
		assert.Contains(t, comment(t, r), "**Forced.**")
		assert.Contains(t, read(t, filepath.Join(dir, "plan.json")), `"forced": true`)
	})
	t.Run("another label plans nothing", func(t *testing.T) {
		r := plan(t, filepath.Dir(copyExamples(t)), pullRequest("labeled", "acme/dns", "documentation"), earlierPlan())
		assert.True(t, r.skipped)
	})
	t.Run("invalid spec: the errors replace the comment and annotate the line", func(t *testing.T) {
		dir := filepath.Dir(copyExamples(t))
		specFile := filepath.Join(dir, "zones", "example.org.yaml")
		require.NoError(t, os.WriteFile(specFile, []byte(strings.Replace(read(t, specFile), "198.51.100.25", "198.51.100.256", 1)), 0o644))
		r := plan(t, dir, pullRequest("synchronize", "acme/dns"), earlierPlan())
		assert.True(t, r.failed)
		assert.True(t, r.ran("Plan"), "the plan runs even when the formatting check failed")
		body := comment(t, r)
		assert.Contains(t, body, "<!-- zonesync-plan-status: failed -->")
		assert.Contains(t, body, "### zonesync plan failed")
		assert.Contains(t, body, "198.51.100.256")
		assert.NotContains(t, body, "the plan of an earlier push")
		assert.Regexp(t, `(?m)^::error file=zones/example\.org\.yaml,line=\d+,col=\d+::.*198\.51\.100\.256`, r.log.String())
	})
	t.Run("zonesync cannot be installed: the comment still says the plan failed", func(t *testing.T) {
		dir := filepath.Dir(copyExamples(t))
		r := runJob(t, job{workflow: "zonesync-plan.yml", name: "plan", dir: dir, releases: release(t, "v1.0.0", true),
			github: pullRequest("synchronize", "acme/dns"), api: earlierPlan()})
		assert.True(t, r.failed)
		body := comment(t, r)
		assert.Contains(t, body, "### zonesync plan failed")
		assert.Contains(t, body, "https://github.com/acme/dns/actions/runs/4242")
	})
	t.Run("fork", func(t *testing.T) {
		api := earlierPlan()
		r := plan(t, filepath.Dir(copyExamples(t)), pullRequest("opened", "someone/dns"), api)
		require.False(t, r.failed, r.log.String())
		assert.True(t, r.ran("No plan for a fork"))
		assert.False(t, r.ran("Plan"))
		assert.False(t, r.ran("Write the comment"))
		assert.Empty(t, api.Calls)
		assert.Contains(t, read(t, r.summary), "No zonesync plan for a pull request from a fork")
	})
}

func TestApplyWorkflowSteps(t *testing.T) {
	releases := release(t, "v1.0.0", false)
	wf := readWorkflow(t, "zonesync-apply.yml")
	assert.Equal(t, "zonesync", wf.Jobs["apply"].Environment, "apply runs under an environment, for required reviewers")
	push := map[string]any{"repository": "acme/dns", "server_url": "https://github.com", "run_id": "77", "sha": "abc", "token": "t"}
	// merged is the API after pull request #7 merged, with its labels and
	// a successful plan run when saved (the artifact's plan.json) is set.
	merged := func(saved string, labels ...string) *fakeGitHub {
		ls := []any{}
		for _, l := range labels {
			ls = append(ls, map[string]any{"name": l})
		}
		api := &fakeGitHub{PRs: []map[string]any{
			{"number": 6.0, "merged_at": nil, "labels": []any{}, "head": map[string]any{"sha": "old"}},
			{"number": 7.0, "merged_at": "2030-01-02T03:04:05Z", "labels": ls, "head": map[string]any{"sha": "head"}},
		}}
		if saved != "" {
			api.Runs = []map[string]any{{"id": 99.0}}
		}
		return api
	}
	// The examples' zones are zone files no public server serves: apply
	// does not verify them.
	apply := func(t *testing.T, dir, saved string, api *fakeGitHub) *jobRun {
		return runJob(t, job{workflow: "zonesync-apply.yml", name: "apply", dir: dir, releases: releases, github: push, api: api,
			env: map[string]string{"ZONESYNC_VERIFY": "false"},
			stubs: map[string]func(*jobRun) map[string]string{
				"Download the reviewed plan": func(r *jobRun) map[string]string {
					assert.Equal(t, "99", r.steps["reviewed"].outputs["run-id"])
					require.NoError(t, os.WriteFile(filepath.Join(r.dir, "plan.json"), []byte(read(t, saved)), 0o644))
					return nil
				},
			}})
	}
	// report is the body of the report, which must be what was posted.
	report := func(t *testing.T, r *jobRun, method string) string {
		t.Helper()
		require.True(t, r.ran("Write the report"), r.log.String())
		body := read(t, r.steps["report"].outputs["body"])
		require.True(t, strings.HasPrefix(body, "<!-- zonesync-apply: zonesync.yaml -->\n"), body)
		assert.Contains(t, read(t, r.summary), body)
		if method != "" {
			call := r.api.call(t, method)
			assert.Equal(t, body, call["body"])
		}
		return body
	}
	savedPlan := func(t *testing.T, cfg string, args ...string) string {
		t.Helper()
		file := filepath.Join(t.TempDir(), "plan.json")
		zonesync(t, append([]string{"--config", cfg, "plan", "-out", file}, args...)...)
		require.FileExists(t, file)
		return file
	}

	t.Run("the reviewed plan, then a re-run", func(t *testing.T) {
		cfg := copyExamples(t)
		dir := filepath.Dir(cfg)
		saved := savedPlan(t, cfg)
		api := merged(saved)
		r := apply(t, dir, saved, api)
		require.False(t, r.failed, r.log.String())
		assert.Equal(t, "7", r.steps["reviewed"].outputs["pr"])
		body := report(t, r, "issues.createComment")
		assert.Equal(t, 7.0, api.call(t, "issues.createComment")["issue_number"])
		assert.Contains(t, body, "### zonesync apply\n")
		assert.Contains(t, body, "| 1 | update\\_soa | ok |  |")
		code, _, _ := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
		assert.Equal(t, 0, code, "the plan was applied")

		// GitHub's "re-run job": the same plan, already applied; the
		// report replaces the first one.
		api = merged(saved)
		api.Comments = []map[string]any{{"id": 31.0, "body": body}}
		r = apply(t, dir, saved, api)
		require.False(t, r.failed, r.log.String())
		assert.Contains(t, report(t, r, "issues.updateComment"), "Nothing to do: the plan was already applied to 3 zones.")
		assert.Equal(t, 31.0, api.call(t, "issues.updateComment")["comment_id"])
	})
	t.Run("a refused fresh plan fails and says so on the pull request", func(t *testing.T) {
		dir := filepath.Dir(refusedProject(t))
		r := apply(t, dir, "", merged(""))
		assert.True(t, r.failed)
		body := report(t, r, "issues.createComment")
		assert.Contains(t, body, "### zonesync apply failed")
		assert.Contains(t, body, "**Refused:** example.org: the plan would delete 20 of 24")
	})
	t.Run("the force label applies a refused plan", func(t *testing.T) {
		cfg := refusedProject(t)
		saved := savedPlan(t, cfg, "--force")
		r := apply(t, filepath.Dir(cfg), saved, merged(saved, "dns", "zonesync:force"))
		require.False(t, r.failed, r.log.String())
		assert.Equal(t, "true", r.steps["reviewed"].outputs["force"])
		assert.Contains(t, report(t, r, "issues.createComment"), "**Forced past:** example.org: the plan would delete 20 of 24")
	})
	t.Run("the force label with no reviewed plan forces a fresh one", func(t *testing.T) {
		cfg := refusedProject(t)
		r := apply(t, filepath.Dir(cfg), "", merged("", "zonesync:force"))
		require.False(t, r.failed, r.log.String())
		assert.Contains(t, report(t, r, "issues.createComment"), "**Forced past:**")
	})
	t.Run("a push that no pull request reviewed", func(t *testing.T) {
		api := &fakeGitHub{}
		r := apply(t, filepath.Dir(copyExamples(t)), "", api)
		require.False(t, r.failed, "a fresh plan is applied: %s", r.log.String())
		assert.Contains(t, r.log.String(), "::notice::no reviewed plan for this commit; applying a fresh plan")
		assert.False(t, r.ran("Post the report on the pull request"), "no pull request to post on")
		assert.Empty(t, api.Calls)

		r = runJob(t, job{workflow: "zonesync-apply.yml", name: "apply", dir: filepath.Dir(copyExamples(t)), releases: releases, github: push,
			api: merged(""), env: map[string]string{"ZONESYNC_REQUIRE_REVIEWED_PLAN": "true"}})
		assert.True(t, r.failed)
		assert.False(t, r.ran("Apply"))
		assert.Contains(t, report(t, r, "issues.createComment"), "zonesync did not apply this merge: it failed before it could start.")
	})
	t.Run("the apply is verified at every server; one still behind is a warning", func(t *testing.T) {
		// ns1.test. is the primary zonesync applies to; ns2.test. a
		// secondary that is never notified of the change.
		p := startDNSProjectWith(t, staleSecondary, "a.test")
		t.Setenv("TSIG_SECRET", p.secret)
		p.writeSpec(t, "a.test", "  www:\n    - {type: A, ttl: 300, value: 192.0.2.1}\n")
		api := merged("")
		r := runJob(t, job{workflow: "zonesync-apply.yml", name: "apply", dir: filepath.Dir(p.config), releases: releases, github: push, api: api,
			env: map[string]string{"ZONESYNC_VERIFY_ARGS": "--verify-timeout 0 " + strings.Join(p.flags("verify-"), " ")}})
		require.False(t, r.failed, "servers behind are a warning, not a failure: %s", r.log.String())
		assert.Equal(t, "2", r.steps["apply"].outputs["exitcode"])
		assert.True(t, r.ran("Warn of servers still behind"))
		assert.Contains(t, r.log.String(), "::warning::applied, but some authoritative servers were still behind")
		body := report(t, r, "issues.createComment")
		assert.Contains(t, body, "### zonesync apply\n")
		assert.Contains(t, body, "### zonesync verify: not in sync")
		assert.Regexp(t, `\| ns1\.test\. \| 127\.0\.0\.1 \| (\d+) \| in sync \|  \|`, body)
		assert.Regexp(t, `\| ns2\.test\. \| ::1 \| 1 \| behind \| serial 1, expected \d+`, body)
	})
}

func TestDriftWorkflowSteps(t *testing.T) {
	releases := release(t, "v1.0.0", false)
	schedule := map[string]any{"repository": "acme/dns", "server_url": "https://github.com", "run_id": "5", "token": "t"}
	const title = "DNS drift: live zones differ from git"
	openIssue := func() *fakeGitHub {
		return &fakeGitHub{Issues: []map[string]any{{"number": 3.0, "title": title, "body": "old", "labels": []any{"zonesync-drift"}}}}
	}
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T) string // returns the config
		api    *fakeGitHub
		failed bool
		calls  []string // the API calls made, in order
	}{
		{"drift opens an issue", copyExamples, &fakeGitHub{}, false, []string{"issues.create"}},
		{"drift updates the open issue", copyExamples, openIssue(), false, []string{"issues.update"}},
		{"no drift closes the issue", func(t *testing.T) string {
			cfg := copyExamples(t)
			code, _, errOut := zonesync(t, "--config", cfg, "apply")
			require.Equal(t, 0, code, errOut)
			return cfg
		}, openIssue(), false, []string{"issues.createComment", "issues.update"}},
		{"a drift too big to undo without --force is drift, and fails the job", refusedProject, &fakeGitHub{}, true, []string{"issues.create"}},
		{"a failed plan leaves the issue alone", func(t *testing.T) string {
			cfg := copyExamples(t)
			specFile := filepath.Join(filepath.Dir(cfg), "zones", "example.org.yaml")
			require.NoError(t, os.WriteFile(specFile, []byte(strings.Replace(read(t, specFile), "198.51.100.25", "198.51.100.256", 1)), 0o644))
			return cfg
		}, openIssue(), true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runJob(t, job{workflow: "zonesync-drift.yml", name: "drift", dir: filepath.Dir(tc.setup(t)), releases: releases,
				github: schedule, matrix: map[string]any{"shard": 1.0}, api: tc.api})
			assert.Equal(t, tc.failed, r.failed, r.log.String())
			var methods []string
			for _, c := range tc.api.Calls {
				methods = append(methods, c[0].(string))
			}
			assert.Equal(t, tc.calls, methods)
			if slices.Contains(methods, "issues.create") {
				created := tc.api.call(t, "issues.create")
				assert.Equal(t, title, created["title"])
				assert.Contains(t, created["body"], "<!-- zonesync-plan-status: ")
			}
		})
	}
}

// fakeGitHub is the part of the GitHub REST API the workflows' scripts
// use, keeping state: a script runs in node with github, context and
// core as github-script gives them, over this state.
type fakeGitHub struct {
	// Comments are the pull request's (or issue's) comments: {id, body}.
	Comments []map[string]any `json:"comments"`
	// PRs are the pull requests of the pushed commit.
	PRs []map[string]any `json:"prs"`
	// Runs are the successful runs of zonesync-plan.yml for the head commit.
	Runs []map[string]any `json:"runs"`
	// Issues are the open issues: {number, title, body, labels}.
	Issues []map[string]any `json:"issues"`
	// Calls are the changes the scripts made: [method, params].
	Calls [][]any `json:"calls"`
}

// githubScript runs one script as actions/github-script does, against the
// state in the file named by $STATE, and writes back the state with the
// calls made and the outputs set.
const githubScript = `
const fs = require('fs');
const state = JSON.parse(fs.readFileSync(process.env.STATE, 'utf8'));
state.outputs = {};
const record = (method) => async (params) => { state.calls.push([method, params]); return { data: {} }; };
const github = {
  paginate: async (fn, params) => (await fn(params)).data,
  rest: {
    issues: {
      listComments: async () => ({ data: state.comments }),
      listForRepo: async (p) => ({ data: state.issues.filter(i => !p.labels || (i.labels || []).includes(p.labels)) }),
      createComment: record('issues.createComment'),
      updateComment: record('issues.updateComment'),
      create: record('issues.create'),
      update: record('issues.update'),
    },
    repos: { listPullRequestsAssociatedWithCommit: async () => ({ data: state.prs }) },
    actions: { listWorkflowRuns: async () => ({ data: { workflow_runs: state.runs } }) },
  },
};
const context = { repo: { owner: 'acme', repo: 'dns' }, issue: { number: 7 }, sha: 'abc' };
const core = { setOutput: (k, v) => { state.outputs[k] = v; }, info: () => {} };
const script = fs.readFileSync(process.env.SCRIPT, 'utf8');
new (Object.getPrototypeOf(async function () {}).constructor)('require', 'github', 'context', 'core', script)(require, github, context, core)
  .then(() => fs.writeFileSync(process.env.STATE, JSON.stringify(state)))
  .catch((e) => { console.error(e); process.exit(1); });
`

func (g *fakeGitHub) run(t *testing.T, script string, env map[string]string) (map[string]string, error) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is not installed (.ci/run installs it)")
		}
		t.Skip("node is not installed: the github-script steps cannot run")
	}
	dir := t.TempDir()
	statePath, scriptPath := filepath.Join(dir, "state.json"), filepath.Join(dir, "script.js")
	if g.Calls == nil {
		g.Calls = [][]any{}
	}
	for _, l := range []*[]map[string]any{&g.Comments, &g.PRs, &g.Runs, &g.Issues} {
		if *l == nil {
			*l = []map[string]any{}
		}
	}
	data, err := json.Marshal(g)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(statePath, data, 0o644))
	require.NoError(t, os.WriteFile(scriptPath, []byte(script), 0o644))
	cmd := exec.Command(node, "-e", githubScript)
	cmd.Env = append(os.Environ(), envList(env)...)
	cmd.Env = append(cmd.Env, "STATE="+statePath, "SCRIPT="+scriptPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, out)
	}
	var after struct {
		fakeGitHub
		Outputs map[string]any `json:"outputs"`
	}
	require.NoError(t, json.Unmarshal([]byte(read(t, statePath)), &after))
	g.Calls = after.Calls
	outputs := map[string]string{}
	for k, v := range after.Outputs {
		outputs[k] = str(v)
	}
	return outputs, nil
}

// call finds the one call of a method and returns its parameters.
func (g *fakeGitHub) call(t *testing.T, method string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, c := range g.Calls {
		if c[0] == method {
			found = append(found, c[1].(map[string]any))
		}
	}
	require.Len(t, found, 1, "calls of %s: %v", method, g.Calls)
	return found[0]
}
