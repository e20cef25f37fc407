package telecomx

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// set is a record set as tests write it, values in spec form.
type set struct {
	name, rrtype string
	values       []string
}

// desired builds a zone as the spec loader would.
func desired(t *testing.T, zone string, ttl uint32, sets ...set) *model.Zone {
	t.Helper()
	z := &model.Zone{Name: zone, Provider: "tx", Mode: model.Master, TTL: ttl}
	for _, s := range sets {
		rs := &model.RecordSet{Name: s.name, Type: s.rrtype, TTL: ttl}
		for _, v := range s.values {
			rs.Values = append(rs.Values, canon(t, s.rrtype, v))
		}
		rs.SetValues(rs.Values)
		z.Records = append(z.Records, rs)
	}
	z.SortRecords()
	return z
}

// syncZone plans want against the live zone, applies the plan as the CLI
// does, and fails on any operation that did not succeed.
func syncZone(t *testing.T, p *Provider, want *model.Zone) *plan.ZonePlan {
	t.Helper()
	live, err := p.ReadZone(context.Background(), want.Name, providers.ReadOptions{})
	if !isNotFound(err) {
		require.NoError(t, err, "ReadZone")
	}
	zp := providertest.Plan(t, want, live, p.Capabilities())
	rep := apply.Zone(context.Background(), p, want, live, zp, nil)
	for _, r := range rep.Results {
		require.Equal(t, apply.OK, r.Status, "operation %d %s %s %s: %s", r.Seq, r.Action, r.Name, r.Type, r.Error)
	}
	return zp
}

// changes counts the calls that change something, by endpoint.
func changes(e *env) map[string]int {
	out := map[string]int{}
	for ep, n := range e.fake.Faults().AllCalls() {
		if !strings.HasPrefix(ep, "GET ") && ep != "POST /auth/login" {
			out[ep] = n
		}
	}
	return out
}

// wireState is the fake's records of a domain, sorted, as "name|type|rData".
func wireState(t *testing.T, e *env, zone string) []string {
	t.Helper()
	d, ok := e.fake.Domain(zone)
	require.True(t, ok, "the fake has no domain %s", zone)
	var out []string
	for _, r := range d.Records {
		out = append(out, r.Name+"|"+r.Type+"|"+r.RData)
	}
	sort.Strings(out)
	return out
}

