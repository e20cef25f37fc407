package cloudns

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/providers/httpx"
)

const (
	testAuthID   = "4242"
	testPassword = "s3cret-Pa55word!"
)

// env is a provider talking to a fresh fake over HTTP.
type env struct {
	p    *Provider
	fake *fake.Server
	srv  *httptest.Server
}

// newEnv starts a fake and a provider with fast retries. wrap, when set,
// sits between the client and the fake (to inspect requests).
func newEnv(t *testing.T, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	f := fake.New(fake.Options{AuthID: testAuthID, SubAuthID: "77", SubAuthUser: "ops", Password: testPassword})
	var h http.Handler = f
	if wrap != nil {
		h = wrap(f)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	p, err := New(Settings{AuthID: testAuthID, AuthPassword: testPassword, Settings: httpx.Settings{Endpoint: srv.URL, RequestsPerSecond: 10000, Burst: 100, Timeout: "2s"}})
	require.NoError(t, err)
	fastRetries(p)
	return &env{p: p, fake: f, srv: srv}
}

// fastRetries keeps backoff short so that fault tests stay fast.
func fastRetries(p *Provider) {
	p.c.http.BaseDelay = time.Millisecond
	p.c.http.MaxDelay = 2 * time.Millisecond
	p.c.http.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
}

// zoneOf builds a desired zone from name/type/values triples (TTL 3600).
func zoneOf(t *testing.T, name string, sets ...*model.RecordSet) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: name, Provider: "cloudns", Mode: model.Master, TTL: 3600}
	for _, rs := range sets {
		ttl := rs.TTL
		if ttl == 0 {
			ttl = 3600
		}
		canon, err := model.NewRecordSet(rs.Name, rs.Type, ttl, rs.Values...)
		require.NoError(t, err, "test data")
		cp := *rs
		cp.TTL, cp.Values = ttl, canon.Values
		z.Records = append(z.Records, &cp)
	}
	z.SortRecords()
	return z
}

func set(name, rrtype string, values ...string) *model.RecordSet {
	return &model.RecordSet{Name: name, Type: rrtype, Values: values}
}

// planFor reads the live zone and diffs desired against it.
func (e *env) planFor(t *testing.T, desired *model.Zone) (*plan.ZonePlan, *model.Zone) {
	t.Helper()
	live, err := e.p.ReadZone(context.Background(), desired.Name, providers.ReadOptions{})
	if !isNotFound(err) {
		require.NoError(t, err, "ReadZone")
	}
	return providertest.Plan(t, desired, live, e.p.Capabilities()), live
}

func isNotFound(err error) bool {
	return err != nil && errors.Is(err, providers.ErrZoneNotFound)
}

// run plans desired and applies the plan through apply.Run, as the CLI does.
func (e *env) run(t *testing.T, desired *model.Zone) (*plan.ZonePlan, *apply.ZoneReport) {
	t.Helper()
	zp, live := e.planFor(t, desired)
	return zp, e.runPlan(zp, desired, live)
}

func (e *env) runPlan(zp *plan.ZonePlan, desired, live *model.Zone) *apply.ZoneReport {
	return e.runPlanWith(e.p, zp, desired, live)
}

// runPlanWith applies a plan through p, the env's provider or a wrapper of it.
func (e *env) runPlanWith(p providers.Provider, zp *plan.ZonePlan, desired, live *model.Zone) *apply.ZoneReport {
	return apply.Zone(context.Background(), p, desired, live, zp, nil)
}

// mustSync applies desired and fails the test on any operation that is not ok.
func (e *env) mustSync(t *testing.T, desired *model.Zone) *plan.ZonePlan {
	t.Helper()
	zp, rep := e.run(t, desired)
	requireOK(t, rep)
	again, _ := e.planFor(t, desired)
	require.Empty(t, opsOf(again), "plan after apply")
	return zp
}

// requireOK fails the test unless every operation of the report is ok.
func requireOK(t *testing.T, rep *apply.ZoneReport) {
	t.Helper()
	for _, r := range rep.Results {
		require.Equal(t, apply.OK, r.Status, "operation %d %s %s %s: %s", r.Seq, r.Action, r.Name, r.Type, r.Error)
	}
}

// opsOf lists a plan's operations as "action name type", for comparing plans.
func opsOf(zp *plan.ZonePlan) []string {
	var out []string
	for _, op := range zp.Operations {
		out = append(out, strings.TrimSpace(string(op.Action)+" "+op.Name+" "+op.Type))
	}
	return out
}

// onlyRecord returns what the fake holds at a host and type of example.test.
func onlyRecord(t *testing.T, e *env, host, typ string) []fake.Record {
	t.Helper()
	var out []fake.Record
	for _, r := range e.fake.Records("example.test") {
		if r.Host == host && r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}
