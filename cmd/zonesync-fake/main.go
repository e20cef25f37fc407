// Command zonesync-fake serves the fake of a provider's API standalone, for
// demos and end-to-end tests: point zonesync at it with the provider's
// `endpoint` setting.
//
//	go run ./cmd/zonesync-fake -provider telecomx -listen 127.0.0.1:8053 -user U -password P
//	go run ./cmd/zonesync-fake -provider cloudns -seed examples/live
//
// The fake keeps its state in memory until it stops. -seed loads every
// <zone>.zone file of a directory into it first.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
	"github.com/zonesync/zonesync/providers/zonefile"
)

// server is what every provider's fake offers.
type server interface {
	http.Handler
	Seed(z *model.Zone) error
	Faults() *faults.Injector
}

// credentials are what the fake accepts, from the command line.
type credentials struct{ user, password, key string }

// fakes builds each provider's fake; adding a provider adds one entry.
var fakes = map[string]func(credentials) server{}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "zonesync-fake:", err)
		os.Exit(1)
	}
}

// usage heads the flag list of -help.
const usage = `Usage: zonesync-fake -provider NAME [flags]

Serves the fake of a provider's API, keeping its state in memory until it
stops; point zonesync at it with the provider's endpoint setting.

  zonesync-fake -provider cloudns -listen 127.0.0.1:8053 -user 1234 -password demo -seed examples/live

Flags:
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zonesync-fake", flag.ContinueOnError)
	// Parse errors become one line on stderr; -help prints the usage.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	provider := fs.String("provider", "", "the API to fake: "+strings.Join(names(), ", "))
	listen := fs.String("listen", "127.0.0.1:8053", "address to serve on")
	user := fs.String("user", "zonesync", "the user (or id) the fake accepts")
	password := fs.String("password", "zonesync", "the password the fake accepts")
	key := fs.String("key", "", "an API key the fake also accepts (plesk: the KEY header)")
	seed := fs.String("seed", "", "a directory of <zone>.zone files to load first")
	latency := fs.Duration("latency", 0, "added to every request")
	faultRate := fs.Float64("fault-rate", 0, "share of requests that fail (5xx, rate limit, timeout, reset, slow)")
	faultSeed := fs.Uint64("fault-seed", 1, "seed of the fault generator")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil
		}
		return fmt.Errorf("%w (see zonesync-fake -help)", err)
	}
	build, ok := fakes[*provider]
	if !ok {
		return fmt.Errorf("-provider must be one of %s", strings.Join(names(), ", "))
	}
	srv := build(credentials{*user, *password, *key})
	srv.Faults().Latency = *latency
	if *faultRate > 0 {
		srv.Faults().SetRandom(*faultSeed, *faultRate)
	}
	if *seed != "" {
		n, err := seedFrom(srv, *seed, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "zonesync-fake: seeded %d zones from %s\n", n, *seed)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "zonesync-fake: %s API on http://%s (user %q)\n", *provider, ln.Addr(), *user)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// seedFrom loads every zone file of dir into the fake. A zone the fake's
// API cannot hold (a record type it lacks, say) is skipped with a warning.
func seedFrom(srv server, dir string, stderr io.Writer) (int, error) {
	files := zonefile.New(dir)
	zones, err := files.ListZones(context.Background())
	if err != nil {
		return 0, err
	}
	seeded := 0
	for _, name := range zones {
		z, err := files.ReadZone(context.Background(), name, providers.ReadOptions{})
		if err != nil {
			return seeded, err
		}
		if err := srv.Seed(z); err != nil {
			fmt.Fprintf(stderr, "zonesync-fake: skipped zone %s: %v\n", name, err)
			continue
		}
		seeded++
	}
	return seeded, nil
}

func names() []string {
	var out []string
	for n := range fakes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
