// Package providers defines the interface every DNS provider implements,
// the registry that builds providers from zonesync.yaml, and what the
// engine and the providers share: read options, operation checks, outcome
// errors and logging.
//
// Each provider lives in its own package below this one (zonefile, cloudns,
// telecomx, plesk, rfc2136, powerdns) and registers itself by type in an init
// function; providers/all imports them all.
//
// # The contract, in short
//
// The engine (plan and apply) computes every change once; a provider only
// carries it out. ReadZone reads a zone into the model and fills the
// provider's own per-zone index of record ids (whatever its API addresses
// records by); Apply gets the operations of one zone, each record-set
// operation with its value-level change (plan.Operation.Change: values
// added, removed and kept, and the in-place pairs), and the live zone as
// apply read it last, READ-ONLY. A provider never diffs record sets
// itself, never writes to the live zone it is given, and keeps its record
// ids in an index of its own, never in the model. HTTP providers send changes through httpx.Client.Change, which
// holds the one late-commit protocol, and take their HTTP settings as an
// inline httpx.Settings.
//
// Optional abilities are interfaces of their own (Checker,
// OperationChecker, ZoneLocker): each documents why a provider without it
// is normal.
package providers

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// ErrZoneNotFound is returned by ReadZone when the provider does not serve
// the zone at all. Any other failure to read must be another error: an
// empty answer must never turn into "delete everything".
var ErrZoneNotFound = errors.New("zone not found")

// Provider is a DNS provider zonesync reads zones from and applies plans to.
// Its methods may be called concurrently, for different zones and for the
// same one (a plan's read while another zone is applied).
type Provider interface {
	// Capabilities reports what the provider can hold and do. Validation
	// and the plan refuse what they rule out, in the provider's name; they
	// must not change while the provider is in use.
	Capabilities() model.Capabilities

	// ListZones returns the names of the zones the provider serves,
	// sorted. A provider that cannot list zones returns an error wrapping
	// errors.ErrUnsupported.
	ListZones(ctx context.Context) ([]string, error)

	// ReadZone reads one zone, whole, into the model: mode, masters, TTL,
	// SOA, record sets with canonical values, sorted (model.Zone's own
	// order), and failover. It returns ErrZoneNotFound (wrapped or not)
	// when the provider does not serve the zone, and any other failure as
	// an error: an empty or cut-short answer must never read as an empty
	// zone, which a plan would fill again.
	//
	// opt names parts the caller can do without and tells about the run
	// the read belongs to; a provider may use it to save calls, never to
	// read less than a whole zone otherwise. The zero ReadOptions asks for
	// everything. See ReadOptions.
	//
	// A provider that addresses records by id keeps them in its own
	// per-zone index, which each ReadZone replaces for its zone: Apply
	// looks ids up there, and apply always reads a zone again right before
	// its first change, so the index is as fresh as the live zone Apply
	// gets.
	ReadZone(ctx context.Context, zone string, opt ReadOptions) (*model.Zone, error)

	// Apply carries out operations of one zone, in order, and returns one
	// error per operation, in the same order, nil for success.
	//
	// live is the zone as apply read it right before the zone's first
	// change (a zone holding only its name, provider and master mode when
	// create_zone comes first). It is READ-ONLY: Apply must not change it
	// or anything it points to, and apply gives the same live zone to
	// every call for the zone, however many operations came before. What
	// Apply needs to remember between calls (ids of records it created,
	// a zone it just created) goes in its own per-zone index.
	//
	// Each create, update and delete carries its value-level change
	// (op.Change()): Apply carries that out and does not diff op.Before
	// against op.After or live itself. Where the API has a modify call,
	// an update rewrites records in place (Change.Pairs, Change.Retimed)
	// rather than deleting and creating a record that stays.
	//
	// An error for an operation that may have taken effect although it
	// failed (sent, no answer) wraps ErrOutcomeUnknown (see
	// OutcomeUnknown); apply reports it "unknown". Apply checks every
	// operation with its CheckOperation, if it has one, before it sends
	// anything, so that apply refuses what the plan refused. Unless the
	// provider's capabilities say Batch, it gets one operation per call;
	// with Batch, a run of operations none of which depends on another;
	// with Transaction too, a run whose operations depend on each other
	// only at record level (a delete that clears a name, then the create
	// there), which the provider carries out in order, all or none.
	Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error
}

// Factory builds a provider from its entry in zonesync.yaml. It decodes and
// checks its settings but must not touch the network, so that validate
// works offline.
type Factory func(cfg *config.ProviderConfig) (Provider, error)

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
func New(cfg *config.ProviderConfig) (Provider, error) {
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
func Open(cfg *config.Config) (*Set, error) {
	s := &Set{byName: map[string]Provider{}}
	var problems yamlx.ErrorList
	var other []error
	for _, name := range cfg.ProviderNames() {
		p, err := New(cfg.Providers[name])
		var list yamlx.ErrorList
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
func (s *Set) Capabilities(name string) (model.Capabilities, bool) {
	p, ok := s.byName[name]
	if !ok {
		return model.Capabilities{}, false
	}
	return p.Capabilities(), true
}
