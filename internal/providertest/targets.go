package providertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// StandbyName is the name of the zone's second provider in the case
// TwoTargetsOneFailing, an in-process one beside the provider under test.
const StandbyName = "standby"

// twoTargets is the project of testTwoTargets: a config naming the
// provider under test and the standby, and the zone's spec, which each
// round rewrites.
type twoTargets struct {
	s        *suite
	specFile string
	cfg      *config.Config
	// ut and sb wrap the two providers, to make either fail halfway.
	ut, sb *faulty
	calls  *callLog
	set    *providers.Set
	ns     []string
}

// newTwoTargets writes the project's config. The apex NS set every target
// serves is the one the provider under test has for the zone already,
// when it has one, so that the case does not hang on what a server lets
// a zone's delegation be.
func newTwoTargets(t *testing.T, s *suite) *twoTargets {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "zones"), 0o755))
	cfgFile := filepath.Join(dir, "zonesync.yaml")
	// The case is about a failure halfway, not the safety gates: every
	// round rewrites most of the zone.
	body := fmt.Sprintf("providers:\n  %s:\n    type: under-test\n  %s:\n    type: standby\nsafety:\n  max_delete_percent: 100\n  max_update_percent: 100\n", ProviderName, StandbyName)
	cfg, err := config.Parse(cfgFile, []byte(body), nil)
	require.NoError(t, err)
	calls := &callLog{}
	tt := &twoTargets{s: s, specFile: filepath.Join(dir, "zones", s.h.Zone+".yaml"), cfg: cfg, calls: calls,
		ut: &faulty{Provider: s.h.Provider, name: ProviderName, calls: calls},
		sb: &faulty{Provider: newStandby(), name: StandbyName, calls: calls}}
	tt.set = providers.NewSet(map[string]providers.Provider{ProviderName: tt.ut, StandbyName: tt.sb})
	tt.ns = []string{"ns1.example.net.", "ns2.example.org."}
	if live := s.read(t); live != nil {
		if ns := live.Find(model.Apex, "NS"); ns != nil && len(ns.Values) > 0 {
			tt.ns = ns.Values
		}
	}
	return tt
}

// writeSpec writes the zone's spec of round r, its providers in order:
// record sets every target gets, whose values change each round, and
// sets with only or except that one target gets alone, among them one
// name that is a CNAME at one target and an address at the other.
func (tt *twoTargets) writeSpec(t *testing.T, r int, order []string) {
	t.Helper()
	s := tt.s
	var b strings.Builder
	fmt.Fprintf(&b, "zone: %s\nproviders: [%s]\nttl: %d\nrecords:\n", s.h.Zone, strings.Join(order, ", "), s.ttl(0))
	fmt.Fprintf(&b, "  \"@\":\n    - {type: NS, values: [%s]}\n", strings.Join(tt.ns, ", "))
	if s.has("TXT") {
		fmt.Fprintf(&b, "    - {type: TXT, value: \"round %d\"}\n", r)
	}
	for i, name := range []string{"a", "b", "c", "d"} {
		fmt.Fprintf(&b, "  %s:\n    - {type: A, value: 192.0.2.%d}\n", name, 10*(i+1)+r)
	}
	fmt.Fprintf(&b, "  mine:\n    - {type: A, value: 198.51.100.%d, only: [%s]}\n", r, ProviderName)
	fmt.Fprintf(&b, "  theirs:\n    - {type: A, value: 203.0.113.%d, except: [%s]}\n", r, ProviderName)
	if s.has("CNAME") {
		// flip changes type each round at the provider under test: the
		// create at the name depends on the delete before it, which
		// splits a batch, so that the target's operations go in more than
		// one call even where the provider takes batches (but for a
		// transaction's), and the stop rule has later calls to stop.
		if r%2 == 1 {
			fmt.Fprintf(&b, "  flip:\n    - {type: CNAME, value: flip%d.example.net., only: [%s]}\n", r, ProviderName)
		} else {
			fmt.Fprintf(&b, "  flip:\n    - {type: A, value: 198.51.100.%d, only: [%s]}\n", 100+r, ProviderName)
		}
		fmt.Fprintf(&b, "  cdn:\n    - {type: CNAME, value: edge%d.example.net., only: [%s]}\n    - {type: A, value: 203.0.113.%d, except: [%s]}\n", r, ProviderName, 100+r, ProviderName)
	}
	require.NoError(t, os.WriteFile(tt.specFile, []byte(b.String()), 0o644))
}

