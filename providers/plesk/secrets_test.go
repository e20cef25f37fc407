package plesk_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/providertest"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/httpx"
	"github.com/zonesync/zonesync/providers/plesk"
	"github.com/zonesync/zonesync/providers/redact"
)

// TestEchoedSecretsNeverInErrors: a Plesk server that quotes the password
// or secret key back, in each encoding a server may use and wherever it
// puts text (the packet's system error, an operation's errtext, a 5xx
// body), never gets it into an error.
func TestEchoedSecretsNeverInErrors(t *testing.T) {
	placements := map[string]func(w http.ResponseWriter, echoed string){
		"system error": func(w http.ResponseWriter, echoed string) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><packet version="1.6.3.0"><system><status>error</status><errcode>1001</errcode><errtext>Authentication failed for `+echoed+`</errtext></system></packet>`)
		},
		"operation error": func(w http.ResponseWriter, echoed string) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><packet version="1.6.3.0"><site><get><result><status>error</status><errcode>1006</errcode><errtext>Permission denied for `+echoed+`</errtext></result></get></site></packet>`)
		},
		"5xx body": func(w http.ResponseWriter, echoed string) {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "maintenance; rejected "+echoed)
		},
	}
	credentials := map[string]func(s *plesk.Settings, secret string){
		"password":   func(s *plesk.Settings, secret string) { s.Login, s.Password = testLogin, secret },
		"secret key": func(s *plesk.Settings, secret string) { s.SecretKey = secret },
	}
	for shape, secret := range providertest.SecretShapes {
		for encoding, encode := range providertest.SecretEchoes {
			for place, write := range placements {
				for cred, set := range credentials {
					t.Run(shape+"/"+encoding+"/"+place+"/"+cred, func(t *testing.T) {
						srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { write(w, encode(secret)) }))
						defer srv.Close()
						s := plesk.Settings{Settings: httpx.Settings{Endpoint: srv.URL}}
						set(&s, secret)
						p := newProvider(t, s)
						_, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
						require.Error(t, err)
						providertest.AssertNoSecret(t, "error", secret, err.Error())
						if !strings.Contains(err.Error(), "unreadable answer") {
							// A secret sent as it is can break the XML; then nothing is quoted.
							assert.Contains(t, err.Error(), redact.Mask)
						}
					})
				}
			}
		}
	}
}
