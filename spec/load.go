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
func LoadZones(cfg *config.Config, caps CapabilitiesFunc) ([]*model.Zone, error) {
	files, err := SpecFiles(cfg.ZonesDir)
	if err != nil {
		return nil, err
	}
	zones := make([]*model.Zone, len(files))
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
					zones[i], errLists[i] = nil, yamlx.ErrorList{{Pos: model.Pos{File: f, Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error loading this spec: %v (please report it)", r)}}
				}
			}()
			zones[i], errLists[i] = loadZoneFile(f, cfg, caps)
		}()
	}
	wg.Wait()
	var all yamlx.ErrorList
	for _, l := range errLists {
		all = append(all, l...)
	}
	byName := map[string]*model.Zone{}
	for _, z := range zones {
		if z == nil {
			continue
		}
		if prev, dup := byName[z.Name]; dup {
			all = append(all, &yamlx.Error{Pos: z.Pos["zone"], Msg: fmt.Sprintf("zone %s is already declared in %s", z.Name, prev.File)})
			continue
		}
		byName[z.Name] = z
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	return zones, nil
}

func loadZoneFile(file string, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, yamlx.ErrorList) {
	z, err := readZoneFile(file, cfg, caps)
	if err != nil {
		return nil, err.(yamlx.ErrorList)
	}
	return z, nil
}

// readZoneFile is ParseZone on a file, read in pieces where it can be, so
// that a big spec is never held in memory whole.
func readZoneFile(file string, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	if f, err := os.Open(file); err == nil {
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if problem := sizeProblems(file, f, st.Size()); problem != nil {
				return nil, problem
			}
			if z, ok, err := parseZoneSplit(file, f, st.Size(), cfg, caps); ok {
				return z, err
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
// error, if any, is an ErrorList with every problem found.
func ParseZone(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	if problem := sizeProblems(file, bytes.NewReader(data), int64(len(data))); problem != nil {
		return nil, problem
	}
	if z, ok, err := parseZoneSplit(file, bytes.NewReader(data), int64(len(data)), cfg, caps); ok {
		return z, err
	}
	return parseZoneWhole(file, data, cfg, caps)
}

// parseZoneSplit is ParseZone on a spec of size bytes read from src in
// pieces (split.go); ok is false when the spec cannot be cut or a piece
// does not parse on its own.
func parseZoneSplit(file string, src io.ReaderAt, size int64, cfg *config.Config, caps CapabilitiesFunc) (z *model.Zone, ok bool, err error) {
	s := splitSpec(src, size)
	if s == nil {
		return nil, false, nil
	}
	root, placeholder, ok := s.parseRest()
	if !ok {
		return nil, false, nil
	}
	l := &loader{FileErrors: yamlx.FileErrors{File: file}, cfg: cfg, caps: caps, split: s, placeholder: placeholder}
	z = l.zone(root)
	if !l.chunksRead {
		// The body went unused (records is set twice): it must still be
		// YAML, as it must when the whole file is parsed.
		l.chunkFailed = !parseChunks(s.src, s.chunks, func(*yaml.Node) {})
	}
	if l.chunkFailed {
		return nil, false, nil
	}
	z, err = l.result(z)
	return z, true, err
}

// parseZoneWhole is ParseZone on the node tree of the whole spec.
func parseZoneWhole(file string, data []byte, cfg *config.Config, caps CapabilitiesFunc) (*model.Zone, error) {
	doc, err := yamlx.Parse(data)
	if err != nil {
		return nil, yamlx.ErrorList{yamlx.SyntaxError(file, data, err, false)}
	}
	l := &loader{FileErrors: yamlx.FileErrors{File: file}, cfg: cfg, caps: caps}
	return l.result(l.zone(yamlx.Resolve(doc)))
}

func (l *loader) result(z *model.Zone) (*model.Zone, error) {
	if err := l.List.Err(); err != nil {
		return nil, err
	}
	return z, nil
}
