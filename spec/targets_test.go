package spec

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
)

const apexNS = "  '@': [{type: NS, values: [ns1.example.net., ns2.example.org.]}]\n"

// targetKeys is each target's provider with its record sets as "name type ttl".
func targetKeys(zones []*model.Zone) map[string][]string {
	out := map[string][]string{}
	for _, z := range zones {
		keys := []string{}
		for _, rs := range z.Records {
			keys = append(keys, rs.Key()+" "+rs.Values[0])
		}
		out[z.Provider] = keys
	}
	return out
}

// TestTargets: a spec with several providers gives one zone per target, in
// the order of its providers, each with the record sets only / except give it.
func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		name, head, records string
		order               []string
		want                map[string][]string
	}{
		{"one provider", "provider: local\n", "  www: [{type: A, value: 192.0.2.1}]\n",
			[]string{"local"}, map[string][]string{"local": {"www A 192.0.2.1"}}},
		{"one provider in a list", "providers: [local]\n", "  www: [{type: A, value: 192.0.2.1, only: [local]}]\n",
			[]string{"local"}, map[string][]string{"local": {"www A 192.0.2.1"}}},
		{"every record set everywhere", "providers: [listed, local]\n", apexNS + "  www: [{type: A, value: 192.0.2.1}]\n",
			[]string{"listed", "local"}, map[string][]string{
				"listed": {"@ NS ns1.example.net.", "www A 192.0.2.1"},
				"local":  {"@ NS ns1.example.net.", "www A 192.0.2.1"},
			}},
		{"only and except", "providers: [local, listed]\n", apexNS +
			"  www:\n    - {type: A, value: 192.0.2.1, only: [local]}\n" +
			"  api:\n    - {type: A, value: 192.0.2.2, except: [local]}\n",
			[]string{"local", "listed"}, map[string][]string{
				"local":  {"@ NS ns1.example.net.", "www A 192.0.2.1"},
				"listed": {"@ NS ns1.example.net.", "api A 192.0.2.2"},
			}},
		{"one record set per target, same name and type", "providers: [local, listed]\n", apexNS +
			"  www:\n    - {type: A, value: 192.0.2.1, only: [local]}\n    - {type: A, value: 192.0.2.9, only: [listed]}\n",
			[]string{"local", "listed"}, map[string][]string{
				"local":  {"@ NS ns1.example.net.", "www A 192.0.2.1"},
				"listed": {"@ NS ns1.example.net.", "www A 192.0.2.9"},
			}},
		{"a CNAME at one target, an address at the other", "providers: [local, listed]\n", apexNS +
			"  www:\n    - {type: CNAME, value: cdn.example.net., only: [local]}\n    - {type: A, value: 192.0.2.9, only: [listed]}\n",
			[]string{"local", "listed"}, map[string][]string{
				"local":  {"@ NS ns1.example.net.", "www CNAME cdn.example.net."},
				"listed": {"@ NS ns1.example.net.", "www A 192.0.2.9"},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, caps := corpusConfig()
			zones, err := ParseTargets("t.test.yaml", []byte("zone: t.test\n"+tc.head+"records:\n"+tc.records), cfg, caps)
			require.NoError(t, err)
			var order, targets []string
			for _, z := range zones {
				order = append(order, z.Provider)
				targets = append(targets, z.Target())
				assert.Equal(t, "t.test", z.Name)
			}
			assert.Equal(t, tc.order, order)
			if len(tc.order) > 1 {
				assert.Equal(t, tc.order, zones[0].Targets)
				assert.Equal(t, "t.test@"+tc.order[1], targets[1])
			} else {
				assert.Equal(t, []string{"t.test"}, targets)
			}
			if diff := cmp.Diff(tc.want, targetKeys(zones)); diff != "" {
				t.Fatalf("record sets per target (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTargetProblems: a problem of the spec is reported once; a problem
// of one target's provider names that target.
func TestTargetProblems(t *testing.T) {
	for _, tc := range []struct {
		name, head, records string
		want                []string
	}{
		{"spec problem reported once", "providers: [local, listed]\n", apexNS + "  www: [{type: A, value: 192.0.2.300}]\n",
			[]string{`5:26: www A: invalid A value "192.0.2.300": not an IPv4 address`}},
		{"capability of one target", "providers: [local, strict]\nttl: 300\n", apexNS + "  x: [{type: TXT, value: ''}]\n",
			[]string{
				"2:12: t.test@strict: provider strict manages the apex NS records itself and cannot serve the NS names of the zone's other providers; serve the zone from providers that let zonesync set the apex NS records",
				"6:26: t.test@strict: x TXT: provider strict cannot hold a TXT record with empty text; write some text or remove the record",
			}},
		{"a record set the target does not get is not checked against it", "providers: [local, floor]\nttl: 7200\n", apexNS +
			"  x: [{type: A, ttl: 300, value: 192.0.2.1, only: [local]}]\n", nil},
		{"a duplicate at one target", "providers: [local, listed]\n", apexNS +
			"  www:\n    - {type: A, value: 192.0.2.1}\n    - {type: A, value: 192.0.2.2, only: [listed]}\n",
			[]string{"7:7: t.test@listed: duplicate record set www A (first at line 6); merge the values into one"}},
		{"CNAME beside data at one target", "providers: [local, listed]\n", apexNS +
			"  www:\n    - {type: CNAME, value: cdn.example.net.}\n    - {type: A, value: 192.0.2.2, only: [listed]}\n",
			[]string{"7:7: t.test@listed: www A beside a CNAME: a name with a CNAME can hold no other data"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, caps := corpusConfig()
			_, err := ParseTargets("t.test.yaml", []byte("zone: t.test\n"+tc.head+"records:\n"+tc.records), cfg, caps)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			var list yamlx.ErrorList
			require.True(t, errors.As(err, &list), "%v", err)
			var got []string
			for _, e := range list {
				got = append(got, e.Pos.String()[len("t.test.yaml:"):]+": "+e.Msg)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
