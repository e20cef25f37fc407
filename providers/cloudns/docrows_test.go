package cloudns

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
)

// updateSOA is an update_soa operation setting every field the modify-soa
// page lists; mod changes the fields before it is sent.
func updateSOA(mod func(*model.SOA)) *plan.Operation {
	s := &model.SOA{PrimaryNS: "ns1.cloudns.net.", AdminMail: "support@cloudns.net", Refresh: 7200, Retry: 1800, Expire: 1209600, Minimum: 3600}
	mod(s)
	return &plan.Operation{Action: plan.UpdateSOA, After: &plan.State{SOA: s}}
}

// TestModifySOAPageThroughClient: the client sends the rows of "Modify SOA
// details" (https://www.cloudns.net/wiki/article/63/): every field, for a
// domain and for reverse zones alike, and reports each refusal with the
// page's text.
func TestModifySOAPageThroughClient(t *testing.T) {
	ctx := context.Background()
	for _, zone := range []string{"example.test", "1.0.0.127.in-addr.arpa", "1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2.ip6.arpa"} {
		t.Run("accepted in "+zone, func(t *testing.T) {
			e := newEnv(t, nil)
			require.NoError(t, e.fake.Seed(&model.Zone{Name: zone}))
			live, err := e.p.ReadZone(ctx, zone, providers.ReadOptions{})
			require.NoError(t, err)
			require.NoError(t, e.applyOne(live, updateSOA(func(*model.SOA) {})))
			got, _ := e.fake.ZoneSOA(zone)
			got.Serial = 0
			want := fake.SOA{PrimaryNS: "ns1.cloudns.net", AdminMail: "support@cloudns.net", Refresh: 7200, Retry: 1800, Expire: 1209600, DefaultTTL: 3600}
			assert.Empty(t, cmp.Diff(want, got), "SOA at the API (-want +got)")
		})
	}
	for _, tc := range []struct {
		name string
		mod  func(*model.SOA)
		want string
	}{
		{"primary-ns", func(s *model.SOA) { s.PrimaryNS = "ns1 cloudns." }, "Invalid hostname for Primary NS"},
		{"admin-mail", func(s *model.SOA) { s.AdminMail = "support" }, "Invalid admin mail"},
		{"refresh below 1200", func(s *model.SOA) { s.Refresh = 1199 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
		{"refresh above 43200", func(s *model.SOA) { s.Refresh = 43201 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
		{"retry below 180", func(s *model.SOA) { s.Retry = 179 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
		{"retry above 2419200", func(s *model.SOA) { s.Retry = 2419201 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
		{"expire below 1209600", func(s *model.SOA) { s.Expire = 1209599 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
		{"expire above 2419200", func(s *model.SOA) { s.Expire = 2419201 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
		{"default-ttl below 60", func(s *model.SOA) { s.Minimum = 59 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
		{"default-ttl above 2419200", func(s *model.SOA) { s.Minimum = 2419201 }, "Invalid Refresh/Retry/Expire/Default TTL value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			err := e.applyOne(e.seeded(t), updateSOA(tc.mod))
			require.Error(t, err)
			assert.Equal(t, `cloudns: modify-soa in example.test: "`+tc.want+`"`, err.Error())
			assert.NotErrorIs(t, err, providers.ErrZoneNotFound)
		})
	}
	t.Run("zone gone before the call", func(t *testing.T) {
		e := newEnv(t, nil)
		live := e.seeded(t)
		e.fake.DeleteZone("example.test")
		err := e.applyOne(live, updateSOA(func(*model.SOA) {}))
		require.Error(t, err)
		assert.Equal(t, `cloudns: modify-soa in example.test: "Missing domain-name"`, err.Error())
	})
}

// TestFailoverSettingsPageThroughClient: what the client makes of the
// answers of "Failover settings" (https://www.cloudns.net/wiki/article/273/):
// the settings, with state 0 (paused) or 1 (active) and any check status
// (-1, 0, 1), and each documented failure, which fails the read instead of
// reading the record without its failover.
func TestFailoverSettingsPageThroughClient(t *testing.T) {
	const settings = `{"check_type":17,"check_settings":[],"status":%s,"down_event_handler":0,"up_event_handler":0,` +
		`"main_ip":"192.0.2.1","backup_ip_1":"","backup_ip_2":"","backup_ip_3":"","backup_ip_4":"","backup_ip_5":"","state":"%s"}`
	answer := func(status, state string) string {
		return strings.Replace(strings.Replace(settings, "%s", status, 1), "%s", state, 1)
	}
	for _, tc := range []struct {
		name, answer string
		active       bool
		wantErr      string
	}{
		{"state 1, status up", answer("1", "1"), true, ""},
		{"state 0, status down", answer("0", "0"), false, ""},
		{"state 1, status unknown", answer("-1", "1"), true, ""},
		{"state 0, status unknown", answer("-1", "0"), false, ""},
		{"invalid record-id", `{"status":"Failed","statusDescription":"Invalid record-id param."}`, false,
			`cloudns: failover-settings www A in example.test: "Invalid record-id param."`},
		{"missing domain-name", `{"status":"Failed","statusDescription":"Missing domain-name"}`, false,
			`cloudns: failover-settings www A in example.test: "Missing domain-name"`},
		{"failover not activated", `{"status":"Failed","statusDescription":"DNS Failover is not activated for this record."}`, false,
			`cloudns: failover-settings www A in example.test: "DNS Failover is not activated for this record."`},
		{"authentication", `{"status":"Failed","statusDescription":"Invalid authentication, incorrect auth-id or auth-password."}`, false,
			`cloudns: failover-settings www A in example.test: "Invalid authentication, incorrect auth-id or auth-password."`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/dns/failover-settings.json" {
						w.Header().Set("Content-Type", "application/json")
						_, _ = w.Write([]byte(tc.answer))
						return
					}
					h.ServeHTTP(w, r)
				})
			})
			www := set("www", "A", "192.0.2.1")
			www.Failover = &model.Failover{Check: "ping", Down: "notify", Up: "notify", Active: true}
			require.NoError(t, e.fake.Seed(zoneOf(t, "example.test", www)))
			z, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Nil(t, z, "a failed read gave a zone")
				assert.Equal(t, tc.wantErr, err.Error())
				assert.False(t, errors.Is(err, providers.ErrZoneNotFound), "a failed failover read reads as a missing zone")
				return
			}
			require.NoError(t, err)
			rs := z.Find("www", "A")
			require.NotNil(t, rs)
			require.NotNil(t, rs.Failover)
			assert.Equal(t, tc.active, rs.Failover.Active)
			assert.Equal(t, "ping", rs.Failover.Check)
		})
	}
}
