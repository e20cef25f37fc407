package plan

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/model"
)

// Shard is one of N stable slices of an estate's zones, for splitting a
// plan or apply over a CI matrix. A zone's shard depends on its name alone,
// so adding or removing other zones never moves it.
type Shard struct {
	// Index is 1-based: 1..Count.
	Index, Count int
}

// ParseShard reads "K/N" with 1 <= K <= N.
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("shard %q must be K/N with 1 <= K <= N, e.g. 2/4", s)
	}
	return Shard{Index: ki, Count: ni}, nil
}

// String formats the shard as K/N, or "" for the whole estate.
func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Contains reports whether a zone belongs to the shard; the zero Shard
// holds every zone.
func (s Shard) Contains(zone string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(model.NormalizeZone(zone)))
	return int(h.Sum64()%uint64(s.Count)) == s.Index-1
}
