package plesk_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/plesk"
	"github.com/zonesync/zonesync/providers/plesk/fake"
)

// switchPage is Plesk's page on the switch operation, whose rows these tests follow.
const switchPage = "https://docs.plesk.com/en-US/onyx/api-rpc/reference/managing-dns/managing-name-servers/switching-name-server-mode.34992/"

// tap serves a fake behind a handler that logs the operation elements of
// every dns packet, and answers a packet holding answerFor with answer
// instead of passing it on.
type tap struct {
	fake *fake.Server
	srv  *httptest.Server
	p    *plesk.Provider

	mu                sync.Mutex
	packets           [][]string
	answerFor, answer string
}

func newTap(t *testing.T) *tap {
	t.Helper()
	tp := &tap{fake: fake.New(fake.Options{Login: testLogin, Password: testPassword})}
	_, err := tp.fake.AddSite(zone)
	require.NoError(t, err)
	tp.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		tp.mu.Lock()
		ops := dnsOps(body)
		if len(ops) > 0 {
			tp.packets = append(tp.packets, ops)
		}
		answer := ""
		if tp.answerFor != "" && bytes.Contains(body, []byte(tp.answerFor)) {
			answer = tp.answer
		}
		tp.mu.Unlock()
		if answer != "" {
			w.Header().Set("Content-Type", "text/xml")
			_, _ = io.WriteString(w, answer)
			return
		}
		tp.fake.ServeHTTP(w, r)
	}))
	t.Cleanup(tp.srv.Close)
	tp.p = newProvider(t, plesk.Settings{Login: testLogin, Password: testPassword, Settings: httpx.Settings{Endpoint: tp.srv.URL}})
	return tp
}

// sent returns the dns packets sent since the last call, each as its
// operation elements in order.
func (tp *tap) sent() [][]string {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	out := tp.packets
	tp.packets = nil
	return out
}

// dnsOps lists the operation elements inside a packet's <dns> elements.
func dnsOps(body []byte) []string {
	var ops []string
	d := xml.NewDecoder(bytes.NewReader(body))
	var path []string
	for {
		tok, err := d.Token()
		if err != nil {
			return ops
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) == 2 && path[1] == "dns" {
				ops = append(ops, t.Name.Local)
			}
			path = append(path, t.Name.Local)
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
}

// switchOp is a switch_mode operation to mode with masters.
func switchOp(mode model.Mode, masters ...string) []*plan.Operation {
	return []*plan.Operation{{Action: plan.SwitchMode, After: &plan.State{Mode: mode, Masters: masters}}}
}

// TestSwitchAddsMastersFirst: a master→slave switch adds the masters
// before it sends switch, so a failed add leaves the zone a master that
// still serves, not a slave without masters; a slave→master switch
// removes the masters only after the switch.
func TestSwitchAddsMastersFirst(t *testing.T) {
	ctx := context.Background()
	tp := newTap(t)
	live, err := tp.p.ReadZone(ctx, zone, providers.ReadOptions{})
	require.NoError(t, err)
	tp.sent()

	errs := tp.p.Apply(ctx, live, switchOp(model.Slave, "192.0.2.53", "2001:db8::53"))
	require.NoError(t, errs[0])
	want := [][]string{{"get_master_server"}, {"add_master_server", "add_master_server"}, {"switch"}}
	assert.Empty(t, cmp.Diff(want, tp.sent()), "packets to slave (-want +got)")
	z, _ := tp.fake.Zone(zone)
	assert.Equal(t, "slave", z.Type)
	assert.Empty(t, cmp.Diff([]string{"192.0.2.53", "2001:db8::53"}, z.Masters))

	live, err = tp.p.ReadZone(ctx, zone, providers.ReadOptions{})
	require.NoError(t, err)
	tp.sent()
	errs = tp.p.Apply(ctx, live, switchOp(model.Master))
	require.NoError(t, errs[0])
	want = [][]string{{"get_master_server"}, {"switch"}, {"del_master_server", "del_master_server"}}
	assert.Empty(t, cmp.Diff(want, tp.sent()), "packets back to master (-want +got)")
	z, _ = tp.fake.Zone(zone)
	assert.Equal(t, "master", z.Type)
	assert.Empty(t, z.Masters)
}

// TestSwitchNotSentWhenAMasterFails: when Plesk refuses a master, the
// switch is not sent and the report says so.
func TestSwitchNotSentWhenAMasterFails(t *testing.T) {
	ctx := context.Background()
	tp := newTap(t)
	live, err := tp.p.ReadZone(ctx, zone, providers.ReadOptions{})
	require.NoError(t, err)
	tp.sent()
	errs := tp.p.Apply(ctx, live, switchOp(model.Slave, "192.0.2.53", "192.0.2.300"))
	require.Error(t, errs[0])
	assert.Equal(t, `plesk: switch_mode of the zone in example.test: added master 192.0.2.53 (id 1); `+
		`add_master_server master 192.0.2.300 failed: error 1019 "Invalid value."; not attempted: switch zone_type slave`, errs[0].Error())
	for _, p := range tp.sent() {
		assert.NotContains(t, p, "switch", "a switch was sent")
	}
	z, _ := tp.fake.Zone(zone)
	assert.Equal(t, "master", z.Type, "the zone switched although a master failed")
}

// TestSwitchResultRows: the client reads each form of a switch result the
// switch page documents (status ok or error; errcode and errtext
// optional; site-id given back) and reports what Plesk said, or that it
// said nothing.
func TestSwitchResultRows(t *testing.T) {
	packet := func(result string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><packet><dns><switch>` + result + `</switch></dns></packet>`
	}
	for _, tc := range []struct {
		name, answer, want string
	}{
		{"ok with the site-id", packet(`<result><status>ok</status><site-id>1</site-id></result>`), ""},
		{"error with errcode and errtext", packet(`<result><status>error</status><errcode>1015</errcode><errtext>site does not exist</errtext><site-id>1</site-id></result>`),
			`error 1015 "site does not exist"`},
		{"error without errcode or errtext", packet(`<result><status>error</status><site-id>1</site-id></result>`),
			`Plesk answered status error without an errcode or errtext, so it did not say why`},
		{"error with errcode only", packet(`<result><status>error</status><errcode>1023</errcode><site-id>1</site-id></result>`),
			`error 1023 (Plesk gave no errtext)`},
		{"error with errtext only", packet(`<result><status>error</status><errtext>Operation failed.</errtext><site-id>1</site-id></result>`),
			`error "Operation failed." (Plesk gave no errcode)`},
		{"no status", packet(`<result><site-id>1</site-id></result>`),
			`Plesk's result holds no status (ok or error)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			tp := newTap(t)
			live, err := tp.p.ReadZone(ctx, zone, providers.ReadOptions{})
			require.NoError(t, err)
			live.Mode = model.Slave
			tp.mu.Lock()
			tp.answerFor, tp.answer = "<switch>", tc.answer
			tp.mu.Unlock()
			errs := tp.p.Apply(ctx, live, switchOp(model.Master))
			if tc.want == "" {
				assert.NoError(t, errs[0])
				return
			}
			require.Error(t, errs[0])
			want := "plesk: switch_mode of the zone in example.test: switch zone_type master failed: " + tc.want
			assert.Equal(t, want, errs[0].Error(), "the page: %s", switchPage)
		})
	}
}
