package spec

import (
	"bytes"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// Peek finds a spec's zone and provider without parsing it, from top-level
// "zone:" and "provider:" lines, so that the live zone can be read while the
// spec is still being parsed. It returns empty strings when it cannot tell;
// the parsed spec is the authority either way.
func Peek(data []byte) (zone, provider string) {
	for len(data) > 0 && (zone == "" || provider == "") {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if k, v, ok := strings.Cut(string(bytes.TrimSuffix(line, []byte("\r"))), ":"); ok && (k == "zone" || k == "provider") {
			v = strings.TrimSpace(v)
			if i := strings.Index(v, " #"); i >= 0 {
				v = strings.TrimSpace(v[:i])
			}
			v = strings.Trim(v, `"'`)
			if strings.HasPrefix(v, "&") || strings.HasPrefix(v, "*") {
				// An anchor or an alias: the parse will tell.
				v = ""
			}
			if k == "zone" {
				zone = model.NormalizeZone(v)
			} else {
				provider = v
			}
		}
	}
	return zone, provider
}

// PeekSOA reports whether a spec has a top-level "soa:" line, without
// parsing it, so that a provider can leave out a live SOA the spec does not
// manage. Like Peek it can be wrong for unusual YAML (a quoted or flow-style
// key); the caller checks the parsed spec and reads again when it was.
func PeekSOA(data []byte) bool {
	return bytes.HasPrefix(data, []byte("soa:")) || bytes.Contains(data, []byte("\nsoa:"))
}
