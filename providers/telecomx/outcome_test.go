package telecomx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
)

// TestCancelledAfterLandingIsUnknown: a record's POST lands, then a second
// interrupt cancels the apply before the answer is read. The create is
// reported unknown, not failed, and a new plan has nothing left to do.
func TestCancelledAfterLandingIsUnknown(t *testing.T) {
	f := fake.New(fake.Options{Username: testUser, Password: testPassword})
	require.NoError(t, f.AddDomain("example.com", "", 3600))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/record") {
			f.ServeHTTP(w, r)
			return
		}
		f.ServeHTTP(httptest.NewRecorder(), r) // the create lands
		close(stop)                            // the first interrupt
		cancel()                               // the second
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	p := (&env{}).providerAt(t, srv.URL)

	want := desired(t, "example.com", 3600, set{"www", "A", []string{"192.0.2.1"}})
	live, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	caps := p.Capabilities()
	zp := providertest.Plan(t, want, live, caps)
	rep := apply.Zone(ctx, p, want, live, zp, stop)
	require.Len(t, rep.Results, 1)
	r := rep.Results[0]
	assert.Equal(t, apply.Unknown, r.Status, r.Error)
	assert.True(t, strings.HasPrefix(r.Error, "sent, outcome not confirmed — run plan: telecomx: "), r.Error)

	d, _ := f.Domain("example.com")
	assert.Len(t, d.Records, 1, "the create landed")
	live, err = p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, providertest.Plan(t, want, live, caps).Operations, "a new plan finds nothing left to do")
}

// TestFailedLoginIsNoUnknownChange: a change whose login fails, even after
// the login request reached the server (a 500), was itself never sent: it
// is tried again without a check of whether it landed, and fails as a
// plain failure, not as a change of unknown outcome.
func TestFailedLoginIsNoUnknownChange(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	e.fake.Faults().Script(faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError, faults.ServerError)
	err := e.p.client.CreateRecord(context.Background(), "example.com", Record{"new", "A", "192.0.2.7"})
	require.EqualError(t, err, `telecomx: POST /auth/login: 500 internal_error "Internal error" (after 5 attempts)`)
	assert.NotErrorIs(t, err, providers.ErrOutcomeUnknown)
	assert.Equal(t, map[string]int{"POST /auth/login": 5}, e.fake.Faults().AllCalls(), "calls: five logins, no check, no create")
}
