// Package verify checks that a zone's authoritative servers serve what
// the specs say: it finds the servers from the zone's NS set (or the
// delegation at the parent), resolves each to all its addresses, asks
// each address directly for the SOA serial and for the record sets to
// check, and polls until every address is in sync or a timeout passes.
//
// It is provider-neutral: it speaks DNS to the servers the world uses,
// whatever API put the data there.
package verify

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zonesync/zonesync/model"
)

// State is how one server address stands.
type State string

// The states of a server address, from best to worst for the exit code.
const (
	// InSync: the expected serial (or newer), and every checked record
	// set as the spec has it.
	InSync State = "in_sync"
	// Behind: a serial older than the expected one.
	Behind State = "behind"
	// WrongAnswer: the expected serial or newer, but a record set differs
	// from the spec.
	WrongAnswer State = "wrong_answer"
	// Unreachable: no answer (timeout, refused connection), or the NS
	// name has no address to ask.
	Unreachable State = "unreachable"
	// Lame: an answer, but not an authoritative one for the zone:
	// REFUSED, SERVFAIL, or no AA bit.
	Lame State = "lame"
)

// States lists every state in the order reports count them.
var States = []State{InSync, Behind, WrongAnswer, Unreachable, Lame}

// Label is the state as the text and markdown tables write it.
func (s State) Label() string {
	switch s {
	case InSync:
		return "in sync"
	case WrongAnswer:
		return "wrong answer"
	}
	return string(s)
}

// Check is one record set to ask every server for.
type Check struct {
	// Name is relative to the zone, "@" for the apex; Type is upper case.
	Name, Type string
	// Want is the record set as it must be served (TTL and values); nil
	// when it must not exist, as after a delete.
	Want *model.RecordSet
}

// Zone is one zone to verify.
type Zone struct {
	// Name is the zone, as the model spells it (no trailing dot).
	Name string
	// Checks are the record sets to compare; none checks the serial only.
	Checks []Check
	// Serial is the serial every server must have reached, such as the
	// one the provider reported after an apply; 0 when unknown, and then
	// the highest serial any server answers is expected of all.
	Serial uint32
}

// Family limits which addresses of the servers are asked.
type Family string

// Address families.
const (
	BothFamilies Family = ""
	IPv4         Family = "ipv4"
	IPv6         Family = "ipv6"
)

// ParseFamily reads --family: ipv4, ipv6, or both (also "").
func ParseFamily(s string) (Family, error) {
	switch s {
	case "", "both":
		return BothFamilies, nil
	case "ipv4", "4":
		return IPv4, nil
	case "ipv6", "6":
		return IPv6, nil
	}
	return "", fmt.Errorf("--family must be ipv4, ipv6 or both, not %q", s)
}

// Clock is the time the poll runs on; tests replace it.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or returns the context's error when it ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Options say how to find and ask the servers, and how long to poll.
type Options struct {
	// Resolvers are the recursive resolvers (host:port) that find the NS
	// sets and the servers' addresses, tried in order; see SystemResolvers.
	Resolvers []string
	// FromParent takes the servers from the delegation at the parent zone
	// instead of the zone's own apex NS set.
	FromParent bool
	// Port is the port the authoritative servers are asked on; 0 means 53.
	Port int
	// Family limits the addresses asked to IPv4 or IPv6.
	Family Family
	// Timeout is how long to poll for servers that are not in sync; 0
	// asks once.
	Timeout time.Duration
	// Interval is the longest pause between two rounds; 0 means 5s. The
	// pauses start at FirstPause and double up to it: a secondary that
	// is notified of a change mostly catches up within a second.
	Interval time.Duration
	// QueryTimeout is how long one query waits for its answer (it is
	// sent twice over UDP); 0 means 2s.
	QueryTimeout time.Duration
	// Concurrency is how many zones are verified at once; 0 means
	// DefaultConcurrency. A zone mostly waits between rounds, so this is
	// not the config's concurrency, which paces the providers' APIs.
	Concurrency int
	// Clock is the clock of the poll; nil is the real one.
	Clock Clock
	// Progress, when set, is told each time a zone is done.
	Progress func(done, total int)

	// route, in tests, is where a server's address is asked instead of
	// that address and Port: the test servers all listen on 127.0.0.1.
	route func(ip string) string
}

