// Command zonesync keeps DNS zones in git: it validates zone specs, plans
// the changes that bring live zones in line with them, and applies them.
//
// This package is wiring only: the commands, their flags and help
// (main.go), one small function per command (commands.go; verify and
// apply --verify in verifycmd.go), what every command shares (cli.go:
// global flags, config discovery, version, the apply prompt) and shell
// completion (completion.go). The work is done by the spec, plan,
// providers, apply and verify packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/providers"
	_ "github.com/zonesync/zonesync/providers/all"
	"github.com/zonesync/zonesync/providers/redact"
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
	os.Exit(run(context.Background(), os.Args, standardStreams()))
}

// exitCode carries a command's exit code through urfave/cli.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// streams are the program's standard streams.
type streams struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// interactive is true when stdin is a terminal a person types at:
	// apply then asks before it changes anything.
	interactive bool
}

// standardStreams are the process's own streams.
func standardStreams() streams {
	return streams{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, interactive: isTerminal(os.Stdin)}
}

// env is what every command gets: its streams and the redactor that
// scrubs the config's secrets from them.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	redact         *redact.Scrubber
	// terminal is true when stderr is a terminal, for progress lines.
	terminal bool
	// interactive is true when stdin is a terminal.
	interactive bool
	// errorFormat is how errors are written: errorsText or errorsGitHub.
	errorFormat string
}

// run is the whole program, taking its streams so tests can drive it.
func run(ctx context.Context, args []string, s streams) (code int) {
	scrubber := redact.New()
	e := &env{
		stdin:       s.stdin,
		stdout:      &redactingWriter{w: s.stdout, r: scrubber},
		stderr:      &redactingWriter{w: s.stderr, r: scrubber},
		redact:      scrubber,
		terminal:    isTerminal(s.stderr),
		interactive: s.interactive,
		errorFormat: errorsText,
	}
	// A bug must still end as one line on stderr, not a stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "zonesync: internal error: %v (please report it)\n", r)
			if os.Getenv("ZONESYNC_TRACE") != "" {
				fmt.Fprintf(e.stderr, "%s", debug.Stack())
			}
			code = exitError
		}
	}()
	app := newApp(e)
	err := app.RunContext(ctx, reorderArgs(app, args))
	var exit exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return int(exit)
	}
	e.printError(err)
	return exitError
}

// usageError keeps a bad flag to one line on stderr: urfave/cli would
// print the help text to stdout, where machine output goes.
func usageError(c *cli.Context, err error, isSubcommand bool) error {
	if !isSubcommand || c.Command == nil {
		return fmt.Errorf("%w (see zonesync --help)", err)
	}
	return fmt.Errorf("%w (see zonesync %s --help)", err, c.Command.Name)
}

// helpText is what a command's --help adds to its usage line and flags.
type helpText struct {
	description string
	examples    []example
	exits       []exit
}

// example is one command line of a help page, with what it does.
type example struct{ what, command string }

// exit is one exit code of a command and when it happens.
type exit struct {
	code int
	when string
}

// command builds a command with its help page; every command also takes
// the global flags, so that they work after the command's name too.
func command(c *cli.Command, h helpText) *cli.Command {
	c.Description = h.description
	c.CustomHelpTemplate = commandHelpTemplate(h)
	c.Flags = append(c.Flags, globalFlags()...)
	c.HideHelpCommand = true
	c.OnUsageError = usageError
	return c
}

