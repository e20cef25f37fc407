package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/spec"
)

func (e *env) validate(c *cli.Context) error {
	// main collects garbage at half Go's default pace, for plan's speed.
	// validate holds nothing but the model while it parses: the default
	// pace cuts its peak memory by a quarter for a few percent more CPU
	// (BENCHMARKS.md). GOGC in the environment still decides.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(100)
	}
	cfg, set, err := e.load(c)
	if err != nil {
		return err
	}
	zones, err := apply.LoadSpecs(cfg, set)
	if err != nil {
		return err
	}
	if !c.Bool("quiet") {
		fmt.Fprintf(e.stdout, "%d zone %s valid (%s)\n", len(zones), plural(len(zones), "spec", "specs"), cfg.ZonesDir)
	}
	return nil
}

func (e *env) plan(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "markdown" && format != "json" {
		return fmt.Errorf("--format must be text, markdown or json, not %q", format)
	}
	if c.NArg() > 0 {
		return fmt.Errorf("plan takes no arguments, got %q", c.Args().First())
	}
	cfg, set, err := e.load(c)
	if err != nil {
		return err
	}
	opt, err := selection(c)
	if err != nil {
		return err
	}
	prog := e.progress(c, "reading live zones")
	opt.Progress = prog.update
	prep, err := apply.Prepare(e.context(c), cfg, set, opt)
	prog.done()
	if err != nil {
		return err
	}
	if path := c.String("out"); path != "" {
		if err := savePlan(path, prep.Plan); err != nil {
			return err
		}
	}
	switch format {
	case "json":
		err = plan.WriteJSON(e.stdout, prep.Plan)
	case "markdown":
		err = plan.WriteMarkdown(e.stdout, prep.Plan, plan.MarkdownOptions{Marker: markerName(cfg)})
	default:
		err = plan.WriteText(e.stdout, prep.Plan, useColor(e.stdout))
	}
	if err != nil {
		return err
	}
	if c.Bool("detailed-exitcode") && !prep.Plan.Empty() {
		return exitCode(exitChanges)
	}
	return nil
}

func (e *env) apply(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "json" {
		return fmt.Errorf("--format must be text or json, not %q", format)
	}
	if c.NArg() > 1 {
		return fmt.Errorf("apply takes at most one plan file, got %d arguments", c.NArg())
	}
	cfg, set, err := e.load(c)
	if err != nil {
		return err
	}
	opt, err := selection(c)
	if err != nil {
		return err
	}
	prog := e.progress(c, "reading live zones")
	opt.Progress = prog.update
	var prep *apply.Prepared
	if file := c.Args().First(); file != "" {
		var saved *plan.Plan
		if saved, err = readPlan(file); err != nil {
			prog.done()
			return err
		}
		prep, err = apply.PrepareSaved(e.context(c), cfg, set, saved, opt)
	} else {
		prep, err = apply.Prepare(e.context(c), cfg, set, opt)
	}
	prog.done()
	if err != nil {
		return err
	}
	if len(prep.Plan.Refusals) > 0 && !c.Bool("force") {
		for _, r := range prep.Plan.Refusals {
			fmt.Fprintln(e.stderr, "zonesync: refused: "+r)
		}
		return fmt.Errorf("%w; review the plan and re-run with --force to apply it anyway", apply.ErrRefused)
	}
	if format == "text" && !c.Bool("quiet") && !prep.Plan.Empty() {
		if err := plan.WriteText(e.stdout, prep.Plan, useColor(e.stdout)); err != nil {
			return err
		}
	}
	// The first SIGINT or SIGTERM stops new operations and lets those in
	// flight finish; a second one cancels them too.
	ctx, cancel := context.WithCancel(e.context(c))
	defer cancel()
	stop := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer func() { signal.Stop(sigs); close(sigs) }()
	go func() {
		if _, ok := <-sigs; !ok {
			return
		}
		fmt.Fprintln(e.stderr, "zonesync: interrupted: finishing the operations in flight, starting no new ones (interrupt again to cancel them)")
		close(stop)
		if _, ok := <-sigs; ok {
			fmt.Fprintln(e.stderr, "zonesync: interrupted again: cancelling the operations in flight")
			cancel()
		}
	}()
	prog = e.progress(c, "applying zones")
	done, total := 0, len(prep.Plan.Zones)
	rep := apply.Run(ctx, prep, apply.RunOptions{
		Concurrency: cfg.Concurrency,
		Stop:        stop,
		OnZone: func(z *apply.ZoneReport) {
			done++
			prog.update(done, total)
			if format == "text" {
				prog.clear()
				apply.WriteZoneText(e.stdout, z)
			}
		},
	})
	prog.done()
	if format == "json" {
		if err := rep.WriteJSON(e.stdout); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(e.stdout, rep.SummaryLine())
	}
	if rep.Failed() || rep.Interrupted {
		return exitCode(exitError)
	}
	return nil
}

