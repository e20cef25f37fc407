package cloudns

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
)

// runWith applies a plan of desired with ctx and stop, as the CLI does.
func (e *env) runWith(t *testing.T, ctx context.Context, stop <-chan struct{}, desired *model.Zone) []apply.Result {
	t.Helper()
	zp, live := e.planFor(t, desired)
	return apply.Zone(ctx, e.p, desired, live, zp, stop).Results
}

// TestCancelledAfterLandingIsUnknown: the first add-record lands, then a
// second interrupt cancels the apply before ClouDNS's answer is read. That
// create is reported unknown, not failed; the ones not yet started are
// skipped; a new plan holds exactly the skipped ones.
func TestCancelledAfterLandingIsUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	var adds atomic.Int32
	e := newEnv(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if fake.Endpoint(r) != "add-record" || adds.Add(1) > 1 {
				next.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(httptest.NewRecorder(), r) // the create lands
			close(stop)                               // the first interrupt
			cancel()                                  // the second
			<-r.Context().Done()
		})
	})
	e.seeded(t)
	desired := zoneOf(t, "example.test", set("www", "A", "192.0.2.1"), set("a", "A", "192.0.2.2"), set("b", "A", "192.0.2.3"), set("c", "A", "192.0.2.4"))
	res := e.runWith(t, ctx, stop, desired)
	require.Len(t, res, 3)
	assert.Equal(t, apply.Unknown, res[0].Status, res[0].Error)
	assert.True(t, strings.HasPrefix(res[0].Error, "sent, outcome not confirmed — run plan: cloudns: add-record a A in example.test: "), res[0].Error)
	for _, r := range res[1:] {
		assert.Equal(t, apply.Skipped, r.Status, "%s: %s", r.Name, r.Error)
	}
	assert.Len(t, onlyRecord(t, e, "a", "A"), 1, "the create landed")
	again, _ := e.planFor(t, desired)
	var left []string
	for _, op := range again.Operations {
		left = append(left, string(op.Action)+" "+op.Name)
	}
	assert.Equal(t, []string{"create b", "create c"}, left, "a new plan holds only what was skipped")
}

// TestLostAnswerThenServerDownIsUnknown: an add-record lands but its
// answer is lost, and ClouDNS then fails every request until the retries,
// and the check of whether the create landed, run out. The create is
// reported unknown; once ClouDNS is back, a new plan has nothing to do.
func TestLostAnswerThenServerDownIsUnknown(t *testing.T) {
	var down atomic.Bool
	e := newEnv(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case down.Load():
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			case fake.Endpoint(r) == "add-record":
				next.ServeHTTP(httptest.NewRecorder(), r) // the create lands
				down.Store(true)
				if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
					conn.Close() // and the answer is lost
				}
			default:
				next.ServeHTTP(w, r)
			}
		})
	})
	e.seeded(t)
	desired := zoneOf(t, "example.test", set("www", "A", "192.0.2.1"), set("new", "A", "192.0.2.5"))
	res := e.runWith(t, context.Background(), nil, desired)
	require.Len(t, res, 1)
	assert.Equal(t, apply.Unknown, res[0].Status, res[0].Error)
	assert.True(t, strings.HasPrefix(res[0].Error, "sent, outcome not confirmed — run plan: cloudns: add-record new A in example.test: "), res[0].Error)
	down.Store(false)
	assert.Len(t, onlyRecord(t, e, "new", "A"), 1, "the create landed, once")
	again, _ := e.planFor(t, desired)
	assert.Empty(t, again.Operations, "a new plan finds nothing left to do")
}
