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

// Documented rows, exactly as the wiki's tables give them.
var (
	errExpired        = apiError{401, "expired", "Session has expired, please login", false}
	errNoAuth         = apiError{401, "credentials_invalid", "Authorization required, please login", false}
	errHeaderFormat   = apiError{401, "format_error", "Authorization header format is Authorization: Bearer <token>", false}
	errUndecipherable = apiError{401, "invalid_token", "Undecipherable", false}
	errWrongIP        = apiError{401, "invalid_token", "IP address not authenticated", false}
	errPleaseLogin    = apiError{401, "invalid_token", "Please login", false}
	errAccessDenied   = apiError{403, "access_denied", "Insufficient access level", false}
	errDNSNotFound    = apiError{404, "not_found", "DNS not found", false}
	errRecordNotFound = apiError{404, "records", "Record not found", false}
	errName           = apiError{422, "name", "Name is invalid", true}
	errType           = apiError{422, "type", "Type is invalid", true}
	errRData          = apiError{422, "rData", "Data is invalid", true}
	errDuplicate      = apiError{409, "name", "Another record with the same name, type and rData already exist", true}
	errPrevious       = apiError{422, "previous", "Previous record missing", true}
)

// Rows the wiki's copy does not show, inferred from the nearest documented
// pattern (a property error is 422 with the property as code and "<Property>
// is invalid"; a missing item is 404 with its name as code). README.md lists them.
var (
	// internal_error is documented; its message is "unspecified".
	errInternal = apiError{500, "internal_error", "Internal error", false}
	// The update page's error table (with a ttl code) is not in the copy read.
	errTTL = apiError{422, "ttl", "TTL is invalid", true}
	// The issue names 404 product; the message is inferred.
	errProductNotFound = apiError{404, "product", "Product not found", true}
	// Create of an existing _id is a conflict (notes); code and message inferred.
	errDomainExists = apiError{409, "_id", "DNS already exists", true}
	// The create page's first row starts "403 dns Unable t…"; the rest is inferred.
	errCreateDenied = apiError{403, "dns", "Unable to create DNS", false}
	errID           = apiError{422, "_id", "Id is invalid", true}
	errLimit        = apiError{422, "limit", "Limit is invalid", true}
	errOffset       = apiError{422, "offset", "Offset is invalid", true}
	// 400 is documented as "URL not parseable"; code and message inferred.
	errBadURL  = apiError{400, "url", "URL could not be parsed", false}
	errBadBody = apiError{400, "body", "Body could not be parsed", false}
	errNoRoute = apiError{404, "not_found", "Not found", false}
	// The API documents no rate limit; this answer is invented for fault injection.
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
