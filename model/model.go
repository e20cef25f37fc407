// Package model is zonesync's zone model: zones, record sets, SOA,
// failover, ignore rules and provider capabilities, with the canonical
// form of record data and names that makes equal data compare equal.
//
// The same model describes both sides of a plan: the desired zone, loaded
// from a spec (package spec), and the live zone, read from a provider.
// Record values are kept in canonical RFC 1035 presentation form so that
// equal data compares equal as strings whatever its spelling in YAML or on
// the wire. The model knows no YAML and no file format.
package model
