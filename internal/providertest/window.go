package providertest

import (
	"context"
	"sync"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// InWindow wraps p so that meddle runs once, right before p's first Apply.
// It stands for another writer changing the zone after apply read it again
// and before the provider wrote: the window a re-read cannot close. Tests
// use it to check what a provider does about such a change. meddle gets
// the live zone Apply is about to be given.
func InWindow(p providers.Provider, meddle func(live *model.Zone)) providers.Provider {
	return BeforeApply(p, func(call int, live *model.Zone) {
		if call == 1 {
			meddle(live)
		}
	})
}

// BeforeApply wraps p so that hook runs before each of p's Apply calls,
// with the call's number, 1 for the first: a test can change the zone
// between two calls of one apply.
func BeforeApply(p providers.Provider, hook func(call int, live *model.Zone)) providers.Provider {
	return &beforeApply{Provider: p, hook: hook}
}

type beforeApply struct {
	providers.Provider
	mu    sync.Mutex
	calls int
	hook  func(call int, live *model.Zone)
}

func (w *beforeApply) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	w.mu.Lock()
	w.calls++
	call := w.calls
	w.mu.Unlock()
	w.hook(call, live)
	return w.Provider.Apply(ctx, live, ops)
}
