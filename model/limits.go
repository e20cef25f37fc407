package model

// Limits of DNS data, whatever holds it.
const (
	// MaxTTL is the highest TTL RFC 2181 allows.
	MaxTTL = 2147483647
	// MaxRDATA is the most bytes of data one record can hold: a DNS message
	// is at most 65,535 bytes, less its 12-byte header and the record's own
	// 11 at the least (owner ".", type, class, TTL, length). BIND refuses to
	// load a zone file holding a longer record ("ran out of space").
	MaxRDATA = 65535 - 12 - 11
)
