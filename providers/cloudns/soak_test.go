package cloudns

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
)

// TestSoak runs the shared fault soak (providertest.Soak): randomised
// applies with a fifth of all requests failing, the fake's own records
// checked after every round. -soak.rounds=200 runs the long form.
func TestSoak(t *testing.T) {
	e := newEnv(t, nil)
	e.p.c.http.MaxAttempts = 2 // low, so that some operations fail for good and their reports are checked
	e.p.c.http.HTTP.Timeout = 500 * time.Millisecond
	e.fake.Faults().TimeoutDelay = 600 * time.Millisecond
	const zone = "soak.test"
	require.NoError(t, e.fake.Seed(&model.Zone{Name: zone, Mode: model.Master}))
	providertest.Soak(t, providertest.SoakHarness{
		Provider: e.p,
		Zone:     zone,
		Faults:   e.fake.Faults(),
		Seed:     20261123,
		State: func() ([]providertest.Record, error) {
			var out []providertest.Record
			for _, r := range e.fake.Records(zone) {
				// The record as records.json sends it, read by the client's decoder.
				m := map[string]string{"id": strconv.Itoa(r.ID), "type": r.Type, "host": r.Host, "record": r.Record, "ttl": strconv.Itoa(r.TTL)}
				for k, v := range r.Fields {
					m[k] = v
				}
				data, _ := json.Marshal(m)
				var w wireRecord
				if err := json.Unmarshal(data, &w); err != nil {
					return nil, err
				}
				value, err := modelValue(w)
				if err != nil {
					return nil, err
				}
				out = append(out, providertest.Record{Name: hostName(r.Host), Type: r.Type, Value: value})
			}
			return out, nil
		},
	})
}

// TestDuplicateValueIsRepaired: ClouDNS holding one value twice (a create
// that landed after the client gave up and retried) shows up as a change,
// and applying it leaves one record per value.
func TestDuplicateValueIsRepaired(t *testing.T) {
	e := newEnv(t, nil)
	desired := zoneOf(t, "dup.test", set("www", "A", "192.0.2.1", "192.0.2.2"))
	e.mustSync(t, desired)
	_, err := e.fake.PutRecord("dup.test", fake.Record{Type: "A", Host: "www", Record: "192.0.2.1", TTL: 3600, Active: true})
	require.NoError(t, err)
	zp, _ := e.planFor(t, desired)
	require.Equal(t, []string{"update www A"}, opsOf(zp), "the plan of a duplicated value")
	e.fake.Faults().ResetCounts()
	e.mustSync(t, desired)
	var values []string
	for _, r := range e.fake.Records("dup.test") {
		if r.Host == "www" {
			values = append(values, r.Record)
		}
	}
	assert.Equal(t, []string{"192.0.2.1", "192.0.2.2"}, slices.Sorted(slices.Values(values)), "what the fake holds after the repair")
	assert.Equal(t, 1, e.fake.Faults().Calls("delete-record"), "delete-record calls: the repeating record only")
}
