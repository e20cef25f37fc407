package main

import (
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/zonefile"
)

func TestShardsSplitTheEstate(t *testing.T) {
	cfg := copyExamples(t)
	var all []string
	for _, shard := range []string{"1/2", "2/2"} {
		code, out, errOut := zonesync(t, "--config", cfg, "plan", "--shard", shard, "--format", "json")
		require.Equal(t, 0, code, "plan --shard %s: %s", shard, errOut)
		var p plan.Plan
		require.NoError(t, json.Unmarshal([]byte(out), &p))
		assert.Equal(t, shard, p.Shard, "the shard the plan records")
		for _, z := range p.Zones {
			all = append(all, z.Zone)
		}
	}
	sort.Strings(all)
	assert.Equal(t, []string{"2.0.192.in-addr.arpa", "example.com", "example.org"}, all, "the two shards together hold every zone once")
}

func TestSavedPlanRefusedForAnotherShard(t *testing.T) {
	cfg := copyExamples(t)
	planFile := filepath.Join(filepath.Dir(cfg), "plan.json")
	zonesync(t, "--config", cfg, "plan", "--shard", "1/2", "-out", planFile)
	code, _, errOut := zonesync(t, "--config", cfg, "apply", "--shard", "2/2", planFile)
	require.Equal(t, 1, code, errOut)
	require.Contains(t, errOut, "the plan file was made for shard 1/2, not 2/2; apply it with --shard 1/2, or without --shard")
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--shard", "1/2", planFile)
	require.Equal(t, 0, code, "apply with the right shard:\n%s%s", out, errOut)
}

// slowProvider is the zonefile provider with a delay on every operation,
// so a test can interrupt an apply in the middle.
type slowProvider struct {
	*zonefile.Provider
	started chan struct{}
	hold    time.Duration
	once    sync.Once
}

func (s *slowProvider) Capabilities() model.Capabilities {
	c := s.Provider.Capabilities()
	c.Batch = false
	return c
}

func (s *slowProvider) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	s.once.Do(func() { close(s.started) })
	select {
	case <-time.After(s.hold):
		return s.Provider.Apply(ctx, live, ops)
	case <-ctx.Done():
		errs := make([]error, len(ops))
		for i := range errs {
			errs[i] = ctx.Err()
		}
		return errs
	}
}

// slowStarted is closed when the slow provider built for the running test
// starts its first operation; slowHold is how long each operation takes
// unless cancelled.
var (
	slowStarted chan struct{}
	slowHold    = 100 * time.Millisecond
)

func init() {
	providers.Register("slow-zonefile-for-tests", func(cfg *config.ProviderConfig) (providers.Provider, error) {
		var s zonefile.Settings
		if err := cfg.Decode(&s); err != nil {
			return nil, err
		}
		return &slowProvider{Provider: zonefile.New(filepath.Join(cfg.Dir, s.Directory)), started: slowStarted, hold: slowHold}, nil
	})
}

func TestInterruptFinishesInFlightAndReports(t *testing.T) {
	cfg := copyExamples(t)
	data, err := os.ReadFile(cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg, []byte(strings.Replace(string(data), "type: zonefile", "type: slow-zonefile-for-tests", 1)), 0o644))
	slowStarted = make(chan struct{})
	started := slowStarted
	go func() {
		<-started
		syscall.Kill(os.Getpid(), syscall.SIGINT)
	}()
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--format", "json")
	require.Equal(t, 1, code, "interrupted apply:\n%s", errOut)
	assert.Contains(t, errOut, "interrupted: finishing the operations in flight, starting no new ones")
	var rep struct {
		Interrupted bool `json:"interrupted"`
		Summary     struct{ OK, Failed, Skipped int }
		Zones       []struct {
			Results []struct{ Status, Error string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "no report after an interrupt:\n%s", out)
	const want = "want the in-flight operations ok, the rest skipped: %+v"
	require.True(t, rep.Interrupted, "the report does not say interrupted")
	require.NotZero(t, rep.Summary.OK, want, rep.Summary)
	require.NotZero(t, rep.Summary.Skipped, want, rep.Summary)
	require.Zero(t, rep.Summary.Failed, want, rep.Summary)
	for _, z := range rep.Zones {
		for _, r := range z.Results {
			if r.Status == "skipped" {
				assert.Equal(t, "not run: apply was interrupted", r.Error, "what a skipped operation says")
			}
		}
	}
	// What was reported ok really landed: a new plan no longer has it.
	code, out, errOut = zonesync(t, "--config", cfg, "plan", "--format", "json")
	require.Equal(t, 0, code, "plan after the interrupt: %s", errOut)
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	assert.Equal(t, rep.Summary.Skipped, p.Summary.Create+p.Summary.Update+p.Summary.Delete, "operations remaining after the interrupt: want the skipped ones")
}

func TestSecondInterruptCancelsInFlight(t *testing.T) {
	cfg := copyExamples(t)
	data, err := os.ReadFile(cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg, []byte(strings.Replace(string(data), "type: zonefile", "type: slow-zonefile-for-tests", 1)), 0o644))
	slowStarted = make(chan struct{})
	// Operations in flight must still be running when the second interrupt
	// comes, however busy the machine: they take until cancelled.
	slowHold = time.Minute
	t.Cleanup(func() { slowHold = 100 * time.Millisecond })
	started := slowStarted
	// Two interrupts sent close together can reach the process as one (a
	// pending signal is not queued twice), so interrupts go on until the
	// apply returns. This test's own Notify keeps an interrupt that comes
	// after the apply stopped listening from ending the test binary.
	guard := make(chan os.Signal, 1)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)
	returned, sending := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sending)
		select {
		case <-started:
		case <-returned:
			return
		}
		for {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			select {
			case <-returned:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--format", "json")
	close(returned)
	<-sending
	require.Equal(t, 1, code, errOut)
	require.Contains(t, errOut, "interrupted again: cancelling the operations in flight")
	assert.Contains(t, out, `"error": "context canceled"`, "the cancelled operations are not reported failed")
}
