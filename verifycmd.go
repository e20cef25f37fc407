package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/zonesync/zonesync/apply"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/verify"
)

// Defaults of verify's poll, for `zonesync verify` and `apply --verify`.
const (
	defaultVerifyTimeout  = 2 * time.Minute
	defaultVerifyInterval = verify.DefaultInterval
)

// verifyFlags are the flags that say how verify finds and asks the
// servers; apply has them with the prefix "verify-".
func verifyFlags(prefix string) []cli.Flag {
	return []cli.Flag{
		&cli.DurationFlag{Name: prefix + "timeout", Value: defaultVerifyTimeout, Usage: "wait at most `DURATION` for every server to be in sync (0: ask once)"},
		&cli.DurationFlag{Name: prefix + "interval", Value: defaultVerifyInterval, Usage: "ask the servers that are not in sync again, at most `DURATION` apart (the pauses start at 0.25s and double)"},
		&cli.BoolFlag{Name: prefix + "from-parent", Usage: "take the servers from the zone's delegation at its parent, not from its own apex NS set", DisableDefaultText: true},
		&cli.StringSliceFlag{Name: prefix + "resolver", Usage: "the recursive resolver `HOST:PORT` that finds the servers and their addresses; repeat for fallbacks (default: the nameservers of /etc/resolv.conf)"},
		&cli.StringFlag{Name: prefix + "family", Value: "both", Usage: "ask the servers' `FAMILY` addresses: ipv4, ipv6 or both (GitHub-hosted runners have no IPv6)"},
		&cli.IntFlag{Name: prefix + "dns-port", Value: 53, Usage: "ask the authoritative servers on `PORT` (for test setups)"},
	}
}

// verifyOptions reads the verify flags with prefix.
func verifyOptions(c *cli.Context, prefix string) (verify.Options, error) {
	opt := verify.Options{
		Timeout:    c.Duration(prefix + "timeout"),
		Interval:   c.Duration(prefix + "interval"),
		FromParent: c.Bool(prefix + "from-parent"),
		Port:       c.Int(prefix + "dns-port"),
	}
	if opt.Timeout < 0 {
		return opt, fmt.Errorf("--%stimeout must not be negative, got %s", prefix, opt.Timeout)
	}
	if opt.Interval <= 0 {
		return opt, fmt.Errorf("--%sinterval must be more than 0, got %s", prefix, opt.Interval)
	}
	if opt.Port < 1 || opt.Port > 65535 {
		return opt, fmt.Errorf("--%sdns-port must be a port from 1 to 65535, got %d", prefix, opt.Port)
	}
	family, err := verify.ParseFamily(c.String(prefix + "family"))
	if err != nil {
		return opt, fmt.Errorf("--%sfamily must be ipv4, ipv6 or both, not %q", prefix, c.String(prefix+"family"))
	}
	opt.Family = family
	for _, v := range c.StringSlice(prefix + "resolver") {
		for _, r := range strings.Split(v, ",") {
			addr, err := verify.ResolverAddress(strings.TrimSpace(r))
			if err != nil {
				return opt, fmt.Errorf("--%s%s", prefix, strings.TrimPrefix(err.Error(), "--"))
			}
			opt.Resolvers = append(opt.Resolvers, addr)
		}
	}
	if len(opt.Resolvers) == 0 {
		if opt.Resolvers, err = verify.SystemResolvers(); err != nil {
			return opt, fmt.Errorf("%s (--%sresolver)", err, prefix)
		}
	}
	return opt, nil
}

// verifyCmd is `zonesync verify`.
func (e *env) verifyCmd(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "markdown" && format != "json" {
		return fmt.Errorf("--format must be text, markdown or json, not %q", format)
	}
	if c.NArg() > 0 {
		return fmt.Errorf("verify takes no arguments, got %q; a saved plan is --plan FILE", c.Args().First())
	}
	patterns, err := zonePatterns(c)
	if err != nil {
		return err
	}
	opt, err := verifyOptions(c, "")
	if err != nil {
		return err
	}
	var saved *plan.Plan
	if file := c.String("plan"); file != "" {
		if saved, err = readPlan(file); err != nil {
			return err
		}
	}
	cfg, set, err := e.load(c)
	if err != nil {
		return err
	}
	desired, err := apply.LoadSpecs(cfg, set)
	if err != nil {
		return err
	}
	zones, err := verifyTargets(desired, saved, patterns, c.Bool("all"))
	if err != nil {
		return err
	}
	prog := e.progress(c, "verifying zones")
	opt.Progress = prog.update
	rep := verify.Run(e.context(c), zones, opt)
	prog.done()
	var werr error
	switch format {
	case "json":
		werr = verify.WriteJSON(e.stdout, rep)
	case "markdown":
		werr = verify.WriteMarkdown(e.stdout, rep, verify.MarkdownOptions{Marker: markerName(cfg)})
	default:
		werr = verify.WriteText(e.stdout, rep)
	}
	if werr != nil {
		return werr
	}
	if code := rep.ExitCode(); code != exitOK {
		return exitCode(code)
	}
	return nil
}

