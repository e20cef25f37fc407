package main

// The pull-request loop, as a new user meets it: what a green plan
// promises about the apply on merge, failures as documents, reruns.

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	cloudns "github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/providers/faults"
	plesk "github.com/zonesync/zonesync/providers/plesk/fake"
)

// fakeProject serves api, seeded with the live zones, and writes a project
// whose provider "dns" of type kind (an e2eProviders entry) points at it,
// with the given specs. It returns the config's path.
func fakeProject(t *testing.T, kind string, api fakeAPI, live []*model.Zone, specs map[string]string) string {
	t.Helper()
	t.Setenv("E2E_PASSWORD", e2eSecret)
	for _, z := range live {
		require.NoError(t, api.Seed(z))
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	var provider string
	for _, p := range e2eProviders {
		if p.name == kind {
			provider = "  dns:\n    " + strings.Replace(p.config, "%s", srv.URL, 1)
		}
	}
	require.NotEmpty(t, provider, kind)
	return writeProject(t, "providers:\n"+provider, specs)
}

// seedNamed is seedZone under another name.
func seedNamed(t *testing.T, name string) *model.Zone {
	z := seedZone(t)
	z.Name = name
	return z
}

// changeCalls are the fake's calls that are not reads, by endpoint.
func changeCalls(in *faults.Injector, reads ...string) map[string]int {
	out := map[string]int{}
	for ep, n := range in.AllCalls() {
		read := false
		for _, r := range reads {
			read = read || ep == r
		}
		if !read {
			out[ep] = n
		}
	}
	return out
}

var cloudnsReads = []string{"login", "list-zones", "get-pages-count", "get-zones-stats", "get-zone-info", "records", "get-records-count", "soa-details", "master-servers", "failover-settings"}

func TestPlanRefusesAModeSwitchClouDNSCannotMake(t *testing.T) {
	api := cloudns.New(cloudns.Options{AuthID: "4242", Password: e2eSecret})
	cfg := fakeProject(t, "cloudns", api, []*model.Zone{seedZone(t)}, map[string]string{
		"e2e.test.yaml": "zone: e2e.test\nprovider: dns\nmode: slave\nmasters: [192.0.2.53]\n",
	})
	// What the provider's Apply says about this switch.
	conf, err := config.Load(cfg)
	require.NoError(t, err)
	set, err := providers.Open(conf)
	require.NoError(t, err)
	p, _ := set.Get("dns")
	live, err := p.ReadZone(context.Background(), "e2e.test", providers.ReadOptions{})
	require.NoError(t, err)
	errs := p.Apply(context.Background(), live, []*plan.Operation{{Seq: 1, Action: plan.SwitchMode,
		Before: &plan.State{Mode: model.Master}, After: &plan.State{Mode: model.Slave, Masters: []string{"192.0.2.53"}}}})
	require.Error(t, errs[0])
	applySays := errs[0].Error()
	assert.Contains(t, applySays, "e2e.test")
	assert.Contains(t, applySays, "the ClouDNS API has no call that changes an existing zone's type")
	api.Faults().ResetCounts()

	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	assert.Equal(t, 1, code, out)
	assert.Equal(t, "zonesync: "+applySays+"\n", errOut, "plan refuses in apply's words")
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--format", "markdown")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "### zonesync plan failed")
	assert.Contains(t, out, applySays)
	assert.Contains(t, errOut, applySays)

	code, _, errOut = zonesync(t, "--config", cfg, "apply", "--auto-approve")
	assert.Equal(t, 1, code)
	assert.Equal(t, "zonesync: "+applySays+"\n", errOut)
	assert.Empty(t, changeCalls(api.Faults(), cloudnsReads...), "a refused plan changed something")
}

func TestPlanRefusesAZonePleskCannotCreate(t *testing.T) {
	api := plesk.New(plesk.Options{Login: "admin", Password: e2eSecret})
	cfg := fakeProject(t, "plesk", api, []*model.Zone{seedZone(t)}, map[string]string{
		"new.test.yaml": "zone: new.test\nprovider: dns\nttl: 3600\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
	})
	code, out, errOut := zonesync(t, "--config", cfg, "plan")
	assert.Equal(t, 1, code, out)
	assert.Equal(t, "zonesync: plesk: create_zone of the zone in new.test: Plesk's DNS API cannot create zones: create the site new.test in Plesk first\n", errOut)
}

func TestValidateNamesAMissingZoneFileDirectory(t *testing.T) {
	cfg := writeProject(t, "providers:\n  local:\n    type: zonefile\n    directory: ./nowhere\n", map[string]string{
		"example.com.yaml": "zone: example.com\nprovider: local\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
	})
	missing := filepath.Join(filepath.Dir(cfg), "nowhere")
	for _, cmd := range []string{"validate", "plan", "apply"} {
		code, out, errOut := zonesync(t, "--config", cfg, cmd)
		assert.Equal(t, 1, code, cmd)
		assert.Empty(t, out, cmd)
		assert.Equal(t, cfg+":4:5: providers.local: directory "+missing+" does not exist; create it (mkdir -p "+missing+") or set directory to where the <zone>.zone files are\n", errOut, cmd)
	}
}

// refusedProject is the examples with example.org's live zone holding 20
// records its spec does not: a plan that deletes 83% of it.
func refusedProject(t *testing.T) string {
	t.Helper()
	cfg := copyExamples(t)
	var lines strings.Builder
	for i := 0; i < 20; i++ {
		lines.WriteString("stale" + string(rune('a'+i)) + " 300 IN A 203.0.113.1\n")
	}
	appendLive(t, cfg, "example.org", lines.String())
	return cfg
}

func TestRefusedPlanFailsTheCheckAndForceGoesThrough(t *testing.T) {
	cfg := refusedProject(t)
	dir := filepath.Dir(cfg)

	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--format", "markdown", "--detailed-exitcode")
	assert.Equal(t, 1, code, "a refused plan must fail the pull request check")
	assert.Contains(t, out, "**Refused.** The safety checks refuse this plan")
	assert.Contains(t, out, "`zonesync:force`")
	assert.Contains(t, out, "-stalet", "the full diff is still shown")
	assert.Contains(t, errOut, "the safety checks refuse this plan")

	// An unforced saved plan is refused by apply, unless apply --force.
	unforced := filepath.Join(dir, "unforced.json")
	code, _, _ = zonesync(t, "--config", cfg, "plan", "-out", unforced)
	assert.Equal(t, 1, code)
	code, _, errOut = zonesync(t, "--config", cfg, "apply", unforced)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "zonesync: refused: example.org: the plan would delete 20 of 24")

	// plan --force: green, and the saved plan records it.
	forced := filepath.Join(dir, "forced.json")
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--force", "--format", "markdown", "-out", forced, "--detailed-exitcode")
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, out, "**Forced.**")
	var saved map[string]any
	data, err := os.ReadFile(forced)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &saved))
	assert.Equal(t, true, saved["forced"])
	assert.EqualValues(t, 1, saved["format_version"])

	// A new refusal, one the forced plan never showed, is not forced:
	// here a stricter safety config, with live state and specs unchanged.
	conf, err := os.ReadFile(cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg, []byte(strings.Replace(string(conf), "max_update_percent: 50", "max_update_percent: 1", 1)), 0o644))
	code, _, errOut = zonesync(t, "--config", cfg, "apply", forced)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "refused: example.com: the plan would update")
	require.NoError(t, os.WriteFile(cfg, conf, 0o644))

	// The forced plan applies without --force: the review forced it.
	code, out, errOut = zonesync(t, "--config", cfg, "apply", forced, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rep struct {
		Forced []string `json:"forced"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	assert.Len(t, rep.Forced, 1)
	code, _, _ = zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	assert.Equal(t, 0, code)
}

func TestFailuresAreDocuments(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	specFile := filepath.Join(dir, "zones", "example.com.yaml")
	good, err := os.ReadFile(specFile)
	require.NoError(t, err)
	broken := strings.Replace(string(good), "value: 2001:db8::10", "value: 2001:db8::zz", 1)
	require.NoError(t, os.WriteFile(specFile, []byte(broken), 0o644))

	t.Run("plan markdown replaces the PR comment with the errors", func(t *testing.T) {
		code, out, errOut := zonesync(t, "--config", cfg, "plan", "--format", "markdown")
		assert.Equal(t, 1, code)
		assert.True(t, strings.HasPrefix(out, plan.MarkerComment(filepath.ToSlash(cfg))+"\n"), out)
		assert.Contains(t, out, "### zonesync plan failed")
		assert.Contains(t, out, "example.com.yaml:")
		assert.Contains(t, out, "2001:db8::zz")
		assert.Contains(t, errOut, "2001:db8::zz")
	})
	t.Run("plan json", func(t *testing.T) {
		code, out, _ := zonesync(t, "--config", cfg, "plan", "--format", "json")
		assert.Equal(t, 1, code)
		var p plan.Plan
		require.NoError(t, json.Unmarshal([]byte(out), &p), out)
		require.Len(t, p.Errors, 1)
		assert.Equal(t, specFile, p.Errors[0].File)
		assert.Positive(t, p.Errors[0].Line)
		assert.Positive(t, p.Errors[0].Column)
		assert.Contains(t, p.Errors[0].Message, "2001:db8::zz")
	})
	t.Run("apply json and markdown", func(t *testing.T) {
		code, out, _ := zonesync(t, "--config", cfg, "apply", "--format", "json")
		assert.Equal(t, 1, code)
		var rep struct {
			Zones  []any          `json:"zones"`
			Errors []plan.Problem `json:"errors"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
		assert.NotNil(t, rep.Zones)
		require.Len(t, rep.Errors, 1)
		assert.Contains(t, rep.Errors[0].Message, "2001:db8::zz")

		code, out, _ = zonesync(t, "--config", cfg, "apply", "--format", "markdown")
		assert.Equal(t, 1, code)
		assert.True(t, strings.HasPrefix(out, "<!-- zonesync-apply: "+filepath.ToSlash(cfg)+" -->\n"), out)
		assert.Contains(t, out, "### zonesync apply failed")
		assert.Contains(t, out, "2001:db8::zz")
	})
	t.Run("a config that does not load", func(t *testing.T) {
		missing := filepath.Join(dir, "missing.yaml")
		code, out, _ := zonesync(t, "--config", missing, "apply", "--format", "json")
		assert.Equal(t, 1, code)
		assert.True(t, json.Valid([]byte(out)), out)
		code, out, _ = zonesync(t, "--config", missing, "plan", "--format", "markdown")
		assert.Equal(t, 1, code)
		assert.True(t, strings.HasPrefix(out, plan.MarkerComment(filepath.ToSlash(missing))+"\n"), out)
	})
	t.Run("annotations", func(t *testing.T) {
		t.Chdir(dir)
		t.Setenv("GITHUB_WORKSPACE", "")
		line := regexp.MustCompile(`^::error file=zones/example\.com\.yaml,line=\d+,col=\d+::.*2001:db8::zz.*\n$`)
		code, _, errOut := zonesync(t, "validate", "--error-format", "github")
		assert.Equal(t, 1, code)
		assert.Regexp(t, line, errOut)
		t.Setenv(errorFormatEnv, "github")
		code, _, errOut = zonesync(t, "plan")
		assert.Equal(t, 1, code)
		assert.Regexp(t, line, errOut)
		code, _, errOut = zonesync(t, "plan", "--error-format", "text")
		assert.Equal(t, 1, code)
		assert.True(t, strings.HasPrefix(errOut, filepath.Join("zones", "example.com.yaml")+":"), errOut)
		t.Setenv(errorFormatEnv, "sarif")
		code, _, errOut = zonesync(t, "validate")
		assert.Equal(t, 1, code)
		assert.Equal(t, "zonesync: $ZONESYNC_ERROR_FORMAT must be text or github, not \"sarif\"\n", errOut)
	})
	t.Run("refused apply", func(t *testing.T) {
		cfg := refusedProject(t)
		code, out, _ := zonesync(t, "--config", cfg, "apply", "--format", "json")
		assert.Equal(t, 1, code)
		var rep struct {
			Zones    []any    `json:"zones"`
			Refusals []string `json:"refusals"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep), "apply --format json of a refused plan printed %q", out)
		assert.Empty(t, rep.Zones)
		require.Len(t, rep.Refusals, 1)
		assert.Contains(t, rep.Refusals[0], "example.org: the plan would delete 20 of 24")
	})
}

func TestAnnotationEscaping(t *testing.T) {
	t.Setenv("GITHUB_WORKSPACE", "/repo")
	assert.Equal(t, "::error file=zones/a%2Cb%3A.yaml,line=3,col=7::100%25 wrong%0Anext",
		annotation("error", plan.Problem{File: "/repo/zones/a,b:.yaml", Line: 3, Column: 7, Message: "100% wrong\nnext"}))
	assert.Equal(t, "::error::zonesync: provider dns cannot be used",
		annotation("error", plan.Problem{Message: "provider dns cannot be used"}))
}

func TestRerunOfAnAppliedPlanIsAlreadyApplied(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	code, _, errOut := zonesync(t, "--config", cfg, "plan", "-out", planFile)
	require.Equal(t, 0, code, errOut)
	code, _, errOut = zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 0, code, errOut)

	// CI re-runs the job: the same plan file, against what it made.
	code, out, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	assert.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "zone example.com (provider local): already applied")
	assert.Contains(t, out, "Nothing to do: the plan was already applied to 3 zones.")
	code, out, errOut = zonesync(t, "--config", cfg, "apply", planFile, "--format", "json")
	assert.Equal(t, 0, code, errOut)
	var rep struct {
		AlreadyApplied []string `json:"already_applied"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, []string{"2.0.192.in-addr.arpa@local", "example.com", "example.org"}, rep.AlreadyApplied,
		"the backup target of the reverse zone had nothing to do")

	// Live state that is neither before nor after the plan is stale.
	appendLive(t, cfg, "example.org", "intruder 60 IN A 203.0.113.66\n")
	code, _, errOut = zonesync(t, "--config", cfg, "apply", planFile)
	assert.Equal(t, 1, code)
	assert.Equal(t, "zonesync: live state of zone example.org at provider local changed since the plan was made: make a new plan\n", errOut)
}

func TestPartlyAppliedPlanAppliesTheRest(t *testing.T) {
	cfg := copyExamples(t)
	dir := filepath.Dir(cfg)
	planFile := filepath.Join(dir, "plan.json")
	code, _, errOut := zonesync(t, "--config", cfg, "plan", "-out", planFile)
	require.Equal(t, 0, code, errOut)
	// One zone of the plan lands, another not: the first is already
	// applied, the rest is applied now.
	code, _, errOut = zonesync(t, "--config", cfg, "apply", "--zone", "example.com")
	require.Equal(t, 0, code, errOut)
	code, out, errOut := zonesync(t, "--config", cfg, "apply", planFile)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "zone example.com (provider local): already applied")
	assert.Contains(t, out, "zone example.org (provider local)\n  ok")
}

