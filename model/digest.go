package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
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
	// Only when set, so that the digests of zones without it stay as
	// they were before the key existed.
	if z.DNSSEC != nil {
		fmt.Fprintf(h, "dnssec %t\n", *z.DNSSEC)
	}
	for _, r := range z.Ignore {
		fmt.Fprintf(h, "ignore %q %q\n", r.Name, r.Type)
	}
	if o := z.Ownership; o != nil {
		fmt.Fprintf(h, "ownership %q %t\n", o.Owner, o.AdoptUnmarked)
	}
	var buf []byte
	for _, rs := range z.Records {
		buf = writeRecordSet(h, buf, rs)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// writeRecordSet feeds one record set to the hash. It appends to a buffer
// rather than calling fmt: big zones have a hundred thousand sets.
func writeRecordSet(h hash.Hash, buf []byte, rs *RecordSet) []byte {
	buf = append(buf[:0], "rrset "...)
	buf = append(buf, rs.Name...)
	buf = append(buf, ' ')
	buf = append(buf, rs.Type...)
	buf = append(buf, ' ')
	buf = strconv.AppendUint(buf, uint64(rs.TTL), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(len(rs.Values)), 10)
	buf = append(buf, '\n')
	for _, v := range rs.Values {
		buf = append(buf, v...)
		buf = append(buf, '\n')
	}
	h.Write(buf)
	if rs.Adopt {
		h.Write([]byte("adopt\n"))
	}
	if f := rs.Failover; f != nil {
		fmt.Fprintf(h, "failover %s %+v %s %s %s %t\n", f.Check, f.Settings, f.Down, f.Up, strings.Join(f.BackupIPs, ","), f.Active)
	}
	return buf
}
