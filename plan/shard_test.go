package plan

import (
	"fmt"
	"testing"
)

func TestShardsPartitionStably(t *testing.T) {
	const n = 4
	var zones []string
	for i := 0; i < 2000; i++ {
		zones = append(zones, fmt.Sprintf("zone%d.example", i))
	}
	owner := map[string]int{}
	counts := make([]int, n+1)
	for _, z := range zones {
		for k := 1; k <= n; k++ {
			if (Shard{k, n}).Contains(z) {
				if prev, dup := owner[z]; dup {
					t.Fatalf("%s is in shards %d and %d", z, prev, k)
				}
				owner[z] = k
				counts[k]++
			}
		}
		if _, ok := owner[z]; !ok {
			t.Fatalf("%s is in no shard", z)
		}
	}
	for k := 1; k <= n; k++ {
		if counts[k] < 400 || counts[k] > 600 {
			t.Errorf("shard %d/%d holds %d of 2000 zones; the hash spreads badly", k, n, counts[k])
		}
	}
	// The shard of a zone depends on its name only, not on the others.
	if !(Shard{owner["zone7.example"], n}).Contains("ZONE7.example.") {
		t.Error("case or a trailing dot moved a zone to another shard")
	}
}

func TestParseShard(t *testing.T) {
	for _, ok := range []string{"1/1", "2/4", "4/4"} {
		if _, err := ParseShard(ok); err != nil {
			t.Errorf("ParseShard(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "0/4", "5/4", "2", "a/b", "1/0", "-1/3"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}
