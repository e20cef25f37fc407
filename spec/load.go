// Package spec is the zone spec format, zones/<zone>.yaml: it loads and
// validates specs into the zone model (package model), every problem at
// its file:line:col, reading a big spec in pieces (split.go); it formats
// specs (Format), writes a live zone as a spec (Marshal, for import), and
// holds the JSON Schemas of a spec and of zonesync.yaml.
package spec

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

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
// config's zones directory. Every problem in every file is reported at once.
// A spec with several providers gives one zone per target, in the order of
// its providers list (see ParseTargets).
func LoadZones(cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	files, err := SpecFiles(cfg.ZonesDir)
	if err != nil {
		return nil, err
	}
	targets := make([][]*model.Zone, len(files))
	errLists := make([]yamlx.ErrorList, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			defer func() {
				if r := recover(); r != nil {
					targets[i], errLists[i] = nil, yamlx.ErrorList{{Pos: model.Pos{File: f, Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error loading this spec: %v (please report it)", r)}}
				}
			}()
			targets[i], errLists[i] = loadZoneFile(f, cfg, caps)
		}()
	}
	wg.Wait()
	var all yamlx.ErrorList
	for _, l := range errLists {
		all = append(all, l...)
	}
	byName := map[string]*model.Zone{}
	var zones []*model.Zone
	for _, ts := range targets {
		if len(ts) == 0 {
			continue
		}
		z := ts[0]
		if prev, dup := byName[z.Name]; dup {
			all = append(all, &yamlx.Error{Pos: z.Pos["zone"], Msg: fmt.Sprintf("zone %s is already declared in %s", z.Name, prev.File)})
			continue
		}
		byName[z.Name] = z
		zones = append(zones, ts...)
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	return zones, nil
}

func loadZoneFile(file string, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, yamlx.ErrorList) {
	zones, err := readZoneFile(file, cfg, caps)
	if err != nil {
		return nil, err.(yamlx.ErrorList)
	}
	return zones, nil
}

// readZoneFile is ParseTargets on a file, read in pieces where it can be, so
// that a big spec is never held in memory whole.
func readZoneFile(file string, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	if f, err := os.Open(file); err == nil {
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if problem := sizeProblems(file, f, st.Size()); problem != nil {
				return nil, problem
			}
			if zones, ok, err := parseZoneSplit(file, f, st.Size(), cfg, caps); ok {
				return zones, err
			}
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, yamlx.ErrorList{{Pos: model.Pos{File: file, Line: 1, Col: 1}, Msg: "cannot read: " + err.Error()}}
	}
	return parseZoneWhole(file, data, cfg, caps)
}

// ParseZone loads and validates one zone spec held in memory. The returned
// error, if any, is an ErrorList with every problem found. For a spec with
// several providers it returns the first target; ParseTargets returns all.
func ParseZone(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	zones, err := ParseTargets(file, data, cfg, caps)
	if err != nil {
		return nil, err
	}
	return zones[0], nil
}

// ParseTargets loads and validates one zone spec held in memory, once for
// each of its providers: one zone per target, in the order of the spec's
// providers, each with its provider's record sets (only / except) and
// checked against its provider's capabilities. A problem found for some
// targets only is prefixed with their names (zone@provider).
func ParseTargets(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	if problem := sizeProblems(file, bytes.NewReader(data), int64(len(data))); problem != nil {
		return nil, problem
	}
	if zones, ok, err := parseZoneSplit(file, bytes.NewReader(data), int64(len(data)), cfg, caps); ok {
		return zones, err
	}
	return parseZoneWhole(file, data, cfg, caps)
}

// parseZoneSplit is ParseTargets on a spec of size bytes read from src in
// pieces (split.go); ok is false when the spec cannot be cut or a piece
// does not parse on its own.
func parseZoneSplit(file string, src io.ReaderAt, size int64, cfg *config.Config, caps CapabilitiesFunc) (zones []*model.Zone, ok bool, err error) {
	zones, errs, ok := loadTargets(func(target string) (*model.Zone, yamlx.ErrorList, bool) {
		s := splitSpec(src, size)
		if s == nil {
			return nil, nil, false
		}
		root, placeholder, ok := s.parseRest()
		if !ok {
			return nil, nil, false
		}
		l := &loader{FileErrors: yamlx.FileErrors{File: file}, cfg: cfg, caps: caps, split: s, placeholder: placeholder, target: target}
		l.zone(root)
		if !l.chunksRead {
			// The body went unused (records is set twice): it must still be
			// YAML, as it must when the whole file is parsed.
			l.chunkFailed = !parseChunks(s.src, s.chunks, func(*yaml.Node) {})
		}
		if l.chunkFailed {
			return nil, nil, false
		}
		return l.z, l.List, true
	})
	if !ok {
		return nil, false, nil
	}
	return zones, true, errs.Err()
}

// parseZoneWhole is ParseTargets on the node tree of the whole spec.
func parseZoneWhole(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, yamlx.ErrorList{yamlx.SyntaxError(file, data, err, false)}
	}
	root := yamlx.Resolve(doc)
	zones, errs, _ := loadTargets(func(target string) (*model.Zone, yamlx.ErrorList, bool) {
		l := &loader{FileErrors: yamlx.FileErrors{File: file}, cfg: cfg, caps: caps, target: target}
		l.zone(root)
		return l.z, l.List, true
	})
	return zones, errs.Err()
}
