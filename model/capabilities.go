package model

import (
	"fmt"
	"slices"
)

// Capabilities says what a provider can hold and do, so that validation
// rejects a spec the provider cannot carry out instead of dropping parts of it.
type Capabilities struct {
	// RecordTypes the provider can hold; nil means every type miekg/dns knows.
	RecordTypes []string
	// ZoneTTL is true when records have no TTL of their own: the zone has one
	// TTL (spec key ttl) and every record must use it.
	ZoneTTL bool
	// MinTTL is the lowest TTL the provider accepts.
	MinTTL uint32
	// AllowedTTLs, when not empty, are the only TTLs the provider accepts.
	AllowedTTLs []uint32
	// Failover is true when record sets can carry a failover health check.
	Failover bool
	// FailoverChecks are the check kinds the provider can run; nil means all of FailoverChecks.
	FailoverChecks []string
	// MaxBackupIPs is the most failover backup IPs a record set may have; 0 means no limit.
	MaxBackupIPs int
	// Slave is true when zones can be slaves of external masters.
	Slave bool
	// SwitchMode is true when an existing zone can change between master and slave.
	SwitchMode bool
	// CreateZone is true when the provider can create a zone that does not exist.
	CreateZone bool
	// SOA lists the SOA fields the provider lets zonesync set (primary_ns,
	// admin_mail, refresh, retry, expire, minimum); empty means none.
	SOA []string
	// SOARanges are the provider's accepted ranges for numeric SOA fields.
	SOARanges map[string]Range
	// ApexNS is true when the provider lets zonesync manage NS records at the apex.
	ApexNS bool
	// Batch is true when the provider carries out several independent
	// operations of one zone in a single call.
	Batch bool
	// Transaction is true, with Batch, when the provider carries out the
	// operations of one call as one transaction, in their order, all or
	// none (PowerDNS's PATCH of a zone's RRsets): a call then also holds
	// the operations that depend on others in it (a delete that clears a
	// name and the create it makes room for). Only an operation that
	// depends on a create_zone or switch_mode of the call starts a new
	// one: the zone must be there, in its mode, first.
	Transaction bool
	// TXTStrings is true when the provider keeps the boundaries between the
	// character-strings of a TXT (or SPF) record. Without it a record holds
	// one text, split only where it passes 255 bytes (see PlainTXT).
	TXTStrings bool
	// MaxRecordSetSize, when not 0, is the most bytes one record set may
	// take as DNS records (each record's owner name, type, class, TTL,
	// length and data, uncompressed), for a provider that carries a whole
	// record set in one message.
	MaxRecordSetSize int
	// DNSSEC is true when the provider can sign a zone and stop signing
	// it (spec key dnssec), and tell the DS records for its parent.
	DNSSEC bool
	// EmptyTXT is true when a TXT or SPF record may hold empty text.
	EmptyTXT bool
	// RootTarget is true when an MX or SRV record may point at the root
	// name ".": a null MX (RFC 7505), or an SRV record saying the service
	// is not offered (RFC 2782).
	RootTarget bool
}

// Range is an inclusive range of numbers.
type Range struct{ Min, Max uint32 }

// Contains reports whether v is inside the range.
func (r Range) Contains(v uint32) bool { return v >= r.Min && v <= r.Max }

// String formats the range as min..max.
func (r Range) String() string { return fmt.Sprintf("%d..%d", r.Min, r.Max) }

// HasType reports whether the provider can hold records of rrtype.
func (c Capabilities) HasType(rrtype string) bool {
	return c.RecordTypes == nil || slices.Contains(c.RecordTypes, rrtype)
}

// HasSOAField reports whether the provider lets zonesync set an SOA field.
func (c Capabilities) HasSOAField(field string) bool {
	return slices.Contains(c.SOA, field)
}

// TTLProblem returns why the provider refuses ttl, or "" when it accepts it.
func (c Capabilities) TTLProblem(ttl uint32) string {
	if ttl < c.MinTTL {
		return fmt.Sprintf("below the provider's minimum TTL %d", c.MinTTL)
	}
	if len(c.AllowedTTLs) > 0 && !slices.Contains(c.AllowedTTLs, ttl) {
		hint := fmt.Sprintf("highest: %d", c.AllowedTTLs[len(c.AllowedTTLs)-1])
		for _, a := range c.AllowedTTLs {
			if a >= ttl {
				hint = fmt.Sprintf("next allowed: %d", a)
				break
			}
		}
		return fmt.Sprintf("not one of the provider's allowed TTLs (%s; allowed: %v)", hint, c.AllowedTTLs)
	}
	return ""
}
