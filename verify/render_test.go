package verify

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./verify -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs from the golden file", name)
}

func serialOf(n uint32) *uint32 { return &n }

// fixture is a report with every state, a zone that could not be
// verified, and text that markdown must escape.
func fixture() *Report {
	r := &Report{FormatVersion: FormatVersion, TimedOut: true, ElapsedMS: 30012, Zones: []*ZoneReport{
		{Zone: "example.com", NSFrom: "apex", Serial: 2026113002, SerialFrom: "provider", Checked: 3, Rounds: 7, Servers: []*Server{
			{Name: "ns-gone.example.net.", State: Unreachable, Detail: "ns-gone.example.net. does not resolve (NXDOMAIN)"},
			{Name: "ns1.example.net.", Address: "192.0.2.53", Serial: serialOf(2026113002), State: InSync},
			{Name: "ns1.example.net.", Address: "2001:db8::53", Serial: serialOf(2026113002), State: InSync},
			{Name: "ns2.example.net.", Address: "198.51.100.53", Serial: serialOf(2026113001), State: Behind, Detail: "serial 2026113001, expected 2026113002"},
			{Name: "ns3.example.net.", Address: "203.0.113.53", Serial: serialOf(2026113002), State: WrongAnswer,
				Detail: "2 record sets differ from the spec: www A, _sip._udp SRV",
				Differences: []Difference{
					{Name: "www", Type: "A", Want: &RRSet{TTL: 300, Values: []string{"192.0.2.20"}}, Got: &RRSet{TTL: 600, Values: []string{"192.0.2.20", "192.0.2.21"}}},
					{Name: "_sip._udp", Type: "SRV", Want: nil, Got: &RRSet{TTL: 3600, Values: []string{"0 5 5060 sip.example.com."}}},
				}},
			{Name: "ns4.example.net.", Address: "203.0.113.54", State: Lame, Detail: "answers REFUSED for example.com: it does not serve the zone"},
		}},
		{Zone: "example.org", NSFrom: "parent", Serial: 7, SerialFrom: "highest seen", Checked: 0, Rounds: 1, Servers: []*Server{
			{Name: "ns1.example.net.", Address: "192.0.2.53", Serial: serialOf(7), State: InSync},
		}},
		{Zone: "new.example", NSFrom: "apex", Servers: []*Server{}, Error: "zone new.example is not in the DNS: the resolver answers NXDOMAIN (is it delegated yet?)"},
	}}
	r.summarize()
	return r
}

func TestRenderGolden(t *testing.T) {
	var text, md, js bytes.Buffer
	require.NoError(t, WriteText(&text, fixture()))
	golden(t, "report.txt", text.Bytes())
	require.NoError(t, WriteMarkdown(&md, fixture(), MarkdownOptions{Marker: "zonesync.yaml"}))
	golden(t, "report.md", md.Bytes())
	require.NoError(t, WriteJSON(&js, fixture()))
	golden(t, "report.json", js.Bytes())

	var back Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, fixture(), &back, "the JSON report reads back as it was")
}

func TestSummaryLine(t *testing.T) {
	assert.Equal(t, "Verified 3 zones at 7 server addresses: 3 in sync, 1 behind, 1 wrong answer, 1 unreachable, 1 lame, 1 zone not checked; still so when the timeout passed (30s).",
		fixture().SummaryLine())
	inSync := &Report{ElapsedMS: 1234, Zones: []*ZoneReport{{Zone: "a.test", Servers: []*Server{{Name: "ns.", Address: "192.0.2.1", State: InSync}}}}}
	inSync.summarize()
	assert.Equal(t, "Verified 1 zone at 1 server address: all in sync (1.2s).", inSync.SummaryLine())
	assert.Equal(t, 0, inSync.ExitCode())
	empty := &Report{}
	empty.summarize()
	assert.Equal(t, "Nothing to verify.", empty.SummaryLine())
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, empty))
	assert.True(t, strings.Contains(b.String(), `"zones": []`), b.String())
}
