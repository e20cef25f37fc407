package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// TestConcurrentChange: someone changes record sets an apply is about to
// change, and the apply has no serial to hold the zone to (a live zone
// read without its SOA; apply always has one, see TestZoneChangedSinceRead).
// Each operation's own prerequisites still guard it: each one whose record
// set moved fails with the rcode and a clear message and is left as the
// other party made it; the rest of the batch, sent in the same UPDATE at
// first, is still applied.
func TestConcurrentChange(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	fq := func(name string) string { return name + "." + zone + "." }
	syncZone(t, p, desired(t, zone,
		set{name: "www", rrtype: "A", values: []string{"192.0.2.1"}},
		set{name: "old", rrtype: "A", values: []string{"192.0.2.2"}},
		set{name: "gone", rrtype: "TXT", values: []string{"bye"}},
		set{name: "keep", rrtype: "A", values: []string{"192.0.2.3"}},
	))
	want := desired(t, zone,
		set{name: "www", rrtype: "A", values: []string{"192.0.2.10"}},  // update; changed meanwhile
		set{name: "old", rrtype: "A", values: []string{"192.0.2.20"}},  // update; untouched
		set{name: "new", rrtype: "A", values: []string{"192.0.2.30"}},  // create; created meanwhile
		set{name: "mail", rrtype: "A", values: []string{"192.0.2.40"}}, // create; a CNAME appears there
		set{name: "fresh", rrtype: "TXT", values: []string{"hello"}},   // create; untouched
		set{name: "keep", rrtype: "A", values: []string{"192.0.2.3"}},
		// gone TXT: delete; changed meanwhile
	)
	zp, live := makePlan(t, p, want)
	srv.update(t, zone, func(m *dns.Msg) {
		m.RemoveRRset([]dns.RR{rr(t, fq("www")+" 0 IN A 0.0.0.0"), rr(t, fq("gone")+` 0 IN TXT ""`)})
		m.Insert([]dns.RR{
			rr(t, fq("www")+" 3600 IN A 198.51.100.1"),
			rr(t, fq("new")+" 3600 IN A 198.51.100.2"),
			rr(t, fq("mail")+" 3600 IN CNAME mx.example.net."),
			rr(t, fq("gone")+` 3600 IN TXT "another"`),
		})
	})
	var messages int
	p.sent = func(*dns.Msg) { messages++ }
	live.SOA = nil
	errs := p.Apply(context.Background(), live, zp.Operations)
	got := map[string]apply.Result{}
	for i, op := range zp.Operations {
		r := apply.Result{Status: apply.OK}
		if errs[i] != nil {
			r = apply.Result{Status: apply.Failed, Error: errs[i].Error()}
		}
		got[op.Name+" "+op.Type] = r
	}
	for key, tc := range map[string]struct {
		status apply.Status
		parts  []string
	}{
		"www A":     {apply.Failed, []string{"NXRRSET", "www A changed on the server since the plan was made", srv.addr, zone}},
		"new A":     {apply.Failed, []string{"YXRRSET", "new A already exists on the server", srv.addr}},
		"mail A":    {apply.Failed, []string{"YXRRSET", "or a CNAME does at mail"}},
		"gone TXT":  {apply.Failed, []string{"NXRRSET", "gone TXT changed on the server"}},
		"old A":     {apply.OK, nil},
		"fresh TXT": {apply.OK, nil},
	} {
		r, ok := got[key]
		if assert.True(t, ok, "%s: no operation in the plan", key) && assert.Equal(t, tc.status, r.Status, "%s: %s", key, r.Error) {
			checkOneLine(t, r.Error, tc.parts...)
		}
	}
	assert.GreaterOrEqual(t, messages, 2, "UPDATE messages sent; want the batch first, then its halves")
	after := read(t, p, zone)
	for _, c := range []struct{ name, rrtype, value string }{
		{"www", "A", "198.51.100.1"}, {"new", "A", "198.51.100.2"}, {"mail", "CNAME", "mx.example.net."},
		{"gone", "TXT", "another"}, {"old", "A", "192.0.2.20"}, {"fresh", "TXT", "hello"},
	} {
		assert.Empty(t, cmp.Diff(canonical(t, c.rrtype, c.value), values(after, c.name, c.rrtype)), "%s %s after apply (-want +got)", c.name, c.rrtype)
	}
}

