package verify

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// fakeClock runs the poll without waiting: each Sleep moves the time on
// and first calls onSleep, if set, with the number of the sleep.
type fakeClock struct {
	now     time.Time
	sleeps  int
	pauses  []time.Duration
	onSleep func(n int)
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.sleeps++
	c.pauses = append(c.pauses, d)
	if c.onSleep != nil {
		c.onSleep(c.sleeps)
	}
	c.now = c.now.Add(d)
	return nil
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }

// want is a desired record set.
func want(t *testing.T, name, rrtype string, ttl uint32, values ...string) Check {
	t.Helper()
	rs, err := model.NewRecordSet(name, rrtype, ttl, values...)
	require.NoError(t, err)
	return Check{Name: name, Type: rrtype, Want: rs}
}

// absent is a record set that must not exist.
func absent(name, rrtype string) Check { return Check{Name: name, Type: rrtype} }

// row is a server address as a test expects it.
type row struct {
	name, address string
	state         State
	serial        uint32 // 0: none expected
}

func rows(z *ZoneReport) []row {
	var out []row
	for _, s := range z.Servers {
		r := row{name: s.Name, address: s.Address, state: s.State}
		if s.Serial != nil {
			r.serial = *s.Serial
		}
		out = append(out, r)
	}
	return out
}

// secondaryRows are ns2.test.'s rows: its IPv4 and IPv6 addresses.
func (top *topology) secondaryRows(state State, serial uint32) []row {
	return []row{{"ns2.test.", secondaryIP, state, serial}, {"ns2.test.", secondaryIP6, state, serial}}
}

func TestInSyncOnceNotified(t *testing.T) {
	top := servers(t)
	serial := top.update(t, "fed.test", func(m *dns.Msg) {
		m.RemoveRRset([]dns.RR{rr(t, "www.fed.test. 0 IN A 0.0.0.0")})
		m.Insert([]dns.RR{rr(t, "www.fed.test. 300 IN A 192.0.2.2"), rr(t, "www.fed.test. 300 IN A 192.0.2.3"), rr(t, "new.fed.test. 600 IN TXT \"hello world\"")})
	})
	checks := []Check{
		want(t, "www", "A", 300, "192.0.2.3", "192.0.2.2"),
		want(t, "new", "TXT", 600, "hello world"),
		want(t, "big", "TXT", 3600, bigTXT...),
		// Below the delegation of sub: the referral's NS set and glue.
		want(t, "sub", "NS", 3600, "ns1.sub.fed.test."),
		want(t, "ns1.sub", "A", 3600, "192.0.2.53"),
		absent("gone", "A"),
	}
	for _, fromParent := range []bool{false, true} {
		opt := top.options()
		opt.FromParent, opt.Timeout = fromParent, time.Minute
		rep := Run(context.Background(), []Zone{{Name: "fed.test", Checks: checks, Serial: serial}}, opt)
		z := rep.Zones[0]
		require.Empty(t, z.Error)
		assert.Equal(t, append([]row{{"ns1.test.", primaryIP, InSync, serial}}, top.secondaryRows(InSync, serial)...), rows(z), "from parent: %v", fromParent)
		assert.Equal(t, 0, rep.ExitCode())
		assert.False(t, rep.TimedOut)
		assert.Equal(t, map[bool]string{false: "apex", true: "parent"}[fromParent], z.NSFrom)
		assert.Equal(t, serial, z.Serial)
		assert.Equal(t, "provider", z.SerialFrom)
		assert.Equal(t, 6, z.Checked)
	}
}

// heldRuns counts the runs of TestBehindUntilNotified in this process.
var heldRuns atomic.Int32

