package rfc2136

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/spec"
)

// txtSet returns n TXT values whose records at owner in zone take size
// bytes or a little less all together.
func txtSet(owner string, size int) []string {
	perRecord := len(owner) + 1 + 10 + 1 + 200
	var values []string
	for i := 0; (i+1)*perRecord <= size; i++ {
		values = append(values, model.TXTValue(fmt.Sprintf("%0200d", i)))
	}
	return values
}

// TestRecordSetLimitFitsOneUpdate: the record set size the provider
// declares is one its UPDATE can always carry: an update from a set of
// the largest size to another, with names of the longest, fits in one
// signed message.
func TestRecordSetLimitFitsOneUpdate(t *testing.T) {
	limit := (&Provider{}).Capabilities().MaxRecordSetSize
	require.Positive(t, limit)
	label := strings.Repeat("z", 63)
	zone := strings.Join([]string{label, label, label, "test"}, ".") // 200 bytes
	name := strings.Repeat("n", 50)
	owner := model.FQDN(name, zone)
	before, after := txtSet(owner, limit), txtSet(owner, limit)
	for i := range after {
		after[i] = model.TXTValue(fmt.Sprintf("%0200d", i+len(before)))
	}
	ttl := uint32(300)
	op := &plan.Operation{Seq: 1, Action: plan.Update, Name: name, Type: "TXT",
		Before: &plan.State{TTL: &ttl, Values: before}, After: &plan.State{TTL: &ttl, Values: after}}
	c, err := newChange(zone, nil, op)
	require.NoError(t, err)
	m := updateMsg(zone, []*change{c})
	assert.LessOrEqual(t, m.Len()+tsigRoom, maxMessage, "an update between two sets at the limit does not fit in one message")
}

// TestValidateRefusesRecordSetOverOneUpdate: a spec whose record set
// cannot go in one UPDATE is refused at validate, naming the limit.
func TestValidateRefusesRecordSetOverOneUpdate(t *testing.T) {
	caps := (&Provider{}).Capabilities()
	cfg := &config.Config{Providers: map[string]*config.ProviderConfig{"dns": {Name: "dns", Type: Type}}}
	var b strings.Builder
	b.WriteString("zone: l.test\nprovider: dns\nrecords:\n  big:\n    - type: TXT\n      values:\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "        - %0250d\n", i)
	}
	_, err := spec.ParseZone("l.test.yaml", []byte(b.String()), cfg, func(string) (model.Capabilities, bool) { return caps, true })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "l.test.yaml:5:7: big TXT takes 54,600 bytes as DNS records (200 records); provider dns carries a record set in one message and takes at most ")
}
