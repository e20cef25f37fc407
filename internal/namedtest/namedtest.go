// Package namedtest runs BIND 9's named for tests: a real authoritative
// server on loopback addresses and a free port, with a fresh directory,
// serving the zones and keys a test gives it.
//
// A test that needs named calls Require: it skips where named is not
// installed, and fails under CI=true, where .ci/run installs it.
package namedtest

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/testproc"
)

// Binary returns the path of named, or "" when it is not installed.
func Binary() string {
	if p, err := exec.LookPath("named"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/named", "/usr/local/sbin/named"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Require returns named's path. Where named is not installed the test is
// skipped, unless CI=true, where it fails.
func Require(t testing.TB) string {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("named not installed; .ci/run must install bind9")
		}
		t.Skip("named (BIND 9) is not installed: apt-get install bind9 to run the tests against a real server")
	}
	return bin
}

// Config is what a server listens on and serves.
type Config struct {
	// Addresses are the addresses to listen on, IPv4 or IPv6; none means
	// 127.0.0.1. named listens only on addresses of the host's
	// interfaces: 127.0.0.2 is not one on a usual Linux host, although
	// all of 127.0.0.0/8 reaches lo. Servers side by side take a port each.
	Addresses []string
	// Port is the port on every address; 0 picks one free on all of them.
	Port int
	// Options are more statements for the options block, such as
	// "notify-delay 0;".
	Options string
	// Keys are the TSIG keys the server knows.
	Keys []Key
	// Zones are the zones it serves.
	Zones []Zone
}

// Key is a TSIG key.
type Key struct {
	Name      string // as named.conf names it, without a trailing dot
	Algorithm string // hmac-sha256, hmac-sha512, ...
	Secret    string // base64
}

// Zone is one zone of the server.
type Zone struct {
	Name string
	// Type is "primary" (the default) or "secondary".
	Type string
	// Data is a primary zone's file; a secondary's file is written by
	// named after its first transfer.
	Data string
	// Statements are more statements for the zone block: ACLs,
	// primaries, notify.
	Statements string
}

// Server is a running named.
type Server struct {
	// Addr is the first address and the port, host:port.
	Addr string
	// Port is the port on every address.
	Port int
	// Dir is the server's directory, removed by Stop.
	Dir string

	cfg    Config
	cmd    *exec.Cmd
	log    *testproc.TailBuffer
	exited chan struct{}
	once   sync.Once
}

// probeZone holds a token proving that the server answering is this one.
const probeZone = "namedtest-probe.invalid"

// Start starts named with cfg and waits until it answers. When the port
// is chosen here and another program takes it first, it tries again on
// another port.
func Start(bin string, cfg Config) (*Server, error) {
	if len(cfg.Addresses) == 0 {
		cfg.Addresses = []string{"127.0.0.1"}
	}
	var err error
	for range 3 {
		var s *Server
		if s, err = try(bin, cfg); err == nil || cfg.Port != 0 {
			return s, err
		}
	}
	return nil, err
}

// StartT starts named for one test and stops it when the test ends.
func StartT(t testing.TB, cfg Config) *Server {
	t.Helper()
	s, err := Start(Require(t), cfg)
	require.NoError(t, err, "start named")
	t.Cleanup(s.Stop)
	return s
}

func try(bin string, cfg Config) (*Server, error) {
	port := cfg.Port
	if port == 0 {
		var err error
		if port, err = testproc.FreePort(cfg.Addresses...); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp(parentDir(), "zonesync-named-")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: net.JoinHostPort(cfg.Addresses[0], strconv.Itoa(port)), Port: port, Dir: dir, cfg: cfg,
		log: &testproc.TailBuffer{Max: 256 << 10}, exited: make(chan struct{})}
	token := Secret(12)
	if err := s.writeConfig(token); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.cmd = exec.Command(bin, "-g", "-c", filepath.Join(dir, "named.conf"))
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(token); err != nil {
		s.Stop()
		hint := ""
		if apparmorConfinesNamed() {
			hint = "\nAppArmor confines named to /etc/bind, /var/lib/bind and /var/cache/bind: unload its profile " +
				"(apparmor_parser -R /etc/apparmor.d/usr.sbin.named) or set ZONESYNC_NAMED_DIR to a directory named may use"
		}
		return nil, fmt.Errorf("%w%s\nnamed log:\n%s", err, hint, s.log.String())
	}
	return s, nil
}

// parentDir is where a server's directory is made: ZONESYNC_NAMED_DIR
// when set; /var/lib/bind when AppArmor confines named (Debian and Ubuntu
// hosts with systemd) and the tests may write there; else the temp dir.
func parentDir() string {
	if d := os.Getenv("ZONESYNC_NAMED_DIR"); d != "" {
		return d
	}
	if apparmorConfinesNamed() {
		if d, err := os.MkdirTemp("/var/lib/bind", "zonesync-probe-"); err == nil {
			os.Remove(d)
			return "/var/lib/bind"
		}
	}
	return ""
}

