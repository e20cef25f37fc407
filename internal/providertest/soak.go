package providertest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
)

var soakRounds = flag.Int("soak.rounds", 0, "rounds of the fault soak test (0: the short form CI runs)")

// ShortSoakRounds is how many rounds the soak runs without -soak.rounds.
const ShortSoakRounds = 25

// Record is one record as a fake server holds it, value in canonical form.
type Record struct {
	Name, Type, Value string
}

// SoakHarness is a provider wired to a fake whose state the soak reads
// directly, bypassing the API under test.
type SoakHarness struct {
	// Provider talks to the fake through its real client; it should be
	// configured with short timeouts and backoffs.
	Provider providers.Provider
	// Zone exists at the fake, empty but for what the provider keeps itself.
	Zone string
	// Faults is the fake's fault injector.
	Faults *faults.Injector
	// State returns every record of the zone as the fake stores it,
	// duplicates included, without going through the API.
	State func() ([]Record, error)
	// FaultRate is the share of requests that fail (default 0.2).
	FaultRate float64
	// Seed makes the run repeatable.
	Seed uint64
	// Kinds are the faults drawn (default faults.All).
	Kinds []faults.Kind
}

// Soak applies randomised changes round after round with faults injected,
// and after each round checks the fake's own state: no duplicate record,
// no lost record, no change to an ignored record, no operation reported ok
// that did not land, and a re-run without faults converges to no change.
func Soak(t *testing.T, h SoakHarness) {
	rounds := *soakRounds
	if rounds == 0 {
		rounds = ShortSoakRounds
	}
	if h.FaultRate == 0 {
		h.FaultRate = 0.2
	}
	// A slow answer still comes within the client's timeout; an answer
	// that never comes is a Timeout fault, and a change stored without an
	// answer is ResetAfterApply.
	if h.Faults.SlowDelay == 0 {
		h.Faults.SlowDelay = 20 * time.Millisecond
	}
	s := &suite{h: Harness{Provider: h.Provider, Zone: h.Zone}, caps: h.Provider.Capabilities()}
	rng := rand.New(rand.NewPCG(h.Seed, 7))

	// The ignored record is created while nothing is ignored, then must
	// survive every round untouched.
	ignored := rec{name: "_acme-challenge", rrtype: "TXT", values: []string{"token-set-outside-zonesync"}}
	h.Faults.SetRandom(0, 0)
	s.sync(t, s.zone(t, ignored))
	ignoredValue := s.zone(t, ignored).Records[0].Values[0]

	var failedOps, okOps, faultsSeen int
	for round := 1; round <= rounds; round++ {
		desired := s.zone(t, randomRecords(rng, h.Zone)...)
		desired.Ignore = []model.IgnoreRule{{Name: "_acme-challenge", Type: "TXT"}}
		before := state(t, h)

		h.Faults.SetRandom(h.Seed+uint64(round), h.FaultRate, h.Kinds...)
		results, zp, err := s.tryApply(t, desired)
		h.Faults.SetRandom(0, 0)
		for _, n := range h.Faults.Faults() {
			faultsSeen += n
		}
		h.Faults.ResetCounts()
		after := state(t, h)
		checkNoDuplicates(t, round, after)
		checkIgnored(t, round, after, ignoredValue)
		if err != nil {
			// The plan's read failed even after retries: nothing may have changed.
			// EquateEmpty: a zone without records is one, nil or not.
			if d := cmp.Diff(before, after, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("round %d: planning failed (%v) yet the zone changed (-before +after):\n%s", round, err, d)
			}
			continue
		}
		for i, r := range results {
			op := zp.Operations[i]
			switch r.status {
			case ok:
				okOps++
				require.True(t, landed(op, after), "round %d: operation %d %s %s %s reported ok but the fake holds %v",
					round, op.Seq, op.Action, op.Name, op.Type, valuesOf(after, op.Name, op.Type))
			default:
				failedOps++
				require.Error(t, r.err, "round %d: operation %d is %s without a reason", round, op.Seq, r.status)
				require.NotEmpty(t, r.err.Error(), "round %d: operation %d is %s without a reason", round, op.Seq, r.status)
				checkNothingLost(t, round, op, after)
			}
		}
		checkUntouchedKept(t, round, zp, before, after)
		// Without faults, a re-run converges and then has nothing to do.
		s.sync(t, desired)
		checkNoDuplicates(t, round, state(t, h))
	}
	t.Logf("soak: %d rounds, %d faults injected, %d operations ok, %d failed or skipped and healed by the re-run", rounds, faultsSeen, okOps, failedOps)
	require.NotZero(t, faultsSeen, "no fault was injected: the soak tested nothing")
}

