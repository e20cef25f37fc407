package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// Config is the project config, zonesync.yaml.
type Config struct {
	// File is the path the config was read from.
	File string
	// Dir is the directory relative paths in the config are resolved against.
	Dir string
	// Providers are the configured providers by name.
	Providers map[string]*ProviderConfig
	// ZonesDir is the directory holding the zone specs.
	ZonesDir string
	// Safety holds the thresholds that refuse a plan changing too much.
	Safety Safety
	// Concurrency is how many zones are planned and applied at once.
	Concurrency int
	// secrets are the values of the settings providers declared secret.
	secrets []string
	// fromEnv maps each scalar that took (part of) its value from the
	// environment to its text as written, e.g. "${CLOUDNS_ENDPOINT}".
	fromEnv map[*yaml.Node]string
}

// MinSecretLength is the fewest characters a secret setting may have. A
// shorter one would be scrubbed out of unrelated output ("alpha" from
// "alpha.com") and is too weak to be a credential anyway.
const MinSecretLength = 8

// Safety holds the thresholds above which a plan is refused without --force.
type Safety struct {
	// MaxDeletePercent is the highest share of a zone's live record sets one plan may delete.
	MaxDeletePercent int `yaml:"max_delete_percent"`
	// MaxUpdatePercent is the highest share of a zone's live record sets one plan may update.
	MaxUpdatePercent int `yaml:"max_update_percent"`
	// MinExistingRecords is the size below which a zone is exempt from the percentages.
	MinExistingRecords int `yaml:"min_existing_records"`
}

// DefaultSafety is the safety section a config without one gets.
var DefaultSafety = Safety{MaxDeletePercent: 30, MaxUpdatePercent: 30, MinExistingRecords: 10}

// DefaultConcurrency is how many zones are handled at once when the config does not say.
const DefaultConcurrency = 4

// ProviderConfig is one entry of the config's providers section. Its
// settings are left as YAML for the provider to decode with Decode.
type ProviderConfig struct {
	// Name is the key zone specs use to refer to the provider.
	Name string
	// Type selects the provider implementation (zonefile, cloudns, ...).
	Type string
	// Dir is the config file's directory, for settings that are paths.
	Dir string
	// Pos is where the provider is declared.
	Pos  model.Pos
	node *yaml.Node
	file string
	cfg  *Config
}

// Decode reads the provider's settings (every key but type) into the
// struct v points to. Unknown keys and values of the wrong kind are errors
// at their position in the config.
func (p *ProviderConfig) Decode(v any) error {
	settings := &yaml.Node{Kind: yaml.MappingNode, Line: p.node.Line, Column: p.node.Column}
	for i := 0; i+1 < len(p.node.Content); i += 2 {
		if p.node.Content[i].Value != "type" {
			settings.Content = append(settings.Content, p.node.Content[i], p.node.Content[i+1])
		}
	}
	e := &errs{file: p.file}
	decodeValue(e, settings, reflectValue(v), "providers."+p.Name)
	p.cfg.hideEnvValues(e.list, p.node)
	return e.list.Err()
}

// Errorf returns a problem with the provider's setting key (or the provider
// itself when key is empty or not set), at its position in the config.
//
// A value the setting took from the environment never shows in the
// message: where the message quotes it, it reads as the setting was
// written, ${VAR}, which says where it came from.
func (p *ProviderConfig) Errorf(key, format string, args ...any) error {
	n := p.node
	msg := fmt.Sprintf(format, args...)
	if k, v := p.setting(key); k != nil {
		n = k
		msg = p.cfg.hideEnv(msg, v)
	}
	return ErrorList{{Pos: nodePos(p.file, n), Msg: "providers." + p.Name + ": " + msg}}
}

// setting finds the key and value nodes of a setting by its key, a dotted
// path for a nested one ("tsig.secret"); nil when it is not set.
func (p *ProviderConfig) setting(key string) (k, v *yaml.Node) {
	if key == "" {
		return nil, nil
	}
	v = p.node
	for _, part := range strings.Split(key, ".") {
		if v == nil || v.Kind != yaml.MappingNode {
			return nil, nil
		}
		k = nil
		for i := 0; i+1 < len(v.Content); i += 2 {
			if v.Content[i].Value == part {
				k = v.Content[i]
			}
		}
		if k == nil {
			return nil, nil
		}
		v = mapValue(v, part)
	}
	return k, v
}

