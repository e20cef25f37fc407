package rfc2136

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckAccess: a key the server rejects and a server that does not
// answer fail the check, one line each; a zone the server does not serve
// is left to the zone's read.
func TestCheckAccess(t *testing.T) {
	srv := requireNamed(t)
	zone := srv.newZone(t)
	wrong := randomSecret(32)
	for _, tc := range []struct {
		name     string
		settings func(Settings) Settings
		zone     string
		parts    []string // nil: the check passes
	}{
		{"the right key", func(s Settings) Settings { return s }, zone, nil},
		{"a zone the server does not serve", func(s Settings) Settings { return s }, "not-served.test", nil},
		{"wrong secret", func(s Settings) Settings { s.TSIG.Secret = wrong; return s }, zone,
			[]string{"rfc2136: SOA query " + zone + " at " + srv.addr, "NOTAUTH", "BADSIG"}},
		{"unknown key", func(s Settings) Settings { s.TSIG.Name = "nobody-key"; return s }, zone,
			[]string{"NOTAUTH", "BADKEY", "nobody-key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(tc.settings(srv.settings(keyMain)))
			require.NoError(t, err)
			err = p.CheckAccess(context.Background(), tc.zone)
			if tc.parts == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			checkOneLine(t, err.Error(), tc.parts...)
			assert.NotContains(t, err.Error(), wrong)
		})
	}
}

// TestCheckAccessOfAServerThatIsNotThere needs no server: nothing listens
// on a free port.
func TestCheckAccessOfAServerThatIsNotThere(t *testing.T) {
	port, err := freePort()
	require.NoError(t, err)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p, err := New(Settings{Server: addr, TSIG: TSIGSettings{Name: "k", Secret: randomSecret(32)}, Timeout: "2s"})
	require.NoError(t, err)
	err = p.CheckAccess(context.Background(), "example.test")
	require.Error(t, err)
	checkOneLine(t, err.Error(), "rfc2136: SOA query example.test at "+addr)
}
