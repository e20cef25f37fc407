package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/miekg/dns"
)

// errNotAuthoritative marks an SOA query the server answered without authority.
var errNotAuthoritative = errors.New("not authoritative")

// querySOA asks addr for the zone's SOA and returns it when the server
// answers with authority. The query is signed with key, or unsigned when
// key is nil; a signed answer must verify.
func (p *Provider) querySOA(ctx context.Context, addr, zone string, key *tsigKey) (*dns.SOA, error) {
	q := new(dns.Msg)
	q.SetQuestion(dns.Fqdn(zone), dns.TypeSOA)
	q.RecursionDesired = false
	fail := func(rcode int, detail string, cause error) error {
		return &Error{Op: "SOA query", Zone: zone, Server: addr, Rcode: rcode, Detail: detail, Err: cause}
	}
	r, err := exchange(ctx, key, addr, p.cfg.timeout, q)
	if err != nil {
		return nil, fail(-1, err.Error(), err)
	}
	m := r.msg
	if key != nil {
		if why := answerProblem(key, r); why != "" {
			return nil, fail(m.Rcode, why, nil)
		}
	}
	switch m.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	case dns.RcodeRefused, dns.RcodeNotAuth:
		return nil, fail(m.Rcode, fmt.Sprintf("the server does not serve %s", zone), errNotAuthoritative)
	default:
		return nil, fail(m.Rcode, explain("SOA query", p.cfg.key, zone, m.Rcode), nil)
	}
	if m.Authoritative {
		for _, rr := range m.Answer {
			if soa, ok := rr.(*dns.SOA); ok && dns.CanonicalName(soa.Hdr.Name) == dns.CanonicalName(zone) {
				return soa, nil
			}
		}
	}
	return nil, fail(m.Rcode, fmt.Sprintf("the server does not serve %s: it answers its SOA without authority", zone), errNotAuthoritative)
}

// serves reports whether the server answers the zone's SOA with
// authority, asked unsigned and then signed: unsigned, so that a key the
// server rejects cannot make a served zone look missing; signed, for a
// server that answers only queries signed with a key it knows. Only when
// neither shows authority does the server not serve the zone; when a
// query fails otherwise, the answer is unknown and an error.
func (p *Provider) serves(ctx context.Context, addr, zone string) (bool, error) {
	var failed error
	for _, key := range []*tsigKey{nil, p.cfg.key} {
		_, err := p.querySOA(ctx, addr, zone, key)
		if err == nil {
			return true, nil
		}
		if e, ok := err.(*Error); !ok || e.Err != errNotAuthoritative {
			failed = err
		}
	}
	return false, failed
}

// CheckAccess asks the update server, and the transfer server when it is
// another, for the SOA of a zone of the run, signed with the TSIG key: a
// server that does not answer, or that rejects the key, stops the run's
// use of this provider before any zone is read, at the cost of one
// timeout instead of one per zone. Whether the server serves the zone is
// left to the zone's read.
func (p *Provider) CheckAccess(ctx context.Context, zone string) error {
	zone = canonicalZone(zone)
	addrs := []string{p.cfg.server}
	if p.cfg.transfer != p.cfg.server {
		addrs = append(addrs, p.cfg.transfer)
	}
	for _, addr := range addrs {
		q := new(dns.Msg)
		q.SetQuestion(dns.Fqdn(zone), dns.TypeSOA)
		q.RecursionDesired = false
		r, err := exchange(ctx, p.cfg.key, addr, p.cfg.timeout, q)
		for attempt, pause := 1, readBackoff; err != nil && attempt < readAttempts && retriable(err) && ctx.Err() == nil; attempt, pause = attempt+1, 2*pause {
			select {
			case <-ctx.Done():
			case <-time.After(pause):
			}
			r, err = exchange(ctx, p.cfg.key, addr, p.cfg.timeout, q)
		}
		if err != nil {
			return &Error{Op: "SOA query", Zone: zone, Server: addr, Rcode: -1, Detail: err.Error(), Err: err}
		}
		if r.sig == sigRejected {
			return &Error{Op: "SOA query", Zone: zone, Server: addr, Rcode: r.msg.Rcode, Detail: keyProblem(p.cfg.key, r.tsigError)}
		}
	}
	return nil
}