// prepare plans the project the way the CLI's plan and apply do, every
// zone kept for the checks, and requires a plan without refusals.
func (tt *twoTargets) prepare(t *testing.T) *apply.Prepared {
	t.Helper()
	prep, err := apply.Prepare(context.Background(), tt.cfg, tt.set, apply.Options{Retain: apply.RetainAll})
	require.NoError(t, err, "plan of the zone with two providers")
	require.Empty(t, prep.Plan.Refusals, "plan refused")
	return prep
}

// targetsOf returns the index of each target's plan in prep, by provider
// name, and checks the plan lists them in the order of the spec's providers.
func targetsOf(t *testing.T, prep *apply.Prepared, zone string, order []string) map[string]int {
	t.Helper()
	var got []string
	at := map[string]int{}
	for i, zp := range prep.Plan.Zones {
		got = append(got, zp.Target)
		at[zp.Provider] = i
	}
	want := []string{zone + "@" + order[0], zone + "@" + order[1]}
	require.Equal(t, want, got, "the plan has one section per target, in the order of providers")
	return at
}

// sets is a zone's record sets as the case compares them: values, and
// TTL where records have their own.
type sets map[string]setState

type setState struct {
	TTL    uint32
	Values []string
}

// setsOf are the record sets zonesync manages of live, for desired.
func setsOf(desired, live *model.Zone, caps model.Capabilities) sets {
	out := sets{}
	if live = plan.Managed(desired, live, caps); live == nil {
		return out
	}
	for _, rs := range live.Records {
		out.put(rs.Key(), rs.TTL, rs.Values, caps)
	}
	return out
}

func (ss sets) put(key string, ttl uint32, values []string, caps model.Capabilities) {
	if caps.ZoneTTL {
		ttl = 0
	}
	ss[key] = setState{TTL: ttl, Values: values}
}

// readTarget reads a target's zone and returns the record sets zonesync
// manages of it.
func readTarget(t *testing.T, p providers.Provider, desired *model.Zone) sets {
	t.Helper()
	live, err := p.ReadZone(context.Background(), desired.Name, providers.ReadOptions{})
	if err != nil {
		require.ErrorIs(t, err, providers.ErrZoneNotFound, "read %s", desired.Target())
		live = nil
	}
	return setsOf(desired, live, p.Capabilities())
}

// applied are the record sets before with the record-set operations of
// ops carried out.
func applied(before sets, ops []*plan.Operation, caps model.Capabilities) sets {
	out := sets{}
	for k, v := range before {
		out[k] = v
	}
	for _, op := range ops {
		key := op.Name + " " + op.Type
		switch {
		case op.Action.IsZoneAction() || op.Action.IsFailover():
		case op.After == nil:
			delete(out, key)
		default:
			var ttl uint32
			if op.After.TTL != nil {
				ttl = *op.After.TTL
			}
			out.put(key, ttl, op.After.Values, caps)
		}
	}
	return out
}

// resultStatuses lists the statuses of a zone report's operations.
func resultStatuses(zr *apply.ZoneReport) []apply.Status {
	var out []apply.Status
	for _, r := range zr.Results {
		out = append(out, r.Status)
	}
	return out
}

// whatOps lists operations as action, name and type.
func whatOps(ops []*plan.Operation) []string {
	out := []string{}
	for _, op := range ops {
		out = append(out, fmt.Sprintf("%s %s", op.Action, describeOp(op)))
	}
	return out
}

