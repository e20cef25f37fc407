package plan

import (
	"fmt"

	"github.com/zonesync/zonesync/model"
)

// IgnoreWarnings returns a warning for each of desired's ignore rules that
// matches no record set of the live zone and none of the spec: such a
// rule protects nothing, most often because of a typo in its name or type,
// and the record it was meant for is deleted. live is the whole live zone
// (before Managed); a zone that does not exist yet, or a slave zone, gets
// no warnings.
func IgnoreWarnings(desired, live *model.Zone) []string {
	if live == nil || desired.Mode == model.Slave || len(desired.Ignore) == 0 {
		return nil
	}
	var out []string
	for _, rule := range desired.Ignore {
		if matchesAny(rule, live) || matchesAny(rule, desired) {
			continue
		}
		where := ""
		if rule.Pos.Line > 0 {
			where = " (" + rule.Pos.String() + ")"
		}
		out = append(out, fmt.Sprintf("%s: ignore rule %s%s matches no live or declared record, so it protects nothing; check its name and type",
			desired.Target(), rule, where))
	}
	return out
}

func matchesAny(rule model.IgnoreRule, z *model.Zone) bool {
	for _, rs := range z.Records {
		if rule.Matches(rs.Name, rs.Type) {
			return true
		}
	}
	return false
}
