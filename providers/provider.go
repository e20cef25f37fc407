// Package providers defines the interface every DNS provider implements,
// the registry that builds providers from zonesync.yaml, and the reading of
// live zones from a set of configured providers.
//
// Each provider lives in its own package below this one (zonefile, cloudns,
// telecomx, plesk, rfc2136) and registers itself by type in an init
// function; providers/all imports them all.
package providers

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/spec"
)

// ErrZoneNotFound is returned by ReadZone when the provider does not serve
// the zone at all. Any other failure to read must be another error: an
// empty answer must never turn into "delete everything".
var ErrZoneNotFound = errors.New("zone not found")

// Provider is a DNS provider zonesync reads zones from and applies plans to.
type Provider interface {
	// Capabilities reports what the provider can hold and do.
	Capabilities() spec.Capabilities
	// ListZones returns the names of the zones the provider serves, sorted.
	ListZones(ctx context.Context) ([]string, error)
	// ReadZone reads one zone into the model, with the provider ids that
	// Apply needs later. It returns ErrZoneNotFound (wrapped or not) when
	// the provider has no such zone.
	ReadZone(ctx context.Context, zone string) (*spec.Zone, error)
	// Apply carries out operations of one zone, in order, and returns one
	// error per operation, nil for success. live is the zone as read just
	// before (a zone with only its name when create_zone comes first);
	// Apply keeps its provider ids current as records come and go. Unless
	// the provider's capabilities say Batch, it gets one operation per call.
	Apply(ctx context.Context, live *spec.Zone, ops []*plan.Operation) []error
}

// Factory builds a provider from its entry in zonesync.yaml. It decodes and
// checks its settings but must not touch the network, so that validate
// works offline.
type Factory func(cfg *spec.ProviderConfig) (Provider, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]Factory{}
)

// Register makes a provider type available to zonesync.yaml. It panics on a
// duplicate type, which is a programming error caught at start-up.
func Register(typ string, f Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[typ]; dup {
		panic("providers: type " + typ + " registered twice")
	}
	registry[typ] = f
}

// Types lists the registered provider types, sorted.
func Types() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]string, 0, len(registry))
	for t := range registry {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// New builds the provider a config entry describes.
func New(cfg *spec.ProviderConfig) (Provider, error) {
	registryMu.RLock()
	f, ok := registry[cfg.Type]
	registryMu.RUnlock()
	if !ok {
		return nil, cfg.Errorf("type", "unknown provider type %q (known: %v)", cfg.Type, Types())
	}
	return f(cfg)
}

// Set is the providers of one config, by name.
type Set struct {
	byName map[string]Provider
}

// Open builds every provider of the config. Every problem is reported at once.
func Open(cfg *spec.Config) (*Set, error) {
	s := &Set{byName: map[string]Provider{}}
	var problems spec.ErrorList
	var other []error
	for _, name := range cfg.ProviderNames() {
		p, err := New(cfg.Providers[name])
		var list spec.ErrorList
		switch {
		case errors.As(err, &list):
			problems = append(problems, list...)
		case err != nil:
			other = append(other, fmt.Errorf("provider %s: %w", name, err))
		default:
			s.byName[name] = p
		}
	}
	if len(other) > 0 {
		return nil, errors.Join(append([]error{problems.Err()}, other...)...)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// NewSet wraps providers that are already built, for tests.
func NewSet(byName map[string]Provider) *Set { return &Set{byName: byName} }

// Get returns the provider configured under name.
func (s *Set) Get(name string) (Provider, bool) {
	p, ok := s.byName[name]
	return p, ok
}

// Capabilities returns a configured provider's capabilities; it fits
// spec.CapabilitiesFunc.
func (s *Set) Capabilities(name string) (spec.Capabilities, bool) {
	p, ok := s.byName[name]
	if !ok {
		return spec.Capabilities{}, false
	}
	return p.Capabilities(), true
}
