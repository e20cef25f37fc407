package config

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// MinSecretLength is the fewest characters a secret setting may have. A
// shorter one would be scrubbed out of unrelated output ("alpha" from
// "alpha.com") and is too weak to be a credential anyway.
const MinSecretLength = 8

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
	e := &yamlx.FileErrors{File: p.file, Origins: p.cfg.origins}
	yamlx.Decode(e, settings, v, "providers."+p.Name)
	p.cfg.hideEnvValues(e.List, p.node)
	return e.List.Err()
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
	return yamlx.ErrorList{{Pos: yamlx.NodePos(p.file, n), Msg: "providers." + p.Name + ": " + msg}}
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
		v = yamlx.MapValue(v, part)
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
	var list yamlx.ErrorList
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
			list = append(list, &yamlx.Error{Pos: yamlx.NodePos(p.file, k), Msg: fmt.Sprintf(
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
