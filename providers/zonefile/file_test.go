package zonefile

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		assert.Equal(t, tc.want, NextSerial(tc.old, day), "NextSerial(%d)", tc.old)
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
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestApplyWritesAtomicallyAndBumpsSerial(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	p.SetClock(func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) })
	writeFile(t, filepath.Join(dir, "example.com.zone"), "@ 300 IN SOA ns1.example.com. hostmaster.example.com. 2026112305 7200 3600 1209600 300\nwww 300 IN A 192.0.2.1\n")
	live, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	errs := p.Apply(context.Background(), live, []*plan.Operation{
		{Action: plan.Update, Name: "www", Type: "A", Before: &plan.State{TTL: ttlPtr(300), Values: []string{"192.0.2.1"}}, After: &plan.State{TTL: ttlPtr(300), Values: []string{"192.0.2.2"}}},
		{Action: plan.Delete, Name: "gone", Type: "A", Before: &plan.State{TTL: ttlPtr(300), Values: []string{"192.0.2.9"}}},
	})
	require.Len(t, errs, 2)
	require.NoError(t, errs[0], "the update")
	require.Error(t, errs[1], "the delete of a record the file does not hold")
	assert.Contains(t, errs[1].Error(), "gone A changed since the plan was made")

	after, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, uint32(2026112306), after.SOA.Serial)
	require.NotNil(t, after.Find("www", "A"))
	assert.Equal(t, []string{"192.0.2.2"}, after.Find("www", "A").Values)
	assert.Equal(t, []string{"example.com.zone"}, names(t, dir), "no temporary file left behind")
}

func TestApplyFailsWholeBatchWhenTheWriteFails(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	path := filepath.Join(dir, "example.com.zone")
	const original = "@ 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\n"
	writeFile(t, path, original)
	live, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	p.write = func(string, []byte) error { return errors.New("disk full") }
	errs := p.Apply(context.Background(), live, []*plan.Operation{createA("a", "192.0.2.1"), createA("b", "192.0.2.2")})
	for i, err := range errs {
		require.Error(t, err, "operation %d reported done though the file could not be written", i+1)
		assert.Contains(t, err.Error(), "disk full")
	}
	assert.Equal(t, original, readFile(t, path), "the zone file changed although the write failed")
}

func TestCreateZoneWritesLoadableFile(t *testing.T) {
	p := New(t.TempDir())
	errs := p.Apply(context.Background(), &model.Zone{Name: "new.test"}, []*plan.Operation{
		{Action: plan.CreateZone, After: &plan.State{Mode: model.Master}},
		{Action: plan.Create, Name: "@", Type: "TXT", After: &plan.State{TTL: ttlPtr(60), Values: []string{`"hello world"`}}},
	})
	for i, err := range errs {
		require.NoError(t, err, "operation %d", i+1)
	}
	z, err := p.ReadZone(context.Background(), "new.test", providers.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "ns1.new.test.", z.SOA.PrimaryNS)
	assert.NotNil(t, z.Find("@", "TXT"))

	errs = p.Apply(context.Background(), z, []*plan.Operation{{Action: plan.CreateZone}})
	require.Error(t, errs[0], "create_zone of an existing zone")
	assert.Contains(t, errs[0].Error(), "zone new.test already exists")
}

func TestWriteAtomicReplacesWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "z.zone")
	writeFile(t, path, strings.Repeat("old\n", 1000))
	require.NoError(t, writeAtomic(path, []byte("new\n")))
	assert.Equal(t, "new\n", readFile(t, path))
	assert.Error(t, writeAtomic(filepath.Join(dir, "missing-dir", "z.zone"), []byte("x")), "writing into a missing directory")
}

func TestCreateRefusesCNAMEBesideOtherData(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	writeFile(t, filepath.Join(dir, "example.com.zone"), "@ 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\nwww 300 IN TXT \"kept\"\napi 300 IN CNAME x.example.net.\n")
	live, err := p.ReadZone(context.Background(), "example.com", providers.ReadOptions{})
	require.NoError(t, err)
	errs := p.Apply(context.Background(), live, []*plan.Operation{
		{Action: plan.Create, Name: "www", Type: "CNAME", After: &plan.State{TTL: ttlPtr(300), Values: []string{"other.example.net."}}},
		createA("api", "192.0.2.1"),
	})
	for i, err := range errs {
		require.Error(t, err, "operation %d", i+1)
		assert.Contains(t, err.Error(), "a CNAME can hold no other data")
	}
}

func TestZeroValuedDataIsKept(t *testing.T) {
	f, err := parse("example.com", "example.com.zone", []byte("@ 300 IN SOA a. b. 1 2 3 4 5\nx 300 IN EUI48 00-00-00-00-00-00\ny 300 IN HINFO \"\" \"\"\nz 300 IN NULL \\# 0"))
	require.NoError(t, err)
	for _, k := range []setKey{{"x", "EUI48"}, {"y", "HINFO"}, {"z", "NULL"}} {
		assert.Contains(t, f.sets, k)
	}
	back, err := parse("example.com", "example.com.zone", f.render())
	require.NoError(t, err, "written back:\n%s", f.render())
	require.Contains(t, back.sets, setKey{"z", "NULL"})
	assert.Equal(t, []string{`\# 0`}, back.sets[setKey{"z", "NULL"}].Values)
}
