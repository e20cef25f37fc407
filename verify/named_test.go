package verify

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/namedtest"
	"github.com/zonesync/zonesync/internal/testproc"
)

// The tests ask three real BIND servers, started once per test binary,
// each on 127.0.0.1 and a port of its own. In the DNS they have addresses
// of the documentation ranges, which the tests route to those ports:
//
//	192.0.2.10               ns.test., the parent zone test. with the
//	                         delegations and the servers' addresses; the
//	                         tests' resolver
//	192.0.2.1                ns1.test., the primary of fed.test, held.test
//	                         and broken.test
//	192.0.2.2, 2001:db8::2   ns2.test., the secondary of fed.test and
//	                         held.test, fed by AXFR; the primary NOTIFYs it
//	                         of fed.test's changes only
//
// broken.test's NS set also names ns-missing.test. (no address),
// ns-dead.test. (192.0.2.5, where nothing listens) and ns2.test., which
// does not serve it and answers REFUSED.
const (
	parentIP     = "192.0.2.10"
	primaryIP    = "192.0.2.1"
	secondaryIP  = "192.0.2.2"
	secondaryIP6 = "2001:db8::2"
	deadIP       = "192.0.2.5"
)

type topology struct {
	parent, primary, secondary *namedtest.Server
	// routes map the servers' addresses in the DNS to where they listen.
	routes map[string]string
}

var world struct {
	once sync.Once
	top  *topology
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if t := world.top; t != nil {
		for _, s := range []*namedtest.Server{t.secondary, t.primary, t.parent} {
			if s != nil {
				s.Stop()
			}
		}
	}
	os.Exit(code)
}

// servers returns the shared servers, starting them on first use.
func servers(t *testing.T) *topology {
	t.Helper()
	bin := namedtest.Require(t)
	world.once.Do(func() { world.top, world.err = startTopology(bin) })
	require.NoError(t, world.err, "start the test servers")
	return world.top
}

// A big TXT set: its answer does not fit 1232 bytes of UDP and comes
// truncated, so it is only read whole over TCP.
var bigTXT = func() []string {
	var out []string
	for i := range 20 {
		out = append(out, fmt.Sprintf("%02d-%s", i, strings.Repeat("x", 100)))
	}
	return out
}()

