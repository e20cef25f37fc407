package rfc2136

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

const testSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="

// fromYAML builds the provider of a zonesync.yaml holding one rfc2136
// provider with the given settings lines.
func fromYAML(t *testing.T, settings string, env map[string]string) (*Provider, error) {
	t.Helper()
	data := "providers:\n  bind:\n    type: rfc2136\n" + settings
	cfg, err := config.Parse("zonesync.yaml", []byte(data), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		return nil, err
	}
	p, err := providers.New(cfg.Providers["bind"])
	if err != nil {
		return nil, err
	}
	return p.(*Provider), nil
}

func TestConfig(t *testing.T) {
	env := map[string]string{"TSIG_SECRET": testSecret, "BAD_SECRET": "not*base64*at-all/" + testSecret[:10], "SHORT_SECRET": "YWJj"}
	key := "    tsig:\n      name: zonesync-key\n      secret: ${TSIG_SECRET}\n"
	for _, tc := range []struct {
		name     string
		settings string
		server   string
		transfer string
		alg      string
		timeout  time.Duration
		errs     []string // each a line of the error, in order
	}{
		{
			name:     "minimal: port 53, hmac-sha256 and 10s by default",
			settings: "    server: 192.0.2.53\n" + key,
			server:   "192.0.2.53:53", transfer: "192.0.2.53:53", alg: dns.HmacSHA256, timeout: 10 * time.Second,
		},
		{
			name: "every key",
			settings: "    server: ns1.example.net:5353\n    transfer_server: '[2001:db8::2]:53'\n    timeout: 2500ms\n" +
				"    tsig:\n      name: Zonesync-Key.\n      algorithm: HMAC-SHA512\n      secret: ${TSIG_SECRET}\n",
			server: "ns1.example.net:5353", transfer: "[2001:db8::2]:53", alg: dns.HmacSHA512, timeout: 2500 * time.Millisecond,
		},
		{
			name:     "bare IPv6 address, hmac-sha1",
			settings: "    server: 2001:db8::53\n    tsig: {name: k, algorithm: hmac-sha1, secret: '${TSIG_SECRET}'}\n",
			server:   "[2001:db8::53]:53", transfer: "[2001:db8::53]:53", alg: dns.HmacSHA1, timeout: DefaultTimeout,
		},
		{
			name:     "no server, no key",
			settings: "    timeout: 5s\n",
			errs: []string{
				"zonesync.yaml:3:5: providers.bind: server is required",
				"zonesync.yaml:3:5: providers.bind: tsig.name is required",
			},
		},
		{
			name:     "bad values",
			settings: "    server: 192.0.2.1:99999\n    transfer_server: 'a b'\n    timeout: 5\n    tsig: {name: k, algorithm: hmac-md5, secret: '${TSIG_SECRET}'}\n",
			errs: []string{
				`zonesync.yaml:4:5: providers.bind: server "192.0.2.1:99999" has port "99999", not 1..65535`,
				`zonesync.yaml:5:5: providers.bind: transfer_server "a b" has no valid host`,
				`zonesync.yaml:6:5: providers.bind: timeout "5" is not a duration such as 5s or 1m`,
				`zonesync.yaml:7:5: providers.bind: tsig.algorithm "hmac-md5" is not supported (use one of hmac-sha1, hmac-sha256, hmac-sha512)`,
			},
		},
		{
			name:     "secret that is not base64",
			settings: "    server: 192.0.2.1\n    tsig: {name: k, secret: '${BAD_SECRET}'}\n",
			errs:     []string{"zonesync.yaml:5:5: providers.bind: tsig.secret is not valid base64 (the secret itself is not shown)"},
		},
		{
			name:     "secret too short",
			settings: "    server: 192.0.2.1\n    tsig: {name: k, secret: '${SHORT_SECRET}'}\n",
			errs:     []string{"zonesync.yaml:5:21: providers.bind: tsig.secret (from ${SHORT_SECRET}) is 4 characters long; a secret must have at least 8 (use the full password or key)"},
		},
		{
			name:     "no secret",
			settings: "    server: 192.0.2.1\n    tsig: {name: k}\n",
			errs:     []string{"zonesync.yaml:5:5: providers.bind: tsig.secret is required"},
		},
		{
			name:     "unknown keys",
			settings: "    server: 192.0.2.1\n    port: 53\n    tsig: {name: k, secrets: x}\n",
			errs: []string{
				`zonesync.yaml:5:5: unknown key "port" in providers.bind`,
				`zonesync.yaml:6:21: unknown key "secrets" in providers.bind.tsig (did you mean "secret"?)`,
			},
		},
		{
			name:     "timeout out of range",
			settings: "    server: 192.0.2.1\n    timeout: -1s\n" + key,
			errs:     []string{"zonesync.yaml:5:5: providers.bind: timeout -1s is outside 1ms..1h"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := fromYAML(t, tc.settings, env)
			if tc.errs != nil {
				require.Error(t, err)
				lines := strings.Split(err.Error(), "\n")
				require.Len(t, lines, len(tc.errs), "errors:\n%v", err)
				for i, want := range tc.errs {
					assert.True(t, strings.HasPrefix(lines[i], want), "error %d:\n got %s\nwant %s…", i+1, lines[i], want)
					noSecret(t, lines[i], testSecret, env["BAD_SECRET"])
				}
				return
			}
			require.NoError(t, err)
			type got struct {
				Server, Transfer, Algorithm string
				Timeout                     time.Duration
			}
			c := p.cfg
			assert.Empty(t, cmp.Diff(got{tc.server, tc.transfer, tc.alg, tc.timeout}, got{c.server, c.transfer, c.key.algorithm, c.timeout}), "settings (-want +got)")
			assert.True(t, strings.HasSuffix(c.key.name, ".") && c.key.name == strings.ToLower(c.key.name), "key name %q is not canonical", c.key.name)
		})
	}
}