func (e *env) importZones(c *cli.Context) error {
	all, zone := c.Bool("all"), spec.NormalizeZone(c.String("zone"))
	if all == (zone != "") {
		return errors.New("import needs either --zone Z (printed to stdout) or --all (one file per zone)")
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
	spec := func(zone string) ([]byte, error) {
		live, err := p.ReadZone(e.context(c), zone)
		if err != nil {
			return nil, fmt.Errorf("read zone %s from provider %s: %w", zone, name, err)
		}
		live.Provider = name
		return specMarshal(live, caps)
	}
	if !all {
		data, err := spec(zone)
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
	for _, z := range zones {
		path := filepath.Join(dir, z+".yaml")
		if _, err := os.Stat(path); err == nil && !c.Bool("overwrite") {
			fmt.Fprintf(e.stderr, "zonesync: %s exists; left as it is (--overwrite replaces it)\n", path)
			continue
		}
		data, err := spec(z)
		if err == nil {
			err = os.WriteFile(path, data, 0o644)
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		fmt.Fprintln(e.stdout, path)
	}
	return errors.Join(problems...)
}

func (e *env) format(c *cli.Context) error {
	files := c.Args().Slice()
	if len(files) == 0 {
		// fmt needs no credentials: read only where the specs are.
		cfg, err := spec.ParseConfigFile(c.String("config"), func(string) (string, bool) { return "", true })
		if err != nil {
			return err
		}
		if files, err = spec.SpecFiles(cfg.ZonesDir); err != nil {
			return err
		}
	}
	var unformatted []string
	var problems []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		out, err := spec.Format(data)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", f, err))
			continue
		}
		if bytes.Equal(out, data) {
			continue
		}
		unformatted = append(unformatted, f)
		if !c.Bool("check") {
			if err := os.WriteFile(f, out, 0o644); err != nil {
				problems = append(problems, err)
			}
		}
	}
	for _, f := range unformatted {
		fmt.Fprintln(e.stdout, f)
	}
	if err := errors.Join(problems...); err != nil {
		return err
	}
	if c.Bool("check") && len(unformatted) > 0 {
		fmt.Fprintf(e.stderr, "zonesync: %d %s not formatted; run zonesync fmt\n", len(unformatted), plural(len(unformatted), "spec is", "specs are"))
		return exitCode(exitError)
	}
	return nil
}

func (e *env) schema(c *cli.Context) error {
	which := c.Args().First()
	if which == "" {
		which = "zone"
	}
	if which != "zone" && which != "config" {
		return fmt.Errorf("schema takes zone or config, not %q", which)
	}
	data, err := spec.Schema(which)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(data)
	return err
}

// selection reads the flags that pick zones: --zone and --shard.
func selection(c *cli.Context) (apply.Options, error) {
	opt := apply.Options{Zone: spec.NormalizeZone(c.String("zone"))}
	if s := c.String("shard"); s != "" {
		shard, err := plan.ParseShard(s)
		if err != nil {
			return opt, err
		}
		opt.Shard = shard
	}
	return opt, nil
}

// specMarshal writes a live zone as a spec its provider accepts.
func specMarshal(live *spec.Zone, caps spec.Capabilities) ([]byte, error) {
	return spec.Marshal(spec.ForImport(live, caps), caps.ZoneTTL)
}

func readPlan(path string) (*plan.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	defer f.Close()
	p, err := plan.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// savePlan writes the plan file atomically, so a failed write never leaves
// a truncated plan that could be applied.
func savePlan(path string, p *plan.Plan) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".plan-*.json")
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := plan.WriteJSON(tmp, p); err != nil {
		tmp.Close()
		return fmt.Errorf("save plan: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// markerName is how the markdown marker names the config.
func markerName(cfg *spec.Config) string {
	return filepath.ToSlash(filepath.Clean(cfg.File))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// progress shows "label: done/total" on stderr while a long step runs, when
// stderr is a terminal and --quiet is off; otherwise it prints nothing.
type progress struct {
	mu      sync.Mutex
	e       *env
	label   string
	on      bool
	printed bool
	// over is set by done: reads still finishing after it print nothing.
	over bool
}

func (e *env) progress(c *cli.Context, label string) *progress {
	return &progress{e: e, label: label, on: e.terminal && !c.Bool("quiet")}
}

func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on || p.over {
		return
	}
	fmt.Fprintf(p.e.stderr, "\r\x1b[K%s: %d/%d", p.label, done, total)
	p.printed = true
}

// clear removes the progress line so other output starts on a clean line.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

func (p *progress) clearLocked() {
	if p.printed {
		fmt.Fprint(p.e.stderr, "\r\x1b[K")
		p.printed = false
	}
}

// done clears the line and ignores any later update.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
	p.over = true
}
