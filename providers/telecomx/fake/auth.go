package fake

import (
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"strings"
)

// tokenPattern is what the fake's session tokens look like; an unknown
// token of another shape cannot be deciphered.
var tokenPattern = regexp.MustCompile(`^[0-9a-f]{48}$`)

// login is POST (or GET, with query parameters) /auth/login.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		Persist  bool   `json:"persist"`
		Cookie   bool   `json:"cookie"`
	}
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		in.Username, in.Password, in.Persist = q.Get("username"), q.Get("password"), q.Get("persist") == "true"
	} else if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		errBadBody.write(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[in.Username]
	if u == nil || in.Username == "" || u.password != in.Password {
		// The login page's error table is not in the copy read; inferred.
		errNoAuth.write(w)
		return
	}
	token := newToken()
	s.sessions[token] = &session{employee: u.id, customer: u.customer, level: u.level, last: s.now(), persist: in.Persist, ip: clientIP(r)}
	expires := int(s.tokenIdle.Minutes())
	if in.Persist {
		expires = -1
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token": token, "expiresInMinutes": expires,
		"employee": u.id, "customer": u.customer, "accessLevel": u.level,
	})
}

// authed checks the bearer token, keeps its session alive, and runs h with
// the state locked.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		sess, fail := s.session(r)
		if fail != nil {
			fail.write(w)
			return
		}
		h(w, r, sess)
	}
}

// session finds the caller's session; s.mu is held.
func (s *Server) session(r *http.Request) (*session, *apiError) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, &errNoAuth
	}
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || token == "" || strings.ContainsAny(token, " \t") {
		return nil, &errHeaderFormat
	}
	sess := s.sessions[token]
	switch {
	case sess == nil && tokenPattern.MatchString(token):
		return nil, &errPleaseLogin
	case sess == nil:
		return nil, &errUndecipherable
	case sess.machine || sess.persist:
		return sess, nil
	case sess.ip != clientIP(r):
		return nil, &errWrongIP
	case s.now().Sub(sess.last) >= s.tokenIdle:
		// The session is kept, so that every later use of the token
		// answers "expired" too, not "Please login".
		return nil, &errExpired
	}
	sess.last = s.now()
	return sess, nil
}

// clientIP is the address a request came from.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// mayRead reports whether the caller may read customer's domains: VIEWER
// and up of that customer, a reseller above it, or an admin.
func (s *Server) mayRead(sess *session, customer string) bool {
	switch sess.level {
	case Admin:
		return true
	case Reseller, ResellerAdmin:
		return s.isBelow(customer, sess.customer)
	case Viewer, Manager, Owner:
		return customer == sess.customer
	}
	return false
}

// mayWrite reports whether the caller may change customer's domains:
// MANAGER or OWNER of that customer, the reseller it belongs to, or an
// admin. The update page names only the customer's own reseller, where the
// list page adds "or a sub reseller", so a reseller further up may read a
// domain but not change it (for the record calls, whose pages say
// "RESELLER" only, the same rule is a guess).
func (s *Server) mayWrite(sess *session, customer string) bool {
	switch sess.level {
	case Viewer:
		return false
	case Reseller, ResellerAdmin:
		return sess.customer != "" && (customer == sess.customer || s.customers[customer] == sess.customer)
	}
	return s.mayRead(sess, customer)
}

// isBelow reports whether customer is top or one of its (sub-)customers.
func (s *Server) isBelow(customer, top string) bool {
	for seen := 0; customer != "" && seen <= len(s.customers); seen++ {
		if customer == top {
			return true
		}
		customer = s.customers[customer]
	}
	return false
}
