package config

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func TestParseConfig(t *testing.T) {
	data := `providers:
  local:
    type: zonefile
    directory: ./live
  dns:
    type: cloudns
    auth_id: ${ID}
    auth_password: ${PASS}
zones: specs/
safety:
  max_delete_percent: 10
concurrency: 8
`
	cfg, err := Parse("/etc/zs/zonesync.yaml", []byte(data), env(map[string]string{"ID": "1234", "PASS": "s3cret-pass"}))
	require.NoError(t, err)
	assert.Equal(t, []string{"dns", "local"}, cfg.ProviderNames(), "providers")
	assert.Equal(t, "/etc/zs/specs", cfg.ZonesDir)
	assert.Equal(t, 8, cfg.Concurrency)
	assert.Equal(t, 10, cfg.Safety.MaxDeletePercent)
	assert.Equal(t, 30, cfg.Safety.MaxUpdatePercent)
	assert.Equal(t, "cloudns", cfg.Providers["dns"].Type, "dns type")
	var s struct {
		AuthID       string `yaml:"auth_id"`
		AuthPassword string `yaml:"auth_password"`
	}
	require.NoError(t, cfg.Providers["dns"].Decode(&s))
	assert.Equal(t, "1234", s.AuthID)
	assert.Equal(t, "s3cret-pass", s.AuthPassword)
	// Only what the provider declares is a secret: an id from the
	// environment is not.
	require.NoError(t, cfg.Providers["dns"].Secrets("auth_password", "not_set"))
	assert.Equal(t, []string{"s3cret-pass"}, cfg.Secrets(), "secrets")
	inline, err := Parse("z.yaml", []byte("providers:\n  a: {type: x, token: literal-token}\n  b: {type: y, tsig: {name: k, secret: c2VjcmV0}}\n  c: {type: z, secret_key: sk-123456}\n"), env(nil))
	require.NoError(t, err)
	for name, key := range map[string]string{"a": "token", "b": "tsig.secret", "c": "secret_key"} {
		require.NoError(t, inline.Providers[name].Secrets(key), "%s %s", name, key)
	}
	secrets := inline.Secrets()
	sort.Strings(secrets)
	assert.Equal(t, []string{"c2VjcmV0", "literal-token", "sk-123456"}, secrets, "secrets written in the file")
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"unset variable", "providers:\n  x:\n    type: cloudns\n    auth_password: ${NOPE}\n",
			[]string{"zonesync.yaml:4:20: environment variable NOPE is not set"}},
		{"unknown key", "providers:\n  x: {type: zonefile}\nzone: specs\n",
			[]string{`zonesync.yaml:3:1: unknown key "zone" (did you mean "zones"?)`}},
		{"no providers", "zones: z\n",
			[]string{"zonesync.yaml:1:1: the config has no providers section"}},
		{"provider without type", "providers:\n  x: {directory: d}\n",
			[]string{"zonesync.yaml:2:3: providers.x has no type"}},
		{"safety out of range", "providers:\n  x: {type: zonefile}\nsafety:\n  max_delete_percent: 130\n",
			[]string{"zonesync.yaml:4:23: safety.max_delete_percent 130 is outside 0..100"}},
		{"concurrency zero", "providers:\n  x: {type: zonefile}\nconcurrency: 0\n",
			[]string{"zonesync.yaml:3:14: concurrency 0 is outside 1..256"}},
		{"safety typo", "providers:\n  x: {type: zonefile}\nsafety:\n  max_delete_pct: 10\n",
			[]string{`zonesync.yaml:4:3: unknown key "max_delete_pct" in safety`}},
		{"empty", "", []string{"zonesync.yaml:1:1: the config is empty; it needs at least a providers section"}},
		{"syntax", "providers: [\n", []string{"zonesync.yaml:2:1: YAML syntax: did not find expected node content"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("zonesync.yaml", []byte(tc.data), env(nil))
			require.Error(t, err, "accepted")
			assert.Equal(t, tc.want, strings.Split(err.Error(), "\n"))
		})
	}
}

func TestProviderDecodeErrors(t *testing.T) {
	cfg, err := Parse("z.yaml", []byte("providers:\n  p:\n    type: x\n    port: many\n    extra: 1\n"), env(nil))
	require.NoError(t, err)
	var s struct {
		Port int `yaml:"port"`
	}
	err = cfg.Providers["p"].Decode(&s)
	want := "z.yaml:4:11: providers.p.port must be a whole number, not \"many\"\nz.yaml:5:5: unknown key \"extra\" in providers.p"
	assert.EqualError(t, err, want, "Decode error")
}

