// Package fake is an in-process fake of the ClouDNS HTTP API for tests and
// demos: it keeps zones, records, SOA, master servers and per-record
// failover, speaks the API's wire format (HTTP 200 for everything, errors
// as {"status":"Failed","statusDescription":...}, records keyed by id,
// numbers as strings), and injects faults through faults.Injector.
package fake

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/zonesync/zonesync/providers/faults"
	"golang.org/x/time/rate"
)

// Options are the credentials the fake accepts and its knobs. An identity
// left empty is refused.
type Options struct {
	// AuthID is the API user id accepted as auth-id.
	AuthID string
	// SubAuthID is the sub-user id accepted as sub-auth-id.
	SubAuthID string
	// SubAuthUser is the sub-user name accepted as sub-auth-user.
	SubAuthUser string
	// Password is the auth-password of every identity.
	Password string
	// RequestsPerSecond, when positive, blocks a client IP that sends
	// faster, with ClouDNS's own answer (the real limit is 20).
	RequestsPerSecond float64
}

// Server is the fake API. Use it as an http.Handler (httptest.NewServer).
type Server struct {
	opts    Options
	inj     *faults.Injector
	handler http.Handler

	mu         sync.Mutex
	zones      map[string]*zone
	nextID     int
	nextMaster int
	limiters   map[string]*rate.Limiter
	blocked    int
}

// New returns an empty fake accepting opts' credentials.
func New(opts Options) *Server {
	s := &Server{opts: opts, zones: map[string]*zone{}, nextID: 1000, nextMaster: 10, limiters: map[string]*rate.Limiter{}}
	s.inj = &faults.Injector{
		Endpoint: Endpoint,
		RateLimited: func(w http.ResponseWriter) {
			writeJSON(w, answer{Status: "Failed", StatusDescription: rateLimitText("127.0.0.1")})
		},
	}
	s.handler = s.inj.Wrap(http.HandlerFunc(s.serve))
	return s
}

// Endpoint names the endpoint a request counts under: the API method,
// e.g. "add-record" for /dns/add-record.json.
func Endpoint(r *http.Request) string {
	p := strings.TrimSuffix(r.URL.Path, ".json")
	return p[strings.LastIndex(p, "/")+1:]
}

// ServeHTTP answers one API request, faults applied.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Faults is the fault injector and call counter in front of the fake.
func (s *Server) Faults() *faults.Injector { return s.inj }

// Blocked returns how many requests the fake's own rate limit (Options.RequestsPerSecond) refused.
func (s *Server) Blocked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blocked
}

// handlerFunc serves one method; it returns the value to answer with, or
// a failed error for a Failed answer.
type handlerFunc func(s *Server, p params) (any, error)

var routes = map[string]handlerFunc{
	"/dns/login.json":                (*Server).login,
	"/login/login.json":              (*Server).login,
	"/dns/get-available-ttl.json":    (*Server).availableTTL,
	"/dns/list-zones.json":           (*Server).listZones,
	"/dns/get-pages-count.json":      (*Server).pagesCount,
	"/dns/get-zones-stats.json":      (*Server).zonesStats,
	"/dns/get-zone-info.json":        (*Server).zoneInfo,
	"/dns/register.json":             (*Server).register,
	"/dns/master-servers.json":       (*Server).masterServers,
	"/dns/add-master-server.json":    (*Server).addMasterServer,
	"/dns/delete-master-server.json": (*Server).deleteMasterServer,
	"/dns/records.json":              (*Server).records,
	"/dns/get-records-count.json":    (*Server).recordsCount,
	"/dns/add-record.json":           (*Server).addRecord,
	"/dns/mod-record.json":           (*Server).modRecord,
	"/dns/delete-record.json":        (*Server).deleteRecord,
	"/dns/soa-details.json":          (*Server).soaDetails,
	"/dns/modify-soa.json":           (*Server).modifySOA,
	"/dns/failover-settings.json":    (*Server).failoverSettings,
	"/dns/failover-activate.json":    (*Server).failoverActivate,
	"/dns/failover-modify.json":      (*Server).failoverModify,
	"/dns/failover-deactivate.json":  (*Server).failoverDeactivate,
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	h, ok := routes[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	if ip := clientIP(r); !s.allow(ip) {
		s.mu.Lock()
		s.blocked++
		s.mu.Unlock()
		writeJSON(w, answer{Status: "Failed", StatusDescription: rateLimitText(ip)})
		return
	}
	p, err := readParams(r)
	if err != nil {
		// ClouDNS reads what it can; a body it cannot parse carries no credentials.
		p = params{}
	}
	if desc := s.authenticate(p); desc != "" {
		writeJSON(w, answer{Status: "Failed", StatusDescription: desc})
		return
	}
	s.mu.Lock()
	out, err := h(s, p)
	s.mu.Unlock()
	var f failed
	if errors.As(err, &f) {
		writeJSON(w, answer{Status: "Failed", StatusDescription: f.desc})
		return
	}
	if err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	writeJSON(w, out)
}

// authenticate returns the Failed description for bad credentials, or "".
func (s *Server) authenticate(p params) string {
	pass := p.get("auth-password")
	switch {
	case p.has("auth-id"):
		if s.opts.AuthID == "" || p.get("auth-id") != s.opts.AuthID || pass != s.opts.Password {
			return errAuth
		}
	case p.has("sub-auth-id"):
		if s.opts.SubAuthID == "" || p.get("sub-auth-id") != s.opts.SubAuthID || pass != s.opts.Password {
			return errSubAuth
		}
	case p.has("sub-auth-user"):
		if s.opts.SubAuthUser == "" || p.get("sub-auth-user") != s.opts.SubAuthUser || pass != s.opts.Password {
			return errSubAuth
		}
	default:
		return errAuth
	}
	return ""
}

// allow applies the optional per-IP rate limit.
func (s *Server) allow(ip string) bool {
	if s.opts.RequestsPerSecond <= 0 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.limiters[ip]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(s.opts.RequestsPerSecond), max(int(s.opts.RequestsPerSecond), 1))
		s.limiters[ip] = l
	}
	return l.Allow()
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// writeJSON answers HTTP 200 with v, as ClouDNS does for every outcome.
func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func (s *Server) login(params) (any, error) { return success(okLogin), nil }
