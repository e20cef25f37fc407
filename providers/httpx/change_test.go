package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/faults"
)

// store is a tiny API with one change of each kind, none of them safe to
// repeat: POST /create adds a record (a second one is refused as a
// duplicate), /update replaces its value only when it holds the value
// asked from (a record already changed is refused), /delete removes it
// (a record already gone is refused), /zone creates the zone (a second
// create is refused).
type store struct {
	mu     sync.Mutex
	zone   bool
	record map[string]string // name -> value
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	name, value, _ := strings.Cut(string(body), "=")
	s.mu.Lock()
	defer s.mu.Unlock()
	refuse := func(why string) { http.Error(w, why, http.StatusConflict) }
	switch r.URL.Path {
	case "/zone":
		if s.zone {
			refuse("zone exists")
			return
		}
		s.zone = true
	case "/create":
		if _, ok := s.record[name]; ok {
			refuse("record exists")
			return
		}
		s.record[name] = value
	case "/update":
		from, to, _ := strings.Cut(value, ">")
		if s.record[name] != from {
			refuse("record does not hold " + from)
			return
		}
		s.record[name] = to
	case "/delete":
		if _, ok := s.record[name]; !ok {
			refuse("no such record")
			return
		}
		delete(s.record, name)
	}
	w.Write([]byte("ok"))
}

// kind is one kind of operation: what it sends, what landed reads, and
// the state it leaves.
type kind struct {
	name, path, body string
	seed             func(*store)
	landed           func(*store) bool
}

var kinds = []kind{
	{"create", "/create", "www=192.0.2.1", func(*store) {},
		func(s *store) bool { return s.record["www"] == "192.0.2.1" }},
	{"update", "/update", "www=192.0.2.1>192.0.2.2", func(s *store) { s.record["www"] = "192.0.2.1" },
		func(s *store) bool { return s.record["www"] == "192.0.2.2" }},
	{"delete", "/delete", "www=", func(s *store) { s.record["www"] = "192.0.2.1" },
		func(s *store) bool { _, ok := s.record["www"]; return !ok }},
	{"zone-level", "/zone", "", func(*store) {},
		func(s *store) bool { return s.zone }},
}

// TestChangeFaultMatrix: every fault a fake injects, on every kind of
// operation, through Change. The change lands exactly once; the check is
// made only after a try that was sent, and a try is sent again only when
// the check says the first did not land.
func TestChangeFaultMatrix(t *testing.T) {
	for _, tc := range []struct {
		fault                  faults.Kind
		sends, checks, retries int
	}{
		{faults.None, 1, 0, 0},
		{faults.ServerError, 2, 1, 1},     // answered 5xx, state untouched: checked, sent again
		{faults.RateLimit, 2, 1, 1},       // answered 429: the same
		{faults.Timeout, 2, 1, 1},         // no answer before the client gave up: checked, not there, sent again
		{faults.Reset, 2, 1, 1},           // dropped before the handler: checked, not there, sent again
		{faults.ResetAfterApply, 1, 1, 1}, // stored, then dropped: the check finds it, not sent again
		{faults.Slow, 1, 0, 0},            // answered late but in time
	} {
		for _, k := range kinds {
			t.Run(tc.fault.String()+"/"+k.name, func(t *testing.T) {
				st := &store{record: map[string]string{}}
				k.seed(st)
				in := &faults.Injector{SlowDelay: time.Millisecond}
				srv := httptest.NewServer(in.Wrap(st))
				defer srv.Close()
				c := &Client{HTTP: &http.Client{Timeout: 200 * time.Millisecond}, Sleep: func(context.Context, time.Duration) error { return nil }}
				var lines []string
				ctx := providers.WithLog(context.Background(), func(format string, args ...any) {
					if line := fmt.Sprintf(format, args...); strings.HasPrefix(line, "test: ") {
						lines = append(lines, line)
					}
				})
				checks := 0
				landed := func(context.Context) (bool, error) {
					checks++
					st.mu.Lock()
					defer st.mu.Unlock()
					return k.landed(st), nil
				}
				send := func(ctx context.Context) error {
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+k.path, strings.NewReader(k.body))
					resp, err := c.Do(ctx, req)
					if err == nil && resp.Status != http.StatusOK {
						err = fmt.Errorf("HTTP %d: %s", resp.Status, resp.Body)
					}
					return err
				}
				in.Script(tc.fault)
				err := c.Change(ctx, "test: "+k.name, send, landed)
				require.NoError(t, err)
				assert.Equal(t, tc.sends, in.Calls(k.path), "sends")
				assert.Equal(t, tc.checks, checks, "checks")
				assert.Len(t, lines, tc.retries, "one log line per retry: %q", lines)
				st.mu.Lock()
				defer st.mu.Unlock()
				assert.True(t, k.landed(st), "the change landed")
			})
		}
	}
}

// Errors a scripted try ends with.
var (
	sentFailure   = &TransientError{Err: errors.New("POST /x: connection closed by the server before a response"), Sent: true}
	unsentFailure = &TransientError{Err: errors.New("POST /x: dial: connection refused"), Sent: false}
	refused       = errors.New("HTTP 409: record exists")
	checkDown     = &TransientError{Err: errors.New("GET /records: HTTP 503"), Sent: true}
	checkBroken   = errors.New("GET /records: the answer is not JSON")
)

