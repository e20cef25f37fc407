package plesk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/plesk"
	"github.com/zonesync/zonesync/providers/plesk/fake"
)

// TestNeverUnfiltered drives every action, a retry and every read through
// the provider, then checks the fake saw no packet that reaches the
// server-wide template or all zones (an empty del_rec filter deletes every
// record of the server), and that the other site's records and the
// template are untouched.
func TestNeverUnfiltered(t *testing.T) {
	fx := newFixture(t, zone, "other.test")
	for _, v := range []string{"192.0.2.100", "192.0.2.101"} {
		_, err := fx.fake.AddRecord("other.test", "A", "www", v, "")
		require.NoError(t, err)
	}
	other, template := fx.fake.Records("other.test"), fx.fake.Records("")
	first := desired(t, zone, ttl,
		rec{"www", "A", []string{"192.0.2.1", "192.0.2.2"}},
		rec{"alias", "CNAME", []string{"www.example.test."}},
		rec{"gone", "TXT", []string{"bye"}})
	first.SOA = &model.SOA{Refresh: 7200}
	second := desired(t, zone, 600,
		rec{"www", "A", []string{"192.0.2.2", "192.0.2.3"}},
		rec{"alias", "CNAME", []string{"example.test."}})
	second.SOA = &model.SOA{Minimum: 600}
	slave := desired(t, zone, 600)
	slave.Mode, slave.Masters = model.Slave, []string{"192.0.2.53"}
	slave2 := desired(t, zone, 600)
	slave2.Mode, slave2.Masters = model.Slave, []string{"192.0.2.54"}
	seen := map[plan.Action]bool{}
	for i, z := range []*model.Zone{first, second, slave, slave2, second, desired(t, zone, 600)} {
		if i == 1 {
			fx.fake.Faults().Script(faults.ResetAfterApply)
		}
		for _, op := range fx.sync(t, z).Operations {
			seen[op.Action] = true
		}
	}
	for _, a := range []plan.Action{plan.Create, plan.Update, plan.Delete, plan.UpdateTTL, plan.UpdateSOA, plan.SwitchMode, plan.UpdateMasters} {
		assert.True(t, seen[a], "the test never planned %s", a)
	}
	_, err := fx.p.ListZones(context.Background())
	require.NoError(t, err)
	require.Empty(t, fx.fake.Dangerous(), "the provider sent packets that reach beyond its zone")
	assert.Empty(t, cmp.Diff(other, fx.fake.Records("other.test")), "other.test's records changed (-before +after)")
	assert.Empty(t, cmp.Diff(template, fx.fake.Records("")), "the zone template's records changed (-before +after)")
}

// TestCredentialsNeverInErrors fails calls every way there is and checks
// no error holds the password or the key: transport errors (Go's
// *url.Error prints the URL), bodies echoed back by a failing server,
// Plesk's own authentication errors.
func TestCredentialsNeverInErrors(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A broken proxy that prints the request headers into a 502 page.
		w.WriteHeader(http.StatusBadGateway)
		for k, v := range r.Header {
			w.Write([]byte(k + ": " + strings.Join(v, ",") + "\n"))
		}
	}))
	defer echo.Close()
	wrong := fake.New(fake.Options{Login: "someone", Password: "else-entirely", SecretKey: "another-key"})
	wrongSrv := httptest.NewServer(wrong)
	defer wrongSrv.Close()
	for _, tc := range []struct {
		name, endpoint string
		key            bool
		want           string
	}{
		{"connection refused, password", closed.URL, false, "connect"},
		{"connection refused, key", closed.URL, true, "connect"},
		{"headers echoed in a 502, password", echo.URL, false, "HTTP 502"},
		{"headers echoed in a 502, key", echo.URL, true, "HTTP 502"},
		{"wrong password", wrongSrv.URL, false, `error 1001 "Authentication failed - wrong password."`},
		{"wrong key", wrongSrv.URL, true, `error 11003 "Secret key validation failed."`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := plesk.Settings{Login: testLogin, Password: testPassword, Settings: httpx.Settings{Endpoint: tc.endpoint}}
			if tc.key {
				s = plesk.Settings{SecretKey: testKey, Settings: httpx.Settings{Endpoint: tc.endpoint}}
			}
			p := newProvider(t, s)
			ctx := context.Background()
			_, errList := p.ListZones(ctx)
			_, errRead := p.ReadZone(ctx, zone, providers.ReadOptions{})
			live := &model.Zone{Name: zone, Mode: model.Master}
			errsApply := p.Apply(ctx, live, []*plan.Operation{{Action: plan.Create, Name: "a", Type: "A", After: &plan.State{Values: []string{"192.0.2.1"}}}})
			for _, err := range []error{errList, errRead, errsApply[0]} {
				require.Error(t, err, "a call to a failing server succeeded")
				msg := err.Error()
				require.NotContains(t, msg, testPassword, "error shows a credential")
				require.NotContains(t, msg, testKey, "error shows a credential")
				assert.True(t, strings.HasPrefix(msg, "plesk: "), "error %q does not start with plesk:", msg)
				assert.Contains(t, msg, tc.want)
				assert.NotContains(t, msg, "\n", "error spans lines")
			}
		})
	}
}

