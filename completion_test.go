package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompleteCandidates(t *testing.T) {
	cfg := copyExamples(t)
	t.Chdir(filepath.Join(filepath.Dir(cfg), "zones"))
	for _, tc := range []struct {
		words string // the words after "zonesync"; the last one is being completed
		want  []string
	}{
		{"", []string{"validate", "plan", "apply", "verify", "import", "fmt", "schema", "version", "completion", "help"}},
		{"pl", []string{"plan"}},
		{"--config x.yaml a", []string{"apply"}},
		{"-q ", []string{"validate", "plan", "apply", "verify", "import", "fmt", "schema", "version", "completion", "help"}},
		{"plan --f", []string{"--format", "--force"}},
		{"plan --d", []string{"--detailed-exitcode"}},
		{"apply --a", []string{"--auto-approve"}},
		{"plan --con", []string{"--config"}},
		{"--", []string{"--config", "--quiet", "--verbose", "--error-format", "--version", "--help"}},
		{"plan --zone ", []string{"2.0.192.in-addr.arpa", "example.com", "example.org"}},
		{"apply --zone example.com --zone ex", []string{"example.com", "example.org"}},
		{"plan --format ", []string{"text", "markdown", "json"}},
		{"apply --format ", []string{"text", "json", "markdown"}},
		{"ver", []string{"verify", "version"}},
		{"veri", []string{"verify"}},
		{"verify --format ", []string{"text", "markdown", "json"}},
		{"verify --family ", []string{"both", "ipv4", "ipv6"}},
		{"verify --zone example.o", []string{"example.org"}},
		{"apply --verify-f", []string{"--verify-from-parent", "--verify-family"}},
		{"apply --verify-family ip", []string{"ipv4", "ipv6"}},
		{"--error-format ", []string{"text", "github"}},
		{"import --provider ", []string{"backup", "local"}},
		{"schema ", []string{"zone", "config", "template"}},
		{"completion f", []string{"fish"}},
		{"help ap", []string{"apply"}},
		{"plan --config ", nil},
		{"fmt ", nil},
		{"apply ", nil},
		{"nonsense ", nil},
	} {
		t.Run(tc.words, func(t *testing.T) {
			words := strings.Split(tc.words, " ")
			code, out, errOut := zonesync(t, append([]string{completeCommand}, words...)...)
			require.Equal(t, 0, code, errOut)
			var got []string
			if out != "" {
				got = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			}
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("zones of another config", func(t *testing.T) {
		other := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(other, "zones"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(other, "zonesync.yaml"), []byte("providers:\n  p: {type: zonefile, directory: live}\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(other, "zones", "z.yaml"), []byte("zone: other.test\nprovider: p\n"), 0o644))
		_, out, _ := zonesync(t, completeCommand, "--config", filepath.Join(other, "zonesync.yaml"), "plan", "--zone", "")
		assert.Equal(t, "other.test\n", out)
		_, out, _ = zonesync(t, completeCommand, "plan", "--config="+filepath.Join(other, "zonesync.yaml"), "--zone", "")
		assert.Equal(t, "other.test\n", out)
	})
	t.Run("aliases are zones too", func(t *testing.T) {
		other := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(other, "zones"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(other, "zonesync.yaml"), []byte("providers:\n  p: {type: zonefile, directory: live}\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(other, "zones", "z.yaml"), []byte("zone: other.test\naliases: [parked.test, brand.test]\nprovider: p\n"), 0o644))
		_, out, _ := zonesync(t, completeCommand, "--config", filepath.Join(other, "zonesync.yaml"), "apply", "--zone", "")
		assert.Equal(t, "brand.test\nother.test\nparked.test\n", out)
	})
}

// shellTest runs a shell script with zonesync on PATH (this test binary,
// acting as the CLI) from the examples' zones directory.
func shellTest(t *testing.T, shell string, script string) string {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (.ci/run installs it)", shell)
		}
		t.Skipf("%s is not installed", shell)
	}
	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	wrapper := "#!/bin/sh\n" + asCLI + "=1 exec '" + self + "' \"$@\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "zonesync"), []byte(wrapper), 0o755))
	cfg := copyExamples(t)
	cmd := exec.Command(path, "-c", script)
	cmd.Dir = filepath.Join(filepath.Dir(cfg), "zones")
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "PATH=") }),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}

func TestCompletionScripts(t *testing.T) {
	t.Run("bash", func(t *testing.T) {
		out := shellTest(t, "bash", `source <(zonesync completion bash)
complete -p zonesync
for line in "zonesync pl" "zonesync plan --zone ex" "zonesync apply --au" "zonesync -q app"; do
  read -ra COMP_WORDS <<< "$line"
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _zonesync
  echo "$line => ${COMPREPLY[*]}"
done
COMP_WORDS=(zonesync plan --zone ""); COMP_CWORD=3; _zonesync; echo "all zones => ${COMPREPLY[*]}"
COMP_WORDS=(zonesync fmt ""); COMP_CWORD=2; _zonesync; echo "files => ${#COMPREPLY[@]} (readline completes file names)"
`)
		assert.Equal(t, `complete -o default -F _zonesync zonesync
zonesync pl => plan
zonesync plan --zone ex => example.com example.org
zonesync apply --au => --auto-approve
zonesync -q app => apply
all zones => 2.0.192.in-addr.arpa example.com example.org
files => 0 (readline completes file names)
`, out)
	})
	t.Run("zsh", func(t *testing.T) {
		// The completion system itself needs a terminal: stand in for
		// compadd, _files and compdef, and call the function as zsh would.
		out := shellTest(t, "zsh", `compdef() { print "compdef $*" }
compadd() { shift; print -r -- "compadd $*" }
_files() { print "_files" }
source <(zonesync completion zsh)
words=(zonesync pl); CURRENT=2; _zonesync
words=(zonesync plan --zone ex); CURRENT=4; _zonesync
words=(zonesync plan --zone ''); CURRENT=4; _zonesync
words=(zonesync fmt ''); CURRENT=3; _zonesync
`)
		assert.Equal(t, `compdef _zonesync zonesync
compadd plan
compadd example.com example.org
compadd 2.0.192.in-addr.arpa example.com example.org
_files
`, out)
	})
	t.Run("fish", func(t *testing.T) {
		out := shellTest(t, "fish", `zonesync completion fish | source
complete -C "zonesync pl"
complete -C "zonesync plan --zone ex"
complete -C "zonesync apply --auto"
complete -C "zonesync schema "
`)
		// fish sorts the candidates.
		assert.Equal(t, "plan\nexample.com\nexample.org\n--auto-approve\nconfig\ntemplate\nzone\n", out)
	})
	t.Run("unknown shell", func(t *testing.T) {
		code, out, errOut := zonesync(t, "completion", "powershell")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Equal(t, "zonesync: completion takes one shell: bash, zsh or fish (got \"powershell\")\n", errOut)
	})
}
