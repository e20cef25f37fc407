package plesk

// RecordIDs returns the ids the provider's index holds for one value of a
// record set of zone, for the tests of package plesk_test.
func RecordIDs(p *Provider, zone, name, rrtype, value string) []uint64 {
	var out []uint64
	for _, id := range p.index.ids(zone, recordKey{name, rrtype, value}) {
		out = append(out, uint64(id))
	}
	return out
}
