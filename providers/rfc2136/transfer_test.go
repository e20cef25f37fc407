package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// BIND does not misbehave on demand, so the faults of a broken or hostile
// server are played by a scripted one: it answers each request with the
// messages a script gives, signed with the test key unless told not to,
// and then closes the connection.

// reply is one message of a scripted answer.
type reply struct {
	rcode     int
	answer    []dns.RR
	unsigned  bool // send no TSIG record
	forged    bool // sign with another secret
	truncated bool // set the TC bit
	aa        bool
}

// scripted serves the script on a local port and returns its address.
func scripted(t *testing.T, key *tsigKey, script func(q *dns.Msg) []reply) string {
	t.Helper()
	forger, err := newTSIGKey(key.displayName(), "hmac-sha256", randomSecret(32))
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				c := &dns.Conn{Conn: nc}
				raw, err := c.ReadMsgHeader(nil)
				if err != nil {
					return
				}
				q := new(dns.Msg)
				if q.Unpack(raw) != nil {
					return
				}
				mac := ""
				if ts := q.IsTsig(); ts != nil {
					mac = ts.MAC
				}
				for i, r := range script(q) {
					m := new(dns.Msg)
					m.SetRcode(q, r.rcode)
					m.Answer, m.Truncated, m.Authoritative = r.answer, r.truncated, r.aa
					var out []byte
					if r.unsigned {
						out, _ = m.Pack()
					} else {
						signer := key
						if r.forged {
							signer = forger
						}
						m.SetTsig(key.name, key.algorithm, fudge, time.Now().Unix())
						out, mac, _ = dns.TsigGenerateWithProvider(m, signer, mac, i > 0)
					}
					if _, err := c.Write(out); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

func TestTransferFaults(t *testing.T) {
	const zone = "example.test"
	soa := rrT(zone + ". 3600 IN SOA ns.example.net. hostmaster.example.test. 5 7200 3600 1209600 3600")
	www := rrT("www." + zone + ". 300 IN A 192.0.2.1")
	for _, tc := range []struct {
		name     string
		axfr     []reply
		soaQuery []reply // answers to the SOA queries made after a refused transfer
		signed   []reply // answers to a signed SOA query, when they differ
		parts    []string
		notFound bool
	}{
		{
			name:  "broken off before the closing SOA",
			axfr:  []reply{{answer: []dns.RR{soa, www}}},
			parts: []string{"transfer broken off after 1 messages and 2 records, before the closing SOA", "closed the connection"},
		},
		{
			name:  "broken off after several messages",
			axfr:  []reply{{answer: []dns.RR{soa}}, {answer: []dns.RR{www}}},
			parts: []string{"transfer broken off after 2 messages"},
		},
		{
			name:  "unsigned answer",
			axfr:  []reply{{answer: []dns.RR{soa, www, soa}, unsigned: true}},
			parts: []string{"message 1: the answer is not signed"},
		},
		{
			name:  "unsigned message inside the transfer",
			axfr:  []reply{{answer: []dns.RR{soa}}, {answer: []dns.RR{www}, unsigned: true}, {answer: []dns.RR{soa}}},
			parts: []string{"message 2: the answer is not signed"},
		},
		{
			name:  "forged signature",
			axfr:  []reply{{answer: []dns.RR{soa, www, soa}, forged: true}},
			parts: []string{"does not verify with key zonesync-key"},
		},
		{
			name:  "first record not the SOA",
			axfr:  []reply{{answer: []dns.RR{www, soa}}},
			parts: []string{"does not start with the zone's SOA"},
		},
		{
			name:  "closing SOA not the opening one",
			axfr:  []reply{{answer: []dns.RR{soa, www, rrT(zone + ". 3600 IN SOA ns.example.net. hostmaster.example.test. 6 7200 3600 1209600 3600")}}},
			parts: []string{"the transfer closes with SOA example.test. serial 6, not the one it opened with (serial 5)"},
		},
		{
			name:  "truncated message",
			axfr:  []reply{{answer: []dns.RR{soa, www, soa}, truncated: true}},
			parts: []string{"message 1 is truncated"},
		},
		{
			name:  "empty message",
			axfr:  []reply{{answer: []dns.RR{soa}}, {}},
			parts: []string{"message 2 of the transfer is empty"},
		},
		{
			name:  "error in the middle",
			axfr:  []reply{{answer: []dns.RR{soa}}, {rcode: dns.RcodeServerFailure}},
			parts: []string{"SERVFAIL", "the transfer failed at message 2"},
		},
		{
			name:     "SERVFAIL for a zone the server fails to load",
			axfr:     []reply{{rcode: dns.RcodeServerFailure}},
			soaQuery: []reply{{rcode: dns.RcodeServerFailure}},
			parts:    []string{"SERVFAIL", "whether it serves the zone is unknown: the SOA query got SERVFAIL"},
		},
		{
			name:     "REFUSED while the zone is served",
			axfr:     []reply{{rcode: dns.RcodeRefused}},
			soaQuery: []reply{{aa: true, answer: []dns.RR{soa}}},
			parts:    []string{"REFUSED", "may not transfer"},
		},
		{
			name:     "REFUSED for a zone not served",
			axfr:     []reply{{rcode: dns.RcodeRefused}},
			soaQuery: []reply{{rcode: dns.RcodeRefused}},
			parts:    []string{"REFUSED", "the server does not serve " + zone},
			notFound: true,
		},
		{
			name:     "unsigned NOTAUTH for a key the server rejects (PowerDNS)",
			axfr:     []reply{{rcode: dns.RcodeNotAuth, unsigned: true}},
			soaQuery: []reply{{aa: true, answer: []dns.RR{soa}, unsigned: true}},
			signed:   []reply{{rcode: dns.RcodeNotAuth, unsigned: true}},
			parts:    []string{"NOTAUTH", "the server serves " + zone + " but refused the transfer: it most likely rejected TSIG key zonesync-key (hmac-sha256)"},
		},
		{
			name:     "a server that answers only signed queries",
			axfr:     []reply{{rcode: dns.RcodeRefused}},
			soaQuery: []reply{{rcode: dns.RcodeRefused}},
			signed:   []reply{{aa: true, answer: []dns.RR{soa}}},
			parts:    []string{"REFUSED", "may not transfer"},
		},
		{
			name:     "NOTAUTH, and a referral for the SOA",
			axfr:     []reply{{rcode: dns.RcodeNotAuth}},
			soaQuery: []reply{{}},
			parts:    []string{"NOTAUTH", "the server does not serve " + zone},
			notFound: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testProvider(t, "")
			p.cfg.transfer = scripted(t, p.cfg.key, func(q *dns.Msg) []reply {
				if q.Question[0].Qtype == dns.TypeAXFR {
					return tc.axfr
				}
				if q.IsTsig() != nil && tc.signed != nil {
					return tc.signed
				}
				return tc.soaQuery
			})
			p.cfg.timeout = 2 * time.Second
			_, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
			require.Error(t, err)
			assert.Equal(t, tc.notFound, errors.Is(err, providers.ErrZoneNotFound), "the error %q is ErrZoneNotFound", err)
			checkOneLine(t, err.Error(), append([]string{"rfc2136: AXFR " + zone + " from " + p.cfg.transfer}, tc.parts...)...)
		})
	}
}

// TestTransferSeveralMessages: a transfer over several signed messages,
// each MAC chained to the one before, is read completely.
func TestTransferSeveralMessages(t *testing.T) {
	const zone = "example.test"
	soa := rrT(zone + ". 3600 IN SOA ns.example.net. hostmaster.example.test. 5 7200 3600 1209600 3600")
	p := testProvider(t, "")
	p.cfg.transfer = scripted(t, p.cfg.key, func(*dns.Msg) []reply {
		return []reply{
			{answer: []dns.RR{soa, rrT("a.example.test. 300 IN A 192.0.2.1")}},
			{answer: []dns.RR{rrT("a.example.test. 300 IN A 192.0.2.2")}},
			{answer: []dns.RR{rrT("b.example.test. 300 IN TXT \"b\""), soa}},
		}
	})
	z, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff([]string{"192.0.2.1", "192.0.2.2"}, values(z, "a", "A")), "a A (-want +got)")
	assert.Empty(t, cmp.Diff([]string{`"b"`}, values(z, "b", "TXT")), "b TXT (-want +got)")
	assert.Equal(t, uint32(5), z.SOA.Serial, "serial")
}

