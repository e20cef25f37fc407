package powerdns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// TestSoak runs the shared fault soak (providertest.Soak) against a real
// PowerDNS behind a proxy that fails a fifth of all requests (5xx, 429,
// timeouts, connections dropped before or after the server acted, slow
// answers), and checks the zone as the server serves it, transferred by
// AXFR past the API and the proxy, after every round. -soak.rounds=200
// runs the long form.
func TestSoak(t *testing.T) {
	srv := pdnstest.Require(t)
	px := newProxy(t, srv)
	// A proxy's 429 without Retry-After: the client backs off on its own.
	px.inj.RateLimited = func(w http.ResponseWriter) { http.Error(w, "Too Many Requests", http.StatusTooManyRequests) }
	px.inj.TimeoutDelay = 3 * time.Second // the client hangs up first
	s := settings(srv, px.URL)
	s.Timeout = "1s"
	p, err := New(s)
	require.NoError(t, err)
	zone := srv.NewZone(t, KindMaster)
	providertest.Soak(t, providertest.SoakHarness{
		Provider: p,
		Zone:     zone,
		Faults:   px.inj,
		Seed:     20261130,
		State:    func() ([]providertest.Record, error) { return served(srv, zone) },
	})
}

// served is every record the server serves for the zone but the SOA.
func served(srv *pdnstest.Server, zone string) ([]providertest.Record, error) {
	rrs, err := srv.Transfer(zone)
	if err != nil {
		return nil, err
	}
	var out []providertest.Record
	for _, rr := range rrs {
		if rr.Header().Rrtype == dns.TypeSOA {
			continue
		}
		name, _ := zsmodel.RelativeName(rr.Header().Name, zone)
		out = append(out, providertest.Record{Name: name, Type: dns.TypeToString[rr.Header().Rrtype], Value: zsmodel.CanonicalRR(rr)})
	}
	return out, nil
}

// TestPatchFaults: each fault the proxy injects into a zone's one PATCH,
// with no retries, and what the provider reports and the server then
// holds. A PATCH whose answer was lost is checked by reading the zone
// again: one that landed is a success, one that did not a plain failure,
// never a duplicate. With retries, every fault heals.
func TestPatchFaults(t *testing.T) {
	srv := pdnstest.Require(t)
	px := newProxy(t, srv)
	px.inj.TimeoutDelay = 3 * time.Second
	px.inj.SlowDelay = 50 * time.Millisecond
	for _, retries := range []int{0, 2} {
		for _, tc := range []struct {
			kind    faults.Kind
			landed  bool   // without retries
			message string // without retries; "" for success
		}{
			{faults.None, true, ""},
			{faults.Slow, true, ""},
			{faults.ServerError, false, "HTTP 503"},
			{faults.RateLimit, false, "HTTP 429"},
			{faults.Reset, false, "connection closed by the server before a response"},
			{faults.Timeout, false, "timed out"},
			{faults.ResetAfterApply, true, ""},
		} {
			t.Run(fmt.Sprintf("%s/retries=%d", tc.kind, retries), func(t *testing.T) {
				s := settings(srv, px.URL)
				s.Timeout, s.Retries = "1s", &retries
				p, err := New(s)
				require.NoError(t, err)
				zone := srv.NewZone(t, KindMaster)
				desired := zoneOf(t, zone, "www A 300 192.0.2.1", "mail A 300 192.0.2.2")
				live := read(t, p, zone)
				zp := mustPlan(t, p, desired, live)
				px.inj.Script(tc.kind)
				errs := p.Apply(context.Background(), live, zp.Operations)
				px.inj.Script() // nothing left over
				landed, message := tc.landed, tc.message
				if retries > 0 {
					landed, message = true, ""
				}
				for i, err := range errs {
					if message == "" {
						assert.NoError(t, err, "operation %d", i+1)
						continue
					}
					require.Error(t, err, "operation %d", i+1)
					assert.Contains(t, err.Error(), message)
					assert.False(t, errors.Is(err, providers.ErrOutcomeUnknown), "checked: not landed, so not unknown: %v", err)
				}
				recs, err := served(srv, zone)
				require.NoError(t, err)
				held := slices.Contains(recs, providertest.Record{Name: "www", Type: "A", Value: "192.0.2.1"})
				assert.Equal(t, landed, held, "the server holds the change")
				again := mustPlan(t, p, desired, read(t, p, zone))
				assert.Equal(t, map[bool]int{true: 0, false: 2}[landed], len(again.Operations), "operations of the next plan")
			})
		}
	}
}
