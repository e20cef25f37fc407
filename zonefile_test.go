package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
)

// These tests run zonesync on zone files BIND serves and check the files
// it writes with named-checkzone.

// zonefileProject lays out a project with the zonefile provider "local"
// (directory live/) and returns its zonesync.yaml.
func zonefileProject(t *testing.T, specs, live map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"zones", "live"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, sub), 0o755))
	}
	cfg := filepath.Join(dir, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("providers:\n  local:\n    type: zonefile\n    directory: ./live\nzones: zones/\n"), 0o644))
	for zone, data := range specs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", zone+".yaml"), []byte(data), 0o644))
	}
	for zone, data := range live {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "live", zone+".zone"), []byte(data), 0o644))
	}
	return cfg
}

// bindDump loads a zone file as BIND does, failing the test when BIND
// refuses it, and returns each record set's TTL by "name type". Without
// named-checkzone the test is skipped, unless CI=true, where it fails.
func bindDump(t *testing.T, zone, path string) map[string]uint32 {
	t.Helper()
	bin, err := exec.LookPath("named-checkzone")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("named-checkzone is not installed; CI must run the BIND checks")
		}
		t.Skip("named-checkzone is not installed")
	}
	out, err := exec.Command(bin, "-q", "-D", "-o", "-", zone, path).CombinedOutput()
	data, _ := os.ReadFile(path)
	require.NoError(t, err, "BIND refuses the zone file zonesync wrote:\n%s\n%s", out, data)
	ttls := map[string]uint32{}
	zp := dns.NewZoneParser(bytes.NewReader(out), zone+".", "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name, _ := model.RelativeName(rr.Header().Name, zone)
		ttls[name+" "+model.TypeName(rr.Header().Rrtype)] = rr.Header().Ttl
	}
	require.NoError(t, zp.Err())
	return ttls
}

// planJSON runs plan --format json and returns its operations by zone.
func planJSON(t *testing.T, cfg string) map[string][]*plan.Operation {
	t.Helper()
	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--format", "json")
	require.Equal(t, 0, code, "plan: %s%s", out, errOut)
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	ops := map[string][]*plan.Operation{}
	for _, z := range p.Zones {
		ops[z.Zone] = z.Operations
	}
	return ops
}

func requireNoChanges(t *testing.T, cfg string) {
	t.Helper()
	code, out, errOut := zonesync(t, "--config", cfg, "plan", "--detailed-exitcode")
	require.Equal(t, 0, code, "plan after apply:\n%s%s", out, errOut)
}

func requireApply(t *testing.T, cfg string) {
	t.Helper()
	code, out, errOut := zonesync(t, "--config", cfg, "apply")
	require.Equal(t, 0, code, "apply:\n%s%s", out, errOut)
}

const soaLine = "@ IN SOA ns1.example.net. hostmaster.ex.test. 1 7200 3600 1209600 300\n@ IN NS ns1.example.net.\n"

func TestUnknownTypeKeptByIgnoreRuleAndDeletableByType(t *testing.T) {
	cfg := zonefileProject(t, map[string]string{"ex.test": `zone: ex.test
provider: local
ttl: 300
ignore:
  - {name: x, type: TYPE65534}
records:
  www:
    - {type: A, value: 192.0.2.1}
  private:
    - {type: TYPE65280, value: '\# 3 ABCDEF'}
`}, map[string]string{"ex.test": "$TTL 300\n" + soaLine +
		"x 300 IN TYPE65534 \\# 4 0a000001\nfoo 300 IN TYPE65000 \\# 2 0102\n"})
	live := filepath.Join(filepath.Dir(cfg), "live", "ex.test.zone")

	var keys []string
	for _, op := range planJSON(t, cfg)["ex.test"] {
		keys = append(keys, string(op.Action)+" "+op.Name+" "+op.Type)
	}
	assert.ElementsMatch(t, []string{"create www A", "create private TYPE65280", "delete foo TYPE65000"}, keys)

	requireApply(t, cfg)
	ttls := bindDump(t, "ex.test", live)
	assert.Contains(t, ttls, "x TYPE65534", "the ignored record is kept")
	assert.Contains(t, ttls, "private TYPE65280")
	assert.NotContains(t, ttls, "foo TYPE65000")
	requireNoChanges(t, cfg)

	// import writes the types as the spec and the zone file spell them.
	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "ex.test")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "type: TYPE65534\n      value: \\# 4 0a000001\n")
	assert.Contains(t, out, "type: TYPE65280\n      value: \\# 3 abcdef\n")
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(cfg), "zones", "ex.test.yaml"), []byte(out), 0o644))
	code, out, errOut = zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, out+errOut)
	requireNoChanges(t, cfg)
}

