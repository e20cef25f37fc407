// Package spec is the zone spec format, zones/<zone>.yaml: it loads and
// validates specs into the zone model (package model), every problem at
// its file:line:col, reading a big spec in pieces (split.go); it formats
// specs (Format), writes a live zone as a spec (Marshal, for import), and
// holds the JSON Schemas of a spec and of zonesync.yaml.
package spec

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// DefaultTTL is the TTL of records when a spec sets none.
const DefaultTTL = 3600

// CapabilitiesFunc returns the capabilities of a configured provider by name.
type CapabilitiesFunc func(provider string) (model.Capabilities, bool)

// LoadZones loads and validates every zone spec (*.yaml, *.yml) in the
// config's zones directory, with the templates they include, and returns
// their zones: each spec's own, then the zones its aliases name, each
// zone once per target when the spec names several providers, in the
// order of its providers list (see ParseTargets). Every problem in every
// file is reported at once; a template problem once, naming the zones
// that include the template.
func LoadZones(cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	var zones []*model.Zone
	if err := Walk(cfg, caps, func(zs []*model.Zone) { zones = append(zones, zs...) }); err != nil {
		return nil, err
	}
	return zones, nil
}

// templatesOf is the templates of the config's templates directory.
func templatesOf(cfg *config.Config) *Templates {
	dir := cfg.TemplatesDir
	if dir == "" {
		dir = filepath.Join(cfg.Dir, "templates")
	}
	return NewTemplates(dir)
}

// loadEnv is what a spec is loaded with besides its own bytes.
type loadEnv struct {
	cfg       *config.Config
	caps      CapabilitiesFunc
	templates *Templates
}

func (env loadEnv) loader(file string) *loader {
	return &loader{FileErrors: yamlx.FileErrors{File: file}, cfg: env.cfg, caps: env.caps, templates: env.templates}
}

// specResult is one spec loaded: its zones (its own, then its aliases')
// when it has no problem, its problems otherwise.
type specResult struct {
	zones []*model.Zone
	// list is the problems in the spec file, elsewhere those in the
	// templates it includes.
	list      yamlx.ErrorList
	elsewhere []elsewhereProblem
}

// err is the result's problems as one ErrorList, or nil.
func (r specResult) err() error {
	return append(r.list, groupElsewhere(r.elsewhere)...).Err()
}

// first is the spec's own zone, or nil.
func (r specResult) first() *model.Zone {
	if len(r.zones) == 0 {
		return nil
	}
	return r.zones[0]
}

func (l *loader) result(z *model.Zone) specResult {
	if len(l.List) > 0 || len(l.elsewhere) > 0 || z == nil {
		l.List.Sort()
		return specResult{list: l.List, elsewhere: l.elsewhere}
	}
	return specResult{zones: append([]*model.Zone{z}, l.aliasZones...)}
}

// readSpec is parseSpec on a file, read in pieces where it can be, so
// that a big spec is never held in memory whole.
func (env loadEnv) readSpec(file string) specResult {
	if f, err := os.Open(file); err == nil {
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if problem := sizeProblems(file, f, st.Size()); problem != nil {
				return specResult{list: problem}
			}
			if st.Size() <= chunkBytes {
				// One piece at most: cutting it would only parse it twice.
				if data, err := io.ReadAll(f); err == nil {
					return env.parseWhole(file, data)
				}
			} else if r, ok := env.parseSplit(file, f, st.Size()); ok {
				return r
			}
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return specResult{list: yamlx.ErrorList{{Pos: model.Pos{File: file, Line: 1, Col: 1}, Msg: "cannot read: " + err.Error()}}}
	}
	return env.parseWhole(file, data)
}

// ParseZone loads and validates one zone spec held in memory, with the
// templates it includes from the config's templates directory. The
// returned error, if any, is an ErrorList with every problem found. For
// a spec with several providers it returns the first target; ParseTargets
// returns all.
func ParseZone(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	r := loadEnv{cfg: cfg, caps: caps, templates: templatesOf(cfg)}.parseSpec(file, data)
	return r.first(), r.err()
}

// ParseTargets loads and validates one zone spec held in memory, once for
// each of its providers: one zone per target, in the order of the spec's
// providers, each with its provider's record sets (only / except) and
// checked against its provider's capabilities, then the same for each of
// the spec's aliases. A problem found for some targets only is prefixed
// with their names (zone@provider).
func ParseTargets(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	r := loadEnv{cfg: cfg, caps: caps, templates: templatesOf(cfg)}.parseSpec(file, data)
	return r.zones, r.err()
}