func TestBehindUntilNotified(t *testing.T) {
	top := servers(t)
	old := top.serialAt(t, secondaryIP, "held.test")
	// A new address on every run: the servers outlive a run of -count=2,
	// and the same update again would change nothing.
	run := heldRuns.Add(1)
	addr := fmt.Sprintf("192.0.2.%d", 24+run)
	serial := top.update(t, "held.test", func(m *dns.Msg) {
		m.RemoveRRset([]dns.RR{rr(t, "mail.held.test. 0 IN A 0.0.0.0")})
		m.Insert([]dns.RR{rr(t, "mail.held.test. 300 IN A "+addr)})
	})
	require.NotEqual(t, old, serial)
	checks := []Check{want(t, "mail", "A", 300, addr)}

	// No NOTIFY reaches the secondary: at the timeout it is behind, with
	// its serial. The serial expected is the highest seen (unknown here).
	clock := newFakeClock()
	opt := top.options()
	opt.Timeout, opt.Interval, opt.Clock = 3*time.Second, time.Second, clock
	rep := Run(context.Background(), []Zone{{Name: "held.test", Checks: checks}}, opt)
	z := rep.Zones[0]
	require.Empty(t, z.Error)
	assert.Equal(t, append([]row{{"ns1.test.", primaryIP, InSync, serial}}, top.secondaryRows(Behind, old)...), rows(z))
	assert.Equal(t, serial, z.Serial)
	assert.Equal(t, "highest seen", z.SerialFrom)
	ms := time.Millisecond
	assert.Equal(t, []time.Duration{250 * ms, 500 * ms, time.Second, time.Second, 250 * ms}, clock.pauses,
		"the pauses double up to the interval; the last one ends at the timeout")
	assert.Equal(t, 6, z.Rounds, "asked at 0s, 0.25s, 0.75s, 1.75s, 2.75s and 3s")
	behind := z.Servers[len(z.Servers)-1]
	assert.Contains(t, behind.Detail, "expected")
	require.Len(t, behind.Differences, 1)
	want := Difference{Name: "mail", Type: "A", Want: &RRSet{TTL: 300, Values: []string{addr}}}
	if run > 1 {
		// A later run: the secondary holds the last run's address.
		want.Got = &RRSet{TTL: 300, Values: []string{fmt.Sprintf("192.0.2.%d", 23+run)}}
	}
	assert.Equal(t, want, behind.Differences[0])
	assert.True(t, rep.TimedOut)
	assert.Equal(t, 2, rep.ExitCode())

	// Told of the change while verify waits, it transfers the zone: the
	// next round finds it in sync. Here the serial is known, as after an
	// apply.
	clock = newFakeClock()
	clock.onSleep = func(n int) {
		if n == 1 {
			assert.NoError(t, top.notify("held.test"))
			assert.NoError(t, top.secondary.WaitSerial("held.test", serial))
		}
	}
	opt.Timeout, opt.Clock = time.Minute, clock
	rep = Run(context.Background(), []Zone{{Name: "held.test", Checks: checks, Serial: serial}}, opt)
	z = rep.Zones[0]
	assert.Equal(t, append([]row{{"ns1.test.", primaryIP, InSync, serial}}, top.secondaryRows(InSync, serial)...), rows(z))
	assert.Equal(t, "provider", z.SerialFrom)
	assert.Equal(t, 2, z.Rounds)
	assert.Equal(t, 0, rep.ExitCode())
	assert.False(t, rep.TimedOut)
}

func TestBrokenServers(t *testing.T) {
	top := servers(t)
	opt := top.options()
	opt.Clock = newFakeClock()
	rep := Run(context.Background(), []Zone{{Name: "broken.test", Checks: []Check{want(t, "www", "A", 300, "192.0.2.101")}}}, opt)
	z := rep.Zones[0]
	require.Empty(t, z.Error)
	byName := map[string]*Server{}
	for _, s := range z.Servers {
		byName[s.Name+" "+s.Address] = s
	}
	assert.Equal(t, InSync, byName["ns1.test. "+primaryIP].State)
	missing := byName["ns-missing.test. "]
	require.NotNil(t, missing, "%v", rows(z))
	assert.Equal(t, Unreachable, missing.State)
	assert.Equal(t, "ns-missing.test. does not resolve (NXDOMAIN)", missing.Detail)
	dead := byName["ns-dead.test. "+deadIP]
	require.NotNil(t, dead)
	assert.Equal(t, Unreachable, dead.State)
	assert.Equal(t, "connection refused", dead.Detail)
	for _, s := range z.Servers {
		if s.Name == "ns2.test." {
			assert.Equal(t, Lame, s.State, s.Address)
		}
	}
	refused := byName["ns2.test. "+secondaryIP]
	require.NotNil(t, refused)
	assert.Equal(t, Lame, refused.State)
	assert.Equal(t, "answers REFUSED for broken.test: it does not serve the zone", refused.Detail)
	assert.Nil(t, refused.Serial)
	assert.Equal(t, 1, rep.ExitCode())
	assert.Equal(t, Summary{Zones: 1, Servers: len(z.Servers), InSync: 1, Unreachable: 2, Lame: len(z.Servers) - 3}, rep.Summary)
	assert.Equal(t, 1, z.Rounds, "a timeout of 0 asks once")
}