func TestRecordsWithoutTTLKeepBINDsTTL(t *testing.T) {
	// No $TTL: BIND gives ftp and the NS the SOA's last field, 120.
	zoneFile := "@ IN SOA ns1.example.net. hostmaster.ex.test. 1 7200 3600 1209600 120\n@ IN NS ns1.example.net.\nwww 300 IN A 192.0.2.1\nftp IN A 192.0.2.2\n"
	cfg := zonefileProject(t, nil, map[string]string{"ex.test": zoneFile})
	dir := filepath.Dir(cfg)
	live := filepath.Join(dir, "live", "ex.test.zone")
	before := bindDump(t, "ex.test", live)
	require.Equal(t, uint32(120), before["ftp A"])

	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "ex.test")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "ttl: 120\n", "the spec's TTL is the one BIND serves")
	specFile := filepath.Join(dir, "zones", "ex.test.yaml")
	require.NoError(t, os.WriteFile(specFile, []byte(out+"  new:\n    - {type: TXT, value: unrelated}\n"), 0o644))

	for _, op := range planJSON(t, cfg)["ex.test"] {
		assert.Equal(t, "create new TXT", string(op.Action)+" "+op.Name+" "+op.Type, "the only change")
	}
	requireApply(t, cfg)
	after := bindDump(t, "ex.test", live)
	delete(after, "new TXT")
	assert.Equal(t, before, after, "TTLs BIND serves, before and after an unrelated apply")
	requireNoChanges(t, cfg)
}

func TestSignedZoneFileIsLeftToItsSigner(t *testing.T) {
	signed, err := os.ReadFile(filepath.Join("providers", "zonefile", "testdata", "signed", "nsec3.sig.test.zone"))
	require.NoError(t, err)
	cfg := zonefileProject(t, nil, map[string]string{"sig.test": string(signed)})
	dir := filepath.Dir(cfg)

	code, out, errOut := zonesync(t, "--config", cfg, "import", "--provider", "local", "--zone", "sig.test")
	require.Equal(t, 0, code, errOut)
	for _, signer := range []string{"RRSIG", "NSEC", "DNSKEY"} {
		assert.NotContains(t, out, "type: "+signer, "import writes the signer's records into the spec")
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", "sig.test.yaml"), []byte(out), 0o644))
	code, out, errOut = zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, out+errOut)
	assert.Empty(t, planJSON(t, cfg)["sig.test"], "the signer's records are planned")

	// A change to the zone's data keeps every signer's record in the file.
	f, err := os.OpenFile(filepath.Join(dir, "zones", "sig.test.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("  ftp:\n    - {type: A, value: 192.0.2.9}\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	requireApply(t, cfg)
	after, err := os.ReadFile(filepath.Join(dir, "live", "sig.test.zone"))
	require.NoError(t, err)
	for _, signer := range []string{"RRSIG", "NSEC3", "NSEC3PARAM", "DNSKEY"} {
		assert.Equal(t, countType(t, signed, signer), countType(t, after, signer), "%s records before and after", signer)
	}
	bindDump(t, "sig.test", filepath.Join(dir, "live", "sig.test.zone"))
	requireNoChanges(t, cfg)
}

// countType counts a zone file's records of one type.
func countType(t *testing.T, data []byte, rrtype string) int {
	t.Helper()
	n := 0
	zp := dns.NewZoneParser(bytes.NewReader(data), "sig.test.", "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if model.TypeName(rr.Header().Rrtype) == rrtype {
			n++
		}
	}
	require.NoError(t, zp.Err())
	return n
}

func TestSymlinkedZoneFileAndSpec(t *testing.T) {
	cfg := zonefileProject(t, nil, nil)
	dir := filepath.Dir(cfg)
	// The server loads bind/ex.test.zone, readable by its owner only; the
	// spec lives in a directory of its own.
	for _, sub := range []string{"bind", "common"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, sub), 0o755))
	}
	target := filepath.Join(dir, "bind", "ex.test.zone")
	require.NoError(t, os.WriteFile(target, []byte("$TTL 300\n"+soaLine), 0o600))
	require.NoError(t, os.Symlink("../bind/ex.test.zone", filepath.Join(dir, "live", "ex.test.zone")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "common", "ex.test.yaml"), []byte("zone: ex.test\nprovider: local\nttl: 300\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n"), 0o644))
	require.NoError(t, os.Symlink("../common/ex.test.yaml", filepath.Join(dir, "zones", "ex.test.yaml")))

	code, out, errOut := zonesync(t, "--config", cfg, "validate")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "1 zone spec valid")
	requireApply(t, cfg)

	info, err := os.Lstat(filepath.Join(dir, "live", "ex.test.zone"))
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&os.ModeSymlink, "the link became a file")
	info, err = os.Stat(target)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	assert.Contains(t, bindDump(t, "ex.test", target), "www A", "the file the server loads has the change")
	requireNoChanges(t, cfg)

	// A spec link to nothing is an error, never a zone without a spec.
	require.NoError(t, os.Remove(filepath.Join(dir, "common", "ex.test.yaml")))
	code, _, errOut = zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "ex.test.yaml is a symbolic link to ../common/ex.test.yaml, which cannot be read")
}

func TestCreatedZoneFileLoadsInBIND(t *testing.T) {
	cfg := zonefileProject(t, map[string]string{"new.test": `zone: new.test
provider: local
soa: {primary_ns: ns.example.net., admin_mail: hostmaster@new.test}
records:
  www:
    - {type: A, value: 192.0.2.1}
`}, nil)
	requireApply(t, cfg)
	ttls := bindDump(t, "new.test", filepath.Join(filepath.Dir(cfg), "live", "new.test.zone"))
	assert.Contains(t, ttls, "@ NS", "the created zone has apex NS records")
	requireNoChanges(t, cfg)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "live", "new.test.zone"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(data), "IN NS    ns.example.net."), "NS names the SOA's primary:\n%s", data)
}
