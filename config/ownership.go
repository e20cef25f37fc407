package config

import (
	"slices"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/ownership"
	"gopkg.in/yaml.v3"
)

// Ownership is zonesync.yaml's ownership section: the ownership mode of
// every zone whose spec does not set its own.
type Ownership struct {
	// Owner is the owner id every zone's markers carry.
	Owner string
	// IgnoreOnlyProviders are providers whose zones stay in ignore-only
	// mode, without markers, unless their spec says otherwise.
	IgnoreOnlyProviders []string
	// Pos is where the section is written.
	Pos model.Pos
}

// ownershipSection is the shape of the ownership section.
type ownershipSection struct {
	Owner               string   `yaml:"owner"`
	IgnoreOnlyProviders []string `yaml:"ignore_only_providers"`
}

// readOwnership reads the ownership section; nil when it has a problem.
func readOwnership(e *yamlx.FileErrors, file string, n, resolved *yaml.Node) *Ownership {
	var s ownershipSection
	before := len(e.List)
	yamlx.Decode(e, resolved, &s, "ownership")
	if len(e.List) > before {
		return nil
	}
	if s.Owner == "" {
		e.Add(n, "ownership needs an owner: the id zonesync writes in its markers, such as \"git:dns-repo\"")
		return nil
	}
	if why := ownership.OwnerProblem(s.Owner); why != "" {
		e.Add(yamlx.ValueOr(n, "owner"), "ownership.owner: %s", why)
		return nil
	}
	return &Ownership{Owner: s.Owner, IgnoreOnlyProviders: s.IgnoreOnlyProviders, Pos: yamlx.NodePos(file, n)}
}

// checkIgnoreOnly refuses an ignore-only provider the config does not declare.
func checkIgnoreOnly(e *yamlx.FileErrors, n *yaml.Node, cfg *Config) {
	list := yamlx.MapValue(n, "ignore_only_providers")
	for i, name := range cfg.Ownership.IgnoreOnlyProviders {
		if _, ok := cfg.Providers[name]; !ok {
			at := list
			if list != nil && i < len(list.Content) {
				at = list.Content[i]
			}
			e.Add(at, "ownership.ignore_only_providers: unknown provider %q; the config declares %s", name, orNone(cfg.ProviderNames()))
		}
	}
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// IgnoreOnly reports whether a provider's zones default to ignore-only mode.
func (o *Ownership) IgnoreOnly(provider string) bool {
	return slices.Contains(o.IgnoreOnlyProviders, provider)
}
