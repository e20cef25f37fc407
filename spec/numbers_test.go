package spec

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/yamlx"
)

// TestNumbersAreDecimal holds every number a spec holds to plain decimal:
// YAML's octal, hexadecimal and binary forms, a leading zero and digit
// separators are refused with the number to write instead, wherever the
// number is read (config has the same test for zonesync.yaml).
func TestNumbersAreDecimal(t *testing.T) {
	cfg, caps := corpusConfig()
	zoneAt := func(provider, body string) error {
		_, err := ParseZone("n.test.yaml", []byte("zone: n.test\nprovider: "+provider+"\n"+body), cfg, caps)
		return err
	}
	zone := func(body string) error { return zoneAt("local", body) }
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"zone ttl octal", zone("ttl: 0300\n"), `3:6: ttl "0300" is not a decimal number (a leading zero reads as octal in YAML); write 300`},
		{"zone ttl bad octal", zone("ttl: 086400\n"), `3:6: ttl "086400" is not a decimal number (a leading zero reads as octal in YAML); write 86400`},
		{"record ttl hex", zone("records:\n  www: [{type: A, ttl: 0x10, value: 192.0.2.1}]\n"), `4:24: records.www[0].ttl "0x10" is not a decimal number; write 16`},
		{"record ttl binary", zone("records:\n  www: [{type: A, ttl: 0b101, value: 192.0.2.1}]\n"), `4:24: records.www[0].ttl "0b101" is not a decimal number; write 5`},
		{"record ttl 0o", zone("records:\n  www: [{type: A, ttl: 0o17, value: 192.0.2.1}]\n"), `4:24: records.www[0].ttl "0o17" is not a decimal number; write 15`},
		{"ttl separators", zone("ttl: 86_400\n"), `3:6: ttl "86_400" is not a decimal number; write 86400`},
		{"soa hex", zone("soa: {refresh: 0x1c20}\n"), `3:16: soa.refresh "0x1c20" is not a decimal number; write 7200`},
		{"failover port octal", zoneAt("failover", "records:\n  www: [{type: A, value: 192.0.2.1, failover: {check: tcp, settings: {port: 0443}, down: notify, up: notify}}]\n"),
			`4:77: records.www[0].failover.settings.port "0443" is not a decimal number (a leading zero reads as octal in YAML); write 443`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var list yamlx.ErrorList
			require.True(t, errors.As(tc.err, &list), "accepted: %v", tc.err)
			require.Len(t, list, 1, "%v", tc.err)
			got := fmt.Sprintf("%d:%d: %s", list[0].Pos.Line, list[0].Pos.Col, list[0].Msg)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestDecimalNumbersStillRead checks the plain spellings keep working,
// signs and zero included.
func TestDecimalNumbersStillRead(t *testing.T) {
	cfg, caps := corpusConfig()
	z, err := ParseZone("n.test.yaml", []byte("zone: n.test\nprovider: local\nttl: 0\nsoa: {refresh: 7200}\nrecords:\n  www: [{type: A, ttl: +300, value: 192.0.2.1}]\n"), cfg, caps)
	require.NoError(t, err)
	assert.Equal(t, uint32(0), z.TTL)
	assert.Equal(t, uint32(7200), z.SOA.Refresh)
	assert.Equal(t, uint32(300), z.Find("www", "A").TTL)

	_, err = ParseZone("n.test.yaml", []byte("zone: n.test\nprovider: local\nttl: -5\n"), cfg, caps)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ttl -5 is outside 0..2147483647")
}
