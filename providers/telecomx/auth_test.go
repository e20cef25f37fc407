package telecomx

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/providers"
)

// TestSession follows the session token over time: one login for many
// calls, kept alive by use, renewed once, transparently, when it expired.
func TestSession(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// gaps are the idle times before each read after the first.
		gaps       []time.Duration
		wantLogins int
		// wantGets counts GET /dns/{domain}, refused tries included.
		wantGets int
	}{
		{"many calls, one login", []time.Duration{0, time.Minute, 0}, 1, 4},
		{"kept alive by use", []time.Duration{14 * time.Minute, 14 * time.Minute, 14 * time.Minute}, 1, 4},
		{"expired after 15 minutes idle", []time.Duration{15 * time.Minute}, 2, 3},
		{"expired twice", []time.Duration{16 * time.Minute, time.Minute, time.Hour}, 3, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			seedExample(t, e)
			_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
			require.NoError(t, err)
			for _, gap := range tc.gaps {
				e.clock.Advance(gap)
				_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
				require.NoError(t, err, "read after %v idle", gap)
			}
			assert.Equal(t, tc.wantLogins, e.fake.Faults().Calls("POST /auth/login"), "logins")
			assert.Equal(t, tc.wantGets, e.fake.Faults().Calls("GET /dns/{domain}"), "GET /dns/{domain}")
		})
	}
}

// TestRenewOnceThenFail: when the new session is refused as expired too,
// the call fails after one renewal instead of looping.
func TestRenewOnceThenFail(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	seedExample(t, e)
	_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	e.fake.SetTokenIdle(0) // every token is expired by the time it is used
	_, err = e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
	assert.EqualError(t, err, `telecomx: GET /dns/example.com: 401 expired "Session has expired, please login" (after logging in again)`)
	assert.Equal(t, 2, e.fake.Faults().Calls("POST /auth/login"), "logins: the first, and one renewal")
	assert.Equal(t, 3, e.fake.Faults().Calls("GET /dns/{domain}"), "GET /dns/{domain}: ok, refused, refused after renewal")
}

// TestConcurrentRenewal: calls that find the session expired at the same
// time share one new login.
func TestConcurrentRenewal(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	seedExample(t, e)
	_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 2, e.fake.Faults().Calls("POST /auth/login"), "logins")
}

// TestLongLivedToken: a configured token is sent as it is and never
// exchanged at /auth/login.
func TestLongLivedToken(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	p := tokenProvider(t, e, testToken)
	for range 3 {
		_, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
		require.NoError(t, err)
		e.clock.Advance(time.Hour)
	}
	assert.Zero(t, e.fake.Faults().Calls("POST /auth/login"), "logins with a long-lived token")
}