// TestFewestCalls: a zone TTL change is one POST /dns/DOMAIN; a changed
// value is one PUT; only surpluses are created or deleted; an MX priority
// change, being a change of type, is a create and a delete.
func TestFewestCalls(t *testing.T) {
	for _, tc := range []struct {
		name           string
		ttl1, ttl2     uint32
		before, after  []set
		want           map[string]int
		wantWireRecord []string
	}{
		{"zone ttl", 3600, 600,
			[]set{{"www", "A", []string{"192.0.2.1"}}}, []set{{"www", "A", []string{"192.0.2.1"}}},
			map[string]int{"POST /dns/{domain}": 1}, []string{"www|A|192.0.2.1"}},
		{"one rData", 3600, 3600,
			[]set{{"www", "A", []string{"192.0.2.1"}}}, []set{{"www", "A", []string{"192.0.2.2"}}},
			map[string]int{"PUT /dns/{domain}/record": 1}, []string{"www|A|192.0.2.2"}},
		{"one of two values", 3600, 3600,
			[]set{{"www", "A", []string{"192.0.2.1", "192.0.2.2"}}}, []set{{"www", "A", []string{"192.0.2.2", "192.0.2.3"}}},
			map[string]int{"PUT /dns/{domain}/record": 1}, []string{"www|A|192.0.2.2", "www|A|192.0.2.3"}},
		{"a change and an addition", 3600, 3600,
			[]set{{"www", "A", []string{"192.0.2.1"}}}, []set{{"www", "A", []string{"192.0.2.2", "192.0.2.3"}}},
			map[string]int{"PUT /dns/{domain}/record": 1, "POST /dns/{domain}/record": 1}, []string{"www|A|192.0.2.2", "www|A|192.0.2.3"}},
		{"a change and two removals", 3600, 3600,
			[]set{{"www", "A", []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}}}, []set{{"www", "A", []string{"192.0.2.4"}}},
			map[string]int{"PUT /dns/{domain}/record": 1, "DELETE /dns/{domain}/record": 2}, []string{"www|A|192.0.2.4"}},
		{"mx host", 3600, 3600,
			[]set{{"@", "MX", []string{"10 a.example.com.", "20 b.example.com."}}}, []set{{"@", "MX", []string{"10 c.example.com.", "20 b.example.com."}}},
			map[string]int{"PUT /dns/{domain}/record": 1}, []string{"|MX 10|c.example.com", "|MX 20|b.example.com"}},
		{"mx priority", 3600, 3600,
			[]set{{"@", "MX", []string{"10 a.example.com."}}}, []set{{"@", "MX", []string{"20 a.example.com."}}},
			map[string]int{"POST /dns/{domain}/record": 1, "DELETE /dns/{domain}/record": 1}, []string{"|MX 20|a.example.com"}},
		{"txt", 3600, 3600,
			[]set{{"txt", "TXT", []string{"before"}}}, []set{{"txt", "TXT", []string{`after "quoted"`}}},
			map[string]int{"PUT /dns/{domain}/record": 1}, []string{`txt|TXT|"after \"quoted\""`}},
		{"srv", 3600, 3600,
			[]set{{"_sip._tcp", "SRV", []string{"10 60 5060 sip.example.com."}}}, []set{{"_sip._tcp", "SRV", []string{"10 60 5061 sip.example.com."}}},
			map[string]int{"PUT /dns/{domain}/record": 1}, []string{"_sip._tcp|SRV|10 60 5061 sip.example.com"}},
		{"ttl and a value", 3600, 300,
			[]set{{"www", "A", []string{"192.0.2.1"}}}, []set{{"www", "A", []string{"192.0.2.2"}}},
			map[string]int{"POST /dns/{domain}": 1, "PUT /dns/{domain}/record": 1}, []string{"www|A|192.0.2.2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			syncZone(t, e.p, desired(t, "example.com", tc.ttl1, tc.before...))
			e.fake.Faults().ResetCounts()
			want := desired(t, "example.com", tc.ttl2, tc.after...)
			syncZone(t, e.p, want)
			assert.Empty(t, cmp.Diff(tc.want, changes(e)), "calls that change something (-want +got)")
			assert.Empty(t, cmp.Diff(tc.wantWireRecord, wireState(t, e, "example.com")), "records at the API (-want +got)")
			d, _ := e.fake.Domain("example.com")
			assert.Equal(t, int64(tc.ttl2), d.TTL, "zone ttl")
			again := providertest.Plan(t, want, mustRead(t, e.p, "example.com"), e.p.Capabilities())
			assert.Empty(t, again.Operations, "plan after apply")
		})
	}
}

func mustRead(t *testing.T, p *Provider, zone string) *model.Zone {
	t.Helper()
	z, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
	return z
}

// TestOtherSpellings: records another tool wrote in other spellings
// (trailing dots, upper case, bare TXT text, long-form IPv6) read as their
// canonical values and are changed and deleted by their exact triple.
func TestOtherSpellings(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.fake.AddDomain("example.com", "", 3600))
	for _, r := range []fake.Record{
		{Name: "www", Type: "CNAME", RData: "Target.Example.com."},
		{Name: "v6", Type: "AAAA", RData: "2001:db8:0:0:0:0:0:1"},
		{Name: "", Type: "TXT", RData: "v=spf1 -all"},
		{Name: "", Type: "MX 10", RData: "mail.example.com."},
		{Name: "gone", Type: "A", RData: "192.0.2.9"},
	} {
		require.NoError(t, e.fake.AddRecord("example.com", r))
	}
	same := desired(t, "example.com", 3600,
		set{"www", "CNAME", []string{"target.example.com."}},
		set{"v6", "AAAA", []string{"2001:db8::1"}},
		set{"@", "TXT", []string{"v=spf1 -all"}},
		set{"@", "MX", []string{"10 mail.example.com."}},
		set{"gone", "A", []string{"192.0.2.9"}},
	)
	require.Empty(t, syncZone(t, e.p, same).Operations, "records in other spellings planned operations")
	changed := desired(t, "example.com", 3600,
		set{"www", "CNAME", []string{"other.example.com."}},
		set{"v6", "AAAA", []string{"2001:db8::2"}},
		set{"@", "TXT", []string{"v=spf1 mx -all"}},
		set{"@", "MX", []string{"10 mx.example.com."}},
	)
	syncZone(t, e.p, changed)
	want := []string{"v6|AAAA|2001:db8::2", "www|CNAME|other.example.com", `|MX 10|mx.example.com`, `|TXT|"v=spf1 mx -all"`}
	assert.Empty(t, cmp.Diff(want, wireState(t, e, "example.com")), "records at the API (-want +got)")
}

