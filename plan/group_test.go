package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// sets builds a zone's record sets from "name type ttl value|value" lines.
func sets(t *testing.T, name string, lines ...string) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: name, Mode: model.Master, TTL: 3600}
	for _, l := range lines {
		f := strings.SplitN(l, " ", 4)
		var ttl uint32
		_, err := fmt.Sscan(f[2], &ttl)
		require.NoError(t, err)
		rs, err := model.NewRecordSet(f[0], f[1], ttl, strings.Split(f[3], "|")...)
		require.NoError(t, err)
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// wideFixture is a plan in which a shared change reached several zones:
//   - a.test to d.test (cloudns) move their MX from mx1 to mx2, alike;
//   - a.test and b.test also add www and drop old, alike;
//   - c.test also changes its own www;
//   - e.test makes the same MX change at another provider, on its own;
//   - f.test changes nothing.
func wideFixture(t *testing.T) *Plan {
	t.Helper()
	mx := func(host string) string { return "@ MX 3600 10 " + host + ".example.net." }
	var zones []*ZonePlan
	add := func(name, provider string, desired, live []string) {
		zp := Diff(sets(t, name, desired...), sets(t, name, live...), model.Capabilities{})
		zp.Zone, zp.Provider = name, provider
		zones = append(zones, zp)
	}
	add("a.test", "cloudns", []string{mx("mx2"), "www A 300 192.0.2.1"}, []string{mx("mx1"), "old A 300 192.0.2.9"})
	add("b.test", "cloudns", []string{mx("mx2"), "www A 300 192.0.2.1"}, []string{mx("mx1"), "old A 300 192.0.2.9"})
	add("c.test", "cloudns", []string{mx("mx2"), "www A 300 192.0.2.3"}, []string{mx("mx1"), "www A 300 192.0.2.2"})
	add("d.test", "cloudns", []string{mx("mx2")}, []string{mx("mx1")})
	add("e.test", "local", []string{mx("mx2")}, []string{mx("mx1")})
	add("f.test", "cloudns", []string{mx("mx2")}, []string{mx("mx2")})
	p := &Plan{FormatVersion: FormatVersion, Zones: zones}
	p.Summarize()
	return p
}

func TestGroupOperations(t *testing.T) {
	p := wideFixture(t)
	g := GroupOperations(p)
	type group struct {
		Provider string
		Zones    []string
		Ops      []string
	}
	var got []group
	for _, grp := range g.Groups {
		gr := group{Provider: grp.Provider, Zones: grp.Zones}
		for _, op := range grp.Operations {
			gr.Ops = append(gr.Ops, Headline(op))
		}
		got = append(got, gr)
	}
	want := []group{
		{"cloudns", []string{"a.test", "b.test", "c.test", "d.test"}, []string{"update @ MX 10 mx1.example.net. → 10 mx2.example.net."}},
		{"cloudns", []string{"a.test", "b.test"}, []string{"create www A 192.0.2.1", "delete old A 192.0.2.9"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		zone   string
		own    []string
		shared int
	}{
		{"a.test", nil, 3},
		{"c.test", []string{"update www A"}, 1},
		{"d.test", nil, 1},
		{"e.test", []string{"update @ MX"}, 0},
		{"f.test", nil, 0},
	} {
		for _, z := range p.Zones {
			if z.Zone != tc.zone {
				continue
			}
			own, shared := g.Own(z)
			assert.Equal(t, tc.own, ops(own), tc.zone)
			assert.Equal(t, tc.shared, shared, tc.zone)
		}
	}
}

func TestHeadline(t *testing.T) {
	ttl := func(v uint32) *uint32 { return &v }
	for _, tc := range []struct {
		op   *Operation
		want string
	}{
		{&Operation{Action: Update, Name: "@", Type: "MX", Before: &State{TTL: ttl(3600), Values: []string{"10 mx1.example.net."}}, After: &State{TTL: ttl(3600), Values: []string{"10 mx2.example.net."}}},
			"update @ MX 10 mx1.example.net. → 10 mx2.example.net."},
		{&Operation{Action: Update, Name: "www", Type: "A", Before: &State{TTL: ttl(300), Values: []string{"192.0.2.1"}}, After: &State{TTL: ttl(3600), Values: []string{"192.0.2.1"}}},
			"update www A TTL 300 → 3600"},
		{&Operation{Action: Create, Name: "@", Type: "TXT", After: &State{TTL: ttl(300), Values: []string{`"v=spf1 -all"`}}},
			`create @ TXT "v=spf1 -all"`},
		{&Operation{Action: Delete, Name: "old", Type: "A", Before: &State{TTL: ttl(300), Values: []string{"192.0.2.9", "192.0.2.8"}}},
			"delete old A 192.0.2.8, 192.0.2.9"},
		{&Operation{Action: UpdateTTL, Before: &State{TTL: ttl(300)}, After: &State{TTL: ttl(3600)}}, "update_ttl 300 → 3600"},
		{&Operation{Action: Create, Name: "long", Type: "TXT", After: &State{TTL: ttl(300), Values: []string{`"` + strings.Repeat("x", 150) + `"`}}},
			`create long TXT "` + strings.Repeat("x", 98) + "…"},
	} {
		setChanges([]*Operation{tc.op})
		assert.Equal(t, tc.want, Headline(tc.op))
	}
}

// groupGolden compares output with a golden file under testdata, or
// rewrites it with -update.
func groupGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./plan -update to create it")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-golden +got):\n%s", name, diff)
	}
}

