package telecomx

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/redact"
)

// closedEndpoint returns the URL of a port nothing listens on.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestNoCredentialInErrors fails calls every way a credential could leak
// (a refused connection, an API that echoes what it got) and checks that no
// password, token or session token is in the error.
func TestNoCredentialInErrors(t *testing.T) {
	const (
		password = "pw-Hunter2-secret"
		token    = "tok-0123-secret"
		session  = "session-4567-secret"
	)
	echo := func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		_ = json.NewDecoder(r.Body).Decode(&in)
		if r.URL.Path == "/auth/login" && in["password"] == password {
			fmt.Fprintf(w, `{"token":%q,"expiresInMinutes":15}`, session)
			return
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprintf(w, `{"error":{"code":"rData","status":422,"message":"got %s with %v"}}`, r.Header.Get("Authorization"), in["password"])
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		p    func(t *testing.T) *Provider
	}{
		{"token, connection refused", func(t *testing.T) *Provider {
			return (&env{}).providerAt(t, closedEndpoint(t), func(s *Settings) { s.Username, s.Password, s.Token = "", "", token })
		}},
		{"login, connection refused", func(t *testing.T) *Provider {
			return (&env{}).providerAt(t, closedEndpoint(t), func(s *Settings) { s.Password = password })
		}},
		{"token echoed", func(t *testing.T) *Provider {
			return serve(t, echo, func(s *Settings) { s.Username, s.Password, s.Token = "", "", token })
		}},
		{"session token echoed", func(t *testing.T) *Provider {
			return serve(t, echo, func(s *Settings) { s.Password = password })
		}},
		{"password echoed by a failed login", func(t *testing.T) *Provider {
			return serve(t, func(w http.ResponseWriter, r *http.Request) {
				var in map[string]any
				_ = json.NewDecoder(r.Body).Decode(&in)
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintf(w, `{"error":{"code":"credentials_invalid","message":"no user with password %v"}}`, in["password"])
			}, func(s *Settings) { s.Password = password })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p(t)
			calls := map[string]func() error{
				"ReadZone":     func() error { _, err := p.ReadZone(ctx, "example.com", providers.ReadOptions{}); return err },
				"ListZones":    func() error { _, err := p.ListZones(ctx); return err },
				"DeleteRecord": func() error { return p.client.DeleteRecord(ctx, "example.com", Record{"www", "A", "192.0.2.1"}) },
			}
			for name, call := range calls {
				err := call()
				require.Error(t, err, name)
				msg := err.Error()
				for _, secret := range []string{password, token, session} {
					assert.NotContains(t, msg, secret, "%s: the error shows a credential", name)
				}
				assert.NotContains(t, msg, "\n", "%s: the error spans lines", name)
				t.Logf("%s: %s", name, msg)
			}
		})
	}
}

// TestLogLines: under --verbose (httpx logs each call) the provider adds
// its renewals, and the late-commit protocol (httpx.Client.Change) its
// retries and landed checks, naming the call by method and path; no line
// shows a credential or record data.
func TestLogLines(t *testing.T) {
	e := newEnv(t)
	seedExample(t, e)
	var mu sync.Mutex
	var lines []string
	ctx := providers.WithLog(context.Background(), func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	})
	_, err := e.p.ReadZone(ctx, "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	// The create is refused as expired, the login goes through, the
	// create's answer is lost after it was stored.
	e.fake.Faults().Script(faults.None, faults.None, faults.ResetAfterApply)
	require.NoError(t, e.p.client.CreateRecord(ctx, "example.com", Record{"secret-name", "TXT", `"secret-data"`}))
	// The shared protocol logs one line per retry: here, the check before
	// the second try, which finds the first landed.
	want := []string{
		"telecomx: the session expired; logging in again",
		"telecomx: POST /dns/example.com/record: try 2 of 5: an earlier try took effect; not sending it again",
	}
	mu.Lock()
	defer mu.Unlock()
	var own []string
	for _, l := range lines {
		if strings.HasPrefix(l, "telecomx: ") {
			own = append(own, l)
		}
		for _, secret := range []string{testPassword, testUser, "secret-name", "secret-data"} {
			assert.NotContains(t, l, secret, "a log line shows a secret or record data")
		}
	}
	assert.Empty(t, cmp.Diff(want, own), "the provider's own log lines (-want +got); all lines:\n%s", strings.Join(lines, "\n"))
	assert.GreaterOrEqual(t, len(lines), 8, "httpx logs every call:\n%s", strings.Join(lines, "\n"))
}

// TestEchoedSecretsNeverInErrors: a server that quotes a credential back
// (the password of a failed login, or the token of a refused call), in
// each encoding a server may use and in the error envelope or a bare
// 5xx body, never gets it into an error.
func TestEchoedSecretsNeverInErrors(t *testing.T) {
	placements := map[string]func(w http.ResponseWriter, echoed string){
		"error envelope": func(w http.ResponseWriter, echoed string) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"code":"credentials_invalid","status":401,"message":"Authorization required, please login (got %s)"}}`, echoed)
		},
		"5xx body": func(w http.ResponseWriter, echoed string) {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "<pre>upstream refused %s</pre>", echoed)
		},
	}
	credentials := map[string]func(s *Settings, secret string){
		"password": func(s *Settings, secret string) { s.Password = secret },
		"token":    func(s *Settings, secret string) { s.Username, s.Password, s.Token = "", "", secret },
	}
	for shape, secret := range providertest.SecretShapes {
		for encoding, encode := range providertest.SecretEchoes {
			for place, write := range placements {
				for cred, set := range credentials {
					t.Run(shape+"/"+encoding+"/"+place+"/"+cred, func(t *testing.T) {
						p := serve(t, func(w http.ResponseWriter, r *http.Request) { write(w, encode(secret)) },
							func(s *Settings) { set(s, secret) })
						fastRetries(p)
						_, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
						require.Error(t, err)
						providertest.AssertNoSecret(t, "error", secret, err.Error())
						assert.Contains(t, err.Error(), redact.Mask)
					})
				}
			}
		}
	}
}
