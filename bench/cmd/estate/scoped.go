package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/changes"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
)

// mailTemplate is the template every zone of the scoped estate includes,
// with its MX host.
func mailTemplate(mx string) string {
	return "records:\n  \"@\":\n    - {type: MX, value: \"10 " + mx + ".example.net.\"}\n"
}

// runScoped measures plans scoped to a change (plan --changed-since) on an
// estate in a git repository, whose specs all include the template mail
// and match their live zones at the commit:
//
//   - a pull request that changes one record in each of three zones;
//   - a change to the template, which touches every zone, planned scoped
//     and in full; its markdown comment's size, and whether the grouping
//     kept it whole.
func runScoped(zones, records int, latency time.Duration, limit float64, concurrency int, template bool) error {
	if _, err := exec.LookPath("git"); err != nil {
		return fmt.Errorf("-scoped needs git: %w", err)
	}
	const authID, password = "4242", "estate-password"
	api := fake.New(fake.Options{AuthID: authID, Password: password, RequestsPerSecond: limit})
	api.Faults().Latency = latency
	srv := httptest.NewServer(api)
	defer srv.Close()

	dir, err := os.MkdirTemp("", "zonesync-estate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, d := range []string{"zones", "templates"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	cfg := fmt.Sprintf("providers:\n  dns:\n    type: cloudns\n    endpoint: %s\n    auth_id: %q\n    auth_password: %q\nsafety:\n  max_update_percent: 100\nconcurrency: %d\n", srv.URL, authID, password, concurrency)
	if err := os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "mail.yaml"), []byte(mailTemplate("mx1")), 0o644); err != nil {
		return err
	}
	specPath := func(z int) string { return filepath.Join(dir, "zones", zoneName(z)+".yaml") }
	specOf := func(z int, last string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "zone: %s\nprovider: dns\nttl: 3600\ninclude: [mail]\nrecords:\n", zoneName(z))
		for r := 0; r < records; r++ {
			value := address(z, r)
			if r == records-1 && last != "" {
				value = last
			}
			fmt.Fprintf(&b, "  host%02d:\n    - {type: A, value: %s}\n", r, value)
		}
		return b.String()
	}
	for z := 0; z < zones; z++ {
		live := &model.Zone{Name: zoneName(z), Mode: model.Master}
		mx, err := model.NewRecordSet("@", "MX", 3600, "10 mx1.example.net.")
		if err != nil {
			return err
		}
		live.Records = append(live.Records, mx)
		for r := 0; r < records; r++ {
			live.Records = append(live.Records, &model.RecordSet{Name: fmt.Sprintf("host%02d", r), Type: "A", TTL: 3600, Values: []string{address(z, r)}})
		}
		if err := api.Seed(live); err != nil {
			return err
		}
		if err := os.WriteFile(specPath(z), []byte(specOf(z, "")), 0o644); err != nil {
			return err
		}
	}
	git := func(args ...string) error {
		cmd := exec.Command("git", append([]string{"-c", "user.name=estate", "-c", "user.email=estate@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v: %s", args[0], err, out)
		}
		return nil
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "estate"}} {
		if err := git(args...); err != nil {
			return err
		}
	}
	conf, set, err := openProject(dir)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var fullCalls int
	var fullWall time.Duration
	// measure plans, scoped to the working tree's change since the commit
	// or not, and checks the plan's zones and updates.
	measure := func(name string, scoped bool, wantZones, wantUpdates int) (*plan.Plan, error) {
		api.Faults().ResetCounts()
		start := time.Now()
		opt := apply.Options{Retain: apply.RetainNone}
		var gitTime time.Duration
		if scoped {
			if opt.Changes, err = changes.Since(ctx, conf, "HEAD"); err != nil {
				return nil, err
			}
			gitTime = time.Since(start)
		}
		prep, err := apply.Prepare(ctx, conf, set, opt)
		if err != nil {
			return nil, err
		}
		wall := time.Since(start)
		total := 0
		for _, n := range api.Faults().AllCalls() {
			total += n
		}
		p := prep.Plan
		if len(p.Zones) != wantZones || p.Summary.Update != wantUpdates {
			return nil, fmt.Errorf("%s: %d zones planned with %d updates, want %d and %d", name, len(p.Zones), p.Summary.Update, wantZones, wantUpdates)
		}
		if !scoped {
			fullCalls, fullWall = total, wall
		}
		fmt.Printf("%-34s %5d zones planned, %5d calls, wall %7.2fs (git %.2fs)", name, len(p.Zones), total, wall.Seconds(), gitTime.Seconds())
		if scoped && fullCalls > 0 {
			fmt.Printf(", to the full plan: calls %.3fx, wall %.3fx", float64(total)/float64(fullCalls), wall.Seconds()/fullWall.Seconds())
		}
		fmt.Printf(", blocked %d\n", api.Blocked())
		calls := api.Faults().AllCalls()
		names := make([]string, 0, len(calls))
		for k := range calls {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Printf("        %-28s %6d\n", k, calls[k])
		}
		return p, nil
	}

	// A pull request that changes one record in each of three zones.
	pr := []int{1, zones / 2, zones - 2}
	for _, z := range pr {
		if err := os.WriteFile(specPath(z), []byte(specOf(z, "192.0.2.200")), 0o644); err != nil {
			return err
		}
	}
	if _, err := measure("plan --changed-since, 3 zones", true, len(pr), len(pr)); err != nil {
		return err
	}
	if err := git("checkout", "-q", "--", "zones"); err != nil {
		return err
	}
	if !template {
		return nil
	}

	// A template change that touches every zone: planned in full first,
	// then scoped.
	if err := os.WriteFile(filepath.Join(dir, "templates", "mail.yaml"), []byte(mailTemplate("mx2")), 0o644); err != nil {
		return err
	}
	if _, err := measure("plan, template changed (full)", false, zones, zones); err != nil {
		return err
	}
	p, err := measure("plan --changed-since, template", true, zones, zones)
	if err != nil {
		return err
	}
	var md bytes.Buffer
	if err := plan.WriteMarkdown(&md, p, plan.MarkdownOptions{Marker: "zonesync.yaml"}); err != nil {
		return err
	}
	cut := bytes.Contains(md.Bytes(), []byte("not shown to stay under GitHub's comment size limit"))
	fmt.Printf("markdown comment for the template change: %d characters (GitHub's limit %d), cut: %v, groups: %d\n",
		len([]rune(md.String())), plan.GitHubCommentLimit, cut, len(plan.GroupOperations(p).Groups))
	fmt.Printf("estate: %d zones x %d record sets and an MX from the template, %s latency, limit %.0f/s, concurrency %d\n", zones, records, latency, limit, concurrency)
	return nil
}

func zoneName(z int) string { return fmt.Sprintf("z%04d.example", z) }

func address(z, r int) string { return fmt.Sprintf("10.%d.%d.%d", z/250, z%250, r) }