// TestUnsignedNotAuth: a server that rejects the key with an unsigned
// NOTAUTH (PowerDNS does) is not taken for a wrong server only.
func TestUnsignedNotAuth(t *testing.T) {
	p := testProvider(t, "")
	p.cfg.server = scripted(t, p.cfg.key, func(*dns.Msg) []reply { return []reply{{rcode: dns.RcodeNotAuth, unsigned: true}} })
	errs := p.Apply(context.Background(), &model.Zone{Name: "example.test"}, []*plan.Operation{
		{Seq: 1, Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}},
	})
	checkOneLine(t, fmt.Sprint(errs[0]), "rfc2136: update example.test at "+p.cfg.server, "NOTAUTH",
		"the server most likely rejected TSIG key zonesync-key (hmac-sha256)", "or it does not serve example.test")
}

// TestZoneWideFailure: when an UPDATE that changes nothing fails too, the
// failure is the zone's, not one record's: every operation gets it and
// the message is not taken apart.
func TestZoneWideFailure(t *testing.T) {
	for _, rcode := range []int{dns.RcodeServerFailure, dns.RcodeRefused} {
		p := testProvider(t, "")
		var requests atomic.Int32
		p.cfg.server = scripted(t, p.cfg.key, func(*dns.Msg) []reply {
			requests.Add(1)
			return []reply{{rcode: rcode}}
		})
		var ops []*plan.Operation
		for i := range 4 {
			ops = append(ops, &plan.Operation{Seq: i + 1, Action: plan.Create, Name: fmt.Sprint("r", i), Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}})
		}
		for _, err := range p.Apply(context.Background(), &model.Zone{Name: "example.test"}, ops) {
			checkOneLine(t, fmt.Sprint(err), dns.RcodeToString[rcode])
		}
		assert.Equal(t, int32(2), requests.Load(), "%s: requests; want the UPDATE and one that changes nothing", dns.RcodeToString[rcode])
	}
}

