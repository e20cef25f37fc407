package fake

import "fmt"

// The statusDescription texts the fake answers with, in one place, each
// marked with where it comes from:
//
//	[doc]   ClouDNS's wiki, as the page gives it: modify SOA
//	        (https://www.cloudns.net/wiki/article/63/), failover settings
//	        (https://www.cloudns.net/wiki/article/273/) and the other pages
//	        listed in the provider's README, Vendor documentation
//	[rec]   real answers recorded in the test fixtures of
//	        github.com/ppmathis/cloudns-go
//	[guess] on no ClouDNS page and in no recording: ours, or a third-party
//	        client's, for failures whose real text nobody has captured
//
// Every guess is here, so a captured text replaces one line.
const (
	errAuth            = "Invalid authentication, incorrect auth-id or auth-password."                    // [doc] articles 63, 273
	errSubAuth         = "Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password." // [doc] article 63
	errMissingDomain   = "Missing domain-name"                                                            // [doc] articles 63, 273: an invalid or non-existent domain-name
	errRecordID        = "Invalid record-id param."                                                       // [doc] article 273 [rec]
	errPage            = "Missing required parameter 'page'."                                             // [doc] article 50
	errRowsPerPage     = "Wrong or missing required parameter 'rows-per-page'."                           // [doc] article 50
	errTTL             = "Invalid TTL. Choose from the list of the values we support."                    // [guess] a third-party client's (lego) test fixture
	errPrimaryNS       = "Invalid hostname for Primary NS"                                                // [doc] article 63; for a missing primary-ns too: [guess]
	errAdminMail       = "Invalid admin mail"                                                             // [doc] article 63; for a missing admin-mail too: [guess]
	errSOANumber       = "Invalid Refresh/Retry/Expire/Default TTL value"                                 // [doc] article 63: any of the four out of range or not an integer
	errMasterIP        = "Invalid IP address for the master server."                                      // [doc] article 48
	errMasterID        = "Invalid parameter master-id"                                                    // [doc] article 69
	errGeoDNS          = "Your plan does not support GeoDNS zones."                                       // [doc] article 48, with "status":"int(0)"
	errRecordTypeFixed = "You can't modify the record type."                                              // [guess] the wiki says "you can't modify the record type"
	errZoneType        = "Invalid zone type."                                                             // [guess]
	errRecordType      = "Invalid record type."                                                           // [guess]
	errHost            = "Invalid host."                                                                  // [guess]
	errRecord          = "Invalid record."                                                                // [guess] bad or missing data of any type
	errCNAMEConflict   = "There is another record for this host. CNAME records must be unique."           // [guess]
	errDuplicateRecord = "This record already exists."                                                    // [guess] add-record or mod-record making the same host, type and data twice
	errNotMaster       = "This action is available only for master zones."                                // [guess] record and SOA calls on a slave zone
	errNotSlave        = "This action is available only for slave zones."                                 // [guess] master-server calls on a master zone
	errMasterExists    = "This master server is already added."                                           // [guess]
	errFailoverType    = "DNS Failover is available only for A and AAAA records."                         // [guess]
	errFailoverOn      = "DNS Failover is already activated for this record."                             // [guess]
	errFailoverOff     = "DNS Failover is not activated for this record."                                 // [guess] text; a Failed answer when failover is off: [doc] article 273
	errCheckType       = "Invalid check_type."                                                            // [guess]
	errEventHandler    = "Invalid event handler."                                                         // [guess]
	errFailoverIP      = "Invalid IP address."                                                            // [guess] main_ip / backup_ip_N
	errState           = "Invalid state."                                                                 // [guess]
	errPort            = "Invalid port."                                                                  // [guess]
)

// Success texts.
const (
	okLogin        = "Success login."                              // [rec]
	okAdd          = "The record was added successfully."          // [rec]
	okMod          = "The record was modified successfully."       // [rec]
	okDelete       = "The record was deleted successfully."        // [rec]
	okSOA          = "The SOA record was modified successfully."   // [rec]
	okMasterAdd    = "The master server was added successfully."   // [guess]
	okMasterDelete = "The master server was deleted successfully." // [guess]
	okActivate     = "DNS Failover was activated successfully."    // [guess]
	okModify       = "DNS Failover was modified successfully."     // [guess]
	okDeactivate   = "DNS Failover was deactivated successfully."  // [guess]
)

// Zone-named texts.
func errInvalidDomain(name string) string { return name + " is invalid domain name." } // [doc] article 48
func errAlreadyAdded(name string) string  { return name + " has been already added." } // [doc] article 48
func okRegister(name string) string {
	return fmt.Sprintf("Domain zone %s was created successfully.", name) // [guess]
}

// rateLimitText is the per-IP block, answered with HTTP 200. The limit
// (20 a second) is [doc] (article 41); the text is a [guess], as
// DNSControl's ClouDNS provider matches it.
func rateLimitText(ip string) string {
	return "Request blocked. " + ip + " is sending more than 20 requests per second."
}

// answer is a status/statusDescription envelope.
type answer struct {
	Status            string `json:"status"`
	StatusDescription string `json:"statusDescription"`
	Data              any    `json:"data,omitempty"`
}

// failed is a Failed answer.
type failed struct{ desc string }

func (f failed) Error() string { return f.desc }

func fail(desc string) error { return failed{desc} }

func success(desc string) answer { return answer{Status: "Success", StatusDescription: desc} }
