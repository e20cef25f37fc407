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
	// Code is the result's errcode, 0 when it has none: errcode and
	// errtext are optional in a result, and Plesk's codes start at 1001.
	Code int
	// Text is the result's errtext, "" when it has none.
	Text string
}

// Error quotes Plesk's own code and text, as reports show them, and says
// which of the two Plesk left out rather than printing a code 0 or "".
func (e *APIError) Error() string {
	switch {
	case e.Code != 0 && e.Text != "":
		return fmt.Sprintf("error %d %q", e.Code, e.Text)
	case e.Code != 0:
		return fmt.Sprintf("error %d (Plesk gave no errtext)", e.Code)
	case e.Text != "":
		return fmt.Sprintf("error %q (Plesk gave no errcode)", e.Text)
	}
	return "Plesk answered status error without an errcode or errtext, so it did not say why"
}

// hasCode reports whether err is a Plesk error with the given code.
func hasCode(err error, code int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}