// verifyTargets are the zones verify checks: every spec selected, or
// the zones a saved plan changes; each with the record sets the plan
// changes, or all of them (all, or no plan).
func verifyTargets(desired []*model.Zone, saved *plan.Plan, patterns []string, all bool) ([]verify.Zone, error) {
	selects := func(zone string) bool {
		if len(patterns) == 0 {
			return true
		}
		return slices.ContainsFunc(patterns, func(p string) bool { ok, _ := path.Match(p, zone); return ok })
	}
	byName := map[string]*model.Zone{}
	var names []string
	for _, z := range desired {
		if byName[z.Name] == nil {
			byName[z.Name] = z
			names = append(names, z.Name)
		}
	}
	sort.Strings(names)
	var unmatched []string
	for _, p := range patterns {
		if !slices.ContainsFunc(names, func(n string) bool { ok, _ := path.Match(p, n); return ok }) {
			unmatched = append(unmatched, p)
		}
	}
	if len(unmatched) > 0 {
		return nil, fmt.Errorf("no zone spec matches %s; the specs declare %s", strings.Join(unmatched, ", "), strings.Join(names, ", "))
	}
	var out []verify.Zone
	if saved == nil {
		for _, n := range names {
			if selects(n) {
				out = append(out, verify.Zone{Name: n, Checks: verify.AllChecks(byName[n])})
			}
		}
		return mergeTargets(out, desired), nil
	}
	for _, zp := range saved.Zones {
		if !selects(zp.Zone) || len(zp.Operations) == 0 {
			continue
		}
		z, ok := targetOf(desired, zp.Zone, zp.Provider)
		if !ok {
			return nil, fmt.Errorf("the plan covers zone %s, which no spec declares any more", zp.Zone)
		}
		checks := verify.PlanChecks(zp, z)
		if all {
			checks = verify.AllChecks(z)
		}
		out = append(out, verify.Zone{Name: zp.Zone, Checks: checks})
	}
	return mergeTargets(out, desired), nil
}

// appliedZones are the zones an apply changed, to verify: each zone with
// an operation that ended ok, checking the record sets those changed, and
// expecting at least the serial the provider last reported for it.
func appliedZones(prep *apply.Prepared, rep *apply.Report) []verify.Zone {
	var out []verify.Zone
	for i, zp := range prep.Plan.Zones {
		var zr *apply.ZoneReport
		for _, r := range rep.Zones {
			if r.Zone == zp.Zone && r.Provider == zp.Provider {
				zr = r
			}
		}
		if zr == nil {
			continue
		}
		done := &plan.ZonePlan{Zone: zp.Zone}
		for k, op := range zp.Operations {
			if k < len(zr.Results) && zr.Results[k].Status == apply.OK {
				done.Operations = append(done.Operations, op)
			}
		}
		if len(done.Operations) == 0 {
			continue
		}
		// No serial: the live zone is the one read before the apply (a
		// provider's Apply leaves it alone), so the serial expected is the
		// highest any server answers.
		out = append(out, verify.Zone{Name: zp.Zone, Checks: verify.PlanChecks(done, prep.Desired[i])})
	}
	// The targets the saved plan does not apply count among the zone's
	// targets.
	return mergeTargets(out, append(slices.Clone(prep.Desired), prep.OtherTargets...))
}

// applyVerifyOptions reads apply's --verify and its flags; on is false
// without --verify, when giving any of them is an error.
func applyVerifyOptions(c *cli.Context) (opt verify.Options, on bool, err error) {
	if !c.Bool("verify") {
		for _, f := range verifyFlags("verify-") {
			if name := f.Names()[0]; c.IsSet(name) {
				return opt, false, fmt.Errorf("--%s is for --verify; add --verify, or leave it out", name)
			}
		}
		return opt, false, nil
	}
	opt, err = verifyOptions(c, "verify-")
	return opt, err == nil, err
}

// runVerify verifies the zones an apply changed.
func (e *env) runVerify(c *cli.Context, zones []verify.Zone, opt verify.Options) *verify.Report {
	prog := e.progress(c, "verifying zones")
	opt.Progress = prog.update
	rep := verify.Run(e.context(c), zones, opt)
	prog.done()
	return rep
}

// applyJSON is apply's JSON report with verify's beside it, as
// `apply --verify --format json` writes it.
type applyJSON struct {
	*apply.Report
	Verify *verify.Report `json:"verify,omitempty"`
}

// writeApplyJSON writes apply's report, and verify's when it ran.
func writeApplyJSON(w io.Writer, rep *apply.Report, vrep *verify.Report) error {
	if vrep == nil {
		return rep.WriteJSON(w)
	}
	// WriteJSON writes empty lists as [], not null; it sets them so.
	if err := rep.WriteJSON(io.Discard); err != nil {
		return err
	}
	if vrep.Zones == nil {
		vrep.Zones = []*verify.ZoneReport{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(applyJSON{Report: rep, Verify: vrep})
}

// verifyExit turns verify's outcome into apply's error: nil in sync,
// exit 2 when servers are only behind, exit 1 otherwise.
func verifyExit(vrep *verify.Report) error {
	if vrep == nil {
		return nil
	}
	switch code := vrep.ExitCode(); code {
	case exitOK:
		return nil
	case exitChanges:
		return exitCode(exitChanges)
	default:
		return exitCode(exitError)
	}
}
