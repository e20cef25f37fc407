package zonefile

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// The tests in this file hold zone files to what BIND makes of them:
// named-checkzone reads the files zonesync reads and writes.

// checkzone returns the path of named-checkzone. Without it the test is
// skipped, unless CI=true, where it fails.
func checkzone(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("named-checkzone")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("named-checkzone is not installed; CI must run the BIND checks (apt-get install bind9-utils)")
		}
		t.Skip("named-checkzone is not installed")
	}
	return path
}

// bindLoad loads a zone file as BIND does and returns each record set's
// TTL as BIND gives it, by "name type"; it fails the test when BIND
// refuses the file.
func bindLoad(t *testing.T, zone, path string) map[string]uint32 {
	t.Helper()
	out, err := exec.Command(checkzone(t), "-q", "-D", "-o", "-", zone, path).CombinedOutput()
	require.NoError(t, err, "BIND refuses %s:\n%s\n%s", path, out, readFile(t, path))
	ttls := map[string]uint32{}
	zp := dns.NewZoneParser(bytes.NewReader(out), zone+".", "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name, _ := model.RelativeName(rr.Header().Name, zone)
		ttls[name+" "+model.TypeName(rr.Header().Rrtype)] = rr.Header().Ttl
	}
	require.NoError(t, zp.Err())
	return ttls
}

// bindRefuses runs named-checkzone on a file BIND must refuse and returns its output.
func bindRefuses(t *testing.T, zone, path string) string {
	t.Helper()
	out, err := exec.Command(checkzone(t), zone, path).CombinedOutput()
	require.Error(t, err, "BIND loads %s", path)
	return string(out)
}

// ourTTLs returns each record set's TTL as zonesync reads the file, the
// SOA's included, by "name type".
func ourTTLs(t *testing.T, zone, path string) map[string]uint32 {
	t.Helper()
	f, err := parse(zone, path, []byte(readFile(t, path)))
	require.NoError(t, err)
	ttls := map[string]uint32{"@ SOA": f.soaTTL}
	for k, rs := range f.sets {
		ttls[k.name+" "+k.rrtype] = rs.TTL
	}
	return ttls
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
}

func ttlPtr(v uint32) *uint32 { return &v }

// applyOK applies operations to a zone's file and fails on any error.
func applyOK(t *testing.T, p *Provider, zone string, ops ...*plan.Operation) {
	t.Helper()
	live, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	if err != nil {
		live = &model.Zone{Name: zone}
	}
	for i, err := range p.Apply(context.Background(), live, ops) {
		require.NoError(t, err, "operation %d", i+1)
	}
}

func TestTTLsAsBINDReadsThem(t *testing.T) {
	const soa = "@ IN SOA ns1.example.net. hostmaster.ex.test. 1 7200 3600 1209600 120\n"
	for _, tc := range []struct{ name, file string }{
		{"no $TTL: the SOA's minimum, also after an explicit TTL",
			soa + "@ IN NS ns1.example.net.\nwww 300 IN A 192.0.2.1\nftp IN A 192.0.2.2\n"},
		{"no $TTL, a TTL before the SOA: the last TTL given (RFC 1035)",
			"www 300 IN A 192.0.2.1\n" + soa + "@ IN NS ns1.example.net.\nftp IN A 192.0.2.2\n"},
		{"no $TTL, the SOA's own TTL carries on",
			"@ 60 IN SOA ns1.example.net. hostmaster.ex.test. 1 7200 3600 1209600 120\n@ IN NS ns1.example.net.\nwww 300 IN A 192.0.2.1\nftp IN A 192.0.2.2\n"},
		{"$TTL after the SOA's minimum took over",
			soa + "@ IN NS ns1.example.net.\n$TTL 900\nftp IN A 192.0.2.2\nwww 30 IN A 192.0.2.1\nmail IN A 192.0.2.3\n"},
		{"$TTL first",
			"$TTL 600\n" + soa + "@ IN NS ns1.example.net.\nwww 300 IN A 192.0.2.1\nftp IN A 192.0.2.2\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ex.test.zone")
			writeFile(t, path, tc.file)
			want := bindLoad(t, "ex.test", path)
			assert.Empty(t, cmp.Diff(want, ourTTLs(t, "ex.test", path)), "TTLs (-BIND +zonesync)")

			// An unrelated change keeps every TTL as BIND read it.
			p := New(filepath.Dir(path))
			applyOK(t, p, "ex.test", &plan.Operation{Action: plan.Create, Name: "new", Type: "TXT", After: &plan.State{TTL: ttlPtr(60), Values: []string{`"x"`}}})
			after := bindLoad(t, "ex.test", path)
			delete(after, "new TXT")
			assert.Empty(t, cmp.Diff(want, after), "TTLs after an apply (-before +after)")
		})
	}
}

