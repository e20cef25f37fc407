package cloudns

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
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
	if err != nil {
		t.Fatal(err)
	}
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
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			r := SOARanges[tc.field]
			want := fmt.Sprintf("example.test.yaml:4:%d: soa.%s %d is outside %d..%d (provider cloudns)", 5+len(tc.field), tc.field, tc.value, r.Min, r.Max)
			if err == nil || err.Error() != want {
				t.Fatalf("error %v, want %s", err, want)
			}
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
				if err == nil || !strings.HasSuffix(err.Error(), `"Invalid Refresh/Retry/Expire/Default TTL value"`) {
					t.Fatalf("error %v, want the API's range error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.p.ReadZone(context.Background(), "example.test", providers.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want.Serial = got.SOA.Serial
			if *got.SOA != want {
				t.Fatalf("SOA read back %+v, want %+v", *got.SOA, want)
			}
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
	got, _ := e.fake.ZoneSOA("example.test")
	if got.AdminMail != "dns@example.test" || got.Refresh != 3600 || got.PrimaryNS != "pns41.cloudns.net" || got.Retry != 1800 || got.Expire != 1209600 || got.DefaultTTL != 3600 {
		t.Fatalf("SOA at ClouDNS %+v", got)
	}
	if n := e.fake.Faults().Calls("modify-soa"); n != 1 {
		t.Fatalf("modify-soa called %d times, want 1", n)
	}
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
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ttl %d refused: %v", tc.ttl, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ttl %d: error %v, want %q", tc.ttl, err, tc.want)
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
	want := "example.test.yaml:5:26: records.lab._ipp._tcp[0]: provider cloudns keeps a TXT record as one text and cannot hold the boundaries between its strings; write the text as one plain value"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	plain := fmt.Sprintf("zone: example.test\nprovider: cloudns\nrecords:\n  long:\n    - {type: TXT, value: [%q, \"tail\"]}\n", strings.Repeat("x", 255))
	if _, err := spec.ParseZone("example.test.yaml", []byte(plain), cfg, specCaps(p)); err != nil {
		t.Fatalf("the plain split of a text refused: %v", err)
	}
}
