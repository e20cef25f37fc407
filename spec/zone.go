package spec

import (
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// loader builds one zone from its YAML tree, collecting every problem.
type loader struct {
	yamlx.FileErrors
	cfg  *config.Config
	caps CapabilitiesFunc
	// cap is the zone's provider's capabilities, when the provider is known.
	cap *model.Capabilities
	z   *model.Zone
	// split holds the body of the records mapping when the spec was cut
	// into pieces (split.go); placeholder is the records value then.
	split       *specSplit
	placeholder *yaml.Node
	// chunksRead is set once the chunks are parsed, chunkFailed when one
	// did not parse on its own.
	chunksRead, chunkFailed bool
	// pieceCopies counts the nodes the pieces copied for aliases;
	// aliasesTooMany is set when they copied too many (maxPieceCopies).
	pieceCopies    int
	aliasesTooMany bool
	// templates are the templates the spec may include; cache, for a
	// loader building a template's record sets, the values parsed before.
	templates *Templates
	cache     *valueCache
	// elsewhere are the problems found in other files (templates) while
	// loading this zone: problems at a record set declared in a template,
	// and the templates' own.
	elsewhere []elsewhereProblem
	// aliasZones are the zones the spec's aliases key names, built once
	// the zone is loaded without problems.
	aliasZones []*model.Zone
	// target is the provider of the target being loaded when the spec
	// names several (targets.go); empty until the first pass picks the
	// first one. offTarget holds the record sets that target does not get.
	target    string
	offTarget map[*model.RecordSet]bool
	// ignoreOnlyTarget is set for a target that ownership.ignore_only_providers
	// opts out of zonesync.yaml's default ownership mode while another
	// target of the zone stays in it: adopt is for that other target.
	ignoreOnlyTarget bool
}

// zoneKeys are the keys a zone spec may have, in their documented order.
var zoneKeys = []string{"zone", "aliases", "provider", "providers", "mode", "masters", "ttl", "soa", "dnssec", "ownership", "include", "ignore", "records"}

func (l *loader) zone(root *yaml.Node) *model.Zone {
	z := &model.Zone{File: l.File, Mode: model.Master, TTL: DefaultTTL, Pos: map[string]model.Pos{}}
	l.z = z
	if root == nil || root.Kind == 0 {
		l.Add(root, "the zone spec is empty")
		return nil
	}
	if root.Kind != yaml.MappingNode {
		l.Add(root, "a zone spec must be a mapping with zone, provider and records")
		return nil
	}
	z.Sources = []string{l.File}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case isExtensionKey(k):
		case !slices.Contains(zoneKeys, k.Value):
			l.Add(k, "unknown key %q%s", k.Value, yamlx.Suggest(k.Value, zoneKeys))
		case keys[k.Value] != nil:
			l.Add(k, "key %q is set twice", k.Value)
		default:
			keys[k.Value] = v
			z.Pos[k.Value] = yamlx.NodePos(l.File, k)
		}
	}

	l.zoneName(z, keys["zone"], root)
	if keys["providers"] != nil {
		l.providers(z, keys["provider"], keys["providers"])
	} else {
		l.provider(z, keys["provider"], root)
	}
	if n := keys["mode"]; n != nil {
		switch m := model.Mode(n.Value); {
		case n.Kind == yaml.ScalarNode && (m == model.Master || m == model.Slave):
			z.Mode = m
		default:
			l.Add(n, "mode must be master or slave, not %s", yamlx.Describe(n))
		}
	}
	if n := keys["ttl"]; n != nil {
		if ttl, ok := l.ttl(n, "ttl"); ok {
			z.TTL = ttl
		}
	}
	l.masters(z, keys["masters"])
	if n := keys["soa"]; n != nil {
		z.SOA = l.soa(n)
	}
	if n := keys["dnssec"]; n != nil {
		l.dnssec(z, n)
	}
	l.ownership(z, keys["ownership"])
	if n := keys["ignore"]; n != nil {
		l.ignore(z, n)
	}
	if n := keys["records"]; n != nil {
		l.records(z, n)
		if l.chunkFailed {
			return nil
		}
	}
	if n := keys["include"]; n != nil && z.Mode != model.Slave {
		l.include(z, n)
	}
	z.SortRecords()
	l.checkRecords(z)
	l.checkOwnership(z, keys["ownership"])
	l.checkMode(z, keys)
	l.checkZoneTTL(z, keys["ttl"])
	l.checkTargets(z, keys)
	if z.Name == "" {
		return nil
	}
	if n := keys["aliases"]; n != nil {
		l.aliases(z, n)
	}
	return z
}

// isExtensionKey reports whether k is a key starting with "x-", which a
// spec leaves to its authors: a place for anchors zonesync reads nothing from.
func isExtensionKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && strings.HasPrefix(k.Value, "x-")
}

