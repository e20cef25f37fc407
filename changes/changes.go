// Package changes finds, through git, what changed in a zonesync
// repository since a commit: the files changed, added, deleted or left
// untracked in the working tree, the specs deleted, and the providers whose
// entries in zonesync.yaml changed. plan --changed-since plans only the
// zones a change touches.
package changes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/spec"
	"gopkg.in/yaml.v3"
)

// Set is what changed between a commit and the working tree.
type Set struct {
	// Ref is the revision as given; Commit is the commit it names, in full.
	Ref, Commit string
	// files are the paths changed, absolute and with symbolic links
	// resolved as far as they exist.
	files map[string]bool
	// providers are the provider names whose entry in the config changed.
	providers map[string]bool
	// allProviders is true when the config's providers section could not
	// be compared (no config at the commit, or one that does not parse):
	// every provider counts as changed.
	allProviders bool
	// layout is true when the config's zones or templates key changed:
	// what any zone is built from may have moved, so every zone counts.
	layout bool
	// owner is true when the config's default owner (ownership.owner)
	// changed, or ownership mode was turned on or off: every zone's
	// markers may change.
	owner bool
	// Deleted are the zone specs deleted since the commit.
	Deleted []DeletedSpec
	// Modified are the zone specs the change modified, with the zones
	// they declared at the commit: a zone one of them no longer declares
	// drops out of the plan as the zone of a deleted spec does.
	Modified []ModifiedSpec
}

// ModifiedSpec is a zone spec the change modifies.
type ModifiedSpec struct {
	// File is the spec's path as the zones directory names it.
	File string
	// Zones are the zone and the aliases the spec declared at the commit,
	// as far as its text tells.
	Zones []string
}

// DeletedSpec is a zone spec the change deletes.
type DeletedSpec struct {
	// File is the spec's path as the zones directory names it now.
	File string
	// Zone is the zone the spec declared at the commit; empty when the
	// old spec does not say plainly.
	Zone string
	// Aliases are the aliases it declared at the commit, as far as its
	// text tells.
	Aliases []string
}

// Since compares the working tree holding the config with ref (a commit,
// branch, tag or any revision git understands), through the git command.
// It fails, saying why, outside a git repository, without git, or when ref
// names no commit there.
func Since(ctx context.Context, cfg *config.Config, ref string) (*Set, error) {
	if strings.TrimSpace(ref) == "" || strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("--changed-since needs a git revision (a commit, branch or tag), not %q", ref)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("--changed-since reads the change through git, and git is not installed (not found in PATH)")
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, err
	}
	top, err := gitText(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("--changed-since: %s is not in a git repository: %w", cfg.Dir, err)
	}
	top = resolve(top)
	commit, err := gitText(ctx, top, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("--changed-since %s: no such commit in the repository at %s (in CI, fetch the history it needs: actions/checkout with fetch-depth: 0)", ref, top)
	}
	s := &Set{Ref: ref, Commit: commit, files: map[string]bool{}, providers: map[string]bool{}}
	// The working tree against the commit: staged and unstaged changes
	// alike. Renames are a deletion and an addition, so that both paths
	// count.
	diff, err := git(ctx, top, "diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", commit, "--")
	if err != nil {
		return nil, fmt.Errorf("--changed-since %s: %w", ref, err)
	}
	var deleted, modified []string
	fields := strings.Split(strings.TrimSuffix(string(diff), "\x00"), "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		status, path := fields[i], filepath.Join(top, filepath.FromSlash(fields[i+1]))
		s.files[path] = true
		switch status {
		case "D":
			deleted = append(deleted, path)
		case "M", "T":
			modified = append(modified, path)
		}
	}
	untracked, err := git(ctx, top, "ls-files", "--others", "--exclude-standard", "-z", "--full-name")
	if err != nil {
		return nil, fmt.Errorf("--changed-since %s: %w", ref, err)
	}
	for _, f := range strings.Split(string(untracked), "\x00") {
		if f != "" {
			s.files[filepath.Join(top, filepath.FromSlash(f))] = true
		}
	}
	if err := s.compareConfig(ctx, cfg, top); err != nil {
		return nil, err
	}
	zonesDir := resolve(absolute(cfg.ZonesDir))
	isSpec := func(path string) bool { return filepath.Dir(path) == zonesDir && isSpecName(filepath.Base(path)) }
	deleted = slices.DeleteFunc(deleted, func(p string) bool { return !isSpec(p) })
	modified = slices.DeleteFunc(modified, func(p string) bool { return !isSpec(p) })
	var paths []string
	for _, path := range slices.Concat(deleted, modified) {
		paths = append(paths, repoPath(top, path))
	}
	// One git process reads every old spec, however many the change has.
	old, err := showAll(ctx, top, commit, paths)
	if err != nil {
		return nil, fmt.Errorf("--changed-since %s: %w", ref, err)
	}
	for _, path := range deleted {
		d := DeletedSpec{File: filepath.Join(cfg.ZonesDir, filepath.Base(path))}
		if data, ok := old[repoPath(top, path)]; ok {
			d.Zone, _ = spec.Peek(data)
			_, d.Aliases = declared(data)
		}
		s.Deleted = append(s.Deleted, d)
	}
	for _, path := range modified {
		if data, ok := old[repoPath(top, path)]; ok {
			zone, aliases := declared(data)
			m := ModifiedSpec{File: filepath.Join(cfg.ZonesDir, filepath.Base(path)), Zones: aliases}
			if zone != "" {
				m.Zones = append([]string{zone}, aliases...)
			}
			s.Modified = append(s.Modified, m)
		}
	}
	return s, nil
}

