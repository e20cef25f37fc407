// Package fake is an in-process Plesk XML API server for tests and demos.
// It speaks the packets of Plesk's XML API documentation: POST of a
// <packet> to /enterprise/control/agent.php, authenticated by the KEY
// header or HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD, checked against the schema
// before anything runs, answered with one result element per the
// documented rules. It keeps sites, their zones' records, SOA, type,
// status and master servers, and the server-wide zone template, so a
// request that reaches the template or deletes every record shows.
package fake

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/faults"
)

// AgentPath is where the fake answers, as Plesk does.
const AgentPath = "/enterprise/control/agent.php"

// Versions are the packet versions the fake accepts; a packet without a
// version is run as the latest, as Plesk does.
var Versions = []string{"1.6.3.0", "1.6.3.1", "1.6.3.2", "1.6.3.3", "1.6.3.4", "1.6.3.5",
	"1.6.4.0", "1.6.5.0", "1.6.6.0", "1.6.7.0", "1.6.8.0", "1.6.9.0", "1.6.9.1"}

// maxBody bounds a request packet.
const maxBody = 8 << 20

// Options are the credentials the fake accepts: a secret key, a login and
// password, or both.
type Options struct {
	SecretKey string
	Login     string
	Password  string
}

// Server is a fake Plesk server.
type Server struct {
	opts    Options
	faults  *faults.Injector
	handler http.Handler

	mu        sync.Mutex
	st        *state
	calls     map[string]int
	packets   int
	dangerous []string
}

// New returns a server with no sites that accepts the given credentials.
func New(opts Options) *Server {
	s := &Server{opts: opts, faults: &faults.Injector{}, st: newState(), calls: map[string]int{}}
	s.handler = s.faults.Wrap(http.HandlerFunc(s.serve))
	return s
}

// ServeHTTP answers one request, with the injector's faults applied.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Faults returns the fault injector in front of the server.
func (s *Server) Faults() *faults.Injector { return s.faults }

// serve answers a request that got past the injector.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != AgentPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	w.Write(s.answer(r.Header, body))
}

