package plan

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// txtZone is a zone with one TXT record set of the given canonical values.
func txtZone(t *testing.T, values ...string) *model.Zone {
	t.Helper()
	z := zone(t, "www A 300 192.0.2.1")
	rs := &model.RecordSet{Name: "lab._ipp._tcp", Type: "TXT", TTL: 3600}
	rs.SetValues(values)
	z.Records = append(z.Records, rs)
	z.SortRecords()
	return z
}

// Only the boundaries between a TXT record's strings change: the plan has
// an update, and the diff says the text is the same, since the two lines
// differ by a few quotes only.
func TestTXTBoundaryChangeIsAnUpdateAndSaysSo(t *testing.T) {
	live := txtZone(t, `"txtvers=1" "rp=printers/lab" "note=2nd floor"`)
	desired := txtZone(t, `"txtvers=1rp=printers/labnote=2nd floor"`)
	zp := Diff(desired, live, model.Capabilities{})
	require.Len(t, zp.Operations, 1)
	assert.Equal(t, Update, zp.Operations[0].Action)
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{zp}}
	p.Summarize()

	var text, md bytes.Buffer
	require.NoError(t, WriteText(&text, p, false))
	require.NoError(t, WriteMarkdown(&md, p, MarkdownOptions{Marker: "zonesync.yaml"}))
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		assert.Contains(t, out, `-lab._ipp._tcp   3600 IN TXT   "txtvers=1" "rp=printers/lab" "note=2nd floor"`, name)
		assert.Contains(t, out, `+lab._ipp._tcp   3600 IN TXT   "txtvers=1rp=printers/labnote=2nd floor"`, name)
		assert.Contains(t, out, "\n ; same text in other strings: a TXT record's string boundaries are part of its data\n", name)
	}
}

// A change of text gets no such note.
func TestTXTTextChangeHasNoBoundaryNote(t *testing.T) {
	zp := Diff(txtZone(t, `"txtvers=1" "rp=printers/lab2"`), txtZone(t, `"txtvers=1" "rp=printers/lab"`), model.Capabilities{})
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{zp}}
	p.Summarize()
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, p, false))
	assert.NotContains(t, text.String(), "same text in other strings")
}