// TestProviderDecodeInline: the keys of a struct embedded with
// `yaml:",inline"` are the provider's own, decoded and checked like them.
func TestProviderDecodeInline(t *testing.T) {
	type Shared struct {
		Endpoint string `yaml:"endpoint"`
		Burst    int    `yaml:"burst"`
	}
	var s struct {
		Token  string `yaml:"token"`
		Shared `yaml:",inline"`
	}
	cfg, err := Parse("z.yaml", []byte("providers:\n  p:\n    type: x\n    token: t\n    endpoint: http://fake\n    burst: 3\n"), env(nil))
	require.NoError(t, err)
	require.NoError(t, cfg.Providers["p"].Decode(&s))
	assert.Equal(t, "t", s.Token)
	assert.Equal(t, Shared{Endpoint: "http://fake", Burst: 3}, s.Shared)

	cfg, err = Parse("z.yaml", []byte("providers:\n  p:\n    type: x\n    burst: many\n    endpont: http://fake\n"), env(nil))
	require.NoError(t, err)
	err = cfg.Providers["p"].Decode(&s)
	require.Error(t, err)
	assert.Equal(t, "z.yaml:4:12: providers.p.burst must be a whole number, not \"many\"\n"+
		"z.yaml:5:5: unknown key \"endpont\" in providers.p (did you mean \"endpoint\"?)", err.Error())
}

// TestShortSecretsRefused: a secret setting under MinSecretLength is an
// error at its key naming the variable it came from, never the value, and
// is not registered for scrubbing.
func TestShortSecretsRefused(t *testing.T) {
	data := "providers:\n  dns:\n    type: cloudns\n    auth_password: ${PASS}\n  px:\n    type: plesk\n    secret_key: \"alpha\"\n  ns:\n    type: rfc2136\n    tsig: {name: k, secret: \"${PRE}x\"}\n"
	cfg, err := Parse("zonesync.yaml", []byte(data), env(map[string]string{"PASS": "alpha", "PRE": "Zm9v"}))
	require.NoError(t, err)
	for _, tc := range []struct{ provider, key, want string }{
		{"dns", "auth_password", "zonesync.yaml:4:5: providers.dns: auth_password (from ${PASS}) is 5 characters long; a secret must have at least 8 (use the full password or key)"},
		{"px", "secret_key", "zonesync.yaml:7:5: providers.px: secret_key is 5 characters long; a secret must have at least 8 (use the full password or key)"},
		{"ns", "tsig.secret", `zonesync.yaml:10:21: providers.ns: tsig.secret (from "${PRE}x") is 5 characters long; a secret must have at least 8 (use the full password or key)`},
	} {
		err := cfg.Providers[tc.provider].Secrets(tc.key)
		require.Error(t, err, tc.key)
		assert.Equal(t, tc.want, err.Error())
		assert.NotContains(t, err.Error(), "alpha")
		assert.NotContains(t, err.Error(), "Zm9v")
	}
	assert.Empty(t, cfg.Secrets(), "a refused secret must not be scrubbed from unrelated output")
}

// TestEnvironmentValuesNeverInMessages: problems with settings that took
// their value from the environment name the variable instead of showing
// the value: the provider's own messages, decoding errors, and the
// config's top-level checks.
func TestEnvironmentValuesNeverInMessages(t *testing.T) {
	vars := env(map[string]string{"EP": "Zq9-VerySecret-endpoint", "HOST": "Zq9-host", "PORT": "many", "CONC": "0", "ID": "4242"})
	data := "providers:\n  dns:\n    type: cloudns\n    auth_id: ${ID}\n    endpoint: ${EP}\n    other: \"https://${HOST}/api\"\n    port: ${PORT}\n    literal: plain-value\nconcurrency: ${CONC}\n"
	_, err := Parse("zonesync.yaml", []byte(data), vars)
	require.Error(t, err)
	assert.Equal(t, "zonesync.yaml:9:14: concurrency ${CONC} is outside 1..256", err.Error())

	cfg, err := Parse("zonesync.yaml", []byte(strings.Replace(data, "${CONC}", "4", 1)), vars)
	require.NoError(t, err)
	p := cfg.Providers["dns"]
	for _, tc := range []struct{ key, value, want string }{
		{"endpoint", "Zq9-VerySecret-endpoint", "zonesync.yaml:5:5: providers.dns: endpoint ${EP} is not an http(s) base URL"},
		{"other", "https://Zq9-host/api", `zonesync.yaml:6:5: providers.dns: endpoint "https://${HOST}/api" is not an http(s) base URL`},
		{"literal", "plain-value", `zonesync.yaml:8:5: providers.dns: endpoint "plain-value" is not an http(s) base URL`},
		{"auth_id", "4242", "zonesync.yaml:4:5: providers.dns: endpoint ${ID} is not an http(s) base URL"},
	} {
		err := p.Errorf(tc.key, "endpoint %q is not an http(s) base URL", tc.value)
		assert.Equal(t, tc.want, err.Error())
	}
	// Unquoted, as a number: only the whole word is replaced.
	err = p.Errorf("auth_id", "auth_id 4242 is not 42421 or 14242")
	assert.Equal(t, "zonesync.yaml:4:5: providers.dns: auth_id ${ID} is not 42421 or 14242", err.Error())

	var s struct {
		AuthID   string `yaml:"auth_id"`
		Endpoint string `yaml:"endpoint"`
		Other    string `yaml:"other"`
		Port     int    `yaml:"port"`
		Literal  string `yaml:"literal"`
	}
	err = p.Decode(&s)
	require.Error(t, err)
	assert.Equal(t, "zonesync.yaml:7:11: providers.dns.port must be a whole number, not ${PORT}", err.Error())
}