// TestChangePolicy: the rows of Change's documented policy, with tries and
// checks scripted.
func TestChangePolicy(t *testing.T) {
	type check struct {
		done bool
		err  error
	}
	for _, tc := range []struct {
		name     string
		tries    []error // what each try returns; the last one repeats
		checks   []check // what each check returns; the last one repeats
		noLanded bool    // a change safe to repeat: no landed function
		cancel   bool    // ctx ends with the first try
		// want
		sends, nchecks int
		err            string // "" for success
		unknown        bool
		lines          []string
	}{
		{
			name:  "a try never sent is sent again without a check",
			tries: []error{unsentFailure, nil}, sends: 2, nchecks: 0,
			lines: []string{"test: try 2 of 5 after a transient failure"},
		},
		{
			name:  "a try never sent, every time: a plain failure, not unknown",
			tries: []error{unsentFailure}, sends: 5, nchecks: 0,
			err: "POST /x: dial: connection refused (after 5 attempts)",
			lines: []string{"test: try 2 of 5 after a transient failure", "test: try 3 of 5 after a transient failure",
				"test: try 4 of 5 after a transient failure", "test: try 5 of 5 after a transient failure"},
		},
		{
			name:  "a sent try is checked; found landed, it is not sent again",
			tries: []error{sentFailure}, checks: []check{{done: true}}, sends: 1, nchecks: 1,
			lines: []string{"test: try 2 of 5: an earlier try took effect; not sending it again"},
		},
		{
			name:  "a check that fails transiently is made again on the next try",
			tries: []error{sentFailure, nil}, checks: []check{{err: checkDown}, {done: false}}, sends: 2, nchecks: 2,
			lines: []string{"test: try 2 of 5: checking whether an earlier try took effect failed", "test: try 3 of 5 after a transient failure"},
		},
		{
			name:  "a check that fails for good stops the retries; the final check fails too: unknown",
			tries: []error{sentFailure}, checks: []check{{err: checkBroken}}, sends: 1, nchecks: 2,
			err:     "POST /x: connection closed by the server before a response; checking whether that try took effect failed too: GET /records: the answer is not JSON",
			unknown: true,
			lines:   []string{"test: try 2 of 5: checking whether an earlier try took effect failed"},
		},
		{
			name:  "a late commit: the repeat is refused, the final check finds the change, success",
			tries: []error{sentFailure, refused}, checks: []check{{done: false}, {done: true}}, sends: 2, nchecks: 2,
			lines: []string{"test: try 2 of 5 after a transient failure", "test: an earlier try took effect late; the last try's failure is its success"},
		},
		{
			name:  "every try sent and lost, the final check finds the change: success",
			tries: []error{sentFailure}, checks: []check{{}, {}, {}, {}, {done: true}}, sends: 5, nchecks: 5,
			lines: []string{"test: try 2 of 5 after a transient failure", "test: try 3 of 5 after a transient failure",
				"test: try 4 of 5 after a transient failure", "test: try 5 of 5 after a transient failure",
				"test: an earlier try took effect late; the last try's failure is its success"},
		},
		{
			name:  "every try sent and lost, the final check says not there: a plain failure",
			tries: []error{sentFailure}, checks: []check{{}}, sends: 5, nchecks: 5,
			err: "POST /x: connection closed by the server before a response (after 5 attempts)",
			lines: []string{"test: try 2 of 5 after a transient failure", "test: try 3 of 5 after a transient failure",
				"test: try 4 of 5 after a transient failure", "test: try 5 of 5 after a transient failure"},
		},
		{
			name:  "every try sent and lost, the final check fails: unknown",
			tries: []error{sentFailure}, checks: []check{{}, {}, {}, {}, {err: checkBroken}}, sends: 5, nchecks: 5,
			err: "POST /x: connection closed by the server before a response (after 5 attempts)", unknown: true,
			lines: []string{"test: try 2 of 5 after a transient failure", "test: try 3 of 5 after a transient failure",
				"test: try 4 of 5 after a transient failure", "test: try 5 of 5 after a transient failure"},
		},
		{
			name:  "a refusal after a try never sent is a plain failure, unchecked",
			tries: []error{unsentFailure, refused}, sends: 2, nchecks: 0,
			err:   "HTTP 409: record exists",
			lines: []string{"test: try 2 of 5 after a transient failure"},
		},
		{
			name:  "cancelled after a sent try: no final check, unknown",
			tries: []error{sentFailure}, cancel: true, sends: 1, nchecks: 0,
			err: "POST /x: connection closed by the server before a response (gave up waiting to retry: context canceled)", unknown: true,
		},
		{
			name:  "without landed, a sent try is sent again unchecked",
			tries: []error{sentFailure, nil}, noLanded: true, sends: 2,
			lines: []string{"test: try 2 of 5 after a transient failure"},
		},
		{
			name:  "without landed, a last try sent and lost is unknown",
			tries: []error{sentFailure}, noLanded: true, sends: 5,
			err: "POST /x: connection closed by the server before a response (after 5 attempts)", unknown: true,
			lines: []string{"test: try 2 of 5 after a transient failure", "test: try 3 of 5 after a transient failure",
				"test: try 4 of 5 after a transient failure", "test: try 5 of 5 after a transient failure"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var lines []string
			ctx = providers.WithLog(ctx, func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) })
			c := &Client{Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}
			sends, nchecks := 0, 0
			send := func(context.Context) error {
				sends++
				if tc.cancel {
					cancel()
				}
				return tc.tries[min(sends, len(tc.tries))-1]
			}
			var landed Landed
			if !tc.noLanded {
				landed = func(context.Context) (bool, error) {
					nchecks++
					r := tc.checks[min(nchecks, len(tc.checks))-1]
					return r.done, r.err
				}
			}
			err := c.Change(ctx, "test", send, landed)
			assert.Equal(t, tc.sends, sends, "sends")
			assert.Equal(t, tc.nchecks, nchecks, "checks")
			assert.Equal(t, tc.lines, lines, "log lines")
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.err, err.Error())
			assert.Equal(t, tc.unknown, errors.Is(err, providers.ErrOutcomeUnknown), "outcome unknown")
		})
	}
}
