package powerdns

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// answerTypes are the types of a query's answer records.
func answerTypes(t *testing.T, srv *pdnstest.Server, name string, qtype uint16) []string {
	t.Helper()
	r, err := srv.Query(name, qtype, true)
	require.NoError(t, err)
	require.Equal(t, dns.RcodeSuccess, r.Rcode, "answer to %s: %s", name, r)
	var out []string
	for _, rr := range r.Answer {
		out = append(out, dns.TypeToString[rr.Header().Rrtype])
	}
	return out
}

// TestDNSSECOnAndOff: dnssec: true signs the zone (its answers carry
// RRSIGs), the apply report and the next plan give the DS records for the
// registrar, a plan that unsigns it is refused unless forced, and the
// forced apply removes the keys (answers without RRSIGs).
func TestDNSSECOnAndOff(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.NewZone(t, KindMaster)
	p := newProvider(t, srv)
	desired := zoneOf(t, zone, "www A 300 192.0.2.1")
	mustSync(t, p, desired)
	assert.Equal(t, []string{"A"}, answerTypes(t, srv, "www."+zone, dns.TypeA), "unsigned")

	signed := *desired
	signed.DNSSEC = ptr(true)
	zp, rep := syncZone(t, p, &signed)
	require.Len(t, zp.Operations, 1)
	assert.Equal(t, plan.EnableDNSSEC, zp.Operations[0].Action)
	require.Equal(t, apply.OK, rep.Results[0].Status, rep.Results[0].Error)
	require.NotEmpty(t, rep.DS, "the apply report's DS records")
	assert.Equal(t, []string{"A", "RRSIG"}, answerTypes(t, srv, "www."+zone, dns.TypeA), "signed")
	keys := answerTypes(t, srv, zone, dns.TypeDNSKEY)
	assert.Contains(t, keys, "DNSKEY")

	live := read(t, p, zone)
	assert.Equal(t, ptr(true), live.DNSSEC)
	assert.Equal(t, rep.DS, live.DS)
	for _, ds := range live.DS {
		rr, err := dns.NewRR(zone + ". IN DS " + ds)
		require.NoError(t, err, ds)
		assert.NotEqual(t, uint8(1), rr.(*dns.DS).DigestType, "no SHA-1 DS")
	}
	again, err := plan.Zone(&signed, live, p.Capabilities(), &config.Safety{})
	require.NoError(t, err)
	assert.Empty(t, again.Operations, "signed twice")
	assert.Equal(t, live.DS, again.DS, "the plan's DS records")
	for _, rs := range live.Records {
		assert.NotEqual(t, "DNSKEY", rs.Type, "the server's keys are not records of the zone")
	}

	// Changes to a signed zone are signed.
	signed.Records = zoneOf(t, zone, "www A 300 192.0.2.1", "new AAAA 300 2001:db8::1").Records
	mustSync(t, p, &signed)
	assert.Equal(t, []string{"AAAA", "RRSIG"}, answerTypes(t, srv, "new."+zone, dns.TypeAAAA))

	unsigned := signed
	unsigned.DNSSEC = ptr(false)
	zp, err = plan.Zone(&unsigned, read(t, p, zone), p.Capabilities(), &config.Safety{})
	require.NoError(t, err)
	require.Len(t, zp.Refusals, 1, "unsigning needs --force")
	assert.Contains(t, zp.Refusals[0], "remove the DS records at the registrar")
	// Forced:
	_, rep = syncZone(t, p, &unsigned)
	require.Equal(t, apply.OK, rep.Results[0].Status, rep.Results[0].Error)
	assert.Equal(t, []string{"A"}, answerTypes(t, srv, "www."+zone, dns.TypeA), "unsigned again")
	assert.Equal(t, ptr(false), read(t, p, zone).DNSSEC)
}

// TestNewSignedZone: a zone zonesync creates with dnssec: true is signed
// with its records in it.
func TestNewSignedZone(t *testing.T) {
	srv := pdnstest.Require(t)
	zone := srv.ZoneName()
	p := newProvider(t, srv)
	desired := zoneOf(t, zone, "@ NS 3600 ns1."+zone+".", "ns1 A 300 192.0.2.53", "www A 300 192.0.2.1")
	desired.DNSSEC = ptr(true)
	zp := mustSync(t, p, desired)
	var actions []plan.Action
	for _, op := range zp.Operations {
		actions = append(actions, op.Action)
	}
	assert.Equal(t, []plan.Action{plan.CreateZone, plan.EnableDNSSEC, plan.Create, plan.Create, plan.Create}, actions)
	assert.Equal(t, []string{"A", "RRSIG"}, answerTypes(t, srv, "www."+zone, dns.TypeA))
	// Denial of existence is signed too: the zone was rectified.
	r, err := srv.Query("nothere."+zone, dns.TypeA, true)
	require.NoError(t, err)
	assert.Equal(t, dns.RcodeNameError, r.Rcode)
	var nsec bool
	for _, rr := range r.Ns {
		nsec = nsec || rr.Header().Rrtype == dns.TypeNSEC || rr.Header().Rrtype == dns.TypeNSEC3
	}
	assert.True(t, nsec, "NXDOMAIN with NSEC: %v", r.Ns)
}

// TestSOAEditAPIWarning: a zone without SOA-EDIT-API (made with pdnsutil
// or an old API) gets a warning in the plan naming the setting; one
// zonesync creates has it.
func TestSOAEditAPIWarning(t *testing.T) {
	srv := pdnstest.Require(t)
	p := newProvider(t, srv)
	bare := srv.ZoneName()
	srv.MustDo(t, 201, "POST", "/api/v1/servers/localhost/zones", obj{"name": bare + ".", "kind": "Master", "nameservers": []string{}, "soa_edit_api": ""}, nil)
	zp := mustPlan(t, p, zoneOf(t, bare, "www A 300 192.0.2.1"), read(t, p, bare))
	require.Len(t, zp.Warnings, 1)
	assert.Contains(t, zp.Warnings[0], "no SOA-EDIT-API setting")
	assert.Contains(t, zp.Warnings[0], "pdnsutil set-meta "+bare+" SOA-EDIT-API DEFAULT")

	made := srv.ZoneName()
	mustSync(t, p, zoneOf(t, made, "www A 300 192.0.2.1"))
	assert.Empty(t, mustPlan(t, p, zoneOf(t, made, "www A 300 192.0.2.1"), read(t, p, made)).Warnings)
	var z struct {
		SOAEditAPI string `json:"soa_edit_api"`
		Kind       string `json:"kind"`
	}
	srv.MustDo(t, 200, "GET", "/api/v1/servers/localhost/zones/"+made+".", nil, &z)
	assert.Equal(t, "DEFAULT", z.SOAEditAPI)
	assert.Equal(t, KindMaster, z.Kind)
}
