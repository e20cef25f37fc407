package plan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/zonesync/zonesync/model"
)

// TestIgnoreWarnings: an ignore rule that matches no live record and no
// declared one protects nothing, most likely by a typo; the plan says so.
func TestIgnoreWarnings(t *testing.T) {
	desired := zone(t, "www A 300 192.0.2.1")
	desired.File = "zones/example.com.yaml"
	desired.Ignore = []model.IgnoreRule{
		{Name: "_acme-challenge", Type: "TXT", Pos: model.Pos{File: "zones/example.com.yaml", Line: 5, Col: 5}},
		{Name: "*.dyn", Pos: model.Pos{File: "zones/example.com.yaml", Line: 6, Col: 5}},
		{Name: "_acme-challenge.ex.com", Type: "TXT", Pos: model.Pos{File: "zones/example.com.yaml", Line: 7, Col: 5}},
		{Type: "SPF", Pos: model.Pos{File: "zones/example.com.yaml", Line: 8, Col: 5}},
	}
	live := zone(t, "www A 300 192.0.2.1", "_acme-challenge TXT 60 token", "home.dyn A 60 203.0.113.7")
	assert.Equal(t, []string{
		`example.com: ignore rule {name: "_acme-challenge.ex.com", type: TXT} (zones/example.com.yaml:7:5) matches no live or declared record, so it protects nothing; check its name and type`,
		`example.com: ignore rule {type: SPF} (zones/example.com.yaml:8:5) matches no live or declared record, so it protects nothing; check its name and type`,
	}, IgnoreWarnings(desired, live))

	assert.Empty(t, IgnoreWarnings(desired, nil), "a zone still to be created has nothing to protect yet")
	slave := *desired
	slave.Mode = model.Slave
	assert.Empty(t, IgnoreWarnings(&slave, zone(t)), "a slave zone's records are never managed")
}
