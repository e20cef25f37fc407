package telecomx

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/zonesync/zonesync/providers"
)

// auth holds the credentials and the session token. A long-lived token is
// used as it is; username and password are exchanged for a session token at
// the first call, and again when the API says the session expired.
type auth struct {
	client             *Client
	static             string
	username, password string

	mu      sync.Mutex
	session string
}

// loginBody is the body of POST /auth/login. persist is left false: the
// session ends by itself 15 minutes after zonesync's last call.
type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// loginAnswer is the part of the login answer zonesync uses.
type loginAnswer struct {
	Token            string `json:"token"`
	ExpiresInMinutes int    `json:"expiresInMinutes"`
}

// canRenew reports whether a new session can be had when one expires.
func (a *auth) canRenew() bool { return a.static == "" }

// current returns the token in use.
func (a *auth) current() string {
	if a.static != "" {
		return a.static
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.session
}

// token returns the token to send, logging in first if there is none.
func (a *auth) token(ctx context.Context) (string, error) {
	if a.static != "" {
		return a.static, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == "" {
		if err := a.login(ctx); err != nil {
			return "", err
		}
	}
	return a.session, nil
}

// renew logs in again after stale was refused as expired, unless another
// call already did, so that concurrent calls share one new session.
func (a *auth) renew(ctx context.Context, stale string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == stale || a.session == "" {
		providers.Logf(ctx, "telecomx: the session expired; logging in again")
		a.session = ""
		if err := a.login(ctx); err != nil {
			return "", err
		}
	}
	return a.session, nil
}

// login exchanges username and password for a session token; a.mu is held.
func (a *auth) login(ctx context.Context) error {
	r := &request{method: http.MethodPost, path: "/auth/login", body: loginBody{Username: a.username, Password: a.password}, noAuth: true}
	var ans loginAnswer
	// A transient failure is retried by the call that needed the login.
	if err := a.client.once(ctx, r, &ans); err != nil {
		return err
	}
	if ans.Token == "" {
		return errors.New("telecomx: POST /auth/login: the answer holds no token")
	}
	// Scrubbed from every error from now on, like the password.
	a.client.http.Secrets.Add(ans.Token)
	a.session = ans.Token
	return nil
}