// Secrets declares which of the provider's settings hold credentials
// (passwords, API keys, TSIG secrets), by key as Errorf takes it. Their
// values, written in the file or taken from the environment, become
// secrets of the config, scrubbed from every output in every encoding. A
// value shorter than MinSecretLength is refused with an error at its key
// that names the variable it came from, never the value. Settings left
// out or empty are the provider's to require.
func (p *ProviderConfig) Secrets(keys ...string) error {
	var list ErrorList
	for _, key := range keys {
		k, v := p.setting(key)
		if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
			continue
		}
		if n := utf8.RuneCountInString(v.Value); n < MinSecretLength {
			from := ""
			if tmpl, ok := p.cfg.fromEnv[v]; ok {
				from = " (from " + shownAs(tmpl) + ")"
			}
			list = append(list, &Error{Pos: nodePos(p.file, k), Msg: fmt.Sprintf(
				"providers.%s: %s%s is %d characters long; a secret must have at least %d (use the full password or key)",
				p.Name, key, from, n, MinSecretLength)})
			continue
		}
		if !slices.Contains(p.cfg.secrets, v.Value) {
			p.cfg.secrets = append(p.cfg.secrets, v.Value)
		}
	}
	return list.Err()
}

// Secrets returns the values of the settings the providers declared secret
// (ProviderConfig.Secrets), so that output can be scrubbed of them. It is
// complete once every provider of the config has been built.
func (c *Config) Secrets() []string { return c.secrets }

// hideEnv rewrites a message about the setting n (a scalar or a whole
// mapping) so that no value it took from the environment shows: each is
// replaced where the message quotes it by its text as written.
func (c *Config) hideEnv(msg string, n *yaml.Node) string {
	if c == nil || len(c.fromEnv) == 0 {
		return msg
	}
	walkScalars(n, func(v *yaml.Node) {
		if tmpl, ok := c.fromEnv[v]; ok && v.Value != "" {
			msg = replaceValue(msg, v.Value, shownAs(tmpl))
		}
	})
	return msg
}

// hideEnvValues applies hideEnv to every problem positioned at a scalar
// under root that took its value from the environment.
func (c *Config) hideEnvValues(list ErrorList, root *yaml.Node) {
	if c == nil || len(c.fromEnv) == 0 || len(list) == 0 {
		return
	}
	at := map[[2]int]*yaml.Node{}
	walkScalars(root, func(v *yaml.Node) {
		if _, ok := c.fromEnv[v]; ok {
			at[[2]int{v.Line, v.Column}] = v
		}
	})
	for _, e := range list {
		if v, ok := at[[2]int{e.Pos.Line, e.Pos.Col}]; ok {
			e.Msg = c.hideEnv(e.Msg, v)
		}
	}
}

// walkScalars calls f for every scalar at or under n.
func walkScalars(n *yaml.Node, f func(*yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		f(n)
		return
	}
	for _, c := range n.Content {
		walkScalars(c, f)
	}
}

