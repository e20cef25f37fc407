package fake

import "fmt"

// The statusDescription texts the fake answers with. Those marked [doc] or
// [rec] are ClouDNS's own words (wiki pages, recorded real traffic, see the
// provider's README, Vendor documentation); those marked [guess] are ours, for
// failures whose real text nobody has captured. Every guess is here, so a
// captured text replaces one line.
const (
	errAuth            = "Invalid authentication, incorrect auth-id or auth-password."                    // [doc]
	errSubAuth         = "Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password." // [doc]
	errMissingDomain   = "Missing domain-name"                                                            // [doc]
	errRecordID        = "Invalid record-id param."                                                       // [doc][rec]
	errPage            = "Missing required parameter 'page'."                                             // [doc]
	errRowsPerPage     = "Wrong or missing required parameter 'rows-per-page'."                           // [doc]
	errTTL             = "Invalid TTL. Choose from the list of the values we support."                    // [3p: lego fixture]
	errPrimaryNS       = "Invalid hostname for Primary NS"                                                // [doc]
	errAdminMail       = "Invalid admin mail"                                                             // [doc]
	errSOANumber       = "Invalid Refresh/Retry/Expire/Default TTL value"                                 // [seed] the wiki text is cut off; the project seed gives this one string for all four fields
	errMasterIP        = "Invalid IP address for the master server."                                      // [doc]
	errMasterID        = "Invalid parameter master-id"                                                    // [doc]
	errGeoDNS          = "Your plan does not support GeoDNS zones."                                       // [doc], with "status":"int(0)"
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
	errFailoverOff     = "DNS Failover is not activated for this record."                                 // [guess]
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
func errInvalidDomain(name string) string { return name + " is invalid domain name." } // [doc]
func errAlreadyAdded(name string) string  { return name + " has been already added." } // [doc]
func okRegister(name string) string {
	return fmt.Sprintf("Domain zone %s was created successfully.", name) // [guess]
}

// rateLimitText is the per-IP block, answered with HTTP 200 [3p: DNSControl].
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
