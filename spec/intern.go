package spec

import "github.com/miekg/dns"

// typeNames holds one copy of every record type's name. A record set's type
// read from YAML is otherwise a string of its own, kept alive for as long
// as the record set: a million record sets hold a million copies of "A".
var typeNames = func() map[string]string {
	m := make(map[string]string, len(dns.TypeToString))
	for _, name := range dns.TypeToString {
		m[name] = name
	}
	return m
}()

// internType returns the shared copy of a record type's name, or rrtype
// itself for a name it does not know.
func internType(rrtype string) string {
	if name, ok := typeNames[rrtype]; ok {
		return name
	}
	return rrtype
}
