package plesk

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/plesk/fake"
)

// TestSoak runs the shared fault soak (providertest.Soak): randomised
// applies with a fifth of all requests failing, the fake's own records
// checked after every round. -soak.rounds=200 runs the long form.
func TestSoak(t *testing.T) {
	const zone, login, password = "soak.test", "admin", "soak-Passw0rd"
	f := fake.New(fake.Options{Login: login, Password: password})
	_, err := f.AddSite(zone)
	require.NoError(t, err)
	f.Faults().TimeoutDelay = 600 * time.Millisecond
	srv := httptest.NewServer(f)
	defer srv.Close()
	p, err := New(Settings{Login: login, Password: password, Settings: httpx.Settings{Endpoint: srv.URL, RequestsPerSecond: 100000, Burst: 1000, Timeout: "500ms"}})
	require.NoError(t, err)
	h := p.HTTP()
	h.MaxAttempts = 2 // low, so that some operations fail for good and their reports are checked
	h.BaseDelay, h.MaxDelay = time.Millisecond, 2*time.Millisecond
	h.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	providertest.Soak(t, providertest.SoakHarness{
		Provider: p,
		Zone:     zone,
		Faults:   f.Faults(),
		Seed:     20261123,
		State: func() ([]providertest.Record, error) {
			var out []providertest.Record
			for _, r := range f.Records(zone) {
				name, rrtype, value, skip, err := fromWire(zone, resultData{Type: r.Type, Host: r.Host, Value: r.Value, Opt: r.Opt})
				if err != nil {
					return nil, err
				}
				if !skip {
					out = append(out, providertest.Record{Name: name, Type: rrtype, Value: value})
				}
			}
			return out, nil
		},
	})
}

// TestUnmanagedTypesAreLeftAlone: a record of a type this provider does not
// manage (CAA, which newer Plesk holds) is skipped by the read, so no plan
// ever deletes it.
func TestUnmanagedTypesAreLeftAlone(t *testing.T) {
	for _, typ := range []string{"CAA", "TLSA", "SOA", "AXFR"} {
		_, _, _, skip, err := fromWire("example.test", resultData{Type: typ, Host: "example.test.", Value: `0 issue "letsencrypt.org"`})
		assert.NoError(t, err, "%s record", typ)
		assert.True(t, skip, "%s record is not skipped", typ)
	}
	_, _, _, skip, err := fromWire("example.test", resultData{Type: "A", Host: "www.example.test.", Value: "192.0.2.1"})
	assert.NoError(t, err, "an A record")
	assert.False(t, skip, "an A record is skipped")
}
