// Package spec holds zonesync's zone model and loads and validates the
// project config (zonesync.yaml) and zone specs (zones/<zone>.yaml).
//
// The same model describes both sides of a plan: the desired zone, loaded
// from YAML, and the live zone, read from a provider. Record values are kept
// in canonical RFC 1035 presentation form so that equal data compares equal
// as strings whatever its spelling in YAML or on the wire.
package spec

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
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
	// Pos maps the zone's top-level keys to their place in File.
	Pos map[string]Pos
}

// NormalizeZone spells a zone name as the model does: lower case, without
// surrounding space or a trailing dot, an internationalised name in its
// ASCII (xn--) form. A name that is no valid internationalised name is
// kept as written, for ValidZoneName to refuse.
func NormalizeZone(name string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if ascii, err := ASCIIName(name); err == nil {
		name = ascii
	}
	return asciiLower(name)
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

// CompareKeys orders record set keys: by name (see CompareNames), then by
// type; it returns -1, 0 or 1.
func CompareKeys(name1, type1, name2, type2 string) int {
	if c := CompareNames(name1, name2); c != 0 {
		return c
	}
	return strings.Compare(type1, type2)
}

// CompareNames orders relative names, the apex first, then lexically;
// it returns -1, 0 or 1.
func CompareNames(a, b string) int {
	// The apex tests come first: they are cheap, where a == b compares
	// every byte of two names of one length, and sorting a big zone makes
	// millions of these calls.
	switch {
	case a == Apex || b == Apex:
		if a == b {
			return 0
		}
		if a == Apex {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
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
	// IDs maps a value to the provider's id for the record holding it,
	// for providers that address records by id. Set on live zones only.
	// Going: each provider moves its ids to an index of its own (see
	// package providers), and the field goes when none uses it.
	IDs map[string]string
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

// FQDN returns the record set's absolute owner name within zone.
func FQDN(name, zone string) string {
	if name == Apex {
		return zone + "."
	}
	return name + "." + zone + "."
}

// RelativeName turns an owner name into the relative form of the model:
// lower case, "@" for the apex. ok is false when fqdn is outside the zone.
func RelativeName(fqdn, zone string) (name string, ok bool) {
	n := asciiLower(strings.TrimSuffix(fqdn, "."))
	z := asciiLower(strings.TrimSuffix(zone, "."))
	switch {
	case n == z:
		return Apex, true
	case strings.HasSuffix(n, "."+z):
		return strings.TrimSuffix(n, "."+z), true
	case z == "":
		return n, true
	}
	return "", false
}

// SOA holds the SOA fields zonesync manages. A zero field in a spec means
// "leave the live value alone".
type SOA struct {
	PrimaryNS string `json:"primary_ns,omitempty"`
	AdminMail string `json:"admin_mail,omitempty"`
	Refresh   uint32 `json:"refresh,omitempty"`
	Retry     uint32 `json:"retry,omitempty"`
	Expire    uint32 `json:"expire,omitempty"`
	Minimum   uint32 `json:"minimum,omitempty"`
	// Serial is read from live zones for display only; it is never compared
	// or planned, because providers own it.
	Serial uint32 `json:"-"`
}

// Merge returns live with every field that want sets replaced by want's value.
func (want *SOA) Merge(live *SOA) *SOA {
	out := SOA{}
	if live != nil {
		out = *live
	}
	if want == nil {
		return &out
	}
	if want.PrimaryNS != "" {
		out.PrimaryNS = want.PrimaryNS
	}
	if want.AdminMail != "" {
		out.AdminMail = want.AdminMail
	}
	for _, f := range []struct{ dst, src *uint32 }{
		{&out.Refresh, &want.Refresh}, {&out.Retry, &want.Retry},
		{&out.Expire, &want.Expire}, {&out.Minimum, &want.Minimum},
	} {
		if *f.src != 0 {
			*f.dst = *f.src
		}
	}
	return &out
}

// Failover is a health check on an A or AAAA record set and what the
// provider does when it fails or recovers. Names are provider-neutral.
type Failover struct {
	// Check is the kind of check: ping, http, https, tcp, udp, dns or smtp.
	Check string `json:"check"`
	// Settings are the check's parameters.
	Settings FailoverSettings `json:"settings"`
	// Down is the event handler when the check fails: notify, deactivate or backup-ips.
	Down string `json:"down"`
	// Up is the event handler when the check recovers: notify, main-ips or stop-monitoring.
	Up string `json:"up"`
	// BackupIPs are served while the main IPs are down (down: backup-ips).
	BackupIPs []string `json:"backup_ips,omitempty"`
	// Active is false when monitoring is paused.
	Active bool `json:"active"`
}

// FailoverSettings are the parameters of a failover check; which apply depends on the check.
type FailoverSettings struct {
	Host          string `json:"host,omitempty" yaml:"host,omitempty"`
	Port          int    `json:"port,omitempty" yaml:"port,omitempty"`
	Path          string `json:"path,omitempty" yaml:"path,omitempty"`
	Content       string `json:"content,omitempty" yaml:"content,omitempty"`
	QueryType     string `json:"query_type,omitempty" yaml:"query_type,omitempty"`
	QueryResponse string `json:"query_response,omitempty" yaml:"query_response,omitempty"`
	Region        string `json:"region,omitempty" yaml:"region,omitempty"`
}

// Fields lists the settings that are set, as key and value in the order
// specs write them.
func (s FailoverSettings) Fields() [][2]string {
	var out [][2]string
	for _, kv := range [][2]string{
		{"host", s.Host}, {"port", ""}, {"path", s.Path}, {"content", s.Content},
		{"query_type", s.QueryType}, {"query_response", s.QueryResponse}, {"region", s.Region},
	} {
		if kv[0] == "port" && s.Port != 0 {
			kv[1] = strconv.Itoa(s.Port)
		}
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

// Failover check kinds and event handlers, provider-neutral.
var (
	FailoverChecks   = []string{"ping", "http", "https", "tcp", "udp", "dns", "smtp"}
	FailoverDownActs = []string{"notify", "deactivate", "backup-ips"}
	FailoverUpActs   = []string{"notify", "main-ips", "stop-monitoring"}
)

// IgnoreRule selects live records zonesync leaves alone.
type IgnoreRule struct {
	// Name is a glob on the relative name (see matchGlob); empty matches every name.
	Name string `json:"name,omitempty"`
	// Type is a record type; empty matches every type.
	Type string `json:"type,omitempty"`
	// Pos is where the rule is written in its spec.
	Pos Pos `json:"-"`
}

// String formats the rule as a spec writes it.
func (r IgnoreRule) String() string {
	var parts []string
	if r.Name != "" {
		parts = append(parts, fmt.Sprintf("name: %q", r.Name))
	}
	if r.Type != "" {
		parts = append(parts, "type: "+r.Type)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// Matches reports whether the rule covers the record set (name, rrtype).
func (r IgnoreRule) Matches(name, rrtype string) bool {
	if r.Type != "" && r.Type != rrtype {
		return false
	}
	return r.Name == "" || matchGlob(r.Name, name)
}
