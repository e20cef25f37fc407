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
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/telecomx/fake"
	"github.com/zonesync/zonesync/spec"
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
	live, err := p.ReadZone(context.Background(), "example.com")
	require.NoError(t, err)
	caps := p.Capabilities()
	zp := plan.Diff(want, plan.Managed(want, live, caps), caps)
	pl := &plan.Plan{FormatVersion: plan.FormatVersion, Zones: []*plan.ZonePlan{zp}}
	prep := &apply.Prepared{Plan: pl, Desired: []*spec.Zone{want}, Live: []*spec.Zone{live}, Providers: []providers.Provider{p}}
	rep := apply.Run(ctx, prep, apply.RunOptions{Concurrency: 1, Stop: stop})
	require.Len(t, rep.Zones[0].Results, 1)
	r := rep.Zones[0].Results[0]
	assert.Equal(t, apply.Unknown, r.Status, r.Error)
	assert.True(t, strings.HasPrefix(r.Error, "sent, outcome not confirmed — run plan: telecomx: "), r.Error)

	d, _ := f.Domain("example.com")
	assert.Len(t, d.Records, 1, "the create landed")
	live, err = p.ReadZone(context.Background(), "example.com")
	require.NoError(t, err)
	assert.Empty(t, plan.Diff(want, plan.Managed(want, live, caps), caps).Operations, "a new plan finds nothing left to do")
}
