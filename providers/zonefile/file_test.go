package zonefile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

func TestNextSerial(t *testing.T) {
	day := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ old, want uint32 }{
		{0, 2026112300},
		{1, 2026112300},
		{2026010105, 2026112300},
		{2026112300, 2026112301},
		{2026112399, 2026112400}, // a busy day runs into the next one, never backwards
		{2030010100, 2030010101}, // a serial from the future only grows
	} {
		if got := NextSerial(tc.old, day); got != tc.want {
			t.Errorf("NextSerial(%d) = %d, want %d", tc.old, got, tc.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"no soa", "www 300 IN A 192.0.2.1\n", "no SOA record"},
		{"two soa", "@ 300 IN SOA a. b. 1 2 3 4 5\n@ 300 IN SOA a. b. 1 2 3 4 5\n", "more than one SOA"},
		{"soa below apex", "@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN SOA a. b. 1 2 3 4 5\n", "not at the zone apex"},
		{"outside", "@ 300 IN SOA a. b. 1 2 3 4 5\nwww.example.net. 300 IN A 192.0.2.1\n", "outside zone example.com"},
		{"include", "@ 300 IN SOA a. b. 1 2 3 4 5\n$INCLUDE /etc/passwd\n", "$INCLUDE"},
		{"class", "@ 300 IN SOA a. b. 1 2 3 4 5\nwww 300 CH A 192.0.2.1\n", "class CH"},
		{"garbage", "@ 300 IN SOA a. b. 1 2 3 4 5\nwww 300 IN A not-an-ip\n", "bad A"},
		{"last record without data", "@ 300 IN SOA a. b. 1 2 3 4 5\nwww 300 IN A\n", "record www.example.com. A has no data"},
		{"last record cut short", "@ 300 IN SOA a. b. 1 2 3 4 5\n@ SIG A 0 0 0 0 0 0 \" ", "the last record, example.com. SIG, is incomplete"},
		{"known type, generic form, no data", "@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN A \\# 0\ny 300 IN A 192.0.2.1\n", "record x.example.com. A has no data"},
		{"name type, generic form, no data", "@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN CNAME \\# 0\ny 300 IN A 192.0.2.1\n", "record x.example.com. CNAME has no data"},
		{"generic data not hex", "@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN TYPE65280 \\# 2 zz00\n", `x.example.com. TYPE65280: the data "zz00" after \# <length> is not hexadecimal`},
		{"meta type", "@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN TYPE0 \\# 0\n", "type None, which is not a record type"},
		{"query type", "@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN TYPE200 \\# 0\n", "type TYPE200, which is not a record type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse("example.com", "example.com.zone", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parse error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestApplyWritesAtomicallyAndBumpsSerial(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	p.SetClock(func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) })
	path := filepath.Join(dir, "example.com.zone")
	os.WriteFile(path, []byte("@ 300 IN SOA ns1.example.com. hostmaster.example.com. 2026112305 7200 3600 1209600 300\nwww 300 IN A 192.0.2.1\n"), 0o644)
	live, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ttl := uint32(300)
	errs := p.Apply(context.Background(), live, []*plan.Operation{
		{Action: plan.Update, Name: "www", Type: "A", Before: &plan.State{TTL: &ttl, Values: []string{"192.0.2.1"}}, After: &plan.State{TTL: &ttl, Values: []string{"192.0.2.2"}}},
		{Action: plan.Delete, Name: "gone", Type: "A", Before: &plan.State{TTL: &ttl, Values: []string{"192.0.2.9"}}},
	})
	if errs[0] != nil || errs[1] == nil || !strings.Contains(errs[1].Error(), "gone A changed since the plan was made") {
		t.Fatalf("errors %v: want the update ok and the delete of a missing record refused", errs)
	}
	after, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if after.SOA.Serial != 2026112306 || after.Find("www", "A").Values[0] != "192.0.2.2" {
		t.Errorf("after apply: serial %d, www %v", after.SOA.Serial, after.Find("www", "A").Values)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a write; temporary files left behind", len(entries))
	}
}

func TestApplyFailsWholeBatchWhenTheWriteFails(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	path := filepath.Join(dir, "example.com.zone")
	original := []byte("@ 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\n")
	os.WriteFile(path, original, 0o644)
	live, _ := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	p.write = func(string, []byte) error { return errors.New("disk full") }
	ttl := uint32(300)
	errs := p.Apply(context.Background(), live, []*plan.Operation{
		{Action: plan.Create, Name: "a", Type: "A", After: &plan.State{TTL: &ttl, Values: []string{"192.0.2.1"}}},
	})
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "disk full") {
		t.Fatalf("create reported %v though the file could not be written", errs[0])
	}
	if data, _ := os.ReadFile(path); string(data) != string(original) {
		t.Error("the zone file changed although the write failed")
	}
}

func TestCreateZoneWritesLoadableFile(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	ttl := uint32(60)
	errs := p.Apply(context.Background(), &model.Zone{Name: "new.test"}, []*plan.Operation{
		{Action: plan.CreateZone, After: &plan.State{Mode: model.Master}},
		{Action: plan.Create, Name: "@", Type: "TXT", After: &plan.State{TTL: &ttl, Values: []string{`"hello world"`}}},
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	z, err := p.ReadZone(context.Background(), "new.test", providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if z.SOA.PrimaryNS != "ns1.new.test." || z.Find("@", "TXT") == nil {
		t.Errorf("created zone %+v", z)
	}
	errs = p.Apply(context.Background(), z, []*plan.Operation{{Action: plan.CreateZone}})
	if errs[0] == nil {
		t.Error("create_zone of an existing zone succeeded")
	}
}

func TestWriteAtomicReplacesWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "z.zone")
	os.WriteFile(path, []byte(strings.Repeat("old\n", 1000)), 0o644)
	if err := writeAtomic(path, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new\n" {
		t.Errorf("file holds %q", data)
	}
	if err := writeAtomic(filepath.Join(dir, "missing-dir", "z.zone"), []byte("x")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

func TestCreateRefusesCNAMEBesideOtherData(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	os.WriteFile(filepath.Join(dir, "example.com.zone"), []byte("@ 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\nwww 300 IN TXT \"kept\"\napi 300 IN CNAME x.example.net.\n"), 0o644)
	live, _ := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	ttl := uint32(300)
	errs := p.Apply(context.Background(), live, []*plan.Operation{
		{Action: plan.Create, Name: "www", Type: "CNAME", After: &plan.State{TTL: &ttl, Values: []string{"other.example.net."}}},
		{Action: plan.Create, Name: "api", Type: "A", After: &plan.State{TTL: &ttl, Values: []string{"192.0.2.1"}}},
	})
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "a CNAME can hold no other data") {
			t.Errorf("operation %d: %v, want a refusal", i, err)
		}
	}
}

func TestZeroValuedDataIsKept(t *testing.T) {
	f, err := parse("example.com", "example.com.zone", []byte("@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN EUI48 00-00-00-00-00-00\ny 300 IN HINFO \"\" \"\"\nz 300 IN NULL \\# 0"))
	if err != nil {
		t.Fatal(err)
	}
	if f.sets[setKey{"x", "EUI48"}] == nil || f.sets[setKey{"y", "HINFO"}] == nil || f.sets[setKey{"z", "NULL"}] == nil {
		t.Errorf("record sets %v", f.sets)
	}
	if back, err := parse("example.com", "example.com.zone", f.render()); err != nil || back.sets[setKey{"z", "NULL"}].Values[0] != `\# 0` {
		t.Errorf("written back: %v\n%s", err, f.render())
	}
}
