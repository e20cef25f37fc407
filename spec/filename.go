package spec

import (
	"path/filepath"
	"strings"
)

// slashInFileName is how a '/' of a zone name is written in its spec's
// file name: RFC 2317 classless reverse zones (0/26.2.0.192.in-addr.arpa)
// have one, and a file name cannot. '%' is in no valid zone name, so the
// mapping reads back without doubt.
const slashInFileName = "%2F"

// SpecFileName is the file name of a zone's spec: the zone name and .yaml,
// with a '/' written %2F (0%2F26.2.0.192.in-addr.arpa.yaml).
func SpecFileName(zone string) string {
	return strings.ReplaceAll(zone, "/", slashInFileName) + ".yaml"
}

// ZoneOfSpecFile is the zone a spec file's name stands for: its base name
// without .yaml or .yml, %2F (in either case) read as '/'.
func ZoneOfSpecFile(path string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".yaml"), ".yml")
	return strings.ReplaceAll(strings.ReplaceAll(base, slashInFileName, "/"), strings.ToLower(slashInFileName), "/")
}
