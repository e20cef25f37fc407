package rfc2136

import (
	"context"
	"errors"
	"fmt"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/providers"
)

// transfer reads a whole zone by AXFR: every record, the opening SOA
// first and without the closing one. Anything short of a complete,
// correctly signed transfer is an error.
func (p *Provider) transfer(ctx context.Context, zone string) ([]dns.RR, error) {
	addr := p.cfg.transfer
	fail := func(rcode int, detail string, cause error) error {
		return &Error{Op: "AXFR", Zone: zone, Server: addr, Rcode: rcode, Detail: detail, Err: cause}
	}
	s, err := dial(ctx, p.cfg.key, addr, p.cfg.timeout)
	if err != nil {
		return nil, fail(-1, err.Error(), err)
	}
	defer s.close()
	q := new(dns.Msg)
	q.SetAxfr(dns.Fqdn(zone))
	if err := s.send(q); err != nil {
		return nil, fail(-1, err.Error(), err)
	}
	var rrs []dns.RR
	for n := 0; ; n++ {
		r, err := s.receive(q.Id)
		if err != nil {
			if n > 0 {
				return nil, fail(-1, fmt.Sprintf("transfer broken off after %d messages and %d records, before the closing SOA: %v", n, len(rrs), err), err)
			}
			return nil, fail(-1, err.Error(), err)
		}
		m := r.msg
		if n == 0 && m.Rcode != dns.RcodeSuccess {
			return nil, p.transferRefused(ctx, zone, r)
		}
		if why := answerProblem(p.cfg.key, r); why != "" {
			return nil, fail(m.Rcode, fmt.Sprintf("message %d: %s", n+1, why), nil)
		}
		if m.Rcode != dns.RcodeSuccess {
			return nil, fail(m.Rcode, fmt.Sprintf("the transfer failed at message %d", n+1), nil)
		}
		if m.Truncated {
			return nil, fail(m.Rcode, fmt.Sprintf("message %d is truncated", n+1), nil)
		}
		for _, rr := range m.Answer {
			if len(rrs) == 0 {
				if soa, ok := rr.(*dns.SOA); !ok || dns.CanonicalName(soa.Hdr.Name) != dns.CanonicalName(zone) {
					return nil, fail(m.Rcode, "the transfer does not start with the zone's SOA", nil)
				}
			} else if soa, ok := rr.(*dns.SOA); ok {
				// The closing SOA: the transfer is complete, and it must be
				// the opening one (RFC 5936 §2.2).
				if first := rrs[0].(*dns.SOA); dns.CanonicalName(soa.Hdr.Name) != dns.CanonicalName(zone) || soa.Serial != first.Serial {
					return nil, fail(m.Rcode, fmt.Sprintf("the transfer closes with SOA %s serial %d, not the one it opened with (serial %d)", soa.Hdr.Name, soa.Serial, first.Serial), nil)
				}
				return rrs, nil
			}
			rrs = append(rrs, rr)
		}
		if len(m.Answer) == 0 {
			return nil, fail(m.Rcode, fmt.Sprintf("message %d of the transfer is empty", n+1), nil)
		}
	}
}

// transferRefused turns the error answer to an AXFR into an error. It is
// ErrZoneNotFound only when the server plainly does not serve the zone:
// it refuses the transfer (NOTAUTH, REFUSED, SERVFAIL) and does not answer
// the zone's SOA with authority either. A rejected key or a transfer the
// key may not make stays an error of its own, never "not found", because
// "not found" would let a plan treat the zone as empty.
func (p *Provider) transferRefused(ctx context.Context, zone string, r *received) error {
	addr := p.cfg.transfer
	rcode := r.msg.Rcode
	e := &Error{Op: "AXFR", Zone: zone, Server: addr, Rcode: rcode, Detail: explain("AXFR", p.cfg.key, zone, rcode)}
	if r.sig == sigRejected {
		e.Detail = keyProblem(p.cfg.key, r.tsigError)
		return e
	}
	if rcode != dns.RcodeNotAuth && rcode != dns.RcodeRefused && rcode != dns.RcodeServerFailure {
		return e
	}
	served, err := p.serves(ctx, addr, zone)
	switch {
	case err != nil:
		e.Detail += "; whether it serves the zone is unknown: " + briefly(err)
	case !served:
		e.Detail = fmt.Sprintf("the server does not serve %s", zone)
		e.Err = providers.ErrZoneNotFound
	case rcode == dns.RcodeNotAuth:
		// It serves the zone, yet says it is not authoritative: servers
		// such as PowerDNS answer a key they reject that way, unsigned
		// and without the TSIG error RFC 8945 asks for.
		e.Detail = fmt.Sprintf("the server serves %s but refused the transfer: it most likely rejected %s (wrong name, algorithm or secret)", zone, p.cfg.key)
	}
	return e
}

// briefly is an error of a follow-up request, without the prefix that
// the error it is part of already has.
func briefly(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Rcode >= 0 {
			return "the " + e.Op + " got " + rcodeName(e.Rcode)
		}
		return "the " + e.Op + " failed: " + e.Detail
	}
	return err.Error()
}
