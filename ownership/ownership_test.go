package ownership

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

func TestName(t *testing.T) {
	long := strings.Repeat("l", 60) + "." + strings.Repeat("m", 60) + "." + strings.Repeat("n", 60)
	for _, tc := range []struct {
		name, rrtype, want string
	}{
		{"@", "A", "a._zonesync"},
		{"www", "A", "www.a._zonesync"},
		{"www", "AAAA", "www.aaaa._zonesync"},
		{"a.b.c", "MX", "a.b.c.mx._zonesync"},
		{"_sip._tcp", "SRV", "_sip._tcp.srv._zonesync"},
		{"*", "A", "a-wild._zonesync"},
		{"*.dyn", "CNAME", "dyn.cname-wild._zonesync"},
		{"sub", "NS", "sub.ns._zonesync"},
		{"x", "TYPE65280", "x.type65280._zonesync"},
		// A name that fits with its marker suffix keeps it.
		{long, "A", long + ".a._zonesync"},
	} {
		got, err := Name("example.com", tc.name, tc.rrtype)
		require.NoError(t, err, "%s %s", tc.name, tc.rrtype)
		assert.Equal(t, tc.want, got, "%s %s", tc.name, tc.rrtype)
		_, ok := dns.IsDomainName(model.FQDN(got, "example.com"))
		assert.True(t, ok, "%s is a domain name", got)
		assert.True(t, Reserved(got))
	}
}

func TestNameHashesWhatWouldPassTheLimits(t *testing.T) {
	zone := "example.com"
	// 4 labels of 60 plus the zone: a valid name, but not with ".a._zonesync".
	name := strings.Repeat("h", 60) + "." + strings.Repeat("i", 60) + "." + strings.Repeat("j", 60) + "." + strings.Repeat("k", 55)
	_, ok := dns.IsDomainName(model.FQDN(name, zone))
	require.True(t, ok, "the test name itself fits")
	got, err := Name(zone, name, "A")
	require.NoError(t, err)
	label, rest, _ := strings.Cut(got, ".")
	assert.Equal(t, "a-hash._zonesync", rest)
	assert.Len(t, label, 26)
	assert.Equal(t, strings.ToLower(label), label)
	again, _ := Name(zone, name, "A")
	assert.Equal(t, got, again, "the hashed name is the same on every run")
	other, _ := Name(zone, name[:len(name)-1]+"x", "A")
	assert.NotEqual(t, got, other, "another name, another hash")
	wild, _ := Name(zone, "*."+name[2:], "A")
	assert.True(t, strings.HasSuffix(wild, ".a-hash._zonesync"), "a long wildcard is hashed, not a wildcard: %s", wild)
	assert.NotContains(t, wild, "*")

	_, _, hash, ok := markedBy(got)
	assert.True(t, ok)
	assert.Equal(t, label, hash)
}

func TestNameFailsWhereTheZoneLeavesNoRoom(t *testing.T) {
	zone := strings.Repeat("z", 60) + "." + strings.Repeat("y", 60) + "." + strings.Repeat("x", 60) + "." + strings.Repeat("w", 40) + ".test"
	_, err := Name(zone, "www", "A")
	assert.NoError(t, err, "a short name still fits")
	_, err = Name(zone, strings.Repeat("v", 20), "AAAA")
	assert.ErrorContains(t, err, "leaves no room for the ownership marker")
}

// TestNamesReadBack: every marker name reads back as the one set it marks,
// so no two sets share a marker.
func TestNamesReadBack(t *testing.T) {
	seen := map[string]string{}
	for _, name := range []string{"@", "*", "www", "*.www", "www.a", "a.www", "a-wild", "x.a-wild", "_wild", "a", "mx", "_zonesync-a", "wild.x"} {
		for _, rrtype := range []string{"A", "MX", "TXT", "CNAME", "TYPE65280"} {
			m, err := Name("example.com", name, rrtype)
			require.NoError(t, err)
			gotName, gotType, hash, ok := markedBy(m)
			require.True(t, ok, m)
			assert.Empty(t, hash)
			assert.Equal(t, name, gotName, m)
			assert.Equal(t, rrtype, gotType, m)
			if prev, dup := seen[m]; dup {
				t.Errorf("%s %s and %s share the marker %s", name, rrtype, prev, m)
			}
			seen[m] = name + " " + rrtype
		}
	}
	for _, notMarker := range []string{"_zonesync", "www._zonesync2", "www.nosuchtype._zonesync", "www.a-odd._zonesync", "x.y.a-hash._zonesync", "www"} {
		_, _, _, ok := markedBy(notMarker)
		assert.False(t, ok, notMarker)
	}
}

func TestValue(t *testing.T) {
	assert.Equal(t, "v=zonesync1 owner=git:dns-repo", Text("git:dns-repo"))
	assert.Equal(t, `"v=zonesync1 owner=git:dns-repo"`, Value("git:dns-repo"))
	for _, tc := range []struct {
		text string
		want Marker
		ok   bool
	}{
		{"v=zonesync1 owner=git:dns-repo", Marker{1, "git:dns-repo"}, true},
		{"v=zonesync1  owner=a   extra=1", Marker{1, "a"}, true},
		{"v=zonesync2 owner=k8s/prod flags=x", Marker{2, "k8s/prod"}, true},
		{"v=zonesync1", Marker{1, ""}, true},
		{"v=zonesync01 owner=a", Marker{}, false},
		{"v=zonesync owner=a", Marker{}, false},
		{"v=zonesync0 owner=a", Marker{}, false},
		{"heritage=external-dns,external-dns/owner=default", Marker{}, false},
		{"", Marker{}, false},
	} {
		got, ok := ParseText(tc.text)
		assert.Equal(t, tc.ok, ok, tc.text)
		assert.Equal(t, tc.want, got, tc.text)
	}
	m, ok := ParseValue(Value("team@corp"))
	assert.True(t, ok)
	assert.Equal(t, Marker{Version, "team@corp"}, m)
}

