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
		if code != 0 {
			t.Fatalf("plan --shard %s: exit %d %s", shard, code, errOut)
		}
		var p plan.Plan
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatal(err)
		}
		if p.Shard != shard {
			t.Errorf("plan of shard %s records shard %q", shard, p.Shard)
		}
		for _, z := range p.Zones {
			all = append(all, z.Zone)
		}
	}
	sort.Strings(all)
	if strings.Join(all, " ") != "2.0.192.in-addr.arpa example.com example.org" {
		t.Errorf("the two shards together hold %v, want every zone once", all)
	}
}

func TestSavedPlanRefusedForAnotherShard(t *testing.T) {
	cfg := copyExamples(t)
	planFile := filepath.Join(filepath.Dir(cfg), "plan.json")
	zonesync(t, "--config", cfg, "plan", "--shard", "1/2", "-out", planFile)
	code, _, errOut := zonesync(t, "--config", cfg, "apply", "--shard", "2/2", planFile)
	if code != 1 || !strings.Contains(errOut, "the plan file was made for shard 1/2, not 2/2; apply it with --shard 1/2, or without --shard") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if code, out, errOut := zonesync(t, "--config", cfg, "apply", "--shard", "1/2", planFile); code != 0 {
		t.Fatalf("apply with the right shard: exit %d\n%s%s", code, out, errOut)
	}
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
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(data), "type: zonefile", "type: slow-zonefile-for-tests", 1)), 0o644)
	slowStarted = make(chan struct{})
	started := slowStarted
	go func() {
		<-started
		syscall.Kill(os.Getpid(), syscall.SIGINT)
	}()
	code, out, errOut := zonesync(t, "--config", cfg, "apply", "--format", "json")
	if code != 1 {
		t.Fatalf("interrupted apply: exit %d, want 1\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "interrupted: finishing the operations in flight, starting no new ones") {
		t.Errorf("stderr %q", errOut)
	}
	var rep struct {
		Interrupted bool `json:"interrupted"`
		Summary     struct{ OK, Failed, Skipped int }
		Zones       []struct {
			Results []struct{ Status, Error string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("no report after an interrupt: %v\n%s", err, out)
	}
	if !rep.Interrupted || rep.Summary.OK == 0 || rep.Summary.Skipped == 0 || rep.Summary.Failed != 0 {
		t.Fatalf("report %+v: want the in-flight operations ok, the rest skipped", rep.Summary)
	}
	for _, z := range rep.Zones {
		for _, r := range z.Results {
			if r.Status == "skipped" && r.Error != "not run: apply was interrupted" {
				t.Errorf("skipped operation says %q", r.Error)
			}
		}
	}
	// What was reported ok really landed: a new plan no longer has it.
	code, out, _ = zonesync(t, "--config", cfg, "plan", "--format", "json")
	var p plan.Plan
	json.Unmarshal([]byte(out), &p)
	if code != 0 || p.Summary.Create+p.Summary.Update+p.Summary.Delete != rep.Summary.Skipped {
		t.Errorf("after the interrupt %d operations remain, want the %d skipped ones", p.Summary.Create+p.Summary.Update+p.Summary.Delete, rep.Summary.Skipped)
	}
}

func TestSecondInterruptCancelsInFlight(t *testing.T) {
	cfg := copyExamples(t)
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(data), "type: zonefile", "type: slow-zonefile-for-tests", 1)), 0o644)
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
	if code != 1 || !strings.Contains(errOut, "interrupted again: cancelling the operations in flight") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, `"error": "context canceled"`) {
		t.Errorf("the cancelled operations are not reported failed:\n%s", out)
	}
}
