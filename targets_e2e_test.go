package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/httpx"
)

// targetsSpec serves e2e.test from the ClouDNS fake and a zone file, with
// one record set each target gets alone.
const targetsSpec = `zone: e2e.test
providers: [cloud, local]
records:
  "@":
    - {type: NS, values: [ns1.e2e.test., ns2.example.net.]}
    - {type: A, value: 192.0.2.1}
  a:
    - {type: A, value: 192.0.2.10}
  b:
    - {type: A, value: 192.0.2.11}
  c:
    - {type: A, value: 192.0.2.12}
  ns1:
    - {type: A, value: 192.0.2.53}
  cdn:
    - {type: CNAME, value: edge.example.net., only: [cloud]}
    - {type: A, value: 192.0.2.80, except: [cloud]}
`

// applyDoc is the part of apply --format json this test reads.
type applyDoc struct {
	Zones []struct {
		Zone, Provider, Target string
		Results                []struct{ Status, Name, Error string }
	}
	TargetsDiffer []string `json:"targets_differ"`
}

// TestTwoTargetsOneFailingHalfway: a zone served by two providers, through
// the CLI. The ClouDNS target fails at its second change: it stops there,
// the zone file target still completes, apply exits 1 and names the target
// that now differs. Once the API works again, a new plan changes only that
// target, and a second apply leaves both as the spec says.
func TestTwoTargetsOneFailingHalfway(t *testing.T) {
	api, dir, step := twoTargets(t)
	cloud := e2eProviders[0]
	step(0, "validate")
	text := step(2, "plan", "--detailed-exitcode")
	assert.Contains(t, text, "zone e2e.test (provider cloud)")
	assert.Contains(t, text, "zone e2e.test (provider local)")

	var planned struct {
		Zones []struct{ Zone, Provider, Target string }
	}
	require.NoError(t, json.Unmarshal([]byte(step(0, "plan", "--format", "json")), &planned))
	require.Len(t, planned.Zones, 2)
	assert.Equal(t, "e2e.test@cloud", planned.Zones[0].Target, "targets in the order of the spec's providers")
	assert.Equal(t, "e2e.test@local", planned.Zones[1].Target)

	// Every change ClouDNS is asked for after its first one fails.
	api.Faults().Skip = func(r *http.Request) bool { return !cloud.changes(r) }
	script := []faults.Kind{faults.None}
	for range 50 {
		script = append(script, faults.ServerError)
	}
	api.Faults().Script(script...)
	var rep applyDoc
	require.NoError(t, json.Unmarshal([]byte(step(1, "apply", "--format", "json")), &rep))
	// The rest of the script is never used: no request gets a fault now.
	api.Faults().Skip = func(*http.Request) bool { return true }

	require.Len(t, rep.Zones, 2)
	statuses := func(i int) []string {
		var out []string
		for _, r := range rep.Zones[i].Results {
			out = append(out, r.Status)
		}
		return out
	}
	cloudStatuses := statuses(0)
	require.GreaterOrEqual(t, len(cloudStatuses), 3, "the cloud target has several changes")
	assert.Equal(t, []string{"ok", "failed"}, cloudStatuses[:2], "the first change lands, the second fails")
	for i, s := range cloudStatuses[2:] {
		assert.Equal(t, "skipped", s, "operation %d of the failing target runs after its failure", i+3)
		assert.Contains(t, rep.Zones[0].Results[i+2].Error, "target e2e.test@cloud stops at its first operation that did not succeed")
	}
	for _, s := range statuses(1) {
		assert.Equal(t, "ok", s, "the zone file target completes although the other failed")
	}
	assert.Equal(t, []string{"e2e.test@cloud"}, rep.TargetsDiffer)

	zoneFile, err := os.ReadFile(filepath.Join(dir, "live", "e2e.test.zone"))
	require.NoError(t, err)
	assert.Regexp(t, `cdn\s+3600\s+IN\s+A\s+192\.0\.2\.80`, string(zoneFile), "the zone file holds its own cdn record")
	assert.NotContains(t, string(zoneFile), "edge.example.net", "the zone file holds the cloud target's cdn record")

	// The API works again: only the target that differs has changes left.
	require.NoError(t, json.Unmarshal([]byte(step(0, "plan", "--format", "json")), &planned))
	var left struct {
		Zones []struct {
			Target     string
			Operations []json.RawMessage
		}
	}
	require.NoError(t, json.Unmarshal([]byte(step(0, "plan", "--format", "json")), &left))
	require.Len(t, left.Zones, 2)
	assert.NotEmpty(t, left.Zones[0].Operations, "e2e.test@cloud has changes left")
	assert.Empty(t, left.Zones[1].Operations, "e2e.test@local has none")

	out := step(0, "apply")
	assert.NotContains(t, out, "did not complete")
	step(0, "plan", "--detailed-exitcode")
}