func TestRecordWithoutAnyTTLIsRefusedAsBINDDoes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ex.test.zone")
	writeFile(t, path, "www IN A 192.0.2.1\n@ IN SOA ns1.example.net. hostmaster.ex.test. 1 7200 3600 1209600 120\n")
	assert.Contains(t, bindRefuses(t, "ex.test", path), "no TTL specified; zone rejected")
	_, err := parse("ex.test", path, []byte(readFile(t, path)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "www.ex.test. A has no TTL, and neither $TTL nor an earlier record gives one; BIND refuses such a file")
}

func TestUnknownTypesInRFC3597Form(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ex.test.zone")
	writeFile(t, path, `$TTL 300
@ IN SOA ns1.example.net. hostmaster.ex.test. 1 7200 3600 1209600 300
@ IN NS ns1.example.net.
x 300 IN TYPE65534 \# 4 0A000001
foo IN TYPE65000 \# 2 0102
`)
	p := New(dir)
	z, err := p.ReadZone(context.Background(), "ex.test", providers.ReadOptions{})
	require.NoError(t, err)
	require.NotNil(t, z.Find("x", "TYPE65534"), "records: %v", z.Records)
	assert.Equal(t, []string{`\# 4 0a000001`}, z.Find("x", "TYPE65534").Values)
	foo := z.Find("foo", "TYPE65000")
	require.NotNil(t, foo)

	// An unrelated change, then deleting foo by its type.
	applyOK(t, p, "ex.test",
		&plan.Operation{Action: plan.Create, Name: "www", Type: "A", After: &plan.State{TTL: ttlPtr(300), Values: []string{"192.0.2.1"}}},
		&plan.Operation{Action: plan.Create, Name: "y", Type: "TYPE65280", After: &plan.State{TTL: ttlPtr(60), Values: []string{`\# 0`}}},
		&plan.Operation{Action: plan.Delete, Name: "foo", Type: "TYPE65000", Before: &plan.State{TTL: &foo.TTL, Values: foo.Values}},
	)
	ttls := bindLoad(t, "ex.test", path)
	assert.Contains(t, ttls, "x TYPE65534")
	assert.Contains(t, ttls, "y TYPE65280")
	assert.NotContains(t, ttls, "foo TYPE65000")
	assert.Contains(t, readFile(t, path), `x      300 IN TYPE65534 \# 4 0a000001`)
	again, err := p.ReadZone(context.Background(), "ex.test", providers.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{`\# 4 0a000001`}, again.Find("x", "TYPE65534").Values)
	assert.Equal(t, []string{`\# 0`}, again.Find("y", "TYPE65280").Values)
}

// countTypes counts a zone file's records by type, as miekg/dns reads it.
func countTypes(t *testing.T, path string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	zp := dns.NewZoneParser(strings.NewReader(readFile(t, path)), "sig.test.", path)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		counts[model.TypeName(rr.Header().Rrtype)]++
	}
	require.NoError(t, zp.Err())
	return counts
}

func TestSignedZoneFile(t *testing.T) {
	for _, fixture := range []string{"nsec", "nsec3"} {
		t.Run(fixture, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "sig.test.zone")
			writeFile(t, path, readFile(t, filepath.Join("testdata", "signed", fixture+".sig.test.zone")))
			before := countTypes(t, path)
			require.Positive(t, before["RRSIG"])
			require.Positive(t, before["DNSKEY"])

			p := New(dir)
			z, err := p.ReadZone(context.Background(), "sig.test", providers.ReadOptions{})
			require.NoError(t, err)
			var keys []string
			for _, rs := range z.Records {
				keys = append(keys, rs.Key())
			}
			assert.Equal(t, []string{"@ NS", "alias CNAME", "www A"}, keys, "the live model holds the zone's data, not the signer's")

			// A change leaves every record of the signer's in the file.
			applyOK(t, p, "sig.test", &plan.Operation{Action: plan.Create, Name: "ftp", Type: "A", After: &plan.State{TTL: ttlPtr(300), Values: []string{"192.0.2.9"}}})
			after := countTypes(t, path)
			after["A"]--
			assert.Equal(t, before, after, "records by type before and after the apply")
			bindLoad(t, "sig.test", path)

			// The signer's records cannot be changed through a plan.
			errs := p.Apply(context.Background(), z, []*plan.Operation{{Action: plan.Create, Name: "@", Type: "DNSKEY", After: &plan.State{TTL: ttlPtr(300), Values: []string{"257 3 13 AAAA"}}}})
			require.Error(t, errs[0])
			assert.Contains(t, errs[0].Error(), "belongs to the zone's DNSSEC signer")
		})
	}
}

