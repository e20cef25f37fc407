// Command estate measures zonesync on a large ClouDNS estate: it serves the
// ClouDNS fake with added latency and ClouDNS's own rate limit, seeds many
// zones, writes specs that change some records of each, and times a plan
// and an apply, counting API calls per endpoint.
//
//	go run ./bench/cmd/estate -zones 1000 -changes 20 -latency 20ms -limit 20
//
// With -scoped it measures plans scoped to a change instead (see
// runScoped); with -write it only writes a zone-file estate for measuring
// a plan's memory with /usr/bin/time.
//
// It prints the wall time of each phase next to the bound the rate limit
// sets (calls / limit), and the calls made next to the fewest the API
// allows: the zone types of every zone from the zone list (a call to count
// its pages, then a call per hundred zones), then per zone its records and
// their count, which checks the answer is whole (the specs leave the SOA
// alone, so it is not read); per changed record, one mod-record.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/bench"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	_ "github.com/zonesync/zonesync/providers/cloudns"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
)

func main() {
	zones := flag.Int("zones", 1000, "zones in the estate")
	records := flag.Int("records", 25, "A record sets per zone")
	changes := flag.Int("changes", 20, "record sets changed per zone")
	latency := flag.Duration("latency", 20*time.Millisecond, "added to every request")
	limit := flag.Float64("limit", 20, "requests per second the fake allows before blocking")
	concurrency := flag.Int("concurrency", 4, "zones handled at once")
	write := flag.String("write", "", "only write a zone-file project of -zones zones of -records sets into this directory, -changed-percent of the sets changed, and exit")
	percent := flag.Int("changed-percent", 3, "with -write: the share of record sets whose live value differs")
	scoped := flag.Bool("scoped", false, "measure plans scoped to a change (plan --changed-since) instead: a pull request changing 3 zones, and a template change touching every zone, scoped and in full")
	template := flag.Bool("template", true, "with -scoped: also the template change (two plans of every zone)")
	flag.Parse()
	if *scoped {
		if err := runScoped(*zones, *records, *latency, *limit, *concurrency, *template); err != nil {
			fmt.Fprintln(os.Stderr, "estate:", err)
			os.Exit(1)
		}
		return
	}
	if *write != "" {
		if err := bench.GenerateEstate(*write, *zones, *records, *percent); err != nil {
			fmt.Fprintln(os.Stderr, "estate:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*zones, *records, *changes, *latency, *limit, *concurrency); err != nil {
		fmt.Fprintln(os.Stderr, "estate:", err)
		os.Exit(1)
	}
}

func run(zones, records, changes int, latency time.Duration, limit float64, concurrency int) error {
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
	os.MkdirAll(filepath.Join(dir, "zones"), 0o755)
	cfg := fmt.Sprintf("providers:\n  dns:\n    type: cloudns\n    endpoint: %s\n    auth_id: %q\n    auth_password: %q\nsafety:\n  max_update_percent: 100\nconcurrency: %d\n", srv.URL, authID, password, concurrency)
	if err := os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	for z := 0; z < zones; z++ {
		name := fmt.Sprintf("z%04d.example", z)
		live := &model.Zone{Name: name, Mode: model.Master}
		body := fmt.Sprintf("zone: %s\nprovider: dns\nttl: 3600\nrecords:\n", name)
		for r := 0; r < records; r++ {
			host := fmt.Sprintf("host%02d", r)
			live.Records = append(live.Records, &model.RecordSet{Name: host, Type: "A", TTL: 3600, Values: []string{fmt.Sprintf("10.%d.%d.%d", z/250, z%250, r)}})
			want := fmt.Sprintf("10.%d.%d.%d", z/250, z%250, r)
			if r < changes {
				want = fmt.Sprintf("10.%d.%d.%d", z/250, z%250, 100+r)
			}
			body += fmt.Sprintf("  %s:\n    - {type: A, value: %s}\n", host, want)
		}
		if err := api.Seed(live); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "zones", name+".yaml"), []byte(body), 0o644); err != nil {
			return err
		}
	}
	conf, set, err := openProject(dir)
	if err != nil {
		return err
	}
	ctx := context.Background()

	phase := func(name string, minimum int, do func() error) error {
		api.Faults().ResetCounts()
		start := time.Now()
		if err := do(); err != nil {
			return err
		}
		wall := time.Since(start)
		calls := api.Faults().AllCalls()
		total := 0
		var names []string
		for k, n := range calls {
			total += n
			names = append(names, k)
		}
		sort.Strings(names)
		bound := time.Duration(float64(total) / limit * float64(time.Second))
		fmt.Printf("%-5s %6d calls (fewest needed %d), wall %8.1fs, rate-limit bound %8.1fs, ratio %.3f, blocked %d\n",
			name, total, minimum, wall.Seconds(), bound.Seconds(), wall.Seconds()/bound.Seconds(), api.Blocked())
		for _, k := range names {
			fmt.Printf("        %-28s %6d\n", k, calls[k])
		}
		return nil
	}
	reads := 1 + (zones+99)/100 + 2*zones
	if err := phase("plan", reads, func() error {
		prep, err := apply.Prepare(ctx, conf, set, apply.Options{})
		if err == nil && prep.Plan.Summary.Update != zones*changes {
			err = fmt.Errorf("the plan has %d updates, want %d", prep.Plan.Summary.Update, zones*changes)
		}
		return err
	}); err != nil {
		return err
	}
	if err := phase("apply", reads+zones*changes, func() error {
		prep, err := apply.Prepare(ctx, conf, set, apply.Options{})
		if err != nil {
			return err
		}
		rep := apply.Run(ctx, prep, apply.RunOptions{Concurrency: concurrency})
		if rep.Failed() {
			return fmt.Errorf("apply: %s", rep.SummaryLine())
		}
		return nil
	}); err != nil {
		return err
	}
	fmt.Printf("estate: %d zones x %d changes, %s latency, limit %.0f/s, concurrency %d\n", zones, changes, latency, limit, concurrency)
	return nil
}

// openProject loads the project's zonesync.yaml and opens its providers.
func openProject(dir string) (*config.Config, *providers.Set, error) {
	conf, err := config.Load(filepath.Join(dir, "zonesync.yaml"))
	if err != nil {
		return nil, nil, err
	}
	set, err := providers.Open(conf)
	if err != nil {
		return nil, nil, err
	}
	return conf, set, nil
}
