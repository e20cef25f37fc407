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
// parsing it, so that a read begun before the parse can leave out a live
// SOA the spec does not manage. Like Peek it can be wrong for unusual YAML
// (a quoted or flow-style key); the parsed spec decides, and a zone read
// without its SOA is read again when the spec turns out to manage it.
func PeekSOA(data []byte) bool {
	return bytes.HasPrefix(data, []byte("soa:")) || bytes.Contains(data, []byte("\nsoa:"))
}

// PeekAliases finds a spec's aliases without parsing it, from a top-level
// "aliases:" key in flow style (aliases: [example.net, example.org]) or
// block style (one "- example.net" line each), so that the aliases' live
// zones are expected with the others while the specs are still being
// parsed, and for shell completion. It returns none when it cannot tell
// (anchors, flow mappings, quotes holding commas); the parsed spec is the
// authority.
func PeekAliases(data []byte) []string {
	for len(data) > 0 {
		var line string
		line, data = nextLine(data)
		v, ok := strings.CutPrefix(line, "aliases:")
		if !ok {
			continue
		}
		v = strings.TrimSpace(stripComment(v))
		if v == "" {
			return peekBlockList(data)
		}
		if !strings.HasPrefix(v, "[") || !strings.HasSuffix(v, "]") || strings.ContainsAny(v, "&*{}") {
			return nil
		}
		var out []string
		for _, item := range strings.Split(v[1:len(v)-1], ",") {
			if name := model.NormalizeZone(strings.Trim(strings.TrimSpace(item), `"'`)); name != "" {
				out = append(out, name)
			}
		}
		return out
	}
	return nil
}

// peekBlockList reads the items of a block-style list of plain names,
// from the lines after its key up to the next line at the top level.
func peekBlockList(data []byte) []string {
	var out []string
	for len(data) > 0 {
		var line string
		line, data = nextLine(data)
		item := strings.TrimSpace(stripComment(line))
		switch {
		case item == "" || strings.HasPrefix(item, "#"):
			continue
		case line[0] != ' ' && line[0] != '-':
			return out
		}
		v, ok := strings.CutPrefix(item, "-")
		v = strings.TrimSpace(v)
		if !ok || v == "" || strings.ContainsAny(v, "&*{}[],:") {
			return nil
		}
		if name := model.NormalizeZone(strings.Trim(v, `"'`)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// nextLine cuts the first line off data, without its line ending.
func nextLine(data []byte) (line string, rest []byte) {
	l := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		l, rest = data[:i], data[i+1:]
	}
	return string(bytes.TrimSuffix(l, []byte("\r"))), rest
}

// stripComment drops a comment after a value: " #" and what follows.
func stripComment(v string) string {
	if i := strings.Index(v, " #"); i >= 0 {
		return v[:i]
	}
	return v
}
