package yamlx

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeReportsEveryProblemAtItsPlace: config and spec lean on Decode
// going on past a problem, with each one at its line and column, in the
// order of the file once sorted.
func TestDecodeReportsEveryProblemAtItsPlace(t *testing.T) {
	doc, err := Parse([]byte("ttl: 0300\nname: x\nnmae: y\nports: [1, many]\nttl: 5\n"))
	require.NoError(t, err)
	var v struct {
		TTL   uint32 `yaml:"ttl"`
		Name  string `yaml:"name"`
		Ports []int  `yaml:"ports"`
	}
	e := &FileErrors{File: "f.yaml"}
	Decode(e, Resolve(doc), &v, "")
	require.Error(t, e.List.Err())
	assert.Equal(t, `f.yaml:1:6: ttl "0300" is not a decimal number (a leading zero reads as octal in YAML); write 300
f.yaml:3:1: unknown key "nmae" (did you mean "name"?)
f.yaml:4:12: ports[1] must be a whole number, not "many"
f.yaml:5:1: key "ttl" is set twice`, e.List.Err().Error())
	assert.Equal(t, "x", v.Name)
}

func TestNotDecimal(t *testing.T) {
	for _, tc := range []struct {
		text  string
		float bool
		want  string
	}{
		{"300", false, ""},
		{"-5", false, ""},
		{"0", false, ""},
		{"2.5e1", true, ""},
		{".5", true, ""},
		{"many", false, ""},
		{"010", false, `n "010" is not a decimal number (a leading zero reads as octal in YAML); write 10`},
		{"0x10", false, `n "0x10" is not a decimal number; write 16`},
		{"1_000", false, `n "1_000" is not a decimal number; write 1000`},
		{"0x1p4", true, `n "0x1p4" is not a decimal number; write 16`},
	} {
		assert.Equal(t, tc.want, NotDecimal("n", tc.text, tc.float), tc.text)
	}
}
