// Command zonesync keeps DNS zones in git: it validates zone specs, plans
// the changes that bring live zones in line with them, and applies them.
//
// This file is wiring only: flags, environment, exit codes and output
// streams. The work is done by the spec, plan, providers and apply packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	_ "github.com/zonesync/zonesync/providers/all"
	"github.com/zonesync/zonesync/spec"
)

// Exit codes, as DESIGN.md documents them.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2
)

func main() {
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}

// exitCode carries a command's exit code through urfave/cli.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// run is the whole program, taking its streams so tests can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	redact := &redactor{}
	out := &redactingWriter{w: stdout, r: redact}
	errOut := &redactingWriter{w: stderr, r: redact}
	app := newApp(out, errOut, redact)
	err := app.RunContext(ctx, args)
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	printError(errOut, err)
	return exitError
}

// printError writes an error to stderr one line per problem, never a trace.
func printError(w io.Writer, err error) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e.Error())
		}
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			fmt.Fprintln(w, "zonesync: "+line)
		}
	}
}

func newApp(stdout, stderr io.Writer, redact *redactor) *cli.App {
	zoneFlag := &cli.StringFlag{Name: "zone", Usage: "only this zone"}
	return &cli.App{
		Name:            "zonesync",
		Usage:           "declarative DNS zones from git: validate, plan, apply",
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Value: "zonesync.yaml", EnvVars: []string{"ZONESYNC_CONFIG"}, Usage: "project config `FILE`"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only results and errors"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print what zonesync reads and does"},
		},
		Commands: []*cli.Command{
			{
				Name:  "validate",
				Usage: "load and check every zone spec and the config",
				Action: func(c *cli.Context) error {
					cfg, set, err := load(c, redact)
					if err != nil {
						return err
					}
					zones, err := apply.LoadSpecs(cfg, set)
					if err != nil {
						return err
					}
					if !c.Bool("quiet") {
						fmt.Fprintf(stdout, "%d zone %s valid (%s)\n", len(zones), pluralWord(len(zones), "spec", "specs"), cfg.ZonesDir)
					}
					return nil
				},
			},
			{
				Name:      "plan",
				Usage:     "read live state and print the changes that bring it in line with the specs",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					zoneFlag,
					&cli.StringFlag{Name: "format", Value: "text", Usage: "text, markdown or json"},
					&cli.StringFlag{Name: "out", Usage: "also save the plan as JSON to `FILE`, for apply"},
					&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 0 with no changes, 2 with changes, 1 on error"},
				},
				Action: func(c *cli.Context) error {
					format := c.String("format")
					if format != "text" && format != "markdown" && format != "json" {
						return fmt.Errorf("--format must be text, markdown or json, not %q", format)
					}
					cfg, set, err := load(c, redact)
					if err != nil {
						return err
					}
					prep, err := apply.Prepare(c.Context, cfg, set, apply.Options{Zone: c.String("zone")})
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
						err = plan.WriteJSON(stdout, prep.Plan)
					case "markdown":
						err = plan.WriteMarkdown(stdout, prep.Plan, plan.MarkdownOptions{Marker: markerName(cfg)})
					default:
						err = plan.WriteText(stdout, prep.Plan, useColor(c.App.Writer))
					}
					if err != nil {
						return err
					}
					if c.Bool("detailed-exitcode") && !prep.Plan.Empty() {
						return exitCode(exitChanges)
					}
					return nil
				},
			},
			{
				Name:      "apply",
				Usage:     "apply a fresh plan, or the saved plan FILE after checking it is not stale",
				ArgsUsage: "[FILE]",
				Flags: []cli.Flag{
					zoneFlag,
					&cli.StringFlag{Name: "format", Value: "text", Usage: "text or json (one report document at the end)"},
					&cli.BoolFlag{Name: "force", Usage: "apply even when the safety checks refuse the plan"},
				},
				Action: func(c *cli.Context) error { return applyCommand(c, stdout, stderr, redact) },
			},
			{
				Name:  "import",
				Usage: "print a zone spec of a live zone",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "provider", Required: true, Usage: "provider `NAME` in zonesync.yaml"},
					&cli.StringFlag{Name: "zone", Required: true, Usage: "zone to import"},
				},
				Action: func(c *cli.Context) error {
					cfg, set, err := load(c, redact)
					if err != nil {
						return err
					}
					name := c.String("provider")
					p, ok := set.Get(name)
					if !ok {
						return fmt.Errorf("unknown provider %q; zonesync.yaml declares %s", name, strings.Join(cfg.ProviderNames(), ", "))
					}
					zone := strings.ToLower(strings.TrimSuffix(c.String("zone"), "."))
					live, err := p.ReadZone(c.Context, zone)
					if err != nil {
						return fmt.Errorf("read zone %s from provider %s: %w", zone, name, err)
					}
					live.Provider = name
					data, err := spec.Marshal(live, p.Capabilities().ZoneTTL)
					if err != nil {
						return err
					}
					_, err = stdout.Write(data)
					return err
				},
			},
		},
	}
}

