package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/plan"
)

// Error formats: how errors are written on stderr.
const (
	// errorsText is one line per problem, file:line:col: message.
	errorsText = "text"
	// errorsGitHub is one GitHub Actions workflow command per problem,
	// ::error file=…,line=…,col=…::message, which GitHub shows as an
	// annotation on that line of the pull request.
	errorsGitHub = "github"
)

// errorFormatEnv sets the error format when --error-format does not; the
// zonesync action sets it to github.
const errorFormatEnv = "ZONESYNC_ERROR_FORMAT"

// setErrorFormat reads --error-format, else $ZONESYNC_ERROR_FORMAT.
func (e *env) setErrorFormat(c *cli.Context) error {
	f := globalString(c, "error-format")
	from := "--error-format"
	if f == "" {
		f, from = os.Getenv(errorFormatEnv), "$"+errorFormatEnv
	}
	switch f {
	case "", errorsText:
		e.errorFormat = errorsText
	case errorsGitHub:
		e.errorFormat = errorsGitHub
	default:
		return fmt.Errorf("%s must be text or github, not %q", from, f)
	}
	return nil
}

// flatten splits an error into its problems: the errors an errors.Join
// holds, each spec error of a list, each line of a message.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if list, ok := err.(yamlx.ErrorList); ok {
		out := make([]error, len(list))
		for i, e := range list {
			out[i] = e
		}
		return out
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	var list yamlx.ErrorList
	if errors.As(err, &list) {
		return flatten(list)
	}
	var out []error
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, errors.New(line))
		}
	}
	return out
}

// problems is an error as the JSON and markdown documents list it.
func problems(err error) []plan.Problem {
	var out []plan.Problem
	for _, e := range flatten(err) {
		var se *yamlx.Error
		if errors.As(e, &se) {
			out = append(out, plan.Problem{Message: se.Msg, File: se.Pos.File, Line: se.Pos.Line, Column: se.Pos.Col})
			continue
		}
		out = append(out, plan.Problem{Message: e.Error()})
	}
	return out
}

// printError writes an error to stderr one line per problem, never a
// trace: file:line:col: message for a spec error, zonesync: message for
// any other; or, with --error-format github, as annotations.
func (e *env) printError(err error) {
	for _, p := range problems(err) {
		e.printProblem(p)
	}
}

// printProblem writes one problem in the error format.
func (e *env) printProblem(p plan.Problem) {
	writeProblem(e.stderr, e.errorFormat, p)
}

func writeProblem(w io.Writer, format string, p plan.Problem) {
	if format == errorsGitHub {
		fmt.Fprintln(w, annotation("error", p))
		return
	}
	if p.File != "" {
		fmt.Fprintln(w, p.String())
		return
	}
	fmt.Fprintln(w, "zonesync: "+p.Message)
}

// annotation is a GitHub Actions workflow command that shows the problem
// on its file and line in the pull request, or on the run when it has no
// file. Paths are made relative to the repository ($GITHUB_WORKSPACE, else
// the working directory), as GitHub names files.
func annotation(level string, p plan.Problem) string {
	msg := p.Message
	if p.File == "" {
		msg = "zonesync: " + msg
	}
	cmd := "::" + level
	if p.File != "" {
		props := []string{"file=" + escapeProperty(repoPath(p.File))}
		if p.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", p.Line))
		}
		if p.Column > 0 {
			props = append(props, fmt.Sprintf("col=%d", p.Column))
		}
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + escapeData(msg)
}

// escapeData escapes a workflow command's message, as the runner unescapes it.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// repoPath is a file's path relative to the repository root.
func repoPath(file string) string {
	root := os.Getenv("GITHUB_WORKSPACE")
	if root == "" {
		root, _ = os.Getwd()
	}
	abs, err := filepath.Abs(file)
	if err != nil || root == "" {
		return filepath.ToSlash(file)
	}
	if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(file)
}