// twoTargets sets up a project serving e2e.test from the ClouDNS fake
// (provider cloud) and a zone file (provider local), and returns the fake
// the project's directory, and a function running zonesync in it, checking its exit code.
func twoTargets(t *testing.T) (api fakeAPI, dir string, step func(want int, args ...string) string) {
	t.Setenv("E2E_PASSWORD", e2eSecret)
	base, most := httpx.DefaultBaseDelay, httpx.DefaultMaxDelay
	httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = time.Millisecond, 2*time.Millisecond
	t.Cleanup(func() { httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = base, most })

	cloud := e2eProviders[0]
	require.Equal(t, "cloudns", cloud.name)
	api = cloud.fake()
	seed := &model.Zone{Name: "e2e.test", Mode: model.Master, TTL: 3600}
	for _, r := range [][3]string{{"@", "NS", "ns1.e2e.test."}, {"@", "A", "192.0.2.1"}, {"ns1", "A", "192.0.2.53"}} {
		rs, err := model.NewRecordSet(r[0], r[1], 3600, r[2])
		require.NoError(t, err)
		seed.Records = append(seed.Records, rs)
	}
	seed.SortRecords()
	require.NoError(t, api.Seed(seed))
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	dir = t.TempDir()
	cfg := filepath.Join(dir, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("providers:\n  cloud:\n    "+strings.Replace(cloud.config, "%s", srv.URL, 1)+
		"  local:\n    type: zonefile\n    directory: ./live\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "zones"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "live"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", "e2e.test.yaml"), []byte(targetsSpec), 0o644))

	return api, dir, func(want int, args ...string) string {
		t.Helper()
		code, out, errOut := zonesync(t, append([]string{"--config", cfg}, args...)...)
		require.Equal(t, want, code, "zonesync %s:\n%s%s", strings.Join(args, " "), out, errOut)
		require.NotContains(t, out+errOut, e2eSecret)
		return out
	}
}

// TestTargetReportInText: apply's text output says which target differs,
// and from which.
func TestTargetReportInText(t *testing.T) {
	api, _, step := twoTargets(t)
	cloud := e2eProviders[0]
	api.Faults().Skip = func(r *http.Request) bool { return !cloud.changes(r) }
	var script []faults.Kind
	for range 50 {
		script = append(script, faults.ServerError)
	}
	api.Faults().Script(script...)
	out := step(1, "apply")
	assert.Contains(t, out, "target e2e.test@cloud did not complete and now differs from the spec and from e2e.test@local; run plan to see what is left")
}

// TestSavedPlanOfTwoTargets: a saved plan is checked target by target: a
// change to one target's live state makes it stale, naming that target's
// provider, and a spec that no longer serves the zone from a provider
// leaves that target's plan without a spec.
func TestSavedPlanOfTwoTargets(t *testing.T) {
	_, dir, step := twoTargets(t)
	planFile := filepath.Join(dir, "plan.json")
	step(0, "plan", "-out", planFile)

	// Someone creates the zone in the zone file target meanwhile.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "live", "e2e.test.zone"), []byte(`$ORIGIN e2e.test.
@ 3600 IN SOA ns1.e2e.test. hostmaster.e2e.test. 1 7200 3600 1209600 3600
@ 3600 IN NS ns1.e2e.test.
`), 0o644))
	code, out, errOut := zonesync(t, "--config", filepath.Join(dir, "zonesync.yaml"), "apply", planFile)
	require.Equal(t, 1, code, out+errOut)
	assert.Contains(t, errOut, "live state of zone e2e.test at provider local changed since the plan was made")
	assert.NotContains(t, errOut, "at provider cloud", "the cloud target's live state is as planned")

	// The spec drops the zone file provider: neither target's plan fits.
	step(0, "plan", "-out", planFile)
	spec := strings.Replace(targetsSpec, "providers: [cloud, local]", "providers: [cloud]", 1)
	spec = strings.Replace(spec, "    - {type: A, value: 192.0.2.80, except: [cloud]}\n", "", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", "e2e.test.yaml"), []byte(spec), 0o644))
	code, out, errOut = zonesync(t, "--config", filepath.Join(dir, "zonesync.yaml"), "apply", planFile)
	require.Equal(t, 1, code, out+errOut)
	assert.Contains(t, errOut, "target e2e.test@cloud: the plan covers it, but the spec of zone e2e.test names other providers since the plan was made; make a new plan")
	assert.Contains(t, errOut, "target e2e.test@local: the plan covers it, but the spec of zone e2e.test names other providers since the plan was made; make a new plan")
	assert.NotContains(t, errOut, "no spec declares it", "the spec still declares the zone")
}
