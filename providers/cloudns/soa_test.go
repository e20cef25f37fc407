package cloudns

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/providers/cloudns/fake"
	"github.com/zonesync/zonesync/spec"
)

// soaEdges are each SOA field's documented range edges, and one past them.
var soaEdges = []struct {
	field    string
	value    uint32
	accepted bool
}{
	{"refresh", 1199, false}, {"refresh", 1200, true}, {"refresh", 43200, true}, {"refresh", 43201, false},
	{"retry", 179, false}, {"retry", 180, true}, {"retry", 2419200, true}, {"retry", 2419201, false},
	{"expire", 1209599, false}, {"expire", 1209600, true}, {"expire", 2419200, true}, {"expire", 2419201, false},
	{"minimum", 59, false}, {"minimum", 60, true}, {"minimum", 2419200, true}, {"minimum", 2419201, false},
}

func specCaps(p *Provider) spec.CapabilitiesFunc {
	return func(name string) (model.Capabilities, bool) { return p.Capabilities(), name == "cloudns" }
}

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("zonesync.yaml", []byte("providers:\n  cloudns:\n    type: cloudns\n    auth_id: 1\n    auth_password: pw\n"), func(string) (string, bool) { return "", false })
	require.NoError(t, err)
	return cfg
}

// TestSOARangesAtValidation: validation refuses, with ClouDNS's range, what
// modify-soa would refuse.
func TestSOARangesAtValidation(t *testing.T) {
	p := newEnv(t, nil).p
	cfg := testConfig(t)
	for _, tc := range soaEdges {
		t.Run(fmt.Sprintf("%s=%d", tc.field, tc.value), func(t *testing.T) {
			doc := fmt.Sprintf("zone: example.test\nprovider: cloudns\nsoa:\n  %s: %d\n", tc.field, tc.value)
			_, err := spec.ParseZone("example.test.yaml", []byte(doc), cfg, specCaps(p))
			if tc.accepted {
				require.NoError(t, err)
				return
			}
			r := SOARanges[tc.field]
			assert.EqualError(t, err, fmt.Sprintf("example.test.yaml:4:%d: soa.%s %d is outside %d..%d (provider cloudns)", 5+len(tc.field), tc.field, tc.value, r.Min, r.Max))
		})
	}
}

// TestSOARangesAtAPI sends the same edges past validation: the fake takes
// the edges and refuses one past them with the documented text.
func TestSOARangesAtAPI(t *testing.T) {
	for _, tc := range soaEdges {
		t.Run(fmt.Sprintf("%s=%d", tc.field, tc.value), func(t *testing.T) {
			e := newEnv(t, nil)
			live := e.seeded(t)
			want := *live.SOA
			switch tc.field {
			case "refresh":
				want.Refresh = tc.value
			case "retry":
				want.Retry = tc.value
			case "expire":
				want.Expire = tc.value
			case "minimum":
				want.Minimum = tc.value
			}
			err := e.applyOne(live, &plan.Operation{Action: plan.UpdateSOA, After: &plan.State{SOA: &want}})
			if !tc.accepted {
				assert.EqualError(t, err, `cloudns: modify-soa in example.test: "Invalid Refresh/Retry/Expire/Default TTL value"`, "the API's range error")
				return
			}
			require.NoError(t, err)
			got, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			require.NoError(t, err)
			want.Serial = got.SOA.Serial
			assert.Empty(t, cmp.Diff(&want, got.SOA), "SOA read back (-want +got)")
		})
	}
}

// TestSOAAfterCreateZone: a spec SOA on a new zone fills the fields it
// leaves out from ClouDNS's defaults, since modify-soa needs all of them.
func TestSOAAfterCreateZone(t *testing.T) {
	e := newEnv(t, nil)
	z := zoneOf(t, "example.test", set("www", "A", "192.0.2.1"))
	z.SOA = &model.SOA{AdminMail: "dns@example.test", Refresh: 3600}
	e.mustSync(t, z)
	got, ok := e.fake.ZoneSOA("example.test")
	require.True(t, ok, "the zone's SOA at ClouDNS")
	got.Serial = 0
	want := fake.SOA{PrimaryNS: "pns41.cloudns.net", AdminMail: "dns@example.test", Refresh: 3600, Retry: 1800, Expire: 1209600, DefaultTTL: 3600}
	assert.Empty(t, cmp.Diff(want, got), "SOA at ClouDNS (-want +got)")
	assert.Equal(t, 1, e.fake.Faults().Calls("modify-soa"), "modify-soa calls")
}

// TestTTLValidation: a TTL outside the API's list is refused at
// validation, naming the next allowed value, never rounded.
func TestTTLValidation(t *testing.T) {
	p := newEnv(t, nil).p
	cfg := testConfig(t)
	for _, tc := range []struct {
		ttl  uint32
		want string
	}{
		{60, ""}, {600, ""}, {2592000, ""},
		{30, "below the provider's minimum TTL 60"},
		{601, "not one of the provider's allowed TTLs (next allowed: 900"},
		{2419200, "not one of the provider's allowed TTLs (next allowed: 2592000"},
		{2592001, "not one of the provider's allowed TTLs (highest: 2592000"},
	} {
		doc := fmt.Sprintf("zone: example.test\nprovider: cloudns\nrecords:\n  www:\n    - {type: A, ttl: %d, value: 192.0.2.1}\n", tc.ttl)
		_, err := spec.ParseZone("example.test.yaml", []byte(doc), cfg, specCaps(p))
		if tc.want == "" {
			assert.NoError(t, err, "ttl %d", tc.ttl)
		} else {
			assert.ErrorContains(t, err, tc.want, "ttl %d", tc.ttl)
		}
	}
}

// TestTXTStringsAtValidation: ClouDNS keeps a TXT record as one text, so a
// spec's list of strings is refused at its line unless it is the plain
// 255-byte split of its text.
func TestTXTStringsAtValidation(t *testing.T) {
	p := newEnv(t, nil).p
	cfg := testConfig(t)
	doc := "zone: example.test\nprovider: cloudns\nrecords:\n  lab._ipp._tcp:\n    - {type: TXT, value: [\"txtvers=1\", \"rp=printers/lab\"]}\n"
	_, err := spec.ParseZone("example.test.yaml", []byte(doc), cfg, specCaps(p))
	assert.EqualError(t, err, "example.test.yaml:5:26: records.lab._ipp._tcp[0]: provider cloudns keeps a TXT record as one text and cannot hold the boundaries between its strings; write the text as one plain value")
	plain := fmt.Sprintf("zone: example.test\nprovider: cloudns\nrecords:\n  long:\n    - {type: TXT, value: [%q, \"tail\"]}\n", strings.Repeat("x", 255))
	_, err = spec.ParseZone("example.test.yaml", []byte(plain), cfg, specCaps(p))
	assert.NoError(t, err, "the plain split of a text")
}
