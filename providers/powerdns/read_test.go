package powerdns

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	zsmodel "github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

type (
	obj = map[string]any
	arr = []map[string]any
)

// patchDirect changes a zone as another client of the API would.
func patchDirect(t *testing.T, srv *pdnstest.Server, zone string, rrsets ...obj) {
	t.Helper()
	srv.MustDo(t, 204, "PATCH", "/api/v1/servers/localhost/zones/"+zone+".", obj{"rrsets": rrsets}, nil)
}

// rrsetOf reads one RRset straight from the server's API.
func rrsetOf(t *testing.T, srv *pdnstest.Server, zone, owner, rrtype string) *wireRRset {
	t.Helper()
	var z wireZone
	srv.MustDo(t, 200, "GET", "/api/v1/servers/localhost/zones/"+zone+".", nil, &z)
	for i := range z.RRsets {
		if z.RRsets[i].Name == owner && z.RRsets[i].Type == rrtype {
			return &z.RRsets[i]
		}
	}
	return nil
}

// TestDisabledRecordsAndComments: disabled records and comments are the
// server's state zonesync leaves alone. They are not in the live model,
// cause no diff, survive updates of their RRset and its delete (which
// keeps the disabled records, and so the comments), and a set of
// disabled records only is no set at all.
func TestDisabledRecordsAndComments(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	p := newProvider(t, srv)
	www, off, note := "www."+zone+".", "off."+zone+".", "note."+zone+"."
	patchDirect(t, srv, zone,
		obj{"name": www, "type": "A", "ttl": 300, "changetype": "REPLACE",
			"records":  arr{{"content": "192.0.2.1", "disabled": false}, {"content": "192.0.2.66", "disabled": true}},
			"comments": arr{{"content": "66 is the spare", "account": "ops"}}},
		obj{"name": off, "type": "A", "ttl": 300, "changetype": "REPLACE",
			"records": arr{{"content": "192.0.2.77", "disabled": true}}},
		obj{"name": note, "type": "TXT", "changetype": "REPLACE",
			"comments": arr{{"content": "a comment without records", "account": "ops"}}},
	)

	live := read(t, p, zone)
	require.NotNil(t, live.Find("www", "A"))
	assert.Equal(t, []string{"192.0.2.1"}, live.Find("www", "A").Values, "disabled records are not live values")
	assert.Nil(t, live.Find("off", "A"), "a set of disabled records only")
	assert.Nil(t, live.Find("note", "TXT"), "a set of comments only")

	// A spec that matches what is served plans nothing.
	desired := zoneOf(t, zone, "www A 300 192.0.2.1")
	assert.Empty(t, mustPlan(t, p, desired, live).Operations)

	// An update keeps the disabled record and the comment.
	mustSync(t, p, zoneOf(t, zone, "www A 300 192.0.2.2", "off A 300 192.0.2.78"))
	got := rrsetOf(t, srv, zone, www, "A")
	require.NotNil(t, got)
	assert.ElementsMatch(t, []wireRecord{{Content: "192.0.2.2"}, {Content: "192.0.2.66", Disabled: true}}, got.Records)
	assert.Equal(t, []wireComment{{Content: "66 is the spare", Account: "ops"}}, got.Comments)
	got = rrsetOf(t, srv, zone, off, "A")
	assert.ElementsMatch(t, []wireRecord{{Content: "192.0.2.78"}, {Content: "192.0.2.77", Disabled: true}}, got.Records)

	// A delete leaves the disabled record, and the comment with it.
	mustSync(t, p, zoneOf(t, zone, "off A 300 192.0.2.78"))
	got = rrsetOf(t, srv, zone, www, "A")
	require.NotNil(t, got, "the delete removed the disabled record")
	assert.Equal(t, []wireRecord{{Content: "192.0.2.66", Disabled: true}}, got.Records)
	assert.Len(t, got.Comments, 1)
	assert.NotNil(t, rrsetOf(t, srv, zone, note, "TXT"), "the comment-only set")

	// A spec asking for a value a disabled record holds enables it.
	mustSync(t, p, zoneOf(t, zone, "off A 300 192.0.2.77"))
	got = rrsetOf(t, srv, zone, off, "A")
	assert.Equal(t, []wireRecord{{Content: "192.0.2.77"}}, got.Records)
}

// TestReadNamesAndContent: names and targets come with trailing dots and
// TXT quoted on the wire; the model has relative names and canonical
// values, PowerDNS's own types are left out, and masters are sorted.
func TestReadNamesAndContent(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	p := newProvider(t, srv)
	patchDirect(t, srv, zone,
		obj{"name": "Mixed." + zone + ".", "type": "MX", "ttl": 60, "changetype": "REPLACE",
			"records": arr{{"content": "10 MAIL." + zone + ".", "disabled": false}}},
		obj{"name": "t." + zone + ".", "type": "TXT", "ttl": 60, "changetype": "REPLACE",
			"records": arr{{"content": `"two" "strings"`, "disabled": false}, {"content": `"say \"hi\""`, "disabled": false}}},
		obj{"name": "alias." + zone + ".", "type": "ALIAS", "ttl": 60, "changetype": "REPLACE",
			"records": arr{{"content": "example.net.", "disabled": false}}},
	)
	live := read(t, p, zone)
	var keys []string
	for _, rs := range live.Records {
		keys = append(keys, rs.Key())
	}
	assert.Equal(t, []string{"@ NS", "mixed MX", "t TXT"}, keys, "ALIAS is PowerDNS's own type")
	assert.Equal(t, []string{"10 mail." + zone + "."}, live.Find("mixed", "MX").Values)
	assert.Equal(t, []string{`"say \"hi\""`, `"two" "strings"`}, live.Find("t", "TXT").Values)
	assert.Equal(t, zsmodel.Master, live.Mode)
	require.NotNil(t, live.SOA)
	assert.Equal(t, "hostmaster@"+zone, live.SOA.AdminMail)
}

// TestCanonicalValueShortWay: the short way gives what miekg/dns's parse
// gives, for contents as PowerDNS writes them and odd ones.
func TestCanonicalValueShortWay(t *testing.T) {
	owner := "x.example.com."
	for _, tc := range []struct{ rrtype, content string }{
		{"A", "192.0.2.1"}, {"AAAA", "2001:DB8::1"}, {"AAAA", "::ffff:c000:201"}, {"AAAA", "::ffff:192.0.2.1"},
		{"CNAME", "Target.Example.COM."}, {"NS", "ns1.example.com."}, {"PTR", "host.example.com."},
		{"MX", "10 Mail.example.com."}, {"MX", "0 ."},
		{"TXT", `"plain text"`}, {"TXT", `"two" "strings"`}, {"TXT", `"say \"hi\""`}, {"TXT", `"tab\009here"`},
		{"TXT", `""`}, {"SPF", `"v=spf1 -all"`}, {"TXT", `"caf\195\169"`},
	} {
		got, err := canonicalValue(owner, tc.rrtype, tc.content)
		require.NoError(t, err, tc.content)
		rr, err := zsmodel.NewRR(owner, 0, tc.rrtype, tc.content)
		require.NoError(t, err, tc.content)
		assert.Equal(t, zsmodel.CanonicalRR(rr), got, "%s %s", tc.rrtype, tc.content)
	}
}
