package plan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const commit = "0123456789abcdef0123456789abcdef01234567"

// scopedFixture is wideFixture scoped to its zones, with 994 zones left
// out, deleted specs and an alias a spec no longer declares.
func scopedFixture(t *testing.T) *Plan {
	p := wideFixture(t)
	p.Scope = &Scope{ChangedSince: commit, LeftOut: 994,
		Deleted: []DeletedSpec{{File: "zones/gone.test.yaml", Zone: "gone.test"}, {File: "zones/odd.yaml"}},
		Dropped: []DroppedZone{{File: "zones/brand.test.yaml", Zone: "parked.test"}}}
	for _, z := range p.Zones {
		p.Scope.Zones = append(p.Scope.Zones, z.Zone)
	}
	return p
}

func TestScopeShownInTextAndMarkdown(t *testing.T) {
	p := scopedFixture(t)
	const note = "Scoped to the change since 0123456789ab: 6 zones planned, 994 zones left out (unchanged, not read)."
	assert.Equal(t, note, p.Scope.Note())

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, p, false))
	assert.Contains(t, text.String(), note+"\n")
	assert.Contains(t, text.String(), "note: spec zones/gone.test.yaml was deleted: zonesync does not delete zones, so zone gone.test stays at its provider as it is")
	assert.Contains(t, text.String(), "note: spec zones/odd.yaml was deleted: zonesync does not delete zones, so its zone stays")
	assert.Contains(t, text.String(), "note: zone parked.test is no longer declared by spec zones/brand.test.yaml: zonesync does not delete zones, so it stays at its provider as it is")

	var md bytes.Buffer
	require.NoError(t, WriteMarkdown(&md, p, MarkdownOptions{Marker: "zonesync.yaml"}))
	assert.Contains(t, md.String(), "> [!NOTE]\n> "+escapeMarkdown(note)+"\n")
	assert.Contains(t, md.String(), "> [!NOTE]\n> Spec zones/gone.test.yaml was deleted")
	assert.Contains(t, md.String(), "> [!NOTE]\n> Zone parked.test is no longer declared by spec zones/brand.test.yaml")

	// A plan of every zone says nothing of a scope.
	p.Scope = nil
	text.Reset()
	require.NoError(t, WriteText(&text, p, false))
	assert.NotContains(t, text.String(), "Scoped")
	md.Reset()
	require.NoError(t, WriteMarkdown(&md, p, MarkdownOptions{}))
	assert.NotContains(t, md.String(), "Scoped")
}

func TestScopeNoteCountsOne(t *testing.T) {
	s := &Scope{ChangedSince: "abc", Zones: []string{"a.test"}, LeftOut: 1}
	assert.Equal(t, "Scoped to the change since abc: 1 zone planned, 1 zone left out (unchanged, not read).", s.Note())
	assert.Empty(t, (*Scope)(nil).Note())
}

func TestScopeSavedAndRead(t *testing.T) {
	p := scopedFixture(t)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, p))
	assert.Contains(t, buf.String(), `"changed_since": "`+commit+`"`)
	back, err := Decode(&buf)
	require.NoError(t, err)
	if diff := cmp.Diff(p.Scope, back.Scope); diff != "" {
		t.Errorf("scope read back (-saved +read):\n%s", diff)
	}

	// A plan without a scope reads back without one.
	p.Scope = nil
	buf.Reset()
	require.NoError(t, WriteJSON(&buf, p))
	assert.NotContains(t, buf.String(), "scope")
	back, err = Decode(&buf)
	require.NoError(t, err)
	assert.Nil(t, back.Scope)
}

// TestScopeFileChecked: apply takes a saved scope's word for which zones
// to read, so a scope that does not match the zones planned is refused.
func TestScopeFileChecked(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"no commit", `"changed_since": "` + commit + `"`, `"changed_since": ""`, "the scope names no commit"},
		{"negative count", `"left_out": 994`, `"left_out": -1`, "the scope leaves out -1 zones"},
		{"a zone left out of the scope", `"zones": [` + "\n" + `      "a.test",`, `"zones": [`, "the scope's zones are not the zones planned"},
		{"a zone added to the scope", `"f.test"` + "\n" + `    ],` + "\n" + `    "left_out"`, `"f.test", "z.test"],"left_out"`, "the scope's zones are not the zones planned"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteJSON(&buf, scopedFixture(t)))
			edited := strings.Replace(buf.String(), tc.from, tc.to, 1)
			require.NotEqual(t, buf.String(), edited, "the edit applies")
			_, err := Decode(strings.NewReader(edited))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
