package plan

import (
	"bytes"
	"encoding/json"
	"flag"
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

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixture is a plan with every kind of operation over three zones.
func fixture(t *testing.T) *Plan {
	t.Helper()
	f := &model.Failover{Check: "http", Settings: model.FailoverSettings{Host: "www.example.com", Port: 443, Path: "/health"},
		Down: "backup-ips", Up: "main-ips", BackupIPs: []string{"192.0.2.99"}, Active: true}
	desired := zone(t,
		"@ A 300 192.0.2.10|192.0.2.11",
		"@ MX 3600 10 mx1.example.com.|20 mx2.example.com.",
		"@ TXT 3600 v=spf1 mx -all",
		"_sip._udp SRV 3600 0 5 5060 sip.example.com.",
		"www A 300 192.0.2.20",
	)
	desired.Find("www", "A").Failover = f
	desired.SOA = &model.SOA{Refresh: 7200, Retry: 1800}
	live := zone(t,
		"@ A 300 192.0.2.10",
		"@ MX 3600 10 mx1.example.com.",
		"@ TXT 3600 v=spf1 mx ~all",
		"old A 3600 192.0.2.99",
		"www A 300 192.0.2.20",
	)
	live.SOA = &model.SOA{PrimaryNS: "ns1.example.com.", AdminMail: "hostmaster@example.com", Refresh: 3600, Retry: 900, Expire: 1209600, Minimum: 3600, Serial: 2026010101}
	a := Diff(desired, live, model.Capabilities{SOA: model.SOAFields, Failover: true})
	a.Provider = "cloudns"

	newZone := zone(t, "www AAAA 300 2001:db8::1")
	newZone.Name = "example.net"
	b := Diff(newZone, nil, model.Capabilities{CreateZone: true})
	b.Provider = "local"

	slave := &model.Zone{Name: "example.org", Mode: model.Slave, Masters: []string{"192.0.2.53", "198.51.100.53"}}
	c := Diff(slave, &model.Zone{Name: "example.org", Mode: model.Master}, model.Capabilities{Slave: true, SwitchMode: true})
	c.Provider = "plesk"

	same := Diff(zone(t, "www A 300 192.0.2.1"), zone(t, "www A 300 192.0.2.1"), model.Capabilities{})
	same.Zone, same.Provider = "unchanged.test", "local"

	// A rule that protects nothing is a warning, here on a zone without changes.
	same.Warnings = []string{`unchanged.test: ignore rule {name: "_acme-challenge.unchanged.test", type: TXT} (zones/unchanged.test.yaml:4:5) matches no live or declared record, so it protects nothing; check its name and type`}

	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{a, b, c, same}}
	p.Warnings = append(p.Warnings, same.Warnings...)
	p.Summarize()
	return p
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./plan -update to create it")
	// Line by line, so that the diff names the lines that changed.
	if d := cmp.Diff(strings.SplitAfter(string(want), "\n"), strings.SplitAfter(string(got), "\n")); d != "" {
		t.Errorf("%s differs from the golden file; run go test ./plan -update after a deliberate change (-want +got):\n%s", name, d)
	}
}

func TestWriteTextGolden(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, fixture(t), false))
	golden(t, "plan.txt.golden", b.Bytes())
	assert.NotContains(t, b.String(), "\x1b[", "colorless output has ANSI escapes")
	var c bytes.Buffer
	WriteText(&c, fixture(t), true)
	golden(t, "plan.color.golden", c.Bytes())
}

func TestWriteMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, fixture(t), MarkdownOptions{Marker: "dns/zonesync.yaml"}))
	golden(t, "plan.md.golden", b.Bytes())
}

func TestWriteJSONGolden(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, fixture(t)))
	golden(t, "plan.json.golden", b.Bytes())
	// The document has exactly the schema's top-level keys.
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	for _, k := range []string{"format_version", "zones", "summary"} {
		assert.Contains(t, doc, k, "plan JSON lacks %q", k)
	}
	back, err := Decode(bytes.NewReader(b.Bytes()))
	require.NoError(t, err, "the plan JSON does not decode")
	if d := cmp.Diff(fixture(t).Summary, back.Summary); d != "" {
		t.Errorf("summary after a round trip (-want +got):\n%s", d)
	}
}

func TestMarkdownStaysUnderLimit(t *testing.T) {
	var lines []string
	for i := 0; i < 500; i++ {
		lines = append(lines, fmt.Sprintf("host%03d TXT 300 %s", i, strings.Repeat("x", 200)))
	}
	p := &Plan{FormatVersion: FormatVersion, Zones: []*ZonePlan{Diff(zone(t, lines...), zone(t), model.Capabilities{})}}
	p.Summarize()
	var b bytes.Buffer
	WriteMarkdown(&b, p, MarkdownOptions{Marker: "zonesync.yaml"})
	out := b.String()
	require.LessOrEqual(t, len(out), GitHubCommentLimit, "markdown over GitHub's comment limit")
	const marker = "<!-- zonesync-plan: zonesync.yaml -->\n"
	assert.Equal(t, marker, out[:min(len(out), len(marker))], "markdown does not start with the marker")
	// The whole comment is too long to print; its end says what was cut.
	for _, note := range []string{"more operations not shown", "500 to create"} {
		assert.True(t, strings.Contains(out, note), "a cut plan does not say %q:\n%s", note, out[max(0, len(out)-300):])
	}
	assert.Equal(t, strings.Count(out, "<details>"), strings.Count(out, "</details>"), "a cut plan leaves a section open")
	assert.Zero(t, strings.Count(out, "```")%2, "a cut plan leaves a code block open")
}

func TestDecodeRefusesBrokenFiles(t *testing.T) {
	var good bytes.Buffer
	WriteJSON(&good, fixture(t))
	for _, tc := range []struct{ name, data, want string }{
		{"empty", "", "empty or truncated"},
		{"truncated", good.String()[:good.Len()/2], "empty or truncated"},
		{"not json", "plan: yes", "line 1"},
		{"unknown field", `{"format_version":1,"zones":[],"summary":{},"extra":1}`, `unknown field "extra"`},
		{"version", `{"format_version":2,"zones":[]}`, "format_version 2"},
		{"renumbered", strings.Replace(good.String(), `"seq": 2,`, `"seq": 7,`, 1), "numbered out of order"},
		{"bad action", strings.Replace(good.String(), `"action": "create"`, `"action": "upsert"`, 1), `unknown action "upsert"`},
		{"no digest", strings.Replace(good.String(), `"live_digest": "sha256:`, `"live_digest": "md5:`, 1), "lacks the live and spec digests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.data))
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
