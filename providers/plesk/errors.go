package plesk

import (
	"errors"
	"fmt"
)

// Error codes the provider reacts to (Plesk's reduced list of error codes).
const (
	codeObjectNotFound = 1013 // "Object does not exist": a record, master or site that is gone
	codeOwnerNotFound  = 1015 // "site does not exist": the zone's site is gone
)

// APIError is an error Plesk reported, for the whole packet (system) or for
// one operation (a result with status error).
type APIError struct {
	Code int
	Text string
}

// Error quotes Plesk's own code and text, as reports show them.
func (e *APIError) Error() string { return fmt.Sprintf("error %d %q", e.Code, e.Text) }

// hasCode reports whether err is a Plesk error with the given code.
func hasCode(err error, code int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}