func TestOwnerProblem(t *testing.T) {
	for _, good := range []string{"git:dns-repo", "k8s/prod", "team@corp", "a", "A.b_c+d-e", strings.Repeat("x", 64)} {
		assert.Empty(t, OwnerProblem(good), good)
	}
	for _, bad := range []string{"", "two words", `quo"te`, "semi;colon", "ünïcode", strings.Repeat("x", 65), "a,b", "a=b"} {
		assert.NotEmpty(t, OwnerProblem(bad), bad)
	}
}

func set(t *testing.T, name, rrtype string, values ...string) *model.RecordSet {
	t.Helper()
	rs, err := model.NewRecordSet(name, rrtype, 300, values...)
	require.NoError(t, err)
	return rs
}

func TestReadClaims(t *testing.T) {
	live := Read("example.com", []*model.RecordSet{
		set(t, "www", "A", "192.0.2.1"),
		set(t, "www.a._zonesync", "TXT", "v=zonesync1 owner=git:dns-repo"),
		set(t, "api", "A", "192.0.2.2"),
		set(t, "api.a._zonesync", "TXT", "v=zonesync1 owner=git:platform"),
		set(t, "both", "A", "192.0.2.3"),
		set(t, "both.a._zonesync", "TXT", "v=zonesync1 owner=git:dns-repo", "v=zonesync1 owner=git:platform"),
		set(t, "future", "A", "192.0.2.4"),
		set(t, "future.a._zonesync", "TXT", "v=zonesync7 owner=git:dns-repo"),
		set(t, "junk", "A", "192.0.2.5"),
		set(t, "junk.a._zonesync", "TXT", "hello"),
		set(t, "loose", "A", "192.0.2.6"),
		// external-dns, old format: the TXT beside the record.
		set(t, "old", "A", "192.0.2.7"),
		set(t, "old", "TXT", "heritage=external-dns,external-dns/owner=k8s,external-dns/resource=ingress/default/old"),
		// external-dns, new format: <type>-<name>.
		set(t, "app", "CNAME", "lb.example.net."),
		set(t, "cname-app", "TXT", "heritage=external-dns,external-dns/owner=k8s"),
		// external-dns, metadata format.
		set(t, "meta", "AAAA", "2001:db8::1"),
		set(t, "aaaa._metadata.meta", "TXT", "heritage=external-dns,external-dns/owner=edge"),
		// octoDNS.
		set(t, "octo", "MX", "10 mx.example.net."),
		set(t, "_owner.mx.octo", "TXT", "*octodns*"),
		set(t, "@", "A", "192.0.2.8"),
		set(t, "_owner.a", "TXT", "*octodns*"),
	})
	owner := "git:dns-repo"
	for _, tc := range []struct {
		name, rrtype string
		want         Claim
		owns         bool
		text         string
	}{
		{"www", "A", Claim{Kind: Zonesync, Owner: owner, Version: 1}, true, "owner git:dns-repo"},
		{"api", "A", Claim{Kind: Zonesync, Owner: "git:platform", Version: 1}, false, "owner git:platform"},
		{"both", "A", Claim{Kind: Zonesync, Owner: "git:dns-repo, git:platform", Version: 1, Several: true}, false, "several zonesync owners (git:dns-repo, git:platform)"},
		{"future", "A", Claim{Kind: Zonesync, Owner: owner, Version: 7}, false, "owner git:dns-repo, in marker format zonesync7, newer than this zonesync reads"},
		{"junk", "A", Claim{Kind: Unmarked}, false, "no marker"},
		{"loose", "A", Claim{Kind: Unmarked}, false, "no marker"},
		{"old", "A", Claim{Kind: ExternalDNS, Owner: "k8s"}, false, "external-dns (owner k8s)"},
		{"app", "CNAME", Claim{Kind: ExternalDNS, Owner: "k8s"}, false, "external-dns (owner k8s)"},
		{"meta", "AAAA", Claim{Kind: ExternalDNS, Owner: "edge"}, false, "external-dns (owner edge)"},
		{"octo", "MX", Claim{Kind: OctoDNS}, false, "octoDNS"},
		{"@", "A", Claim{Kind: OctoDNS}, false, "octoDNS"},
	} {
		got := live.ClaimOf(tc.name, tc.rrtype)
		assert.Equal(t, tc.want, got, "%s %s", tc.name, tc.rrtype)
		assert.Equal(t, tc.owns, got.Owns(owner), "%s %s", tc.name, tc.rrtype)
		assert.Equal(t, tc.text, got.String(), "%s %s", tc.name, tc.rrtype)
	}

	for _, tc := range []struct {
		name, rrtype    string
		markName, marks string
		claim           Kind
		isMarker        bool
	}{
		{"www.a._zonesync", "TXT", "www", "A", Zonesync, true},
		{"junk.a._zonesync", "TXT", "junk", "A", Unmarked, true},
		{"old", "TXT", "", "", ExternalDNS, true},
		{"cname-app", "TXT", "", "", ExternalDNS, true},
		{"_owner.mx.octo", "TXT", "", "", OctoDNS, true},
		{"www", "A", "", "", "", false},
	} {
		name, rrtype, c, ok := live.MarkerRole(live.Set(tc.name, tc.rrtype))
		assert.Equal(t, tc.isMarker, ok, tc.name)
		assert.Equal(t, tc.markName, name, tc.name)
		assert.Equal(t, tc.marks, rrtype, tc.name)
		assert.Equal(t, tc.claim, c.Kind, tc.name)
	}
}
