package model

// DNSSEC records belong to whoever signs a zone (BIND's inline signing or
// dnssec-policy, dnssec-signzone, a provider's signer): they are rewritten
// at every re-signing, so zonesync neither declares, plans nor imports
// them. Every provider reads them out of the live model with SignerOwned.

// signerTypes are signatures and denial-of-existence records: the
// signer's wherever they are.
var signerTypes = map[string]bool{"RRSIG": true, "NSEC": true, "NSEC3": true, "NSEC3PARAM": true}

// signerKeyTypes are the keys a signer publishes at the apex of a zone
// it signs. In a zone nobody signs they are data like any other.
var signerKeyTypes = map[string]bool{"DNSKEY": true, "CDS": true, "CDNSKEY": true}

// SigningStateType is the private type BIND keeps its signing progress in,
// at the apex of a zone it signs (its sig-signing-type option, 65534 by
// default). BIND may leave it after a zone stops being signed.
const SigningStateType = "TYPE65534"

// SignerOwned reports whether a live record set (name relative to the
// zone, type) is the signer's: a DNSSEC signature or denial-of-existence
// record anywhere, BIND's signing state at the apex, and the apex DNSKEY,
// CDS and CDNSKEY when the zone is signed (holds RRSIG records).
func SignerOwned(name, rrtype string, signed bool) bool {
	if signerTypes[rrtype] {
		return true
	}
	if name != Apex {
		return false
	}
	return rrtype == SigningStateType || signed && signerKeyTypes[rrtype]
}
