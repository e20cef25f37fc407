package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnchorsAndMergeKeys: providers that share settings through an
// anchor in an x- key and merge keys, each use of ${VAR} a value of its own.
func TestAnchorsAndMergeKeys(t *testing.T) {
	data := `x-cloudns: &cloudns
  type: cloudns
  auth_id: ${ID}
  auth_password: ${PASS}
providers:
  main: *cloudns
  staging:
    <<: *cloudns
    endpoint: https://staging.example.net
zones: zones/
`
	cfg, err := Parse("/p/zonesync.yaml", []byte(data), env(map[string]string{"ID": "1234", "PASS": "s3cret-pass"}))
	require.NoError(t, err)
	assert.Equal(t, []string{"main", "staging"}, cfg.ProviderNames())
	type settings struct {
		AuthID       string `yaml:"auth_id"`
		AuthPassword string `yaml:"auth_password"`
		Endpoint     string `yaml:"endpoint"`
	}
	for name, want := range map[string]settings{
		"main":    {AuthID: "1234", AuthPassword: "s3cret-pass"},
		"staging": {AuthID: "1234", AuthPassword: "s3cret-pass", Endpoint: "https://staging.example.net"},
	} {
		p := cfg.Providers[name]
		assert.Equal(t, "cloudns", p.Type, name)
		var got settings
		require.NoError(t, p.Decode(&got), name)
		assert.Equal(t, want, got, name)
	}
}

// TestAnchoredSettingProblemNamesTheAnchor: a provider's problem in a
// setting that came through an alias is at the use, naming where the
// setting is written; a value from the environment still does not show.
func TestAnchoredSettingProblemNamesTheAnchor(t *testing.T) {
	data := "x-common: &common\n  type: cloudns\n  retries: ${RETRIES}\nproviders:\n  dns: *common\n"
	cfg, err := Parse("zonesync.yaml", []byte(data), env(map[string]string{"RETRIES": "many"}))
	require.NoError(t, err)
	var s struct {
		Retries int `yaml:"retries"`
	}
	err = cfg.Providers["dns"].Decode(&s)
	require.Error(t, err)
	assert.Equal(t, `zonesync.yaml:5:8: providers.dns.retries must be a whole number, not ${RETRIES} (from anchor &common, line 3:12)`, err.Error())
}

func TestTemplatesKey(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"providers: {l: {type: zonefile}}\n", "/p/templates"},
		{"providers: {l: {type: zonefile}}\ntemplates: shared/\n", "/p/shared"},
		{"providers: {l: {type: zonefile}}\ntemplates: /srv/templates\n", "/srv/templates"},
	} {
		cfg, err := Parse("/p/zonesync.yaml", []byte(tc.data), env(nil))
		require.NoError(t, err)
		assert.Equal(t, tc.want, cfg.TemplatesDir)
	}
}

// TestConfigAliasBomb: a config made of nested aliases is refused quickly
// with one clear problem, before the environment or the providers are read.
func TestConfigAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-0: &a0 [lol]\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "x-%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	b.WriteString("providers:\n  l: {type: zonefile, directory: *a10}\n")
	_, err := Parse("zonesync.yaml", []byte(b.String()), env(nil))
	require.Error(t, err)
	assert.Regexp(t, `^zonesync.yaml:\d+:\d+: the aliases of this file expand it to over \d+ nodes from \d+ written, which is how an alias bomb \("billion laughs"\) works; zonesync stops reading it`, err.Error())
	assert.NotContains(t, err.Error(), "\n", "one problem")
}
