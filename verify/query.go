package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// udpSize is the EDNS buffer size asked for: the size DNS Flag Day 2020
// settled on, which passes without fragments almost everywhere. A
// bigger answer comes truncated and is asked again over TCP.
const udpSize = 1232

// setsInFlight is how many record sets are asked of one address at once.
const setsInFlight = 8

// querier sends queries: over UDP, sent twice before giving up, and over
// TCP when the answer comes truncated.
type querier struct {
	timeout time.Duration
	// tcpOnly, for tests, sends every query over TCP.
	tcpOnly bool
}

// exchange sends m to addr and returns the answer.
func (q *querier) exchange(ctx context.Context, m *dns.Msg, addr string) (*dns.Msg, error) {
	m.SetEdns0(udpSize, false)
	var r *dns.Msg
	var err error
	if !q.tcpOnly {
		udp := &dns.Client{Net: "udp", Timeout: q.timeout, UDPSize: udpSize}
		for range 2 {
			if r, _, err = udp.ExchangeContext(ctx, m, addr); err == nil || !isTimeout(err) || ctx.Err() != nil {
				break
			}
		}
		if err != nil {
			return nil, plainError(err)
		}
		if !r.Truncated {
			return r, nil
		}
	}
	tcp := &dns.Client{Net: "tcp", Timeout: q.timeout}
	r, _, err = tcp.ExchangeContext(ctx, m, addr)
	if err != nil {
		return nil, plainError(err)
	}
	return r, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// plainError shortens the network errors a report shows: "read udp
// 127.0.0.1:40000->127.0.0.2:53: i/o timeout" says no more than "timeout".
func plainError(err error) error {
	if isTimeout(err) {
		return errors.New("no answer (timeout)")
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		msg := op.Err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return errors.New(msg)
	}
	return err
}

// question is a query for name and type, recursion not desired: the
// servers are asked for their own data.
func question(name string, qtype uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = false
	return m
}

// serial asks addr for the zone's SOA. A state is returned when the
// address is unreachable or lame, with the reason.
func (q *querier) serial(ctx context.Context, addr, zone string) (uint32, State, string) {
	r, err := q.exchange(ctx, question(model.Fqdn(zone), dns.TypeSOA), addr)
	if err != nil {
		return 0, Unreachable, err.Error()
	}
	if state, why := lameness(r, zone); state != "" {
		return 0, state, why
	}
	for _, rr := range r.Answer {
		if soa, ok := rr.(*dns.SOA); ok && strings.EqualFold(soa.Hdr.Name, model.Fqdn(zone)) {
			return soa.Serial, "", ""
		}
	}
	return 0, Lame, "answers no SOA record for " + zone
}

// lameness tells a server that does not serve the zone from its answer.
func lameness(r *dns.Msg, zone string) (State, string) {
	switch {
	case r.Rcode != dns.RcodeSuccess:
		return Lame, fmt.Sprintf("answers %s for %s: it does not serve the zone", rcodeName(r.Rcode), zone)
	case !r.Authoritative:
		return Lame, "answers without authority for " + zone + " (no AA bit): it does not serve the zone"
	}
	return "", ""
}

func rcodeName(rcode int) string {
	if s, ok := dns.RcodeToString[rcode]; ok {
		return s
	}
	return "rcode " + strconv.Itoa(rcode)
}

// compare asks addr for every record set of the zone's checks and
// returns those that differ from the spec, in the checks' order. A state
// is returned when a query gets no usable answer.
func (q *querier) compare(ctx context.Context, addr string, z Zone) ([]Difference, State, string) {
	diffs := make([]*Difference, len(z.Checks))
	// The first query that gets no usable answer decides the address's
	// state this round; the others are cancelled.
	var first struct {
		once   sync.Once
		state  State
		detail string
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, setsInFlight)
	for i, c := range z.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			got, state, detail := q.recordSet(ctx, addr, z.Name, c)
			if state != "" {
				first.once.Do(func() { first.state, first.detail = state, detail })
				cancel()
				return
			}
			diffs[i] = differ(c, got)
		}()
	}
	wg.Wait()
	if first.state != "" {
		return nil, first.state, first.detail
	}
	var out []Difference
	for _, d := range diffs {
		if d != nil {
			out = append(out, *d)
		}
	}
	return out, "", ""
}

// recordSet asks addr for one record set; nil when it has none.
func (q *querier) recordSet(ctx context.Context, addr, zone string, c Check) (*RRSet, State, string) {
	qtype, ok := model.TypeCode(c.Type)
	if !ok {
		return nil, WrongAnswer, "record type " + c.Type + " cannot be asked for"
	}
	owner := model.FQDN(c.Name, zone)
	r, err := q.exchange(ctx, question(owner, qtype), addr)
	what := c.Name + " " + c.Type
	if err != nil {
		return nil, Unreachable, what + ": " + err.Error()
	}
	switch {
	case r.Rcode == dns.RcodeNameError && r.Authoritative:
		return nil, "", ""
	case r.Rcode != dns.RcodeSuccess:
		return nil, Lame, fmt.Sprintf("answers %s for %s", rcodeName(r.Rcode), what)
	case r.Authoritative:
		return collect(r.Answer, owner, qtype), "", ""
	}
	// Below a delegation the zone answers with a referral: the NS set of
	// the cut in the authority section, its glue in the additional one.
	if referral(r) {
		if qtype == dns.TypeNS {
			return collect(r.Ns, owner, qtype), "", ""
		}
		return collect(r.Extra, owner, qtype), "", ""
	}
	return nil, Lame, "answers without authority for " + what + " (no AA bit)"
}

// referral reports whether an answer hands the question on to other servers.
func referral(r *dns.Msg) bool {
	if len(r.Answer) > 0 {
		return false
	}
	for _, rr := range r.Ns {
		if rr.Header().Rrtype == dns.TypeNS {
			return true
		}
	}
	return false
}

// collect gathers the records of owner and qtype into a record set in
// canonical form; nil when there are none.
func collect(rrs []dns.RR, owner string, qtype uint16) *RRSet {
	var set *RRSet
	for _, rr := range rrs {
		h := rr.Header()
		if h.Rrtype != qtype || h.Class != dns.ClassINET || !strings.EqualFold(h.Name, owner) {
			continue
		}
		if set == nil {
			set = &RRSet{TTL: h.Ttl}
		}
		// RFC 2181 wants one TTL per record set; the lowest is what a
		// resolver ends up caching.
		set.TTL = min(set.TTL, h.Ttl)
		set.Values = append(set.Values, model.CanonicalRR(rr))
	}
	if set != nil {
		slices.Sort(set.Values)
		set.Values = slices.Compact(set.Values)
	}
	return set
}

// differ compares what a server answered with the spec; nil when equal.
// Values compare as sets of canonical forms, and the TTL must be the
// spec's: an authoritative answer carries the TTL as configured.
func differ(c Check, got *RRSet) *Difference {
	var want *RRSet
	if c.Want != nil {
		want = &RRSet{TTL: c.Want.TTL, Values: c.Want.Values}
	}
	switch {
	case want == nil && got == nil:
		return nil
	case want != nil && got != nil && want.TTL == got.TTL && slices.Equal(want.Values, got.Values):
		return nil
	}
	return &Difference{Name: c.Name, Type: c.Type, Want: want, Got: got}
}

// hostPort joins an address and a port, brackets around IPv6.
func hostPort(addr string, port int) string {
	return net.JoinHostPort(addr, strconv.Itoa(port))
}
