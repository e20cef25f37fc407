package fake

import (
	"strconv"
	"strings"
)

// soaRanges are modify-soa's documented ranges (wiki article 63).
var soaRanges = []struct {
	param    string
	min, max int
}{
	{"refresh", 1200, 43200},
	{"retry", 180, 2419200},
	{"expire", 1209600, 2419200},
	{"default-ttl", 60, 2419200},
}

func (s *Server) soaDetails(p params) (any, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		"serialNumber": strconv.Itoa(z.serial),
		"primaryNS":    z.soa.PrimaryNS,
		"adminMail":    z.soa.AdminMail,
		"refresh":      strconv.Itoa(z.soa.Refresh),
		"retry":        strconv.Itoa(z.soa.Retry),
		"expire":       strconv.Itoa(z.soa.Expire),
		"defaultTTL":   strconv.Itoa(z.soa.DefaultTTL),
	}, nil
}

func (s *Server) modifySOA(p params) (any, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, err
	}
	ns := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p.get("primary-ns")), "."))
	if !validHostname(ns) || !strings.Contains(ns, ".") {
		return nil, fail(errPrimaryNS)
	}
	mail := strings.TrimSpace(p.get("admin-mail"))
	if !validMail(mail) {
		return nil, fail(errAdminMail)
	}
	var v [4]int
	for i, r := range soaRanges {
		n, ok := p.integer(r.param)
		if !ok || n < r.min || n > r.max {
			return nil, fail(errSOANumber)
		}
		v[i] = n
	}
	z.soa = SOA{PrimaryNS: ns, AdminMail: mail, Refresh: v[0], Retry: v[1], Expire: v[2], DefaultTTL: v[3]}
	z.changed()
	return success(okSOA), nil
}

// validMail checks an admin mail address: user@host.
func validMail(mail string) bool {
	user, domain, ok := strings.Cut(mail, "@")
	return ok && user != "" && !strings.ContainsAny(user, " \t@\"") && validHostname(domain) && strings.Contains(domain, ".")
}
