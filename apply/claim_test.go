package apply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// memory is a provider that keeps one zone in memory, can lock it, and
// logs every call, so that tests can see what apply did in which order.
type memory struct {
	mu   sync.Mutex
	zone *model.Zone
	log  []string
	// readErr fails ReadZone; lockErr fails LockZone.
	readErr, lockErr error
	// outcome, when set, is what Apply returns for an operation.
	outcome func(op *plan.Operation) error
}

func (m *memory) Capabilities() model.Capabilities { return model.Capabilities{CreateZone: true} }
func (m *memory) ListZones(context.Context) ([]string, error) {
	return []string{m.zone.Name}, nil
}

func (m *memory) record(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log = append(m.log, s)
}

func (m *memory) ReadZone(_ context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	m.record("read")
	if m.readErr != nil {
		return nil, m.readErr
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.zone == nil {
		return nil, providers.ErrZoneNotFound
	}
	z := *m.zone
	z.Records = append([]*model.RecordSet(nil), m.zone.Records...)
	return &z, nil
}

func (m *memory) LockZone(_ context.Context, zone string) (func(), error) {
	if m.lockErr != nil {
		return nil, m.lockErr
	}
	m.record("lock " + zone)
	return func() { m.record("unlock " + zone) }, nil
}

func (m *memory) Apply(_ context.Context, live *model.Zone, ops []*plan.Operation) []error {
	errs := make([]error, len(ops))
	for i, op := range ops {
		m.record(fmt.Sprintf("apply %s %s %s", op.Action, op.Name, op.Type))
		if m.outcome != nil {
			errs[i] = m.outcome(op)
		}
		if errs[i] != nil && !errors.Is(errs[i], providers.ErrOutcomeUnknown) {
			continue
		}
		m.mu.Lock()
		switch op.Action {
		case plan.CreateZone:
			m.zone = &model.Zone{Name: live.Name, Mode: model.Master}
		case plan.Create:
			m.zone.Records = append(m.zone.Records, op.After.RecordSet(op.Name, op.Type))
			m.zone.SortRecords()
		}
		m.mu.Unlock()
	}
	return errs
}

// zoneWith is a zone of A records, each name holding one value.
func zoneWith(t *testing.T, records map[string]string) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: "example.com", Provider: "mem", Mode: model.Master, TTL: 300}
	for name, value := range records {
		rs, err := model.NewRecordSet(name, "A", 300, value)
		require.NoError(t, err)
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// prepare plans desired against the provider's zone, as Prepare does.
func prepare(t *testing.T, m *memory, desired *model.Zone) *Prepared {
	t.Helper()
	live, err := m.ReadZone(context.Background(), desired.Name, providers.ReadOptions{})
	if errors.Is(err, providers.ErrZoneNotFound) {
		live = nil
	} else {
		require.NoError(t, err)
	}
	zp, err := plan.Zone(desired, live, m.Capabilities(), nil)
	require.NoError(t, err)
	pl := &plan.Plan{FormatVersion: plan.FormatVersion, Zones: []*plan.ZonePlan{zp}}
	pl.Summarize()
	m.log = nil
	return &Prepared{Plan: pl, Desired: []*model.Zone{desired}, Live: []*model.Zone{live}, Providers: []providers.Provider{m}}
}

func TestZoneChangedSincePlanIsRefused(t *testing.T) {
	m := &memory{zone: zoneWith(t, map[string]string{"www": "192.0.2.1"})}
	prep := prepare(t, m, zoneWith(t, map[string]string{"www": "192.0.2.1", "new": "192.0.2.2"}))
	// Another writer changes the zone after the plan was made.
	m.zone = zoneWith(t, map[string]string{"www": "192.0.2.9"})
	rep := Run(context.Background(), prep, RunOptions{})
	require.Len(t, rep.Zones[0].Results, 1)
	r := rep.Zones[0].Results[0]
	assert.Equal(t, Failed, r.Status)
	assert.Equal(t, "not run: zone example.com at provider mem: the zone changed since it was read: make a new plan", r.Error)
	assert.Equal(t, []string{"lock example.com", "read", "unlock example.com"}, m.log, "the zone is read under its lock, and nothing applied")
	assert.True(t, rep.Failed())
}

func TestUnchangedZoneIsAppliedUnderItsLock(t *testing.T) {
	m := &memory{zone: zoneWith(t, map[string]string{"www": "192.0.2.1"})}
	prep := prepare(t, m, zoneWith(t, map[string]string{"www": "192.0.2.1", "new": "192.0.2.2"}))
	rep := Run(context.Background(), prep, RunOptions{})
	assert.Equal(t, []string{"ok"}, statuses(rep.Zones[0]))
	assert.Equal(t, []string{"lock example.com", "read", "apply create new A", "unlock example.com"}, m.log)
}

func TestZoneCreatedSincePlanIsRefused(t *testing.T) {
	m := &memory{}
	prep := prepare(t, m, zoneWith(t, map[string]string{"www": "192.0.2.1"}))
	m.zone = zoneWith(t, nil) // someone else created it meanwhile
	rep := Run(context.Background(), prep, RunOptions{})
	for _, r := range rep.Zones[0].Results {
		assert.Equal(t, Failed, r.Status)
		assert.Contains(t, r.Error, providers.ErrZoneChanged.Error())
	}
	assert.NotContains(t, strings.Join(m.log, ";"), "apply")
}

func TestClaimFailuresRunNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    func(*memory)
		want string
	}{
		{"lock", func(m *memory) { m.lockErr = errors.New("zonefile: lock zone example.com: permission denied") },
			"not run: zonefile: lock zone example.com: permission denied"},
		{"read", func(m *memory) { m.readErr = errors.New("HTTP 503") },
			"not run: reading zone example.com from provider mem again before changing it: HTTP 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &memory{zone: zoneWith(t, map[string]string{"www": "192.0.2.1"})}
			prep := prepare(t, m, zoneWith(t, map[string]string{"a": "192.0.2.2", "b": "192.0.2.3"}))
			tc.m(m)
			rep := Run(context.Background(), prep, RunOptions{})
			for _, r := range rep.Zones[0].Results {
				assert.Equal(t, Failed, r.Status)
				assert.Equal(t, tc.want, r.Error)
			}
			assert.NotContains(t, strings.Join(m.log, ";"), "apply")
			if tc.name == "read" {
				assert.Equal(t, "unlock example.com", m.log[len(m.log)-1], "the lock is released")
			}
		})
	}
}

