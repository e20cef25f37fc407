package providertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// standby is the second provider of the zone in testTwoTargets: an
// in-process provider keeping its zones in memory. It lives here rather
// than being a zone-file provider because providers/zonefile's own tests
// run this suite from inside their package, which an import of it here
// would turn into an import cycle. Like a real provider it checks that
// each record set is as the plan saw it before it changes it.
type standby struct {
	mu    sync.Mutex
	zones map[string]*model.Zone
}

func newStandby() *standby { return &standby{zones: map[string]*model.Zone{}} }

// Capabilities: any record type, each set with its own TTL, apex NS set
// by the spec; one operation per call, so that a failure halfway leaves
// later operations to apply's stop rule rather than to a batch.
func (p *standby) Capabilities() model.Capabilities {
	return model.Capabilities{CreateZone: true, ApexNS: true, TXTStrings: true}
}

func (p *standby) ListZones(context.Context) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for name := range p.zones {
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}

func (p *standby) ReadZone(_ context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	z, ok := p.zones[zone]
	if !ok {
		return nil, fmt.Errorf("standby: zone %s: %w", zone, providers.ErrZoneNotFound)
	}
	return cloneZone(z), nil
}

func (p *standby) Apply(_ context.Context, live *model.Zone, ops []*plan.Operation) []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	errs := make([]error, len(ops))
	for i, op := range ops {
		errs[i] = p.apply(live.Name, op)
	}
	return errs
}

// apply carries out one operation on the zone's state.
func (p *standby) apply(zone string, op *plan.Operation) error {
	z, exists := p.zones[zone]
	if op.Action == plan.CreateZone {
		if exists {
			return fmt.Errorf("standby: zone %s exists already", zone)
		}
		p.zones[zone] = &model.Zone{Name: zone, Mode: model.Master}
		return nil
	}
	if !exists {
		return fmt.Errorf("standby: zone %s: %w", zone, providers.ErrZoneNotFound)
	}
	have := z.Find(op.Name, op.Type)
	switch op.Action {
	case plan.Create:
		if have != nil {
			return fmt.Errorf("standby: zone %s: %s exists already", zone, have.Key())
		}
		z.Records = append(z.Records, setFrom(op))
		z.SortRecords()
	case plan.Update:
		if !sameAs(have, op.Before) {
			return fmt.Errorf("standby: zone %s: %s %s is no longer as planned", zone, op.Name, op.Type)
		}
		*have = *setFrom(op)
	case plan.Delete:
		if !sameAs(have, op.Before) {
			return fmt.Errorf("standby: zone %s: %s %s is no longer as planned", zone, op.Name, op.Type)
		}
		z.Records = slices.DeleteFunc(z.Records, func(rs *model.RecordSet) bool { return rs == have })
	default:
		return fmt.Errorf("standby: zone %s: %s is not supported", zone, op.Action)
	}
	return nil
}

// setFrom is the record set an operation leaves.
func setFrom(op *plan.Operation) *model.RecordSet {
	rs := &model.RecordSet{Name: op.Name, Type: op.Type, Values: slices.Clone(op.After.Values)}
	if op.After.TTL != nil {
		rs.TTL = *op.After.TTL
	}
	return rs
}

// sameAs reports whether a record set is the state an operation expects.
func sameAs(rs *model.RecordSet, s *plan.State) bool {
	return rs != nil && s != nil && (s.TTL == nil || *s.TTL == rs.TTL) && slices.Equal(rs.Values, s.Values)
}

// errInjected is the failure faulty gives the operations it fails.
var errInjected = errors.New("injected failure: the provider refused the operation")

// faulty wraps one target's provider and, once armed, fails that
// target's failFrom-th operation (counting from when it was armed) and
// every operation it is given after it, without passing them on: a
// provider that fails halfway through a zone. It records the operations
// it is given in calls after the failing one, which apply must not make.
type faulty struct {
	providers.Provider
	// name is the target's provider, which Apply notes in calls.
	name     string
	calls    *callLog
	mu       sync.Mutex
	failFrom int // 0: never fails
	// given counts the operations given since arm; failed is whether one
	// of them was failed.
	given  int
	failed bool
	// refused are, by Seq, the failing operation and those after it in
	// the same call, which fail with it.
	refused map[int]bool
	after   []string // operations given in a call after the one that failed
}

// arm makes the failFrom-th operation from now on fail, and forgets
// what it noted of the last failure.
func (f *faulty) arm(failFrom int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failFrom, f.given, f.failed, f.refused, f.after = failFrom, 0, false, map[int]bool{}, nil
}

// disarm removes the failure, keeping what it noted of it.
func (f *faulty) disarm() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failFrom = 0
}

func (f *faulty) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	f.calls.add(f.name)
	f.mu.Lock()
	if f.failed {
		for _, op := range ops {
			f.after = append(f.after, fmt.Sprintf("%d %s %s", op.Seq, op.Action, describeOp(op)))
		}
	}
	cut := len(ops)
	for i := range ops {
		f.given++
		if f.failFrom > 0 && f.given >= f.failFrom && cut == len(ops) {
			cut = i
		}
	}
	if !f.failed {
		for _, op := range ops[cut:] {
			f.refused[op.Seq] = true
		}
	}
	f.failed = f.failed || cut < len(ops)
	f.mu.Unlock()

	errs := make([]error, len(ops))
	if cut > 0 {
		copy(errs, f.Provider.Apply(ctx, live, ops[:cut]))
	}
	for i := cut; i < len(ops); i++ {
		errs[i] = errInjected
	}
	return errs
}

// callLog notes which provider each Apply call went to, in order,
// across the targets of a zone.
type callLog struct {
	mu    sync.Mutex
	names []string
}

func (l *callLog) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.names); n == 0 || l.names[n-1] != name {
		l.names = append(l.names, name)
	}
}

// take returns the providers called since the last take, each run of
// calls to one provider once.
func (l *callLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.names
	l.names = nil
	return out
}

// The wrapper keeps the wrapped provider's optional abilities, which
// apply looks for by type: without them it would plan and apply
// differently from the CLI.

func (f *faulty) CheckOperation(live *model.Zone, op *plan.Operation) error {
	return providers.CheckOperation(f.Provider, live, op)
}

func (f *faulty) CheckAccess(ctx context.Context, zone string) error {
	if c, ok := f.Provider.(providers.Checker); ok {
		return c.CheckAccess(ctx, zone)
	}
	return nil
}

func (f *faulty) LockZone(ctx context.Context, zone string) (func(), error) {
	if l, ok := f.Provider.(providers.ZoneLocker); ok {
		return l.LockZone(ctx, zone)
	}
	return func() {}, nil
}

func describeOp(op *plan.Operation) string {
	if op.Name == "" {
		return "of the zone"
	}
	return op.Name + " " + op.Type
}