// TestReadZone checks what a read gives for the zones Plesk can have.
func TestReadZone(t *testing.T) {
	fx := newFixture(t, "Example.TEST", "off.test")
	for _, r := range [][4]string{
		{"NS", "", "ns1.example.test", ""},
		{"A", "WWW", "192.0.2.1", ""},
		{"A", "www", "192.0.2.2", ""},
		{"MX", "example.test", "mail.example.test", "10"},
		{"SRV", "_sip._tcp", "sip.example.test", "0 5 5060"},
		{"TXT", "txt", "v=spf1 -all", ""},
	} {
		_, err := fx.fake.AddRecord(zone, r[0], r[1], r[2], r[3])
		require.NoError(t, err)
	}
	require.NoError(t, fx.fake.SetZoneStatus("off.test", "disabled"))
	ctx := context.Background()
	live, err := fx.p.ReadZone(ctx, "EXAMPLE.test.", providers.ReadOptions{})
	require.NoError(t, err)
	// Each value with the id the index keeps for it.
	var got []string
	for _, rs := range live.Records {
		for _, v := range rs.Values {
			got = append(got, fmt.Sprintf("%s %s %s ids=%v", rs.Name, rs.Type, v, plesk.RecordIDs(fx.p, zone, rs.Name, rs.Type, v)))
		}
	}
	want := []string{
		"@ MX 10 mail.example.test. ids=[7]",
		"@ NS ns1.example.test. ids=[4]",
		"_sip._tcp SRV 0 5 5060 sip.example.test. ids=[8]",
		`txt TXT "v=spf1 -all" ids=[9]`,
		"www A 192.0.2.1 ids=[5]",
		"www A 192.0.2.2 ids=[6]",
	}
	assert.Empty(t, cmp.Diff(want, got), "records (-want +got)")
	assert.Equal(t, zone, live.Name)
	assert.Equal(t, model.Master, live.Mode)
	assert.Equal(t, uint32(86400), live.TTL)
	if assert.NotNil(t, live.SOA) {
		assert.Equal(t, uint32(10800), live.SOA.Refresh)
	}
	assert.Empty(t, live.Masters)

	_, err = fx.p.ReadZone(ctx, "off.test", providers.ReadOptions{})
	assert.ErrorContains(t, err, `status is "disabled"`, "ReadZone of a disabled zone")
	for _, missing := range []string{"missing.test", "www.example.test"} {
		_, err := fx.p.ReadZone(ctx, missing, providers.ReadOptions{})
		assert.ErrorIs(t, err, providers.ErrZoneNotFound, "ReadZone(%s)", missing)
	}
	// A slave zone's masters come back canonical and sorted, however
	// Plesk spells them.
	require.NoError(t, fx.fake.Seed(&model.Zone{Name: "slave.test", Mode: model.Slave}))
	for _, ip := range []string{"2001:DB8:0::53", "192.0.2.53", "2001:db8::53"} {
		require.NoError(t, fx.fake.AddMaster("slave.test", ip))
	}
	sl, err := fx.p.ReadZone(ctx, "slave.test", providers.ReadOptions{})
	if assert.NoError(t, err, "slave zone") {
		assert.Equal(t, model.Slave, sl.Mode)
		assert.Equal(t, []string{"192.0.2.53", "2001:db8::53"}, sl.Masters)
	}
	zones, err := fx.p.ListZones(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"example.test", "off.test", "slave.test"}, zones)

	// A site deleted after it was read: Apply reports it gone, and the next
	// read says the zone does not exist.
	require.True(t, fx.fake.RemoveSite(zone))
	errs := fx.p.Apply(ctx, live, []*plan.Operation{{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{Values: []string{"192.0.2.9"}}}})
	assert.EqualError(t, errs[0], `plesk: add_rec new A in example.test: error 1015 "site does not exist."`, "Apply to a removed site")
	_, err = fx.fake.AddSite(zone) // same name, new site-id
	require.NoError(t, err)
	errs = fx.p.Apply(ctx, live, []*plan.Operation{{Action: plan.SwitchMode, After: &plan.State{Mode: model.Slave, Masters: []string{"192.0.2.53"}}}})
	assert.NoError(t, errs[0], "Apply after the site came back (the old site-id was forgotten)")
	// The record ids of the old site went with it.
	assert.Empty(t, plesk.RecordIDs(fx.p, zone, "www", "A", "192.0.2.1"), "ids of the removed site")
	require.True(t, fx.fake.RemoveSite(zone))
	errs = fx.p.Apply(ctx, live, []*plan.Operation{{Action: plan.SwitchMode, After: &plan.State{Mode: model.Master}}})
	assert.EqualError(t, errs[0], `plesk: switch_mode of the zone in example.test: reading and adding master servers failed: get_master_server: error 1015 "site does not exist."; not attempted: switch zone_type master`, "switch of a removed site")
	_, err = fx.p.ReadZone(ctx, zone, providers.ReadOptions{})
	assert.ErrorIs(t, err, providers.ErrZoneNotFound, "ReadZone of a removed site")
}

