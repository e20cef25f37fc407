package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/namedtest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/ownership"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
	"github.com/zonesync/zonesync/spec"
)

// sharedZoneFile is seedZone as a zone file, for the zonefile provider.
const sharedZoneFile = `$TTL 3600
@ IN SOA ns1.example.net. hostmaster.e2e.test. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
@ IN A 192.0.2.1
@ IN MX 10 mail.e2e.test.
www IN CNAME e2e.test.
mail IN A 192.0.2.25
_sip._tcp IN SRV 10 60 5060 sip.e2e.test.
txt IN TXT "hello world"
`

// TestSharedZoneThroughTheCLI: on every provider (the HTTP ones' fakes,
// real BIND and PowerDNS servers, zone files), two projects with
// different owners share one zone, each running zonesync's plan and
// apply on its own spec, round after round, while a
// third writer (a person, external-dns) changes its own records between
// the runs. The first project turns ownership mode on with import, its
// first plan creating the markers of what it declares. Neither project
// changes a record set it does not own, both plan as no change after
// every apply, the third writer's records are never touched, and a set
// dropped from a spec goes with its marker and nothing else.
func TestSharedZoneThroughTheCLI(t *testing.T) {
	t.Setenv("E2E_PASSWORD", e2eSecret)
	base, most := httpx.DefaultBaseDelay, httpx.DefaultMaxDelay
	httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = time.Millisecond, 2*time.Millisecond
	defer func() { httpx.DefaultBaseDelay, httpx.DefaultMaxDelay = base, most }()

	// start makes the shared zone at a provider and returns the provider's config entry.
	type target struct {
		name string
		// start returns the provider's config entry and the zone's name.
		start func(t *testing.T) (string, string)
	}
	targets := []target{{"zonefile", func(t *testing.T) (string, string) {
		live := filepath.Join(t.TempDir(), "live")
		require.NoError(t, os.Mkdir(live, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(live, "e2e.test.zone"), []byte(sharedZoneFile), 0o644))
		return "type: zonefile\n    directory: " + live + "\n", "e2e.test"
	}}}
	for _, p := range e2eProviders {
		targets = append(targets, target{p.name, func(t *testing.T) (string, string) {
			api := p.fake()
			require.NoError(t, api.Seed(seedZone(t)))
			srv := httptest.NewServer(api)
			t.Cleanup(srv.Close)
			return strings.Replace(p.config, "%s", srv.URL, 1), "e2e.test"
		}})
	}
	targets = append(targets, target{"rfc2136", func(t *testing.T) (string, string) {
		secret := namedtest.Secret(32)
		acl := `check-names ignore; check-integrity no; allow-update { key "zonesync-key"; }; allow-transfer { key "zonesync-key"; };`
		srv := namedtest.StartT(t, namedtest.Config{
			Keys:  []namedtest.Key{{Name: "zonesync-key", Algorithm: "hmac-sha256", Secret: secret}},
			Zones: []namedtest.Zone{{Name: "e2e.test", Statements: acl, Data: sharedZoneFile}},
		})
		t.Setenv("TSIG_SECRET", secret)
		return "type: rfc2136\n    server: " + srv.Addr + "\n    tsig: {name: zonesync-key, secret: \"${TSIG_SECRET}\"}\n", "e2e.test"
	}})
	targets = append(targets, target{"powerdns", func(t *testing.T) (string, string) {
		srv := pdnstest.Own(t)
		zone := srv.NewZone(t, "Master")
		var rrsets []map[string]any
		for _, rs := range seedZone(t).Records {
			var records []map[string]any
			for _, v := range rs.Values {
				v = strings.ReplaceAll(v, "e2e.test.", zone+".")
				records = append(records, map[string]any{"content": v, "disabled": false})
			}
			rrsets = append(rrsets, map[string]any{"name": model.FQDN(rs.Name, zone), "type": rs.Type, "ttl": rs.TTL, "changetype": "REPLACE", "records": records})
		}
		srv.MustDo(t, 204, "PATCH", "/api/v1/servers/localhost/zones/"+zone+".", map[string]any{"rrsets": rrsets}, nil)
		t.Setenv("PDNS_API_KEY", srv.Key)
		return "type: powerdns\n    endpoint: " + srv.API + "\n    api_key: ${PDNS_API_KEY}\n", zone
	}})
	for _, tc := range targets {
		t.Run(tc.name, func(t *testing.T) {
			providerConfig, zone := tc.start(t)
			project := func(owner string) *sharedProject {
				dir := t.TempDir()
				require.NoError(t, os.Mkdir(filepath.Join(dir, "zones"), 0o755))
				cfg := filepath.Join(dir, "zonesync.yaml")
				require.NoError(t, os.WriteFile(cfg, []byte("providers:\n  shared:\n    "+providerConfig+"ownership: {owner: \""+owner+"\"}\n"), 0o644))
				return &sharedProject{t: t, owner: owner, zone: zone, cfg: cfg, spec: filepath.Join(dir, "zones", zone+".yaml")}
			}
			a, b := project("git:team-a"), project("git:team-b")

			// Project A turns ownership mode on: import, whose spec adopts
			// the unmarked sets; its first plan marks them; then adopt goes.
			code, spec, errOut := zonesync(t, "--config", a.cfg, "import", "--provider", "shared", "--zone", zone)
			require.Equal(t, 0, code, errOut)
			require.Contains(t, spec, "ownership: {adopt: unmarked}")
			a.write(spec)
			code, out, errOut := zonesync(t, "--config", a.cfg, "plan", "--detailed-exitcode")
			require.Equal(t, 2, code, out+errOut)
			ops := a.planOps()
			require.NotEmpty(t, ops)
			for _, op := range ops {
				require.True(t, op.Action == plan.Create && op.Marker != nil && op.Marker.Adopt, "the first plan only marks what the spec declares: %s %s %s", op.Action, op.Name, op.Type)
			}
			a.apply(nil)
			a.write(strings.Join(withoutLines(strings.Split(spec, "\n"), "ownership:"), "\n"))
			a.requireNoChange()

			bSpec := func(r int) string {
				return fmt.Sprintf("zone: %s\nprovider: shared\nttl: 3600\nrecords:\n  api:\n    - {type: A, value: 192.0.2.%d}\n  _dmarc:\n    - {type: TXT, value: \"v=DMARC1; p=none\"}\n", zone, 40+r)
			}
			third := func(r int) map[string][]string {
				return map[string][]string{
					"manual A":  {fmt.Sprintf("192.0.2.%d", 100+r)},
					"k8s A":     {"192.0.2.50"},
					"a-k8s TXT": {model.TXTValue("heritage=external-dns,external-dns/owner=cluster1")},
				}
			}
			aSpec := spec
			for r := 1; r <= 2; r++ {
				b.write(bSpec(r))
				b.apply(b.declared(bSpec(r - 1)))
				a.requireNoChange()
				writeForeign(t, a.cfg, zone, third(r))
				aNext := strings.Replace(strings.Join(withoutLines(strings.Split(aSpec, "\n"), "ownership:"), "\n"), "192.0.2.25", fmt.Sprintf("192.0.2.%d", 25+r), 1)
				a.write(aNext)
				a.apply(a.declared(aSpec))
				b.requireNoChange()
				aSpec = aNext
			}
			code, out, errOut = zonesync(t, "--config", a.cfg, "plan")
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, "left alone: record sets zonesync does not own")
			assert.Contains(t, out, "owner git:team-b: 4")
			assert.Contains(t, out, "external-dns (owner cluster1): 2")

			// Dropping txt TXT from A's spec deletes it and its marker only.
			before := liveSets(t, a.cfg, zone)
			a.write(strings.Replace(aSpec, "  txt:\n    - type: TXT\n      value: hello world\n", "", 1))
			ops = a.planOps()
			marker, err := ownership.Name(zone, "txt", "TXT")
			require.NoError(t, err)
			var got []string
			for _, op := range ops {
				got = append(got, string(op.Action)+" "+op.Name+" "+op.Type)
			}
			require.ElementsMatch(t, []string{"delete txt TXT", "delete " + marker + " TXT"}, got)
			a.apply(a.declared(aSpec))
			after := liveSets(t, a.cfg, zone)
			delete(before, "txt TXT")
			delete(before, marker+" TXT")
			assert.Equal(t, before, after, "what dropping txt TXT left")
			b.requireNoChange()
			a.requireNoChange()
			for k, v := range third(2) {
				assert.Equal(t, v, after[k].Values, "the third writer's %s", k)
			}
		})
	}
}

