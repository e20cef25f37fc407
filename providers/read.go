package providers

// ReadOptions are what a caller of ReadZone can do without, and what it
// can tell about the run the read belongs to. Options allow a provider to
// leave parts out or to read with fewer calls; they never require it: a
// provider that reads the whole zone, one call at a time, whatever the
// options say, is correct. The zero value asks for the whole zone and
// tells nothing.
type ReadOptions struct {
	// SkipSOA allows the provider to leave Zone.SOA nil: the spec does not
	// manage the SOA, so the plan never looks at it. ClouDNS reads the SOA
	// with a call of its own, which this saves.
	SkipSOA bool
	// Run, when set, is the run this read belongs to, shared by every read
	// of the run from this provider (see ReadRun). nil: the caller said
	// nothing about other reads (apply's re-read of one zone, import).
	Run *ReadRun
}

// ReadRun is what one run tells a provider, before its first read, about
// all the reads it will make there: every ReadZone of the run gets the
// same *ReadRun, so a provider may key what it learns for the run by the
// pointer (and forget what it learnt for another run). ClouDNS learns
// every zone's type from a few pages of its zone list instead of a call
// per zone. A zone read without being in Zones must still read correctly.
type ReadRun struct {
	// Zones are the zones the run expects to read from this provider,
	// normalized and sorted. Read-only.
	Zones []string
}
