package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
)

// Digest fingerprints the zone's content: mode, masters, TTL, SOA (without
// its serial, which providers own), record sets and failover. Provider ids,
// file names and positions are left out, so two reads of an unchanged zone
// give the same digest.
func (z *Zone) Digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "zone %s\nmode %s\nmasters %s\nttl %d\n", z.Name, z.Mode, strings.Join(z.Masters, ","), z.TTL)
	if z.SOA != nil {
		s := z.SOA
		fmt.Fprintf(h, "soa %s %s %d %d %d %d\n", s.PrimaryNS, s.AdminMail, s.Refresh, s.Retry, s.Expire, s.Minimum)
	}
	for _, r := range z.Ignore {
		fmt.Fprintf(h, "ignore %q %q\n", r.Name, r.Type)
	}
	for _, rs := range z.Records {
		writeRecordSet(h, rs)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func writeRecordSet(h hash.Hash, rs *RecordSet) {
	fmt.Fprintf(h, "rrset %s %s %d %d\n", rs.Name, rs.Type, rs.TTL, len(rs.Values))
	for _, v := range rs.Values {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	if f := rs.Failover; f != nil {
		fmt.Fprintf(h, "failover %s %+v %s %s %s %t\n", f.Check, f.Settings, f.Down, f.Up, strings.Join(f.BackupIPs, ","), f.Active)
	}
}