// sharedProject is one of the two projects sharing the zone.
type sharedProject struct {
	t          *testing.T
	owner      string
	zone       string
	cfg, spec  string
	lastPlanAt string
}

func (p *sharedProject) write(spec string) {
	require.NoError(p.t, os.WriteFile(p.spec, []byte(spec), 0o644))
}

// declared lists the record sets a spec's text declares, by key.
func (p *sharedProject) declared(text string) map[string]bool {
	p.t.Helper()
	out := map[string]bool{}
	if text == "" {
		return out
	}
	cfg, err := config.Load(p.cfg)
	require.NoError(p.t, err)
	caps := func(string) (model.Capabilities, bool) { return sharedProvider(p.t, p.cfg).Capabilities(), true }
	z, err := spec.ParseZone(p.spec, []byte(text), cfg, caps)
	require.NoError(p.t, err)
	for _, rs := range z.Records {
		out[rs.Key()] = true
	}
	return out
}

// planOps is the operations of the project's plan, saved to a file.
func (p *sharedProject) planOps() []*plan.Operation {
	p.t.Helper()
	p.lastPlanAt = filepath.Join(filepath.Dir(p.cfg), "plan.json")
	code, out, errOut := zonesync(p.t, "--config", p.cfg, "plan", "--format", "json", "-out", p.lastPlanAt)
	require.Equal(p.t, 0, code, out+errOut)
	data, err := os.ReadFile(p.lastPlanAt)
	require.NoError(p.t, err)
	var pl plan.Plan
	require.NoError(p.t, json.Unmarshal(data, &pl))
	require.Empty(p.t, pl.Refusals, "%s's plan is refused", p.owner)
	require.Len(p.t, pl.Zones, 1)
	return pl.Zones[0].Operations
}

