package httpx

import (
	"context"
	"fmt"

	"github.com/zonesync/zonesync/providers"
)

// Landed checks whether a change whose answer was lost took effect after
// all: true when the state the change makes is there (the record exists
// with its value, the record is gone, the zone exists in the mode asked
// for). It must not change anything. Change calls it only after a try
// that was sent.
type Landed func(ctx context.Context) (bool, error)

// Change sends a change that may not be safe to repeat, and is the one
// late-commit protocol every HTTP provider uses. send makes one try
// (building and sending the request, reading the answer); Change retries
// it like Retry, and before each retry of a try that was sent (Sent: it
// may have reached the server and taken effect without an answer saying
// so) it asks landed, so that a change is never made twice. The policy:
//
//   - landed is asked only after a try that was sent. A try that never
//     left (a refused connection, a login that failed first) is simply
//     sent again.
//   - When landed says the change is there, Change stops and succeeds.
//   - When landed fails, the failure is transient (and the retries go on,
//     checking again) only if its cause is; otherwise the retries stop.
//   - Before reporting a failure after a sent try, Change asks landed once
//     more, unless ctx has ended: a try can land after the check before
//     the next one, and the repeat is then refused (a duplicate, a record
//     already gone), although the state is what the change wanted. When
//     landed says so, the change succeeded.
//   - A failure is returned as providers.OutcomeUnknown(err) when the
//     change may have taken effect and nothing confirmed that it did not:
//     a try was sent and the final check could not be made (or failed),
//     or, without landed, the last try was sent. When the final check
//     says the change is not there, the failure is a plain one.
//   - Every retry logs one line (providers.Logf) naming the call by name,
//     which must hold no credential or record data ("cloudns:
//     add-record", "telecomx: POST /dns/example.com/record").
//
// landed may be nil for a change that is safe to repeat (setting a value
// to what it already is): a sent try is then sent again without a check.
//
// How the providers map onto it: ClouDNS's call is send (once and the
// answer's decoding) with its landedFunc as landed. Telecom X's call is
// send (once), with a failed login returned as a transient error that
// was not sent, and its landed function as landed. Plesk's send posts the
// packet of the steps still pending and settles each step from its result
// element; its landed is reconcile, which reads the zone, settles the
// steps it shows landed and reports true once none is pending; a step
// refused after an earlier sent try makes send return an error, so that
// Change's final check settles it. Reads are not changes: they use Retry.
func (c *Client) Change(ctx context.Context, name string, send func(ctx context.Context) error, landed Landed) error {
	attempts := c.attempts()
	sent := false  // a try went out that may have taken effect
	var last error // the last try's failure
	try := 0
	err := c.Retry(ctx, func() error {
		if try++; try > 1 {
			if sent && landed != nil {
				done, err := landed(ctx)
				if err != nil {
					providers.Logf(ctx, "%s: try %d of %d: checking whether an earlier try took effect failed", name, try, attempts)
					return &checkError{try: last, err: err}
				}
				if done {
					providers.Logf(ctx, "%s: try %d of %d: an earlier try took effect; not sending it again", name, try, attempts)
					return nil
				}
			}
			providers.Logf(ctx, "%s: try %d of %d after a transient failure", name, try, attempts)
		}
		last = send(ctx)
		if Sent(last) {
			sent = true
		}
		return last
	})
	if err == nil {
		return nil
	}
	unsure := Sent(err)
	if sent && landed != nil {
		unsure = true
		if ctx.Err() == nil {
			done, cerr := landed(ctx)
			if cerr == nil && done {
				providers.Logf(ctx, "%s: an earlier try took effect late; the last try's failure is its success", name)
				return nil
			}
			unsure = cerr != nil
		}
	}
	if unsure {
		return providers.OutcomeUnknown(err)
	}
	return err
}

// attempts is how many tries Retry makes.
func (c *Client) attempts() int {
	if c.MaxAttempts <= 0 {
		return 5
	}
	return c.MaxAttempts
}

// checkError is a failure to find out whether an earlier try took
// effect. It says what that try's failure was, and unwraps to the check's
// own error only, so that it is transient exactly when its cause is.
type checkError struct{ try, err error }

func (e *checkError) Error() string {
	return fmt.Sprintf("%v; checking whether that try took effect failed too: %v", e.try, e.err)
}

func (e *checkError) Unwrap() error { return e.err }
