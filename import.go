package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/ownership"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

func (e *env) importZones(c *cli.Context) error {
	all, zone := c.Bool("all"), model.NormalizeZone(c.String("zone"))
	if all == (zone != "") {
		return errors.New("import needs either --zone Z (printed to stdout) or --all (one file per zone)")
	}
	if zone != "" && !model.ValidZoneName(zone) {
		return fmt.Errorf("--zone %q is not a domain name", c.String("zone"))
	}
	name := c.String("provider")
	if name == "" {
		return errors.New("import needs --provider NAME, a provider of zonesync.yaml")
	}
	cfg, set, err := e.load(c)
	if err != nil {
		return err
	}
	p, ok := set.Get(name)
	if !ok {
		return fmt.Errorf("unknown provider %q; zonesync.yaml declares %s", name, strings.Join(cfg.ProviderNames(), ", "))
	}
	caps := p.Capabilities()
	capsOf := func(provider string) (model.Capabilities, bool) { return caps, provider == name }
	useTemplates := c.Bool("use-templates")
	owner, explicit := c.String("owner"), true
	if owner == "" && cfg.Ownership != nil && !cfg.Ownership.IgnoreOnly(name) {
		owner, explicit = cfg.Ownership.Owner, false
	}
	if why := ownership.OwnerProblem(owner); owner != "" && why != "" {
		return fmt.Errorf("--owner: %s", why)
	}
	specOf := func(zone string) ([]byte, error) {
		live, err := p.ReadZone(e.context(c), zone, providers.ReadOptions{})
		if err != nil {
			return nil, fmt.Errorf("read zone %s from provider %s: %w", zone, name, err)
		}
		if got := model.NormalizeZone(live.Name); got != zone {
			return nil, fmt.Errorf("read zone %s from provider %s: the provider answered with zone %q", zone, name, got)
		}
		live.Provider = name
		if owner != "" && live.Mode == model.Master {
			ownedSpec(live, owner, explicit)
		}
		if !useTemplates {
			return specMarshal(live, caps)
		}
		data, included, err := spec.MarshalUsingTemplates(spec.ForImport(live, caps), caps.ZoneTTL, cfg, capsOf)
		if err != nil {
			return nil, fmt.Errorf("import zone %s: %w", zone, err)
		}
		if len(included) > 0 {
			fmt.Fprintf(e.stderr, "zonesync: zone %s includes %s\n", zone, strings.Join(included, ", "))
		}
		return data, nil
	}
	if !all {
		data, err := specOf(zone)
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(data)
		return err
	}
	dir := c.String("dir")
	if dir == "" {
		dir = cfg.ZonesDir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	zones, err := p.ListZones(e.context(c))
	if err != nil {
		return fmt.Errorf("list zones of provider %s: %w", name, err)
	}
	var problems []error
	for _, listed := range zones {
		// Zone names come from the provider: only a domain name becomes a
		// file, and its file name never leaves the directory.
		z := model.NormalizeZone(listed)
		if !model.ValidZoneName(z) || strings.TrimSpace(listed) != listed {
			problems = append(problems, fmt.Errorf("provider %s lists a zone named %q, which is not a domain name; not imported", name, listed))
			continue
		}
		path := filepath.Join(dir, spec.SpecFileName(z))
		if filepath.Dir(path) != filepath.Clean(dir) {
			problems = append(problems, fmt.Errorf("provider %s lists zone %q, whose spec file would be outside %s; not imported", name, listed, dir))
			continue
		}
		if _, err := os.Lstat(path); err == nil && !c.Bool("overwrite") {
			fmt.Fprintf(e.stderr, "zonesync: %s exists; left as it is (--overwrite replaces it)\n", path)
			continue
		}
		data, err := specOf(z)
		if err == nil {
			err = writeFileIn(dir, filepath.Base(path), data)
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		fmt.Fprintln(e.stdout, path)
	}
	return errors.Join(problems...)
}

// writeFileIn replaces dir/name with data through a temporary file in dir
// and a rename: a failed write leaves no half spec, and a symbolic link
// at dir/name is replaced, never followed out of dir.
func writeFileIn(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".import-*.yaml")
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("import: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("import: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// ownedSpec reduces a live zone to what a spec in ownership mode for
// owner declares: the owner's record sets and those no marker claims,
// without markers. The unmarked ones are adopted at the first apply
// (ownership.adopt: unmarked). The owner is written when it was given
// (--owner); zonesync.yaml's default owner is taken, not repeated.
func ownedSpec(live *model.Zone, owner string, explicit bool) {
	sets, unmarked := ownership.Importable(live.Name, live.Records, owner)
	live.Records = sets
	o := &model.Ownership{AdoptUnmarked: unmarked > 0}
	if explicit {
		o.Owner = owner
	}
	if explicit || o.AdoptUnmarked {
		live.Ownership = o
	}
}

// specMarshal writes a live zone as a spec its provider accepts.
func specMarshal(live *model.Zone, caps model.Capabilities) ([]byte, error) {
	return spec.Marshal(spec.ForImport(live, caps), caps.ZoneTTL)
}