// soleVariable is a value written as exactly one ${VAR}.
var soleVariable = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}$`)

// shownAs is how a message names a value from the environment: ${VAR}, or
// the quoted text as written when the variable is part of a longer value.
func shownAs(tmpl string) string {
	if soleVariable.MatchString(tmpl) {
		return tmpl
	}
	return strconv.Quote(tmpl)
}

// replaceValue replaces value in msg by shown: where it is quoted, and
// where it stands as a whole word (a number, a name); never inside a
// longer word, so that a short value cannot garble the rest of the message.
func replaceValue(msg, value, shown string) string {
	msg = strings.ReplaceAll(msg, strconv.Quote(value), shown)
	var b strings.Builder
	for {
		i := strings.Index(msg, value)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		end := i + len(value)
		if (i == 0 || !isWordByte(msg[i-1])) && (end == len(msg) || !isWordByte(msg[end])) {
			b.WriteString(msg[:i])
			b.WriteString(shown)
		} else {
			b.WriteString(msg[:end])
		}
		msg = msg[end:]
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// configFile is the shape of zonesync.yaml, except providers, which are
// decoded by each provider.
type configFile struct {
	Providers   yaml.Node `yaml:"providers"`
	Zones       string    `yaml:"zones"`
	Safety      yaml.Node `yaml:"safety"`
	Concurrency *int      `yaml:"concurrency"`
}

// providerNamePattern is what a provider name may look like.
var providerNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// LoadConfig reads and checks zonesync.yaml. Environment variables are
// substituted in every value; an unset one is an error naming it.
func LoadConfig(file string) (*Config, error) {
	return ParseConfigFile(file, os.LookupEnv)
}

// ParseConfigFile reads and checks a config with a given environment lookup;
// commands that need no secrets pass one that accepts every variable.
func ParseConfigFile(file string, lookup func(string) (string, bool)) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseConfig(file, data, lookup)
}

// ParseConfig checks a config held in memory; lookup reads the environment.
func ParseConfig(file string, data []byte, lookup func(string) (string, bool)) (*Config, error) {
	e := &errs{file: file}
	cfg := &Config{
		File:        file,
		Dir:         filepath.Dir(file),
		Providers:   map[string]*ProviderConfig{},
		ZonesDir:    "zones",
		Safety:      DefaultSafety,
		Concurrency: DefaultConcurrency,
		fromEnv:     map[*yaml.Node]string{},
	}
	doc, err := parseYAML(data)
	if err != nil {
		return nil, ErrorList{yamlError(file, data, err, true)}
	}
	root := resolveAlias(doc)
	if root == nil || root.Kind == 0 {
		return nil, ErrorList{{Pos: model.Pos{File: file, Line: 1, Col: 1}, Msg: "the config is empty; it needs at least a providers section"}}
	}
	expandEnv(e, root, lookup, cfg)
	var f configFile
	decodeStrict(e, root, &f)
	if f.Zones != "" {
		cfg.ZonesDir = f.Zones
	}
	if !filepath.IsAbs(cfg.ZonesDir) {
		cfg.ZonesDir = filepath.Join(cfg.Dir, cfg.ZonesDir)
	}
	if f.Safety.Kind != 0 {
		// Keys left out keep their defaults.
		decodeValue(e, &f.Safety, reflectValue(&cfg.Safety), "safety")
		checkSafety(e, root, cfg.Safety)
	}
	if f.Concurrency != nil {
		cfg.Concurrency = *f.Concurrency
		if cfg.Concurrency < 1 || cfg.Concurrency > 256 {
			e.add(valueOr(root, "concurrency"), "concurrency %d is outside 1..256", cfg.Concurrency)
		}
	}
	providers := &f.Providers
	switch {
	case providers.Kind == 0:
		e.add(root, "the config has no providers section")
	case providers.Kind != yaml.MappingNode:
		e.add(providers, "providers must be a mapping of names to provider settings")
	default:
		for i := 0; i+1 < len(providers.Content); i += 2 {
			k, v := providers.Content[i], providers.Content[i+1]
			if !providerNamePattern.MatchString(k.Value) {
				e.add(k, "provider name %q must be letters, digits, '.', '_' or '-'", k.Value)
				continue
			}
			if _, dup := cfg.Providers[k.Value]; dup {
				e.add(k, "provider %q is declared twice", k.Value)
				continue
			}
			if v.Kind != yaml.MappingNode {
				e.add(v, "providers.%s must be a mapping with at least a type", k.Value)
				continue
			}
			pc := &ProviderConfig{Name: k.Value, Dir: cfg.Dir, Pos: nodePos(file, k), node: v, file: file, cfg: cfg}
			if t := mapValue(v, "type"); t == nil || t.Value == "" {
				e.add(k, "providers.%s has no type", k.Value)
				continue
			} else {
				pc.Type = t.Value
			}
			cfg.Providers[k.Value] = pc
		}
	}
	cfg.hideEnvValues(e.list, root)
	if err := e.list.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func checkSafety(e *errs, root *yaml.Node, s Safety) {
	safety := mapValue(root, "safety")
	for _, f := range []struct {
		key string
		v   int
		max int
	}{
		{"max_delete_percent", s.MaxDeletePercent, 100},
		{"max_update_percent", s.MaxUpdatePercent, 100},
		{"min_existing_records", s.MinExistingRecords, 1 << 30},
	} {
		if f.v < 0 || f.v > f.max {
			e.add(valueOr(safety, f.key), "safety.%s %d is outside 0..%d", f.key, f.v, f.max)
		}
	}
}

var envPattern = regexp.MustCompile(`\$\{([^}]*)\}|\$\$`)

// expandEnv substitutes ${VAR} in every scalar value under n; $$ is a
// literal $. Each scalar that took a variable's value is remembered with
// its text as written, so that messages can name the variable instead of
// showing the value. Which values are secrets is for each provider to
// declare (ProviderConfig.Secrets).
func expandEnv(e *errs, n *yaml.Node, lookup func(string) (string, bool), cfg *Config) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			expandEnv(e, n.Content[i+1], lookup, cfg)
		}
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "$") {
			return
		}
		written, substituted := n.Value, false
		n.Value = envPattern.ReplaceAllStringFunc(n.Value, func(m string) string {
			if m == "$$" {
				return "$"
			}
			name := m[2 : len(m)-1]
			if !envNamePattern.MatchString(name) {
				e.add(n, "%q is not a valid environment variable name", name)
				return m
			}
			v, ok := lookup(name)
			if !ok {
				e.add(n, "environment variable %s is not set", name)
				return m
			}
			substituted = true
			return v
		})
		if substituted {
			cfg.fromEnv[n] = written
		}
		if n.Tag == "!!str" || n.Style != 0 {
			return
		}
		// An unquoted ${PORT} takes the kind of its value (number, bool).
		n.Tag = (&yaml.Node{Kind: yaml.ScalarNode, Value: n.Value}).ShortTag()
	default:
		for _, c := range n.Content {
			expandEnv(e, c, lookup, cfg)
		}
	}
}

var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// mapValue returns the value of key in mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// valueOr returns the value of key in mapping n, or n itself when there is none.
func valueOr(n *yaml.Node, key string) *yaml.Node {
	if v := mapValue(n, key); v != nil {
		return v
	}
	return n
}

// ProviderNames lists the configured provider names, sorted.
func (c *Config) ProviderNames() []string {
	names := make([]string, 0, len(c.Providers))
	for n := range c.Providers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
