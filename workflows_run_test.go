package main

// The shipped workflows, run outside GitHub: each job's steps in order,
// with their `if:` conditions and ${{ }} expressions evaluated as GitHub
// does, `run:` steps in bash, zonesync's own action through action.yml's
// steps against a local release, and the steps that only GitHub can run
// (checkout, artifacts, the GitHub API through github-script) replaced by
// what the test says they return. The repository is a copy of the
// examples, planned and applied with the zonefile provider.

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		assert.Contains(t, read(t, r.summary), "3 of 4 zones to change")
		assert.Contains(t, r.log.String(), "planning every zone", "no git history to scope by: a full plan")
	})
	t.Run("scoped to the pull request's change", func(t *testing.T) {
		dir := filepath.Dir(copyExamples(t))
		base := gitBranch(t, dir)
		specFile := filepath.Join(dir, "zones", "example.org.yaml")
		require.NoError(t, os.WriteFile(specFile, []byte(strings.Replace(read(t, specFile), "198.51.100.25", "198.51.100.26", 1)), 0o644))
		gitRun(t, dir, "commit", "-q", "-am", "change example.org")
		github := pullRequest("synchronize", "acme/dns")
		github["base_ref"] = "main"
		r := plan(t, dir, github, earlierPlan())
		require.False(t, r.failed, r.log.String())
		assert.Equal(t, "--changed-since "+base, r.steps["scope"].outputs["args"])
		body := comment(t, r)
		assert.Contains(t, body, "Scoped to the change since "+base[:12]+": 1 zone planned, 2 zones left out (unchanged, not read).")
		assert.Contains(t, body, "example.org")
		assert.NotContains(t, body, "example.com")
		assert.Contains(t, read(t, filepath.Join(dir, "plan.json")), `"changed_since": "`+base+`"`)
	})
	t.Run("every zone when the scope is all", func(t *testing.T) {
		dir := filepath.Dir(copyExamples(t))
		gitBranch(t, dir)
		github := pullRequest("synchronize", "acme/dns")
		github["base_ref"] = "main"
		r := runJob(t, job{workflow: "zonesync-plan.yml", name: "plan", dir: dir, releases: releases, github: github, api: earlierPlan(),
			env: map[string]string{"ZONESYNC_PLAN_SCOPE": "all"}})
		require.False(t, r.failed, r.log.String())
		assert.Empty(t, r.steps["scope"].outputs["args"])
		assert.NotContains(t, comment(t, r), "Scoped")
		assert.Contains(t, read(t, r.summary), "3 of 4 zones to change")
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

// gitBranch makes dir a git repository whose branch main, also fetched as
// origin/main, holds dir as it is, and checks out a pull request's branch
// from it; it returns main's commit.
func gitBranch(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed")
		}
		t.Skip("git is not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	gitRun(t, dir, "init", "-q", "-b", "main")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	gitRun(t, dir, "update-ref", "refs/remotes/origin/main", "HEAD")
	gitRun(t, dir, "checkout", "-q", "-b", "pr")
	return strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD"))
}

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return string(out)
}
