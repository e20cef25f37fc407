package providers

import (
	"context"
	"errors"
)

// ErrOutcomeUnknown marks the error of an operation whose change was sent
// and may have taken effect, but whose outcome could not be confirmed: the
// answer was lost, the apply was cancelled while it was in flight, or the
// retries ran out and the check of whether it landed could not be made.
// apply reports such an operation "unknown", not "failed".
var ErrOutcomeUnknown = errors.New("sent, outcome not confirmed")

// OutcomeUnknown wraps err, the failure of a change that may nevertheless
// have taken effect, so that errors.Is(err, ErrOutcomeUnknown) holds. The
// message stays err's.
func OutcomeUnknown(err error) error {
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		return err
	}
	return &outcomeUnknown{err: err}
}

type outcomeUnknown struct{ err error }

func (e *outcomeUnknown) Error() string        { return e.err.Error() }
func (e *outcomeUnknown) Unwrap() error        { return e.err }
func (e *outcomeUnknown) Is(target error) bool { return target == ErrOutcomeUnknown }

// Confirmed undoes OutcomeUnknown once a check showed that the change did
// not take effect: the error is then a plain failure again.
func Confirmed(err error) error {
	var u *outcomeUnknown
	if errors.As(err, &u) && err == error(u) {
		return u.err
	}
	return err
}

// ErrZoneChanged is the refusal to change a zone that changed at its
// provider since it was read: the plan was made from a state that is gone,
// so carrying it out could undo the other change.
var ErrZoneChanged = errors.New("the zone changed since it was read: make a new plan")

// ZoneLocker is implemented by providers that can keep other zonesync
// processes from changing a zone while one applies to it. apply holds the
// lock from the re-read of the zone before its first change until its last.
//
// A provider without it is normal: an HTTP API or a DNS server offers no
// lock a client could hold, and apply's re-read before the first change
// then narrows, without closing, the window in which another writer's
// change can be overwritten (see the README).
type ZoneLocker interface {
	// LockZone waits, until ctx ends, for the zone's lock, and returns the
	// function that releases it. The lock must also be released when the
	// process dies, however it dies.
	LockZone(ctx context.Context, zone string) (unlock func(), err error)
}

// DSReader is implemented by providers that sign zones (capability
// DNSSEC): apply asks it, after it signed a zone, for the DS records to
// print for the registrar. A provider without DNSSEC has nothing to say.
type DSReader interface {
	// DS returns the DS records the zone's parent should hold, RDATA in
	// presentation form ("24607 13 2 ab02..."), none for an unsigned zone.
	DS(ctx context.Context, zone string) ([]string, error)
}