func TestWrongAnswers(t *testing.T) {
	top := servers(t)
	opt := top.options()
	opt.Clock = newFakeClock()
	checks := []Check{
		want(t, "ns1.sub", "A", 3600, "192.0.2.9"),    // another value
		want(t, "sub", "NS", 60, "ns1.sub.fed.test."), // another TTL
		absent("old", "TXT"),                          // still there
		want(t, "nothere", "AAAA", 300, "2001:db8::1"),
		want(t, "@", "NS", 3600, "ns1.test.", "ns2.test."), // as the spec has it
	}
	serial := top.serialAt(t, primaryIP, "fed.test")
	rep := Run(context.Background(), []Zone{{Name: "fed.test", Checks: checks}}, opt)
	z := rep.Zones[0]
	require.Empty(t, z.Error)
	assert.Equal(t, append([]row{{"ns1.test.", primaryIP, WrongAnswer, serial}}, top.secondaryRows(WrongAnswer, serial)...), rows(z))
	ns1 := z.Servers[0]
	var got []string
	for _, d := range ns1.Differences {
		got = append(got, d.String())
	}
	assert.Equal(t, []string{
		`ns1.sub A: ttl 3600 192.0.2.53; the spec has ttl 3600 192.0.2.9`,
		`sub NS: ttl 3600 ns1.sub.fed.test.; the spec has ttl 60 ns1.sub.fed.test.`,
		`old TXT: ttl 3600 "still here"; the spec has none`,
		`nothere AAAA: none; the spec has ttl 300 2001:db8::1`,
	}, got)
	assert.Equal(t, "4 record sets differ from the spec: ns1.sub A, sub NS, old TXT and 1 more", ns1.Detail)
	assert.Equal(t, 1, rep.ExitCode())
}

func TestFamilies(t *testing.T) {
	top := servers(t)
	for _, tc := range []struct {
		family Family
		want   []row
	}{
		{IPv4, []row{{"ns1.test.", primaryIP, InSync, 0}, {"ns2.test.", secondaryIP, InSync, 0}}},
		{IPv6, []row{{"ns1.test.", "", Unreachable, 0}, {"ns2.test.", secondaryIP6, InSync, 0}}},
	} {
		opt := top.options()
		opt.Family, opt.Clock = tc.family, newFakeClock()
		rep := Run(context.Background(), []Zone{{Name: "fed.test"}}, opt)
		got := rows(rep.Zones[0])
		for i := range got {
			got[i].serial = 0
		}
		assert.Equal(t, tc.want, got, "family %s", tc.family)
		if tc.family == IPv6 {
			assert.Equal(t, "ns1.test. has no IPv6 address (AAAA record); its IPv4 addresses were not asked (--family ipv6)", rep.Zones[0].Servers[0].Detail)
		}
	}
}

func TestZoneNotFound(t *testing.T) {
	top := servers(t)
	for _, fromParent := range []bool{false, true} {
		opt := top.options()
		opt.FromParent, opt.Clock = fromParent, newFakeClock()
		rep := Run(context.Background(), []Zone{{Name: "nowhere.test"}}, opt)
		assert.Contains(t, rep.Zones[0].Error, "nowhere.test", "from parent: %v", fromParent)
		assert.Empty(t, rep.Zones[0].Servers)
		assert.Equal(t, 1, rep.ExitCode())
	}
	opt := top.options()
	opt.Clock = newFakeClock()
	var progress [][2]int
	opt.Progress = func(done, total int) { progress = append(progress, [2]int{done, total}) }
	rep := Run(context.Background(), []Zone{{Name: "nowhere.test"}, {Name: "elsewhere.test"}}, opt)
	assert.Equal(t, "zone nowhere.test is not in the DNS: the resolver answers NXDOMAIN (is it delegated yet?)", rep.Zones[0].Error)
	assert.Equal(t, "elsewhere.test", rep.Zones[1].Zone, "zones are reported in the order given")
	assert.Equal(t, [][2]int{{1, 2}, {2, 2}}, progress)
}

