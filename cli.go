package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"golang.org/x/term"
)

// globalCategory marks the flags every command takes.
const globalCategory = "global"

// globalFlags are the flags every command takes. They are defined on the
// top level and again on each command, so that they work before and after
// the command's name; globalString finds where the command line set them.
// $ZONESYNC_CONFIG is read by configFile, below any --config.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "config", Category: globalCategory,
			Usage: "project config `FILE` (default: $ZONESYNC_CONFIG, else zonesync.yaml here or in the nearest parent directory)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Category: globalCategory, DisableDefaultText: true,
			Usage: "print only results and errors"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Category: globalCategory, DisableDefaultText: true,
			Usage: "print what zonesync reads and does"},
		&cli.StringFlag{Name: "error-format", Category: globalCategory,
			Usage: "write errors as `FORMAT`: text, or github for GitHub Actions annotations on the files' lines (default: $" + errorFormatEnv + ", else text)"},
	}
}

// setAt returns the innermost context whose command line set a global
// flag, or nil when none did.
func setAt(c *cli.Context, name string) *cli.Context {
	for _, ctx := range c.Lineage() {
		if ctx.IsSet(name) {
			return ctx
		}
	}
	return nil
}

// globalString is a global string flag's value, wherever it was written.
func globalString(c *cli.Context, name string) string {
	if ctx := setAt(c, name); ctx != nil {
		return ctx.String(name)
	}
	return ""
}

// globalBool is a global bool flag's value, wherever it was written.
func globalBool(c *cli.Context, name string) bool {
	if ctx := setAt(c, name); ctx != nil {
		return ctx.Bool(name)
	}
	return false
}

// configFile is the config a command uses: --config, else
// $ZONESYNC_CONFIG, else zonesync.yaml in the working directory or its
// nearest parent, the way git finds its repository.
func (e *env) configFile(c *cli.Context) (string, error) {
	if f := globalString(c, "config"); f != "" {
		return f, nil
	}
	if f := os.Getenv("ZONESYNC_CONFIG"); f != "" {
		return f, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("look for %s: %w", config.FileName, err)
	}
	f, err := config.Find(wd)
	if err != nil {
		return "", err
	}
	if f != config.FileName && globalBool(c, "verbose") {
		e.logf("using config %s", f)
	}
	return f, nil
}

// reorderArgs moves each command's flags before its arguments, so that
// `zonesync apply plan.json --auto-approve` works as it reads: Go's flag
// parsing stops at the first argument. A "--" still ends the flags.
func reorderArgs(app *cli.App, args []string) []string {
	out := slices.Clone(args[:min(1, len(args))])
	i := 1
	for i < len(args) && args[i] != "--" && isFlag(args[i]) {
		out = append(out, args[i])
		i++
		if takesValue(app.Flags, args[i-1]) && i < len(args) {
			out = append(out, args[i])
			i++
		}
	}
	if i >= len(args) || args[i] == "--" {
		return append(out, args[i:]...)
	}
	cmd := findCommand(app, args[i])
	out = append(out, args[i])
	i++
	if cmd == nil || cmd.SkipFlagParsing {
		return append(out, args[i:]...)
	}
	var flags, positional, rest []string
	for i < len(args) {
		a := args[i]
		i++
		switch {
		case a == "--":
			rest = append([]string{"--"}, args[i:]...)
			i = len(args)
		case isFlag(a):
			flags = append(flags, a)
			if takesValue(cmd.Flags, a) && i < len(args) {
				flags = append(flags, args[i])
				i++
			}
		default:
			positional = append(positional, a)
		}
	}
	out = append(out, flags...)
	if len(rest) > 0 {
		// After "--" everything is an argument, the earlier ones too.
		out = append(out, "--")
		rest = rest[1:]
	}
	return append(append(out, positional...), rest...)
}

// isFlag reports whether a word is a flag ("-" alone is an argument).
func isFlag(word string) bool { return len(word) > 1 && word[0] == '-' }

// takesValue reports whether a flag word needs the next word as its value.
func takesValue(flags []cli.Flag, word string) bool {
	name := strings.TrimLeft(word, "-")
	if strings.Contains(name, "=") {
		return false
	}
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			_, isBool := f.(*cli.BoolFlag)
			return !isBool
		}
	}
	return false
}