func startTopology(bin string) (*topology, error) {
	top := &topology{routes: map[string]string{}}
	var ports [4]int // parent, primary, secondary, dead
	for i := range ports {
		p, err := testproc.FreePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	at := func(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }
	top.routes[parentIP] = at(ports[0])
	top.routes[primaryIP] = at(ports[1])
	top.routes[secondaryIP] = at(ports[2])
	top.routes[secondaryIP6] = at(ports[2])
	top.routes[deadIP] = at(ports[3])
	soa := func(zone string) string {
		return fmt.Sprintf("$TTL 3600\n$ORIGIN %s.\n@ SOA ns1.test. hostmaster.%s. 1 86400 3600 1209600 300\n", zone, zone)
	}
	parent := soa("test") + "@ NS ns.test.\nns A " + parentIP + "\nns1 A " + primaryIP + "\nns2 A " + secondaryIP + "\nns2 AAAA " + secondaryIP6 +
		"\nns-dead A " + deadIP + "\n" +
		"fed NS ns1\nfed NS ns2\nheld NS ns1\nheld NS ns2\n" +
		"broken NS ns1\nbroken NS ns2\nbroken NS ns-missing\nbroken NS ns-dead\n"
	relaxed := "check-names ignore; check-integrity no;"
	var err error
	if top.parent, err = namedtest.Start(bin, namedtest.Config{Port: ports[0],
		Zones: []namedtest.Zone{{Name: "test", Data: parent, Statements: relaxed}}}); err != nil {
		return nil, err
	}
	fed := soa("fed.test") + "@ NS ns1.test.\n@ NS ns2.test.\nwww 300 A 192.0.2.101\nsub NS ns1.sub\nns1.sub A 192.0.2.53\nold TXT \"still here\"\n"
	for _, v := range bigTXT {
		fed += fmt.Sprintf("big TXT %q\n", v)
	}
	held := soa("held.test") + "@ NS ns1.test.\n@ NS ns2.test.\nwww 300 A 192.0.2.101\n"
	broken := soa("broken.test") + "@ NS ns1.test.\n@ NS ns2.test.\n@ NS ns-missing.test.\n@ NS ns-dead.test.\nwww 300 A 192.0.2.101\n"
	primaryACL := relaxed + " allow-transfer { any; }; allow-update { 127.0.0.1; };"
	if top.primary, err = namedtest.Start(bin, namedtest.Config{Port: ports[1], Options: "notify-delay 0;",
		Zones: []namedtest.Zone{
			{Name: "fed.test", Data: fed, Statements: primaryACL + fmt.Sprintf(" notify explicit; also-notify { 127.0.0.1 port %d; };", ports[2])},
			{Name: "held.test", Data: held, Statements: primaryACL + " notify no;"},
			{Name: "broken.test", Data: broken, Statements: primaryACL + " notify no;"},
		}}); err != nil {
		return nil, err
	}
	// The secondary refreshes only when notified: its refresh timer is
	// a day, so a zone it was not told about stays behind.
	secondary := fmt.Sprintf("check-names ignore; primaries { 127.0.0.1 port %d; }; allow-notify { any; };", ports[1])
	if top.secondary, err = namedtest.Start(bin, namedtest.Config{Port: ports[2],
		Options: "min-refresh-time 86400; max-refresh-time 86400; min-retry-time 86400; max-retry-time 86400;",
		Zones: []namedtest.Zone{
			{Name: "fed.test", Type: "secondary", Statements: secondary},
			{Name: "held.test", Type: "secondary", Statements: secondary},
		}}); err != nil {
		return nil, err
	}
	for _, z := range []string{"fed.test", "held.test"} {
		if err := top.secondary.WaitSerial(z, 1); err != nil {
			return nil, err
		}
	}
	return top, nil
}

// options are verify's options for the test servers.
func (top *topology) options() Options {
	return Options{Resolvers: []string{top.routes[parentIP]}, QueryTimeout: 2 * time.Second, Interval: 50 * time.Millisecond,
		route: func(ip string) string {
			if to, ok := top.routes[ip]; ok {
				return to
			}
			panic("the test servers have no address " + ip)
		}}
}

// update changes a zone at the primary; named moves its serial on.
func (top *topology) update(t *testing.T, zone string, build func(m *dns.Msg)) uint32 {
	t.Helper()
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	build(m)
	c := &dns.Client{Net: "tcp", Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, top.routes[primaryIP])
	require.NoError(t, err)
	require.Equal(t, dns.RcodeSuccess, r.Rcode, "update of %s: %s", zone, dns.RcodeToString[r.Rcode])
	return top.serialAt(t, primaryIP, zone)
}

// serialAt is the serial an address serves for zone.
func (top *topology) serialAt(t *testing.T, ip, zone string) uint32 {
	t.Helper()
	q := new(querier)
	q.timeout = 2 * time.Second
	serial, state, detail := q.serial(context.Background(), top.routes[ip], zone)
	require.Empty(t, state, detail)
	return serial
}

// notify tells the secondary that zone changed, as the primary would.
// It runs inside the poll, off the test's goroutine: it returns its error.
func (top *topology) notify(zone string) error {
	m := new(dns.Msg)
	m.SetNotify(dns.Fqdn(zone))
	c := &dns.Client{Net: "udp", Timeout: 2 * time.Second}
	r, _, err := c.Exchange(m, top.routes[secondaryIP])
	if err != nil {
		return err
	}
	if r.Rcode != dns.RcodeSuccess {
		return fmt.Errorf("NOTIFY %s: %s", zone, dns.RcodeToString[r.Rcode])
	}
	return nil
}

func rr(t *testing.T, s string) dns.RR {
	t.Helper()
	r, err := dns.NewRR(s)
	require.NoError(t, err)
	return r
}