// TestKeyErrors: the server rejects the key or its rights. Every error is
// one line naming the operation, zone, server and rcode, none is "zone
// not found", and none shows a secret.
func TestKeyErrors(t *testing.T) {
	srv := requireNamed(t)
	zone := srv.newZone(t)
	wrong := randomSecret(32)
	for _, tc := range []struct {
		name       string
		settings   func(Settings) Settings
		readParts  []string // nil: the read succeeds
		applyParts []string
	}{
		{
			name:       "wrong secret",
			settings:   func(s Settings) Settings { s.TSIG.Secret = wrong; return s },
			readParts:  []string{"rfc2136: AXFR " + zone + " from " + srv.addr, "NOTAUTH", "BADSIG", keyMain},
			applyParts: []string{"rfc2136: update " + zone + " at " + srv.addr, "NOTAUTH", "BADSIG"},
		},
		{
			name:       "unknown key",
			settings:   func(s Settings) Settings { s.TSIG.Name = "nobody-key"; return s },
			readParts:  []string{"NOTAUTH", "BADKEY", "nobody-key"},
			applyParts: []string{"NOTAUTH", "BADKEY"},
		},
		{
			name:       "wrong algorithm",
			settings:   func(s Settings) Settings { s.TSIG.Algorithm = "hmac-sha512"; return s },
			readParts:  []string{"NOTAUTH", "BADKEY"},
			applyParts: []string{"NOTAUTH", "BADKEY"},
		},
		{
			name:       "key without update rights",
			settings:   func(Settings) Settings { return srv.settings(keyReadOnly) },
			applyParts: []string{"rfc2136: update " + zone + " at " + srv.addr, "REFUSED", "key " + keyReadOnly + " may not update " + zone, "allow-update"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(tc.settings(srv.settings(keyMain)))
			require.NoError(t, err)
			_, rerr := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
			if tc.readParts == nil {
				require.NoError(t, rerr, "ReadZone")
			} else {
				require.Error(t, rerr, "ReadZone")
				assert.NotErrorIs(t, rerr, providers.ErrZoneNotFound, "a key problem must not look like a missing zone")
				checkOneLine(t, rerr.Error(), tc.readParts...)
				noSecret(t, rerr.Error(), wrong, srv.secrets[keyMain])
			}
			ops := []*plan.Operation{
				{Seq: 1, Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}},
				{Seq: 2, Action: plan.Create, Name: "b", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.2"}}},
			}
			errs := p.Apply(context.Background(), &model.Zone{Name: zone}, ops)
			for i, err := range errs {
				require.Error(t, err, "operation %d", i+1)
				checkOneLine(t, err.Error(), tc.applyParts...)
				noSecret(t, err.Error(), wrong, srv.secrets[keyMain])
			}
			assert.Nil(t, read(t, srv.provider(t, keyMain), zone).Find("a", "A"), "a A after a rejected update")
		})
	}
}

func ttl(v uint32) *uint32 { return &v }

// noSecret asserts that no secret appears in s, in base64 or raw.
func noSecret(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		raw, _ := decodeSecret(sec)
		shown := strings.Contains(s, sec) || len(raw) > 0 && strings.Contains(s, string(raw)) || strings.Contains(s, fmt.Sprint(raw))
		assert.False(t, shown, "output shows a TSIG secret: %q", s)
	}
}

// TestAlgorithms reads and changes a zone with each accepted algorithm.
func TestAlgorithms(t *testing.T) {
	srv := requireNamed(t)
	zone := srv.newZone(t)
	for i, key := range []string{keyMain, keySHA512, keySHA1} {
		t.Run(key, func(t *testing.T) {
			p := srv.provider(t, key)
			syncZone(t, p, desired(t, zone, set{name: "www", rrtype: "A", values: []string{fmt.Sprintf("192.0.2.%d", i+1)}}))
		})
	}
}

