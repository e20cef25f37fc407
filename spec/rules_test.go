package spec

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/yamlx"
)

// problems loads a spec of zone r.test at provider with the given records
// section and returns each problem as "line: message".
func problems(t *testing.T, provider, records string) []string {
	t.Helper()
	cfg, caps := corpusConfig()
	_, err := ParseZone("r.test.yaml", []byte("zone: r.test\nprovider: "+provider+"\nrecords:\n"+records), cfg, caps)
	if err == nil {
		return nil
	}
	var list yamlx.ErrorList
	require.True(t, errors.As(err, &list), "%v", err)
	var out []string
	for _, e := range list {
		out = append(out, e.Pos.String()[len("r.test.yaml:"):]+": "+e.Msg)
	}
	return out
}

// TestProviderValueRules: values a provider's API refuses are refused at
// validate, for that provider only.
func TestProviderValueRules(t *testing.T) {
	for _, tc := range []struct {
		name, records string
		want          []string
	}{
		{"empty TXT", "  x: [{type: TXT, value: ''}]\n",
			[]string{`4:26: x TXT: provider strict cannot hold a TXT record with empty text; write some text or remove the record`}},
		{"null MX", "  '@': [{type: MX, value: '0 .'}]\n",
			[]string{`4:27: @ MX: provider strict cannot hold a null MX ("0 .", RFC 7505): it does not take "." as the mail server`}},
		{"SRV to the root", "  _sip._tcp: [{type: SRV, value: '0 0 0 .'}]\n",
			[]string{`4:34: _sip._tcp SRV: provider strict cannot hold an SRV record whose target is "." (no such service, RFC 2782)`}},
		{"text and names", "  x: [{type: TXT, value: ' '}]\n  '@': [{type: MX, value: '0 mx.r.test.'}]\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, problems(t, "strict", tc.records))
			assert.Empty(t, problems(t, "local", tc.records), "a provider that takes them")
		})
	}
}

// TestDSPlacement: a DS record belongs at a delegation, never at the apex.
func TestDSPlacement(t *testing.T) {
	const ds = "{type: DS, value: '60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118'}"
	for _, tc := range []struct {
		name, records string
		want          []string
	}{
		{"at the apex", "  '@': [" + ds + "]\n",
			[]string{`4:9: DS at the zone apex: a zone's DS records belong in its parent zone (a zone file holding one does not load: "DS record at top of zone")`}},
		{"without NS", "  sub: [" + ds + "]\n",
			[]string{`4:9: DS at sub, where the spec has no NS records: a DS record belongs at a delegation, beside the child zone's NS records (servers drop it otherwise)`}},
		{"at a delegation", "  sub: [" + ds + ", {type: NS, value: ns1.example.net.}]\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, problems(t, "local", tc.records))
		})
	}
	// NS records zonesync leaves alone may make the delegation.
	cfg, caps := corpusConfig()
	_, err := ParseZone("r.test.yaml", []byte("zone: r.test\nprovider: local\nignore: [{name: sub, type: NS}]\nrecords:\n  sub: ["+ds+"]\n"), cfg, caps)
	assert.NoError(t, err)
}

// TestCNAMELoops: a chain of CNAMEs inside the zone that comes back on
// itself, through a wildcard or not, is refused once, at the first of its
// record sets.
func TestCNAMELoops(t *testing.T) {
	for _, tc := range []struct {
		name, records string
		want          []string
	}{
		{"to itself", "  a: [{type: CNAME, value: a.r.test.}]\n",
			[]string{`4:7: CNAME loop: a -> a; a resolver following it never gets an answer`}},
		{"two names", "  b: [{type: CNAME, value: a.r.test.}]\n  a: [{type: CNAME, value: b.r.test.}]\n",
			[]string{`5:7: CNAME loop: a -> b -> a; a resolver following it never gets an answer`}},
		{"a chain into a loop", "  c: [{type: CNAME, value: a.r.test.}]\n  a: [{type: CNAME, value: b.r.test.}]\n  b: [{type: CNAME, value: a.r.test.}]\n",
			[]string{`5:7: CNAME loop: a -> b -> a; a resolver following it never gets an answer`}},
		{"through a wildcard", "  '*.w': [{type: CNAME, value: x.r.test.}]\n  x: [{type: CNAME, value: y.w.r.test.}]\n",
			[]string{`4:11: CNAME loop: *.w -> x -> *.w; a resolver following it never gets an answer`}},
		{"a wildcard to a name under it", "  '*.w': [{type: CNAME, value: a.b.w.r.test.}]\n",
			[]string{`4:11: CNAME loop: *.w -> *.w; a resolver following it never gets an answer`}},
		{"a chain that ends", "  a: [{type: CNAME, value: b.r.test.}]\n  b: [{type: CNAME, value: c.r.test.}]\n  c: [{type: A, value: 192.0.2.1}]\n", nil},
		{"a chain out of the zone", "  a: [{type: CNAME, value: b.r.test.}]\n  b: [{type: CNAME, value: a.example.net.}]\n", nil},
		{"a name that exists stops the wildcard", "  '*.w': [{type: CNAME, value: y.w.r.test.}]\n  y.w: [{type: TXT, value: here}]\n", nil},
		{"an empty non-terminal stops the wildcard", "  '*': [{type: CNAME, value: w.r.test.}]\n  x.w: [{type: A, value: 192.0.2.1}]\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, problems(t, "local", tc.records))
		})
	}
}
