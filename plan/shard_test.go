package plan

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
				prev, dup := owner[z]
				require.False(t, dup, "%s is in shards %d and %d", z, prev, k)
				owner[z] = k
				counts[k]++
			}
		}
		require.Contains(t, owner, z, "%s is in no shard", z)
	}
	for k := 1; k <= n; k++ {
		assert.InDelta(t, 500, counts[k], 100, "shard %d/%d holds %d of 2000 zones; the hash spreads badly", k, n, counts[k])
	}
	// The shard of a zone depends on its name only, not on the others.
	assert.True(t, Shard{owner["zone7.example"], n}.Contains("ZONE7.example."), "case or a trailing dot moved a zone to another shard")
}

func TestParseShard(t *testing.T) {
	for _, ok := range []string{"1/1", "2/4", "4/4"} {
		_, err := ParseShard(ok)
		assert.NoError(t, err, "ParseShard(%q)", ok)
	}
	for _, bad := range []string{"", "0/4", "5/4", "2", "a/b", "1/0", "-1/3"} {
		_, err := ParseShard(bad)
		assert.Error(t, err, "ParseShard(%q) accepted", bad)
	}
}
