package fake

// Every error code and text the fake answers with, in one place. Each is
// marked with where it comes from (the pages are listed in the provider's
// README, Vendor documentation):
//
//	[doc]   a sample of Plesk's XML API documentation, such as the switch
//	        page (https://docs.plesk.com/en-US/onyx/api-rpc/reference/managing-dns/managing-name-servers/switching-name-server-mode.34992/),
//	        or its reduced list of error codes
//	        (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/error-codes/reduced-list-of-error-codes.33765/)
//	[guess] on no Plesk page we read: the closest documented code with a
//	        plain text, or a code and text from the list used where no page
//	        says Plesk uses it.

// apiError is an error code and its text.
type apiError struct {
	code int
	text string
}

var (
	// System errors (the whole packet is refused).

	// errVersion: unsupported packet version. [doc "Handling Errors"]
	errVersion = apiError{1005, "XML API protocol version not supported."}
	// errAuth: wrong login or password. Code 1001 is [doc] (reduced list);
	// the text is the list's description of the code: what Plesk sends
	// as errtext is not on any page we read, so the text is a [guess].
	errAuth = apiError{1001, "Authentication failed - wrong password."}
	// errKey: a KEY header that is not a valid secret key. [guess] (the
	// reduced list names 11003 and this description; no page says a wrong
	// key gets it)
	errKey = apiError{11003, "Secret key validation failed."}
	// errNoAuth: neither KEY nor login headers. [guess: code 1029 of the reduced list]
	errNoAuth = apiError{1029, "Unknown authentication method."}
	// errParse prefixes every packet that is not well-formed or breaks the
	// schema; the detail after it mimics libxml2's schema messages. [doc
	// code 1014 and "Parser error: Request is invalid"; the detail is a guess]
	errParse = apiError{1014, "Parser error: Request is invalid."}

	// Per-result errors.

	// errRecordMissing: del_rec of an unknown record id. [doc]
	errRecordMissing = apiError{1013, "DNS record does not exist."}
	// errSiteMissing: switch of an unknown site-id. [doc] the switch page's
	// second sample, without a period.
	errSiteMissing = apiError{1015, "site does not exist"}
	// errSiteMissingDot: get_master_server of an unknown site. The docs
	// spell it with a period on this page. [doc] The other dns operations
	// (get_rec, get, set, add_rec, add_master_server, del_master_server)
	// use it too. [guess]
	errSiteMissingDot = apiError{1015, "site does not exist."}
	// errSiteNotFound: site get of an unknown name or id. [guess] (a
	// third-party client's test fixture has it; no Plesk page does)
	errSiteNotFound = apiError{1013, "Site does not exist"}
	// errInvalidValue: a record value, host or IP address Plesk refuses.
	// [doc code and text of the reduced list; that add_rec uses it is a guess]
	errInvalidValue = apiError{1019, "Invalid value."}
	// errExists: a record or master server that is already there. [doc code
	// and text of the reduced list; that add_rec uses it is a guess]
	errExists = apiError{1007, "Inserted data already exists."}
	// errCNAMEConflict: a CNAME beside other data at one host, which DNS
	// forbids. [guess: code 1007, text ours]
	errCNAMEConflict = apiError{1007, "Inserted data already exists: a CNAME record cannot share its host with other records."}
	// errSiteAlias: the fake keeps no site aliases. [guess] (the text is
	// the docs' generic "object not found" sample of webspace get)
	errSiteAlias = apiError{1013, "Object not found."}
)

// masterMissing is get_master_server's or del_master_server's answer for
// an unknown master-server id. [doc "Master server is not found. ID : 5"]
func masterMissing(id uint64) apiError {
	return apiError{1013, "Master server is not found. ID : " + itoa(id)}
}
