package main

// zonesync verify and apply --verify against a real named: it serves the
// parent zone test. (the server's own name, ns1.test., and the
// delegations) and the zones zonesync applies to with RFC 2136, signed
// with a TSIG key. The tests' resolver is that named too.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/namedtest"
	"github.com/zonesync/zonesync/internal/testproc"
	"github.com/zonesync/zonesync/verify"
)

// dnsProject is a named serving zones, and a project applying to them.
type dnsProject struct {
	srv    *namedtest.Server
	secret string
	config string
}

// startDNSProject starts named with zones (empty but for SOA and NS) and
// writes a project whose provider "ns" is that named.
func startDNSProject(tb testing.TB, zones ...string) *dnsProject {
	tb.Helper()
	return startDNSProjectWith(tb, noSecondary, zones...)
}

// secondaryKind says whether a project's zones have a secondary server.
type secondaryKind int

const (
	noSecondary secondaryKind = iota
	// staleSecondary is never notified: it stays behind once a zone changes.
	staleSecondary
	// notifiedSecondary is notified of every change, as in production.
	notifiedSecondary
	// quickSecondary is notifiedSecondary with BIND's rate limits on
	// NOTIFY and on the secondary's SOA queries (20 a second each by
	// default) raised to 1000 a second.
	quickSecondary
)

// startDNSProjectWith also starts, unless noSecondary, a second named on
// [::1] and the same port: ns2.test., a secondary of every zone.
func startDNSProjectWith(tb testing.TB, kind secondaryKind, zones ...string) *dnsProject {
	tb.Helper()
	secondary := kind != noSecondary
	p := &dnsProject{secret: namedtest.Secret(32)}
	nsSet := "@ NS ns1.test.\n"
	parent := "$TTL 3600\n@ SOA ns1.test. hostmaster.test. 1 7200 3600 1209600 300\n@ NS ns1.test.\nns1 A 127.0.0.1\n"
	cfg := namedtest.Config{Keys: []namedtest.Key{{Name: "zonesync-key", Algorithm: "hmac-sha256", Secret: p.secret}}}
	if secondary {
		nsSet += "@ NS ns2.test.\n"
		parent += "ns2 AAAA ::1\n"
		port, err := testproc.FreePort("127.0.0.1", "::1")
		if err != nil {
			tb.Skipf("no port free on 127.0.0.1 and ::1 (is IPv6 off on this host?): %v", err)
		}
		cfg.Port = port
	}
	acl := `check-names ignore; check-integrity no; allow-update { key "zonesync-key"; }; allow-transfer { key "zonesync-key"; 127.0.0.1; ::1; };`
	if kind == notifiedSecondary || kind == quickSecondary {
		cfg.Options = "notify-delay 0;"
		if kind == quickSecondary {
			cfg.Options += " notify-rate 1000;"
		}
		acl += fmt.Sprintf(" notify explicit; also-notify { ::1 port %d; };", cfg.Port)
	}
	for _, z := range zones {
		parent += fmt.Sprintf("%s. NS ns1.test.\n", z)
		cfg.Zones = append(cfg.Zones, namedtest.Zone{Name: z, Statements: acl,
			Data: fmt.Sprintf("$TTL 3600\n@ SOA ns1.test. hostmaster.%s. 1 7200 3600 1209600 300\n%s", z, nsSet)})
	}
	cfg.Zones = append(cfg.Zones, namedtest.Zone{Name: "test", Data: parent, Statements: "check-integrity no;"})
	p.srv = namedtest.StartT(tb, cfg)
	if secondary {
		sec := namedtest.Config{Addresses: []string{"::1"}, Port: p.srv.Port,
			Options: "min-refresh-time 86400; max-refresh-time 86400; min-retry-time 86400; max-retry-time 86400;"}
		if kind == quickSecondary {
			sec.Options += " serial-query-rate 1000;"
		}
		for _, z := range zones {
			sec.Zones = append(sec.Zones, namedtest.Zone{Name: z, Type: "secondary",
				Statements: fmt.Sprintf("check-names ignore; primaries { 127.0.0.1 port %d; }; allow-notify { any; };", p.srv.Port)})
		}
		s := namedtest.StartT(tb, sec)
		for _, z := range zones {
			require.NoError(tb, s.WaitSerial(z, 1))
		}
	}
	dir := tb.TempDir()
	require.NoError(tb, os.MkdirAll(filepath.Join(dir, "zones"), 0o755))
	p.config = filepath.Join(dir, "zonesync.yaml")
	require.NoError(tb, os.WriteFile(p.config, []byte("providers:\n  ns:\n    type: rfc2136\n    server: "+p.srv.Addr+
		"\n    tsig: {name: zonesync-key, secret: \"${TSIG_SECRET}\"}\nconcurrency: 4\n"), 0o644))
	return p
}

