package plan

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// rendered writes a one-zone plan in every format.
func rendered(t *testing.T, zp *ZonePlan) (text, md, js string) {
	t.Helper()
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{zp}}
	p.Summarize()
	var tb, mb, jb bytes.Buffer
	require.NoError(t, WriteText(&tb, p, false))
	require.NoError(t, WriteMarkdown(&mb, p, MarkdownOptions{Marker: "zonesync.yaml"}))
	require.NoError(t, WriteJSON(&jb, p))
	return tb.String(), mb.String(), jb.String()
}

// A TXT record's non-ASCII text reads as text in diffs; the JSON plan
// keeps the canonical value.
func TestNonASCIITXTShowsAsText(t *testing.T) {
	live := zone(t, "@ TXT 3600 Grüße aus Köln")
	desired := zone(t, "@ TXT 3600 Grüße aus Zürich")
	text, md, js := rendered(t, Diff(desired, live, model.Capabilities{}))
	for name, out := range map[string]string{"text": text, "markdown": md} {
		assert.Contains(t, out, `-@   3600 IN TXT   "Grüße aus Köln"`, name)
		assert.Contains(t, out, `+@   3600 IN TXT   "Grüße aus Zürich"`, name)
		assert.NotContains(t, out, `\195`, name)
	}
	assert.Contains(t, js, `"\"Gr\\195\\188\\195\\159e aus Z\\195\\188rich\""`)
}

// A name in xn-- form shows with its Unicode form beside it, as an owner,
// inside a value and as the zone; the JSON plan carries the ASCII form only.
func TestPunycodeNamesShowBothForms(t *testing.T) {
	desired := zone(t, "xn--strae-oqa CNAME 3600 xn--ndaaa.com.", "@ MX 3600 10 mail.xn--strae-oqa.de.")
	desired.Name = "xn--bcher-kva.example"
	zp := Diff(desired, &model.Zone{Name: desired.Name, Mode: model.Master}, model.Capabilities{})
	zp.Provider = "local"
	text, md, js := rendered(t, zp)
	for name, out := range map[string]string{"text": text, "markdown": md} {
		assert.Contains(t, out, "create xn--strae-oqa (straße) CNAME", name)
		assert.Contains(t, out, "+xn--strae-oqa (straße)   3600 IN CNAME xn--ndaaa.com. (ööö.com.)", name)
		assert.Contains(t, out, "+@                        3600 IN MX    10 mail.xn--strae-oqa.de. (mail.straße.de.)", name)
	}
	assert.Contains(t, text, "zone xn--bcher-kva.example (bücher.example) (provider local)")
	assert.Contains(t, md, "| `xn--bcher-kva.example (bücher.example)` | local |")
	for _, unicode := range []string{"bücher", "straße", "ööö"} {
		assert.NotContains(t, js, unicode)
	}
}