func TestUnknownOutcome(t *testing.T) {
	m := &memory{zone: zoneWith(t, nil)}
	desired := zoneWith(t, map[string]string{"a": "192.0.2.1", "b": "192.0.2.2", "c": "192.0.2.3"})
	prep := prepare(t, m, desired)
	m.outcome = func(op *plan.Operation) error {
		switch op.Name {
		case "a":
			return providers.OutcomeUnknown(errors.New("plesk: add_rec a A in example.com: context canceled"))
		case "b":
			return errors.New("plesk: add_rec b A in example.com: error 1007")
		}
		return nil
	}
	rep := Run(context.Background(), prep, RunOptions{})
	z := rep.Zones[0]
	got := map[string]Result{}
	for _, r := range z.Results {
		got[r.Name+" "+r.Type] = r
	}
	assert.Equal(t, Unknown, got["a A"].Status)
	assert.Equal(t, "sent, outcome not confirmed — run plan: plesk: add_rec a A in example.com: context canceled", got["a A"].Error)
	assert.Equal(t, Failed, got["b A"].Status)
	assert.Equal(t, "plesk: add_rec b A in example.com: error 1007", got["b A"].Error)
	assert.Equal(t, OK, got["c A"].Status)
	assert.Equal(t, Counts{OK: 1, Failed: 1, Unknown: 1}, rep.Summary)
	assert.True(t, rep.Failed(), "an unknown outcome makes the apply fail (exit 1)")
	assert.Contains(t, rep.SummaryLine(), "Applied 1 of 3 operations: 1 ok, 1 failed, 1 unknown (sent, outcome not confirmed: run plan), 0 skipped")

	var text bytes.Buffer
	WriteZoneText(&text, z)
	assert.Contains(t, text.String(), "  unknown   1 create a A: sent, outcome not confirmed — run plan: plesk: add_rec a A")
	var js bytes.Buffer
	require.NoError(t, rep.WriteJSON(&js))
	assert.Contains(t, js.String(), `"status": "unknown"`)
	assert.Contains(t, js.String(), `"unknown": 1`)
}

