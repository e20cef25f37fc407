package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	plesk "github.com/zonesync/zonesync/providers/plesk/fake"
	telecomx "github.com/zonesync/zonesync/providers/telecomx/fake"
)

func TestHelpExitsZero(t *testing.T) {
	for _, arg := range []string{"-help", "--help", "-h"} {
		var out, errOut bytes.Buffer
		require.NoError(t, run([]string{arg}, &out, &errOut), arg)
		assert.Contains(t, out.String(), "Usage: zonesync-fake -provider NAME")
		assert.Contains(t, out.String(), "-seed string")
		assert.Empty(t, errOut.String())
	}
}

func TestBadFlagIsOneLine(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"-bogus"}, &out, &errOut)
	require.EqualError(t, err, "flag provided but not defined: -bogus (see zonesync-fake -help)")
	assert.Empty(t, out.String())
	assert.Empty(t, errOut.String())
}

// zoneFile is a zone whose records mostly have TTL 1800, as
// examples/live/example.org.zone.
const zoneFile = `$ORIGIN example.org.
@         1800 IN SOA ns1.example.org. hostmaster.example.org. 2026110101 7200 3600 1209600 3600
@         1800 IN NS  ns1.example.org.
@         1800 IN A   198.51.100.10
@         1800 IN MX  10 mail.example.org.
ns1       1800 IN A   198.51.100.53
mail      1800 IN A   198.51.100.25
home.dyn    60 IN A   203.0.113.7
`

func TestSeedKeepsTheZoneFilesTTL(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "example.org.zone"), []byte(zoneFile), 0o644))
	c := credentials{user: "ops@example.com", password: "pw"}

	tx := fakes["telecomx"](c)
	n, err := seedFrom(tx, dir, &bytes.Buffer{})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	d, ok := tx.(*telecomx.Server).Domain("example.org")
	require.True(t, ok)
	assert.EqualValues(t, 1800, d.TTL, "Telecom X domain TTL")

	pl := fakes["plesk"](c)
	n, err = seedFrom(pl, dir, &bytes.Buffer{})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	z, ok := pl.(*plesk.Server).Zone("example.org")
	require.True(t, ok)
	assert.EqualValues(t, 1800, z.TTL, "Plesk zone TTL")
}