// accessProject has a provider "dns" of kind against its fake, with
// password as its password and five zones, and a provider "local"
// (zone files) with one zone.
func accessProject(t *testing.T, kind, password string) (cfg string, api fakeAPI) {
	t.Helper()
	var p struct {
		fake   func() fakeAPI
		config string
	}
	for _, e := range e2eProviders {
		if e.name == kind {
			p.fake, p.config = e.fake, e.config
		}
	}
	api = p.fake()
	specs := map[string]string{
		"local.test.yaml": "zone: local.test\nprovider: local\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n",
	}
	var zones []string
	for _, name := range []string{"a.test", "b.test", "c.test", "d.test", "e.test"} {
		require.NoError(t, api.Seed(seedNamed(t, name)))
		specs[name+".yaml"] = "zone: " + name + "\nprovider: dns\nttl: 3600\nrecords:\n  www:\n    - {type: A, ttl: 3600, value: 192.0.2.1}\n"
		zones = append(zones, name)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	t.Setenv("E2E_PASSWORD", password)
	cfg = writeProject(t, "providers:\n  dns:\n    "+strings.Replace(p.config, "%s", srv.URL, 1)+
		"  local:\n    type: zonefile\n    directory: live\n", specs)
	require.NoError(t, os.MkdirAll(filepath.Join(filepath.Dir(cfg), "live"), 0o755))
	api.Faults().ResetCounts()
	return cfg, api
}

func calls(in *faults.Injector) int {
	n := 0
	for _, c := range in.AllCalls() {
		n += c
	}
	return n
}

func TestWrongCredentialsCostOneCallAndOneLine(t *testing.T) {
	fastRetries(t)
	for _, kind := range []string{"cloudns", "telecomx", "plesk"} {
		t.Run(kind, func(t *testing.T) {
			cfg, api := accessProject(t, kind, "wrong-password-1234")
			code, out, errOut := zonesync(t, "--config", cfg, "plan")
			assert.Equal(t, 1, code)
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			require.Len(t, lines, 1, errOut)
			assert.True(t, strings.HasPrefix(lines[0], "zonesync: provider dns cannot be used, so its 5 zones (a.test, b.test, c.test and 2 more) were left out: "), lines[0])
			assert.Equal(t, 1, calls(api.Faults()), "calls: %v", api.Faults().AllCalls())
			// The other provider's zones are planned all the same.
			assert.Contains(t, out, "+++ local.test (desired)")
			assert.Contains(t, out, "Incomplete: 1 error left zones out of the plan.")

			code, out, errOut = zonesync(t, "--config", cfg, "plan", "--format", "json", "-out", filepath.Join(filepath.Dir(cfg), "plan.json"))
			assert.Equal(t, 1, code)
			var p plan.Plan
			require.NoError(t, json.Unmarshal([]byte(out), &p), out)
			assert.Equal(t, []string{"local.test"}, planZones(t, out))
			require.Len(t, p.Errors, 1)
			assert.Contains(t, errOut, "the plan was not saved")
			assert.NoFileExists(t, filepath.Join(filepath.Dir(cfg), "plan.json"))

			api.Faults().ResetCounts()
			code, out, errOut = zonesync(t, "--config", cfg, "apply")
			assert.Equal(t, 1, code, "apply with a provider left out fails")
			assert.Contains(t, out, "zone local.test (provider local)\n  ok")
			assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
			assert.Equal(t, 1, calls(api.Faults()))
			code, _, _ = zonesync(t, "--config", cfg, "plan", "--zone", "local.test", "--detailed-exitcode")
			assert.Equal(t, 0, code, "the other provider's zone was applied")
		})
	}
}

func TestUnreachableEndpointRetriesOnce(t *testing.T) {
	fastRetries(t)
	cfg, api := accessProject(t, "cloudns", e2eSecret)
	// Every request fails as an overloaded server does: a zone's read
	// would retry each of its calls.
	script := make([]faults.Kind, 100)
	for i := range script {
		script[i] = faults.ServerError
	}
	api.Faults().Script(script...)
	code, _, errOut := zonesync(t, "--config", cfg, "plan")
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	assert.Contains(t, errOut, "provider dns cannot be used")
	assert.Equal(t, map[string]int{"login": 5}, api.Faults().AllCalls(), "the retries of one call, not of one per zone")
}

func TestUnreachableDNSServerCostsOneLine(t *testing.T) {
	// Nothing listens on a port just freed.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	specs := map[string]string{}
	for _, name := range []string{"a.test", "b.test", "c.test"} {
		specs[name+".yaml"] = "zone: " + name + "\nprovider: ns\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n"
	}
	t.Setenv("TSIG_SECRET", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==")
	cfg := writeProject(t, "providers:\n  ns:\n    type: rfc2136\n    server: "+addr+"\n    timeout: 2s\n    tsig:\n      name: zonesync\n      secret: ${TSIG_SECRET}\n", specs)
	code, _, errOut := zonesync(t, "--config", cfg, "plan")
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	assert.True(t, strings.HasPrefix(errOut, "zonesync: provider ns cannot be used, so its 3 zones (a.test, b.test, c.test) were left out: rfc2136: SOA query a.test at "+addr+": "), errOut)
}
