package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// SystemResolvers are the name servers of /etc/resolv.conf, as host:port.
func SystemResolvers() ([]string, error) {
	return resolversFrom("/etc/resolv.conf")
}

func resolversFrom(file string) ([]string, error) {
	conf, err := dns.ClientConfigFromFile(file)
	if err != nil {
		return nil, fmt.Errorf("read the system's resolvers: %w; give --resolver host:port", err)
	}
	if len(conf.Servers) == 0 {
		return nil, fmt.Errorf("%s names no nameserver; give --resolver host:port", file)
	}
	out := make([]string, len(conf.Servers))
	for i, s := range conf.Servers {
		out[i] = net.JoinHostPort(s, conf.Port)
	}
	return out, nil
}

// ResolverAddress reads --resolver: host:port, or a host, which is asked
// on port 53.
func ResolverAddress(s string) (string, error) {
	if host, port, err := net.SplitHostPort(s); err == nil {
		if host == "" || port == "" {
			return "", fmt.Errorf("--resolver %q: want host:port, such as 127.0.0.53:53", s)
		}
		return s, nil
	}
	if s == "" || strings.ContainsAny(s, "/ ") {
		return "", fmt.Errorf("--resolver %q: want host:port, such as 127.0.0.53:53", s)
	}
	return net.JoinHostPort(strings.Trim(s, "[]"), "53"), nil
}

// resolver asks the recursive resolvers.
type resolver struct {
	addrs []string
	q     *querier
}

// ask sends a recursive query to the first resolver that answers; a
// SERVFAIL or no answer moves on to the next one.
func (r *resolver) ask(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	if len(r.addrs) == 0 {
		return nil, errNoResolver
	}
	var last error
	for _, a := range r.addrs {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(name), qtype)
		resp, err := r.q.exchange(ctx, m, a)
		switch {
		case err != nil:
			last = fmt.Errorf("resolver %s: %w", a, err)
			continue
		case resp.Rcode != dns.RcodeSuccess && resp.Rcode != dns.RcodeNameError:
			last = fmt.Errorf("resolver %s answers %s for %s %s", a, rcodeName(resp.Rcode), dns.Fqdn(name), dns.TypeToString[qtype])
			continue
		}
		return resp, nil
	}
	return nil, last
}

// addresses resolves a server's name to its addresses of family, IPv4
// first, each sorted.
func (r *resolver) addresses(ctx context.Context, name string, family Family) ([]string, error) {
	var types []uint16
	if family != IPv6 {
		types = append(types, dns.TypeA)
	}
	if family != IPv4 {
		types = append(types, dns.TypeAAAA)
	}
	var out []string
	nx := 0
	for _, t := range types {
		m, err := r.ask(ctx, name, t)
		if err != nil {
			return nil, fmt.Errorf("cannot resolve %s: %w", name, err)
		}
		if m.Rcode == dns.RcodeNameError {
			nx++
			continue
		}
		var found []string
		for _, rr := range m.Answer {
			switch a := rr.(type) {
			case *dns.A:
				found = append(found, a.A.String())
			case *dns.AAAA:
				found = append(found, a.AAAA.String())
			}
		}
		slices.Sort(found)
		out = append(out, slices.Compact(found)...)
	}
	switch {
	case len(out) > 0:
		return out, nil
	case nx == len(types):
		return nil, fmt.Errorf("%s does not resolve (NXDOMAIN)", name)
	case family == IPv4:
		return nil, fmt.Errorf("%s has no IPv4 address (A record); its IPv6 addresses were not asked (--family ipv4)", name)
	case family == IPv6:
		return nil, fmt.Errorf("%s has no IPv6 address (AAAA record); its IPv4 addresses were not asked (--family ipv6)", name)
	}
	return nil, fmt.Errorf("%s has no address (no A or AAAA record)", name)
}

// nameservers finds the zone's servers: its apex NS set, or with
// FromParent the delegation at the parent zone. Names are absolute,
// lower case, sorted.
func (v *verifier) nameservers(ctx context.Context, r *resolver, zone string) ([]string, error) {
	var names []string
	var err error
	if v.opt.FromParent {
		names, err = v.delegation(ctx, r, zone)
	} else {
		names, err = v.apexNS(ctx, r, zone)
	}
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("zone %s has no NS records", zone)
	}
	return names, nil
}

