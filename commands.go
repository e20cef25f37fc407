package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/changes"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/spec"
	"github.com/zonesync/zonesync/verify"
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
	if !globalBool(c, "quiet") {
		// A spec with several providers is one zone per target.
		specs := 0
		for i, z := range zones {
			if i == 0 || z.Name != zones[i-1].Name {
				specs++
			}
		}
		targets := ""
		if len(zones) > specs {
			targets = fmt.Sprintf(", %d targets", len(zones))
		}
		fmt.Fprintf(e.stdout, "%d zone %s valid%s (%s)\n", specs, plural(specs, "spec", "specs"), targets, cfg.ZonesDir)
	}
	return nil
}

func (e *env) plan(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "markdown" && format != "json" {
		return fmt.Errorf("--format must be text, markdown or json, not %q", format)
	}
	prep, cfg, err := e.preparePlan(c)
	if err != nil {
		// A failed plan is a document too, so that a pull request comment
		// shows the errors instead of the plan of an earlier push, and a
		// program reading JSON gets JSON.
		if format != "text" {
			failed := &plan.Plan{FormatVersion: plan.FormatVersion, Zones: []*plan.ZonePlan{}, Errors: problems(err)}
			if werr := e.writePlan(format, failed, e.marker(c, cfg)); werr != nil {
				return errors.Join(err, werr)
			}
		}
		return err
	}
	p := prep.Plan
	p.Forced = c.Bool("force") && len(p.Refusals) > 0
	for _, u := range prep.Unavailable {
		p.Errors = append(p.Errors, problems(u)...)
	}
	if path := c.String("out"); path != "" {
		if len(p.Errors) > 0 {
			fmt.Fprintf(e.stderr, "zonesync: the plan was not saved to %s: it leaves out the zones of the providers below\n", path)
		} else if err := savePlan(path, p); err != nil {
			return err
		}
	}
	if err := e.writePlan(format, p, e.marker(c, cfg)); err != nil {
		return err
	}
	failed := false
	for _, u := range prep.Unavailable {
		e.printError(u)
		failed = true
	}
	if len(p.Refusals) > 0 && !p.Forced {
		e.printProblem(plan.Problem{Message: fmt.Sprintf("the safety checks refuse this plan (%d %s above): apply will not carry it out; "+
			"review it, then plan and apply with --force to go ahead", len(p.Refusals), plural(len(p.Refusals), "refusal", "refusals"))})
		failed = true
	}
	if failed {
		return exitCode(exitError)
	}
	if c.Bool("detailed-exitcode") && !p.Empty() {
		return exitCode(exitChanges)
	}
	return nil
}

// preparePlan reads the flags, the config, the specs and the live zones
// into a fresh plan.
func (e *env) preparePlan(c *cli.Context) (*apply.Prepared, *config.Config, error) {
	if c.NArg() > 0 {
		return nil, nil, fmt.Errorf("plan takes no arguments, got %q", c.Args().First())
	}
	opt, err := selection(c)
	if err != nil {
		return nil, nil, err
	}
	// Find out before reading every live zone that the plan cannot be saved.
	if path := c.String("out"); path != "" {
		if err := checkPlanDir(path); err != nil {
			return nil, nil, err
		}
	}
	cfg, set, err := e.load(c)
	if err != nil {
		return nil, nil, err
	}
	if ref := c.String("changed-since"); c.IsSet("changed-since") {
		if opt.Changes, err = changes.Since(e.context(c), cfg, ref); err != nil {
			return nil, cfg, err
		}
	}
	// The plan is shown or saved, never acted on as read: its zones are
	// dropped once planned.
	opt.Retain = apply.RetainNone
	prog := e.progress(c, "reading live zones")
	opt.Progress = prog.update
	prep, err := apply.Prepare(e.context(c), cfg, set, opt)
	prog.done()
	return prep, cfg, err
}

// writePlan prints a plan in the --format asked for.
func (e *env) writePlan(format string, p *plan.Plan, marker string) error {
	switch format {
	case "json":
		return plan.WriteJSON(e.stdout, p)
	case "markdown":
		return plan.WriteMarkdown(e.stdout, p, plan.MarkdownOptions{Marker: marker})
	}
	return plan.WriteText(e.stdout, p, useColor(e.stdout))
}

// marker names the config in a markdown document's hidden first line:
// the config loaded, else the one that failed to load.
func (e *env) marker(c *cli.Context, cfg *config.Config) string {
	if cfg != nil {
		return markerName(cfg)
	}
	file, err := e.configFile(c)
	if err != nil {
		file = config.FileName
	}
	return filepath.ToSlash(filepath.Clean(file))
}

func (e *env) apply(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "json" && format != "markdown" {
		return fmt.Errorf("--format must be text, json or markdown, not %q", format)
	}
	vopt, verifying, err := applyVerifyOptions(c)
	if err != nil {
		return err
	}
	rep := &apply.Report{}
	var applied []verify.Zone
	cfg, err := e.applyPlan(c, format, rep, &applied)
	// --verify: the zones just applied, once every operation is ok.
	var vrep *verify.Report
	if verifying && err == nil {
		vrep = e.runVerify(c, applied, vopt)
		err = verifyExit(vrep)
	} else if verifying {
		fmt.Fprintln(e.stderr, "zonesync: not verified: the apply did not succeed")
	}
	if format == "text" {
		if vrep != nil {
			fmt.Fprintln(e.stdout)
			if werr := verify.WriteText(e.stdout, vrep); werr != nil {
				return errors.Join(err, werr)
			}
		}
		return err
	}
	// JSON and markdown are one document whatever happened: the report,
	// the refusals, or the errors.
	var exit exitCode
	if err != nil && !errors.As(err, &exit) && !errors.Is(err, apply.ErrRefused) {
		rep.Errors = append(rep.Errors, problems(err)...)
	}
	var werr error
	if format == "json" {
		werr = writeApplyJSON(e.stdout, rep, vrep)
	} else {
		werr = apply.WriteMarkdown(e.stdout, rep, e.marker(c, cfg))
		if werr == nil && vrep != nil {
			_, werr = io.WriteString(e.stdout, "\n")
			werr = errors.Join(werr, verify.WriteMarkdown(e.stdout, vrep, verify.MarkdownOptions{}))
		}
	}
	return errors.Join(err, werr)
}