// TestSecretKey checks the KEY header way of logging in.
func TestSecretKey(t *testing.T) {
	fx := newFixture(t, zone)
	p := newProvider(t, plesk.Settings{SecretKey: testKey, Settings: httpx.Settings{Endpoint: fx.srv.URL}})
	_, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{})
	require.NoError(t, err)
}

// TestUnsupportedActions checks actions Plesk cannot carry out fail with
// a reason and send nothing.
func TestUnsupportedActions(t *testing.T) {
	fx := newFixture(t, zone)
	ctx := context.Background()
	live, err := fx.p.ReadZone(ctx, zone, providers.ReadOptions{})
	require.NoError(t, err)
	packets := fx.fake.Packets()
	errs := fx.p.Apply(ctx, live, []*plan.Operation{
		{Action: plan.CreateZone},
		{Action: plan.CreateFailover, Name: "www", Type: "A", After: &plan.State{Failover: &model.Failover{Check: "http"}}},
		{Action: plan.UpdateSOA, After: &plan.State{SOA: &model.SOA{PrimaryNS: "ns1.example.test.", Refresh: 3600}}},
		{Action: plan.Delete, Name: "nothing", Type: "A", Before: &plan.State{Values: []string{"192.0.2.1"}}},
	})
	for i, want := range []string{
		"plesk: create_zone of the zone in example.test: Plesk's DNS API cannot create zones: create the site example.test in Plesk first",
		"plesk: create_failover www A in example.test: Plesk has no failover",
		"plesk: update_soa of the zone in example.test: Plesk's API cannot set the SOA's primary_ns or admin_mail",
		"plesk: delete nothing A in example.test: no record id is known for value 192.0.2.1 (the zone's last read has none); plan again",
	} {
		assert.EqualError(t, errs[i], want, "operation %d", i)
	}
	assert.Equal(t, packets, fx.fake.Packets(), "operations that cannot run sent packets")
}
