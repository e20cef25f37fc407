package plan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusAndItsMarkdown(t *testing.T) {
	changed := func() *Plan { return fixture(t) }
	for _, tc := range []struct {
		name   string
		plan   func() *Plan
		status string
		shows  []string
	}{
		{"changes", changed, StatusChanges, []string{"### zonesync plan\n"}},
		{"no changes", func() *Plan {
			p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{{Zone: "a.test", Provider: "p"}}}
			p.Summarize()
			return p
		}, StatusNoChanges, []string{"No changes: 1 zone checked"}},
		{"refused", func() *Plan {
			p := changed()
			p.Refusals = []string{"a.test: too much"}
			return p
		}, StatusRefused, []string{"**Refused.** The safety checks refuse this plan", "**Refused:** a.test: too much", "```diff"}},
		{"forced", func() *Plan {
			p := changed()
			p.Refusals, p.Forced = []string{"a.test: too much"}, true
			return p
		}, StatusChanges, []string{"**Forced.**", "**Refused:** a.test: too much"}},
		{"incomplete", func() *Plan {
			p := changed()
			p.Errors = []Problem{{Message: "provider p cannot be used"}}
			return p
		}, StatusIncomplete, []string{"### zonesync plan (incomplete)", "zonesync could not plan every zone", "provider p cannot be used", "Incomplete: 1 error left zones out"}},
		{"failed", func() *Plan {
			return &Plan{FormatVersion: FormatVersion, Errors: []Problem{{File: "zones/a.yaml", Line: 3, Column: 9, Message: "bad ```value```"}}}
		}, StatusFailed, []string{"### zonesync plan failed", "**No plan: 1 error.**", "zones/a.yaml:3:9: bad `\u200b``value`\u200b``"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.plan()
			assert.Equal(t, tc.status, p.Status())
			var b bytes.Buffer
			require.NoError(t, WriteMarkdown(&b, p, MarkdownOptions{Marker: "z.yaml"}))
			assert.True(t, strings.HasPrefix(b.String(), "<!-- zonesync-plan: z.yaml -->\n<!-- zonesync-plan-status: "+tc.status+" -->\n"), b.String())
			for _, s := range tc.shows {
				assert.Contains(t, b.String(), s)
			}
		})
	}
}

func TestManyErrorsStayUnderLimit(t *testing.T) {
	p := &Plan{FormatVersion: FormatVersion}
	for i := range 5000 {
		p.Errors = append(p.Errors, Problem{File: "zones/a.yaml", Line: i + 1, Column: 1, Message: strings.Repeat("wrong ", 10)})
	}
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, p, MarkdownOptions{Marker: "z.yaml"}))
	assert.Less(t, b.Len(), GitHubCommentLimit)
	assert.Regexp(t, `\.\.\. and \d+ more errors\n`+"```", b.String())
	assert.Contains(t, b.String(), fmt.Sprintf("**No plan: %d errors.**", len(p.Errors)))
}

func TestDecodeRefusesAPlanWithErrors(t *testing.T) {
	_, err := Decode(strings.NewReader(`{"format_version": 1, "zones": [], "summary": {"create": 0, "update": 0, "delete": 0, "zones_changed": 0}, "errors": [{"message": "provider p cannot be used"}]}`))
	assert.EqualError(t, err, "the plan file records 1 error (provider p cannot be used): it does not cover every zone; fix them and make a new plan")
}