// TestUntrustedUpdateAnswer: an UPDATE answered NOERROR without a valid
// signature is not taken as done.
func TestUntrustedUpdateAnswer(t *testing.T) {
	for _, r := range []reply{{unsigned: true}, {forged: true}} {
		p := testProvider(t, "")
		p.cfg.server = scripted(t, p.cfg.key, func(*dns.Msg) []reply { return []reply{r} })
		errs := p.Apply(context.Background(), &model.Zone{Name: "example.test"}, []*plan.Operation{
			{Seq: 1, Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: ttl(300), Values: []string{"192.0.2.1"}}},
		})
		require.Error(t, errs[0], "%+v: an untrusted NOERROR counted as success", r)
		checkOneLine(t, errs[0].Error(), "NOERROR", "the change may have been made, run plan to see")
	}
}

// testProvider is a provider whose servers tests set.
func testProvider(t *testing.T, addr string) *Provider {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:1"
	}
	p, err := New(Settings{Server: addr, TSIG: TSIGSettings{Name: keyMain, Secret: randomSecret(32)}, Timeout: "2s"})
	require.NoError(t, err)
	return p
}

// rrT parses a record of test data.
func rrT(s string) dns.RR {
	r, err := dns.NewRR(s)
	if err != nil {
		panic(err)
	}
	return r
}
