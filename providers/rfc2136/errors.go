package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/providers"
)

// Error is a failed conversation with a server. Its message is one line:
// what was asked of which server for which zone, the rcode when there was
// an answer, and what that most likely means.
type Error struct {
	// Op is "update", "AXFR" or "SOA query".
	Op string
	// Zone is the zone asked about, without a trailing dot.
	Zone string
	// Server is the host:port asked.
	Server string
	// Subject is the record set an operation was about ("www A"), if any.
	Subject string
	// Rcode is the answer's rcode, or -1 when there was no usable answer.
	Rcode int
	// Detail explains the failure.
	Detail string
	// Err is the cause, e.g. providers.ErrZoneNotFound or a network error.
	Err error
}

// Error formats the failure on one line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("rfc2136: ")
	b.WriteString(e.Op)
	b.WriteByte(' ')
	b.WriteString(e.Zone)
	if e.Op == "AXFR" {
		b.WriteString(" from ")
	} else {
		b.WriteString(" at ")
	}
	b.WriteString(e.Server)
	b.WriteString(": ")
	if e.Subject != "" {
		b.WriteString(e.Subject)
		b.WriteString(": ")
	}
	if e.Rcode >= 0 {
		b.WriteString(rcodeName(e.Rcode))
		if e.Detail != "" {
			b.WriteString(" (")
			b.WriteString(e.Detail)
			b.WriteByte(')')
		}
	} else {
		b.WriteString(e.Detail)
	}
	return oneLine(b.String())
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// rcodeName is the mnemonic of an rcode, RFC 6895 spelling.
func rcodeName(rcode int) string {
	if s, ok := dns.RcodeToString[rcode]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rcode)
}

// oneLine keeps an error on one line whatever a cause put in it.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// transportError is a failure below DNS: no connection, no answer, or an
// answer that could not be read.
type transportError struct {
	// stage is connect, sign, send, answer or parse.
	stage   string
	timeout time.Duration
	err     error
	ctx     context.Context
	// sent is true when the request may have reached the server.
	sent bool
}

func (e *transportError) Error() string {
	if e.ctx != nil && e.ctx.Err() != nil {
		return "interrupted: " + e.ctx.Err().Error()
	}
	var ne net.Error
	timedOut := errors.As(e.err, &ne) && ne.Timeout() || errors.Is(e.err, os.ErrDeadlineExceeded)
	switch {
	case e.stage == "connect" && timedOut:
		return fmt.Sprintf("cannot connect within %s (timeout)", e.timeout)
	case e.stage == "connect" && errors.Is(e.err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens on that TCP port"
	case e.stage == "connect":
		return "cannot connect: " + e.err.Error()
	case timedOut:
		return fmt.Sprintf("no answer within %s (timeout)", e.timeout)
	case e.stage == "answer" && (errors.Is(e.err, net.ErrClosed) || strings.Contains(e.err.Error(), "EOF")):
		return "the server closed the connection"
	case e.stage == "parse":
		return "unreadable answer: " + e.err.Error()
	}
	return e.stage + " failed: " + e.err.Error()
}

func (e *transportError) Unwrap() error { return e.err }

// retriable reports whether a failed read may well succeed if made again
// at once: the server dropped the connection mid-way or answered
// SERVFAIL. Nothing listening, a timeout (the server is down or filtered:
// the user set how long to wait) and every refusal are final.
func retriable(err error) bool {
	var te *transportError
	if errors.As(err, &te) {
		var ne net.Error
		timedOut := errors.As(te.err, &ne) && ne.Timeout() || errors.Is(te.err, os.ErrDeadlineExceeded)
		return te.stage != "connect" && te.stage != "sign" && !timedOut && (te.ctx == nil || te.ctx.Err() == nil)
	}
	var e *Error
	return errors.As(err, &e) && e.Rcode == dns.RcodeServerFailure && !errors.Is(err, providers.ErrZoneNotFound)
}

// keyProblem explains a TSIG error the server returned.
func keyProblem(k *tsigKey, code uint16) string {
	name := k.displayName()
	alg := strings.TrimSuffix(k.algorithm, ".")
	switch code {
	case dns.RcodeBadKey:
		return fmt.Sprintf("TSIG key rejected: BADKEY, the server has no key %s with algorithm %s", name, alg)
	case dns.RcodeBadSig:
		return fmt.Sprintf("TSIG key rejected: BADSIG, the secret of key %s does not match the server's", name)
	case dns.RcodeBadTime:
		return "TSIG key rejected: BADTIME, this machine's clock and the server's differ by more than 5 minutes"
	case dns.RcodeBadTrunc:
		return "TSIG key rejected: BADTRUNC"
	}
	return fmt.Sprintf("TSIG key rejected: TSIG error %d", code)
}

// answerProblem explains an answer that cannot be used: a key the server
// refused, or a successful answer whose signature is missing or wrong,
// since zonesync acts on those. An error rcode is taken as it is even
// when its signature cannot be checked (miekg/dns does not check the
// signature of a NOTAUTH answer): it only ever makes an operation fail.
// It returns "" when the answer can be used.
func answerProblem(k *tsigKey, r *received) string {
	if r.sig == sigRejected {
		return keyProblem(k, r.tsigError)
	}
	if r.msg.Rcode != dns.RcodeSuccess {
		return ""
	}
	switch r.sig {
	case sigMissing:
		return "the answer is not signed with the TSIG key, so it cannot be trusted"
	case sigInvalid:
		return "the answer's TSIG signature does not verify with key " + k.displayName()
	}
	return ""
}

// explainAnswer is explain for an error answer received. An unsigned
// NOTAUTH is how some servers (PowerDNS) reject a key, without the TSIG
// error RFC 8945 asks for; a server that knew the key would sign.
func explainAnswer(op string, k *tsigKey, zone string, r *received) string {
	if r.msg.Rcode == dns.RcodeNotAuth && r.sig == sigMissing {
		return fmt.Sprintf("unsigned answer: the server most likely rejected %s (wrong name, algorithm or secret) without saying so, or it does not serve %s", k, zone)
	}
	return explain(op, k, zone, r.msg.Rcode)
}

// explain says what an error rcode most likely means for a request about zone.
func explain(op string, k *tsigKey, zone string, rcode int) string {
	switch rcode {
	case dns.RcodeNotAuth:
		return fmt.Sprintf("the server is not authoritative for %s: wrong server, or the zone is not configured there", zone)
	case dns.RcodeRefused:
		switch op {
		case "update":
			return fmt.Sprintf("key %s may not update %s: add it to the zone's allow-update or update-policy", k.displayName(), zone)
		case "AXFR":
			return fmt.Sprintf("key %s may not transfer %s: add it to the zone's allow-transfer", k.displayName(), zone)
		}
		return "the server refused the query"
	case dns.RcodeServerFailure:
		return "the server failed to handle the request; see its log"
	case dns.RcodeNotImplemented:
		if op == "update" {
			return "the server does not accept dynamic updates"
		}
		return "the server does not implement this request"
	case dns.RcodeFormatError:
		return "the server could not parse the request"
	case dns.RcodeNotZone:
		return fmt.Sprintf("a name in the request is outside zone %s", zone)
	}
	return ""
}