// parseSpec is ParseTargets' result.
func (env loadEnv) parseSpec(file string, data []byte) specResult {
	if problem := sizeProblems(file, bytes.NewReader(data), int64(len(data))); problem != nil {
		return specResult{list: problem}
	}
	if int64(len(data)) > chunkBytes {
		if r, ok := env.parseSplit(file, bytes.NewReader(data), int64(len(data))); ok {
			return r
		}
	}
	return env.parseWhole(file, data)
}

// parseSplit parses a spec of size bytes read from src in pieces
// (split.go), once per target; ok is false when the spec cannot be cut or
// a piece does not parse on its own.
func (env loadEnv) parseSplit(file string, src io.ReaderAt, size int64) (r specResult, ok bool) {
	return env.targets(func(target string) (*loader, *model.Zone, bool) {
		s := splitSpec(src, size)
		if s == nil {
			return nil, nil, false
		}
		root, placeholder, ok := s.parseRest()
		if !ok {
			return nil, nil, false
		}
		l := env.loader(file)
		l.split, l.placeholder, l.target = s, placeholder, target
		if !yamlx.Expand(&l.FileErrors, root) {
			return l, nil, true
		}
		z := l.zone(root)
		if !l.chunksRead {
			// The body went unused (records is set twice): it must still be
			// YAML, as it must when the whole file is parsed.
			l.chunkFailed = !parseChunks(s.src, s.chunks, func(*yaml.Node) {})
		}
		if l.chunkFailed {
			return nil, nil, false
		}
		return l, z, true
	})
}

// parseWhole loads a spec from the node tree of the whole file, once per
// target.
func (env loadEnv) parseWhole(file string, data []byte) specResult {
	doc, err := yamlx.Parse(data)
	if err != nil {
		return specResult{list: yamlx.ErrorList{yamlx.SyntaxError(file, data, err, false)}}
	}
	expanded := env.loader(file)
	if !yamlx.Expand(&expanded.FileErrors, doc) {
		return expanded.result(nil)
	}
	root := yamlx.Resolve(doc)
	r, _ := env.targets(func(target string) (*loader, *model.Zone, bool) {
		l := env.loader(file)
		// The expansion's problems (a merge key of a scalar) are every pass's.
		l.Origins, l.List, l.target = expanded.Origins, slices.Clone(expanded.List), target
		return l, l.zone(root), true
	})
	return r
}

// targets loads a spec with pass once per target (loadTargets), each pass
// returning its loader and zone; ok is false when a pass could not load
// the spec that way at all. The result holds the targets' zones, then
// each alias's, or every pass's problems.
func (env loadEnv) targets(pass func(target string) (l *loader, z *model.Zone, ok bool)) (specResult, bool) {
	var elsewhere []elsewhereProblem
	var aliases [][]*model.Zone
	zones, errs, ok := loadTargets(func(target string) (*model.Zone, yamlx.ErrorList, bool) {
		l, z, ok := pass(target)
		if !ok {
			return nil, nil, false
		}
		l.List.Sort()
		elsewhere = append(elsewhere, l.elsewhere...)
		aliases = append(aliases, l.aliasZones)
		return z, l.List, true
	})
	if !ok {
		return specResult{}, false
	}
	if len(errs) > 0 || len(elsewhere) > 0 || len(zones) == 0 {
		return specResult{list: errs, elsewhere: elsewhere}, true
	}
	// Each pass built its target's aliases, in the same order.
	for i := range aliases[0] {
		for _, a := range aliases {
			zones = append(zones, a[i])
		}
	}
	return specResult{zones: zones}, true
}

// parseSplit, parseWhole and readSpec as functions, for tests.

func parseZoneSplit(file string, src io.ReaderAt, size int64, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, bool, error) {
	r, ok := loadEnv{cfg: cfg, caps: caps, templates: templatesOf(cfg)}.parseSplit(file, src, size)
	return r.zones, ok, r.err()
}

func parseZoneWhole(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	r := loadEnv{cfg: cfg, caps: caps, templates: templatesOf(cfg)}.parseWhole(file, data)
	return r.zones, r.err()
}

func readZoneFile(file string, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	r := loadEnv{cfg: cfg, caps: caps, templates: templatesOf(cfg)}.readSpec(file)
	return r.zones, r.err()
}