func TestGroupedTextGolden(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, wideFixture(t), false))
	groupGolden(t, "grouped.txt.golden", b.Bytes())
	out := b.String()
	assert.Contains(t, out, "4 zones (provider cloudns): update @ MX 10 mx1.example.net. → 10 mx2.example.net.\n")
	assert.NotContains(t, out, "zone d.test", "a zone whose operations are all alike shows only as a member")
	assert.NotContains(t, out, "zone a.test")
	assert.Contains(t, out, "zone c.test (provider cloudns): 1 to update; 1 more alike with other zones, above\n")
	assert.Contains(t, out, "zone e.test (provider local): 1 to update\n", "another provider's zone is not grouped with these")
	assert.Contains(t, out, "5 of 6 zones to change: 2 to create, 6 to update, 2 to delete.")
}

func TestGroupedMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, wideFixture(t), MarkdownOptions{Marker: "zonesync.yaml"}))
	groupGolden(t, "grouped.md.golden", b.Bytes())
	out := b.String()
	assert.Contains(t, out, "| 4 zones alike (below) | cloudns | 0 | 4 | 0 |\n")
	assert.Contains(t, out, "<details><summary>the 4 zones</summary>\n\n`a.test`, `b.test`, `c.test`, `d.test`\n\n</details>")
	assert.NotContains(t, out, "| `d.test` |")
	assert.Equal(t, strings.Count(out, "<details>"), strings.Count(out, "</details>"))
}

