package rfc2136

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
)

// TestSoak runs the shared fault soak (providertest.Soak) against real
// named behind a proxy that fails a fifth of all connections, and checks
// named's own copy of the zone, transferred directly, after every round.
// -soak.rounds=200 runs the long form.
func TestSoak(t *testing.T) {
	srv := requireNamed(t)
	p, proxy := faultyProvider(t, srv)
	zone := srv.newZone(t)
	providertest.Soak(t, providertest.SoakHarness{
		Provider: p,
		Zone:     zone,
		Faults:   proxy.inj,
		Seed:     20261124,
		State:    func() ([]providertest.Record, error) { return srv.records(zone) },
	})
}

// faultyProvider is a provider that talks to named through a fault proxy,
// with a timeout long enough for named on a busy machine: only the
// proxy's Timeout fault (it never answers) should ever reach it.
func faultyProvider(t *testing.T, srv *namedServer) (*Provider, *faultProxy) {
	t.Helper()
	proxy := newFaultProxy(t, srv)
	proxy.inj.TimeoutDelay = 3 * time.Second // the client hangs up first
	settings := srv.settings(keyMain)
	settings.Server, settings.Timeout = proxy.addr(), "2s"
	p, err := New(settings)
	require.NoError(t, err)
	return p, proxy
}

// records transfers a zone straight from named, bypassing the provider
// and the proxy: every record but the SOA, values in canonical form.
func (s *namedServer) records(zone string) ([]providertest.Record, error) {
	m := new(dns.Msg)
	m.SetAxfr(dns.Fqdn(zone))
	m.SetTsig(keyMain+".", dns.HmacSHA256, 300, time.Now().Unix())
	tr := &dns.Transfer{TsigSecret: map[string]string{keyMain + ".": s.secrets[keyMain]}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := (&dns.Client{Net: "tcp"}).DialContext(ctx, s.addr)
	if err != nil {
		return nil, err
	}
	tr.Conn = conn
	defer conn.Close()
	envelopes, err := tr.In(m, s.addr)
	if err != nil {
		return nil, err
	}
	var out []providertest.Record
	for e := range envelopes {
		if e.Error != nil {
			return nil, fmt.Errorf("transfer of %s from named: %w", zone, e.Error)
		}
		for _, rr := range e.RR {
			if rr.Header().Rrtype == dns.TypeSOA {
				continue
			}
			name, _ := model.RelativeName(rr.Header().Name, zone)
			out = append(out, providertest.Record{Name: name, Type: dns.Type(rr.Header().Rrtype).String(), Value: model.CanonicalRR(rr)})
		}
	}
	return out, nil
}

// TestInjectedFaults: each fault the proxy injects into the UPDATE of one
// create, and what the provider reports and named then holds. An UPDATE
// whose answer was lost after it was sent is reported unknown, not failed:
// named may have carried it out, and the next plan tells.
func TestInjectedFaults(t *testing.T) {
	srv := requireNamed(t)
	p, proxy := faultyProvider(t, srv)
	proxy.inj.SlowDelay = 50 * time.Millisecond
	for _, tc := range []struct {
		kind    faults.Kind
		status  apply.Status
		landed  bool
		message string
	}{
		{faults.None, apply.OK, true, ""},
		{faults.Slow, apply.OK, true, ""},
		{faults.ServerError, apply.Failed, false, "SERVFAIL"},
		{faults.Reset, apply.Unknown, false, "closed the connection; the change may or may not have been made"},
		{faults.Timeout, apply.Unknown, false, "timeout"},
		{faults.ResetAfterApply, apply.Unknown, true, "closed the connection; the change may or may not have been made"},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			zone := srv.newZone(t)
			want := desired(t, zone, set{"www", "A", 0, []string{"192.0.2.1"}})
			zp, live := makePlan(t, p, want)
			// After apply's read of the zone and the provider's SOA query,
			// the next connection is the UPDATE.
			res := runWith(t, providertest.InWindow(p, func(*model.Zone) { proxy.inj.Script(faults.None, tc.kind) }), want, live, zp)
			require.Len(t, res, 1)
			require.Equal(t, tc.status, res[0].Status, "status; error %q", res[0].Error)
			require.Contains(t, res[0].Error, tc.message)
			recs, err := srv.records(zone)
			require.NoError(t, err)
			held := slices.Contains(recs, providertest.Record{Name: "www", Type: "A", Value: "192.0.2.1"})
			assert.Equal(t, tc.landed, held, "named holds the record")
			again, _ := makePlan(t, p, want)
			assert.Len(t, again.Operations, map[bool]int{true: 0, false: 1}[tc.landed], "operations of the next plan")
		})
	}
}

// TestReadRetries: a transfer whose connection drops or that gets SERVFAIL
// is tried again; one that times out is not (the server is down, and the
// user set how long to wait); three drops in a row are an error.
func TestReadRetries(t *testing.T) {
	srv := requireNamed(t)
	p, proxy := faultyProvider(t, srv)
	defer func(d time.Duration) { readBackoff = d }(readBackoff)
	readBackoff = time.Millisecond
	zone := srv.newZone(t)
	for _, tc := range []struct {
		name      string
		script    []faults.Kind
		transfers int
		message   string // "" when the read succeeds
	}{
		{"dropped once", []faults.Kind{faults.Reset}, 2, ""},
		{"dropped after the answer", []faults.Kind{faults.ResetAfterApply, faults.Reset}, 3, ""},
		// SERVFAIL makes the provider ask whether the server serves the
		// zone (an unsigned, then a signed SOA query) before it tries again.
		{"SERVFAIL once", []faults.Kind{faults.ServerError}, 2, ""},
		{"dropped three times", []faults.Kind{faults.Reset, faults.Reset, faults.Reset}, 3, "the server closed the connection"},
		{"timeout", []faults.Kind{faults.Timeout}, 1, "no answer within 2s (timeout)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy.inj.ResetCounts()
			proxy.inj.Script(tc.script...)
			_, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
			assert.Equal(t, tc.transfers, proxy.inj.Calls("axfr"), "transfers")
			if tc.message == "" {
				assert.NoError(t, err)
			} else if assert.Error(t, err) {
				assert.Contains(t, err.Error(), tc.message)
			}
		})
	}
}