// testTwoTargets: a zone served by two providers, the provider under test
// and an in-process standby, planned and applied as the CLI does
// (apply.Prepare, apply.Run), round after round. In each round one target
// fails halfway through its operations: each of the two providers fails
// in turn, once listed first in providers and once second. The target
// that fails stops there: its later operations are skipped, never sent,
// and its zone holds exactly the changes before the failure; the other
// target completes and reads back as its spec; the report names the
// target that differs. A new plan changes only that target, and once
// the failure is gone an apply converges both, after which the plan is
// empty. Record sets with only or except are at their targets alone.
func testTwoTargets(t *testing.T, s *suite) {
	if !s.caps.ApexNS {
		t.Skip("the provider keeps the apex NS records to itself, and validate refuses it a zone with several providers")
	}
	if !s.has("A", "NS") {
		t.Skip("the provider holds no A or NS records, which the case's zone is made of")
	}
	tt := newTwoTargets(t, s)
	rounds := []struct {
		order   []string
		failing string
	}{
		{[]string{ProviderName, StandbyName}, StandbyName},
		{[]string{StandbyName, ProviderName}, StandbyName},
		{[]string{ProviderName, StandbyName}, ProviderName},
		{[]string{StandbyName, ProviderName}, ProviderName},
	}
	for r, rd := range rounds {
		round := r + 1
		t.Run(fmt.Sprintf("round%d/%s-fails/order-%s", round, rd.failing, strings.Join(rd.order, "-")), func(t *testing.T) {
			tt.round(t, round, rd.order, rd.failing)
		})
		if t.Failed() {
			return // later rounds start from this one's state
		}
	}
}

