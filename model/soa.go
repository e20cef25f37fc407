package model

import (
	"fmt"
	"strings"
)

// SOA holds the SOA fields zonesync manages. A zero field in a spec means
// "leave the live value alone".
type SOA struct {
	PrimaryNS string `json:"primary_ns,omitempty"`
	AdminMail string `json:"admin_mail,omitempty"`
	Refresh   uint32 `json:"refresh,omitempty"`
	Retry     uint32 `json:"retry,omitempty"`
	Expire    uint32 `json:"expire,omitempty"`
	Minimum   uint32 `json:"minimum,omitempty"`
	// Serial is read from live zones for display only; it is never compared
	// or planned, because providers own it.
	Serial uint32 `json:"-"`
}

// Merge returns live with every field that want sets replaced by want's value.
func (want *SOA) Merge(live *SOA) *SOA {
	out := SOA{}
	if live != nil {
		out = *live
	}
	if want == nil {
		return &out
	}
	if want.PrimaryNS != "" {
		out.PrimaryNS = want.PrimaryNS
	}
	if want.AdminMail != "" {
		out.AdminMail = want.AdminMail
	}
	for _, f := range []struct{ dst, src *uint32 }{
		{&out.Refresh, &want.Refresh}, {&out.Retry, &want.Retry},
		{&out.Expire, &want.Expire}, {&out.Minimum, &want.Minimum},
	} {
		if *f.src != 0 {
			*f.dst = *f.src
		}
	}
	return &out
}

// ParseAdminMail checks an SOA admin mail written as an address
// (hostmaster@example.com) or as a domain name (hostmaster.example.com.)
// and returns it as an address.
func ParseAdminMail(s string) (string, error) {
	if user, domain, ok := strings.Cut(s, "@"); ok {
		domain, err := ASCIIName(strings.TrimSuffix(domain, "."))
		if err != nil {
			return s, err
		}
		domain = strings.ToLower(domain)
		if user == "" || strings.ContainsAny(user, " @\t") || !ValidDomain(domain) {
			return s, fmt.Errorf("%q is not a valid mail address", s)
		}
		return user + "@" + domain, nil
	}
	user, domain, ok := strings.Cut(strings.TrimSuffix(s, "."), ".")
	if ok {
		var err error
		if domain, err = ASCIIName(domain); err != nil {
			return s, err
		}
	}
	if !ok || user == "" || !ValidDomain(strings.ToLower(domain)) {
		return s, fmt.Errorf("%q is not a valid mail address", s)
	}
	return user + "@" + strings.ToLower(domain), nil
}

// MailToMbox turns an admin mail address into the SOA RNAME domain form.
func MailToMbox(mail string) string {
	// The separator is the last @ that is not escaped: a domain read from
	// an RNAME can hold an escaped one (`\@`).
	at := -1
	for i := 0; i < len(mail); i++ {
		switch mail[i] {
		case '\\':
			i++
		case '@':
			at = i
		}
	}
	user, domain, ok := mail, "", at >= 0
	if ok {
		user, domain = mail[:at], mail[at+1:]
	}
	if !ok {
		// Not an address: a name read from an SOA that had no user part.
		return strings.TrimSuffix(mail, ".") + "."
	}
	return strings.ReplaceAll(user, ".", `\.`) + "." + domain + "."
}

// MboxToMail turns an SOA RNAME into a mail address.
func MboxToMail(mbox string) string {
	mbox = strings.TrimSuffix(mbox, ".")
	for i := 0; i < len(mbox); i++ {
		if mbox[i] == '\\' {
			i++
			continue
		}
		if mbox[i] == '.' {
			return strings.ReplaceAll(mbox[:i], `\.`, ".") + "@" + asciiLower(mbox[i+1:])
		}
	}
	// A single label has no user part to split off: keep it as a name.
	return mbox + "."
}

// SOA field names, as spelled in zone specs.
var SOAFields = []string{"primary_ns", "admin_mail", "refresh", "retry", "expire", "minimum"}
