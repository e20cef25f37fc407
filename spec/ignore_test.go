package spec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// TestIgnoreRuleNames: rule names are written as record names are,
// relative or absolute inside the zone; an absolute name outside the zone,
// or one that lacks its trailing dot, is an error at its line.
func TestIgnoreRuleNames(t *testing.T) {
	cfg, caps := corpusConfig()
	z, err := ParseZone("ex.com.yaml", []byte("zone: ex.com\nprovider: local\nignore:\n  - {name: _acme-challenge.Ex.Com., type: TXT}\n  - {name: '*.dyn.ex.com.'}\n  - {name: ex.com., type: NS}\n  - {name: '*'}\n"), cfg, caps)
	require.NoError(t, err)
	var names []string
	for _, r := range z.Ignore {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"_acme-challenge", "*.dyn", "@", "*"}, names)
	assert.True(t, z.Ignored("_acme-challenge", "TXT"))
	assert.True(t, z.Ignored("home.dyn", "A"))
	assert.True(t, z.Ignored(model.Apex, "NS"))
	assert.Equal(t, 4, z.Ignore[0].Pos.Line)

	_, err = ParseZone("ex.com.yaml", []byte("zone: ex.com\nprovider: local\nignore:\n  - {name: _acme-challenge.other.com., type: TXT}\n  - {name: www.ex.com}\n  - {name: 'host['}\n"), cfg, caps)
	require.Error(t, err)
	assert.Equal(t, `ex.com.yaml:4:12: ignore[0]: name "_acme-challenge.other.com." is outside zone ex.com
ex.com.yaml:5:12: ignore[1]: name "www.ex.com" looks absolute but has no trailing dot: write "www.ex.com." or "www"
ex.com.yaml:6:12: ignore[2]: name "host[" is not a valid glob`, err.Error())
}
