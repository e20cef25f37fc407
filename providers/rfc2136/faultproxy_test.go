package rfc2136

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/providers/faults"
)

// faultProxy stands between the provider and named on TCP and fails a
// share of the connections the way networks and servers fail: it answers
// SERVFAIL (signed, as a server that knows the key would), never answers,
// drops the connection before the request reaches named, drops it after
// named has carried the request out, or answers late. The provider opens
// one connection per request, so a fault hits exactly one request.
type faultProxy struct {
	ln       net.Listener
	upstream string
	inj      *faults.Injector
	secrets  map[string]string // key name -> base64 secret
	wg       sync.WaitGroup
}

// newFaultProxy listens on a free loopback port in front of named.
func newFaultProxy(t *testing.T, srv *namedServer) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &faultProxy{ln: ln, upstream: srv.addr, inj: &faults.Injector{}, secrets: srv.secrets}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.wg.Wait()
	})
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

func (p *faultProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer c.Close()
			p.handle(c)
		}()
	}
}

// readMsg reads one length-prefixed DNS message from a TCP stream.
func readMsg(c net.Conn) ([]byte, error) {
	buf := make([]byte, dns.MaxMsgSize)
	n, err := (&dns.Conn{Conn: c}).Read(buf)
	return buf[:n], err
}

// endpoint names a request for the fault counts: update, axfr or a query type.
func endpoint(m *dns.Msg) string {
	switch {
	case m.Opcode == dns.OpcodeUpdate:
		return "update"
	case len(m.Question) == 1:
		return strings.ToLower(dns.TypeToString[m.Question[0].Qtype])
	}
	return "other"
}

func (p *faultProxy) handle(client net.Conn) {
	client.SetDeadline(time.Now().Add(30 * time.Second))
	raw, err := readMsg(client)
	if err != nil {
		return
	}
	req := new(dns.Msg)
	if req.Unpack(raw) != nil {
		return
	}
	kind := p.inj.Draw(endpoint(req))
	switch kind {
	case faults.ServerError, faults.RateLimit:
		// DNS has no rate-limit answer; a busy server fails with SERVFAIL.
		if out, err := p.servfail(req); err == nil {
			(&dns.Conn{Conn: client}).Write(out)
		}
		return
	case faults.Reset:
		return
	case faults.Timeout:
		d := p.inj.TimeoutDelay
		if d == 0 {
			d = 30 * time.Second
		}
		// Hold until the delay passes or the client hangs up.
		client.SetReadDeadline(time.Now().Add(d))
		io.Copy(io.Discard, client)
		return
	case faults.Slow:
		d := p.inj.SlowDelay
		if d == 0 {
			d = 200 * time.Millisecond
		}
		time.Sleep(d)
	}
	up, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
	if err != nil {
		return
	}
	defer up.Close()
	up.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := (&dns.Conn{Conn: up}).Write(raw); err != nil {
		return
	}
	if kind == faults.ResetAfterApply {
		// named has the request: wait for its answer, then lose it.
		readMsg(up)
		return
	}
	// Relay every answer (a transfer has several) until either side hangs up.
	done := make(chan struct{})
	go func() {
		io.Copy(up, client)
		up.Close()
		close(done)
	}()
	io.Copy(client, up)
	client.Close()
	<-done
}

// servfail is named's SERVFAIL answer to req, signed with the request's
// key when it had one.
func (p *faultProxy) servfail(req *dns.Msg) ([]byte, error) {
	m := new(dns.Msg)
	m.SetRcode(req, dns.RcodeServerFailure)
	t := req.IsTsig()
	if t == nil {
		return m.Pack()
	}
	name := strings.TrimSuffix(t.Hdr.Name, ".")
	m.SetTsig(t.Hdr.Name, t.Algorithm, t.Fudge, time.Now().Unix())
	out, _, err := dns.TsigGenerate(m, p.secrets[name], t.MAC, false)
	return out, err
}