func (l *loader) zoneName(z *model.Zone, n *yaml.Node, root *yaml.Node) {
	if n == nil {
		l.Add(root, "missing key \"zone\": the zone's domain name")
		return
	}
	name, err := model.ASCIIName(strings.TrimSuffix(n.Value, "."))
	if err != nil && n.Kind == yaml.ScalarNode {
		l.Add(n, "zone %q: %v", n.Value, err)
		return
	}
	name = strings.ToLower(name)
	if n.Kind != yaml.ScalarNode || !model.ValidDomain(name) {
		l.Add(n, "zone %s is not a valid domain name", yamlx.Describe(n))
		return
	}
	// The file may be named in either form of an internationalised zone.
	if fileZone, err := model.ASCIIName(ZoneOfSpecFile(l.File)); err != nil || !strings.EqualFold(fileZone, name) {
		l.Add(n, "zone %s is declared in %s; name the file %s", name, filepath.Base(l.File), SpecFileName(name))
	}
	z.Name = name
}

func (l *loader) provider(z *model.Zone, n *yaml.Node, root *yaml.Node) {
	if n == nil {
		l.Add(root, "missing key \"provider\": one of %s (or providers: a list of them)", strings.Join(l.cfg.ProviderNames(), ", "))
		return
	}
	if _, ok := l.cfg.Providers[n.Value]; !ok || n.Kind != yaml.ScalarNode {
		l.Add(n, "unknown provider %s; zonesync.yaml declares %s", yamlx.Describe(n), orNone(l.cfg.ProviderNames()))
		return
	}
	z.Provider = n.Value
	if l.caps != nil {
		if c, ok := l.caps(n.Value); ok {
			l.cap = &c
		}
	}
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// ttl reads a TTL, checking the protocol's range and the provider's rules.
func (l *loader) ttl(n *yaml.Node, key string) (uint32, bool) {
	// A leading zero makes YAML's tag !!float (086400) as often as !!int (0300).
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" && n.Tag != "!!float" {
		l.Add(n, "%s must be a whole number of seconds, not %s", key, yamlx.Describe(n))
		return 0, false
	}
	if why := yamlx.NotDecimal(key, n.Value, false); why != "" {
		l.Add(n, "%s", why)
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		l.Add(n, "%s must be a whole number of seconds, not %s", key, yamlx.Describe(n))
		return 0, false
	}
	if err != nil || v < 0 || v > model.MaxTTL {
		l.Add(n, "%s %s is outside 0..%d", key, n.Value, model.MaxTTL)
		return 0, false
	}
	ttl := uint32(v)
	if l.cap != nil {
		if why := l.cap.TTLProblem(ttl); why != "" {
			l.Add(n, "%s %d is %s (provider %s)", key, ttl, why, l.z.Provider)
			return 0, false
		}
	}
	return ttl, true
}

func (l *loader) masters(z *model.Zone, n *yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		l.Add(n, "masters must be a list of IP addresses")
		return
	}
	for _, m := range n.Content {
		ip, err := netip.ParseAddr(m.Value)
		if err != nil || m.Kind != yaml.ScalarNode || ip.Zone() != "" {
			l.Add(m, "master %s is not an IP address", yamlx.Describe(m))
			continue
		}
		z.Masters = append(z.Masters, ip.String())
	}
	sort.Strings(z.Masters)
	z.Masters = slices.Compact(z.Masters)
}

// dnssec reads the dnssec key: true signs the zone, false unsigns it.
func (l *loader) dnssec(z *model.Zone, n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.Add(n, "dnssec must be true or false, not %s", yamlx.Describe(n))
		return
	}
	if l.cap != nil && !l.cap.DNSSEC {
		l.Add(n, "provider %s cannot sign zones with DNSSEC; remove dnssec", z.Provider)
		return
	}
	on := n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	z.DNSSEC = &on
}

// checkMode applies the rules of master and slave zones.
func (l *loader) checkMode(z *model.Zone, keys map[string]*yaml.Node) {
	switch z.Mode {
	case model.Slave:
		if l.cap != nil && !l.cap.Slave {
			l.Add(keys["mode"], "provider %s does not support slave zones", z.Provider)
		}
		if len(z.Masters) == 0 && keys["masters"] == nil {
			l.Add(keys["mode"], "a slave zone needs masters: the servers it is transferred from")
		}
		if n := keys["records"]; n != nil && (len(n.Content) > 0 || n == l.placeholder) {
			l.Add(keys["records"], "a slave zone cannot declare records: its data comes from its masters")
		}
		if keys["soa"] != nil {
			l.Add(keys["soa"], "a slave zone cannot set its SOA: it comes from its masters")
		}
		if keys["include"] != nil {
			l.Add(keys["include"], "a slave zone cannot include templates: its data comes from its masters")
		}
	case model.Master:
		if keys["masters"] != nil {
			l.Add(keys["masters"], "masters are only for slave zones (set mode: slave)")
		}
	}
}

// checkZoneTTL checks the zone TTL against a provider with one TTL per zone.
func (l *loader) checkZoneTTL(z *model.Zone, n *yaml.Node) {
	if l.cap == nil || n != nil {
		return
	}
	if why := l.cap.TTLProblem(z.TTL); why != "" {
		l.Add(nil, "the default ttl %d is %s (provider %s); set ttl", z.TTL, why, z.Provider)
	}
}
