// Command zonesync keeps DNS zones in git: it validates zone specs, plans
// the changes that bring live zones in line with them, and applies them.
//
// This package is wiring only: flags, environment, exit codes and output
// streams (main.go), and one small function per command (commands.go). The
// work is done by the spec, plan, providers and apply packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
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
	// A plan makes much short-lived garbage (a YAML tree per piece of the
	// spec, the live zone's parse): collecting it half as often saves about
	// a seventh of the CPU time for a third more peak memory, which stays
	// at half the parse floor's (bench/plan.sh, BENCHMARKS.md). GOGC in the
	// environment still decides.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(200)
	}
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}

// exitCode carries a command's exit code through urfave/cli.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// env is what every command gets: its output streams and the redactor
// that scrubs the config's secrets from them.
type env struct {
	stdout, stderr io.Writer
	redact         *redactor
	// terminal is true when stderr is a terminal, for progress lines.
	terminal bool
}

// run is the whole program, taking its streams so tests can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	redact := &redactor{}
	e := &env{
		stdout:   &redactingWriter{w: stdout, r: redact},
		stderr:   &redactingWriter{w: stderr, r: redact},
		redact:   redact,
		terminal: isTerminal(stderr),
	}
	// A bug must still end as one line on stderr, not a stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "zonesync: internal error: %v (please report it)\n", r)
			code = exitError
		}
	}()
	err := newApp(e).RunContext(ctx, args)
	var exit exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return int(exit)
	}
	printError(e.stderr, err)
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

// usageError keeps a bad flag to one line on stderr: urfave/cli would
// print the help text to stdout, where machine output goes.
func usageError(c *cli.Context, err error, isSubcommand bool) error {
	if !isSubcommand || c.Command == nil {
		return fmt.Errorf("%w (see zonesync --help)", err)
	}
	return fmt.Errorf("%w (see zonesync %s --help)", err, c.Command.Name)
}

func newApp(e *env) *cli.App {
	zoneFlag := &cli.StringFlag{Name: "zone", Usage: "only this zone"}
	shardFlag := &cli.StringFlag{Name: "shard", Usage: "only the zones of stable slice `K/N` (a CI matrix of N runners)"}
	app := &cli.App{
		Name:            "zonesync",
		Usage:           "declarative DNS zones from git: validate, plan, apply",
		Writer:          e.stdout,
		ErrWriter:       e.stderr,
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {},
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Value: "zonesync.yaml", EnvVars: []string{"ZONESYNC_CONFIG"}, Usage: "project config `FILE`"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only results and errors"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print what zonesync reads and does"},
		},
		Commands: []*cli.Command{
			{
				Name:   "validate",
				Usage:  "load and check every zone spec and the config",
				Action: e.validate,
			},
			{
				Name:  "plan",
				Usage: "read live state and print the changes that bring it in line with the specs",
				Flags: []cli.Flag{
					zoneFlag,
					shardFlag,
					&cli.StringFlag{Name: "format", Value: "text", Usage: "text, markdown or json"},
					&cli.StringFlag{Name: "out", Usage: "also save the plan as JSON to `FILE`, for apply"},
					&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 0 with no changes, 2 with changes, 1 on error"},
				},
				Action: e.plan,
			},
			{
				Name:      "apply",
				Usage:     "apply a fresh plan, or the saved plan FILE after checking it is not stale",
				ArgsUsage: "[FILE]",
				Flags: []cli.Flag{
					zoneFlag,
					shardFlag,
					&cli.StringFlag{Name: "format", Value: "text", Usage: "text, or json for one report document at the end"},
					&cli.BoolFlag{Name: "force", Usage: "apply even when the safety checks refuse the plan"},
				},
				Action: e.apply,
			},
			{
				Name:  "import",
				Usage: "write zone specs of live zones: one zone to stdout, or --all into the zones directory",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "provider", Usage: "provider `NAME` in zonesync.yaml (required)"},
					&cli.StringFlag{Name: "zone", Usage: "zone to import, printed to stdout"},
					&cli.BoolFlag{Name: "all", Usage: "import every zone the provider serves, one spec file each"},
					&cli.StringFlag{Name: "dir", Usage: "with --all: where to write the specs (default: the config's zones directory)"},
					&cli.BoolFlag{Name: "overwrite", Usage: "with --all: replace spec files that exist"},
				},
				Action: e.importZones,
			},
			{
				Name:      "fmt",
				Usage:     "rewrite zone specs in canonical form (all specs of the config, or the files given)",
				ArgsUsage: "[FILE...]",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "check", Usage: "change nothing; list the files that are not formatted and exit 1"},
				},
				Action: e.format,
			},
			{
				Name:      "schema",
				Usage:     "print the JSON Schema of a zone spec (zone) or of zonesync.yaml (config)",
				ArgsUsage: "[zone|config]",
				Action:    e.schema,
			},
		},
	}
	for _, c := range app.Commands {
		c.OnUsageError = usageError
	}
	return app
}

// context is the command's context, carrying the --verbose logger.
func (e *env) context(c *cli.Context) context.Context {
	if !c.Bool("verbose") {
		return c.Context
	}
	return providers.WithLog(c.Context, func(format string, args ...any) {
		fmt.Fprintf(e.stderr, "zonesync: "+format+"\n", args...)
	})
}

// load reads the config and builds its providers; every value taken from
// the environment is registered with the redactor before anything prints.
func (e *env) load(c *cli.Context) (*spec.Config, *providers.Set, error) {
	cfg, err := spec.LoadConfig(c.String("config"))
	if err != nil {
		return nil, nil, err
	}
	e.redact.add(cfg.Secrets()...)
	set, err := providers.Open(cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, set, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// useColor reports whether colored output suits w: a terminal, NO_COLOR unset.
func useColor(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	if rw, ok := w.(*redactingWriter); ok {
		w = rw.w
	}
	return isTerminal(w)
}
