package fake

import (
	"encoding/json"
	"net/http"
)

// apiError is one row of the API's error tables: HTTP status, code and message.
type apiError struct {
	status  int
	code    string
	message string
	// property is set for errors about a property of the request; it is
	// sent as the envelope's path.
	property bool
}

// Every status, code and message the fake answers with, in one place. Each
// row is marked with where it comes from:
//
//	[doc]   a row of the vendor wiki's error tables, as the page gives it:
//	        https://wiki.telecomx.dk/doku.php?id=api:dns:update,
//	        https://wiki.telecomx.dk/doku.php?id=api:dns:list, and the pages
//	        of the other calls, api:dns:createrecord, updaterecord,
//	        deleterecord, delete, check, api:ping and api:errors
//	[guess] not on any page we read; inferred from the nearest documented
//	        pattern (a bad property is 422 with the property as code and
//	        "<Property> is invalid"; a missing item is 404 with its name as
//	        code). The provider's README lists every guess.
var (
	errExpired = apiError{401, "expired", "Session has expired, please login", false} // [doc] api:ping
	// errNoAuth is also the fake's answer to a failed login, whose page's
	// error table we have not read: that use is a [guess].
	errNoAuth         = apiError{401, "credentials_invalid", "Authorization required, please login", false}                  // [doc] api:ping
	errHeaderFormat   = apiError{401, "format_error", "Authorization header format is Authorization: Bearer <token>", false} // [doc] api:ping
	errUndecipherable = apiError{401, "invalid_token", "Undecipherable", false}                                              // [doc] api:ping
	errWrongIP        = apiError{401, "invalid_token", "IP address not authenticated", false}                                // [doc] api:ping
	errPleaseLogin    = apiError{401, "invalid_token", "Please login", false}                                                // [doc] api:ping
	errAccessDenied   = apiError{403, "access_denied", "Insufficient access level", false}                                   // [doc] every DNS page
	// errDNSNotFound is documented for update, delete and the record
	// calls; GET /dns/DOMAIN and its /check answering it too is a [guess]
	// (the get page's table was cut off, the check page lists 403 and 500).
	errDNSNotFound    = apiError{404, "not_found", "DNS not found", false}                                             // [doc] api:dns:update, delete and the record pages
	errRecordNotFound = apiError{404, "records", "Record not found", false}                                            // [doc] api:dns:updaterecord, deleterecord
	errName           = apiError{422, "name", "Name is invalid", true}                                                 // [doc] api:dns:createrecord
	errType           = apiError{422, "type", "Type is invalid", true}                                                 // [doc] api:dns:createrecord
	errRData          = apiError{422, "rData", "Data is invalid", true}                                                // [doc] api:dns:createrecord, updaterecord
	errDuplicate      = apiError{409, "name", "Another record with the same name, type and rData already exist", true} // [doc] api:dns:createrecord
	errPrevious       = apiError{422, "previous", "Previous record missing", true}                                     // [doc] api:dns:updaterecord
	// errTTL is the update page's row. That POST /dns (create, whose
	// table is cut after its first row) answers a bad ttl the same way is
	// a [guess]; so is which ttl is bad (README: the range is a guess).
	errTTL = apiError{422, "ttl", "TTL not valid", true} // [doc] api:dns:update
	// errProductNotFound is the update page's row; the create page's use of
	// it is a [guess].
	errProductNotFound = apiError{404, "product", "Product not found", true} // [doc] api:dns:update
	// errCustomerNotFound answers GET /dns?customer= naming no customer.
	errCustomerNotFound = apiError{400, "customer", "Customer not found", true} // [doc] api:dns:list
	// errInternal: status and code are [doc] (every page); the pages give
	// the message as "<unspecified>", so its text is a [guess].
	errInternal = apiError{500, "internal_error", "Internal error", false}

	// Create of an existing _id of the caller's customer. [guess]
	errDomainExists = apiError{409, "_id", "DNS already exists", true}
	// Create of an _id another customer holds: the create page's first row
	// starts "403 dns Unable t…"; the rest of the text is a [guess].
	errCreateDenied = apiError{403, "dns", "Unable to create DNS", false}
	errID           = apiError{422, "_id", "Id is invalid", true} // [guess]
	// The list page gives limit as 1..500 and offset as an index but no
	// error row for values outside them. [guess]
	errLimit  = apiError{422, "limit", "Limit is invalid", true}
	errOffset = apiError{422, "offset", "Offset is invalid", true}
	// 400 is documented as "URL not parseable" (api:errors); code and
	// message are a [guess].
	errBadURL  = apiError{400, "url", "URL could not be parsed", false}
	errBadBody = apiError{400, "body", "Body could not be parsed", false} // [guess]
	errNoRoute = apiError{404, "not_found", "Not found", false}           // [guess]
	// The API documents no rate limit; this answer is invented for fault
	// injection. [guess]
	errRateLimited = apiError{429, "rate_limit", "Too many requests", false}
)

// write sends the error in the documented envelope.
func (e apiError) write(w http.ResponseWriter) {
	body := map[string]any{"code": e.code, "status": e.status, "message": e.message}
	if e.property {
		body["path"] = e.code
	}
	writeJSON(w, e.status, map[string]any{"error": body})
}

// writeJSON sends v as a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
