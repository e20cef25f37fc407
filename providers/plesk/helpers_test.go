package plesk_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/plesk"
	"github.com/zonesync/zonesync/providers/plesk/fake"
)

// Credentials the test fakes accept.
const (
	testLogin    = "admin"
	testPassword = "s3cret-Passw0rd"
	testKey      = "0123abcd-secret-key-4567"
)

// fixture is a fake Plesk server and a provider pointed at it.
type fixture struct {
	fake *fake.Server
	srv  *httptest.Server
	p    *plesk.Provider
}

// newFixture starts a fake with the given sites and a provider that logs
// in with login and password, paced fast and with short backoffs.
func newFixture(t *testing.T, sites ...string) *fixture {
	t.Helper()
	f := fake.New(fake.Options{Login: testLogin, Password: testPassword, SecretKey: testKey})
	for _, s := range sites {
		_, err := f.AddSite(s)
		require.NoError(t, err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &fixture{fake: f, srv: srv, p: newProvider(t, plesk.Settings{Login: testLogin, Password: testPassword, Settings: httpx.Settings{Endpoint: srv.URL}})}
}

// newProvider builds a provider for tests: no rate limit to speak of,
// millisecond backoffs, short timeouts.
func newProvider(t *testing.T, s plesk.Settings) *plesk.Provider {
	t.Helper()
	s.RequestsPerSecond, s.Burst = 100000, 1000
	if s.Timeout == "" {
		s.Timeout = "2s"
	}
	p, err := plesk.New(s)
	require.NoError(t, err)
	h := p.HTTP()
	h.BaseDelay, h.MaxDelay = time.Millisecond, 2*time.Millisecond
	h.Sleep = func(ctx context.Context, d time.Duration) error { return nil }
	return p
}

// rec is a record set as tests write it: values in spec form.
type rec struct {
	name, rrtype string
	values       []string
}

// desired builds a master zone of the given TTL, canonicalising values as
// the spec loader does.
func desired(t *testing.T, zone string, ttl uint32, recs ...rec) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: zone, Provider: "plesk", Mode: model.Master, TTL: ttl}
	for _, r := range recs {
		rs, err := model.NewRecordSet(r.name, r.rrtype, ttl, r.values...)
		require.NoError(t, err, "test data")
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// plan diffs want against the zone as the provider reads it now.
func (fx *fixture) plan(t *testing.T, want *model.Zone) (*plan.ZonePlan, *model.Zone) {
	t.Helper()
	live, err := fx.p.ReadZone(context.Background(), want.Name, providers.ReadOptions{})
	require.NoError(t, err, "ReadZone")
	return providertest.Plan(t, want, live, fx.p.Capabilities()), live
}

// apply plans and applies want, as the CLI does, and returns the report.
func (fx *fixture) apply(t *testing.T, want *model.Zone) (*plan.ZonePlan, *apply.ZoneReport) {
	t.Helper()
	zp, live := fx.plan(t, want)
	return zp, fx.run(want, zp, live)
}

// run applies a plan made earlier from live.
func (fx *fixture) run(want *model.Zone, zp *plan.ZonePlan, live *model.Zone) *apply.ZoneReport {
	return fx.runWith(fx.p, want, zp, live)
}

// runInWindow applies a plan made earlier from live, with meddle run after
// apply read the zone again and before the provider's first call: another
// writer's change there is what the provider itself must cope with.
func (fx *fixture) runInWindow(want *model.Zone, zp *plan.ZonePlan, live *model.Zone, meddle func(live *model.Zone)) *apply.ZoneReport {
	return fx.runWith(providertest.InWindow(fx.p, meddle), want, zp, live)
}

func (fx *fixture) runWith(p providers.Provider, want *model.Zone, zp *plan.ZonePlan, live *model.Zone) *apply.ZoneReport {
	return apply.Zone(context.Background(), p, want, live, zp, nil)
}

// sync applies want, requires every operation to succeed and a second
// plan to be empty, and returns the plan it applied.
func (fx *fixture) sync(t *testing.T, want *model.Zone) *plan.ZonePlan {
	t.Helper()
	zp, rep := fx.apply(t, want)
	for _, r := range rep.Results {
		require.Equal(t, apply.OK, r.Status, "operation %d %s %s %s: %s", r.Seq, r.Action, r.Name, r.Type, r.Error)
	}
	again, _ := fx.plan(t, want)
	require.Empty(t, again.Operations, "plan after apply is not empty: %s", describe(again))
	return zp
}

// describe lists a plan's operations on one line.
func describe(zp *plan.ZonePlan) string {
	var parts []string
	for _, op := range zp.Operations {
		parts = append(parts, fmt.Sprintf("%d %s %s %s", op.Seq, op.Action, op.Name, op.Type))
	}
	return strings.Join(parts, "; ")
}

// actions lists a plan's actions in order.
func actions(zp *plan.ZonePlan) []plan.Action {
	var out []plan.Action
	for _, op := range zp.Operations {
		out = append(out, op.Action)
	}
	return out
}

// fakeID returns the id of the record the fake holds for one value of a
// record set of zone, as Plesk answers it: the host an FQDN, names in
// values with their dot.
func fakeID(t *testing.T, fx *fixture, name, rrtype, value string) uint64 {
	t.Helper()
	host := zone + "."
	if name != "@" {
		host = name + "." + host
	}
	i := slices.IndexFunc(fx.fake.Records(zone), func(r fake.Record) bool {
		return r.Type == rrtype && strings.EqualFold(r.Host, host) && r.Value == value
	})
	require.GreaterOrEqual(t, i, 0, "the fake holds no %s %s %s", name, rrtype, value)
	return fx.fake.Records(zone)[i].ID
}

// cloneZone copies a zone deeply, to check that Apply leaves it alone.
func cloneZone(z *model.Zone) *model.Zone {
	c := *z
	c.Masters = slices.Clone(z.Masters)
	if z.SOA != nil {
		soa := *z.SOA
		c.SOA = &soa
	}
	c.Records = nil
	for _, rs := range z.Records {
		r := *rs
		r.Values = slices.Clone(rs.Values)
		c.Records = append(c.Records, &r)
	}
	return &c
}
