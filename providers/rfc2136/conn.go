package rfc2136

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/miekg/dns"
)

// fudge is the TSIG time window in seconds, RFC 8945's recommended value.
const fudge = 300

// session is one TCP connection to a server. With a key, it signs what it
// sends and checks the signature of every message it receives, chaining MACs as
// RFC 8945 §5.3 requires for the several answers of a zone transfer.
type session struct {
	key     *tsigKey
	timeout time.Duration
	ctx     context.Context
	conn    *dns.Conn
	stop    func() bool
	// lastMAC is the MAC the next answer's signature covers: our request's,
	// then each answer's in turn.
	lastMAC string
	// answers counts the messages received; after the first one a
	// signature covers only the TSIG timers, not the whole TSIG record.
	answers int
}

// sigStatus is what the signature of a received message says.
type sigStatus int

const (
	sigValid    sigStatus = iota
	sigMissing            // the message carries no TSIG record
	sigRejected           // the server refused our key: the TSIG error field is set
	sigInvalid            // the TSIG record does not verify with our key
)

// received is one message from the server and what its signature says.
type received struct {
	msg *dns.Msg
	sig sigStatus
	// tsigError is the TSIG error code when sig is sigRejected.
	tsigError uint16
}

// dial connects to addr over TCP within the timeout.
func dial(ctx context.Context, key *tsigKey, addr string, timeout time.Duration) (*session, error) {
	d := net.Dialer{Timeout: timeout}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, &transportError{stage: "connect", timeout: timeout, err: err, ctx: ctx}
	}
	s := &session{key: key, timeout: timeout, ctx: ctx, conn: &dns.Conn{Conn: nc}}
	// Cancelling ctx must unblock a read or write in progress.
	s.stop = context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	return s, nil
}

// close ends the session.
func (s *session) close() {
	s.stop()
	_ = s.conn.Close()
}

// deadline is the time the next read or write must finish by.
func (s *session) deadline() time.Time {
	d := time.Now().Add(s.timeout)
	if cd, ok := s.ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// send signs m with the session's key, if it has one, and writes it.
func (s *session) send(m *dns.Msg) error {
	var out []byte
	var err error
	s.lastMAC, s.answers = "", 0
	if s.key == nil {
		out, err = m.Pack()
	} else {
		m.SetTsig(s.key.name, s.key.algorithm, fudge, time.Now().Unix())
		out, s.lastMAC, err = dns.TsigGenerateWithProvider(m, s.key, "", false)
	}
	if err != nil {
		return &transportError{stage: "sign", err: err, ctx: s.ctx}
	}
	_ = s.conn.SetWriteDeadline(s.deadline())
	if _, err := s.conn.Write(out); err != nil {
		return &transportError{stage: "send", timeout: s.timeout, err: err, ctx: s.ctx}
	}
	return nil
}

// receive reads the next message answering request id and checks its signature.
func (s *session) receive(id uint16) (*received, error) {
	_ = s.conn.SetReadDeadline(s.deadline())
	raw, err := s.conn.ReadMsgHeader(nil)
	if err != nil {
		return nil, &transportError{stage: "answer", timeout: s.timeout, err: err, ctx: s.ctx, sent: true}
	}
	m := new(dns.Msg)
	if err := m.Unpack(raw); err != nil {
		return nil, &transportError{stage: "parse", err: err, ctx: s.ctx, sent: true}
	}
	if m.Id != id || !m.Response {
		return nil, &transportError{stage: "parse", err: errors.New("the answer does not match the request (wrong id or not a response)"), ctx: s.ctx, sent: true}
	}
	r := &received{msg: m}
	t := m.IsTsig()
	switch {
	case s.key == nil:
		r.sig = sigMissing // an unsigned request gets an unsigned answer
	case t == nil:
		r.sig = sigMissing
	case t.Error != dns.RcodeSuccess:
		r.sig, r.tsigError = sigRejected, t.Error
	default:
		// raw is consumed by the check, which rewrites the id in place.
		if err := dns.TsigVerifyWithProvider(raw, s.key, s.lastMAC, s.answers > 0); err != nil {
			r.sig = sigInvalid
		}
		s.lastMAC = t.MAC
	}
	s.answers++
	return r, nil
}

// exchange sends one request on a new connection and returns its answer.
// The request is signed with key, or unsigned when key is nil.
func exchange(ctx context.Context, key *tsigKey, addr string, timeout time.Duration, m *dns.Msg) (*received, error) {
	s, err := dial(ctx, key, addr, timeout)
	if err != nil {
		return nil, err
	}
	defer s.close()
	if err := s.send(m); err != nil {
		return nil, err
	}
	return s.receive(m.Id)
}