func TestUnsignedZoneKeepsItsDNSKEY(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ex.test.zone"), "@ 300 IN SOA ns1.example.net. hostmaster.ex.test. 1 7200 3600 1209600 300\n"+
		"@ 300 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n")
	z, err := New(dir).ReadZone(context.Background(), "ex.test", providers.ReadOptions{})
	require.NoError(t, err)
	assert.NotNil(t, z.Find("@", "DNSKEY"), "a DNSKEY in a zone nobody signs is data like any other")
}

func TestCreatedZoneLoadsInBIND(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spec   string
		wantNS string
	}{
		{
			name: "soa.primary_ns outside the zone, no apex NS declared",
			spec: `
soa: {primary_ns: ns.example.net.}
records:
  www:
    - {type: A, value: 192.0.2.1}
`,
			wantNS: "ns.example.net.",
		},
		{
			name: "default SOA, its name server's address declared",
			spec: `
records:
  ns1:
    - {type: A, value: 192.0.2.53}
`,
			wantNS: "ns1.new.test.",
		},
		{
			name: "apex NS declared",
			spec: `
records:
  "@":
    - {type: NS, values: [a.example.net., b.example.org.]}
`,
			wantNS: "a.example.net.|b.example.org.",
		},
	} {
		desired := specZone(t, "new.test", "ttl: 300\n"+tc.spec)
		check := func(t *testing.T, p *Provider) {
			ttls := bindLoad(t, "new.test", p.Path("new.test"))
			assert.Contains(t, ttls, "@ NS")
			z := readLive(t, p, "new.test")
			require.NotNil(t, z.Find("@", "NS"))
			assert.Equal(t, tc.wantNS, strings.Join(z.Find("@", "NS").Values, "|"))
		}
		// apply runs create_zone on its own (the rest depends on it), then
		// the SOA and records in one call.
		t.Run(tc.name+", through apply", func(t *testing.T) {
			p := New(t.TempDir())
			syncZone(t, p, desired)
			check(t, p)
			requireInSync(t, p, desired)
		})
		// Apply also takes the whole plan in one call.
		t.Run(tc.name+", one call", func(t *testing.T) {
			p := New(t.TempDir())
			zp := providertest.Plan(t, desired, nil, p.Capabilities())
			for i, err := range p.Apply(context.Background(), &model.Zone{Name: "new.test"}, zp.Operations) {
				require.NoError(t, err, "operation %d", i+1)
			}
			check(t, p)
			requireInSync(t, p, desired)
		})
	}
}

// The NS a new zone got for want of the spec's is a record like any other
// to a later plan: one that declares apex NS replaces it, also when the
// same provider created the zone.
func TestApexNSDeclaredAfterCreation(t *testing.T) {
	p := New(t.TempDir())
	syncZone(t, p, specZone(t, "new.test", "soa: {primary_ns: ns.example.net.}\n"))
	require.Equal(t, []string{"ns.example.net."}, readLive(t, p, "new.test").Find("@", "NS").Values)

	declared := specZone(t, "new.test", "soa: {primary_ns: ns.example.net.}\nrecords:\n  \"@\":\n    - {type: NS, values: [a.example.net., b.example.org.]}\n")
	syncZone(t, p, declared)
	requireInSync(t, p, declared)
	bindLoad(t, "new.test", p.Path("new.test"))
	assert.Equal(t, []string{"a.example.net.", "b.example.org."}, readLive(t, p, "new.test").Find("@", "NS").Values)
}
