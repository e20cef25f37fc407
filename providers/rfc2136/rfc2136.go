// Package rfc2136 is a provider for authoritative servers zonesync talks
// to in DNS itself: it reads a zone by AXFR and changes it with RFC 2136
// UPDATE messages, both signed with TSIG (RFC 8945) and sent over TCP.
// It works with any server that accepts signed updates and transfers for
// the zone: BIND, Knot, PowerDNS and others.
//
// Every change is a compare-and-swap: each operation's UPDATE carries
// prerequisites that the record set still holds what the plan saw, so a
// change someone else made between plan and apply fails that operation
// instead of being overwritten. See README.md.
package rfc2136

import (
	"context"
	"errors"
	"fmt"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
)

// Type is the provider type in zonesync.yaml.
const Type = "rfc2136"

func init() {
	providers.Register(Type, func(cfg *config.ProviderConfig) (providers.Provider, error) {
		return fromConfig(cfg)
	})
}

// The Provider contract and the optional abilities this provider has.
var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.Checker          = (*Provider)(nil)
	_ providers.OperationChecker = (*Provider)(nil)
)

// Provider reads zones from and applies plans to one primary server.
type Provider struct {
	cfg resolved
	// idx keeps, per zone, what Apply needs besides the live zone.
	idx *index
	// sent, when set, sees every UPDATE carrying changes before it goes
	// out; tests count and measure them.
	sent func(*dns.Msg)
}

// newProvider is a provider for checked settings, with an empty index.
func newProvider(c resolved) *Provider {
	return &Provider{cfg: c, idx: &index{}}
}

// Capabilities: any record type with its own TTL, the SOA fields but the
// serial (the server owns it), the apex NS, and several independent
// operations per call; TXT records go on the wire string by string, so
// their boundaries are kept. No failover, slave zones, mode switches or
// zone creation: RFC 2136 changes records inside a zone the server already
// has. A record set must fit in one UPDATE message; any data the protocol
// carries is accepted, empty TXT and null MX included.
func (p *Provider) Capabilities() model.Capabilities {
	return model.Capabilities{
		SOA:              model.SOAFields,
		ApexNS:           true,
		Batch:            true,
		TXTStrings:       true,
		MaxRecordSetSize: maxRecordSet,
		EmptyTXT:         true,
		RootTarget:       true,
	}
}

// Server returns the host:port updates are sent to.
func (p *Provider) Server() string { return p.cfg.server }

// TransferServer returns the host:port zones are read from.
func (p *Provider) TransferServer() string { return p.cfg.transfer }

// ListZones fails with errors.ErrUnsupported: DNS has no request that
// lists the zones a server serves, so every zone is named by its spec.
func (p *Provider) ListZones(ctx context.Context) ([]string, error) {
	return nil, fmt.Errorf("rfc2136: %s cannot list its zones: DNS has no request for that, name each zone in a zone spec: %w", p.cfg.server, errors.ErrUnsupported)
}
