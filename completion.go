package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/spec"
)

// completeCommand is the hidden command the completion scripts call with
// the words typed so far, the word being completed last. It prints the
// candidates, one a line; when it prints none, the shell completes file
// names.
const completeCommand = "__complete"

// completion prints the completion script of a shell.
func (e *env) completion(c *cli.Context) error {
	shell := c.Args().First()
	script, ok := completionScripts[shell]
	if !ok || c.NArg() != 1 {
		return fmt.Errorf("completion takes one shell: bash, zsh or fish (got %q)", strings.Join(c.Args().Slice(), " "))
	}
	_, err := io.WriteString(e.stdout, script)
	return err
}

// complete prints the candidates for the last of the words given.
func (e *env) complete(c *cli.Context) error {
	words := c.Args().Slice()
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	for _, w := range e.candidates(c.App, before, cur) {
		if strings.HasPrefix(w, cur) {
			fmt.Fprintln(e.stdout, w)
		}
	}
	return nil
}

// candidates are the words that may come after before.
func (e *env) candidates(app *cli.App, before []string, cur string) []string {
	var cmd *cli.Command
	configFile := ""
	flags := app.Flags
	for i := 0; i < len(before); i++ {
		w := before[i]
		if w == "--" {
			return nil
		}
		if isFlag(w) {
			if name, value, ok := strings.Cut(strings.TrimLeft(w, "-"), "="); ok && name == "config" {
				configFile = value
			}
			if takesValue(flags, w) {
				if i+1 == len(before) {
					return e.flagValues(app, cmd, w, configFile)
				}
				if strings.TrimLeft(w, "-") == "config" {
					configFile = before[i+1]
				}
				i++
			}
			continue
		}
		if cmd == nil {
			if cmd = findCommand(app, w); cmd == nil {
				return nil
			}
			flags = cmd.Flags
			if cmd.Name == "help" {
				return commandNames(app)
			}
			continue
		}
	}
	if isFlag(cur) {
		return flagNames(flags)
	}
	if cmd == nil {
		return commandNames(app)
	}
	switch cmd.Name {
	case "schema":
		return []string{"zone", "config", "template"}
	case "completion":
		return []string{"bash", "zsh", "fish"}
	}
	return nil
}

// flagValues are the values a flag may take; none means file names.
func (e *env) flagValues(app *cli.App, cmd *cli.Command, flag, configFile string) []string {
	name := strings.TrimLeft(flag, "-")
	switch {
	case name == "zone":
		return specZones(configFile)
	case name == "provider":
		if cfg := quietConfig(configFile); cfg != nil {
			return cfg.ProviderNames()
		}
	case name == "format" && cmd != nil && (cmd.Name == "plan" || cmd.Name == "verify"):
		return []string{"text", "markdown", "json"}
	case name == "family" || name == "verify-family":
		return []string{"both", "ipv4", "ipv6"}
	case name == "format":
		return []string{"text", "json", "markdown"}
	case name == "error-format":
		return []string{errorsText, errorsGitHub}
	}
	return nil
}

// quietConfig reads the config for completion: no environment needed,
// and nil on any problem.
func quietConfig(file string) *config.Config {
	if file == "" {
		file = os.Getenv("ZONESYNC_CONFIG")
	}
	if file == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil
		}
		if file, err = config.Find(wd); err != nil {
			return nil
		}
	}
	cfg, err := config.ParseFile(file, func(string) (string, bool) { return "", true })
	if err != nil {
		return nil
	}
	return cfg
}

// specZones are the zones the specs of a config declare, and their
// aliases, from a cheap look at each file.
func specZones(configFile string) []string {
	cfg := quietConfig(configFile)
	if cfg == nil {
		return nil
	}
	files, err := spec.SpecFiles(cfg.ZonesDir)
	if err != nil {
		return nil
	}
	var zones []string
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			z, _ := spec.Peek(data)
			for _, name := range append([]string{z}, spec.PeekAliases(data)...) {
				if name != "" && !slices.Contains(zones, name) {
					zones = append(zones, name)
				}
			}
		}
	}
	sort.Strings(zones)
	return zones
}

func commandNames(app *cli.App) []string {
	var out []string
	for _, c := range app.VisibleCommands() {
		out = append(out, c.Name)
	}
	return out
}

// flagNames are the flags as they are typed: --long, and -s for one letter.
func flagNames(flags []cli.Flag) []string {
	var out []string
	for _, f := range flags {
		if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		for _, n := range f.Names() {
			if len(n) == 1 {
				out = append(out, "-"+n)
			} else {
				out = append(out, "--"+n)
			}
		}
	}
	return out
}

// completionScripts hand the words typed so far to `zonesync __complete`
// and fall back to file names when it offers nothing.
var completionScripts = map[string]string{
	"bash": `# bash completion for zonesync.
# Load it with: source <(zonesync completion bash)
_zonesync() {
    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" ` + completeCommand + ` "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _zonesync zonesync
`,
	"zsh": `#compdef zonesync
# zsh completion for zonesync.
# Install it as _zonesync in a directory of $fpath, or load it with:
# source <(zonesync completion zsh)
_zonesync() {
    local -a candidates
    candidates=("${(@f)$(${words[1]} ` + completeCommand + ` "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    candidates=(${candidates:#})
    if (( ${#candidates} )); then
        compadd -- "${candidates[@]}"
    else
        _files
    fi
}
if [[ "${funcstack[1]}" == _zonesync ]]; then
    _zonesync "$@"
else
    compdef _zonesync zonesync
fi
`,
	"fish": `# fish completion for zonesync.
# Install it with: zonesync completion fish > ~/.config/fish/completions/zonesync.fish
function __zonesync_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l candidates ($words[1] ` + completeCommand + ` $words[2..-1] "$current" 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\n' $candidates
    else
        __fish_complete_path "$current"
    end
end
complete -c zonesync -f -a '(__zonesync_complete)'
`,
}