// TestSecretNotShown: however the provider or its key is printed, the
// secret does not appear. Server errors are checked in TestKeyErrors.
func TestSecretNotShown(t *testing.T) {
	p, err := New(Settings{Server: "192.0.2.1", TSIG: TSIGSettings{Name: "k", Secret: testSecret}})
	require.NoError(t, err)
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		noSecret(t, fmt.Sprintf(f, p), testSecret)
		noSecret(t, fmt.Sprintf(f, *p), testSecret)
		noSecret(t, fmt.Sprintf(f, p.cfg), testSecret)
		noSecret(t, fmt.Sprintf(f, p.cfg.key), testSecret)
	}
	assert.Equal(t, "TSIG key k (hmac-sha256)", fmt.Sprint(p.cfg.key), "the key printed")
}

// TestValidation: the capabilities make validation reject what RFC 2136
// cannot do, each at its place in the spec.
func TestValidation(t *testing.T) {
	cfg, err := config.Parse("zonesync.yaml", []byte("providers:\n  bind:\n    type: rfc2136\n    server: 192.0.2.1\n    tsig: {name: k, secret: "+testSecret+"}\n"), func(string) (string, bool) { return "", false })
	require.NoError(t, err)
	set, err := providers.Open(cfg)
	require.NoError(t, err)
	for _, tc := range []struct{ name, spec, want string }{
		{"failover", "zone: example.com\nprovider: bind\nrecords:\n  www:\n    - type: A\n      value: 192.0.2.1\n      failover: {check: http, down: notify, up: notify}\n",
			"provider bind does not support failover"},
		{"slave", "zone: example.com\nprovider: bind\nmode: slave\nmasters: [192.0.2.9]\n", "provider bind does not support slave zones"},
		{"SOA serial", "zone: example.com\nprovider: bind\nsoa: {serial: 5}\n", "serial"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := spec.ParseZone("zones/example.com.yaml", []byte(tc.spec), cfg, set.Capabilities)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	ok := "zone: example.com\nprovider: bind\nsoa: {refresh: 7200, admin_mail: hostmaster@example.com}\nrecords:\n  '@':\n    - {type: NS, values: [ns1.example.net., ns2.example.net.]}\n    - {type: CAA, value: '0 issue \"letsencrypt.org\"'}\n"
	_, err = spec.ParseZone("zones/example.com.yaml", []byte(ok), cfg, set.Capabilities)
	assert.NoError(t, err, "a spec within the capabilities")
}
