// Package pdnstest runs a real PowerDNS Authoritative server for tests:
// pdns_server with the SQLite backend, in a temporary directory, on free
// ports of 127.0.0.1, with its HTTP API on and DNSSEC enabled in the
// backend. A test that needs it calls Require, which skips the test where
// pdns_server is not installed, and fails it when CI=true.
//
// Only tests import this package.
package pdnstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/internal/testproc"
)

// SchemaFile is where Debian's pdns-backend-sqlite3 puts the schema.
const SchemaFile = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql"

// Server is a running pdns_server.
type Server struct {
	// API is the base URL of the HTTP API (http://127.0.0.1:PORT).
	API string
	// DNS is the host:port the server answers DNS queries on, UDP and TCP.
	DNS string
	// Key is the API key.
	Key string
	// Dir holds the config, the database and the server's socket.
	Dir string

	cmd    *exec.Cmd
	log    *testproc.TailBuffer
	exited chan struct{}
	zones  atomic.Int32
}

// Binaries the server needs, and where Debian installs them.
var (
	serverPaths = []string{"/usr/sbin/pdns_server", "/usr/local/sbin/pdns_server"}
	sqlitePaths = []string{"/usr/bin/sqlite3", "/usr/local/bin/sqlite3"}
)

// Binary returns the path of pdns_server, or "" when it is not installed
// (with the SQLite backend and the sqlite3 tool).
func Binary() string {
	server := find("pdns_server", serverPaths)
	if server == "" || find("sqlite3", sqlitePaths) == "" {
		return ""
	}
	if _, err := os.Stat(SchemaFile); err != nil {
		return ""
	}
	return server
}

