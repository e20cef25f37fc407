package apply

import (
	"context"
	"errors"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// scripted is a provider whose Apply fails the operations named in fail
// and records every call.
type scripted struct {
	mu    sync.Mutex
	caps  model.Capabilities
	fail  map[string]bool // "action name type"
	calls [][]string
	delay time.Duration
}

func (s *scripted) Capabilities() model.Capabilities { return s.caps }
func (s *scripted) ListZones(context.Context) ([]string, error) {
	return nil, nil
}
func (s *scripted) ReadZone(context.Context, string, providers.ReadOptions) (*model.Zone, error) {
	return nil, providers.ErrZoneNotFound
}
func (s *scripted) Apply(_ context.Context, _ *model.Zone, ops []*plan.Operation) []error {
	time.Sleep(s.delay)
	s.mu.Lock()
	defer s.mu.Unlock()
	var call []string
	errs := make([]error, len(ops))
	for i, op := range ops {
		key := fmt.Sprintf("%s %s %s", op.Action, op.Name, op.Type)
		call = append(call, key)
		if s.fail[key] {
			errs[i] = errors.New("provider says no")
		}
	}
	s.calls = append(s.calls, call)
	return errs
}

func op(seq int, a plan.Action, name, typ string) *plan.Operation {
	return &plan.Operation{Seq: seq, Action: a, Name: name, Type: typ}
}

func prepared(p providers.Provider, zones ...*plan.ZonePlan) *Prepared {
	pl := &plan.Plan{FormatVersion: plan.FormatVersion, Zones: zones}
	prep := &Prepared{Plan: pl}
	for range zones {
		prep.Desired = append(prep.Desired, nil)
		prep.Live = append(prep.Live, nil)
		prep.Providers = append(prep.Providers, p)
	}
	return prep
}

func statuses(z *ZoneReport) []string {
	var out []string
	for _, r := range z.Results {
		out = append(out, string(r.Status))
	}
	return out
}

func TestFailureSkipsOnlyDependents(t *testing.T) {
	p := &scripted{fail: map[string]bool{"delete x A": true}}
	zp := &plan.ZonePlan{Zone: "example.com", Provider: "p", Operations: []*plan.Operation{
		op(1, plan.UpdateSOA, "", ""),
		op(2, plan.Delete, "x", "A"),     // fails
		op(3, plan.Create, "x", "CNAME"), // needs 2: skipped
		op(4, plan.Create, "y", "A"),     // independent: runs
		op(5, plan.Delete, "z", "A"),     // independent: runs
	}}
	rep := Run(context.Background(), prepared(p, zp), RunOptions{Concurrency: 1})
	z := rep.Zones[0]
	require.Equal(t, []string{"ok", "failed", "skipped", "ok", "ok"}, statuses(z), "statuses")
	assert.Equal(t, "provider says no", z.Results[1].Error, "failed op error")
	assert.Equal(t, "not run: it depends on operation 2 (delete x A), which failed", z.Results[2].Error, "skipped op error")
	assert.Equal(t, Counts{OK: 3, Failed: 1, Skipped: 1}, rep.Summary, "summary")
	assert.True(t, rep.Failed(), "a run with a failed operation has failed")
}

func TestCreateZoneFailureSkipsEverything(t *testing.T) {
	p := &scripted{fail: map[string]bool{"create_zone  ": true}}
	zp := &plan.ZonePlan{Zone: "example.com", Operations: []*plan.Operation{
		op(1, plan.CreateZone, "", ""), op(2, plan.Create, "a", "A"), op(3, plan.Create, "b", "A"),
	}}
	rep := Run(context.Background(), prepared(p, zp), RunOptions{})
	assert.Equal(t, []string{"failed", "skipped", "skipped"}, statuses(rep.Zones[0]), "statuses")
	assert.Len(t, p.calls, 1, "the provider is called again after create_zone failed")
}

func TestBatchesIndependentOperations(t *testing.T) {
	p := &scripted{caps: model.Capabilities{Batch: true}}
	zp := &plan.ZonePlan{Zone: "example.com", Operations: []*plan.Operation{
		op(1, plan.Delete, "x", "A"),
		op(2, plan.Create, "x", "CNAME"), // depends on 1: new batch
		op(3, plan.Create, "y", "A"),
		op(4, plan.Delete, "z", "A"),
	}}
	Run(context.Background(), prepared(p, zp), RunOptions{})
	want := [][]string{{"delete x A"}, {"create x CNAME", "create y A", "delete z A"}}
	assert.Equal(t, want, p.calls, "batches")
}

// TestTransactionsTakeDependentOperations: a provider whose calls are
// transactions gets a zone's record operations in one call, the delete
// that clears a name with the create that takes it; only what depends on
// create_zone or switch_mode waits for the next call.
func TestTransactionsTakeDependentOperations(t *testing.T) {
	p := &scripted{caps: model.Capabilities{Batch: true, Transaction: true}}
	zp := &plan.ZonePlan{Zone: "example.com", Operations: []*plan.Operation{
		op(1, plan.SwitchMode, "", ""),
		op(2, plan.UpdateSOA, "", ""),
		op(3, plan.Delete, "x", "A"),
		op(4, plan.Create, "x", "CNAME"), // depends on 3: same call
		op(5, plan.Create, "y", "A"),
	}}
	Run(context.Background(), prepared(p, zp), RunOptions{})
	want := [][]string{{"switch_mode  "}, {"update_soa  ", "delete x A", "create x CNAME", "create y A"}}
	if diff := cmp.Diff(want, p.calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestStopSkipsWhatHasNotStarted(t *testing.T) {
	p := &scripted{}
	stop := make(chan struct{})
	close(stop)
	zp := &plan.ZonePlan{Zone: "example.com", Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}}
	rep := Run(context.Background(), prepared(p, zp), RunOptions{Stop: stop})
	assert.True(t, rep.Interrupted, "after stop: interrupted")
	assert.Equal(t, Skipped, rep.Zones[0].Results[0].Status, "after stop: the operation's status")
	assert.Empty(t, p.calls, "after stop: calls")
}

func TestOnZoneInPlanOrder(t *testing.T) {
	p := &scripted{delay: time.Millisecond}
	var zones []*plan.ZonePlan
	for i := 0; i < 12; i++ {
		zones = append(zones, &plan.ZonePlan{Zone: fmt.Sprintf("z%02d.test", i), Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}})
	}
	var order []string
	Run(context.Background(), prepared(p, zones...), RunOptions{Concurrency: 6, OnZone: func(z *ZoneReport) { order = append(order, z.Zone) }})
	assert.Len(t, order, 12, "zones reported")
	assert.True(t, slices.IsSorted(order), "zones reported in order %v", order)
}

// panicky is a provider whose Apply panics.
type panicky struct{ scripted }

func (p *panicky) Apply(context.Context, *model.Zone, []*plan.Operation) []error { panic("boom") }

func TestProviderPanicIsReportedNotFatal(t *testing.T) {
	zp := &plan.ZonePlan{Zone: "example.com", Provider: "p", Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}}
	rep := Run(context.Background(), prepared(&panicky{}, zp), RunOptions{})
	r := rep.Zones[0].Results[0]
	assert.Equal(t, Failed, r.Status)
	assert.Contains(t, r.Error, "internal error in provider p: boom")
}