// TestTransientChange: a change whose call fails transiently is retried
// only when the first try did not land: never a duplicate, never a
// failure caused by the change's own first success.
func TestTransientChange(t *testing.T) {
	base := []set{{"www", "A", []string{"192.0.2.1"}}, {"old", "A", []string{"192.0.2.5"}}}
	for _, tc := range []struct {
		name     string
		fault    faults.Kind
		ttl      uint32
		after    []set
		endpoint string
		// sends is how often the change reached the fake's endpoint.
		sends int
	}{
		{"create, reset after apply", faults.ResetAfterApply, 3600, append(base, set{"new", "A", []string{"192.0.2.7"}}), "POST /dns/{domain}/record", 1},
		{"create, reset before apply", faults.Reset, 3600, append(base, set{"new", "A", []string{"192.0.2.7"}}), "POST /dns/{domain}/record", 2},
		{"create, 500", faults.ServerError, 3600, append(base, set{"new", "A", []string{"192.0.2.7"}}), "POST /dns/{domain}/record", 2},
		{"create, timeout", faults.Timeout, 3600, append(base, set{"new", "A", []string{"192.0.2.7"}}), "POST /dns/{domain}/record", 2},
		{"update, reset after apply", faults.ResetAfterApply, 3600, []set{{"www", "A", []string{"192.0.2.2"}}, base[1]}, "PUT /dns/{domain}/record", 1},
		{"update, 429", faults.RateLimit, 3600, []set{{"www", "A", []string{"192.0.2.2"}}, base[1]}, "PUT /dns/{domain}/record", 2},
		{"delete, reset after apply", faults.ResetAfterApply, 3600, base[:1], "DELETE /dns/{domain}/record", 1},
		{"delete, reset before apply", faults.Reset, 3600, base[:1], "DELETE /dns/{domain}/record", 2},
		{"zone ttl, reset after apply", faults.ResetAfterApply, 600, base, "POST /dns/{domain}", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			syncZone(t, e.p, desired(t, "example.com", 3600, base...))
			e.fake.Faults().ResetCounts()
			want := desired(t, "example.com", tc.ttl, tc.after...)
			live := mustRead(t, e.p, "example.com")
			caps := e.p.Capabilities()
			zp := providertest.Plan(t, want, live, caps)
			require.Len(t, zp.Operations, 1, "test plan")
			e.fake.Faults().Script(tc.fault)
			require.NoError(t, e.p.Apply(context.Background(), live, zp.Operations)[0], "Apply")
			assert.Equal(t, tc.sends, e.fake.Faults().Calls(tc.endpoint), "%s reached the fake", tc.endpoint)
			again := providertest.Plan(t, want, mustRead(t, e.p, "example.com"), caps)
			assert.Empty(t, again.Operations, "plan after apply")
		})
	}
}

