package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// orderLog records, across providers, which target each call was for.
type orderLog struct {
	mu    sync.Mutex
	calls []string
}

// logged is a scripted provider that notes its name in a shared log.
type logged struct {
	*scripted
	name string
	log  *orderLog
}

func (l *logged) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	l.log.mu.Lock()
	for _, op := range ops {
		l.log.calls = append(l.log.calls, l.name+": "+string(op.Action)+" "+op.Name)
	}
	l.log.mu.Unlock()
	return l.scripted.Apply(ctx, live, ops)
}

func targetPlan(zone, provider string, several bool, ops ...*plan.Operation) *plan.ZonePlan {
	zp := &plan.ZonePlan{Zone: zone, Provider: provider, Operations: ops}
	if several {
		zp.Target = zone + "@" + provider
	}
	return zp
}

// TestTargetStopsAtFirstFailureOthersGoOn: one target of a zone with two
// providers fails halfway: its later operations, dependent or not, are
// skipped; the other target, applied after it, completes; the report names
// the target that now differs. A zone with one provider still goes on past
// an independent failure.
func TestTargetStopsAtFirstFailureOthersGoOn(t *testing.T) {
	log := &orderLog{}
	a := &logged{scripted: &scripted{fail: map[string]bool{"create b A": true}}, name: "a", log: log}
	b := &logged{scripted: &scripted{}, name: "b", log: log}
	ops := func() []*plan.Operation {
		return []*plan.Operation{op(1, plan.Create, "a", "A"), op(2, plan.Create, "b", "A"), op(3, plan.Create, "c", "A")}
	}
	single := &scripted{fail: map[string]bool{"create b A": true}}
	prep := &Prepared{Plan: &plan.Plan{FormatVersion: plan.FormatVersion, Zones: []*plan.ZonePlan{
		targetPlan("example.com", "a", true, ops()...),
		targetPlan("example.com", "b", true, ops()...),
		targetPlan("example.net", "a", false, ops()...),
	}}}
	for _, p := range []providers.Provider{a, b, single} {
		prep.Desired, prep.Live, prep.Providers = append(prep.Desired, nil), append(prep.Live, nil), append(prep.Providers, p)
	}
	rep := Run(context.Background(), prep, RunOptions{Concurrency: 4})

	assert.Equal(t, []string{"ok", "failed", "skipped"}, statuses(rep.Zones[0]), "target example.com@a")
	assert.Equal(t, "not run: target example.com@a stops at its first operation that did not succeed, operation 2 (create b A, failed); the zone's other targets go on",
		rep.Zones[0].Results[2].Error)
	assert.Equal(t, []string{"ok", "ok", "ok"}, statuses(rep.Zones[1]), "target example.com@b")
	assert.Equal(t, []string{"ok", "failed", "ok"}, statuses(rep.Zones[2]), "a zone with one provider goes on past an independent failure")
	assert.Equal(t, []string{"a: create a", "a: create b", "b: create a", "b: create b", "b: create c"}, log.calls,
		"the targets of a zone are applied one after the other, in the order of its providers")

	assert.Equal(t, []string{"example.com@a"}, rep.TargetsDiffer)
	assert.Equal(t, []string{"target example.com@a did not complete and now differs from the spec and from example.com@b; run plan to see what is left"}, rep.TargetLines())
	assert.True(t, rep.Failed(), "a partial failure is a failure")

	var doc struct {
		Zones []struct {
			Zone, Provider, Target string
		}
		TargetsDiffer []string `json:"targets_differ"`
	}
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, []string{"example.com@a"}, doc.TargetsDiffer)
	assert.Equal(t, "example.com@b", doc.Zones[1].Target)
	assert.Empty(t, doc.Zones[2].Target, "a zone with one provider has no target in the report")
	assert.NotContains(t, buf.String(), `"target": ""`)

	buf.Reset()
	require.NoError(t, WriteMarkdown(&buf, rep, "zonesync.yaml"))
	assert.Contains(t, buf.String(), "**Targets differ:** target example.com@a did not complete")
}

func TestTargetGroups(t *testing.T) {
	zones := []*plan.ZonePlan{
		targetPlan("a.com", "x", false),
		targetPlan("b.com", "x", true), targetPlan("b.com", "y", true),
		targetPlan("c.com", "y", false),
		targetPlan("d.com", "y", true), targetPlan("d.com", "x", true),
	}
	assert.Equal(t, [][]int{{0}, {1, 2}, {3}, {4, 5}}, targetGroups(zones))
}
