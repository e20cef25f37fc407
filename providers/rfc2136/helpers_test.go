package rfc2136

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// set is a record set as tests write it: values in spec form.
type set struct {
	name, rrtype string
	ttl          uint32
	values       []string
}

// desired builds a zone spec as the loader would.
func desired(t *testing.T, zone string, sets ...set) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: zone, Provider: "bind", Mode: model.Master, TTL: 3600}
	for _, s := range sets {
		ttl := z.TTL
		if s.ttl != 0 {
			ttl = s.ttl
		}
		rs, err := model.NewRecordSet(s.name, s.rrtype, ttl, s.values...)
		require.NoError(t, err, "test data")
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// read reads a zone and fails the test on error.
func read(t *testing.T, p *Provider, zone string) *model.Zone {
	t.Helper()
	z, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err, "ReadZone(%s)", zone)
	return z
}

// makePlan plans want against the zone as the provider reads it now.
func makePlan(t *testing.T, p *Provider, want *model.Zone) (*plan.ZonePlan, *model.Zone) {
	t.Helper()
	live := read(t, p, want.Name)
	return providertest.Plan(t, want, live, p.Capabilities()), live
}

// run applies a plan as the CLI does and returns each operation's result.
func run(t *testing.T, p *Provider, want, live *model.Zone, zp *plan.ZonePlan) []apply.Result {
	t.Helper()
	return runWith(t, p, want, live, zp)
}

// runWith is run through p, the provider or a wrapper of it.
func runWith(t *testing.T, p providers.Provider, want, live *model.Zone, zp *plan.ZonePlan) []apply.Result {
	t.Helper()
	return apply.Zone(context.Background(), p, want, live, zp, nil).Results
}

// syncZone plans and applies want, requires every operation to succeed,
// and checks that a second plan is empty. It returns the plan.
func syncZone(t *testing.T, p *Provider, want *model.Zone) *plan.ZonePlan {
	t.Helper()
	zp, live := makePlan(t, p, want)
	for _, r := range run(t, p, want, live, zp) {
		require.Equal(t, apply.OK, r.Status, "operation %d %s %s %s: %s", r.Seq, r.Action, r.Name, r.Type, r.Error)
	}
	again, _ := makePlan(t, p, want)
	require.Empty(t, again.Operations, "plan after apply:\n%s", describe(again))
	return zp
}

func describe(zp *plan.ZonePlan) string {
	var b strings.Builder
	for _, op := range zp.Operations {
		b.WriteString("  " + string(op.Action) + " " + op.Name + " " + op.Type + "\n")
	}
	return b.String()
}

// values returns a live record set's values, nil when it does not exist.
func values(z *model.Zone, name, rrtype string) []string {
	if rs := z.Find(name, rrtype); rs != nil {
		return rs.Values
	}
	return nil
}

// canonical returns the canonical forms of spec values.
func canonical(t *testing.T, rrtype string, vs ...string) []string {
	t.Helper()
	out := make([]string, len(vs))
	for i, v := range vs {
		c, err := model.CanonicalValue(rrtype, v)
		require.NoError(t, err)
		out[i] = c
	}
	slices.Sort(out)
	return out
}

// rfcError asserts err is an *Error and returns it.
func rfcError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	return e
}

// checkOneLine asserts an error message is one line and holds every part.
func checkOneLine(t *testing.T, msg string, parts ...string) {
	t.Helper()
	assert.False(t, strings.ContainsAny(msg, "\n\r"), "error spans several lines: %q", msg)
	for _, p := range parts {
		assert.Contains(t, msg, p)
	}
}