// apply plans, checks the plan names only what the spec declares now or
// declared before (prev) and their markers, applies the saved plan, and
// checks that no other live record set changed and that the project
// then plans as no change.
func (p *sharedProject) apply(prev map[string]bool) {
	p.t.Helper()
	now := p.declared(readString(p.t, p.spec))
	before := liveSets(p.t, p.cfg, p.zone)
	ops := p.planOps()
	touched := map[string]bool{}
	for _, op := range ops {
		touched[op.Name+" "+op.Type] = true
		switch {
		case op.Name == "":
		case op.Marker != nil:
			k := op.Marker.Name + " " + op.Marker.Type
			assert.True(p.t, now[k] || prev[k], "%s: a marker operation on %s %s, for %s, a set it does not declare", p.owner, op.Name, op.Type, k)
		default:
			assert.True(p.t, now[op.Name+" "+op.Type] || prev[op.Name+" "+op.Type], "%s: %s %s %s, a set it does not declare", p.owner, op.Action, op.Name, op.Type)
		}
	}
	code, out, errOut := zonesync(p.t, "--config", p.cfg, "apply", p.lastPlanAt)
	require.Equal(p.t, 0, code, "%s apply:\n%s%s", p.owner, out, errOut)
	after := liveSets(p.t, p.cfg, p.zone)
	for k, v := range before {
		if !touched[k] {
			assert.Equal(p.t, v, after[k], "%s's apply changed %s, which its plan does not name", p.owner, k)
		}
	}
	for k := range after {
		if !touched[k] {
			assert.Contains(p.t, before, k, "%s's apply added %s, which its plan does not name", p.owner, k)
		}
	}
	p.requireNoChange()
}

func (p *sharedProject) requireNoChange() {
	p.t.Helper()
	code, out, errOut := zonesync(p.t, "--config", p.cfg, "plan", "--detailed-exitcode")
	require.Equal(p.t, 0, code, "%s's plan:\n%s%s", p.owner, out, errOut)
}

func readString(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	return string(data)
}

// withoutLines drops the lines that start with prefix.
func withoutLines(lines []string, prefix string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// sharedProvider opens the provider "shared" of a project's config.
func sharedProvider(t *testing.T, cfgFile string) providers.Provider {
	t.Helper()
	cfg, err := config.Load(cfgFile)
	require.NoError(t, err)
	p, err := providers.New(cfg.Providers["shared"])
	require.NoError(t, err)
	return p
}

// liveSets reads the shared zone through its provider: TTL and values by key.
func liveSets(t *testing.T, cfgFile, zone string) map[string]*model.RecordSet {
	t.Helper()
	live, err := sharedProvider(t, cfgFile).ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	out := map[string]*model.RecordSet{}
	for _, rs := range live.Records {
		out[rs.Key()] = &model.RecordSet{Name: rs.Name, Type: rs.Type, TTL: rs.TTL, Values: rs.Values}
	}
	return out
}

// writeForeign is the third writer: it sets record sets (values by key)
// through the provider's API, one operation at a time, without markers
// and without touching anything else.
func writeForeign(t *testing.T, cfgFile, zone string, sets map[string][]string) {
	t.Helper()
	p := sharedProvider(t, cfgFile)
	live, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	desired := *live
	desired.Provider, desired.SOA, desired.Ownership = "shared", nil, nil
	desired.Records = nil
	for _, rs := range live.Records {
		if _, ok := sets[rs.Key()]; !ok {
			desired.Records = append(desired.Records, rs)
		}
	}
	for k, values := range sets {
		name, rrtype, _ := strings.Cut(k, " ")
		ttl := uint32(3600)
		if rs := live.Find(name, rrtype); rs != nil {
			ttl = rs.TTL
		}
		desired.Records = append(desired.Records, &model.RecordSet{Name: name, Type: rrtype, TTL: ttl, Values: values})
	}
	desired.SortRecords()
	zp, err := plan.Zone(&desired, live, p.Capabilities(), nil)
	require.NoError(t, err)
	for _, op := range zp.Operations {
		require.Contains(t, sets, op.Name+" "+op.Type, "the third writer's plan touches %s %s (a test setup problem)", op.Name, op.Type)
		require.NoError(t, p.Apply(context.Background(), live, []*plan.Operation{op})[0], "third writer: %s %s %s", op.Action, op.Name, op.Type)
	}
}
