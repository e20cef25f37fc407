package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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
	if got := statuses(z); !slices.Equal(got, []string{"ok", "failed", "skipped", "ok", "ok"}) {
		t.Fatalf("statuses %v", got)
	}
	if z.Results[1].Error != "provider says no" {
		t.Errorf("failed op error %q", z.Results[1].Error)
	}
	if want := "not run: it depends on operation 2 (delete x A), which failed"; z.Results[2].Error != want {
		t.Errorf("skipped op error %q, want %q", z.Results[2].Error, want)
	}
	if rep.Summary != (Counts{OK: 3, Failed: 1, Skipped: 1}) || !rep.Failed() {
		t.Errorf("summary %+v", rep.Summary)
	}
}

func TestCreateZoneFailureSkipsEverything(t *testing.T) {
	p := &scripted{fail: map[string]bool{"create_zone  ": true}}
	zp := &plan.ZonePlan{Zone: "example.com", Operations: []*plan.Operation{
		op(1, plan.CreateZone, "", ""), op(2, plan.Create, "a", "A"), op(3, plan.Create, "b", "A"),
	}}
	rep := Run(context.Background(), prepared(p, zp), RunOptions{})
	if got := statuses(rep.Zones[0]); !slices.Equal(got, []string{"failed", "skipped", "skipped"}) {
		t.Errorf("statuses %v", got)
	}
	if len(p.calls) != 1 {
		t.Errorf("provider called %d times after create_zone failed", len(p.calls))
	}
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
	if fmt.Sprint(p.calls) != fmt.Sprint(want) {
		t.Errorf("batches %v, want %v", p.calls, want)
	}
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
	if fmt.Sprint(p.calls) != fmt.Sprint(want) {
		t.Errorf("calls %q, want %q", p.calls, want)
	}
}

func TestStopSkipsWhatHasNotStarted(t *testing.T) {
	p := &scripted{}
	stop := make(chan struct{})
	close(stop)
	zp := &plan.ZonePlan{Zone: "example.com", Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}}
	rep := Run(context.Background(), prepared(p, zp), RunOptions{Stop: stop})
	if !rep.Interrupted || rep.Zones[0].Results[0].Status != Skipped || len(p.calls) != 0 {
		t.Errorf("after stop: interrupted=%v results=%+v calls=%v", rep.Interrupted, rep.Zones[0].Results, p.calls)
	}
}

func TestOnZoneInPlanOrder(t *testing.T) {
	p := &scripted{delay: time.Millisecond}
	var zones []*plan.ZonePlan
	for i := 0; i < 12; i++ {
		zones = append(zones, &plan.ZonePlan{Zone: fmt.Sprintf("z%02d.test", i), Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}})
	}
	var order []string
	Run(context.Background(), prepared(p, zones...), RunOptions{Concurrency: 6, OnZone: func(z *ZoneReport) { order = append(order, z.Zone) }})
	if !slices.IsSorted(order) || len(order) != 12 {
		t.Errorf("zones reported in order %v", order)
	}
}

// panicky is a provider whose Apply panics.
type panicky struct{ scripted }

func (p *panicky) Apply(context.Context, *model.Zone, []*plan.Operation) []error { panic("boom") }

func TestProviderPanicIsReportedNotFatal(t *testing.T) {
	zp := &plan.ZonePlan{Zone: "example.com", Provider: "p", Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}}
	rep := Run(context.Background(), prepared(&panicky{}, zp), RunOptions{})
	r := rep.Zones[0].Results[0]
	if r.Status != Failed || !strings.Contains(r.Error, "internal error in provider p: boom") {
		t.Errorf("result %+v", r)
	}
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
	if len(z.DS) != 1 {
		t.Fatalf("DS %v, want one record", z.DS)
	}
	var out strings.Builder
	WriteZoneText(&out, z)
	if !strings.Contains(out.String(), "    example.com. IN DS 24607 13 2 ab02d22c") {
		t.Errorf("text report:\n%s", out.String())
	}
	zp = &plan.ZonePlan{Zone: "example.com", Provider: "p", Operations: []*plan.Operation{op(1, plan.Create, "a", "A")}}
	if rep := Run(context.Background(), prepared(p, zp), RunOptions{}); rep.Zones[0].DS != nil {
		t.Errorf("DS %v of a zone the apply did not sign", rep.Zones[0].DS)
	}
}