// serverAddr is where an authoritative server's address is asked.
func (o *Options) serverAddr(ip string) string {
	if o.route != nil {
		return o.route(ip)
	}
	return hostPort(ip, o.Port)
}

// DefaultInterval is the longest pause between rounds when
// Options.Interval is 0.
const DefaultInterval = 5 * time.Second

// DefaultConcurrency is how many zones are verified at once when
// Options.Concurrency is 0: each asks its servers at most 8 record sets
// at a time per address.
const DefaultConcurrency = 16

// FirstPause is the pause after the first round, unless Interval is shorter.
const FirstPause = 250 * time.Millisecond

// FormatVersion is the version of the JSON report.
const FormatVersion = 1

// Report is the outcome of a verify, as `verify --format json` writes it.
type Report struct {
	FormatVersion int           `json:"format_version"`
	Zones         []*ZoneReport `json:"zones"`
	Summary       Summary       `json:"summary"`
	// TimedOut is true when some zone was still not in sync when the
	// timeout passed.
	TimedOut  bool    `json:"timed_out"`
	ElapsedMS float64 `json:"elapsed_ms"`
}

// Summary counts the server addresses by state, over every zone.
type Summary struct {
	Zones       int `json:"zones"`
	Servers     int `json:"servers"`
	InSync      int `json:"in_sync"`
	Behind      int `json:"behind"`
	WrongAnswer int `json:"wrong_answer"`
	Unreachable int `json:"unreachable"`
	Lame        int `json:"lame"`
	// Errors counts the zones whose servers could not be found.
	Errors int `json:"errors"`
}

// ZoneReport is one zone's outcome.
type ZoneReport struct {
	Zone string `json:"zone"`
	// NSFrom is where the servers came from: "apex" or "parent".
	NSFrom string `json:"ns_from"`
	// Serial is the serial every server was expected to have, and
	// SerialFrom where that came from: "provider" (the apply's) or
	// "highest seen" among the servers. 0 and "" when no server answered.
	Serial     uint32 `json:"expected_serial"`
	SerialFrom string `json:"expected_serial_from,omitempty"`
	// Checked is how many record sets were compared at each server.
	Checked int `json:"record_sets_checked"`
	// Rounds is how many times the servers were asked.
	Rounds  int       `json:"rounds"`
	Servers []*Server `json:"servers"`
	// Error is why the zone's servers could not be found or asked.
	Error string `json:"error,omitempty"`
}

// Server is one address of one of the zone's servers.
type Server struct {
	// Name is the server's NS name, absolute.
	Name string `json:"server"`
	// Address is the IP address asked; empty when the name has none.
	Address string `json:"address,omitempty"`
	// Serial is the SOA serial the address serves; nil when it gave none.
	Serial *uint32 `json:"serial,omitempty"`
	State  State   `json:"state"`
	// Detail says why the state is not in sync, in one line.
	Detail string `json:"detail,omitempty"`
	// Differences are the record sets it serves otherwise than the spec.
	Differences []Difference `json:"differences,omitempty"`
}

// Difference is one record set a server serves otherwise than the spec.
type Difference struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Want is the record set as the spec has it; nil when it must not
	// exist. Got is what the server answered; nil when it has none.
	Want *RRSet `json:"want"`
	Got  *RRSet `json:"got"`
}

// RRSet is a record set's TTL and values, in canonical form.
type RRSet struct {
	TTL    uint32   `json:"ttl"`
	Values []string `json:"values"`
}