func find(name string, paths []string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Require returns the server shared by the test binary, starting it on
// first use. Without pdns_server the test is skipped, unless CI=true,
// where it fails. The test binary's TestMain must call Stop.
func Require(t testing.TB) *Server {
	t.Helper()
	bin := binaryFor(t)
	shared.once.Do(func() { shared.srv, shared.err = Start(bin) })
	if shared.err != nil {
		t.Fatalf("start pdns_server: %v", shared.err)
	}
	return shared.srv
}

// Own starts a server of the test's own, stopped when the test ends,
// with Require's rules for a machine without pdns_server.
func Own(t testing.TB) *Server {
	t.Helper()
	s, err := Start(binaryFor(t))
	if err != nil {
		t.Fatalf("start pdns_server: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// binaryFor returns pdns_server's path, or skips the test without it
// (fails it when CI=true).
func binaryFor(t testing.TB) string {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdns_server with the SQLite backend is not installed; .ci/run must install pdns-server, pdns-backend-sqlite3 and sqlite3")
		}
		t.Skip("pdns_server is not installed: apt-get install pdns-server pdns-backend-sqlite3 sqlite3 to run the tests against a real PowerDNS")
	}
	return bin
}

// Stop stops the shared server, if one was started.
func Stop() {
	if shared.srv != nil {
		shared.srv.Stop()
	}
}

// Start starts a server of its own, trying other ports when one was
// taken between choosing it and the server binding it.
func Start(bin string) (*Server, error) {
	var err error
	for range 3 {
		var s *Server
		if s, err = try(bin); err == nil {
			return s, nil
		}
	}
	return nil, err
}

func try(bin string) (*Server, error) {
	dnsPort, err := testproc.FreePort()
	if err != nil {
		return nil, err
	}
	apiPort, err := testproc.FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "zonesync-pdns-")
	if err != nil {
		return nil, err
	}
	s := &Server{
		API: fmt.Sprintf("http://127.0.0.1:%d", apiPort), DNS: net.JoinHostPort("127.0.0.1", fmt.Sprint(dnsPort)),
		Key: "pdns-" + randomHex(16), Dir: dir, log: &testproc.TailBuffer{Max: 256 << 10}, exited: make(chan struct{}),
	}
	db := filepath.Join(dir, "pdns.sqlite3")
	if err := createDB(db); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	conf := strings.Join([]string{
		"launch=gsqlite3",
		"gsqlite3-database=" + db,
		"gsqlite3-dnssec=yes",
		"local-address=127.0.0.1",
		fmt.Sprintf("local-port=%d", dnsPort),
		"api=yes",
		"api-key=" + s.Key,
		"webserver=yes",
		"webserver-address=127.0.0.1",
		fmt.Sprintf("webserver-port=%d", apiPort),
		"webserver-allow-from=127.0.0.0/8",
		"socket-dir=" + dir,
		"guardian=no",
		"daemon=no",
		"disable-syslog=yes",
		"loglevel=4",
		// Answers follow changes at once: tests query right after an apply.
		"cache-ttl=0",
		"negquery-cache-ttl=0",
		"query-cache-ttl=0",
		"zone-cache-refresh-interval=0",
		// No secondaries to notify, and no security poll over the network.
		"primary=no",
		"security-poll-suffix=",
		"",
	}, "\n")
	if err := os.WriteFile(filepath.Join(dir, "pdns.conf"), []byte(conf), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.cmd = exec.Command(bin, "--config-dir="+dir)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	dieWithParent(s.cmd)
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\npdns_server log:\n%s", err, s.log.String())
	}
	return s, nil
}

// createDB makes the SQLite database from the package's schema.
func createDB(db string) error {
	schema, err := os.ReadFile(SchemaFile)
	if err != nil {
		return err
	}
	cmd := exec.Command(find("sqlite3", sqlitePaths), db)
	cmd.Stdin = bytes.NewReader(schema)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("sqlite3 %s < %s: %v: %s", db, SchemaFile, err, out)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// waitReady waits until the API answers as this server: the version call
// with this run's key. A start-up takes about two seconds.
func (s *Server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		select {
		case <-s.exited:
			return errors.New("pdns_server exited during start-up")
		default:
		}
		var info struct {
			DaemonType string `json:"daemon_type"`
		}
		status, err := s.call(ctx, http.MethodGet, "/api/v1/servers/localhost", nil, &info)
		switch {
		case err == nil && status == http.StatusOK && info.DaemonType == "authoritative":
			return nil
		case err == nil:
			return fmt.Errorf("another server answers on %s (HTTP %d)", s.API, status)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pdns_server did not answer on %s within 30s", s.API)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop ends the server (SIGTERM, then SIGKILL) and removes its directory.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	os.RemoveAll(s.Dir)
}

// Log returns the end of the server's log.
func (s *Server) Log() string { return s.log.String() }

// ZoneName returns a zone name no other test of this server uses.
func (s *Server) ZoneName() string {
	return fmt.Sprintf("t%03d.zonesync.test", s.zones.Add(1))
}

// NewZone creates a fresh zone through the API, as an administrator
// would, of kind (Native, Master), with SOA-EDIT-API DEFAULT and one
// apex NS record, and returns its name.
func (s *Server) NewZone(t testing.TB, kind string) string {
	t.Helper()
	zone := s.ZoneName()
	body := map[string]any{"name": zone + ".", "kind": kind, "nameservers": []string{"ns1." + zone + "."}, "soa_edit_api": "DEFAULT"}
	if status, err := s.call(context.Background(), http.MethodPost, "/api/v1/servers/localhost/zones", body, nil); err != nil || status != http.StatusCreated {
		t.Fatalf("create zone %s: HTTP %d, %v", zone, status, err)
	}
	return zone
}

// Do sends one API request straight to the server, as another client
// would, and decodes a JSON answer into out (when not nil). It returns
// the HTTP status; an error is a failure to talk to the server or an
// answer out cannot hold.
func (s *Server) Do(method, path string, body, out any) (int, error) {
	return s.call(context.Background(), method, path, body, out)
}

// MustDo is Do failing the test unless the status is want.
func (s *Server) MustDo(t testing.TB, want int, method, path string, body, out any) {
	t.Helper()
	status, err := s.Do(method, path, body, out)
	if status != want || (err != nil && want < 300) {
		t.Fatalf("%s %s: HTTP %d (want %d), %v", method, path, status, want, err)
	}
}

var client = &http.Client{Timeout: 30 * time.Second}

func (s *Server) call(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.API+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("X-API-Key", s.Key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %v in %.200q", method, path, err, data)
		}
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: HTTP %d: %.300s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode, nil
}

// Transfer reads a zone from the server by AXFR, bypassing the API: every
// record it serves, SOA first (disabled records are not served).
func (s *Server) Transfer(zone string) ([]dns.RR, error) {
	m := new(dns.Msg)
	m.SetAxfr(dns.Fqdn(zone))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := (&dns.Client{Net: "tcp"}).DialContext(ctx, s.DNS)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tr := &dns.Transfer{Conn: conn}
	envelopes, err := tr.In(m, s.DNS)
	if err != nil {
		return nil, err
	}
	var out []dns.RR
	for e := range envelopes {
		if e.Error != nil {
			return nil, fmt.Errorf("AXFR of %s: %w", zone, e.Error)
		}
		out = append(out, e.RR...)
	}
	if len(out) > 1 {
		out = out[:len(out)-1] // the closing SOA
	}
	return out, nil
}

// Query asks the server one question over TCP, with the DO bit when
// dnssec is set, as dig +dnssec would.
func (s *Server) Query(name string, qtype uint16, dnssec bool) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	if dnssec {
		m.SetEdns0(4096, true)
	}
	r, _, err := (&dns.Client{Net: "tcp", Timeout: 10 * time.Second}).Exchange(m, s.DNS)
	return r, err
}