// findCommand finds a command by name or alias.
func findCommand(app *cli.App, name string) *cli.Command {
	for _, c := range app.Commands {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// noCommand runs when no command is named: --version, an unknown command,
// or the help page.
func (e *env) noCommand(c *cli.Context) error {
	if c.Bool("version") {
		return e.version(c)
	}
	if c.NArg() > 0 {
		return unknownCommand(c.App, c.Args().First())
	}
	return cli.ShowAppHelp(c)
}

// unknownCommand names the commands there are, and the likeliest meant.
func unknownCommand(app *cli.App, name string) error {
	var names []string
	best, bestDist := "", 3
	for _, c := range app.VisibleCommands() {
		names = append(names, c.Name)
		if d := editDistance(name, c.Name); d < bestDist {
			best, bestDist = c.Name, d
		}
	}
	hint := ""
	if best != "" {
		hint = fmt.Sprintf(" (did you mean %s?)", best)
	}
	return fmt.Errorf("%q is not a zonesync command%s; the commands are %s", name, hint, strings.Join(names, ", "))
}

// editDistance is the Levenshtein distance of two short words.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// zonePatterns reads --zone: repeated, comma-separated, names or globs.
func zonePatterns(c *cli.Context) ([]string, error) {
	var out []string
	for _, v := range c.StringSlice("zone") {
		for _, p := range strings.Split(v, ",") {
			p = model.NormalizeZone(p)
			if p == "" {
				return nil, errors.New("--zone needs a zone name or a glob such as 'shop-*.com'")
			}
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("--zone %s is not a zone name or glob (%v); quote globs and close every [", p, err)
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// confirm shows what apply is about to do and asks; only "yes" approves,
// as with Terraform.
func (e *env) confirm(p *plan.Plan) (bool, error) {
	s := p.Summary
	fmt.Fprintf(e.stderr, "\nzonesync will change %d %s: %d to create, %d to update, %d to delete.\n"+
		"Only 'yes' will be accepted to approve (--auto-approve skips this question).\n\n"+
		"Apply these changes? ", s.ZonesChanged, plural(s.ZonesChanged, "zone", "zones"), s.Create, s.Update, s.Delete)
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read the answer: %w", err)
	}
	if errors.Is(err, io.EOF) {
		fmt.Fprintln(e.stderr)
	}
	return strings.TrimSpace(line) == "yes", nil
}

// isTerminal reports whether a stream is a terminal (not a file, pipe or
// /dev/null).
func isTerminal(stream any) bool {
	f, ok := stream.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColor reports whether colored output suits w: a terminal, NO_COLOR unset.
func useColor(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return isTerminal(unwrap(w))
}

// unwrap is the stream behind the redactor.
func unwrap(w io.Writer) io.Writer {
	if rw, ok := w.(*redactingWriter); ok {
		return rw.w
	}
	return w
}

// Release builds stamp these: go build -ldflags "-X main.version=v1.2.3
// -X main.commit=<sha>". Other builds take them from the build info.
var version, commit string

// buildInfo is what `zonesync version` prints.
type buildInfo struct {
	version, commit, time string
	modified              bool
	goVersion, platform   string
}

// readBuildInfo reads the version of this build: go install
// github.com/zonesync/zonesync@v1.2.3 records v1.2.3, a build in a git
// checkout records the commit, a release build stamps both.
func readBuildInfo() buildInfo {
	b := buildInfo{version: "(devel)", goVersion: runtime.Version(), platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" {
			b.version = v
		}
		if bi.GoVersion != "" {
			b.goVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.commit = s.Value
			case "vcs.time":
				b.time = s.Value
			case "vcs.modified":
				b.modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		b.version = version
	}
	if commit != "" && commit != b.commit {
		b.commit, b.time, b.modified = commit, "", false
	}
	return b
}

func (b buildInfo) String() string {
	c := b.commit
	switch {
	case c == "":
		c = "unknown (this build did not record it)"
	case b.time != "":
		c += " (" + b.time + ")"
	}
	if b.modified {
		c += " with uncommitted changes"
	}
	return fmt.Sprintf("zonesync %s\ncommit: %s\ngo:     %s %s\n", b.version, c, b.goVersion, b.platform)
}

func (e *env) version(c *cli.Context) error {
	_, err := io.WriteString(e.stdout, readBuildInfo().String())
	return err
}

// commandHelpTemplate is a command's help page: what it does, examples,
// exit codes, its options and the global ones.
func commandHelpTemplate(h helpText) string {
	var b strings.Builder
	b.WriteString("NAME:\n   {{.HelpName}} - {{.Usage}}\n\nUSAGE:\n   {{.HelpName}} [options]{{if .ArgsUsage}} {{.ArgsUsage}}{{end}}\n")
	if h.description != "" {
		b.WriteString("\nDESCRIPTION:\n" + indent(h.description) + "\n")
	}
	if len(h.examples) > 0 {
		b.WriteString("\nEXAMPLES:\n")
		for i, ex := range h.examples {
			if i > 0 {
				b.WriteString("\n")
			}
			if ex.what != "" {
				b.WriteString(indent("# "+ex.what) + "\n")
			}
			b.WriteString(indent(ex.command) + "\n")
		}
	}
	if len(h.exits) > 0 {
		b.WriteString("\nEXIT CODES:\n")
		for _, x := range h.exits {
			b.WriteString(indent(fmt.Sprintf("%d  %s", x.code, x.when)) + "\n")
		}
	}
	b.WriteString(flagSections)
	return b.String()
}

// flagSections lists a command's own options, then the global ones.
const flagSections = `
OPTIONS:{{range .VisibleFlags}}{{if not .GetCategory}}
   {{.}}{{end}}{{end}}

GLOBAL OPTIONS:{{range .VisibleFlags}}{{if .GetCategory}}
   {{.}}{{end}}{{end}}
`

// appHelpTemplate is the top-level help page.
const appHelpTemplate = `NAME:
   {{.Name}} - {{.Usage}}

USAGE:
   {{.UsageText}}

COMMANDS:{{range .VisibleCommands}}
   {{join .Names ", "}}{{"\t"}}{{.Usage}}{{end}}

GLOBAL OPTIONS:{{range .VisibleFlags}}
   {{.}}{{end}}

{{.Description}}
`

// indent indents literal text by three spaces and keeps template actions
// out of it.
func indent(s string) string {
	s = strings.ReplaceAll(s, "{{", `{{"{{"}}`)
	return "   " + strings.ReplaceAll(s, "\n", "\n   ")
}