func applyCommand(c *cli.Context, stdout, stderr io.Writer, redact *redactor) error {
	format := c.String("format")
	if format != "text" && format != "json" {
		return fmt.Errorf("--format must be text or json, not %q", format)
	}
	if c.NArg() > 1 {
		return fmt.Errorf("apply takes at most one plan file, got %d arguments", c.NArg())
	}
	cfg, set, err := load(c, redact)
	if err != nil {
		return err
	}
	opt := apply.Options{Zone: c.String("zone")}
	var prep *apply.Prepared
	if file := c.Args().First(); file != "" {
		saved, err := readPlan(file)
		if err != nil {
			return err
		}
		prep, err = apply.PrepareSaved(c.Context, cfg, set, saved, opt)
		if err != nil {
			return err
		}
	} else {
		prep, err = apply.Prepare(c.Context, cfg, set, opt)
		if err != nil {
			return err
		}
	}
	if len(prep.Plan.Refusals) > 0 && !c.Bool("force") {
		for _, r := range prep.Plan.Refusals {
			fmt.Fprintln(stderr, "zonesync: refused: "+r)
		}
		return fmt.Errorf("%w; review the plan and re-run with --force to apply it anyway", apply.ErrRefused)
	}
	if format == "text" && !c.Bool("quiet") && !prep.Plan.Empty() {
		if err := plan.WriteText(stdout, prep.Plan, useColor(stdout)); err != nil {
			return err
		}
	}
	stop := make(chan struct{})
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			fmt.Fprintln(stderr, "zonesync: interrupted: finishing operations in flight, starting no new ones")
			close(stop)
		}
	}()
	rep := apply.Run(c.Context, prep, apply.RunOptions{
		Concurrency: cfg.Concurrency,
		Stop:        stop,
		OnZone: func(z *apply.ZoneReport) {
			if format == "text" {
				apply.WriteZoneText(stdout, z)
			}
		},
	})
	if format == "json" {
		if err := rep.WriteJSON(stdout); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(stdout, rep.SummaryLine())
	}
	if rep.Failed() || rep.Interrupted {
		return exitCode(exitError)
	}
	return nil
}

// load reads the config and builds its providers; every value taken from
// the environment is registered with the redactor before anything prints.
func load(c *cli.Context, redact *redactor) (*spec.Config, *providers.Set, error) {
	cfg, err := spec.LoadConfig(c.String("config"))
	if err != nil {
		return nil, nil, err
	}
	redact.add(cfg.Secrets()...)
	set, err := providers.Open(cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, set, nil
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

// useColor reports whether w is a terminal and NO_COLOR is unset.
func useColor(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	if rw, ok := w.(*redactingWriter); ok {
		w = rw.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
