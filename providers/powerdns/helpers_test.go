package powerdns

import (
	"os"
	"testing"
	"time"

	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/powerdns/pdnstest"
)

// The tests run against a real PowerDNS Authoritative server: one
// pdns_server per test binary with a SQLite database in a temporary
// directory (see pdnstest), stopped here.
func TestMain(m *testing.M) {
	httpx.DefaultBaseDelay = time.Millisecond
	httpx.DefaultMaxDelay = 5 * time.Millisecond
	code := m.Run()
	pdnstest.Stop()
	os.Exit(code)
}

// settings are provider settings for a server (or a proxy in front of it
// at endpoint, when not empty).
func settings(srv *pdnstest.Server, endpoint string) Settings {
	if endpoint == "" {
		endpoint = srv.API
	}
	s := Settings{APIKey: srv.Key}
	s.Endpoint, s.Timeout, s.RequestsPerSecond, s.Burst = endpoint, "10s", 10000, 1000
	return s
}

// newProvider builds a provider for the server.
func newProvider(t testing.TB, srv *pdnstest.Server) *Provider {
	t.Helper()
	p, err := New(settings(srv, ""))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