// TestWrongServer: the server does not serve the zone. Reading it is
// ErrZoneNotFound; changing it is NOTAUTH.
func TestWrongServer(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	const zone = "not-served.example"
	_, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.ErrorIs(t, err, providers.ErrZoneNotFound)
	checkOneLine(t, err.Error(), "rfc2136: AXFR "+zone+" from "+srv.addr, "NOTAUTH", "does not serve "+zone)
	errs := p.Apply(context.Background(), &model.Zone{Name: zone}, []*plan.Operation{
		{Seq: 1, Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}},
	})
	require.Error(t, errs[0], "update of a zone the server does not serve")
	checkOneLine(t, errs[0].Error(), "rfc2136: update "+zone+" at "+srv.addr, "NOTAUTH", "not authoritative for "+zone)
	assert.Equal(t, dns.RcodeToString[dns.RcodeNotAuth], dns.RcodeToString[rfcError(t, errs[0]).Rcode], "Rcode")
}

// TestTransferRefused: the server serves the zone but the key may not
// transfer it. That is an error of its own, never "zone not found".
func TestTransferRefused(t *testing.T) {
	srv := requireNamed(t)
	_, err := srv.provider(t, keyMain).ReadZone(context.Background(), zoneNoTransfer, providers.ReadOptions{})
	require.Error(t, err)
	require.NotErrorIs(t, err, providers.ErrZoneNotFound)
	checkOneLine(t, err.Error(), "AXFR "+zoneNoTransfer, "REFUSED", "may not transfer", "allow-transfer")
}

// TestNoServer: nothing listens, or something listens and never answers.
// Both fail fast with a clear message; a dead server costs one timeout per
// Apply, not one per message.
func TestNoServer(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer silent.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			defer c.Close() // held open, never answered
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedAddr := closed.Addr().String()
	closed.Close()

	for _, tc := range []struct {
		name, addr string
		parts      []string
	}{
		{"nothing listens", closedAddr, []string{"connection refused"}},
		{"no answer", silent.Addr().String(), []string{"no answer within 300ms (timeout)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(Settings{Server: tc.addr, TSIG: TSIGSettings{Name: keyMain, Secret: randomSecret(32)}, Timeout: "300ms"})
			require.NoError(t, err)
			accepted.Store(0)
			_, err = p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			require.Error(t, err)
			require.NotErrorIs(t, err, providers.ErrZoneNotFound)
			checkOneLine(t, err.Error(), append([]string{"rfc2136: AXFR example.test from " + tc.addr}, tc.parts...)...)
			// Two changes too big to share a message: the first times out,
			// the second is not sent.
			big := strings.Repeat("x", 40000)
			ops := []*plan.Operation{
				{Seq: 1, Action: plan.Create, Name: "a", Type: "TXT", After: &plan.State{TTL: ttl(300), Values: []string{model.TXTValue(big)}}},
				{Seq: 2, Action: plan.Create, Name: "b", Type: "TXT", After: &plan.State{TTL: ttl(300), Values: []string{model.TXTValue(big)}}},
			}
			errs := p.Apply(context.Background(), &model.Zone{Name: "example.test"}, ops)
			checkOneLine(t, errs[0].Error(), append([]string{"rfc2136: update example.test at " + tc.addr, "a TXT"}, tc.parts...)...)
			checkOneLine(t, errs[1].Error(), "b TXT", "not sent: an earlier UPDATE to the server failed")
			if tc.name == "no answer" {
				checkOneLine(t, errs[0].Error(), "may or may not have been made")
			}
			if tc.name == "no answer" {
				// One connection for the transfer, one for the Apply: a dead
				// server costs one timeout per request, never a retry.
				assert.Equal(t, int32(2), accepted.Load(), "connections the silent server took")
			}
		})
	}
}

// TestCancel: cancelling the context stops a request waiting for an
// answer at once, long before the timeout: the read ends cancelled, not
// timed out.
func TestCancel(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer silent.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			cancel() // the request is on its way: cancel it
		}
	}()
	p, err := New(Settings{Server: silent.Addr().String(), TSIG: TSIGSettings{Name: keyMain, Secret: randomSecret(32)}, Timeout: "1m"})
	require.NoError(t, err)
	_, err = p.ReadZone(ctx, "example.test", providers.ReadOptions{})
	checkOneLine(t, fmt.Sprint(err), "rfc2136: AXFR example.test", "interrupted: context canceled")
}