// declared is the zone and the aliases a spec's text declares, read as
// YAML (anchors and all) but not checked: what does not decode is left
// out.
func declared(data []byte) (zone string, aliases []string) {
	var doc struct {
		Zone    string   `yaml:"zone"`
		Aliases []string `yaml:"aliases"`
	}
	// A spec that does not decode as a whole may still name its zone.
	_ = yaml.Unmarshal(data, &doc)
	for _, a := range doc.Aliases {
		if a = model.NormalizeZone(a); a != "" {
			aliases = append(aliases, a)
		}
	}
	return model.NormalizeZone(doc.Zone), aliases
}

// showAll reads files at a commit through one git cat-file process: the
// contents by path, for the paths that exist there.
func showAll(ctx context.Context, dir, commit string, paths []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	var in bytes.Buffer
	var asked []string
	for _, p := range paths {
		// The batch protocol is a line per object.
		if !strings.ContainsAny(p, "\n\r") {
			in.WriteString(commit + ":" + p + "\n")
			asked = append(asked, p)
		}
	}
	if len(asked) == 0 {
		return out, nil
	}
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "cat-file", "--batch")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	data, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git cat-file: %s", firstLine(msg))
		}
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	// Each answer is "<object> <type> <size>\n<contents>\n", or
	// "<name> missing\n" (or "ambiguous") for a path not at the commit.
	for _, p := range asked {
		header, rest, ok := bytes.Cut(data, []byte("\n"))
		if !ok {
			return nil, fmt.Errorf("git cat-file: answer cut short at %s", p)
		}
		if h := string(header); strings.HasSuffix(h, " missing") || strings.HasSuffix(h, " ambiguous") {
			data = rest
			continue
		}
		f := strings.Fields(string(header))
		if len(f) != 3 {
			return nil, fmt.Errorf("git cat-file: unexpected answer %q for %s", header, p)
		}
		size, err := strconv.Atoi(f[2])
		if err != nil || size < 0 || size+1 > len(rest) {
			return nil, fmt.Errorf("git cat-file: unexpected answer %q for %s", header, p)
		}
		if f[1] == "blob" {
			out[p] = rest[:size]
		}
		data = rest[size+1:]
	}
	return out, nil
}

// Touches reports whether the change touched a file: one a zone was built
// from, say. A symbolic link counts as changed when it or what it points
// to changed.
func (s *Set) Touches(file string) bool {
	if file == "" {
		return false
	}
	abs := absolute(file)
	return s.files[abs] || s.files[resolve(abs)]
}

// Provider reports whether the change touched the provider's entry in the
// config, the settings under providers.<name>. Other parts of the config
// (safety, concurrency, other providers) change how zones are planned,
// never what is read.
func (s *Set) Provider(name string) bool { return s.allProviders || s.providers[name] }

