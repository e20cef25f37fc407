package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

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
