package apply

import (
	"context"
	"fmt"
	"sort"

	"github.com/zonesync/zonesync/providers"
)

// accessCheck is one provider's access check, run once per run.
type accessCheck struct {
	done chan struct{}
	err  error
}

// accessError is a read not made because its provider failed its check.
type accessError struct {
	provider string
	err      error
}

func (e *accessError) Error() string {
	return fmt.Sprintf("provider %s cannot be used: %v", e.provider, e.err)
}

func (e *accessError) Unwrap() error { return e.err }

// check returns the access check of a zone's provider, starting it when
// this is the provider's first zone: the checks of different providers run
// at once, and each provider is checked once. r.mu is held, so that the
// first zone started, in the run's order, is the one the check is about.
func (r *reader) check(name string, p providers.Provider, zone string) *accessCheck {
	c, ok := p.(providers.Checker)
	if !ok {
		return nil
	}
	ac := r.checks[name]
	if ac == nil {
		ac = &accessCheck{done: make(chan struct{})}
		r.checks[name] = ac
		go func() {
			defer close(ac.done)
			ac.err = checkSafely(r.ctx, c, zone)
			if ac.err == nil {
				providers.Logf(r.ctx, "provider %s: access checked", name)
			}
		}()
	}
	return ac
}

// wait waits for the check; its error stands for every zone of the provider.
func (ac *accessCheck) wait(ctx context.Context, provider string) error {
	if ac == nil {
		return nil
	}
	select {
	case <-ac.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if ac.err != nil {
		return &accessError{provider: provider, err: ac.err}
	}
	return nil
}

// checkSafely is CheckAccess, with a panic in the provider turned into an error.
func checkSafely(ctx context.Context, c providers.Checker, zone string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in the provider: %v", r)
		}
	}()
	return c.CheckAccess(ctx, zone)
}

// Unavailable is a provider that failed its access check, and the zones
// of the run it holds, which were neither planned nor applied.
type Unavailable struct {
	Provider string
	Err      error
	Zones    []string
}

// Error is the one line that stands for all the provider's zones.
func (u *Unavailable) Error() string {
	return fmt.Sprintf("provider %s cannot be used, so its %s left out: %v",
		u.Provider, zoneCount(u.Zones), u.Err)
}

func (u *Unavailable) Unwrap() error { return u.Err }

// zoneCount is "zone example.com was" or "3 zones (a, b, c) were".
func zoneCount(zones []string) string {
	if len(zones) == 1 {
		return "zone " + zones[0] + " was"
	}
	return fmt.Sprintf("%d zones (%s) were", len(zones), listSome(zones, 3))
}

// unavailableSet gathers the zones left out, by provider.
type unavailableSet map[string]*Unavailable

func (s unavailableSet) add(provider string, err error, zone string) {
	u := s[provider]
	if u == nil {
		u = &Unavailable{Provider: provider, Err: err}
		s[provider] = u
	}
	u.Zones = append(u.Zones, zone)
}

// list is the set sorted by provider name, each provider's zones sorted.
func (s unavailableSet) list() []*Unavailable {
	out := make([]*Unavailable, 0, len(s))
	for _, u := range s {
		sort.Strings(u.Zones)
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Provider < out[j].Provider })
	if len(out) == 0 {
		return nil
	}
	return out
}

// UnavailableTarget reports whether the zone was left out at provider
// because that provider failed its access check: one target of a zone
// served by several providers can be left out while the others are not.
func (p *Prepared) UnavailableTarget(zone, provider string) bool {
	for _, u := range p.Unavailable {
		if i := sort.SearchStrings(u.Zones, zone); u.Provider == provider && i < len(u.Zones) && u.Zones[i] == zone {
			return true
		}
	}
	return false
}

// UnavailableZone reports whether the zone was left out because its
// provider failed its access check.
func (p *Prepared) UnavailableZone(zone string) bool {
	for _, u := range p.Unavailable {
		if i := sort.SearchStrings(u.Zones, zone); i < len(u.Zones) && u.Zones[i] == zone {
			return true
		}
	}
	return false
}
