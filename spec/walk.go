package spec

import (
	"fmt"
	"runtime"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
)

// Walk loads and validates every zone spec as LoadZones does, but hands
// each spec's zones (its own, then its aliases') to each as soon as they
// are loaded, in the order of the spec files, instead of returning them
// all: a caller that is done with a zone can drop it, so that memory
// follows what the caller keeps, not the estate. Specs are parsed a few
// ahead of each, on every CPU; while each runs, no more are parsed than
// that. A zone declared again is not handed over. The error is every
// problem in every file, as LoadZones reports them, once all are loaded;
// zones handed over before it may belong to an estate that does not load.
func Walk(cfg *config.Config, caps CapabilitiesFunc, each func([]*model.Zone)) error {
	files, err := SpecFiles(cfg.ZonesDir)
	if err != nil {
		return err
	}
	env := loadEnv{cfg: cfg, caps: caps, templates: templatesOf(cfg)}
	workers := runtime.GOMAXPROCS(0)
	// ahead holds the specs being parsed, in file order; its room is
	// how many may be parsed, or wait, ahead of each.
	ahead := make(chan chan specResult, 2*workers)
	sem := make(chan struct{}, workers)
	go func() {
		defer close(ahead)
		for _, f := range files {
			done := make(chan specResult, 1)
			ahead <- done
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				defer func() {
					if r := recover(); r != nil {
						done <- specResult{list: yamlx.ErrorList{{Pos: model.Pos{File: f, Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error loading this spec: %v (please report it)", r)}}}
					}
				}()
				done <- env.readSpec(f)
			}()
		}
	}()
	var all yamlx.ErrorList
	var elsewhere []elsewhereProblem
	// declared says where each zone was declared, for the message about
	// a zone declared again.
	declared := map[string]string{}
	for done := range ahead {
		r := <-done
		all = append(all, r.list...)
		elsewhere = append(elsewhere, r.elsewhere...)
		var zones []*model.Zone
		// A spec with several providers gives a zone per target, all of
		// one name: only another spec declaring the name is a problem.
		mine := map[string]bool{}
		for _, z := range r.zones {
			if where, dup := declared[z.Name]; dup && !mine[z.Name] {
				all = append(all, &yamlx.Error{Pos: z.Pos["zone"], Msg: fmt.Sprintf("zone %s is already declared in %s", z.Name, where)})
				continue
			}
			where := z.File
			if z.AliasOf != "" {
				where += " (an alias of " + z.AliasOf + ")"
			}
			declared[z.Name] = where
			mine[z.Name] = true
			zones = append(zones, z)
		}
		if len(zones) > 0 {
			each(zones)
		}
	}
	// A template no zone includes is still checked, for its form.
	unused, err := env.templates.unusedProblems()
	if err != nil {
		return err
	}
	all = append(all, unused...)
	all = append(all, groupElsewhere(elsewhere)...)
	return all.Err()
}