// TestLateCommit: a create whose first try reached the server but was
// stored only after the check before the retry (a slow server committing
// late) is refused by the API as a duplicate on the retry. The record is
// there, once: the operation succeeded.
func TestLateCommit(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	live := mustRead(t, e.p, "example.com")
	posts := 0
	e.watch(func(r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/record") {
			if posts++; posts == 2 {
				// The first try lands now, after the check found nothing.
				e.fake.AddRecord("example.com", fake.Record{Name: "new", Type: "A", RData: "192.0.2.7"})
			}
		}
	})
	e.fake.Faults().Script(faults.Reset) // the first POST: sent, no answer
	errs := e.p.Apply(context.Background(), live, []*plan.Operation{
		{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{Values: []string{"192.0.2.7"}}},
	})
	require.NoError(t, errs[0], "create")
	assert.Equal(t, 2, posts, "POSTs: the lost one and the refused repeat")
	rs := mustRead(t, e.p, "example.com").Find("new", "A")
	require.NotNil(t, rs, "the zone holds no new A")
	assert.Equal(t, []string{"192.0.2.7"}, rs.Values)
	d, _ := e.fake.Domain("example.com")
	n := 0
	for _, r := range d.Records {
		if r.Name == "new" {
			n++
		}
	}
	assert.Equal(t, 1, n, "records named new at the fake")
}

// TestCreateZoneTransient: a create_zone whose answer was lost is not sent
// again (it would be refused as existing).
func TestCreateZoneTransient(t *testing.T) {
	e := newEnv(t)
	loggedIn(t, e)
	e.fake.Faults().Script(faults.ResetAfterApply)
	syncZone(t, e.p, desired(t, "new.example", 600, set{"www", "A", []string{"192.0.2.1"}}))
	assert.Equal(t, 1, e.fake.Faults().Calls("POST /dns"), "POST /dns reached the fake")
	d, _ := e.fake.Domain("new.example")
	assert.Equal(t, int64(600), d.TTL)
	assert.Len(t, d.Records, 1)
}

// TestCreateZoneCarriesSettings: POST /dns gets the zone TTL and the
// configured customer and product.
func TestCreateZoneCarriesSettings(t *testing.T) {
	e := newEnv(t, func(s *Settings) { s.Customer = fake.DefaultCustomer; s.Product = "ffffffffffffffffffffffff" })
	e.fake.AddProduct("ffffffffffffffffffffffff")
	syncZone(t, e.p, desired(t, "new.example", 7200))
	d, ok := e.fake.Domain("new.example")
	require.True(t, ok, "the domain was not created")
	assert.Equal(t, int64(7200), d.TTL)
	assert.Equal(t, fake.DefaultCustomer, d.Customer)
	assert.Equal(t, "ffffffffffffffffffffffff", d.Product)
}

// TestApplyErrors: failures name the call and the zone; an action Telecom X
// cannot do fails alone without touching the API. The live zone Apply is
// given is left as it was; the record created is in the provider's index.
func TestApplyErrors(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	live := mustRead(t, e.p, "example.com")
	before := mustRead(t, e.p, "example.com")
	ttl := uint32(30)
	ops := []*plan.Operation{
		{Action: plan.UpdateTTL, After: &plan.State{TTL: &ttl}},
		{Action: plan.UpdateSOA, After: &plan.State{SOA: &model.SOA{Refresh: 7200}}},
		{Action: plan.CreateFailover, Name: "www", Type: "A", After: &plan.State{Failover: &model.Failover{Check: "http"}}},
		{Action: plan.Create, Name: "caa", Type: "CAA", After: &plan.State{Values: []string{`0 issue "letsencrypt.org"`}}},
		{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{Values: []string{"192.0.2.9"}}},
	}
	errs := e.p.Apply(context.Background(), live, ops)
	want := []string{
		`telecomx: POST /dns/example.com: 422 ttl "TTL not valid"`,
		`telecomx: zone example.com: update_soa is not something Telecom X can do`,
		`telecomx: zone example.com: create_failover is not something Telecom X can do`,
		`telecomx: zone example.com: caa CAA: telecomx cannot hold CAA records (it supports A, AAAA, CNAME, MX, NS, SRV, TXT)`,
		``,
	}
	require.Len(t, errs, len(want))
	for i, err := range errs {
		got := ""
		if err != nil {
			got = err.Error()
		}
		assert.Equal(t, want[i], got, "operation %d (%s)", i, ops[i].Action)
	}
	assert.Empty(t, cmp.Diff(before, live), "the live zone changed (-before +after)")
	assert.Equal(t, []Record{{"new", "A", "192.0.2.9"}}, e.p.index.records("example.com", setKey{"new", "A"}, "192.0.2.9"), "the index after the create")
}

