package providertest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// SecretShapes are credentials of the kinds that change under encoding,
// each long enough for a config to accept (spec.MinSecretLength).
var SecretShapes = map[string]string{
	"letters and digits":    "Zq9VerySecret42",
	"json and xml specials": `S3cr3t<Cl0uD>&"x'\y`,
	"url specials":          "pa ss/wo+rd%20=;?#",
	"non-ascii":             "pässwörd-€-🔑-secret",
}

// SecretEchoes are the ways a server may quote a credential back in an
// error, each built with the encoder such a server would use.
var SecretEchoes = map[string]func(string) string{
	"as sent":                   func(s string) string { return s },
	"json string":               func(s string) string { return jsonString(s) },
	"json string, php style":    func(s string) string { return strings.ReplaceAll(jsonString(s), "/", `\/`) },
	"json escaped twice":        func(s string) string { return jsonString(jsonString(s)) },
	"xml text":                  xmlText,
	"html entities":             html.EscapeString,
	"xml of a json string":      func(s string) string { return xmlText(jsonString(s)) },
	"query value":               url.QueryEscape,
	"query value escaped again": func(s string) string { return url.QueryEscape(url.QueryEscape(s)) },
	"json of a query value":     func(s string) string { return jsonString(url.QueryEscape(s)) },
	"basic authorization":       func(s string) string { return base64.StdEncoding.EncodeToString([]byte("admin:" + s)) },
}

// jsonString is s as Go's encoding/json writes it inside a string, without the quotes.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// AssertNoSecret fails the test when text holds secret as sent or in any
// of the SecretEchoes encodings (a base64 one by its middle part, which
// only the secret decides).
func AssertNoSecret(t testing.TB, what, secret, text string) {
	t.Helper()
	for name, enc := range SecretEchoes {
		form := enc(secret)
		if name == "basic authorization" {
			form = form[8 : len(form)-4] // past "admin:" and before the last group
		}
		assert.NotContains(t, text, form, "%s shows the secret (%s)", what, name)
	}
}
