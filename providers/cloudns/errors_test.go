package cloudns

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/httpx"
)

func ttlp(v uint32) *uint32 { return &v }

// seeded makes example.test with one A record www and returns its live zone.
func (e *env) seeded(t *testing.T) *model.Zone {
	t.Helper()
	require.NoError(t, e.fake.Seed(zoneOf(t, "example.test", set("www", "A", "192.0.2.1"))))
	live, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
	require.NoError(t, err)
	return live
}

func (e *env) applyOne(live *model.Zone, op *plan.Operation) error {
	return e.p.Apply(context.Background(), live, []*plan.Operation{op})[0]
}

func withPassword(e *env, identity [2]string, password string) *env {
	c := *e.p.c
	c.identity, c.password = identity, password
	p := newProvider(&c)
	return &env{p: p, fake: e.fake, srv: e.srv}
}

// TestDocumentedErrors drives every documented failure through the
// provider and checks the whole message: the call, what it was about, the
// zone, and ClouDNS's description quoted.
func TestDocumentedErrors(t *testing.T) {
	soa := func(mod func(*model.SOA)) *plan.Operation {
		s := &model.SOA{PrimaryNS: "ns1.example.test.", AdminMail: "hostmaster@example.test", Refresh: 7200, Retry: 1800, Expire: 1209600, Minimum: 3600}
		mod(s)
		return &plan.Operation{Action: plan.UpdateSOA, After: &plan.State{SOA: s}}
	}
	for _, tc := range []struct {
		name string
		do   func(t *testing.T, e *env) error
		want string
	}{
		{"wrong password", func(t *testing.T, e *env) error {
			e.seeded(t)
			_, err := withPassword(e, [2]string{"auth-id", testAuthID}, "wrong").p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			return err
		}, `cloudns: get-zone-info in example.test: "Invalid authentication, incorrect auth-id or auth-password."`},
		{"wrong sub-auth-id", func(t *testing.T, e *env) error {
			_, err := withPassword(e, [2]string{"sub-auth-id", "78"}, testPassword).p.ListZones(context.Background())
			return err
		}, `cloudns: list-zones: "Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password."`},
		{"wrong sub-auth-user password", func(t *testing.T, e *env) error {
			_, err := withPassword(e, [2]string{"sub-auth-user", "ops"}, "nope").p.ListZones(context.Background())
			return err
		}, `cloudns: list-zones: "Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password."`},
		{"missing zone on apply", func(t *testing.T, e *env) error {
			live := e.seeded(t)
			e.fake.DeleteZone("example.test")
			return e.applyOne(live, &plan.Operation{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.2"}}})
		}, `cloudns: add-record new A in example.test: "Missing domain-name"`},
		{"unknown record id", func(t *testing.T, e *env) error {
			live := e.seeded(t)
			// Another writer deletes the record after the read.
			e.fake.RemoveRecord("example.test", onlyRecord(t, e, "www", "A")[0].ID)
			return e.applyOne(live, &plan.Operation{Action: plan.Update, Name: "www", Type: "A",
				Before: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.1"}}, After: &plan.State{TTL: ttlp(3600), Values: []string{"192.0.2.9"}}})
		}, `cloudns: mod-record www A in example.test: "Invalid record-id param."`},
		{"record deleted twice", func(t *testing.T, e *env) error {
			e.seeded(t)
			id := e.p.idx.id(setRef{zone: "example.test", name: "www", rrtype: "A"}, "192.0.2.1")
			if err := e.p.c.deleteRecord(context.Background(), target{subject: "www A", zone: "example.test"}, id, nil); err != nil {
				return err
			}
			return e.p.c.deleteRecord(context.Background(), target{subject: "www A", zone: "example.test"}, id, nil)
		}, `cloudns: delete-record www A in example.test: "Invalid record-id param."`},
		{"TTL not in the list", func(t *testing.T, e *env) error {
			live := e.seeded(t)
			return e.applyOne(live, &plan.Operation{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{TTL: ttlp(3601), Values: []string{"192.0.2.2"}}})
		}, `cloudns: add-record new A in example.test: "Invalid TTL. Choose from the list of the values we support."`},
		{"bad primary NS", func(t *testing.T, e *env) error {
			return e.applyOne(e.seeded(t), soa(func(s *model.SOA) { s.PrimaryNS = "not a host." }))
		}, `cloudns: modify-soa in example.test: "Invalid hostname for Primary NS"`},
		{"bad admin mail", func(t *testing.T, e *env) error {
			return e.applyOne(e.seeded(t), soa(func(s *model.SOA) { s.AdminMail = "nobody" }))
		}, `cloudns: modify-soa in example.test: "Invalid admin mail"`},
		{"refresh out of range", func(t *testing.T, e *env) error {
			return e.applyOne(e.seeded(t), soa(func(s *model.SOA) { s.Refresh = 1199 }))
		}, `cloudns: modify-soa in example.test: "Invalid Refresh/Retry/Expire/Default TTL value"`},
		{"zone already added", func(t *testing.T, e *env) error {
			e.seeded(t)
			return e.applyOne(&model.Zone{Name: "example.test"}, &plan.Operation{Action: plan.CreateZone, After: &plan.State{Mode: model.Master}})
		}, `cloudns: register in example.test: "example.test has been already added."`},
		{"invalid zone name", func(t *testing.T, e *env) error {
			return e.applyOne(&model.Zone{Name: "bad_zone"}, &plan.Operation{Action: plan.CreateZone, After: &plan.State{Mode: model.Master}})
		}, `cloudns: register in bad_zone: "bad_zone is invalid domain name."`},
		{"invalid master IP", func(t *testing.T, e *env) error {
			return e.applyOne(&model.Zone{Name: "slave.test"}, &plan.Operation{Action: plan.CreateZone, After: &plan.State{Mode: model.Slave, Masters: []string{"192.0.2.300"}}})
		}, `cloudns: register in slave.test: "Invalid IP address for the master server."`},
		{"invalid master id", func(t *testing.T, e *env) error {
			if err := e.fake.Seed(&model.Zone{Name: "slave.test", Mode: model.Slave, Masters: []string{"192.0.2.53"}}); err != nil {
				return err
			}
			return e.p.c.deleteMasterServer(context.Background(), "slave.test", "192.0.2.54", "4711", nil)
		}, `cloudns: delete-master-server 192.0.2.54 in slave.test: "Invalid parameter master-id"`},
		{"rate limited on every try", func(t *testing.T, e *env) error {
			e.fake.Faults().Script(faults.RateLimit, faults.RateLimit, faults.RateLimit, faults.RateLimit, faults.RateLimit)
			_, err := e.p.ListZones(context.Background())
			return err
		}, `cloudns: list-zones: "Request blocked. 127.0.0.1 is sending more than 20 requests per second." (after 5 attempts)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			err := tc.do(t, e)
			require.EqualError(t, err, tc.want)
			assert.NotContains(t, err.Error(), testPassword)
			assert.NotContains(t, err.Error(), "\n")
			assert.NotErrorIs(t, err, providers.ErrZoneNotFound)
		})
	}
}

func TestReadMissingZoneIsNotFound(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.p.ReadZone(context.Background(), "absent.test", providers.ReadOptions{})
	assert.ErrorIs(t, err, providers.ErrZoneNotFound)
	assert.EqualError(t, err, `cloudns: get-zone-info in absent.test: "Missing domain-name": zone not found`)
}

// TestFailedReadIsAnError checks that a read failing after the zone was
// found is an error, never an empty zone.
func TestFailedReadIsAnError(t *testing.T) {
	for _, step := range []string{"records", "soa-details"} {
		t.Run(step, func(t *testing.T) {
			e := newEnv(t, nil)
			e.seeded(t)
			in := e.fake.Faults()
			in.Skip = func(r *http.Request) bool { return !strings.Contains(r.URL.Path, step) }
			in.Script(faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError)
			z, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			require.Error(t, err)
			assert.Nil(t, z, "a failed read gave a zone")
			assert.Contains(t, err.Error(), "cloudns: "+step+" in example.test: POST", "the error names the call")
			assert.Contains(t, err.Error(), "HTTP 503", "the error names the status")
			assert.NotErrorIs(t, err, providers.ErrZoneNotFound, "a failed read reads as a missing zone")
		})
	}
}

// TestUnexpectedAnswers: an answer of the wrong shape is an error naming
// the call, never an empty zone or a silent success.
func TestUnexpectedAnswers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers map[string]string
		do      func(p *Provider) error
		want    string
	}{
		{"records not an object", map[string]string{"get-zone-info": `{"name":"example.test","type":"master"}`, "records": `"none"`},
			func(p *Provider) error {
				_, err := p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
				return err
			},
			`cloudns: records in example.test: unexpected answer`},
		{"zone type unknown", map[string]string{"get-zone-info": `{"name":"example.test","type":"geodns"}`},
			func(p *Provider) error {
				_, err := p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
				return err
			},
			`cloudns: get-zone-info in example.test: zone type "geodns" is not one zonesync manages (master or slave)`},
		{"change without a status", map[string]string{"delete-record": `[]`},
			func(p *Provider) error {
				return p.c.deleteRecord(context.Background(), target{subject: "www A", zone: "example.test"}, "1", nil)
			},
			`cloudns: delete-record www A in example.test: unexpected answer: []`},
		{"add without an id", map[string]string{"add-record": `{"status":"Success","statusDescription":"The record was added successfully."}`},
			func(p *Provider) error {
				_, err := p.addRecord(context.Background(), setRef{zone: "example.test", name: "www", rrtype: "A"}, "192.0.2.1", 300)
				return err
			},
			`cloudns: add-record www A in example.test: the answer carries no record id (data.id)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(tc.answers[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/dns/"), ".json")]))
			}))
			defer srv.Close()
			p, err := New(Settings{AuthID: "1", AuthPassword: testPassword, Settings: httpx.Settings{Endpoint: srv.URL, RequestsPerSecond: 1000}})
			require.NoError(t, err)
			err = tc.do(p)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "error %q, want it to start with %q", err, tc.want)
		})
	}
}