// TestApexNS: apex NS records are ordinary records at Telecom X; declared
// in a spec they are managed like any other.
func TestApexNS(t *testing.T) {
	e := newEnv(t)
	syncZone(t, e.p, desired(t, "example.com", 3600, set{"@", "NS", []string{"ns1.telecomx.dk.", "ns2.telecomx.dk."}}))
	syncZone(t, e.p, desired(t, "example.com", 3600, set{"@", "NS", []string{"ns1.telecomx.dk.", "ns3.telecomx.dk."}}))
	want := []string{"|NS|ns1.telecomx.dk", "|NS|ns3.telecomx.dk"}
	assert.Empty(t, cmp.Diff(want, wireState(t, e, "example.com")), "records at the API (-want +got)")
	// A spec that declares no apex NS leaves them alone.
	syncZone(t, e.p, desired(t, "example.com", 3600, set{"www", "A", []string{"192.0.2.1"}}))
	want = []string{"www|A|192.0.2.1", "|NS|ns1.telecomx.dk", "|NS|ns3.telecomx.dk"}
	assert.Empty(t, cmp.Diff(want, wireState(t, e, "example.com")), "records at the API, the apex NS kept (-want +got)")
}

// TestReadZoneStatus: a domain whose delegation is wrong is still read.
func TestReadZoneStatus(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	for _, status := range []string{fake.StatusOK, fake.StatusWrongNS, fake.StatusNotExist} {
		require.NoError(t, e.fake.SetStatus("example.com", status))
		z, err := e.p.ReadZone(context.Background(), "Example.COM.", providers.ReadOptions{})
		require.NoError(t, err, "status %s", status)
		assert.Equal(t, "example.com", z.Name, "status %s", status)
		assert.Equal(t, uint32(3600), z.TTL, "status %s", status)
		assert.Len(t, z.Records, 1, "status %s", status)
	}
}

// TestFaultSoak runs the conformance suite against a fake that fails a
// fifth of all requests in every way it can (seeded, so a failure replays).
func TestFaultSoak(t *testing.T) {
	injected := map[faults.Kind]int{}
	providersTest(t, func(e *env) {
		e.p.client.http.MaxAttempts = 10
		e.p.client.http.HTTP.Timeout = 200 * time.Millisecond
		e.fake.Faults().TimeoutDelay = 250 * time.Millisecond
		e.fake.Faults().SetRandom(20250314, 0.2, faults.ServerError, faults.RateLimit, faults.Reset, faults.ResetAfterApply, faults.Slow, faults.Timeout)
	}, func(e *env) {
		for k, n := range e.fake.Faults().Faults() {
			injected[k] += n
		}
	})
	for _, k := range []faults.Kind{faults.ServerError, faults.RateLimit, faults.Reset, faults.ResetAfterApply, faults.Timeout} {
		assert.NotZero(t, injected[k], "no %s fault was injected; the soak tests nothing about it", k)
	}
	t.Logf("faults injected: %v", injected)
}

// TestOneValueTwoRecords: a value the API holds twice, in two spellings,
// reads as one value; replacing it changes one record in place and deletes
// the other, so nothing of the old value is left.
func TestOneValueTwoRecords(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.fake.AddDomain("example.com", "", 3600))
	for _, rdata := range []string{"mail.example.com", "mail.example.com."} {
		require.NoError(t, e.fake.AddRecord("example.com", fake.Record{Name: "", Type: "MX 10", RData: rdata}))
	}
	rs := mustRead(t, e.p, "example.com").Find("@", "MX")
	require.NotNil(t, rs)
	require.Equal(t, []string{"10 mail.example.com."}, rs.Values, "two spellings of one value")
	e.fake.Faults().ResetCounts()
	syncZone(t, e.p, desired(t, "example.com", 3600, set{"@", "MX", []string{"10 mx.example.com."}}))
	assert.Empty(t, cmp.Diff(map[string]int{"PUT /dns/{domain}/record": 1, "DELETE /dns/{domain}/record": 1}, changes(e)), "calls (-want +got)")
	assert.Empty(t, cmp.Diff([]string{"|MX 10|mx.example.com"}, wireState(t, e, "example.com")), "records at the API (-want +got)")
}
