package plesk_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

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
		if _, err := fx.fake.AddRecord("other.test", "A", "www", v, ""); err != nil {
			t.Fatal(err)
		}
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
		if !seen[a] {
			t.Errorf("the test never planned %s", a)
		}
	}
	if _, err := fx.p.ListZones(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := fx.fake.Dangerous(); len(d) > 0 {
		t.Fatalf("the provider sent packets that reach beyond its zone: %q", d)
	}
	if got := fx.fake.Records("other.test"); !slices.Equal(got, other) {
		t.Errorf("other.test's records changed: %+v, want %+v", got, other)
	}
	if got := fx.fake.Records(""); !slices.Equal(got, template) {
		t.Errorf("the zone template's records changed: %+v, want %+v", got, template)
	}
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
				if err == nil {
					t.Fatal("a call to a failing server succeeded")
				}
				msg := err.Error()
				if strings.Contains(msg, testPassword) || strings.Contains(msg, testKey) {
					t.Fatalf("error shows a credential: %s", msg)
				}
				if !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, "plesk: ") {
					t.Errorf("error %q, want it to start with plesk: and say %q", msg, tc.want)
				}
				if strings.Contains(msg, "\n") {
					t.Errorf("error spans lines: %q", msg)
				}
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
		if _, err := fx.fake.AddRecord(zone, r[0], r[1], r[2], r[3]); err != nil {
			t.Fatal(err)
		}
	}
	if err := fx.fake.SetZoneStatus("off.test", "disabled"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	live, err := fx.p.ReadZone(ctx, "EXAMPLE.test.", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rs := range live.Records {
		for _, v := range rs.Values {
			got = append(got, rs.Name+" "+rs.Type+" "+v+" id="+rs.IDs[v])
		}
	}
	want := []string{
		"@ MX 10 mail.example.test. id=7",
		"@ NS ns1.example.test. id=4",
		"_sip._tcp SRV 0 5 5060 sip.example.test. id=8",
		`txt TXT "v=spf1 -all" id=9`,
		"www A 192.0.2.1 id=5",
		"www A 192.0.2.2 id=6",
	}
	if !slices.Equal(got, want) {
		t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if live.Name != zone || live.Mode != model.Master || live.TTL != 86400 || live.SOA == nil || live.SOA.Refresh != 10800 || len(live.Masters) != 0 {
		t.Errorf("zone %+v soa %+v", live, live.SOA)
	}

	if _, err := fx.p.ReadZone(ctx, "off.test", providers.ReadOptions{}); err == nil || !strings.Contains(err.Error(), `status is "disabled"`) {
		t.Errorf("ReadZone of a disabled zone: %v", err)
	}
	for _, missing := range []string{"missing.test", "www.example.test"} {
		if _, err := fx.p.ReadZone(ctx, missing, providers.ReadOptions{}); !errors.Is(err, providers.ErrZoneNotFound) {
			t.Errorf("ReadZone(%s) = %v, want ErrZoneNotFound", missing, err)
		}
	}
	// A slave zone's masters come back canonical and sorted, however
	// Plesk spells them.
	if err := fx.fake.Seed(&model.Zone{Name: "slave.test", Mode: model.Slave}); err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"2001:DB8:0::53", "192.0.2.53", "2001:db8::53"} {
		if err := fx.fake.AddMaster("slave.test", ip); err != nil {
			t.Fatal(err)
		}
	}
	if sl, err := fx.p.ReadZone(ctx, "slave.test", providers.ReadOptions{}); err != nil || sl.Mode != model.Slave || !slices.Equal(sl.Masters, []string{"192.0.2.53", "2001:db8::53"}) {
		t.Errorf("slave zone: %+v, %v", sl, err)
	}
	zones, err := fx.p.ListZones(ctx)
	if err != nil || !slices.Equal(zones, []string{"example.test", "off.test", "slave.test"}) {
		t.Errorf("ListZones = %v, %v", zones, err)
	}

	// A site deleted after it was read: Apply reports it gone, and the next
	// read says the zone does not exist.
	if !fx.fake.RemoveSite(zone) {
		t.Fatal("RemoveSite")
	}
	errs := fx.p.Apply(ctx, live, []*plan.Operation{{Action: plan.Create, Name: "new", Type: "A", After: &plan.State{Values: []string{"192.0.2.9"}}}})
	if errs[0] == nil || errs[0].Error() != `plesk: add_rec new A in example.test: error 1015 "site does not exist."` {
		t.Errorf("Apply to a removed site: %v", errs[0])
	}
	if _, err := fx.fake.AddSite(zone); err != nil { // same name, new site-id
		t.Fatal(err)
	}
	errs = fx.p.Apply(ctx, live, []*plan.Operation{{Action: plan.SwitchMode, After: &plan.State{Mode: model.Slave, Masters: []string{"192.0.2.53"}}}})
	if errs[0] != nil {
		t.Errorf("Apply after the site came back (the old site-id was forgotten): %v", errs[0])
	}
	if !fx.fake.RemoveSite(zone) {
		t.Fatal("RemoveSite")
	}
	errs = fx.p.Apply(ctx, live, []*plan.Operation{{Action: plan.SwitchMode, After: &plan.State{Mode: model.Master}}})
	if want := `plesk: switch_mode of the zone in example.test: reading and adding master servers failed: get_master_server: error 1015 "site does not exist."; not attempted: switch zone_type master`; errs[0] == nil || errs[0].Error() != want {
		t.Errorf("switch of a removed site: %v\nwant %s", errs[0], want)
	}
	if _, err := fx.p.ReadZone(ctx, zone, providers.ReadOptions{}); !errors.Is(err, providers.ErrZoneNotFound) {
		t.Errorf("ReadZone of a removed site = %v, want ErrZoneNotFound", err)
	}
}

// TestSecretKey checks the KEY header way of logging in.
func TestSecretKey(t *testing.T) {
	fx := newFixture(t, zone)
	p := newProvider(t, plesk.Settings{SecretKey: testKey, Settings: httpx.Settings{Endpoint: fx.srv.URL}})
	if _, err := p.ReadZone(context.Background(), zone, providers.ReadOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestUnsupportedActions checks actions Plesk cannot carry out fail with
// a reason and send nothing.
func TestUnsupportedActions(t *testing.T) {
	fx := newFixture(t, zone)
	ctx := context.Background()
	live, err := fx.p.ReadZone(ctx, zone, providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
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
		"plesk: delete nothing A in example.test: the live zone has no record id for value 192.0.2.1; plan again",
	} {
		if errs[i] == nil || errs[i].Error() != want {
			t.Errorf("operation %d: %v, want %q", i, errs[i], want)
		}
	}
	if fx.fake.Packets() != packets {
		t.Errorf("operations that cannot run sent %d packets", fx.fake.Packets()-packets)
	}
}