// tryApply plans and applies without failing the test on a failed
// operation: faults make failures expected. An error is a failed read.
func (s *suite) tryApply(t *testing.T, desired *model.Zone) ([]result, *plan.ZonePlan, error) {
	t.Helper()
	live, err := s.h.Provider.ReadZone(context.Background(), s.h.Zone, providers.ReadOptions{})
	if errors.Is(err, providers.ErrZoneNotFound) {
		live, err = nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	zp, err := plan.Zone(desired, live, s.caps, nil)
	require.NoError(t, err, "plan")
	return s.run(t, live, zp), zp, nil
}

// randomRecords draws a zone from a small pool of names, types and values,
// so that rounds create, update and delete the same sets over and over.
func randomRecords(rng *rand.Rand, zone string) []rec {
	var out []rec
	for i := 0; i < 8; i++ {
		if rng.IntN(4) == 0 {
			continue // absent this round
		}
		name := fmt.Sprintf("host%d", i)
		switch i % 4 {
		case 0, 1:
			var vals []string
			for j := 0; j < 1+rng.IntN(3); j++ {
				vals = append(vals, fmt.Sprintf("192.0.2.%d", 1+rng.IntN(6)))
			}
			out = append(out, rec{name: name, rrtype: "A", values: vals})
		case 2:
			out = append(out, rec{name: name, rrtype: "TXT", values: []string{fmt.Sprintf("v%d", rng.IntN(4))}})
		default:
			out = append(out, rec{name: name, rrtype: "MX", values: []string{fmt.Sprintf("%d mx%d.%s.", 10*(1+rng.IntN(3)), rng.IntN(2), zone)}})
		}
	}
	return out
}

func state(t *testing.T, h SoakHarness) []Record {
	t.Helper()
	recs, err := h.State()
	require.NoError(t, err, "reading the fake's state")
	sort.Slice(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		return a.Name+" "+a.Type+" "+a.Value < b.Name+" "+b.Type+" "+b.Value
	})
	return recs
}

func valuesOf(recs []Record, name, rrtype string) []string {
	var out []string
	for _, r := range recs {
		if r.Name == name && r.Type == rrtype {
			out = append(out, r.Value)
		}
	}
	sort.Strings(out)
	return out
}

func checkNoDuplicates(t *testing.T, round int, recs []Record) {
	t.Helper()
	for i := 1; i < len(recs); i++ {
		require.NotEqual(t, recs[i-1], recs[i], "round %d: duplicate record %s %s %s at the fake", round, recs[i].Name, recs[i].Type, recs[i].Value)
	}
}

func checkIgnored(t *testing.T, round int, recs []Record, value string) {
	t.Helper()
	require.Equal(t, []string{value}, valuesOf(recs, "_acme-challenge", "TXT"), "round %d: the ignored record", round)
}

// landed reports whether the fake holds what an operation set.
func landed(op *plan.Operation, recs []Record) bool {
	got := valuesOf(recs, op.Name, op.Type)
	switch op.Action {
	case plan.Create, plan.Update:
		want := slices.Clone(op.After.Values)
		sort.Strings(want)
		return slices.Equal(got, want)
	case plan.Delete:
		return len(got) == 0
	}
	return true
}

// checkNothingLost: after a failed operation the record set holds values
// from before or after only, and every value in both is still there.
func checkNothingLost(t *testing.T, round int, op *plan.Operation, recs []Record) {
	t.Helper()
	var before, after []string
	if op.Before != nil {
		before = op.Before.Values
	}
	if op.After != nil {
		after = op.After.Values
	}
	got := valuesOf(recs, op.Name, op.Type)
	for _, v := range got {
		require.True(t, slices.Contains(before, v) || slices.Contains(after, v), "round %d: failed operation %d %s %s %s left a foreign value %q", round, op.Seq, op.Action, op.Name, op.Type, v)
	}
	for _, v := range before {
		if slices.Contains(after, v) {
			require.Contains(t, got, v, "round %d: failed operation %d %s %s %s lost %q, which it was to keep", round, op.Seq, op.Action, op.Name, op.Type, v)
		}
	}
}

// checkUntouchedKept: record sets no operation touched are as they were.
func checkUntouchedKept(t *testing.T, round int, zp *plan.ZonePlan, before, after []Record) {
	t.Helper()
	touched := map[string]bool{}
	for _, op := range zp.Operations {
		touched[op.Name+" "+op.Type] = true
	}
	keys := map[string]bool{}
	for _, r := range append(slices.Clone(before), after...) {
		keys[r.Name+" "+r.Type] = true
	}
	for k := range keys {
		if touched[k] {
			continue
		}
		name, typ, _ := strings.Cut(k, " ")
		require.Equal(t, valuesOf(before, name, typ), valuesOf(after, name, typ), "round %d: %s changed though no operation touched it", round, k)
	}
}