// writeSpec writes a zone's spec with the records given as YAML lines.
func (p *dnsProject) writeSpec(tb testing.TB, zone, records string) {
	tb.Helper()
	body := "zone: " + zone + "\nprovider: ns\nttl: 3600\nrecords:\n" + records
	require.NoError(tb, os.WriteFile(filepath.Join(filepath.Dir(p.config), "zones", zone+".yaml"), []byte(body), 0o644))
}

// flags point verify at the named, as resolver and server.
func (p *dnsProject) flags(prefix string) []string {
	return []string{"--" + prefix + "resolver", p.srv.Addr, "--" + prefix + "dns-port", strconv.Itoa(p.srv.Port)}
}

// update changes a zone behind zonesync's back.
func (p *dnsProject) update(t *testing.T, zone string, rrs ...string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	for _, s := range rrs {
		rr, err := dns.NewRR(s)
		require.NoError(t, err)
		m.RemoveRRset([]dns.RR{rr})
		m.Insert([]dns.RR{rr})
	}
	m.SetTsig("zonesync-key.", dns.HmacSHA256, 300, time.Now().Unix())
	c := &dns.Client{Net: "tcp", Timeout: 5 * time.Second, TsigSecret: map[string]string{"zonesync-key.": p.secret}}
	r, _, err := c.Exchange(m, p.srv.Addr)
	require.NoError(t, err)
	require.Equal(t, dns.RcodeSuccess, r.Rcode)
}

func TestApplyVerifyAgainstNamed(t *testing.T) {
	p := startDNSProject(t, "a.test", "b.test")
	t.Setenv("TSIG_SECRET", p.secret)
	p.writeSpec(t, "a.test", "  www:\n    - {type: A, ttl: 300, values: [192.0.2.1, 192.0.2.2]}\n  mail:\n    - {type: MX, value: 10 mx.a.test.}\n  mx:\n    - {type: A, value: 192.0.2.25}\n")
	p.writeSpec(t, "b.test", "  www:\n    - {type: CNAME, value: www.a.test.}\n")

	code, out, errOut := zonesync(t, append([]string{"--config", p.config, "apply", "--auto-approve", "--verify"}, p.flags("verify-")...)...)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	assert.Contains(t, out, "Applied 4 of 4 operations: 4 ok")
	assert.Regexp(t, `zone a.test: servers from the apex NS set; expected serial \d+ \(highest seen\); 3 record sets checked\n`+
		`  SERVER     ADDRESS    SERIAL +STATE    DETAIL\n  ns1.test.  127.0.0.1  \d+ +in sync\n`, out)
	assert.Contains(t, out, "zone b.test: servers from the apex NS set")
	assert.Contains(t, out, "Verified 2 zones at 2 server addresses: all in sync")

	// On its own, verify checks every record set of the specs; from the
	// parent's delegation the servers are the same.
	code, out, errOut = zonesync(t, append([]string{"--config", p.config, "verify", "--from-parent", "--format", "json"}, p.flags("")...)...)
	require.Equal(t, 0, code, "%s%s", out, errOut)
	var rep verify.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.Len(t, rep.Zones, 2)
	assert.Equal(t, "parent", rep.Zones[0].NSFrom)
	assert.Equal(t, 3, rep.Zones[0].Checked)
	assert.Equal(t, verify.Summary{Zones: 2, Servers: 2, InSync: 2}, rep.Summary)

	// A change behind zonesync's back is a wrong answer (exit 1), named
	// with what the server serves and what the spec has.
	p.update(t, "a.test", "www.a.test. 300 IN A 192.0.2.9")
	code, out, _ = zonesync(t, append([]string{"--config", p.config, "verify", "--zone", "a.test", "--timeout", "0"}, p.flags("")...)...)
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "wrong answer  1 record set differs from the spec: www A\n")
	assert.Contains(t, out, "  ns1.test. at 127.0.0.1 serves:\n    www A: ttl 300 192.0.2.9; the spec has ttl 300 192.0.2.1, 192.0.2.2\n")
	assert.Contains(t, out, "Verified 1 zone at 1 server address: 1 wrong answer; still so when the timeout passed")

	// A saved plan: verify checks only what it changes.
	planFile := filepath.Join(t.TempDir(), "plan.json")
	code, _, errOut = zonesync(t, "--config", p.config, "plan", "-out", planFile)
	require.Equal(t, 0, code, errOut)
	code, out, _ = zonesync(t, append([]string{"--config", p.config, "verify", "--plan", planFile, "--timeout", "0"}, p.flags("")...)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "zone a.test: servers from the apex NS set; expected serial")
	assert.Contains(t, out, "; 1 record set checked\n")
	assert.NotContains(t, out, "zone b.test", "the plan does not change b.test")

	// apply --verify repairs it; the JSON report carries both.
	code, out, errOut = zonesync(t, append([]string{"--config", p.config, "apply", planFile, "--verify", "--format", "json"}, p.flags("verify-")...)...)
	require.Equal(t, 0, code, "%s%s", out, errOut)
	var both struct {
		Summary struct{ OK int }
		Verify  verify.Report
	}
	require.NoError(t, json.Unmarshal([]byte(out), &both), out)
	assert.Equal(t, 1, both.Summary.OK)
	require.Len(t, both.Verify.Zones, 1)
	assert.Equal(t, "a.test", both.Verify.Zones[0].Zone)
	assert.Equal(t, verify.InSync, both.Verify.Zones[0].Servers[0].State)
	assert.True(t, strings.HasPrefix(out, "{\n  \"zones\": ["), "apply's report comes first, as without --verify: %s", out)

	// Nothing to do: nothing to verify; the markdown report says so.
	code, out, errOut = zonesync(t, append([]string{"--config", p.config, "apply", "--auto-approve", "--verify", "--format", "markdown"}, p.flags("verify-")...)...)
	require.Equal(t, 0, code, "%s%s", out, errOut)
	assert.Contains(t, out, "### zonesync apply\n")
	assert.Contains(t, out, "\n### zonesync verify\n\n**Nothing to verify.**\n")
}

