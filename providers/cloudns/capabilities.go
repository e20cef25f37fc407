package cloudns

import (
	"github.com/zonesync/zonesync/model"
)

// AllowedTTLs are the record TTLs ClouDNS accepts.
//
// Guess: the API documents two lists. The wiki's add/mod-record pages leave
// out 600, and DNSControl's copy ends in 2419200 instead of 2592000. This is
// the list get-available-ttl.json answered in recorded real traffic (2022),
// which is the newest evidence. A TTL outside it is rejected at validation,
// never rounded.
var AllowedTTLs = []uint32{60, 300, 600, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000}

// SOARanges are modify-soa's documented ranges (wiki article 63); minimum
// is ClouDNS's default-ttl.
var SOARanges = map[string]model.Range{
	"refresh": {Min: 1200, Max: 43200},
	"retry":   {Min: 180, Max: 2419200},
	"expire":  {Min: 1209600, Max: 2419200},
	"minimum": {Min: 60, Max: 2419200},
}

// RecordTypes are the types this provider maps both ways between the model
// and ClouDNS's record fields. ClouDNS holds more (WR, ALIAS, RP, LOC, ...);
// records of those are left out of a read, so zonesync never touches them.
var RecordTypes = []string{"A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "TLSA", "TXT"}

// Capabilities reports what ClouDNS can hold and what this provider can do there.
func (p *Provider) Capabilities() model.Capabilities {
	return model.Capabilities{
		RecordTypes: RecordTypes,
		MinTTL:      AllowedTTLs[0],
		AllowedTTLs: AllowedTTLs,
		Failover:    true,
		// failover-activate takes backup_ip_1 .. backup_ip_5.
		MaxBackupIPs: 5,
		Slave:        true,
		// The API has no call that changes an existing zone's type.
		SwitchMode: false,
		CreateZone: true,
		SOA:        model.SOAFields,
		SOARanges:  SOARanges,
		ApexNS:     true,
		Batch:      false,
		// records.json and add-record carry a TXT record as one text in
		// "record", with no way to say where one string ends.
		TXTStrings: false,
		// add-record requires record (https://www.cloudns.net/wiki/article/58/),
		// and an empty one is refused; "." is taken as an MX or SRV target.
		EmptyTXT:   false,
		RootTarget: true,
	}
}
