// Package ownership is zonesync's ownership mode for shared zones: the TXT
// markers by which zonesync tells the record sets it owns from those of
// other tools and people, the markers of external-dns and octoDNS, and the
// sorting of a live zone's record sets by whose markers claim them.
//
// A marker is one TXT record per owned record set, at a name of its own
// under the zone's reserved name _zonesync (see Name), holding the format
// version and the owner id in plain text (see Value):
//
//	www.a._zonesync.example.com. 3600 IN TXT "v=zonesync1 owner=git:dns-repo"
//
// The value has no nonce and no timestamp: the same set of the same owner
// always gets the same marker, so zonesync can always find and delete it.
package ownership

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// Version is the marker format this zonesync writes. A later format gets
// a higher number; a zonesync reads every format up to its own, so a new
// format needs no migration of the markers already in zones.
const Version = 1

// Subtree is the relative name every marker lives under.
const Subtree = "_zonesync"

// versionKey starts every marker's text: "v=zonesync1".
const versionKey = "v=zonesync"

// MaxOwnerLength is the longest owner id: a marker's text stays one
// character-string, whatever the provider does with longer ones.
const MaxOwnerLength = 64

// Text returns the text of the marker of owner, in the current format:
// "v=zonesync1 owner=<owner>".
func Text(owner string) string {
	return versionKey + strconv.Itoa(Version) + " owner=" + owner
}

// Value returns the marker of owner as the canonical value of a TXT record.
func Value(owner string) string { return model.TXTValue(Text(owner)) }

// Marker is what a zonesync marker's text says.
type Marker struct {
	// Version is the format, 1 for the markers this zonesync writes.
	Version int
	// Owner is the owner id, as written.
	Owner string
}

// ParseText reads the text of a TXT record as a zonesync marker. ok is
// false for text that is not one: text not starting with "v=zonesync"
// and a version. A marker of a later format than Version is returned as
// read, Owner as far as it could be read: what its owner is matters less
// than that this zonesync does not own it.
func ParseText(text string) (m Marker, ok bool) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Marker{}, false
	}
	v, found := strings.CutPrefix(fields[0], versionKey)
	if !found {
		return Marker{}, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || strconv.Itoa(n) != v {
		return Marker{}, false
	}
	m.Version = n
	for _, f := range fields[1:] {
		if owner, found := strings.CutPrefix(f, "owner="); found && m.Owner == "" {
			m.Owner = owner
		}
	}
	return m, true
}

// ParseValue reads a TXT record's canonical value as a zonesync marker;
// see ParseText.
func ParseValue(value string) (Marker, bool) {
	text, err := model.TXTText(value)
	if err != nil {
		return Marker{}, false
	}
	return ParseText(text)
}

// OwnerProblem returns why owner cannot be an owner id, or "". An owner
// id is 1 to 64 characters of letters, digits and . _ : / @ + -, so that
// it reads the same in every provider's panel and needs no quoting.
func OwnerProblem(owner string) string {
	switch {
	case owner == "":
		return "the owner id is empty"
	case len(owner) > MaxOwnerLength:
		return fmt.Sprintf("the owner id is %d characters; at most %d", len(owner), MaxOwnerLength)
	}
	for i := 0; i < len(owner); i++ {
		c := owner[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("._:/@+-", c) >= 0:
		default:
			return fmt.Sprintf("the owner id %q holds %q; use letters, digits and . _ : / @ + -", owner, c)
		}
	}
	return ""
}
