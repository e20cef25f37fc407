package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

const testOwner = "git:dns-repo"

// ownedZone builds a zone from "name TYPE ttl value|value" lines; with an
// owner, the zone is in ownership mode. A line ending in " adopt" adopts.
func ownedZone(t *testing.T, owner string, lines ...string) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: "example.com", Provider: "p", Mode: model.Master, TTL: 3600}
	if owner != "" {
		z.Ownership = &model.Ownership{Owner: owner}
	}
	for _, l := range lines {
		adopt := strings.HasSuffix(l, " adopt")
		l = strings.TrimSuffix(l, " adopt")
		f := strings.SplitN(l, " ", 4)
		var ttl uint32
		_, err := fmt.Sscan(f[2], &ttl)
		require.NoError(t, err, l)
		rs, err := model.NewRecordSet(f[0], f[1], ttl, strings.Split(f[3], "|")...)
		require.NoError(t, err, l)
		rs.Adopt = adopt
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// marker is the live line of owner's marker of the set (name, type).
func marker(name, rrtype, owner string) string {
	m := strings.ToLower(rrtype) + "._zonesync"
	if name != "@" {
		m = name + "." + m
	}
	return m + " TXT 3600 v=zonesync1 owner=" + owner
}

// opLines describes operations as "action name type", marker operations
// as "mark|adopt|unmark set type (action marker)".
func opLines(zp *ZonePlan) []string {
	var out []string
	for _, op := range zp.Operations {
		switch {
		case op.Marker != nil:
			verb := "mark"
			if op.Action == Delete {
				verb = "unmark"
			} else if op.Marker.Adopt {
				verb = "adopt"
			}
			out = append(out, fmt.Sprintf("%s %s %s (%s %s)", verb, op.Marker.Name, op.Marker.Type, op.Action, op.Name))
		case op.Name != "":
			out = append(out, string(op.Action)+" "+op.Name+" "+op.Type)
		default:
			out = append(out, string(op.Action))
		}
	}
	return out
}

func planZone(t *testing.T, desired, live *model.Zone) *ZonePlan {
	t.Helper()
	zp, err := Zone(desired, live, allCaps, &config.DefaultSafety)
	require.NoError(t, err)
	return zp
}

func TestOwnershipNewZoneMarksEverySet(t *testing.T) {
	desired := ownedZone(t, testOwner, "@ A 300 192.0.2.1", "www A 300 192.0.2.2", "*.dyn CNAME 300 www.example.com.")
	zp := planZone(t, desired, nil)
	assert.Equal(t, []string{
		"create_zone",
		"mark @ A (create a._zonesync)",
		"mark *.dyn CNAME (create dyn.cname-wild._zonesync)",
		"mark www A (create www.a._zonesync)",
		"create @ A", "create *.dyn CNAME", "create www A",
	}, opLines(zp))
	for _, op := range zp.Operations[1:4] {
		assert.Equal(t, []string{`"v=zonesync1 owner=git:dns-repo"`}, op.After.Values)
		assert.Equal(t, uint32(3600), *op.After.TTL, "a marker has the zone's TTL")
	}
	// Each set's create waits for its own marker, beside create_zone.
	deps := Dependencies(zp.Operations)
	assert.Equal(t, []int{0, 1}, deps[4], "create @ A needs create_zone and its marker")
	assert.Equal(t, []int{0, 2}, deps[5])
	assert.Equal(t, []int{0, 3}, deps[6])
	c, u, d := zp.Counts()
	mark, adopt, unmark := zp.MarkerCounts()
	assert.Equal(t, [6]int{4, 0, 0, 3, 0, 0}, [6]int{c, u, d, mark, adopt, unmark}, "markers are counted apart")
}

// live zone of the shared tests: two sets of ours, one of another owner,
// one of external-dns, an ACME token without a marker.
func sharedLive(t *testing.T) *model.Zone {
	return ownedZone(t, "",
		"www A 300 192.0.2.1", marker("www", "A", testOwner),
		"mail A 300 192.0.2.25", marker("mail", "A", testOwner),
		"api A 300 198.51.100.7", marker("api", "A", "git:platform"),
		"app CNAME 300 lb.example.net.", "cname-app TXT 300 heritage=external-dns,external-dns/owner=k8s",
		"_acme-challenge TXT 60 token",
		"@ NS 3600 ns1.example.net.",
	)
}

func TestOwnershipLeavesForeignSetsAlone(t *testing.T) {
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.1", "mail A 300 192.0.2.25")
	zp := planZone(t, desired, sharedLive(t))
	assert.Empty(t, zp.Operations, "foreign sets are no drift")
	assert.Empty(t, zp.Refusals)
	want := []LeftAlone{
		{Owner: "external-dns (owner k8s)", Sets: []SetKey{{"app", "CNAME"}, {"cname-app", "TXT"}}},
		{Owner: "no marker", Sets: []SetKey{{"_acme-challenge", "TXT"}}},
		{Owner: "owner git:platform", Sets: []SetKey{{"api", "A"}, {"api.a._zonesync", "TXT"}}},
	}
	assert.Empty(t, cmp.Diff(want, zp.LeftAlone))
}

func TestOwnershipChangesOnlyItsOwn(t *testing.T) {
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.9", "new AAAA 300 2001:db8::1")
	zp := planZone(t, desired, sharedLive(t))
	assert.Equal(t, []string{
		"mark new AAAA (create new.aaaa._zonesync)",
		"create new AAAA",
		"update www A",
		"delete mail A",
		"unmark mail A (delete mail.a._zonesync)",
	}, opLines(zp))
	deps := Dependencies(zp.Operations)
	assert.Equal(t, []int{0}, deps[1], "the create waits for its marker")
	assert.Empty(t, deps[2], "an update of an owned set needs no marker write")
	assert.Equal(t, []int{3}, deps[4], "the marker goes only once its set is gone")
}

func TestOwnershipHalfLandedPairsConverge(t *testing.T) {
	// The marker of new landed and its set did not; the set of gone was
	// deleted and its marker was not.
	live := ownedZone(t, "", marker("new", "A", testOwner), marker("gone", "A", testOwner), "other A 300 192.0.2.50")
	desired := ownedZone(t, testOwner, "new A 300 192.0.2.1")
	zp := planZone(t, desired, live)
	assert.Equal(t, []string{"create new A", "unmark gone A (delete gone.a._zonesync)"}, opLines(zp))
	assert.Empty(t, zp.Refusals)
	assert.Equal(t, []LeftAlone{{Owner: "no marker", Sets: []SetKey{{"other", "A"}}}}, zp.LeftAlone)
}

func TestOwnershipRefusesCollisions(t *testing.T) {
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.1", "mail A 300 192.0.2.25", "api A 300 198.51.100.7", "app CNAME 300 lb.example.net.", "_acme-challenge TXT 60 token")
	zp := planZone(t, desired, sharedLive(t))
	assert.Empty(t, zp.Operations, "a collided set is neither created, changed nor marked")
	assert.Equal(t, []string{
		"example.com: api A is declared, but the live record set is marked by owner git:platform; zonesync leaves it alone: take it over with adopt: true on the record set, or remove it from the spec",
		"example.com: app CNAME is declared, but the live record set is marked by external-dns (owner k8s); zonesync leaves it alone: take it over with adopt: true on the record set, or remove it from the spec",
		"example.com: _acme-challenge TXT is declared and live without any marker, so it is not owner git:dns-repo's; zonesync leaves it alone: take it over with adopt: true on the record set, or remove it from the spec",
	}, zp.Refusals)
}

func TestOwnershipFirstPlanOffersAdoptUnmarked(t *testing.T) {
	live := ownedZone(t, "", "www A 300 192.0.2.1", "mail A 300 192.0.2.25", "ftp A 300 192.0.2.21", "old A 300 192.0.2.99", "@ MX 300 10 mail.example.com.")
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.1", "mail A 300 192.0.2.26", "ftp A 300 192.0.2.21", "@ MX 300 10 mail.example.com.")
	zp := planZone(t, desired, live)
	require.Len(t, zp.Refusals, 1)
	assert.Equal(t, "example.com: 4 declared record sets are live without any marker (@ MX, ftp A, mail A and 1 more), so they are not owner git:dns-repo's; "+
		"zonesync leaves them alone: the zone holds no marker of git:dns-repo yet. If zonesync managed this zone before, mark what the spec declares with "+
		"ownership: {owner: git:dns-repo, adopt: unmarked} for one apply; else adopt each with adopt: true, or remove them from the spec", zp.Refusals[0])
	assert.Empty(t, zp.Operations)

	desired.Ownership.AdoptUnmarked = true
	zp = planZone(t, desired, live)
	assert.Empty(t, zp.Refusals)
	assert.Equal(t, []string{
		"adopt ftp A (create ftp.a._zonesync)",
		"adopt mail A (create mail.a._zonesync)",
		"adopt @ MX (create mx._zonesync)",
		"adopt www A (create www.a._zonesync)",
		"update mail A",
	}, opLines(zp), "old A, which the spec does not declare, is left alone, not deleted")
	assert.Equal(t, []LeftAlone{{Owner: "no marker", Sets: []SetKey{{"old", "A"}}}}, zp.LeftAlone)
	assert.Equal(t, []int{1}, Dependencies(zp.Operations)[4], "the update of an adopted set waits for its marker")

	// Once applied, adopt: unmarked has nothing left to do, and says so.
	after := ownedZone(t, "", "www A 300 192.0.2.1", "mail A 300 192.0.2.26", "ftp A 300 192.0.2.21", "old A 300 192.0.2.99", "@ MX 300 10 mail.example.com.",
		marker("www", "A", testOwner), marker("mail", "A", testOwner), marker("ftp", "A", testOwner), marker("@", "MX", testOwner))
	zp = planZone(t, desired, after)
	assert.Empty(t, zp.Operations)
	require.Len(t, zp.Warnings, 1)
	assert.Contains(t, zp.Warnings[0], "ownership.adopt: unmarked adopts nothing")
}

func TestOwnershipAdopt(t *testing.T) {
	desired := ownedZone(t, testOwner,
		"api A 300 198.51.100.8 adopt", // another owner's, with other values
		"app CNAME 300 lb.example.net. adopt",
		"www A 300 192.0.2.1")
	zp := planZone(t, desired, sharedLive(t))
	assert.Empty(t, zp.Refusals)
	assert.Equal(t, []string{
		"adopt api A (update api.a._zonesync)",
		"adopt app CNAME (create app.cname._zonesync)",
		"update api A",
		"delete mail A",
		"unmark mail A (delete mail.a._zonesync)",
	}, opLines(zp))
	assert.Equal(t, []string{`"v=zonesync1 owner=git:platform"`}, zp.Operations[0].Before.Values)
	assert.Equal(t, []string{`"v=zonesync1 owner=git:dns-repo"`}, zp.Operations[0].After.Values)
	require.Len(t, zp.Warnings, 1)
	assert.Contains(t, zp.Warnings[0], "app CNAME is owner git:dns-repo's, and external-dns (owner k8s) marks it too")
	_, adopt, _ := zp.MarkerCounts()
	assert.Equal(t, 2, adopt)
}

func TestOwnershipMarkerNameHeldByAnotherOwner(t *testing.T) {
	// Another owner claims www A, which does not exist yet.
	live := ownedZone(t, "", marker("www", "A", "git:platform"))
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.1")
	zp := planZone(t, desired, live)
	assert.Empty(t, zp.Operations)
	assert.Equal(t, []string{"example.com: www A is declared, but the name of its marker, www.a._zonesync TXT, holds the marker of owner git:platform; " +
		"zonesync leaves it alone: take it over with adopt: true on the record set, or remove it from the spec"}, zp.Refusals)
}

func TestOwnershipCNAMEBesideForeignData(t *testing.T) {
	live := ownedZone(t, "", "x TXT 300 someone's", "y CNAME 300 z.example.net.")
	desired := ownedZone(t, testOwner, "x CNAME 300 www.example.com.", "y TXT 300 mine", "w A 300 192.0.2.1")
	zp := planZone(t, desired, live)
	assert.Equal(t, []string{"mark w A (create w.a._zonesync)", "create w A"}, opLines(zp))
	assert.Equal(t, []string{
		"example.com: x CNAME cannot be created: the live record set x TXT, which zonesync leaves alone (no marker), holds the name, and a CNAME can hold no other data",
		"example.com: y TXT cannot be created: the live record set y CNAME, which zonesync leaves alone (no marker), holds the name, and a CNAME can hold no other data",
	}, zp.Refusals)
}

func TestOwnershipIgnoreRulesStillApply(t *testing.T) {
	live := ownedZone(t, "", "keep A 300 192.0.2.1", marker("keep", "A", testOwner), "www A 300 192.0.2.2", marker("www", "A", testOwner))
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.2")
	desired.Ignore = []model.IgnoreRule{{Name: "keep"}}
	zp := planZone(t, desired, live)
	assert.Empty(t, zp.Operations, "an ignored set stays, and so does its marker")
	assert.Equal(t, []LeftAlone{{Owner: "ignore rules", Sets: []SetKey{{"keep", "A"}}}}, zp.LeftAlone)
}

func TestOwnershipSafetyCountsSetsNotMarkers(t *testing.T) {
	var lines, desiredLines []string
	for i := range 10 {
		name := fmt.Sprintf("h%d", i)
		lines = append(lines, name+" A 300 192.0.2.1", marker(name, "A", testOwner))
		if i < 7 {
			desiredLines = append(desiredLines, name+" A 300 192.0.2.1")
		}
	}
	for i := range 30 {
		lines = append(lines, fmt.Sprintf("f%d A 300 192.0.2.2", i))
	}
	live := ownedZone(t, "", lines...)
	// 3 of 10 owned sets go: 30%, at the limit; markers do not double it.
	zp := planZone(t, ownedZone(t, testOwner, desiredLines...), live)
	assert.Len(t, zp.Operations, 6)
	assert.Empty(t, zp.Refusals)
	zp = planZone(t, ownedZone(t, testOwner, desiredLines[:6]...), live)
	assert.Equal(t, []string{"example.com: the plan would delete 4 of 10 record sets (40%), above safety.max_delete_percent 30%"}, zp.Refusals)

	// A zone whose sets are all someone else's is not an empty read.
	zp = planZone(t, ownedZone(t, testOwner, desiredLines...), ownedZone(t, "", lines[20:]...))
	assert.Len(t, zp.Operations, 14)
	assert.Empty(t, zp.Refusals)
}

func TestOwnershipLiveDigest(t *testing.T) {
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.1", "new A 300 192.0.2.3")
	live := sharedLive(t)
	base := planZone(t, desired, live).LiveDigest
	assert.Equal(t, base, LiveDigest(desired, live, allCaps))
	elsewhere := ownedZone(t, "", "someone A 300 203.0.113.1")
	elsewhere.Records = append(elsewhere.Records, live.Records...)
	elsewhere.SortRecords()
	assert.Equal(t, base, LiveDigest(desired, elsewhere, allCaps), "a foreign set elsewhere does not make the plan stale")
	there := ownedZone(t, "", "new A 300 203.0.113.1")
	there.Records = append(there.Records, live.Records...)
	there.SortRecords()
	assert.NotEqual(t, base, LiveDigest(desired, there, allCaps), "a set appearing where the plan creates one does")
}

func TestOwnershipRendered(t *testing.T) {
	desired := ownedZone(t, testOwner, "www A 300 192.0.2.9", "new AAAA 300 2001:db8::1", "api A 300 198.51.100.7 adopt")
	zp := planZone(t, desired, sharedLive(t))
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{zp}}
	p.Summarize()
	assert.Equal(t, Summary{Create: 1, Update: 1, Delete: 1, ZonesChanged: 1, Adopt: 1, Markers: 2}, p.Summary)

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, p, false))
	for _, want := range []string{
		"zone example.com (provider p): 1 to create, 1 to update, 1 to delete, 1 to adopt, 2 marker writes",
		"@@ 1 adopt api A (update api.a._zonesync TXT) @@",
		"IN TXT   \"v=zonesync1 owner=git:platform\"\n+api.a._zonesync      3600 IN TXT   \"v=zonesync1 owner=git:dns-repo\"",
		"@@ 2 mark new AAAA (create new.aaaa._zonesync TXT) @@",
		"@@ 6 unmark mail A (delete mail.a._zonesync TXT) @@",
		"left alone: record sets zonesync does not own, never changed or deleted, never drift\n  example.com: 3 record sets\n" +
			"    external-dns (owner k8s): 2 (app CNAME, cname-app TXT)\n    no marker: 1 (_acme-challenge TXT)\n",
		"1 of 1 zone to change: 1 to create, 1 to update, 1 to delete, 1 to adopt, 2 marker writes.",
	} {
		assert.Contains(t, text.String(), want)
	}

	var md bytes.Buffer
	require.NoError(t, WriteMarkdown(&md, p, MarkdownOptions{}))
	for _, want := range []string{
		"| zone | provider | create | update | delete | adopt | markers |",
		"| `example.com` | p | 1 | 1 | 1 | 1 | 2 |",
		"<details><summary>Left alone: 3 record sets zonesync does not own, in 1 zone",
		"| `example.com` | external-dns (owner k8s) | 2 | app CNAME, cname-app TXT |",
	} {
		assert.Contains(t, md.String(), want)
	}

	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, p))
	var doc struct {
		Zones []struct {
			Operations []struct {
				Action string    `json:"action"`
				Name   string    `json:"name"`
				Marker *MarkerOf `json:"marker"`
			} `json:"operations"`
			LeftAlone []LeftAlone `json:"left_alone"`
		} `json:"zones"`
		Summary map[string]int `json:"summary"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	assert.Equal(t, &MarkerOf{Name: "api", Type: "A", Adopt: true}, doc.Zones[0].Operations[0].Marker)
	assert.Nil(t, doc.Zones[0].Operations[2].Marker)
	assert.Len(t, doc.Zones[0].LeftAlone, 2)
	assert.Equal(t, 1, doc.Summary["adopt"])
	assert.Equal(t, 2, doc.Summary["markers"])

	// A saved plan reads back with its markers, and so with the same order
	// of dependencies.
	saved, err := Decode(bytes.NewReader(js.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, Dependencies(zp.Operations), Dependencies(saved.Zones[0].Operations))
	assert.Equal(t, p.Summary, saved.Summary)
}

// A zone in ownership mode served by several providers has a plan per
// target: its refusals and the sets it leaves alone name the target, as
// its safety refusals and warnings do, so that the reader can tell the
// providers' zones apart.
func TestOwnershipOfSeveralTargetsNamesTheTarget(t *testing.T) {
	p := &Plan{FormatVersion: FormatVersion}
	for _, provider := range []string{"p", "q"} {
		desired := ownedZone(t, testOwner, "www A 300 192.0.2.9", "api A 300 198.51.100.7")
		desired.Provider, desired.Targets = provider, []string{"p", "q"}
		p.Zones = append(p.Zones, planZone(t, desired, sharedLive(t)))
	}
	p.Summarize()
	for i, target := range []string{"example.com@p", "example.com@q"} {
		require.NotEmpty(t, p.Zones[i].Refusals)
		for _, r := range p.Zones[i].Refusals {
			assert.True(t, strings.HasPrefix(r, target+": "), r)
		}
	}

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, p, false))
	assert.Contains(t, text.String(), "\n  example.com@p: 5 record sets\n")
	assert.Contains(t, text.String(), "\n  example.com@q: 5 record sets\n")

	var md bytes.Buffer
	require.NoError(t, WriteMarkdown(&md, p, MarkdownOptions{}))
	assert.Contains(t, md.String(), "| `example.com@p` | external-dns (owner k8s) | 2 |")
	assert.Contains(t, md.String(), "| `example.com@q` | external-dns (owner k8s) | 2 |")
}
