package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/apply"
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
		fmt.Fprintf(e.stdout, "%d zone %s valid (%s)\n", len(zones), plural(len(zones), "spec", "specs"), cfg.ZonesDir)
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
func (e *env) preparePlan(c *cli.Context) (*apply.Prepared, *spec.Config, error) {
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
func (e *env) marker(c *cli.Context, cfg *spec.Config) string {
	if cfg != nil {
		return markerName(cfg)
	}
	file, err := e.configFile(c)
	if err != nil {
		file = configName
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
func (e *env) applyPlan(c *cli.Context, format string, rep *apply.Report, applied *[]verify.Zone) (*spec.Config, error) {
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
		rep.AlreadyApplied = append(rep.AlreadyApplied, z.Zone)
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
	}
	for _, u := range prep.Unavailable {
		e.printError(u)
	}
	if rep.Failed() || rep.Interrupted || len(prep.Unavailable) > 0 {
		return cfg, exitCode(exitError)
	}
	return cfg, nil
}

func (e *env) importZones(c *cli.Context) error {
	all, zone := c.Bool("all"), spec.NormalizeZone(c.String("zone"))
	if all == (zone != "") {
		return errors.New("import needs either --zone Z (printed to stdout) or --all (one file per zone)")
	}
	if zone != "" && !spec.ValidZoneName(zone) {
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
	specOf := func(zone string) ([]byte, error) {
		live, err := p.ReadZone(e.context(c), zone)
		if err != nil {
			return nil, fmt.Errorf("read zone %s from provider %s: %w", zone, name, err)
		}
		if got := spec.NormalizeZone(live.Name); got != zone {
			return nil, fmt.Errorf("read zone %s from provider %s: the provider answered with zone %q", zone, name, got)
		}
		live.Provider = name
		return specMarshal(live, caps)
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
		z := spec.NormalizeZone(listed)
		if !spec.ValidZoneName(z) || strings.TrimSpace(listed) != listed {
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

func (e *env) format(c *cli.Context) error {
	files := c.Args().Slice()
	if len(files) == 0 {
		file, err := e.configFile(c)
		if err != nil {
			return err
		}
		// fmt needs no credentials: read only where the specs are.
		cfg, err := spec.ParseConfigFile(file, func(string) (string, bool) { return "", true })
		if err != nil {
			return err
		}
		if files, err = spec.SpecFiles(cfg.ZonesDir); err != nil {
			return err
		}
	}
	check := c.Bool("check")
	unformatted := 0
	var problems []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		out, err := formatSpec(data)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", f, err))
			continue
		}
		if bytes.Equal(out, data) {
			continue
		}
		unformatted++
		if check {
			io.WriteString(e.stdout, unifiedDiff(f, data, out))
			continue
		}
		if err := os.WriteFile(f, out, 0o644); err != nil {
			problems = append(problems, err)
			continue
		}
		fmt.Fprintln(e.stdout, f)
	}
	if err := errors.Join(problems...); err != nil {
		return err
	}
	if check && unformatted > 0 {
		fmt.Fprintf(e.stderr, "zonesync: %d %s not formatted; run zonesync fmt\n", unformatted, plural(unformatted, "spec is", "specs are"))
		return exitCode(exitError)
	}
	return nil
}

// formatSpec is spec.Format, keeping the comments and blank lines at the
// top of the file at the top: YAML attaches them to the first key, which
// sorting may move down. They are blanked rather than cut before
// formatting, so that errors keep their line numbers.
func formatSpec(data []byte) ([]byte, error) {
	head := 0
	for head < len(data) {
		end := bytes.IndexByte(data[head:], '\n')
		if end < 0 {
			end = len(data) - head
		} else {
			end++
		}
		line := bytes.TrimSpace(data[head : head+end])
		if len(line) > 0 && line[0] != '#' {
			break
		}
		head += end
	}
	body := append(bytes.Repeat([]byte("\n"), bytes.Count(data[:head], []byte("\n"))), data[head:]...)
	out, err := spec.Format(body)
	if err != nil {
		return nil, err
	}
	return append(slices.Clone(data[:head]), out...), nil
}

// unifiedDiff is the diff -u of a file and its formatted form, with three
// lines of context, so that `patch -p0` applies it.
func unifiedDiff(name string, before, after []byte) string {
	type line struct {
		kind byte // ' ', '-' or '+'
		text string
	}
	dmp := diffmatchpatch.New()
	a, b, index := dmp.DiffLinesToChars(string(before), string(after))
	var lines []line
	for _, d := range dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), index) {
		kind := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				lines = append(lines, line{kind, l})
			}
		}
	}
	const context = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", name, name)
	oldLine, newLine := 1, 1 // line numbers at lines[i]
	for i := 0; i < len(lines); {
		if lines[i].kind == ' ' {
			oldLine++
			newLine++
			i++
			continue
		}
		// A hunk: context before, then changes until context+1 equal
		// lines in a row (or the end), then context after.
		start := max(0, i-context)
		oldStart, newStart := oldLine-(i-start), newLine-(i-start)
		end, same := i, 0
		for end < len(lines) && same <= 2*context {
			if lines[end].kind == ' ' {
				same++
			} else {
				same = 0
			}
			end++
		}
		if same > context {
			end -= same - context
		}
		var oldCount, newCount int
		var body strings.Builder
		for _, l := range lines[start:end] {
			if l.kind != '+' {
				oldCount++
			}
			if l.kind != '-' {
				newCount++
			}
			body.WriteByte(l.kind)
			body.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
		}
		if oldCount == 0 {
			oldStart--
		}
		if newCount == 0 {
			newStart--
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n%s", oldStart, oldCount, newStart, newCount, body.String())
		oldLine, newLine = oldStart+oldCount, newStart+newCount
		if oldCount == 0 {
			oldLine++
		}
		if newCount == 0 {
			newLine++
		}
		i = end
	}
	return out.String()
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
	if err := checkPlanDir(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".plan-*.json")
	if err != nil {
		// The error would name the temporary file, which the user never chose.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("save the plan to %s: cannot create a file in directory %s: %v", path, dir, err)
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

// checkPlanDir makes sure that plan -out can write the file it is given.
func checkPlanDir(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-out %s: directory %s does not exist; create it first (mkdir -p %s) or save the plan elsewhere", path, dir, dir)
	case err != nil:
		return fmt.Errorf("-out %s: %w", path, err)
	case !st.IsDir():
		return fmt.Errorf("-out %s: %s is not a directory; save the plan elsewhere", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("-out %s is a directory; name a file, such as %s", path, filepath.Join(path, "plan.json"))
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
	return &progress{e: e, label: label, on: e.terminal && !globalBool(c, "quiet")}
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
