package fake

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/model"
)

func TestCommonTTL(t *testing.T) {
	set := func(ttl uint32, values ...string) *model.RecordSet {
		return &model.RecordSet{Name: "x", Type: "A", TTL: ttl, Values: values}
	}
	for _, tc := range []struct {
		name    string
		records []*model.RecordSet
		want    uint32
	}{
		{"no records: the default", nil, 86400},
		{"no record TTLs: the default", []*model.RecordSet{set(0, "192.0.2.1")}, 86400},
		{"one TTL", []*model.RecordSet{set(1800, "192.0.2.1")}, 1800},
		{"counted by values", []*model.RecordSet{set(60, "192.0.2.1", "192.0.2.2", "192.0.2.3"), set(1800, "192.0.2.4"), set(1800, "192.0.2.5")}, 60},
		{"a tie goes to the lower TTL", []*model.RecordSet{set(3600, "192.0.2.1"), set(300, "192.0.2.2")}, 300},
	} {
		assert.Equal(t, tc.want, commonTTL(&model.Zone{Name: "example.com", Records: tc.records}, 86400), tc.name)
	}
}