func TestVerifyFlagErrors(t *testing.T) {
	cfg := copyExamples(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"apply", "--verify-timeout", "1m"}, "zonesync: --verify-timeout is for --verify; add --verify, or leave it out\n"},
		{[]string{"apply", "--verify", "--verify-family", "ip7"}, "zonesync: --verify-family must be ipv4, ipv6 or both, not \"ip7\"\n"},
		{[]string{"verify", "--family", "ip7"}, "zonesync: --family must be ipv4, ipv6 or both, not \"ip7\"\n"},
		{[]string{"verify", "--interval", "0s"}, "zonesync: --interval must be more than 0, got 0s\n"},
		{[]string{"verify", "--timeout", "-1s"}, "zonesync: --timeout must not be negative, got -1s\n"},
		{[]string{"verify", "--dns-port", "70000"}, "zonesync: --dns-port must be a port from 1 to 65535, got 70000\n"},
		{[]string{"verify", "--resolver", "a b"}, "zonesync: --resolver \"a b\": want host:port, such as 127.0.0.53:53\n"},
		{[]string{"apply", "--verify", "--verify-resolver", ":53"}, "zonesync: --verify-resolver \":53\": want host:port, such as 127.0.0.53:53\n"},
		{[]string{"verify", "--format", "yaml"}, "zonesync: --format must be text, markdown or json, not \"yaml\"\n"},
		{[]string{"verify", "plan.json"}, "zonesync: verify takes no arguments, got \"plan.json\"; a saved plan is --plan FILE\n"},
		{[]string{"verify", "--zone", "nope.test", "--resolver", "127.0.0.1:1"}, "zonesync: no zone spec matches nope.test; the specs declare 2.0.192.in-addr.arpa, example.com, example.org\n"},
	} {
		code, out, errOut := zonesync(t, append([]string{"--config", cfg}, tc.args...)...)
		assert.Equal(t, 1, code, "%v", tc.args)
		assert.Empty(t, out)
		assert.Equal(t, tc.want, errOut, "%v", tc.args)
	}
}
