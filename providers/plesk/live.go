package plesk

import (
	"slices"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// A record set's IDs map each value to the Plesk id of the record holding
// it. Plesk lets the same record be added twice; such duplicates share one
// value in the model, so the id string lists every id, comma-separated,
// and deleting the value deletes them all.

// recordIDs returns the ids of the records holding value in the set.
func recordIDs(rs *model.RecordSet, value string) []recordID {
	if rs == nil {
		return nil
	}
	var out []recordID
	for _, s := range strings.Split(rs.IDs[value], ",") {
		if id, err := parseID(s); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// addRecordID records that the record id holds value in (name, rrtype),
// creating the record set, with the zone's TTL, when it is new.
func addRecordID(z *model.Zone, name, rrtype, value string, id recordID) {
	rs := z.Find(name, rrtype)
	if rs == nil {
		rs = &model.RecordSet{Name: name, Type: rrtype, TTL: z.TTL, IDs: map[string]string{}}
		z.Records = append(z.Records, rs)
		z.SortRecords()
	}
	if rs.IDs == nil {
		rs.IDs = map[string]string{}
	}
	ids := strconv.FormatUint(uint64(id), 10)
	if old := rs.IDs[value]; old != "" {
		ids = old + "," + ids
	} else {
		rs.SetValues(append(slices.Clone(rs.Values), value))
	}
	rs.IDs[value] = ids
}

// removeRecordID records that the record id is gone; the value goes when
// no record holds it any more, the set when it has no value left.
func removeRecordID(z *model.Zone, name, rrtype, value string, id recordID) {
	rs := z.Find(name, rrtype)
	if rs == nil {
		return
	}
	var keep []string
	for _, other := range recordIDs(rs, value) {
		if other != id {
			keep = append(keep, strconv.FormatUint(uint64(other), 10))
		}
	}
	if len(keep) > 0 {
		rs.IDs[value] = strings.Join(keep, ",")
		return
	}
	delete(rs.IDs, value)
	rs.Values = slices.DeleteFunc(slices.Clone(rs.Values), func(v string) bool { return v == value })
	if len(rs.Values) == 0 {
		z.Records = slices.DeleteFunc(z.Records, func(r *model.RecordSet) bool { return r == rs })
	}
}

// knownRecordIDs returns every record id the live zone holds.
func knownRecordIDs(z *model.Zone) map[recordID]bool {
	out := map[recordID]bool{}
	for _, rs := range z.Records {
		for v := range rs.IDs {
			for _, id := range recordIDs(rs, v) {
				out[id] = true
			}
		}
	}
	return out
}
