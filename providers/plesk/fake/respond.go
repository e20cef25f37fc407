package fake

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// res builds one <result> element: status, then errcode and errtext on
// error, then the operation's own children in the order the schema has.
type res struct{ b strings.Builder }

func okResult() *res {
	r := &res{}
	r.b.WriteString("<result><status>ok</status>")
	return r
}

func errResult(e apiError) *res {
	r := &res{}
	fmt.Fprintf(&r.b, "<result><status>error</status><errcode>%d</errcode><errtext>%s</errtext>", e.code, escape(e.text))
	return r
}

// el adds a text element.
func (r *res) el(name, value string) *res {
	fmt.Fprintf(&r.b, "<%s>%s</%s>", name, escape(value), name)
	return r
}

// raw adds markup built elsewhere.
func (r *res) raw(markup string) *res {
	r.b.WriteString(markup)
	return r
}

func (r *res) String() string { return r.b.String() + "</result>" }

// escape makes text safe inside an element: markup characters escaped
// (quotes need no escaping there), and bytes XML cannot carry, such as
// invalid UTF-8 echoed from a bad request, replaced.
func escape(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return '\uFFFD'
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return markup.Replace(s)
}

var markup = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// join renders results.
func join(results []*res) string {
	var b strings.Builder
	for _, r := range results {
		b.WriteString(r.String())
	}
	return b.String()
}

// packetXML wraps operator answers in a packet; version is left off when
// the request had none Plesk accepts.
func packetXML(version, inner string) []byte {
	var b strings.Builder
	b.WriteString(xml.Header)
	if version != "" {
		fmt.Fprintf(&b, `<packet version="%s">`, escape(version))
	} else {
		b.WriteString("<packet>")
	}
	b.WriteString(inner)
	b.WriteString("</packet>\n")
	return []byte(b.String())
}

// systemXML is the answer to a packet refused as a whole.
func systemXML(version string, e apiError) []byte {
	return packetXML(version, fmt.Sprintf("<system><status>error</status><errcode>%d</errcode><errtext>%s</errtext></system>", e.code, escape(e.text)))
}
