package plesk_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/plesk"
	"github.com/zonesync/zonesync/providers/plesk/fake"
)

// addsPacket reports whether a request carries add_rec calls, and gives
// the body back to the request for the fake to read.
func addsPacket(r *http.Request) bool {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return bytes.Contains(body, []byte("<add_rec>"))
}

// fortyRecords is a zone of 40 A records, one packet's worth of creates.
func fortyRecords(t *testing.T) *model.Zone {
	var recs []rec
	for i := range 40 {
		recs = append(recs, rec{fmt.Sprintf("host%02d", i), "A", []string{fmt.Sprintf("192.0.2.%d", i+1)}})
	}
	return desired(t, zone, ttl, recs...)
}

// runOutcome applies a plan with ctx and stop and checks that every
// operation's outcome is unknown, that every record landed once, and that
// a new plan has nothing left to do.
func runOutcome(t *testing.T, fx *fixture, ctx context.Context, stop <-chan struct{}, heal func()) {
	t.Helper()
	want := fortyRecords(t)
	zp, live := fx.plan(t, want)
	rep := apply.Zone(ctx, fx.p, want, live, zp, stop)
	require.Len(t, rep.Results, 40)
	for _, r := range rep.Results {
		assert.Equal(t, apply.Unknown, r.Status, "%s %s: %s", r.Name, r.Type, r.Error)
		assert.True(t, strings.HasPrefix(r.Error, "sent, outcome not confirmed — run plan: plesk: add_rec "), r.Error)
	}
	assert.Equal(t, apply.Counts{Unknown: 40}, rep.Counts(), "unknown outcomes fail the apply")
	heal()
	assert.Len(t, fx.fake.Records(zone), 40, "every record landed, once")
	again, _ := fx.plan(t, want)
	assert.Empty(t, again.Operations, "a new plan finds nothing left to do")
}

// TestCancelledAfterLandingIsUnknown: the packet of 40 creates lands, then
// a second interrupt cancels the apply before Plesk's answer is read.
// Nothing says whether the creates were made: they are reported unknown,
// not failed.
func TestCancelledAfterLandingIsUnknown(t *testing.T) {
	f := fake.New(fake.Options{Login: testLogin, Password: testPassword})
	_, err := f.AddSite(zone)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !addsPacket(r) {
			f.ServeHTTP(w, r)
			return
		}
		f.ServeHTTP(httptest.NewRecorder(), r) // the creates land
		close(stop)                            // the first interrupt
		cancel()                               // the second
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	fx := &fixture{fake: f, srv: srv, p: newProvider(t, plesk.Settings{Login: testLogin, Password: testPassword, Settings: httpx.Settings{Endpoint: srv.URL}})}
	runOutcome(t, fx, ctx, stop, func() {})
}

// TestLostAnswerThenServerDownIsUnknown: the packet lands but its answer
// is lost, and Plesk then fails every request until the retries and the
// check of what landed run out. The creates are reported unknown.
func TestLostAnswerThenServerDownIsUnknown(t *testing.T) {
	f := fake.New(fake.Options{Login: testLogin, Password: testPassword})
	_, err := f.AddSite(zone)
	require.NoError(t, err)
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case down.Load():
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		case addsPacket(r):
			f.ServeHTTP(httptest.NewRecorder(), r) // the creates land
			down.Store(true)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // and the answer is lost
			}
		default:
			f.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	fx := &fixture{fake: f, srv: srv, p: newProvider(t, plesk.Settings{Login: testLogin, Password: testPassword, Settings: httpx.Settings{Endpoint: srv.URL}})}
	runOutcome(t, fx, context.Background(), nil, func() { down.Store(false) })
}