// apexNS asks the resolver for the zone's NS set. A resolver that only
// serves the parent (no recursion) answers with the delegation; the
// servers it names are then asked for the apex NS set themselves.
func (v *verifier) apexNS(ctx context.Context, r *resolver, zone string) ([]string, error) {
	fqdn := dns.Fqdn(zone)
	m, err := r.ask(ctx, fqdn, dns.TypeNS)
	if err != nil {
		return nil, fmt.Errorf("find the servers of %s: %w", zone, err)
	}
	if m.Rcode == dns.RcodeNameError {
		return nil, fmt.Errorf("zone %s is not in the DNS: the resolver answers NXDOMAIN (is it delegated yet?)", zone)
	}
	if names := nsNames(m.Answer, fqdn); len(names) > 0 {
		return names, nil
	}
	names := nsNames(m.Ns, fqdn)
	if len(names) == 0 {
		return nil, fmt.Errorf("zone %s is not in the DNS: the resolver has no NS records for it", zone)
	}
	var last error
	for _, addr := range v.addressesOf(ctx, r, names) {
		a, err := v.q.exchange(ctx, question(fqdn, dns.TypeNS), v.opt.serverAddr(addr))
		if err != nil {
			last = fmt.Errorf("%s: %w", addr, err)
			continue
		}
		if got := nsNames(a.Answer, fqdn); a.Authoritative && len(got) > 0 {
			return got, nil
		}
		last = fmt.Errorf("%s answers no NS records for %s with authority", addr, zone)
	}
	if last == nil {
		last = errors.New("none of them resolves")
	}
	return nil, fmt.Errorf("find the apex NS set of %s from the servers %s: %w", zone, strings.Join(names, ", "), last)
}

// delegation finds the parent zone through the resolver and asks its
// servers for the zone's NS records in their referral.
func (v *verifier) delegation(ctx context.Context, r *resolver, zone string) ([]string, error) {
	fqdn := dns.Fqdn(zone)
	parent, err := parentZone(ctx, r, fqdn)
	if err != nil {
		return nil, err
	}
	m, err := r.ask(ctx, parent, dns.TypeNS)
	if err != nil {
		return nil, fmt.Errorf("find the servers of the parent zone %s: %w", parent, err)
	}
	parentNames := nsNames(m.Answer, parent)
	if len(parentNames) == 0 {
		parentNames = nsNames(m.Ns, parent)
	}
	if len(parentNames) == 0 {
		return nil, fmt.Errorf("the parent zone %s of %s has no NS records at the resolver", parent, zone)
	}
	var last error
	for _, addr := range v.addressesOf(ctx, r, parentNames) {
		a, err := v.q.exchange(ctx, question(fqdn, dns.TypeNS), v.opt.serverAddr(addr))
		if err != nil {
			last = fmt.Errorf("%s: %w", addr, err)
			continue
		}
		if a.Rcode == dns.RcodeNameError {
			return nil, fmt.Errorf("zone %s is not delegated: its parent %s answers NXDOMAIN (at %s)", zone, parent, addr)
		}
		if names := nsNames(a.Ns, fqdn); len(names) > 0 {
			return names, nil
		}
		// A server of the parent that also serves the zone answers with
		// the zone's own NS set.
		if names := nsNames(a.Answer, fqdn); len(names) > 0 {
			return names, nil
		}
		last = fmt.Errorf("%s answers %s with no NS records for it", addr, rcodeName(a.Rcode))
	}
	if last == nil {
		last = errors.New("none of them resolves")
	}
	return nil, fmt.Errorf("find the delegation of %s at its parent %s (servers %s): %w", zone, parent, strings.Join(parentNames, ", "), last)
}

// parentZone finds the zone that holds the delegation of fqdn: the
// resolver's answer for the SOA of fqdn's parent name names it, as the
// answer's owner or, for a name that is no zone apex, in the authority
// section.
func parentZone(ctx context.Context, r *resolver, fqdn string) (string, error) {
	labels := dns.SplitDomainName(fqdn)
	if len(labels) == 0 {
		return "", errors.New("the root zone has no parent")
	}
	up := dns.Fqdn(strings.Join(labels[1:], "."))
	m, err := r.ask(ctx, up, dns.TypeSOA)
	if err != nil {
		return "", fmt.Errorf("find the parent zone of %s: %w", fqdn, err)
	}
	for _, rr := range append(slices.Clone(m.Answer), m.Ns...) {
		if soa, ok := rr.(*dns.SOA); ok {
			return strings.ToLower(soa.Hdr.Name), nil
		}
	}
	return "", fmt.Errorf("find the parent zone of %s: the resolver answers no SOA for %s", fqdn, up)
}

// addressesOf resolves names to their addresses of the chosen family,
// leaving out those that do not resolve.
func (v *verifier) addressesOf(ctx context.Context, r *resolver, names []string) []string {
	var out []string
	for _, n := range names {
		if addrs, err := r.addresses(ctx, n, v.opt.Family); err == nil {
			out = append(out, addrs...)
		}
	}
	return out
}

// nsNames are the targets of the NS records of owner, lower case, sorted.
func nsNames(rrs []dns.RR, owner string) []string {
	var out []string
	for _, rr := range rrs {
		if ns, ok := rr.(*dns.NS); ok && strings.EqualFold(ns.Hdr.Name, owner) {
			out = append(out, strings.ToLower(dns.Fqdn(ns.Ns)))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