func newApp(e *env) *cli.App {
	zoneFlag := func(what string) cli.Flag {
		return &cli.StringSliceFlag{Name: "zone", Usage: "only the zones matching `ZONE`: a name or a glob (shop-*.com); repeat it or separate with commas to " + what + " several"}
	}
	shardFlag := func() cli.Flag {
		return &cli.StringFlag{Name: "shard", Usage: "only the zones of stable slice `K/N` (a CI matrix of N runners)"}
	}
	app := &cli.App{
		Name:      "zonesync",
		HelpName:  "zonesync",
		Usage:     "declarative DNS zones from git: validate, plan, apply",
		UsageText: "zonesync [global options] command [options] [arguments...]",
		Description: "Global options can come before or after the command.\n" +
			"Run 'zonesync help COMMAND' for a command's examples and exit codes.",
		Writer:                e.stdout,
		ErrWriter:             e.stderr,
		HideVersion:           true,
		CustomAppHelpTemplate: appHelpTemplate,
		ExitErrHandler:        func(*cli.Context, error) {},
		OnUsageError:          usageError,
		Flags: append(globalFlags(),
			&cli.BoolFlag{Name: "version", Usage: "print the version and exit", DisableDefaultText: true}),
		Action: e.noCommand,
		Commands: []*cli.Command{
			command(&cli.Command{
				Name:   "validate",
				Usage:  "load and check every zone spec and the config",
				Action: e.validate,
			}, helpText{
				description: "Loads zonesync.yaml and every zone spec and reports every problem at once,\n" +
					"each as file:line:col: message. Asks no provider anything.",
				examples: []example{
					{"Check the specs of the config in this directory or the nearest parent", "zonesync validate"},
					{"Check another project", "zonesync --config ../dns/zonesync.yaml validate"},
				},
				exits: []exit{{0, "the config and every spec are valid"}, {1, "a spec or the config is invalid (each problem on stderr)"}},
			}),
			command(&cli.Command{
				Name:  "plan",
				Usage: "read live state and print the changes that bring it in line with the specs",
				Flags: []cli.Flag{
					zoneFlag("plan"),
					shardFlag(),
					&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text, markdown or json"},
					&cli.StringFlag{Name: "out", Usage: "also save the plan as JSON to `FILE`, for apply"},
					&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 0 with no changes, 2 with changes, 1 on error or refusal", DisableDefaultText: true},
					&cli.StringFlag{Name: "changed-since", Usage: "plan only the zones whose spec, templates or provider entry changed since git revision `REF` (working tree included); read nothing for the others"},
					&cli.BoolFlag{Name: "force", Usage: "accept the safety checks' refusals: exit as if there were none, and record in the saved plan that apply may carry them out", DisableDefaultText: true},
				},
				Action: e.plan,
			}, helpText{
				description: "Reads each zone's live state from its provider and prints, zone by zone,\n" +
					"the changes that bring it in line with the specs. Changes nothing.\n" +
					"A plan the safety checks refuse is printed in full and exits 1, unless\n" +
					"--force accepts it. A provider that cannot be used (wrong credentials,\n" +
					"no answer) is reported once and its zones left out; the others are planned.\n" +
					"With --changed-since, only the zones a git change touched are read and\n" +
					"planned; the saved plan records that scope, and apply keeps to it.",
				examples: []example{
					{"Review the changes, and save them for apply", "zonesync plan -out plan.json"},
					{"A pull request comment for two zones and a group of them", "zonesync plan --format markdown --zone example.com,example.org --zone 'shop-*.com'"},
					{"A drift check: exit 2 when live zones differ from git", "zonesync plan --detailed-exitcode -q"},
					{"A pull request's plan: only the zones it changes", "zonesync plan --changed-since \"$(git merge-base origin/main HEAD)\" -out plan.json"},
				},
				exits: []exit{
					{0, "the plan was made (with --detailed-exitcode: and it changes nothing)"},
					{1, "an error (invalid specs, a provider that cannot be used, ...), or the safety checks refuse the plan and --force was not given"},
					{2, "with --detailed-exitcode: the plan has changes"},
				},
			}),
			command(&cli.Command{
				Name:      "apply",
				Usage:     "apply a fresh plan, or the saved plan FILE after checking it is not stale",
				ArgsUsage: "[FILE]",
				Flags: append([]cli.Flag{
					zoneFlag("apply"),
					shardFlag(),
					&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text; json or markdown for one report document at the end (errors and refusals included)"},
					&cli.BoolFlag{Name: "auto-approve", Usage: "apply without asking (apply never asks when stdin is not a terminal, as in CI)", DisableDefaultText: true},
					&cli.BoolFlag{Name: "force", Usage: "apply even when the safety checks refuse the plan", DisableDefaultText: true},
					&cli.BoolFlag{Name: "verify", Usage: "then check the changed record sets at every authoritative server of the zones applied, as zonesync verify does (the verify-* flags are its)", DisableDefaultText: true},
				}, verifyFlags("verify-")...),
				Action: e.apply,
			}, helpText{
				description: "Without FILE: makes a fresh plan, shows it and, at a terminal, asks before\n" +
					"applying it. With FILE (from plan -out): applies exactly that plan after\n" +
					"re-reading the live zones and the specs, and refuses it if either changed\n" +
					"(a zone already as the plan makes it, as on a re-run, is already applied).\n" +
					"Every operation ends ok, failed or skipped.",
				examples: []example{
					{"Show the plan, answer yes, apply it", "zonesync apply"},
					{"Apply exactly the plan reviewed earlier", "zonesync apply plan.json"},
					{"In a script: no question, one JSON report", "zonesync apply --auto-approve --format json > report.json"},
					{"Apply, then wait up to 5 minutes until every server serves the changes", "zonesync apply plan.json --verify --verify-timeout 5m"},
				},
				exits: []exit{
					{0, "every operation is ok, or there was nothing to do (with --verify: and every server is in sync)"},
					{1, "an operation failed, the plan was refused, stale or not approved, a provider could not be used, or another error; with --verify also a server that answers wrong, is unreachable or lame"},
					{2, "with --verify: applied, but some servers were still behind when the timeout passed"},
				},
			}),
			command(&cli.Command{
				Name:  "verify",
				Usage: "check that every authoritative server of the zones serves what the specs say",
				Flags: append([]cli.Flag{
					zoneFlag("verify"),
					&cli.StringFlag{Name: "plan", Usage: "check only the record sets the saved plan `FILE` changes (from plan -out), in its zones"},
					&cli.BoolFlag{Name: "all", Usage: "with --plan: check every record set of its zones, not only those it changes", DisableDefaultText: true},
					&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text, markdown or json"},
				}, verifyFlags("")...),
				Action: e.verifyCmd,
			}, helpText{
				description: "Asks each zone's authoritative servers directly, every IPv4 and IPv6 address\n" +
					"of each, for the zone's SOA serial and its record sets, and compares them with\n" +
					"the specs: every record set a spec declares, or with --plan only those the\n" +
					"plan changes. The servers are the zone's apex NS set (--from-parent: the\n" +
					"delegation at its parent), found through --resolver. Servers that are not in\n" +
					"sync are asked again, at pauses growing up to --interval, until all are or\n" +
					"--timeout passes.\n" +
					"Each address ends in sync, behind (an older serial than the newest seen),\n" +
					"wrong answer, unreachable or lame (it does not serve the zone). Changes\n" +
					"nothing and asks no provider anything.",
				examples: []example{
					{"Every zone, every record set, at every server", "zonesync verify"},
					{"After applying a saved plan: its changes, waiting up to 5 minutes", "zonesync verify --plan plan.json --timeout 5m"},
					{"One zone, its servers as the parent delegates it, IPv4 only, for a PR comment", "zonesync verify --zone example.com --from-parent --family ipv4 --format markdown"},
				},
				exits: []exit{
					{0, "every server address is in sync"},
					{1, "an error, or a server that answers wrong, is unreachable or lame"},
					{2, "some servers were still behind when the timeout passed (the others in sync)"},
				},
			}),
			command(&cli.Command{
				Name:  "import",
				Usage: "write zone specs of live zones: one zone to stdout, or --all into the zones directory",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "provider", Usage: "provider `NAME` in zonesync.yaml (required)"},
					&cli.StringFlag{Name: "zone", Usage: "zone to import, printed to stdout"},
					&cli.BoolFlag{Name: "all", Usage: "import every zone the provider serves, one spec file each", DisableDefaultText: true},
					&cli.StringFlag{Name: "dir", Usage: "with --all: where to write the specs (default: the config's zones directory)"},
					&cli.BoolFlag{Name: "overwrite", Usage: "with --all: replace spec files that exist", DisableDefaultText: true},
					&cli.BoolFlag{Name: "use-templates", Usage: "write include: for the templates a zone already holds exactly, and leave their record sets out", DisableDefaultText: true},
					&cli.StringFlag{Name: "owner", Usage: "ownership mode: the owner `ID` of the specs (default: zonesync.yaml's ownership.owner); only its record sets and unmarked ones are imported, the unmarked to be adopted"},
				},
				Action: e.importZones,
			}, helpText{
				description: "Reads live zones from a provider and writes them as zone specs, so that\n" +
					"existing zones plan as no change.",
				examples: []example{
					{"One zone, to stdout", "zonesync import --provider cloudns --zone example.com > zones/example.com.yaml"},
					{"Every zone of the provider, one file each in the zones directory", "zonesync import --provider cloudns --all"},
					{"The same, including the shared templates each zone already matches", "zonesync import --provider cloudns --all --use-templates"},
					{"A shared zone, in ownership mode", "zonesync import --provider cloudns --zone example.com --owner git:dns-repo"},
				},
				exits: []exit{{0, "the specs were written"}, {1, "an error (a zone that could not be read or written is named)"}},
			}),
			command(&cli.Command{
				Name:      "fmt",
				Usage:     "rewrite zone specs and templates in canonical form (all of the config's, or the files given)",
				ArgsUsage: "[FILE...]",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "check", Usage: "change nothing; print the diff of each file that is not formatted and exit 1", DisableDefaultText: true},
				},
				Action: e.format,
			}, helpText{
				description: "Sorts record names (@ first) and types, writes values in canonical form and\n" +
					"keeps comments. Needs no credentials.",
				examples: []example{
					{"Format every spec and template of the config", "zonesync fmt"},
					{"In CI: show what is not formatted", "zonesync fmt --check"},
					{"Format some files", "zonesync fmt zones/example.com.yaml zones/example.org.yaml"},
				},
				exits: []exit{
					{0, "the files are formatted (with --check: they already were)"},
					{1, "with --check: a file is not formatted (its diff is on stdout); or an error"},
				},
			}),
			command(&cli.Command{
				Name:      "schema",
				Usage:     "print the JSON Schema of a zone spec (zone), of zonesync.yaml (config) or of a template (template)",
				ArgsUsage: "[zone|config|template]",
				Action:    e.schema,
			}, helpText{
				description: "Prints a JSON Schema for editors and other tools.",
				examples: []example{
					{"The schema of a zone spec", "zonesync schema zone > zone.schema.json"},
					{"The schema of zonesync.yaml", "zonesync schema config"},
					{"The schema of a template (it refers to zone.schema.json beside it)", "zonesync schema template > template.schema.json"},
				},
				exits: []exit{{0, "printed"}, {1, "none of zone, config and template was asked for"}},
			}),
			command(&cli.Command{
				Name:   "version",
				Usage:  "print zonesync's version, commit and Go version",
				Action: e.version,
			}, helpText{
				description: "Prints the version of this build of zonesync, the commit it was built from\n" +
					"(when the build recorded it) and the Go version that built it.",
				examples: []example{{"The version of this zonesync", "zonesync version"}, {"The same, as a flag", "zonesync --version"}},
				exits:    []exit{{0, "printed"}},
			}),
			command(&cli.Command{
				Name:      "completion",
				Usage:     "print a shell completion script (bash, zsh or fish)",
				ArgsUsage: "bash|zsh|fish",
				Action:    e.completion,
			}, helpText{
				description: "Prints a script that completes zonesync's commands, flags and the zone\n" +
					"names of the specs (for --zone) in your shell.",
				examples: []example{
					{"bash: load it in the current shell", "source <(zonesync completion bash)"},
					{"zsh: install it where zsh looks for completions", `zonesync completion zsh > "${fpath[1]}/_zonesync"`},
					{"fish", "zonesync completion fish > ~/.config/fish/completions/zonesync.fish"},
				},
				exits: []exit{{0, "printed"}, {1, "an unknown shell"}},
			}),
			{
				Name:            completeCommand,
				Hidden:          true,
				SkipFlagParsing: true,
				HideHelp:        true,
				HideHelpCommand: true,
				Action:          e.complete,
			},
		},
	}
	// Every command first learns how its errors are to be written.
	for _, cmd := range app.Commands {
		if action := cmd.Action; action != nil {
			cmd.Action = func(c *cli.Context) error {
				if err := e.setErrorFormat(c); err != nil {
					return err
				}
				return action(c)
			}
		}
	}
	return app
}

// context is the command's context, carrying the --verbose logger.
func (e *env) context(c *cli.Context) context.Context {
	if !globalBool(c, "verbose") {
		return c.Context
	}
	return providers.WithLog(c.Context, e.logf)
}

// logf writes a --verbose line to stderr.
func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "zonesync: "+format+"\n", args...)
}

// load reads the config and builds its providers. Building them declares
// their secret settings; those values are registered with the redactor
// before anything, an error included, is printed.
func (e *env) load(c *cli.Context) (*config.Config, *providers.Set, error) {
	file, err := e.configFile(c)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := config.Load(file)
	if err != nil {
		return nil, nil, err
	}
	set, err := providers.Open(cfg)
	e.redact.Add(cfg.Secrets()...)
	if err != nil {
		return nil, nil, err
	}
	return cfg, set, nil
}
