package telecomx

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// TestSoak runs the shared fault soak (providertest.Soak): randomised
// applies with a fifth of all requests failing, the fake's own state
// checked after every round. -soak.rounds=200 runs the long form.
func TestSoak(t *testing.T) {
	e := newEnv(t)
	e.p.client.http.MaxAttempts = 2 // low, so that some operations fail for good and their reports are checked
	e.p.client.http.HTTP.Timeout = 500 * time.Millisecond
	e.fake.Faults().TimeoutDelay = 600 * time.Millisecond
	const zone = "soak.test"
	require.NoError(t, e.fake.AddDomain(zone, "", 3600))
	providertest.Soak(t, providertest.SoakHarness{
		Provider: e.p,
		Zone:     zone,
		Faults:   e.fake.Faults(),
		Seed:     20261123,
		State: func() ([]providertest.Record, error) {
			d, ok := e.fake.Domain(zone)
			if !ok {
				return nil, nil
			}
			var out []providertest.Record
			for _, r := range d.Records {
				name, rrtype, value, err := fromWire(zone, Record{Name: r.Name, Type: r.Type, RData: r.RData})
				if err != nil {
					return nil, err
				}
				out = append(out, providertest.Record{Name: name, Type: rrtype, Value: value})
			}
			return out, nil
		},
	})
}

// TestUnmanagedTypesAreLeftAlone: a record of a type this provider does not
// manage is not read, so never deleted.
func TestUnmanagedTypesAreLeftAlone(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.fake.AddDomain("example.test", "", 3600))
	require.NoError(t, e.fake.AddRecord("example.test", fake.Record{Name: "", Type: "CAA", RData: `0 issue "letsencrypt.org"`}))
	require.NoError(t, e.fake.AddRecord("example.test", fake.Record{Name: "www", Type: "A", RData: "192.0.2.1"}))
	z, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.NoError(t, err)
	var sets []string
	for _, rs := range z.Records {
		sets = append(sets, rs.Key())
	}
	assert.Equal(t, []string{"www A"}, sets, "record sets read: no CAA")
}
