package powerdns

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// The tests run against a real PowerDNS Authoritative server: one
// pdns_server per test binary with a SQLite database in a temporary
// directory (see pdnstest), stopped here.
func TestMain(m *testing.M) {
	httpx.DefaultBaseDelay = time.Millisecond
	httpx.DefaultMaxDelay = 5 * time.Millisecond
	code := m.Run()
	pdnstest.Stop()
	os.Exit(code)
}

// settings are provider settings for a server (or a proxy in front of it
// at endpoint, when not empty).
func settings(srv *pdnstest.Server, endpoint string) Settings {
	if endpoint == "" {
		endpoint = srv.API
	}
	s := Settings{APIKey: srv.Key}
	s.Endpoint, s.Timeout, s.RequestsPerSecond, s.Burst = endpoint, "10s", 10000, 1000
	return s
}

// newProvider builds a provider for the server.
func newProvider(t testing.TB, srv *pdnstest.Server) *Provider {
	t.Helper()
	p, err := New(settings(srv, ""))
	require.NoError(t, err)
	return p
}

// proxy is an HTTP proxy in front of the server that counts requests by
// method and path below the server's URL ("PATCH /zones/x.") and injects
// faults (providers/faults), the way a flaky network or load balancer
// would: the server behind it is real.
type proxy struct {
	URL string
	inj *faults.Injector
}

func newProxy(t testing.TB, srv *pdnstest.Server) *proxy {
	t.Helper()
	target, err := url.Parse(srv.API)
	require.NoError(t, err)
	inj := &faults.Injector{Endpoint: func(r *http.Request) string {
		return r.Method + " " + strings.TrimPrefix(r.URL.Path, "/api/v1/servers/localhost")
	}}
	rp := httputil.NewSingleHostReverseProxy(target)
	ts := httptest.NewServer(inj.Wrap(rp))
	t.Cleanup(ts.Close)
	return &proxy{URL: ts.URL, inj: inj}
}

// provider builds a provider that talks to the server through the proxy.
func (px *proxy) provider(t testing.TB, srv *pdnstest.Server) *Provider {
	t.Helper()
	p, err := New(settings(srv, px.URL))
	require.NoError(t, err)
	return p
}

// changes counts the requests that change something.
func (px *proxy) changes() map[string]int {
	out := map[string]int{}
	for ep, n := range px.inj.AllCalls() {
		if !strings.HasPrefix(ep, "GET ") {
			out[ep] = n
		}
	}
	return out
}

// serial reads a zone's SOA serial straight from the server.
func serial(t testing.TB, srv *pdnstest.Server, zone string) uint32 {
	t.Helper()
	var z struct {
		Serial uint32 `json:"serial"`
	}
	srv.MustDo(t, 200, "GET", "/api/v1/servers/localhost/zones/"+zone+".", nil, &z)
	return z.Serial
}

// zoneOf builds a desired zone from records written "name TYPE ttl value".
func zoneOf(t testing.TB, zone string, lines ...string) *zsmodel.Zone {
	t.Helper()
	z := &zsmodel.Zone{Name: zone, Provider: "pdns", Mode: zsmodel.Master, TTL: 3600}
	sets := map[string]*zsmodel.RecordSet{}
	for _, l := range lines {
		f := strings.SplitN(l, " ", 4)
		ttl, err := strconv.Atoi(f[2])
		require.NoError(t, err, "test data %q", l)
		v, err := zsmodel.CanonicalValue(f[1], f[3])
		require.NoError(t, err, "test data %q", l)
		key := f[0] + " " + f[1]
		if sets[key] == nil {
			sets[key] = &zsmodel.RecordSet{Name: f[0], Type: f[1], TTL: uint32(ttl)}
			z.Records = append(z.Records, sets[key])
		}
		sets[key].Values = append(sets[key].Values, v)
	}
	for _, rs := range z.Records {
		rs.SetValues(rs.Values)
	}
	z.SortRecords()
	return z
}

// syncZone plans desired against what p reads and applies it with apply.Zone,
// as the CLI does; it returns the plan and the report.
func syncZone(t testing.TB, p *Provider, desired *zsmodel.Zone) (*plan.ZonePlan, *apply.ZoneReport) {
	t.Helper()
	live := read(t, p, desired.Name)
	zp := providertest.Plan(t, desired, live, p.Capabilities())
	return zp, apply.Zone(context.Background(), p, desired, live, zp, nil)
}

// read reads a zone; nil when it does not exist.
func read(t testing.TB, p *Provider, zone string) *zsmodel.Zone {
	t.Helper()
	live, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	if errors.Is(err, providers.ErrZoneNotFound) {
		return nil
	}
	require.NoError(t, err, "ReadZone(%s)", zone)
	return live
}

// mustSync is syncZone requiring every operation to succeed and a second
// plan to be empty.
func mustSync(t testing.TB, p *Provider, desired *zsmodel.Zone) *plan.ZonePlan {
	t.Helper()
	zp, rep := syncZone(t, p, desired)
	for _, r := range rep.Results {
		require.Equal(t, apply.OK, r.Status, "operation %d %s %s %s: %s", r.Seq, r.Action, r.Name, r.Type, r.Error)
	}
	again := providertest.Plan(t, desired, read(t, p, desired.Name), p.Capabilities())
	require.Empty(t, again.Operations, "a second plan is not empty")
	return zp
}

// soa is an SOA for a spec; empty and zero fields leave the live ones.
func soa(primary, mail string, refresh, retry, expire, minimum uint32) *zsmodel.SOA {
	return &zsmodel.SOA{PrimaryNS: primary, AdminMail: mail, Refresh: refresh, Retry: retry, Expire: expire, Minimum: minimum}
}

// mustPlan plans desired against live.
func mustPlan(t testing.TB, p *Provider, desired, live *zsmodel.Zone) *plan.ZonePlan {
	t.Helper()
	return providertest.Plan(t, desired, live, p.Capabilities())
}