func TestGroupedJSONStaysPerZone(t *testing.T) {
	p := wideFixture(t)
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, p))
	var doc struct {
		Zones []struct {
			Zone       string            `json:"zone"`
			Operations []json.RawMessage `json:"operations"`
		} `json:"zones"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.Len(t, doc.Zones, len(p.Zones))
	for i, z := range doc.Zones {
		assert.Equal(t, p.Zones[i].Zone, z.Zone)
		assert.Len(t, z.Operations, len(p.Zones[i].Operations), "%s has every operation of its own", z.Zone)
	}
	assert.NotContains(t, b.String(), "alike")
}

// TestWideChangeFitsAComment: one change to 1,000 zones is one group,
// and the comment holds all of it, without cutting anything.
func TestWideChangeFitsAComment(t *testing.T) {
	p := &Plan{FormatVersion: FormatVersion}
	for i := range 1000 {
		name := fmt.Sprintf("shop-%04d.example", i)
		desired := sets(t, name, "@ MX 3600 10 mx2.example.net.", "@ TXT 3600 v=spf1 include:mail.example.net -all")
		live := sets(t, name, "@ MX 3600 10 mx1.example.net.", "@ TXT 3600 v=spf1 -all")
		if i%100 == 7 {
			desired.Records = append(desired.Records, sets(t, name, fmt.Sprintf("www A 300 192.0.2.%d", i/10)).Records...)
			desired.SortRecords()
		}
		zp := Diff(desired, live, model.Capabilities{})
		zp.Zone, zp.Provider = name, "cloudns"
		p.Zones = append(p.Zones, zp)
	}
	p.Summarize()
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, p, MarkdownOptions{Marker: "zonesync.yaml"}))
	out := b.String()
	assert.Less(t, len(out), GitHubCommentLimit)
	assert.NotContains(t, out, "not shown", "nothing is cut")
	assert.Contains(t, out, "**1000 zones** (cloudns): each 2 to update\n")
	assert.Equal(t, 10, strings.Count(out, "<details><summary><code>shop-"), "the 10 zones with a www of their own show it")
	assert.Contains(t, out, "`shop-0999.example`\n\n</details>")
}

// A marker that adopts a live record set in one zone and the same marker
// written with a new record set in another are different operations: the
// table counts one as adopted, the other as a marker write.
func TestGroupOperationsKeepsAdoptApartFromMark(t *testing.T) {
	marker := func(adopt bool) *Operation {
		return &Operation{Seq: 1, Action: Create, Name: "x.a._zonesync", Type: "TXT",
			After:  &State{TTL: ttlPtr(3600), Values: []string{`"v=zonesync1 owner=git:repo"`}},
			Marker: &MarkerOf{Name: "x", Type: "A", Adopt: adopt}}
	}
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{
		{Zone: "a.test", Provider: "local", Operations: []*Operation{marker(true)}},
		{Zone: "b.test", Provider: "local", Operations: []*Operation{marker(false)}},
	}}
	p.Summarize()
	assert.Empty(t, GroupOperations(p).Groups)
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, p, MarkdownOptions{}))
	assert.Contains(t, b.String(), "| `a.test` | local | 0 | 0 | 0 | 1 | 0 |\n| `b.test` | local | 0 | 0 | 0 | 0 | 1 |\n")

	// Grouped, a marker says what it does to its set, as in a zone's diff.
	p.Zones = append(p.Zones, &ZonePlan{Zone: "c.test", Provider: "local", Operations: []*Operation{marker(true)}})
	p.Summarize()
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, p, false))
	assert.Contains(t, text.String(), "@@ adopt x A (create x.a._zonesync TXT) @@\n")
}

// TestTableOfManyZonesFitsAComment: 3,000 zones each with a change of its
// own (no group) in ownership mode, leaving sets alone: the table of
// changes is cut to its room and says so, and the comment stays under
// GitHub's limit.
func TestTableOfManyZonesFitsAComment(t *testing.T) {
	p := &Plan{FormatVersion: FormatVersion}
	for i := range 3000 {
		name := fmt.Sprintf("customer-zone-%04d.example", i)
		zp := Diff(sets(t, name, fmt.Sprintf("www A 300 192.0.%d.%d", i/250, i%250)), sets(t, name), model.Capabilities{})
		zp.Zone, zp.Provider = name, "cloudns"
		zp.LeftAlone = []LeftAlone{{Owner: "external-dns (owner k8s)", Sets: []SetKey{{"app", "A"}, {"cname-app", "TXT"}}}}
		p.Zones = append(p.Zones, zp)
	}
	p.Summarize()
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, p, MarkdownOptions{Marker: "zonesync.yaml"}))
	out := b.String()
	assert.LessOrEqual(t, len(out), GitHubCommentLimit)
	assert.Contains(t, out, "more rows of the table not shown")
	assert.Contains(t, out, "3000 of 3000 zones to change: 3000 to create.")
	assert.Equal(t, strings.Count(out, "<details>"), strings.Count(out, "</details>"))
}

// TestRefusalsOfEveryZoneFitAComment: ownership mode turned on for an
// estate refuses every zone until its sets are adopted; a refusal per
// zone, and a warning per zone, still fit a comment, and the comment
// says how many it does not show.
func TestRefusalsOfEveryZoneFitAComment(t *testing.T) {
	p := &Plan{FormatVersion: FormatVersion}
	for i := range 1000 {
		name := fmt.Sprintf("customer-zone-%04d.example", i)
		p.Refusals = append(p.Refusals, name+": 4 declared record sets are live without any marker (@ MX, ftp A, mail A and 1 more), so they are not owner git:dns-repo's; "+
			"zonesync leaves them alone: the zone holds no marker of git:dns-repo yet. If zonesync managed this zone before, mark what the spec declares with "+
			"ownership: {owner: git:dns-repo, adopt: unmarked} for one apply; else adopt each with adopt: true, or remove them from the spec")
		p.Warnings = append(p.Warnings, name+": ignore rule 1 (name old, type A) matches no live record")
		p.Zones = append(p.Zones, &ZonePlan{Zone: name, Provider: "cloudns"})
	}
	p.Summarize()
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, p, MarkdownOptions{Marker: "zonesync.yaml"}))
	out := b.String()
	assert.LessOrEqual(t, len(out), GitHubCommentLimit)
	assert.Contains(t, out, "**Refused:** customer-zone-0000.example: 4 declared")
	assert.Regexp(t, `_\d+ more refusals not shown`, out)
	assert.Regexp(t, `_\d+ more warnings not shown`, out)
}
