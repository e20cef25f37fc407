package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// A zone spec written in Unicode loads as its IDNA form: zone, record
// names, names in values, the SOA and ignore rules; its file may be named
// in either form.
func TestParseZoneInUnicode(t *testing.T) {
	const data = `zone: Bücher.Example
provider: local
soa: {primary_ns: ns1.bücher.example., admin_mail: hostmaster@bücher.example}
ignore:
  - {name: "*.dyn.straße"}
records:
  straße:
    - {type: CNAME, value: ööö.com.}
  _dmarc.straße:
    - {type: TXT, value: "v=DMARC1; p=none"}
  "*.dev.bücher.example.":
    - {type: MX, value: "10 mail.bücher.example."}
  www:
    - {type: A, value: 192.0.2.1}
`
	cfg, caps := corpusConfig()
	for _, file := range []string{"zones/bücher.example.yaml", "zones/xn--bcher-kva.example.yaml", "zones/BÜCHER.example.yaml"} {
		z, err := ParseZone(file, []byte(data), cfg, caps)
		require.NoError(t, err, file)
		assert.Equal(t, "xn--bcher-kva.example", z.Name)
		var got []string
		for _, rs := range z.Records {
			got = append(got, rs.Key()+" "+strings.Join(rs.Values, ","))
		}
		want := []string{
			`*.dev MX 10 mail.xn--bcher-kva.example.`,
			`_dmarc.xn--strae-oqa TXT "v=DMARC1; p=none"`,
			`www A 192.0.2.1`,
			`xn--strae-oqa CNAME xn--ndaaa.com.`,
		}
		assert.Empty(t, cmp.Diff(want, got))
		if d := cmp.Diff(&model.SOA{PrimaryNS: "ns1.xn--bcher-kva.example.", AdminMail: "hostmaster@xn--bcher-kva.example"}, z.SOA); d != "" {
			t.Errorf("%s: SOA (-want +got):\n%s", file, d)
		}
		require.Len(t, z.Ignore, 1)
		assert.Equal(t, "*.dyn.xn--strae-oqa", z.Ignore[0].Name)
	}
	_, err := ParseZone("zones/buecher.example.yaml", []byte(data), cfg, caps)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "zone xn--bcher-kva.example is declared in buecher.example.yaml; name the file xn--bcher-kva.example.yaml")
}

// fmt puts values in canonical form but leaves names in the form they are
// written in: Unicode stays Unicode, xn-- stays xn--.
func TestFormatKeepsTheFormNamesAreWrittenIn(t *testing.T) {
	in := "zone: bücher.example\nprovider: local\nrecords:\n  www:\n    - {type: CNAME, value: ÖÖÖ.com}\n  ftp:\n    - {type: CNAME, value: XN--NDAAA.com}\n  mail:\n    - {type: MX, values: [\"20 Mx.Straße.de\", \"10 mx.xn--strae-oqa.de\"]}\n"
	want := "zone: bücher.example\nprovider: local\nrecords:\n  ftp:\n    - {type: CNAME, value: xn--ndaaa.com.}\n  mail:\n    - {type: MX, values: [\"10 mx.xn--strae-oqa.de.\", \"20 mx.straße.de.\"]}\n  www:\n    - {type: CNAME, value: ööö.com.}\n"
	out, err := Format([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, want, string(out))
}

func TestFormatSaysWhatToWrite(t *testing.T) {
	_, err := Format([]byte("zone: a.test\nrecords:\n  www:\n\t- {type: A, value: 192.0.2.1}\n"))
	require.Error(t, err)
	assert.Equal(t, "line 4: YAML syntax: a tab in the indentation; YAML indents with spaces only: replace the tab with spaces", err.Error())
}