// signer is a provider that signs zones and tells their DS records.
type signer struct{ scripted }

func (s *signer) DS(context.Context, string) ([]string, error) {
	return []string{"24607 13 2 ab02d22c5af8322cd1efdaeffca6a82812de69ad015d5af1c19cc7a5c011b1bc"}, nil
}

// TestReportHasDSOfSignedZone: after an apply signed a zone, its report
// carries the DS records for the registrar, and the text prints them;
// a zone the apply did not sign gets none.
func TestReportHasDSOfSignedZone(t *testing.T) {
	p := &signer{}
	zp := &plan.ZonePlan{Zone: "example.com", Provider: "p", Operations: []*plan.Operation{op(1, plan.EnableDNSSEC, "", "")}}
	rep := Run(context.Background(), prepared(p, zp), RunOptions{})
	z := rep.Zones[0]
	require.Len(t, z.DS, 1, "DS records")
	var out strings.Builder
	WriteZoneText(&out, z)
	assert.Contains(t, out.String(), "    example.com. IN DS 24607 13 2 ab02d22c", "text report")
	zp = &plan.ZonePlan{Zone: "example.com", Provider: "p", Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}}
	rep = Run(context.Background(), prepared(p, zp), RunOptions{})
	assert.Nil(t, rep.Zones[0].DS, "DS of a zone the apply did not sign")
}
