package spec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
)

// TestDNSSECKey: dnssec true or false is read into the zone, a spec
// without it leaves signing alone (nil), and the digest changes with it
// only when it is set.
func TestDNSSECKey(t *testing.T) {
	cfg, caps := corpusConfig()
	base := "zone: example.test\nprovider: local\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n"
	digests := map[string]string{}
	for _, tc := range []struct {
		key  string
		want *bool
	}{{"", nil}, {"dnssec: true\n", ptrTo(true)}, {"dnssec: false\n", ptrTo(false)}} {
		z, err := ParseZone("zones/example.test.yaml", []byte(tc.key+base), cfg, caps)
		require.NoError(t, err, tc.key)
		assert.Equal(t, tc.want, z.DNSSEC, tc.key)
		digests[tc.key] = z.Digest()
	}
	assert.Len(t, digests, 3)
	assert.NotEqual(t, digests["dnssec: true\n"], digests["dnssec: false\n"])
}

func ptrTo[T any](v T) *T { return &v }

// TestImportWritesDNSSEC: a signed live zone imports with dnssec: true for
// a provider that signs, and the spec loads back to the same zone; an
// unsigned one, or one at a provider without DNSSEC, says nothing.
func TestImportWritesDNSSEC(t *testing.T) {
	cfg, caps := corpusConfig()
	live := &model.Zone{Name: "example.test", Provider: "local", Mode: model.Master, TTL: 3600, DNSSEC: ptrTo(true), DS: []string{"1 13 2 ab"},
		Records: []*model.RecordSet{{Name: "www", Type: "A", TTL: 3600, Values: []string{"192.0.2.1"}}}}
	local, _ := caps("local")
	data, err := Marshal(ForImport(live, local), false)
	require.NoError(t, err)
	assert.Contains(t, string(data), "\ndnssec: true\n")
	back, err := ParseZone("zones/example.test.yaml", data, cfg, caps)
	require.NoError(t, err)
	assert.Equal(t, ptrTo(true), back.DNSSEC)

	live.DNSSEC = ptrTo(false)
	data, err = Marshal(ForImport(live, local), false)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "dnssec")
	live.DNSSEC = ptrTo(true)
	data, err = Marshal(ForImport(live, model.Capabilities{}), false)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "dnssec")
}
