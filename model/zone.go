package model

import (
	"fmt"
	"slices"
	"sort"
)

// Mode is whether a zone is served from its own data or transferred from masters.
type Mode string

// Zone modes.
const (
	Master Mode = "master"
	Slave  Mode = "slave"
)

// Apex is the relative name of a zone's apex.
const Apex = "@"

// Zone is one DNS zone, desired (from a spec) or live (from a provider).
type Zone struct {
	// Name is the zone's domain, lower case, without a trailing dot.
	Name string
	// Provider is the name, in zonesync.yaml, of the provider serving the zone.
	Provider string
	// Mode is master or slave.
	Mode Mode
	// Masters are the servers a slave zone is transferred from, canonical and sorted.
	Masters []string
	// TTL is the default TTL of the spec's records; for a provider with one
	// TTL per zone it is that zone TTL.
	TTL uint32
	// SOA is nil when the spec leaves the live SOA alone.
	SOA *SOA
	// DNSSEC says whether the zone is signed. In a spec, nil leaves the
	// live zone's signing alone; in a live zone, nil means the provider
	// cannot tell (it has no DNSSEC).
	DNSSEC *bool
	// DS are, in a live zone its provider signs, the DS records its
	// parent should hold for it (RDATA in presentation form), to hand to
	// the registrar. Not part of the digest: they follow from the keys.
	DS []string
	// Warnings are, in a live zone, what the provider found that is
	// worth a look and changes nothing (a server setting that keeps
	// secondaries from seeing changes, say), in its own words; the plan
	// shows them with its own warnings.
	Warnings []string
	// Ignore lists live records zonesync never changes or deletes.
	Ignore []IgnoreRule
	// Records are the zone's record sets, sorted by name then type.
	Records []*RecordSet
	// File is the spec file the zone was loaded from; empty for a live zone.
	File string
	// Sources is every file the desired zone was built from: its spec file
	// first, then each template file it includes, in include order; nil
	// for live zones. A change to any of them can change the zone.
	Sources []string
	// AliasOf is, for a zone that is an alias of another zone's spec
	// (its aliases key), the name of that zone; empty otherwise.
	AliasOf string
	// Pos maps the zone's top-level keys to their place in File.
	Pos map[string]Pos
}

// Origin returns the zone name as an absolute domain name with a trailing dot.
func (z *Zone) Origin() string { return z.Name + "." }

// Find returns the record set (name, rrtype), or nil.
func (z *Zone) Find(name, rrtype string) *RecordSet {
	i := sort.Search(len(z.Records), func(i int) bool {
		return CompareKeys(z.Records[i].Name, z.Records[i].Type, name, rrtype) >= 0
	})
	if i < len(z.Records) && z.Records[i].Name == name && z.Records[i].Type == rrtype {
		return z.Records[i]
	}
	return nil
}

// SortRecords puts the record sets in their canonical order: the apex first,
// then names in lexical order, each name's types in lexical order.
func (z *Zone) SortRecords() {
	slices.SortFunc(z.Records, func(a, b *RecordSet) int {
		return CompareKeys(a.Name, a.Type, b.Name, b.Type)
	})
}

// Ignored reports whether a live record set is covered by one of the zone's ignore rules.
func (z *Zone) Ignored(name, rrtype string) bool {
	for _, r := range z.Ignore {
		if r.Matches(name, rrtype) {
			return true
		}
	}
	return false
}

// RecordSet is every record of one (name, type): one TTL, a set of values.
type RecordSet struct {
	// Name is relative to the zone, lower case; "@" is the apex.
	Name string
	// Type is the record type in upper case (A, MX, ...).
	Type string
	// TTL is the record set's TTL in seconds.
	TTL uint32
	// Values are the RDATA in canonical presentation form, sorted, without duplicates.
	Values []string
	// Failover is the record set's health check, or nil.
	Failover *Failover
	// Pos is where the record set is declared in its spec.
	Pos Pos
}

// NewRecordSet builds a record set from values written as a spec writes
// them, in canonical form, sorted and without duplicates.
func NewRecordSet(name, rrtype string, ttl uint32, values ...string) (*RecordSet, error) {
	rs := &RecordSet{Name: name, Type: rrtype, TTL: ttl, Values: make([]string, 0, len(values))}
	for _, v := range values {
		c, err := CanonicalValue(rrtype, v)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", name, rrtype, err)
		}
		rs.Values = append(rs.Values, c)
	}
	rs.SetValues(rs.Values)
	return rs, nil
}

// SetValues stores values in canonical order, dropping duplicates.
func (rs *RecordSet) SetValues(values []string) {
	sort.Strings(values)
	out := values[:0]
	for i, v := range values {
		if i == 0 || v != values[i-1] {
			out = append(out, v)
		}
	}
	rs.Values = out
}

// Key returns "name type", the identity of the record set inside its zone.
func (rs *RecordSet) Key() string { return rs.Name + " " + rs.Type }
