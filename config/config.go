// Package config reads zonesync's project config, zonesync.yaml: the
// providers (each provider decodes its own settings with
// ProviderConfig.Decode), the zones directory, the safety thresholds and
// the concurrency. ${VAR} in a value is read from the environment, and the
// values providers declare secret are kept for output to be scrubbed of.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/zonesync/zonesync/internal/yamlx"
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
	// TemplatesDir is the directory holding the templates zone specs
	// include (templates/<name>.yaml).
	TemplatesDir string
	// Safety holds the thresholds that refuse a plan changing too much.
	Safety Safety
	// Concurrency is how many zones are planned and applied at once.
	Concurrency int
	// secrets are the values of the settings providers declared secret.
	secrets []string
	// origins maps the nodes copied for aliases to where they are
	// written, for the problems providers find in their settings.
	origins map[*yaml.Node]yamlx.Origin
	// fromEnv maps each scalar that took (part of) its value from the
	// environment to its text as written, e.g. "${CLOUDNS_ENDPOINT}".
	fromEnv map[*yaml.Node]string
}

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

// Secrets returns the values of the settings the providers declared secret
// (ProviderConfig.Secrets), so that output can be scrubbed of them. It is
// complete once every provider of the config has been built.
func (c *Config) Secrets() []string { return c.secrets }

// configFile is the shape of zonesync.yaml, except providers, which are
// decoded by each provider.
type configFile struct {
	Providers   yaml.Node `yaml:"providers"`
	Zones       string    `yaml:"zones"`
	Templates   string    `yaml:"templates"`
	Safety      yaml.Node `yaml:"safety"`
	Concurrency *int      `yaml:"concurrency"`
}

// providerNamePattern is what a provider name may look like.
var providerNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Load reads and checks zonesync.yaml. Environment variables are
// substituted in every value; an unset one is an error naming it.
func Load(file string) (*Config, error) {
	return ParseFile(file, os.LookupEnv)
}

// ParseFile reads and checks a config with a given environment lookup;
// commands that need no secrets pass one that accepts every variable.
func ParseFile(file string, lookup func(string) (string, bool)) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(file, data, lookup)
}

// Parse checks a config held in memory; lookup reads the environment.
func Parse(file string, data []byte, lookup func(string) (string, bool)) (*Config, error) {
	e := &yamlx.FileErrors{File: file}
	cfg := &Config{
		File:         file,
		Dir:          filepath.Dir(file),
		Providers:    map[string]*ProviderConfig{},
		ZonesDir:     "zones",
		TemplatesDir: "templates",
		Safety:       DefaultSafety,
		Concurrency:  DefaultConcurrency,
		fromEnv:      map[*yaml.Node]string{},
	}
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, yamlx.ErrorList{yamlx.SyntaxError(file, data, err, true)}
	}
	root := yamlx.Resolve(doc)
	if root == nil || root.Kind == 0 {
		return nil, yamlx.ErrorList{{Pos: model.Pos{File: file, Line: 1, Col: 1}, Msg: "the config is empty; it needs at least a providers section"}}
	}
	// Anchors and merge keys are read as if written out, before the
	// environment is, so that each use of an anchored ${VAR} is a value
	// of its own.
	if !yamlx.Expand(e, root) {
		return nil, e.List.Err()
	}
	cfg.origins = e.Origins
	yamlx.StripExtensions(root)
	expandEnv(e, root, lookup, cfg)
	var f configFile
	yamlx.Decode(e, root, &f, "")
	if f.Zones != "" {
		cfg.ZonesDir = f.Zones
	}
	if !filepath.IsAbs(cfg.ZonesDir) {
		cfg.ZonesDir = filepath.Join(cfg.Dir, cfg.ZonesDir)
	}
	if f.Templates != "" {
		cfg.TemplatesDir = f.Templates
	}
	if !filepath.IsAbs(cfg.TemplatesDir) {
		cfg.TemplatesDir = filepath.Join(cfg.Dir, cfg.TemplatesDir)
	}
	if f.Safety.Kind != 0 {
		// Keys left out keep their defaults.
		yamlx.Decode(e, &f.Safety, &cfg.Safety, "safety")
		checkSafety(e, root, cfg.Safety)
	}
	if f.Concurrency != nil {
		cfg.Concurrency = *f.Concurrency
		if cfg.Concurrency < 1 || cfg.Concurrency > 256 {
			e.Add(yamlx.ValueOr(root, "concurrency"), "concurrency %d is outside 1..256", cfg.Concurrency)
		}
	}
	providers := &f.Providers
	switch {
	case providers.Kind == 0:
		e.Add(root, "the config has no providers section")
	case providers.Kind != yaml.MappingNode:
		e.Add(providers, "providers must be a mapping of names to provider settings")
	default:
		for i := 0; i+1 < len(providers.Content); i += 2 {
			k, v := providers.Content[i], providers.Content[i+1]
			if !providerNamePattern.MatchString(k.Value) {
				e.Add(k, "provider name %q must be letters, digits, '.', '_' or '-'", k.Value)
				continue
			}
			if _, dup := cfg.Providers[k.Value]; dup {
				e.Add(k, "provider %q is declared twice", k.Value)
				continue
			}
			if v.Kind != yaml.MappingNode {
				e.Add(v, "providers.%s must be a mapping with at least a type", k.Value)
				continue
			}
			pc := &ProviderConfig{Name: k.Value, Dir: cfg.Dir, Pos: yamlx.NodePos(file, k), node: v, file: file, cfg: cfg}
			if t := yamlx.MapValue(v, "type"); t == nil || t.Value == "" {
				e.Add(k, "providers.%s has no type", k.Value)
				continue
			} else {
				pc.Type = t.Value
			}
			cfg.Providers[k.Value] = pc
		}
	}
	cfg.hideEnvValues(e.List, root)
	if err := e.List.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func checkSafety(e *yamlx.FileErrors, root *yaml.Node, s Safety) {
	safety := yamlx.MapValue(root, "safety")
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
			e.Add(yamlx.ValueOr(safety, f.key), "safety.%s %d is outside 0..%d", f.key, f.v, f.max)
		}
	}
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

// FileName is the name of the project config zonesync looks for.
const FileName = "zonesync.yaml"

// Find looks for zonesync.yaml in dir, then in each parent up to the root,
// the way git finds its repository. The path it returns is relative to
// dir, so that messages name files the way the user sees them; paths
// inside the config stay relative to the config file.
func Find(dir string) (string, error) {
	for d := dir; ; {
		p := filepath.Join(d, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			if rel, err := filepath.Rel(dir, p); err == nil {
				return rel, nil
			}
			return p, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no %s in %s or any parent directory; run zonesync inside your DNS repository, or name the config with --config FILE or $ZONESYNC_CONFIG", FileName, dir)
		}
		d = parent
	}
}
