package powerdns

import (
	"fmt"
	"strings"
)

// The PowerDNS Authoritative HTTP API's objects, as far as zonesync uses
// them (https://doc.powerdns.com/authoritative/http-api/zone.html and
// cryptokey.html). Fields zonesync never sends are read only.

// Zone kinds, as the API spells them.
const (
	KindNative   = "Native"
	KindMaster   = "Master"
	KindSlave    = "Slave"
	KindProducer = "Producer"
	KindConsumer = "Consumer"
)

// Changetypes of an RRset in a PATCH.
const (
	changeReplace = "REPLACE"
	changeDelete  = "DELETE"
)

// wireZone is a Zone object.
type wireZone struct {
	ID          string      `json:"id,omitempty"`
	Name        string      `json:"name"`
	Kind        string      `json:"kind,omitempty"`
	Masters     []string    `json:"masters,omitempty"`
	Serial      uint32      `json:"serial,omitempty"`
	DNSSEC      bool        `json:"dnssec,omitempty"`
	Presigned   bool        `json:"presigned,omitempty"`
	SOAEditAPI  *string     `json:"soa_edit_api,omitempty"`
	Nameservers []string    `json:"nameservers,omitempty"`
	RRsets      []wireRRset `json:"rrsets,omitempty"`
}

// wireRRset is an RRSet object. zonesync's PATCHes send a REPLACE with
// its TTL and every record the set keeps (never an empty list), or a
// DELETE with neither, and never comments: a REPLACE without comments
// leaves the set's comments as they are.
type wireRRset struct {
	Name       string        `json:"name"`
	Type       string        `json:"type"`
	TTL        *uint32       `json:"ttl,omitempty"`
	ChangeType string        `json:"changetype,omitempty"`
	Records    []wireRecord  `json:"records,omitempty"`
	Comments   []wireComment `json:"comments,omitempty"`
}

// wireRecord is a Record object: RDATA in presentation form, names
// absolute with their trailing dot, TXT quoted.
type wireRecord struct {
	Content  string `json:"content"`
	Disabled bool   `json:"disabled"`
}

// wireComment is a Comment object; zonesync only reads them.
type wireComment struct {
	Content string `json:"content"`
	Account string `json:"account,omitempty"`
}

// wirePatch is the body of a PATCH of a zone's RRsets.
type wirePatch struct {
	RRsets []wireRRset `json:"rrsets"`
}

// wireZoneSettings is the body of a PUT of a zone: the fields the API lets
// a PUT change that zonesync uses.
type wireZoneSettings struct {
	Kind       string   `json:"kind,omitempty"`
	Masters    []string `json:"masters"`
	SOAEditAPI string   `json:"soa_edit_api,omitempty"`
}

// wireCryptokey is a Cryptokey object; zonesync never reads private keys.
type wireCryptokey struct {
	ID        int      `json:"id,omitempty"`
	KeyType   string   `json:"keytype,omitempty"`
	Active    bool     `json:"active"`
	Published *bool    `json:"published,omitempty"`
	DNSKey    string   `json:"dnskey,omitempty"`
	DS        []string `json:"ds,omitempty"`
	Algorithm string   `json:"algorithm,omitempty"`
}

// wireError is the API's error answer.
type wireError struct {
	Error  string   `json:"error"`
	Errors []string `json:"errors"`
}

// zoneID is the id the API gives a zone of that name (canonical, without
// the trailing dot): the absolute name with every byte but letters,
// digits, '.' and '-' written as =XX, as PowerDNS's own apiZoneNameToId
// does. The list of zones gives ids too; this is the same id without the
// call.
func zoneID(zone string) string {
	name := zone + "."
	if zone == "" {
		return "=2E"
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}