// TestTransferServer: zones are read from transfer_server and changed at
// server, each its own address.
func TestTransferServer(t *testing.T) {
	srv := requireNamed(t)
	zone := srv.newZone(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := closed.Addr().String()
	closed.Close()
	s := srv.settings(keyMain)
	s.Server, s.TransferServer = dead, srv.addr
	p, err := New(s)
	require.NoError(t, err)
	_, err = p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err, "ReadZone from transfer_server")
	errs := p.Apply(context.Background(), &model.Zone{Name: zone}, []*plan.Operation{
		{Seq: 1, Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}},
	})
	checkOneLine(t, fmt.Sprint(errs[0]), "update "+zone+" at "+dead, "connection refused")
}

// TestPolicyRefusal: in a zone with BIND's default checks the server
// refuses one record of a batch (an MX whose target in the zone has no
// address). The key may update the zone, so that record alone fails,
// with an explanation, and the rest is applied.
func TestPolicyRefusal(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	// The zone is shared by every run of the test binary (-count): a
	// name of this run's own keeps the record a new one.
	www := fmt.Sprintf("www%d", strictRuns.Add(1))
	live := read(t, p, zoneStrict)
	want := desired(t, zoneStrict,
		set{name: "@", rrtype: "MX", values: []string{"10 mail." + zoneStrict + "."}},
		set{name: www, rrtype: "A", values: []string{"192.0.2.1"}})
	want.Records = append(want.Records, otherSets(live, "@ MX", www+" A")...)
	want.SortRecords()
	zp, live := makePlan(t, p, want)
	got := results(run(t, p, want, live, zp))
	if r := got["@ MX"]; assert.Equal(t, apply.Failed, r.Status, "@ MX") {
		checkOneLine(t, r.Error, "REFUSED", "while the key may update the zone", "check-integrity")
	}
	assert.Equal(t, apply.OK, got[www+" A"].Status, "%s A: %s", www, got[www+" A"].Error)
}

// strictRuns counts the runs of TestPolicyRefusal in this test binary.
var strictRuns atomic.Int32

// otherSets are the live record sets other than those named, so that a
// spec keeps what earlier runs left in a shared zone.
func otherSets(live *model.Zone, except ...string) []*model.RecordSet {
	var out []*model.RecordSet
	for _, rs := range live.Records {
		if !slices.Contains(except, rs.Name+" "+rs.Type) {
			out = append(out, rs)
		}
	}
	return out
}

// TestTooManyRecords: BIND answers SERVFAIL to a record set over its
// max-records-per-type; that set alone fails, with an explanation, and
// the rest of the message is applied.
func TestTooManyRecords(t *testing.T) {
	srv := requireNamed(t)
	p := srv.provider(t, keyMain)
	zone := srv.newZone(t)
	var ips []string
	for i := range 150 {
		ips = append(ips, fmt.Sprintf("10.0.%d.%d", i/250, i%250+1))
	}
	want := desired(t, zone, set{name: "pool", rrtype: "A", values: ips}, set{name: "www", rrtype: "A", values: []string{"192.0.2.1"}})
	zp, live := makePlan(t, p, want)
	got := results(run(t, p, want, live, zp))
	if r := got["pool A"]; assert.Equal(t, apply.Failed, r.Status, "pool A") {
		checkOneLine(t, r.Error, "SERVFAIL", "max-records-per-type")
	}
	assert.Equal(t, apply.OK, got["www A"].Status, "www A: %s", got["www A"].Error)
}

// TestListZonesUnsupported: DNS cannot list a server's zones.
func TestListZonesUnsupported(t *testing.T) {
	p, err := New(Settings{Server: "192.0.2.53", TSIG: TSIGSettings{Name: "k", Secret: randomSecret(32)}})
	require.NoError(t, err)
	_, err = p.ListZones(context.Background())
	assert.ErrorIs(t, err, errors.ErrUnsupported)
}
