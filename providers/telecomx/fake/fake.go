// Package fake is an in-process fake of the Telecom X REST API (DNS subset
// and login), for tests and for `zonesync-fake -provider telecomx`. It keeps
// customers, users with access levels, session tokens that expire when
// idle, domains with their records, serial and TTL, and speaks the wire
// format of the vendor's wiki: paths, parameters, field names, value
// ranges, error envelope, codes and messages. Faults are injected in front
// of it by a faults.Injector, which also counts calls per endpoint.
package fake

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zonesync/zonesync/providers/faults"
)

// Access levels of the API.
const (
	Viewer        = "VIEWER"
	Manager       = "MANAGER"
	Owner         = "OWNER"
	Reseller      = "RESELLER"
	ResellerAdmin = "RESELLER_ADMIN"
	Admin         = "ADMIN"
)

// DefaultCustomer is the customer the Options' user and token belong to.
const DefaultCustomer = "5c3e1f0a9b8d7c6e5f4a3b21"

// DefaultProduct is the product domains are created with when none is given.
const DefaultProduct = "5c3e1f0a9b8d7c6e5f4aaaa1"

// DefaultTokenIdle is how long a session token lives without a call (documented: 15 minutes).
const DefaultTokenIdle = 15 * time.Minute

// Options configure a fake.
type Options struct {
	// Username and Password log in as an OWNER of DefaultCustomer, if set.
	Username, Password string
	// Token is a long-lived machine token of an OWNER of DefaultCustomer, if set.
	Token string
	// Now is the fake's clock (default time.Now); tests move it to expire tokens.
	Now func() time.Time
	// TokenIdle is how long a session token lives without a call (default 15 minutes).
	TokenIdle time.Duration
}

// Server is the fake API. Its zero value is not usable; call New.
type Server struct {
	mu        sync.Mutex
	now       func() time.Time
	tokenIdle time.Duration
	customers map[string]string // id -> parent (reseller) id
	products  map[string]bool
	users     map[string]*user
	sessions  map[string]*session
	domains   map[string]*domain
	faults    *faults.Injector
	handler   http.Handler
}

// user is an employee who can log in.
type user struct {
	id, password, customer, level string
}

// session is what a token stands for.
type session struct {
	employee, customer, level string
	last                      time.Time
	// persist and machine tokens never expire.
	persist, machine bool
	// ip is the address that logged in; a session token is bound to it.
	ip string
}

// New returns a fake with one customer and the users and tokens opts ask for.
func New(opts Options) *Server {
	s := &Server{
		now:       opts.Now,
		tokenIdle: opts.TokenIdle,
		customers: map[string]string{DefaultCustomer: ""},
		products:  map[string]bool{DefaultProduct: true},
		users:     map[string]*user{},
		sessions:  map[string]*session{},
		domains:   map[string]*domain{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.tokenIdle == 0 {
		s.tokenIdle = DefaultTokenIdle
	}
	if opts.Username != "" {
		s.AddUser(opts.Username, opts.Password, DefaultCustomer, Owner)
	}
	if opts.Token != "" {
		s.AddToken(opts.Token, DefaultCustomer, Owner)
	}
	s.faults = &faults.Injector{
		Endpoint:     endpoint,
		RateLimited:  func(w http.ResponseWriter) { w.Header().Set("Retry-After", "1"); errRateLimited.write(w) },
		ServerFailed: func(w http.ResponseWriter) { errInternal.write(w) },
	}
	s.handler = s.faults.Wrap(s.routes())
	return s
}

// ServeHTTP serves the API, faults applied.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Faults returns the injector: script or randomise faults, read call counts.
func (s *Server) Faults() *faults.Injector { return s.faults }

// routes maps the documented endpoints to their handlers.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", s.login)
	mux.HandleFunc("GET /auth/login", s.login)
	mux.HandleFunc("GET /dns", s.authed(s.list))
	mux.HandleFunc("POST /dns", s.authed(s.createDomain))
	mux.HandleFunc("GET /dns/{domain}", s.authed(s.getDomain))
	mux.HandleFunc("POST /dns/{domain}", s.authed(s.updateDomain))
	mux.HandleFunc("DELETE /dns/{domain}", s.authed(s.deleteDomain))
	mux.HandleFunc("GET /dns/{domain}/check", s.authed(s.check))
	mux.HandleFunc("POST /dns/{domain}/record", s.authed(s.createRecord))
	mux.HandleFunc("PUT /dns/{domain}/record", s.authed(s.updateRecord))
	mux.HandleFunc("DELETE /dns/{domain}/record", s.authed(s.deleteRecord))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { errNoRoute.write(w) })
	return mux
}

// endpoint names the endpoint a request counts under, e.g. "DELETE /dns/{domain}/record".
func endpoint(r *http.Request) string {
	p := r.URL.Path
	if rest, ok := strings.CutPrefix(p, "/dns/"); ok {
		parts := strings.Split(rest, "/")
		switch {
		case len(parts) == 1:
			p = "/dns/{domain}"
		case len(parts) == 2:
			p = "/dns/{domain}/" + parts[1]
		}
	}
	return r.Method + " " + p
}

// SetTokenIdle changes how long session tokens live without a call.
func (s *Server) SetTokenIdle(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenIdle = d
}

// AddCustomer adds a customer; parent is its reseller's customer id, or "".
func (s *Server) AddCustomer(id, parent string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.customers[id] = parent
}

// AddProduct adds an invoicing product domains can be created with.
func (s *Server) AddProduct(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products[id] = true
}

// AddUser adds an employee of customer with an access level, who logs in with username and password.
func (s *Server) AddUser(username, password, customer, level string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.customers[customer]; !ok {
		s.customers[customer] = ""
	}
	s.users[username] = &user{id: newID(), password: password, customer: customer, level: level}
}

// AddToken adds a machine token of customer with an access level; it never expires.
func (s *Server) AddToken(token, customer, level string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.customers[customer]; !ok {
		s.customers[customer] = ""
	}
	s.sessions[token] = &session{employee: newID(), customer: customer, level: level, machine: true}
}

// Sessions returns how many tokens are alive, for tests of logins.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// newID returns a fresh 24-hex id, as the API's ids look.
func newID() string { return randomHex(12) }

// newToken returns a fresh session token.
func newToken() string { return randomHex(24) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