// apparmorConfinesNamed reports whether AppArmor is on and has a profile for named.
func apparmorConfinesNamed() bool {
	b, err := os.ReadFile("/sys/module/apparmor/parameters/enabled")
	if err != nil || strings.TrimSpace(string(b)) != "Y" {
		return false
	}
	_, err = os.Stat("/etc/apparmor.d/usr.sbin.named")
	return err == nil
}

// Secret returns n random bytes in base64, for a TSIG secret or a token.
func Secret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func (s *Server) writeConfig(token string) error {
	var conf strings.Builder
	for _, k := range s.cfg.Keys {
		fmt.Fprintf(&conf, "key %q { algorithm %s; secret %q; };\n", k.Name, k.Algorithm, k.Secret)
	}
	var v4, v6 []string
	for _, a := range s.cfg.Addresses {
		if strings.Contains(a, ":") {
			v6 = append(v6, a+";")
		} else {
			v4 = append(v4, a+";")
		}
	}
	listen6 := "listen-on-v6 { none; };"
	if len(v6) > 0 {
		listen6 = fmt.Sprintf("listen-on-v6 port %d { %s };", s.Port, strings.Join(v6, " "))
	}
	listen4 := fmt.Sprintf("listen-on port %d { %s };", s.Port, strings.Join(v4, " "))
	if len(v4) == 0 {
		listen4 = "listen-on { none; };"
	}
	// No rndc channel (controls { }), so that parallel servers do not
	// clash on port 953.
	fmt.Fprintf(&conf, `controls { };
options {
  directory %[1]q; pid-file "named.pid"; session-keyfile "session.key";
  managed-keys-directory %[1]q;
  %[2]s %[3]s
  recursion no; dnssec-validation no; notify no; allow-query { any; };
  %[4]s
};
`, s.Dir, listen4, listen6, s.cfg.Options)
	zones := append([]Zone{{Name: probeZone, Data: fmt.Sprintf("$TTL 3600\n@ SOA ns.%[1]s. hostmaster.%[1]s. 1 7200 3600 1209600 3600\n@ NS ns.%[1]s.\nns A 127.0.0.1\ntoken TXT %[2]q\n", probeZone, token)}},
		s.cfg.Zones...)
	for _, z := range zones {
		typ := z.Type
		if typ == "" {
			typ = "primary"
		}
		file := filepath.Join(s.Dir, z.Name+".zone")
		fmt.Fprintf(&conf, "zone %q { type %s; file %q; %s };\n", z.Name, typ, file, z.Statements)
		if typ == "primary" {
			if err := os.WriteFile(file, []byte(z.Data), 0o644); err != nil {
				return err
			}
		}
	}
	return os.WriteFile(filepath.Join(s.Dir, "named.conf"), []byte(conf.String()), 0o644)
}

// waitReady waits until named answers on each address with this run's token.
func (s *Server) waitReady(token string) error {
	c := &dns.Client{Net: "tcp", Timeout: 500 * time.Millisecond}
	q := new(dns.Msg)
	q.SetQuestion("token."+probeZone+".", dns.TypeTXT)
	deadline := time.Now().Add(15 * time.Second)
	for _, a := range s.cfg.Addresses {
		addr := net.JoinHostPort(a, strconv.Itoa(s.Port))
		for {
			if time.Now().After(deadline) {
				return fmt.Errorf("named did not answer on %s within 15s", addr)
			}
			select {
			case <-s.exited:
				return errors.New("named exited during start-up")
			default:
			}
			r, _, err := c.Exchange(q, addr)
			if err == nil && len(r.Answer) == 1 {
				if txt, ok := r.Answer[0].(*dns.TXT); ok && strings.Join(txt.Txt, "") == token {
					break
				}
				return fmt.Errorf("another server answers on %s", addr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return nil
}

// WaitSerial waits until the server serves zone with at least serial, as
// a secondary does once it has transferred it.
func (s *Server) WaitSerial(zone string, serial uint32) error {
	c := &dns.Client{Net: "tcp", Timeout: 500 * time.Millisecond}
	q := new(dns.Msg)
	q.SetQuestion(dns.Fqdn(zone), dns.TypeSOA)
	deadline := time.Now().Add(30 * time.Second)
	last := "no answer"
	for time.Now().Before(deadline) {
		r, _, err := c.Exchange(q, s.Addr)
		switch {
		case err != nil:
			last = err.Error()
		case len(r.Answer) == 0:
			last = dns.RcodeToString[r.Rcode]
		default:
			if soa, ok := r.Answer[0].(*dns.SOA); ok {
				if soa.Serial >= serial {
					return nil
				}
				last = fmt.Sprintf("serial %d", soa.Serial)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s at %s did not reach serial %d within 30s (last: %s)\nnamed log:\n%s", zone, s.Addr, serial, last, s.log.String())
}

// Log is the end of named's output, for a failing test's message.
func (s *Server) Log() string { return s.log.String() }

// Stop ends named (SIGTERM, then SIGKILL) and removes its directory.
func (s *Server) Stop() {
	s.once.Do(func() {
		if s.cmd.Process != nil {
			_ = s.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(10 * time.Second):
				_ = s.cmd.Process.Kill()
				<-s.exited
			}
		}
		os.RemoveAll(s.Dir)
	})
}
