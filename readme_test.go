package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeBlock is the shell block of README.md between two markers.
func readmeBlock(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(data), "<!-- "+name+":begin -->\n```sh\n")
	require.True(t, ok, "README.md has no %s block", name)
	block, _, ok := strings.Cut(rest, "```\n<!-- "+name+":end -->")
	require.True(t, ok, "README.md's %s block does not end", name)
	return block
}

// TestReadmeFirstZone runs README's first steps with an installed
// zonesync, as a newcomer would, in an empty directory.
func TestReadmeFirstZone(t *testing.T) {
	script := "set -e\n" + readmeBlock(t, "first-zone") + "cat live/example.com.zone\n"
	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	wrapper := "#!/bin/sh\n" + asCLI + "=1 exec '" + self + "' \"$@\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "zonesync"), []byte(wrapper), 0o755))
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = t.TempDir()
	cmd.Stdin = nil // not a terminal: apply does not ask, as in CI
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "ZONESYNC_CONFIG=")
	}), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, want := range []string{
		"1 zone spec valid (zones)\n",
		"1 of 1 zone to change: 5 to create.\nexit 2\n",
		"Applied 5 of 5 operations: 5 ok, 0 failed, 0 skipped",
		"No changes: 1 zone checked, live state matches the specs.\n",
		"www    3600 IN CNAME example.com.\n",
	} {
		assert.Contains(t, string(out), want)
	}
}

// TestReadmeInstallMatchesTheRelease checks README's install steps
// against what a release holds and what the shipped workflows run.
func TestReadmeInstallMatchesTheRelease(t *testing.T) {
	read := func(path string) string {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		return string(data)
	}
	readme := read("README.md")
	m := regexp.MustCompile(`go install github\.com/zonesync/zonesync@(v\d+\.\d+\.\d+)`).FindStringSubmatch(readme)
	require.NotNil(t, m, "README.md does not say how to go install a release")
	assert.Contains(t, readme, "VERSION="+m[1]+" ", "the release binary steps name another version")
	assert.Contains(t, readme, "`go run` turns\nevery non-zero exit code of the program into 1")
	plan := read(filepath.Join(".github", "workflows", "zonesync-plan.yml"))
	assert.Contains(t, plan, "ZONESYNC_VERSION: "+m[1]+" ", "README and the shipped workflows name different releases")

	// The archive names README and the action download are the ones the
	// release build writes.
	name := regexp.MustCompile(`(?i)zonesync_\$\{[a-z]+#v\}_\$\{[a-z]+\}_\$\{[a-z]+\}`)
	for _, file := range []string{"README.md", "action.yml", filepath.Join(".ci", "release-build")} {
		found := name.FindAllString(read(file), -1)
		require.NotEmpty(t, found, "%s names no release archive", file)
		for _, f := range found {
			assert.Regexp(t, `(?i)^zonesync_\$\{version#v\}_\$\{(os|goos)\}_\$\{(arch|goarch)\}$`, f, file)
		}
	}
	assert.Contains(t, read(filepath.Join(".ci", "release-build")), `"$outdir/$name.tar.gz"`)
	assert.Contains(t, read("action.yml"), `archive="zonesync_${VERSION#v}_${os}_${arch}.tar.gz"`)
}