// answer runs one packet and returns the answer packet.
func (s *Server) answer(h http.Header, body []byte) []byte {
	if mt, _, err := mime.ParseMediaType(h.Get("Content-Type")); err != nil || mt != "text/xml" {
		return systemXML("", apiError{errParse.code, errParse.text + " The request's Content-Type must be text/xml."})
	}
	root, err := parseTree(body)
	if err != nil {
		return systemXML("", apiError{errParse.code, err.Error()})
	}
	if root.name != "packet" {
		return systemXML("", apiError{errParse.code, (&invalid{root.line, "Element '" + root.name + "': No matching global declaration available for the validation root."}).Error()})
	}
	version, given := root.attrValue("version")
	version = strings.TrimSpace(version)
	switch {
	case !given:
		version = Versions[len(Versions)-1]
	case !slices.Contains(Versions, version):
		return systemXML("", errVersion)
	}
	echo := ""
	if given {
		echo = version
	}
	if e := s.authenticate(h); e != nil {
		return systemXML(echo, *e)
	}
	groups, err := parsePacket(root, version)
	if err != nil {
		return systemXML(echo, apiError{errParse.code, err.Error()})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.packets++
	var b strings.Builder
	for _, g := range groups {
		b.WriteString("<" + g.operator + ">")
		for _, a := range g.actions {
			s.calls[g.operator+"/"+a.name]++
			b.WriteString("<" + a.name + ">" + a.run(s) + "</" + a.name + ">")
		}
		b.WriteString("</" + g.operator + ">")
	}
	return packetXML(echo, b.String())
}

// operatorGroup is one operator element of a packet and its operations.
type operatorGroup struct {
	operator string
	actions  []action
}

// operators maps the operators the fake implements to their operations.
var operators = map[string]map[string]func(n *node, version string) (func(s *Server) string, error){
	"dns":  dnsOps,
	"site": siteOps,
}

// parsePacket checks a whole packet against the schema before any of it
// runs: optional request-settings, then one or more operator elements,
// each with one or more operations.
func parsePacket(root *node, version string) ([]operatorGroup, error) {
	c := children(root)
	if rs := c.maybe("request-settings"); rs != nil {
		for _, setting := range rs.kids {
			if setting.name != "setting" {
				return nil, &invalid{setting.line, "Element '" + setting.name + "': This element is not expected. Expected is ( setting )."}
			}
			sc := children(setting)
			for _, name := range []string{"name", "value"} {
				k, err := sc.want(name)
				if err != nil {
					return nil, err
				}
				if _, err := leaf(k); err != nil {
					return nil, err
				}
			}
			if err := sc.end(); err != nil {
				return nil, err
			}
		}
	}
	known := []string{"dns", "site"}
	var groups []operatorGroup
	for c.i < len(root.kids) {
		opN, err := c.want(known...)
		if err != nil {
			return nil, err
		}
		g := operatorGroup{operator: opN.name}
		ops := operators[opN.name]
		for _, k := range opN.kids {
			parse, ok := ops[k.name]
			if !ok {
				return nil, &invalid{k.line, "Element '" + k.name + "': This element is not expected. Expected is one of ( " + expected(sortedKeys(ops)) + " )."}
			}
			run, err := parse(k, version)
			if err != nil {
				return nil, err
			}
			g.actions = append(g.actions, action{operator: opN.name, name: k.name, run: run})
		}
		if len(g.actions) == 0 {
			return nil, &invalid{opN.line, "Element '" + opN.name + "': Missing child element(s). Expected is one of ( " + expected(sortedKeys(ops)) + " )."}
		}
		groups = append(groups, g)
	}
	if len(groups) == 0 {
		return nil, &invalid{root.line, "Element 'packet': Missing child element(s). Expected is one of ( " + expected(known) + " )."}
	}
	return groups, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// authenticate checks the credentials headers; nil means accepted.
func (s *Server) authenticate(h http.Header) *apiError {
	if key, ok := header(h, "KEY"); ok {
		if s.opts.SecretKey == "" || key != s.opts.SecretKey {
			return &errKey
		}
		return nil
	}
	login, okL := header(h, "HTTP_AUTH_LOGIN")
	passwd, okP := header(h, "HTTP_AUTH_PASSWD")
	if !okL && !okP {
		return &errNoAuth
	}
	if s.opts.Login == "" || login != s.opts.Login || passwd != s.opts.Password {
		return &errAuth
	}
	return nil
}

// header reads a header whatever its spelling's case.
func header(h http.Header, name string) (string, bool) {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}

// danger notes a request that reached the server-wide template or all zones.
func (s *Server) danger(what string) { s.dangerous = append(s.dangerous, what) }

// Seed creates a site named after the zone, with the zone's mode, masters,
// TTL (for a zone read from a zone file, the TTL most records have), SOA
// timers and records, so that a demo starts from zone specs.
func (s *Server) Seed(z *model.Zone) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.st.addSite(z.Name)
	if err != nil {
		return err
	}
	undo := func(err error) error {
		s.st.removeSite(st.id)
		return err
	}
	if z.Mode == model.Slave {
		st.zone.typ = "slave"
	}
	if z.TTL != 0 {
		st.zone.soa.ttl = z.TTL
	} else {
		st.zone.soa.ttl = commonTTL(z, st.zone.soa.ttl)
	}
	if z.SOA != nil {
		for _, f := range []struct {
			dst *uint32
			v   uint32
		}{{&st.zone.soa.refresh, z.SOA.Refresh}, {&st.zone.soa.retry, z.SOA.Retry}, {&st.zone.soa.expire, z.SOA.Expire}, {&st.zone.soa.minimum, z.SOA.Minimum}} {
			if f.v != 0 {
				*f.dst = f.v
			}
		}
	}
	for _, ip := range z.Masters {
		s.st.nextMstr++
		s.st.masters[s.st.nextMstr] = &master{id: s.st.nextMstr, siteID: st.id, ip: ip}
	}
	for _, rs := range z.Records {
		for _, v := range rs.Values {
			host, val, opt, err := seedRecord(z.Name, rs.Name, rs.Type, v)
			if err != nil {
				return undo(err)
			}
			if _, bad := s.st.addRecord(st, rs.Type, host, val, opt); bad != nil {
				return undo(fmt.Errorf("fake: seed %s %s %q: error %d %q", rs.Name, rs.Type, v, bad.code, bad.text))
			}
		}
	}
	return nil
}

// commonTTL is the TTL most of a zone's records have, for a zone without a
// zone TTL of its own (one read from a zone file), and def for a zone
// without records or record TTLs. Ties go to the lower TTL.
func commonTTL(z *model.Zone, def uint32) uint32 {
	count := map[uint32]int{}
	for _, rs := range z.Records {
		if rs.TTL != 0 {
			count[rs.TTL] += len(rs.Values)
		}
	}
	best, most := def, 0
	for ttl, n := range count {
		if n > most || n == most && ttl < best {
			best, most = ttl, n
		}
	}
	return best
}
