package spec

import (
	"strings"
	"testing"
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
	cfg, err := ParseConfig("/etc/zs/zonesync.yaml", []byte(data), env(map[string]string{"ID": "1234", "PASS": "s3cret-pass"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.ProviderNames(); strings.Join(got, ",") != "dns,local" {
		t.Errorf("providers = %v", got)
	}
	if cfg.ZonesDir != "/etc/zs/specs" || cfg.Concurrency != 8 || cfg.Safety.MaxDeletePercent != 10 || cfg.Safety.MaxUpdatePercent != 30 {
		t.Errorf("config = %+v", cfg)
	}
	if cfg.Providers["dns"].Type != "cloudns" {
		t.Errorf("dns type = %q", cfg.Providers["dns"].Type)
	}
	var s struct {
		AuthID       string `yaml:"auth_id"`
		AuthPassword string `yaml:"auth_password"`
	}
	if err := cfg.Providers["dns"].Decode(&s); err != nil {
		t.Fatal(err)
	}
	if s.AuthID != "1234" || s.AuthPassword != "s3cret-pass" {
		t.Errorf("decoded %+v", s)
	}
	// Only credentials are secrets: an id from the environment is not.
	if secrets := strings.Join(cfg.Secrets(), ","); secrets != "s3cret-pass" {
		t.Errorf("secrets = %q", secrets)
	}
	inline, err := ParseConfig("z.yaml", []byte("providers:\n  a: {type: x, token: literal-token}\n  b: {type: y, tsig: {name: k, secret: c2VjcmV0}}\n  c: {type: z, secret_key: sk-123456}\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if secrets := strings.Join(inline.Secrets(), ","); secrets != "literal-token,c2VjcmV0,sk-123456" {
		t.Errorf("secrets written in the file = %q", secrets)
	}
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
		{"syntax", "providers: [\n", []string{"zonesync.yaml:1:1: YAML syntax: did not find expected node content"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig("zonesync.yaml", []byte(tc.data), env(nil))
			if err == nil {
				t.Fatal("accepted")
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestProviderDecodeErrors(t *testing.T) {
	cfg, err := ParseConfig("z.yaml", []byte("providers:\n  p:\n    type: x\n    port: many\n    extra: 1\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Port int `yaml:"port"`
	}
	err = cfg.Providers["p"].Decode(&s)
	want := "z.yaml:4:11: providers.p.port must be a whole number, not \"many\"\nz.yaml:5:5: unknown key \"extra\" in providers.p"
	if err == nil || err.Error() != want {
		t.Errorf("Decode error:\n%v\nwant:\n%s", err, want)
	}
}
