package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretShapes are passwords of the kinds that change under encoding.
var secretShapes = map[string]string{
	"letters and digits":    "Zq9VerySecret42",
	"json and xml specials": `S3cr3t<Cl0uD>&"x'\y`,
	"url specials":          "pa ss/wo+rd%20=;?#",
	"non-ascii":             "pässwörd-€-🔑-secret",
	"control characters":    "tab\there\nnewline",
}

// echoEncodings are the ways a server may echo a secret back, each built
// with the encoder a real server would use, not with this package.
var echoEncodings = map[string]func(string) string{
	"raw":  func(s string) string { return s },
	"json": func(s string) string { return trimQuotes(mustJSON(s)) },
	"json without html escaping": func(s string) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		return trimQuotes(strings.TrimSpace(b.String()))
	},
	"json escaped twice":        func(s string) string { return trimQuotes(mustJSON(trimQuotes(mustJSON(s)))) },
	"json with escaped slashes": func(s string) string { return strings.ReplaceAll(trimQuotes(mustJSON(s)), "/", `\/`) },
	"json with upper-case hex": func(s string) string {
		return regexp.MustCompile(`\\u[0-9a-f]{4}`).ReplaceAllStringFunc(trimQuotes(mustJSON(s)), func(m string) string { return `\u` + strings.ToUpper(m[2:]) })
	},
	"go %q":         func(s string) string { return trimQuotes(strconv.Quote(s)) },
	"go %+q":        func(s string) string { return trimQuotes(strconv.QuoteToASCII(s)) },
	"go %q of json": func(s string) string { return trimQuotes(strconv.Quote(trimQuotes(mustJSON(s)))) },
	"xml text": func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	},
	"html":              html.EscapeString,
	"xml of json":       func(s string) string { return html.EscapeString(trimQuotes(mustJSON(s))) },
	"xml escaped twice": func(s string) string { return html.EscapeString(html.EscapeString(s)) },
	"query":             url.QueryEscape,
	"path":              url.PathEscape,
	"query with lower hex": func(s string) string {
		return regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.QueryEscape(s), strings.ToLower)
	},
	"query escaped twice":   func(s string) string { return url.QueryEscape(url.QueryEscape(s)) },
	"json of a query value": func(s string) string { return trimQuotes(mustJSON(url.QueryEscape(s))) },
}

func mustJSON(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func trimQuotes(s string) string { return s[1 : len(s)-1] }

// TestEveryEncodingIsScrubbed: each shape of secret, echoed in each
// encoding between other text, comes out as the mask and nothing else.
func TestEveryEncodingIsScrubbed(t *testing.T) {
	for shape, secret := range secretShapes {
		s := New(secret)
		for name, enc := range echoEncodings {
			t.Run(shape+"/"+name, func(t *testing.T) {
				echoed := enc(secret)
				text := `{"error":"no user with password ` + echoed + ` here"}`
				got := s.String(text)
				assert.Equal(t, `{"error":"no user with password `+Mask+` here"}`, got, "echoed as %q", echoed)
			})
		}
	}
}

// TestBasicAuthIsScrubbed: the secret inside an Authorization header's
// base64, whatever the user name's length, loses the part only the secret
// decides; what is left decodes to no more than two of its bytes at each end.
func TestBasicAuthIsScrubbed(t *testing.T) {
	for shape, secret := range secretShapes {
		s := New(secret)
		for _, user := range []string{"u", "ad", "ops", "admin@example.com"} {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
				header := "Authorization: Basic " + enc.EncodeToString([]byte(user+":"+secret))
				got := s.String(header)
				require.Contains(t, got, Mask, "%s, user %q: %s", shape, user, header)
				b64 := strings.TrimPrefix(header, "Authorization: Basic ")
				assert.NotContains(t, got, b64, "%s, user %q", shape, user)
				// What is left of the base64 around the mask carries at
				// most 2 bytes of the secret on each side.
				before, after, _ := strings.Cut(strings.TrimPrefix(got, "Authorization: Basic "), Mask)
				assert.LessOrEqual(t, len(after), 4, "%s, user %q: %s", shape, user, got)
				assert.LessOrEqual(t, len(before)*6/8, len(user)+1+2, "%s, user %q: %s", shape, user, got)
			}
		}
	}
}

// TestUnrelatedTextIsKept: only a secret's own forms are replaced; text
// around them and text that merely shares a piece of it stays.
func TestUnrelatedTextIsKept(t *testing.T) {
	s := New("alphabet-Soup-42")
	for _, text := range []string{
		`"zone": "alphabet.com"`,
		"alphabet-Soup-4 is not it",
		"lphabet-Soup-42",
		"YWxwaGFiZXQtU291cC00",
	} {
		assert.Equal(t, text, s.String(text))
	}
	assert.Equal(t, "x "+Mask+" y", s.String("x alphabet-Soup-42 y"))
}

// TestNoSecretsScrubNothing: the zero value, nil and empty secrets leave text alone.
func TestNoSecretsScrubNothing(t *testing.T) {
	var nilScrubber *Scrubber
	for _, s := range []*Scrubber{nilScrubber, {}, New(), New("")} {
		assert.True(t, s.Empty())
		assert.Equal(t, "a b c", s.String("a b c"))
	}
	assert.False(t, New("x").Empty())
}

// TestErrorKeepsItsChain: a scrubbed error still matches its causes.
func TestErrorKeepsItsChain(t *testing.T) {
	sentinel := errors.New("zone not found")
	s := New(`S3cr3t<Cl0uD>`)
	err := s.Error(fmt.Errorf(`answer "S3cr3t\u003cCl0uD\u003e": %w`, sentinel))
	assert.Equal(t, `answer "`+Mask+`": zone not found`, err.Error())
	assert.ErrorIs(t, err, sentinel)
	plain := errors.New("nothing secret")
	assert.Same(t, plain, s.Error(plain))
	assert.NoError(t, s.Error(nil))
}

// TestAddLater: a secret added after the first use is scrubbed from then on.
func TestAddLater(t *testing.T) {
	s := New("first-secret")
	assert.Equal(t, Mask+" session-token-1", s.String("first-secret session-token-1"))
	s.Add("session-token-1")
	assert.Equal(t, Mask+" "+Mask, s.String("first-secret session-token-1"))
}

// TestLongestFormWins: where one secret's form begins with another form,
// the whole of the longer one goes.
func TestLongestFormWins(t *testing.T) {
	s := New("abc<defgh", "abc")
	assert.Equal(t, "["+Mask+"]", s.String(`[abc\u003cdefgh]`))
}

// BenchmarkScrub measures scrubbing a long output line with a few secrets.
func BenchmarkScrub(b *testing.B) {
	s := New(`S3cr3t<Cl0uD>&"x'\y`, "pässwörd-€-🔑-secret", "Zq9VerySecret42")
	line := strings.Repeat("www 300 IN A 192.0.2.1 ; nothing secret here\n", 200)
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		s.String(line)
	}
}