// round is one round of testTwoTargets.
func (tt *twoTargets) round(t *testing.T, r int, order []string, failing string) {
	zone := tt.s.h.Zone
	healthy := StandbyName
	if failing == StandbyName {
		healthy = ProviderName
	}
	wrapper := map[string]*faulty{ProviderName: tt.ut, StandbyName: tt.sb}
	failTarget, healthyTarget := zone+"@"+failing, zone+"@"+healthy

	tt.writeSpec(t, r, order)
	prep := tt.prepare(t)
	at := targetsOf(t, prep, zone, order)
	fi, hi := at[failing], at[healthy]
	fzp, hzp := prep.Plan.Zones[fi], prep.Plan.Zones[hi]
	require.GreaterOrEqual(t, len(fzp.Operations), 2, "%s: the round must change the failing target more than once:\n%s", failTarget, describeOps(fzp))
	require.NotEmpty(t, hzp.Operations, "%s: the round must change the healthy target", healthyTarget)

	// Sets with only or except are planned for their targets alone.
	utDesired, sbDesired := prep.Desired[at[ProviderName]], prep.Desired[at[StandbyName]]
	checkScoped(t, utDesired, sbDesired, tt.s.has("CNAME"))

	// The failing target fails from the middle of its operations on.
	k := len(fzp.Operations)/2 + 1
	failBefore := setsOf(prep.Desired[fi], prep.Live[fi], prep.Providers[fi].Capabilities())
	wrapper[failing].arm(k)
	tt.calls.take()
	rep := apply.Run(context.Background(), prep, apply.RunOptions{Concurrency: 2})
	wrapper[failing].disarm()
	assert.Equal(t, order, tt.calls.take(), "the targets are applied one after the other, in the order of providers")

	require.Len(t, rep.Zones, 2)
	fr, hr := rep.Zones[fi], rep.Zones[hi]
	t.Logf("%s fails at operation %d of %d: %v", failTarget, k, len(fr.Results), resultStatuses(fr))
	assert.Equal(t, failTarget, fr.Target)
	assert.Equal(t, healthyTarget, hr.Target)
	for i, res := range fr.Results {
		switch {
		case i < k-1:
			assert.Equal(t, apply.OK, res.Status, "%s: operation %d before the failure: %s", failTarget, res.Seq, res.Error)
		case i == k-1:
			assert.Equal(t, apply.Failed, res.Status, "%s: operation %d is the one that fails", failTarget, res.Seq)
			assert.Contains(t, res.Error, errInjected.Error(), "%s: operation %d", failTarget, res.Seq)
		case wrapper[failing].refused[res.Seq]:
			// Sent in the same call as the failing one, and failed with it.
			assert.Equal(t, apply.Failed, res.Status, "%s: operation %d, in the failing call", failTarget, res.Seq)
		default:
			assert.Equal(t, apply.Skipped, res.Status, "%s: operation %d after the failure ran", failTarget, res.Seq)
			assert.Contains(t, res.Error, "stops at its first operation that did not succeed", "%s: operation %d after the failure", failTarget, res.Seq)
		}
	}
	assert.Empty(t, wrapper[failing].after, "%s: operations sent after its failure; the target must stop there", failTarget)
	for _, res := range hr.Results {
		assert.Equal(t, apply.OK, res.Status, "%s: operation %d %s %s: %s", healthyTarget, res.Seq, res.Action, res.Name, res.Error)
	}
	assert.Equal(t, []string{failTarget}, rep.TargetsDiffer, "the report names the target that now differs")
	assert.True(t, rep.Failed(), "an apply with a failed target is a failure")

	// The healthy target is as its spec says; the failing one holds
	// exactly the changes before its failure.
	hDesired := prep.Desired[hi]
	if d := cmp.Diff(setsOf(hDesired, hDesired, prep.Providers[hi].Capabilities()), readTarget(t, prep.Providers[hi], hDesired), cmpopts.EquateEmpty()); d != "" {
		t.Errorf("%s did not converge though the other target failed (-spec +read):\n%s", healthyTarget, d)
	}
	want := applied(failBefore, fzp.Operations[:k-1], prep.Providers[fi].Capabilities())
	if d := cmp.Diff(want, readTarget(t, prep.Providers[fi], prep.Desired[fi]), cmpopts.EquateEmpty()); d != "" {
		t.Errorf("%s is not as its first %d operations left it (-expected +read):\n%s", failTarget, k-1, d)
	}

	// A new plan changes only the failing target: what it did not do.
	again := tt.prepare(t)
	at = targetsOf(t, again, zone, order)
	assert.Empty(t, describeOps(again.Plan.Zones[at[healthy]]), "%s: plan after its complete apply", healthyTarget)
	assert.Equal(t, whatOps(fzp.Operations[k-1:]), whatOps(again.Plan.Zones[at[failing]].Operations), "%s: plan after its failure shows what is left", failTarget)

	// Without the failure an apply converges both, and then plans nothing.
	rep = apply.Run(context.Background(), again, apply.RunOptions{Concurrency: 2})
	for _, zr := range rep.Zones {
		for _, res := range zr.Results {
			assert.Equal(t, apply.OK, res.Status, "%s: second apply: operation %d %s %s: %s", zr.Target, res.Seq, res.Action, res.Name, res.Error)
		}
	}
	assert.Empty(t, rep.TargetsDiffer, "second apply")
	final := tt.prepare(t)
	for _, zp := range final.Plan.Zones {
		assert.Empty(t, describeOps(zp), "%s: plan after the second apply is not empty", zp.Target)
	}
	for i, d := range final.Desired {
		if diff := cmp.Diff(setsOf(d, d, final.Providers[i].Capabilities()), readTarget(t, final.Providers[i], d), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s after the second apply (-spec +read):\n%s", d.Target(), diff)
		}
	}

	// Sets with only or except are live at their targets alone.
	at = targetsOf(t, final, zone, order)
	utLive, err := tt.ut.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	sbLive, err := tt.sb.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	checkScoped(t, utLive, sbLive, tt.s.has("CNAME"))
}

// checkScoped checks that the record sets the spec gives one target alone
// are in that target's zone and not in the other's: mine at the provider
// under test, theirs at the standby, cdn a CNAME at the one and an A
// record at the other.
func checkScoped(t *testing.T, ut, sb *model.Zone, cname bool) {
	t.Helper()
	where := []struct {
		name, rrtype string
		atUT         bool
	}{
		{"mine", "A", true},
		{"theirs", "A", false},
	}
	if cname {
		where = append(where, struct {
			name, rrtype string
			atUT         bool
		}{"cdn", "CNAME", true}, struct {
			name, rrtype string
			atUT         bool
		}{"cdn", "A", false})
	}
	for _, w := range where {
		in, out, inName, outName := ut, sb, ProviderName, StandbyName
		if !w.atUT {
			in, out, inName, outName = sb, ut, StandbyName, ProviderName
		}
		assert.NotNil(t, in.Find(w.name, w.rrtype), "%s %s is missing at %s, which it is for", w.name, w.rrtype, inName)
		assert.Nil(t, out.Find(w.name, w.rrtype), "%s %s is at %s, which it is not for", w.name, w.rrtype, outName)
	}
}
