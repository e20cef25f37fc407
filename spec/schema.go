package spec

import "embed"

// schemas holds the JSON Schemas of the zone spec and of zonesync.yaml,
// for editors (yaml-language-server) and `zonesync schema`.
//
//go:embed schema/*.schema.json
var schemas embed.FS

// Schema returns the JSON Schema of "zone" (a zone spec) or "config" (zonesync.yaml).
func Schema(which string) ([]byte, error) {
	return schemas.ReadFile("schema/" + which + ".schema.json")
}
