package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helperEnv carries a helper process's command line, as JSON.
const helperEnv = "ZONESYNC_TEST_HELPER_ARGS"

// TestHelperProcess is zonesync itself when the test binary runs it as a
// helper process (see startZonesync); otherwise it does nothing. It
// waits for its standard input to close, so that a test can start
// several and let them go at once, then runs the command and exits.
func TestHelperProcess(t *testing.T) {
	raw, ok := os.LookupEnv(helperEnv)
	if !ok {
		t.Skip("run by tests as a separate zonesync process")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, "helper process:", err)
		os.Exit(3)
	}
	io.Copy(io.Discard, os.Stdin)
	os.Exit(run(context.Background(), append([]string{"zonesync"}, args...), streams{stdin: strings.NewReader(""), stdout: os.Stdout, stderr: os.Stderr}))
}

// process is a zonesync started in a process of its own.
type process struct {
	cmd            *exec.Cmd
	start          io.WriteCloser
	stdout, stderr bytes.Buffer
}

// startZonesync starts zonesync with args in a process of its own; it
// waits for release before it runs.
func startZonesync(t *testing.T, args ...string) *process {
	t.Helper()
	raw, err := json.Marshal(args)
	require.NoError(t, err)
	p := &process{cmd: exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")}
	p.cmd.Env = append(os.Environ(), helperEnv+"="+string(raw))
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.start, err = p.cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	return p
}

// release lets the process run.
func (p *process) release() { p.start.Close() }

// wait returns the process's exit code.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	err := p.cmd.Wait()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// baseZone is the zone file both applies start from.
const baseZone = `$ORIGIN example.com.
@    3600 IN SOA ns1.example.com. hostmaster.example.com. 2026010100 7200 3600 1209600 3600
www  3600 IN A   192.0.2.10
`

// project writes a project whose zonefile provider keeps its zones in live
// and whose one spec is spec; it returns its zonesync.yaml.
func project(t *testing.T, live, spec string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("providers:\n  local:\n    type: zonefile\n    directory: "+live+"\nzones: zones/\n"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "zones"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", "example.com.yaml"), []byte(spec), 0o644))
	return cfg
}

// TestConcurrentAppliesLoseNothing runs two zonesync processes at once,
// each applying its own change to one zone file, round after round. Either
// both changes end up in the file, or one apply is refused because the
// zone changed since it read it; never do both report success with one
// change lost. Saved plans, made from the same file, cannot both apply:
// the second finds the zone changed.
func TestConcurrentAppliesLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two processes per round")
	}
	const rounds = 8
	for _, tc := range []struct {
		name string
		// spec is each apply's zone spec, by the name of its record.
		spec map[string]string
		// saved applies plans made first, from the same file.
		saved bool
	}{
		{
			name: "fresh plans, each ignoring the other's record",
			spec: map[string]string{
				"alpha": "zone: example.com\nprovider: local\nttl: 3600\nignore: [{name: \"beta*\"}]\nrecords:\n  www: [{type: A, value: 192.0.2.10}]\n  alpha: [{type: A, value: 192.0.2.1}]\n",
				"beta":  "zone: example.com\nprovider: local\nttl: 3600\nignore: [{name: \"alpha*\"}]\nrecords:\n  www: [{type: A, value: 192.0.2.10}]\n  beta: [{type: A, value: 192.0.2.2}]\n",
			},
		},
		{
			name: "saved plans",
			spec: map[string]string{
				"alpha": "zone: example.com\nprovider: local\nttl: 3600\nrecords:\n  www: [{type: A, value: 192.0.2.10}]\n  alpha: [{type: A, value: 192.0.2.1}]\n",
				"beta":  "zone: example.com\nprovider: local\nttl: 3600\nrecords:\n  www: [{type: A, value: 192.0.2.10}]\n  beta: [{type: A, value: 192.0.2.2}]\n",
			},
			saved: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			live := t.TempDir()
			zoneFile := filepath.Join(live, "example.com.zone")
			names := []string{"alpha", "beta"}
			cfgs := map[string]string{}
			for _, n := range names {
				cfgs[n] = project(t, live, tc.spec[n])
			}
			refusals := 0
			for round := 1; round <= rounds; round++ {
				require.NoError(t, os.WriteFile(zoneFile, []byte(baseZone), 0o644))
				procs := map[string]*process{}
				for _, n := range names {
					args := []string{"--config", cfgs[n], "apply"}
					if tc.saved {
						planFile := filepath.Join(filepath.Dir(cfgs[n]), "plan.json")
						code, out, errOut := zonesync(t, "--config", cfgs[n], "plan", "-out", planFile)
						require.Equal(t, 0, code, "plan %s: %s%s", n, out, errOut)
						args = append(args, planFile)
					}
					procs[n] = startZonesync(t, args...)
				}
				for _, n := range names {
					procs[n].release()
				}
				codes := map[string]int{}
				for _, n := range names {
					codes[n] = procs[n].wait(t)
				}
				data, err := os.ReadFile(zoneFile)
				require.NoError(t, err)
				ok := 0
				for _, n := range names {
					p, code := procs[n], codes[n]
					output := p.stdout.String() + p.stderr.String()
					landed := strings.Contains(string(data), "\n"+n+" ")
					switch code {
					case 0:
						ok++
						assert.True(t, landed, "round %d: %s reported success, but its record is not in the file:\n%s\n%s", round, n, output, data)
					case 1:
						refusals++
						assert.False(t, landed, "round %d: %s failed, yet its record is in the file:\n%s", round, n, output)
						assert.Regexp(t, `changed since (it was read|the plan was made)`, output, "round %d: %s failed for another reason", round, n)
					default:
						require.Failf(t, "apply exited neither 0 nor 1", "round %d: %s exited %d:\n%s", round, n, code, output)
					}
				}
				assert.Positive(t, ok, "round %d: neither apply succeeded", round)
				if tc.saved {
					assert.Equal(t, 1, ok, "round %d: both plans, made from the same file, were applied", round)
				}
			}
			t.Logf("%d rounds, %d applies refused", rounds, refusals)
		})
	}
}
