package ownership

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// Flags on a marker name's type label, after the type: a type has no
// "-", so a type label reads one way only.
const (
	// wildFlag marks the marker of a wildcard set: *.x is marked at
	// x.<type>-wild._zonesync, so that the marker name is no wildcard.
	wildFlag = "-wild"
	// hashFlag marks the marker of a set whose name is too long for
	// its marker name: the name is replaced by a hash of it.
	hashFlag = "-hash"
)

// hashEncoding writes a name's hash as one DNS label of letters and digits.
var hashEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Name returns the relative name of the marker of the record set (name,
// rrtype) of zone: name.<type>._zonesync, the type in lower case, and for
// the apex <type>._zonesync. The marker thus stays inside the zone, never
// at the set's own name (where it could sit beside a CNAME) or below it
// (where a delegation or a DNAME would hide it), and its name reads back
// as the set it marks.
//
// A wildcard set *.x is marked at x.<type>-wild._zonesync: a marker name
// is never a wildcard. A set whose marker name would pass the 255-byte
// limit of a domain name is marked at <hash>.<type>-hash._zonesync, the
// hash 26 characters of base32 of the SHA-256 of its name, the same on
// every run. It fails only for a zone whose own name leaves no room for
// that.
func Name(zone, name, rrtype string) (string, error) {
	typeLabel := strings.ToLower(rrtype)
	rel := ""
	switch {
	case name == model.Apex:
		rel = typeLabel + "." + Subtree
	case name == "*":
		rel = typeLabel + wildFlag + "." + Subtree
	case strings.HasPrefix(name, "*."):
		rel = name[2:] + "." + typeLabel + wildFlag + "." + Subtree
	default:
		rel = name + "." + typeLabel + "." + Subtree
	}
	if fits(rel, zone) {
		return rel, nil
	}
	rel = hashLabel(name) + "." + typeLabel + hashFlag + "." + Subtree
	if fits(rel, zone) {
		return rel, nil
	}
	return "", fmt.Errorf("zone %s: its name leaves no room for the ownership marker of %s %s (%s), which must stay under 255 bytes", zone, name, rrtype, model.FQDN(rel, zone))
}

// hashLabel is the label that stands for a name too long to mark under.
func hashLabel(name string) string {
	sum := sha256.Sum256([]byte(name))
	return strings.ToLower(hashEncoding.EncodeToString(sum[:16]))
}

// fits reports whether rel is a domain name inside zone within DNS's limits.
func fits(rel, zone string) bool {
	_, ok := dns.IsDomainName(model.FQDN(rel, zone))
	return ok
}

// Reserved reports whether a relative name is zonesync's: _zonesync or a
// name under it, where the markers live. A spec in ownership mode cannot
// declare such a name.
func Reserved(name string) bool {
	return name == Subtree || strings.HasSuffix(name, "."+Subtree)
}

// markedBy reads a marker's relative name back as the record set it
// marks: its name (empty for a hashed name, hash set then) and type. ok
// is false for a name that is no marker name.
func markedBy(rel string) (name, rrtype, hash string, ok bool) {
	rest, found := strings.CutSuffix(rel, "."+Subtree)
	if !found {
		return "", "", "", false
	}
	before, typeLabel := "", rest
	if i := strings.LastIndexByte(rest, '.'); i >= 0 {
		before, typeLabel = rest[:i], rest[i+1:]
	}
	flag := ""
	if i := strings.IndexByte(typeLabel, '-'); i >= 0 {
		typeLabel, flag = typeLabel[:i], typeLabel[i:]
	}
	rrtype = strings.ToUpper(typeLabel)
	if typeLabel == "" || model.CheckType(rrtype) != nil {
		return "", "", "", false
	}
	switch flag {
	case "":
		name = before
		if name == "" {
			name = model.Apex
		}
	case wildFlag:
		name = "*"
		if before != "" {
			name = "*." + before
		}
	case hashFlag:
		if before == "" || strings.Contains(before, ".") {
			return "", "", "", false
		}
		hash = before
	default:
		return "", "", "", false
	}
	return name, rrtype, hash, true
}