// In reports whether the change touches a desired zone: its provider's
// entry, where zones come from (All), or a file it was built from: its
// spec and the templates it includes. An alias shares its spec's
// sources, so a change to the spec or a template it includes puts every
// alias in scope.
func (s *Set) In(z *model.Zone) bool {
	if s.All() || s.Provider(z.Provider) {
		return true
	}
	sources := z.Sources
	if len(sources) == 0 {
		sources = []string{z.File}
	}
	for _, f := range sources {
		if s.Touches(f) {
			return true
		}
	}
	return false
}

// All reports whether the change touches every zone: the config's zones
// or templates key changed, so that any zone may be built from other
// files than at the commit, or its default owner did, which decides
// every zone's markers.
func (s *Set) All() bool { return s.layout || s.owner }

// compareConfig finds the providers whose entries differ between the
// config at the commit and the config now, as YAML values: comments,
// layout and anchors aside.
func (s *Set) compareConfig(ctx context.Context, cfg *config.Config, top string) error {
	path := resolve(absolute(cfg.File))
	if !s.files[path] && !s.files[absolute(cfg.File)] {
		return nil
	}
	now, err := os.ReadFile(cfg.File)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	old, err := git(ctx, top, "show", s.Commit+":"+repoPath(top, path))
	if err != nil {
		// No config at the commit: every provider is new.
		s.allProviders = true
		return nil
	}
	before, err1 := configEntries(old)
	after, err2 := configEntries(now)
	if err1 != nil || err2 != nil {
		s.allProviders = true
		return nil
	}
	s.layout = before.Zones != after.Zones || before.Templates != after.Templates
	for name, v := range after.Providers {
		if w, ok := before.Providers[name]; !ok || !reflect.DeepEqual(v, w) {
			s.providers[name] = true
		}
	}
	// Ownership decides what a zone's desired state holds (its markers):
	// a provider put under ignore_only_providers, or taken off it, changes
	// its zones.
	switch o, n := before.Ownership, after.Ownership; {
	case (o == nil) != (n == nil) || o != nil && o.Owner != n.Owner:
		s.owner = true
	case o != nil:
		for _, name := range o.IgnoreOnly {
			if !slices.Contains(n.IgnoreOnly, name) {
				s.providers[name] = true
			}
		}
		for _, name := range n.IgnoreOnly {
			if !slices.Contains(o.IgnoreOnly, name) {
				s.providers[name] = true
			}
		}
	}
	return nil
}

// entries are the parts of a config that decide what a zone is read from
// and built from.
type entries struct {
	Providers map[string]any    `yaml:"providers"`
	Zones     string            `yaml:"zones"`
	Templates string            `yaml:"templates"`
	Ownership *ownershipEntries `yaml:"ownership"`
}

// ownershipEntries are the parts of the config's ownership section that
// decide a zone's markers.
type ownershipEntries struct {
	Owner      string   `yaml:"owner"`
	IgnoreOnly []string `yaml:"ignore_only_providers"`
}

// configEntries decodes a config's providers section, by name, its
// zones and templates keys and its ownership section.
func configEntries(data []byte) (*entries, error) {
	var doc entries
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// isSpecName reports whether a file name is one zonesync loads as a zone
// spec (spec.SpecFiles): *.yaml or *.yml, not hidden.
func isSpecName(name string) bool {
	return (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) && !strings.HasPrefix(name, ".")
}

// git runs a git command in dir and returns its output.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir, "-c", "core.quotePath=false"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// The user's pager, colors and external tools have no say.
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "GIT_EXTERNAL_DIFF=", "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], firstLine(msg))
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}

func gitText(ctx context.Context, dir string, args ...string) (string, error) {
	out, err := git(ctx, dir, args...)
	return strings.TrimSpace(string(out)), err
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// absolute is path made absolute, cleaned.
func absolute(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	return abs
}

// resolve is path with its symbolic links resolved; for a path that no
// longer exists, its deepest existing directory's.
func resolve(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	dir, base := filepath.Split(path)
	dir = filepath.Clean(dir)
	if dir == path {
		return path
	}
	return filepath.Join(resolve(dir), base)
}

// repoPath is a path inside the repository as git names it.
func repoPath(top, path string) string {
	rel, err := filepath.Rel(top, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// Files lists the changed paths, sorted: for messages and tests.
func (s *Set) Files() []string {
	out := make([]string, 0, len(s.files))
	for f := range s.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
