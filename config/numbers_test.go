package config

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/yamlx"
)

// TestNumbersAreDecimal holds every number the config holds to plain
// decimal: YAML's octal, hexadecimal and binary forms, a leading zero and
// digit separators are refused with the number to write instead, wherever
// the number is read (spec has the same test for zone specs).
func TestNumbersAreDecimal(t *testing.T) {
	config := func(body string) error {
		_, err := Parse("zonesync.yaml", []byte("providers:\n  local: {type: zonefile}\n"+body), env(nil))
		return err
	}
	setting := func(body string) error {
		c, err := Parse("zonesync.yaml", []byte("providers:\n  p: {type: x, "+body+"}\n"), env(nil))
		require.NoError(t, err)
		var s struct {
			Burst             int     `yaml:"burst"`
			RequestsPerSecond float64 `yaml:"requests_per_second"`
		}
		return c.Providers["p"].Decode(&s)
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"concurrency octal", config("concurrency: 010\n"), `3:14: concurrency "010" is not a decimal number (a leading zero reads as octal in YAML); write 10`},
		{"safety hex", config("safety: {max_delete_percent: 0x10}\n"), `3:30: safety.max_delete_percent "0x10" is not a decimal number; write 16`},
		{"provider int", setting("burst: 0b11"), `2:23: providers.p.burst "0b11" is not a decimal number; write 3`},
		{"provider float hex", setting("requests_per_second: 0x1p4"), `2:37: providers.p.requests_per_second "0x1p4" is not a decimal number; write 16`},
		{"provider float inf", setting("requests_per_second: .inf"), `2:37: providers.p.requests_per_second must be a number, not ".inf"`},
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
	c, err := Parse("zonesync.yaml", []byte("providers:\n  p: {type: x, burst: 0, requests_per_second: 2.5e1}\nconcurrency: 16\n"), env(nil))
	require.NoError(t, err)
	assert.Equal(t, 16, c.Concurrency)
	var s struct {
		Burst             int     `yaml:"burst"`
		RequestsPerSecond float64 `yaml:"requests_per_second"`
	}
	require.NoError(t, c.Providers["p"].Decode(&s))
	assert.Equal(t, 25.0, s.RequestsPerSecond)
}
