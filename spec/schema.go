package spec

import "embed"

// schemas holds the JSON Schemas of the zone spec, of zonesync.yaml and
// of a template,
// for editors (yaml-language-server) and `zonesync schema`.
//
//go:embed schema/*.schema.json
var schemas embed.FS

// Schema returns the JSON Schema of "zone" (a zone spec), "config"
// (zonesync.yaml) or "template" (templates/<name>.yaml).
func Schema(which string) ([]byte, error) {
	return schemas.ReadFile("schema/" + which + ".schema.json")
}
