package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/spec"
)

func (e *env) format(c *cli.Context) error {
	files := c.Args().Slice()
	// templates are the files listed from the templates directory, only
	// for the message; both kinds are formatted alike.
	templates := map[string]bool{}
	if len(files) == 0 {
		file, err := e.configFile(c)
		if err != nil {
			return err
		}
		// fmt needs no credentials: read only where the specs are.
		cfg, err := config.ParseFile(file, func(string) (string, bool) { return "", true })
		if err != nil {
			return err
		}
		if files, err = spec.SpecFiles(cfg.ZonesDir); err != nil {
			return err
		}
		tfiles, err := spec.TemplateFiles(cfg.TemplatesDir)
		if err != nil {
			return err
		}
		for _, f := range tfiles {
			templates[f] = true
		}
		files = append(files, tfiles...)
	}
	check := c.Bool("check")
	unformatted, unformattedTemplates := 0, 0
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
		if templates[f] {
			unformattedTemplates++
		} else {
			unformatted++
		}
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
	if check && unformatted+unformattedTemplates > 0 {
		var what []string
		if unformatted > 0 {
			what = append(what, fmt.Sprintf("%d %s", unformatted, plural(unformatted, "spec", "specs")))
		}
		if unformattedTemplates > 0 {
			what = append(what, fmt.Sprintf("%d %s", unformattedTemplates, plural(unformattedTemplates, "template", "templates")))
		}
		fmt.Fprintf(e.stderr, "zonesync: %s %s not formatted; run zonesync fmt\n", strings.Join(what, " and "), plural(unformatted+unformattedTemplates, "is", "are"))
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
