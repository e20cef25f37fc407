package powerdns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// TestAccessErrors: what a wrong API key or server id gets from the real
// server, and what zonesync makes of it.
func TestAccessErrors(t *testing.T) {
	srv := pdnstest.Require(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		set   func(*Settings)
		wants []string
	}{
		{"wrong key", func(s *Settings) { s.APIKey = "not-the-key-at-all" }, []string{"HTTP 401: Unauthorized", "api_key must be the server's api-key setting"}},
		{"wrong server id", func(s *Settings) { s.ServerID = "primary" }, []string{"GET /servers/primary: HTTP 404: Not Found", "server_id must be"}},
		{"endpoint with the API's path", func(s *Settings) { s.Endpoint += "/api/v1" }, []string{"HTTP 404", "endpoint the API's base URL without /api/v1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := settings(srv, "")
			tc.set(&s)
			p, err := New(s)
			require.NoError(t, err)
			err = p.CheckAccess(ctx, "any.test")
			require.Error(t, err)
			for _, w := range tc.wants {
				assert.Contains(t, err.Error(), w)
			}
			providertest.AssertNoSecret(t, "the error", s.APIKey, err.Error())
		})
	}
	require.NoError(t, newProvider(t, srv).CheckAccess(ctx, "any.test"))
}

// TestClientAgainstServer: the client's calls, each against the real
// server: list, get, create (and its conflict), PUT of kind and masters,
// PATCH and its error text, cryptokeys.
func TestClientAgainstServer(t *testing.T) {
	srv := pdnstest.Require(t)
	c := newProvider(t, srv).client
	ctx := context.Background()
	zone := srv.ZoneName()

	_, err := c.getZone(ctx, zone)
	assert.ErrorIs(t, err, providers.ErrZoneNotFound)
	found, err := c.findZone(ctx, zone)
	require.NoError(t, err)
	assert.Nil(t, found)

	require.NoError(t, c.createZone(ctx, wireZone{Name: zone + ".", Kind: KindMaster, SOAEditAPI: ptr("DEFAULT"), Nameservers: []string{"ns1." + zone + "."}}))
	err = c.createZone(ctx, wireZone{Name: zone + ".", Kind: KindMaster, Nameservers: []string{}})
	assert.EqualError(t, err, "powerdns: POST /servers/localhost/zones: HTTP 409: Conflict")

	zones, err := c.listZones(ctx)
	require.NoError(t, err)
	assert.Contains(t, names(zones), zone+".")

	w, err := c.getZone(ctx, zone)
	require.NoError(t, err)
	assert.Equal(t, KindMaster, w.Kind)
	assert.Equal(t, "DEFAULT", *w.SOAEditAPI)

	require.NoError(t, c.putZone(ctx, zone, wireZoneSettings{Kind: KindSlave, Masters: []string{"192.0.2.53"}}))
	w, err = c.getZone(ctx, zone)
	require.NoError(t, err)
	assert.Equal(t, KindSlave, w.Kind)
	assert.Equal(t, []string{"192.0.2.53"}, w.Masters)
	err = c.putZone(ctx, zone, wireZoneSettings{Masters: []string{"not-an-address"}})
	assert.ErrorContains(t, err, "HTTP 422: Master (not-an-address) is not an IP address")
	require.NoError(t, c.putZone(ctx, zone, wireZoneSettings{Kind: KindMaster, Masters: []string{}}))

	ttl := uint32(300)
	err = c.patch(ctx, zone, []wireRRset{{Name: "t." + zone + ".", Type: "TXT", TTL: &ttl, ChangeType: changeReplace, Records: []wireRecord{{Content: "not quoted"}}}}, nil)
	assert.ErrorContains(t, err, "HTTP 422: Record t."+zone+"./TXT 'not quoted': Parsing record content")
	err = c.patch(ctx, zone, []wireRRset{{Name: "x.example.org.", Type: "A", TTL: &ttl, ChangeType: changeReplace, Records: []wireRecord{{Content: "192.0.2.1"}}}}, nil)
	assert.ErrorContains(t, err, "HTTP 422: RRset x.example.org. IN A: Name is out of zone")
	require.NoError(t, c.patch(ctx, zone, []wireRRset{{Name: "t." + zone + ".", Type: "TXT", TTL: &ttl, ChangeType: changeReplace, Records: []wireRecord{{Content: `"quoted"`}}}}, nil))
	require.NoError(t, c.patch(ctx, zone, []wireRRset{{Name: "t." + zone + ".", Type: "TXT", ChangeType: changeDelete}}, nil))

	keys, err := c.cryptokeys(ctx, zone)
	require.NoError(t, err)
	assert.Empty(t, keys)
	require.NoError(t, c.addCryptokey(ctx, zone, "csk"))
	keys, err = c.cryptokeys(ctx, zone)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.True(t, keys[0].Active)
	assert.NotEmpty(t, keys[0].DS)
	require.NoError(t, c.rectify(ctx, zone))
	require.NoError(t, c.deleteCryptokey(ctx, zone, keys[0].ID))
	keys, err = c.cryptokeys(ctx, zone)
	require.NoError(t, err)
	assert.Empty(t, keys)
}

func names(zones []wireZone) []string {
	var out []string
	for _, z := range zones {
		out = append(out, z.Name)
	}
	return out
}

// TestNoKeyInErrors: an error answer that quotes the API key, in any
// encoding a server might use, never shows it.
func TestNoKeyInErrors(t *testing.T) {
	for shape, key := range providertest.SecretShapes {
		for echo, enc := range providertest.SecretEchoes {
			t.Run(shape+"/"+echo, func(t *testing.T) {
				ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.WriteHeader(http.StatusUnprocessableEntity)
					fmt.Fprintf(w, `{"error": "key %s refused"}`, enc(r.Header.Get("X-API-Key")))
				}))
				defer ts.Close()
				s := Settings{APIKey: key}
				s.Endpoint = ts.URL
				p, err := New(s)
				require.NoError(t, err)
				_, err = p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
				require.Error(t, err)
				var apiErr *APIError
				require.True(t, errors.As(err, &apiErr), "%v", err)
				providertest.AssertNoSecret(t, "the error", key, err.Error())
			})
		}
	}
}