func TestUnknownOutcomeSkipsDependents(t *testing.T) {
	p := &scripted{}
	zp := &plan.ZonePlan{Zone: "example.com", Provider: "p", Operations: []*plan.Operation{
		op(1, plan.Delete, "x", "A"),
		op(2, plan.Create, "x", "CNAME"),
	}}
	unknown := &unknownFirst{scripted: p}
	rep := Run(context.Background(), prepared(unknown, zp), RunOptions{})
	assert.Equal(t, []string{"unknown", "skipped"}, statuses(rep.Zones[0]))
	assert.Equal(t, "not run: it depends on operation 1 (delete x A), whose outcome is unknown", rep.Zones[0].Results[1].Error)
}

// unknownFirst reports its first operation's outcome unknown.
type unknownFirst struct{ *scripted }

func (u *unknownFirst) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	errs := u.scripted.Apply(ctx, live, ops)
	if ops[0].Seq == 1 {
		errs[0] = providers.OutcomeUnknown(errors.New("timed out"))
	}
	return errs
}

// writesLive is a provider that, like the providers before issue 12,
// writes what it did into the live zone it is given, and remembers which
// live zone each call got.
type writesLive struct {
	*memory
	got []*model.Zone
}

func (w *writesLive) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	w.got = append(w.got, live)
	for _, op := range ops {
		if op.Action == plan.Create {
			live.Records = append(live.Records, op.After.RecordSet(op.Name, op.Type))
		}
	}
	return w.memory.Apply(ctx, live, ops)
}

// TestRunLeavesThePlannedZoneAlone: every Apply call of a zone gets the
// zone as read again before the first change, the same one each time,
// and the zone the plan was made from stays as it was, whatever the
// provider does to the one it got.
func TestRunLeavesThePlannedZoneAlone(t *testing.T) {
	m := &memory{zone: zoneWith(t, map[string]string{"www": "192.0.2.1"})}
	w := &writesLive{memory: m}
	prep := prepare(t, m, zoneWith(t, map[string]string{"www": "192.0.2.1", "a": "192.0.2.2", "b": "192.0.2.3"}))
	prep.Providers[0] = w
	planned := prep.Live[0]
	before := planned.Digest()
	rep := Run(context.Background(), prep, RunOptions{})
	assert.Equal(t, []string{"ok", "ok"}, statuses(rep.Zones[0]))
	require.Len(t, w.got, 2, "one call per operation")
	assert.Same(t, w.got[0], w.got[1], "every call gets the same live zone")
	assert.NotSame(t, planned, w.got[0], "the provider gets the zone read again, not the planned one")
	assert.Same(t, planned, prep.Live[0])
	assert.Equal(t, before, planned.Digest(), "the zone the plan was made from is unchanged")
}

// TestZoneAppliesOneZone: apply.Zone is Run for one zone's plan.
func TestZoneAppliesOneZone(t *testing.T) {
	m := &memory{zone: zoneWith(t, map[string]string{"www": "192.0.2.1"})}
	desired := zoneWith(t, map[string]string{"www": "192.0.2.1", "new": "192.0.2.2"})
	prep := prepare(t, m, desired)
	zr := Zone(context.Background(), m, desired, prep.Live[0], prep.Plan.Zones[0], nil)
	assert.Equal(t, "example.com", zr.Zone)
	assert.Equal(t, []string{"ok"}, statuses(zr))
	assert.Equal(t, []string{"lock example.com", "read", "apply create new A", "unlock example.com"}, m.log)

	m.zone = zoneWith(t, map[string]string{"www": "192.0.2.9"})
	zr = Zone(context.Background(), m, desired, prep.Live[0], prep.Plan.Zones[0], nil)
	assert.Equal(t, []string{"failed"}, statuses(zr), "a zone changed since the plan is refused")

	stop := make(chan struct{})
	close(stop)
	zr = Zone(context.Background(), m, desired, prep.Live[0], prep.Plan.Zones[0], stop)
	assert.Equal(t, []string{"skipped"}, statuses(zr))
}
