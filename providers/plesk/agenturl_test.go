package plesk

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/providers/httpx"
)

// TestAgentURL checks the agent's URL is built from the endpoint setting.
func TestAgentURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://plesk.example.com", "https://plesk.example.com:8443/enterprise/control/agent.php"},
		{"http://plesk.example.com", "http://plesk.example.com:8880/enterprise/control/agent.php"},
		{"https://plesk.example.com:443/", "https://plesk.example.com:443/enterprise/control/agent.php"},
		{"https://plesk.example.com:8443/enterprise/control/agent.php", "https://plesk.example.com:8443/enterprise/control/agent.php"},
		{"https://proxy.example.com/plesk/", "https://proxy.example.com:8443/plesk/enterprise/control/agent.php"},
		{"https://[2001:db8::1]", "https://[2001:db8::1]:8443/enterprise/control/agent.php"},
	} {
		got, err := agentURL(tc.in)
		if assert.NoError(t, err, "agentURL(%q)", tc.in) {
			assert.Equal(t, tc.want, got, "agentURL(%q)", tc.in)
		}
	}
	// Endpoints that are no agent's base URL are refused before (httpx.Settings).
	for _, bad := range []string{"", "plesk.example.com", "ftp://plesk.example.com", "https://plesk.example.com/?x=1", "https://u:p@plesk.example.com"} {
		s := Settings{SecretKey: "abc-12345", Settings: httpx.Settings{Endpoint: bad}}
		_, err := s.resolve()
		assert.Error(t, err, "endpoint %q resolved", bad)
	}
}