func TestSerialArithmetic(t *testing.T) {
	for _, tc := range []struct {
		a, b uint32
		less bool
	}{
		{1, 2, true}, {2, 1, false}, {5, 5, false},
		{0xFFFFFFFF, 0, true}, {0, 0xFFFFFFFF, false}, // wrapping
		{1, 1 << 31, true}, {1 << 31, 1, false},
	} {
		assert.Equal(t, tc.less, serialLess(tc.a, tc.b), "%d < %d", tc.a, tc.b)
	}
}

func TestDiffer(t *testing.T) {
	c := want(t, "www", "A", 300, "192.0.2.1", "192.0.2.2")
	assert.Nil(t, differ(c, &RRSet{TTL: 300, Values: []string{"192.0.2.1", "192.0.2.2"}}))
	assert.NotNil(t, differ(c, &RRSet{TTL: 301, Values: []string{"192.0.2.1", "192.0.2.2"}}), "TTL differs")
	assert.NotNil(t, differ(c, &RRSet{TTL: 300, Values: []string{"192.0.2.1"}}), "a value missing")
	assert.NotNil(t, differ(c, nil), "missing")
	assert.Nil(t, differ(absent("www", "A"), nil))
	assert.NotNil(t, differ(absent("www", "A"), &RRSet{TTL: 300, Values: []string{"192.0.2.1"}}))
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		s    Summary
		code int
	}{
		{Summary{Zones: 1, Servers: 2, InSync: 2}, 0},
		{Summary{Zones: 1, Servers: 2, InSync: 1, Behind: 1}, 2},
		{Summary{Zones: 1, Servers: 2, Behind: 1, WrongAnswer: 1}, 1},
		{Summary{Zones: 1, Servers: 2, Behind: 1, Unreachable: 1}, 1},
		{Summary{Zones: 1, Servers: 2, InSync: 1, Lame: 1}, 1},
		{Summary{Zones: 2, Servers: 2, InSync: 2, Errors: 1}, 1},
		{Summary{}, 0},
	} {
		assert.Equal(t, tc.code, (&Report{Summary: tc.s}).ExitCode(), "%+v", tc.s)
	}
}

func TestParseOptions(t *testing.T) {
	for in, want := range map[string]Family{"": BothFamilies, "both": BothFamilies, "ipv4": IPv4, "4": IPv4, "ipv6": IPv6, "6": IPv6} {
		f, err := ParseFamily(in)
		require.NoError(t, err)
		assert.Equal(t, want, f)
	}
	_, err := ParseFamily("ip5")
	assert.EqualError(t, err, `--family must be ipv4, ipv6 or both, not "ip5"`)

	for in, want := range map[string]string{"127.0.0.53:53": "127.0.0.53:53", "192.0.2.1": "192.0.2.1:53", "[::1]:5353": "[::1]:5353", "::1": "[::1]:53", "dns.example:53": "dns.example:53"} {
		got, err := ResolverAddress(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
	for _, in := range []string{"", ":53", "127.0.0.1:", "a b"} {
		_, err := ResolverAddress(in)
		assert.Error(t, err, in)
	}
}

func TestResolversFrom(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/resolv.conf"
	require.NoError(t, os.WriteFile(file, []byte("# comment\nnameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch example.com\n"), 0o644))
	got, err := resolversFrom(file)
	require.NoError(t, err)
	assert.Equal(t, []string{"192.0.2.53:53", "[2001:db8::53]:53"}, got)

	require.NoError(t, os.WriteFile(file, []byte("search example.com\n"), 0o644))
	_, err = resolversFrom(file)
	assert.EqualError(t, err, file+" names no nameserver; give --resolver host:port")
	_, err = resolversFrom(dir + "/none")
	assert.ErrorContains(t, err, "give --resolver host:port")
}