// applyPlan applies a fresh or saved plan, filling in rep as it goes. Its
// error is what is printed on stderr and decides the exit code.
// applied is set to the zones the apply changed, for --verify.
func (e *env) applyPlan(c *cli.Context, format string, rep *apply.Report, applied *[]verify.Zone) (*config.Config, error) {
	if c.NArg() > 1 {
		return nil, fmt.Errorf("apply takes at most one plan file, got %d arguments", c.NArg())
	}
	opt, err := selection(c)
	if err != nil {
		return nil, err
	}
	cfg, set, err := e.load(c)
	if err != nil {
		return nil, err
	}
	// Run reads each zone again before changing it: of the zones planned
	// it needs the specs of those it changes, not the live states.
	opt.Retain = apply.RetainForApply
	prog := e.progress(c, "reading live zones")
	opt.Progress = prog.update
	var prep *apply.Prepared
	file := c.Args().First()
	if file != "" {
		var saved *plan.Plan
		if saved, err = readPlan(file); err != nil {
			prog.done()
			return cfg, err
		}
		prep, err = apply.PrepareSaved(e.context(c), cfg, set, saved, opt)
	} else {
		prep, err = apply.Prepare(e.context(c), cfg, set, opt)
	}
	prog.done()
	if err != nil {
		return cfg, err
	}
	for _, u := range prep.Unavailable {
		rep.Errors = append(rep.Errors, problems(u)...)
	}
	if len(prep.Plan.Refusals) > 0 && !c.Bool("force") && !prep.Plan.Forced {
		rep.Refusals = prep.Plan.Refusals
		for _, r := range prep.Plan.Refusals {
			e.printProblem(plan.Problem{Message: "refused: " + r})
		}
		for _, u := range prep.Unavailable {
			e.printError(u)
		}
		return cfg, fmt.Errorf("%w; review the plan and re-run with --force to apply it anyway", apply.ErrRefused)
	}
	for _, z := range prep.AlreadyApplied {
		rep.AlreadyApplied = append(rep.AlreadyApplied, z.Key())
		if format == "text" && !globalBool(c, "quiet") {
			fmt.Fprintf(e.stdout, "zone %s (provider %s): already applied: its live state is what the plan makes; nothing to do\n", z.Zone, z.Provider)
		}
	}
	// At a terminal a fresh plan is shown and must be approved, as with
	// Terraform; a saved plan was reviewed when it was made.
	ask := e.interactive && file == "" && !c.Bool("auto-approve") && !prep.Plan.Empty()
	onStdout := format == "text" && !globalBool(c, "quiet") && !prep.Plan.Empty()
	if onStdout {
		if err := plan.WriteText(e.stdout, prep.Plan, useColor(e.stdout)); err != nil {
			return cfg, err
		}
	}
	// The person asked must see the plan: on stderr, with the question,
	// unless it just went to stdout and that is their terminal. With
	// --format json, stdout is the report alone.
	if ask && !(onStdout && isTerminal(unwrap(e.stdout))) {
		if err := plan.WriteText(e.stderr, prep.Plan, useColor(e.stderr)); err != nil {
			return cfg, err
		}
	}
	if ask {
		ok, err := e.confirm(prep.Plan)
		if err != nil {
			return cfg, err
		}
		if !ok {
			fmt.Fprintln(e.stderr, "zonesync: apply cancelled; nothing was changed")
			rep.Errors = append(rep.Errors, plan.Problem{Message: "apply cancelled; nothing was changed"})
			return cfg, exitCode(exitError)
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
	ran := apply.Run(ctx, prep, apply.RunOptions{
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
	ran.Refusals, ran.Errors, ran.AlreadyApplied = rep.Refusals, rep.Errors, rep.AlreadyApplied
	if prep.Plan.Forced || c.Bool("force") {
		ran.Forced = prep.Plan.Refusals
	}
	*rep = *ran
	*applied = appliedZones(prep, ran)
	if format == "text" {
		fmt.Fprintln(e.stdout, rep.SummaryLine())
		rep.WriteTargetsText(e.stdout)
	}
	for _, u := range prep.Unavailable {
		e.printError(u)
	}
	if rep.Failed() || rep.Interrupted || len(prep.Unavailable) > 0 {
		return cfg, exitCode(exitError)
	}
	return cfg, nil
}

func (e *env) schema(c *cli.Context) error {
	which := c.Args().First()
	if which == "" {
		which = "zone"
	}
	if which != "zone" && which != "config" && which != "template" {
		return fmt.Errorf("schema takes zone, config or template, not %q", which)
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
	zones, err := zonePatterns(c)
	if err != nil {
		return apply.Options{}, err
	}
	opt := apply.Options{Zones: zones}
	if s := c.String("shard"); s != "" {
		shard, err := plan.ParseShard(s)
		if err != nil {
			return opt, err
		}
		opt.Shard = shard
	}
	return opt, nil
}

// markerName is how the markdown marker names the config.
func markerName(cfg *config.Config) string {
	return filepath.ToSlash(filepath.Clean(cfg.File))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