// ExitCode is the exit code of `zonesync verify`: 0 when every address is
// in sync, 2 when some are only behind, 1 on any error, wrong answer,
// unreachable or lame server.
func (r *Report) ExitCode() int {
	s := r.Summary
	switch {
	case s.Errors > 0 || s.WrongAnswer > 0 || s.Unreachable > 0 || s.Lame > 0:
		return 1
	case s.Behind > 0:
		return 2
	}
	return 0
}

// Run verifies every zone, concurrently up to opt.Concurrency, and
// returns the report in the order of zones.
func Run(ctx context.Context, zones []Zone, opt Options) *Report {
	if opt.Clock == nil {
		opt.Clock = realClock{}
	}
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	if opt.QueryTimeout <= 0 {
		opt.QueryTimeout = 2 * time.Second
	}
	if opt.Port == 0 {
		opt.Port = 53
	}
	start := opt.Clock.Now()
	rep := &Report{FormatVersion: FormatVersion, Zones: make([]*ZoneReport, len(zones))}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	sem := make(chan struct{}, opt.Concurrency)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	timedOut := make([]bool, len(zones))
	for i, z := range zones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			v := &verifier{opt: opt, q: &querier{timeout: opt.QueryTimeout}}
			rep.Zones[i], timedOut[i] = v.zone(ctx, z, start)
			if opt.Progress != nil {
				mu.Lock()
				done++
				opt.Progress(done, len(zones))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep.TimedOut = slices.Contains(timedOut, true)
	rep.ElapsedMS = float64(opt.Clock.Now().Sub(start).Microseconds()) / 1000
	rep.summarize()
	return rep
}

func (r *Report) summarize() {
	s := Summary{Zones: len(r.Zones)}
	for _, z := range r.Zones {
		if z.Error != "" {
			s.Errors++
		}
		for _, srv := range z.Servers {
			s.Servers++
			switch srv.State {
			case InSync:
				s.InSync++
			case Behind:
				s.Behind++
			case WrongAnswer:
				s.WrongAnswer++
			case Unreachable:
				s.Unreachable++
			case Lame:
				s.Lame++
			}
		}
	}
	r.Summary = s
}

// verifier verifies one zone.
type verifier struct {
	opt Options
	q   *querier
}

// target is one address of one server, and how it stood last.
type target struct {
	srv *Server
	// serial is the serial it answered; ok says whether it answered one
	// and, unless it was behind the zone's known serial, every record set.
	serial uint32
	ok     bool
}

// zone polls one zone's servers until all are in sync or the deadline
// of the whole run passes. It reports whether it timed out.
func (v *verifier) zone(ctx context.Context, z Zone, start time.Time) (*ZoneReport, bool) {
	zr := &ZoneReport{Zone: z.Name, NSFrom: "apex", Checked: len(z.Checks), Servers: []*Server{}}
	if v.opt.FromParent {
		zr.NSFrom = "parent"
	}
	res := &resolver{addrs: v.opt.Resolvers, q: v.q}
	names, err := v.nameservers(ctx, res, z.Name)
	if err != nil {
		zr.Error = err.Error()
		return zr, false
	}
	deadline := start.Add(v.opt.Timeout)
	// Names that do not resolve are asked again each round: a new
	// server's address may still be on its way.
	unresolved := map[string]*Server{}
	for _, n := range names {
		unresolved[n] = nil
	}
	var targets []*target
	pause := min(v.opt.Interval, FirstPause)
	for {
		zr.Rounds++
		for _, n := range sortedKeys(unresolved) {
			addrs, err := res.addresses(ctx, n, v.opt.Family)
			if err != nil {
				unresolved[n] = &Server{Name: n, State: Unreachable, Detail: err.Error()}
				continue
			}
			delete(unresolved, n)
			for _, a := range addrs {
				targets = append(targets, &target{srv: &Server{Name: n, Address: a}})
			}
		}
		v.round(ctx, z, targets)
		zr.Serial, zr.SerialFrom = classify(z, targets)
		zr.Servers = zr.Servers[:0]
		done := len(unresolved) == 0
		for _, t := range targets {
			zr.Servers = append(zr.Servers, t.srv)
			done = done && t.srv.State == InSync
		}
		for _, s := range unresolved {
			zr.Servers = append(zr.Servers, s)
		}
		sortServers(zr.Servers)
		if done && len(zr.Servers) > 0 {
			return zr, false
		}
		now := v.opt.Clock.Now()
		if !now.Before(deadline) || ctx.Err() != nil {
			return zr, true
		}
		if err := v.opt.Clock.Sleep(ctx, min(pause, deadline.Sub(now))); err != nil {
			return zr, true
		}
		pause = min(2*pause, v.opt.Interval)
	}
}

// round asks every address that is not in sync, all at once.
func (v *verifier) round(ctx context.Context, z Zone, targets []*target) {
	var wg sync.WaitGroup
	for _, t := range targets {
		if t.srv.State == InSync {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			v.ask(ctx, z, t)
		}()
	}
	wg.Wait()
}

// ask asks one address for the serial and, unless it is behind a known
// serial, for every record set to check.
func (v *verifier) ask(ctx context.Context, z Zone, t *target) {
	addr := v.opt.serverAddr(t.srv.Address)
	s := t.srv
	s.Detail, s.Differences, s.Serial = "", nil, nil
	t.ok = false
	serial, state, detail := v.q.serial(ctx, addr, z.Name)
	if state != "" {
		s.State, s.Detail = state, detail
		return
	}
	t.serial = serial
	s.Serial = &t.serial
	// Behind the known serial, its record sets cannot be right yet.
	if z.Serial == 0 || !serialLess(serial, z.Serial) {
		diffs, state, detail := v.q.compare(ctx, addr, z)
		if state != "" {
			s.State, s.Detail = state, detail
			return
		}
		s.Differences = diffs
	}
	t.ok = true
}

// classify settles each answering address's state against the expected
// serial: the zone's known one, or the highest any address answered.
func classify(z Zone, targets []*target) (uint32, string) {
	expect, from, have := z.Serial, "provider", z.Serial != 0
	for _, t := range targets {
		if t.ok && (!have || serialLess(expect, t.serial)) {
			expect, from, have = t.serial, "highest seen", true
		}
	}
	if !have {
		return 0, ""
	}
	for _, t := range targets {
		s := t.srv
		if !t.ok {
			continue
		}
		switch {
		case serialLess(t.serial, expect):
			s.State = Behind
			s.Detail = fmt.Sprintf("serial %d, expected %d", t.serial, expect)
		case len(s.Differences) > 0:
			s.State = WrongAnswer
			s.Detail = differSummary(s.Differences)
		default:
			s.State, s.Detail = InSync, ""
		}
	}
	return expect, from
}

// differSummary is a wrong answer's one-line detail.
func differSummary(diffs []Difference) string {
	n := len(diffs)
	word := "record sets differ"
	if n == 1 {
		word = "record set differs"
	}
	s := fmt.Sprintf("%d %s from the spec:", n, word)
	for i, d := range diffs {
		if i == 3 {
			s += fmt.Sprintf(" and %d more", n-3)
			break
		}
		if i > 0 {
			s += ","
		}
		s += " " + d.Name + " " + d.Type
	}
	return s
}

// serialLess reports a < b in RFC 1982 serial number arithmetic.
func serialLess(a, b uint32) bool {
	return a != b && (b-a) < 1<<31
}

func sortedKeys(m map[string]*Server) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// sortServers orders the rows by name, then address: IPv4 before IPv6,
// each in numeric order, a name without address first.
func sortServers(s []*Server) {
	slices.SortStableFunc(s, func(a, b *Server) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		x, errX := netip.ParseAddr(a.Address)
		y, errY := netip.ParseAddr(b.Address)
		if errX != nil || errY != nil {
			return strings.Compare(a.Address, b.Address)
		}
		return x.Compare(y)
	})
}

// errNoResolver is the error when no resolver was given or found.
var errNoResolver = errors.New("no resolver to find the servers with: give --resolver host:port")
