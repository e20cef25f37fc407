package spec

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
)

// checkRecords applies the rules that look at several record sets together.
func (l *loader) checkRecords(z *model.Zone) {
	for i := 0; i < len(z.Records); {
		j := i
		for j < len(z.Records) && z.Records[j].Name == z.Records[i].Name {
			j++
		}
		group := z.Records[i:j]
		for _, rs := range group {
			if rs.Type != "CNAME" {
				continue
			}
			if rs.Name == model.Apex {
				l.errAt(rs, "CNAME at the zone apex is not allowed (the apex holds SOA and NS)")
			}
			if len(rs.Values) > 1 {
				l.errAt(rs, "CNAME %s has %d values; a CNAME holds exactly one", rs.Name, len(rs.Values))
			}
			for _, other := range group {
				if other != rs {
					l.errAt(other, "%s %s beside a CNAME: a name with a CNAME can hold no other data", other.Name, other.Type)
				}
			}
		}
		i = j
	}
	for _, rs := range z.Records {
		for _, rule := range z.Ignore {
			if rule.Matches(rs.Name, rs.Type) {
				where := ""
				if rule.Pos.File != rs.Pos.File {
					where = " (" + rule.Pos.String() + ")"
				}
				l.errAt(rs, "%s %s is declared but also matches ignore rule %s%s; a record is either managed or ignored", rs.Name, rs.Type, rule, where)
				break
			}
		}
		if rs.Name == model.Apex && rs.Type == "NS" && l.cap != nil && !l.cap.ApexNS {
			l.errAt(rs, "provider %s manages the apex NS records itself; remove them from the spec", z.Provider)
		}
		if l.cap != nil && l.cap.MaxRecordSetSize > 0 && !slices.Contains(rs.Values, "") {
			size, err := recordSetSize(rs, z.Name, l.cap.MaxRecordSetSize)
			if err == nil && size > l.cap.MaxRecordSetSize {
				l.errAt(rs, "%s %s takes %s bytes as DNS records (%d records); provider %s carries a record set in one message and takes at most %s",
					rs.Name, rs.Type, thousands(int64(size)), len(rs.Values), z.Provider, thousands(int64(l.cap.MaxRecordSetSize)))
			}
		}
	}
	l.checkDS(z)
	l.checkCNAMELoops(z)
}

// errAt adds a problem at the record set rs; one declared in a template
// is a problem of the template, met by this zone.
func (l *loader) errAt(rs *model.RecordSet, format string, args ...any) {
	e := &yamlx.Error{Pos: rs.Pos, Msg: fmt.Sprintf(format, args...)}
	if rs.Pos.File != l.File {
		l.elsewhere = append(l.elsewhere, elsewhereProblem{Error: e, zone: l.z.Name})
		return
	}
	l.List = append(l.List, e)
}

// valueProblem says why the zone's provider cannot hold one canonical
// value of rs, for the rules providers declare in their Capabilities.
func (l *loader) valueProblem(rs *model.RecordSet, v string) string {
	if l.cap == nil {
		return ""
	}
	switch {
	case (rs.Type == "TXT" || rs.Type == "SPF") && !l.cap.EmptyTXT && v == model.TXTValue(""):
		return fmt.Sprintf("provider %s cannot hold a %s record with empty text; write some text or remove the record", l.z.Provider, rs.Type)
	case rs.Type == "MX" && !l.cap.RootTarget && strings.HasSuffix(v, " ."):
		return fmt.Sprintf("provider %s cannot hold a null MX (%q, RFC 7505): it does not take \".\" as the mail server", l.z.Provider, v)
	case rs.Type == "SRV" && !l.cap.RootTarget && strings.HasSuffix(v, " ."):
		return fmt.Sprintf("provider %s cannot hold an SRV record whose target is \".\" (no such service, RFC 2782)", l.z.Provider)
	}
	return ""
}

// checkDS holds DS records to where servers keep them: at a delegation,
// beside the child zone's NS records, which is never the apex.
func (l *loader) checkDS(z *model.Zone) {
	for _, rs := range z.Records {
		switch {
		case rs.Type != "DS":
		case rs.Name == model.Apex:
			l.errAt(rs, "DS at the zone apex: a zone's DS records belong in its parent zone (a zone file holding one does not load: \"DS record at top of zone\")")
		case z.Find(rs.Name, "NS") == nil && !z.Ignored(rs.Name, "NS"):
			l.errAt(rs, "DS at %s, where the spec has no NS records: a DS record belongs at a delegation, beside the child zone's NS records (servers drop it otherwise)", rs.Name)
		}
	}
}

// checkCNAMELoops refuses CNAME chains inside the zone that come back on
// themselves, the way a server answering would follow them: to the name a
// target names, or when no such name exists, to the wildcard of its
// closest existing ancestor. Each loop is reported once, at its record set
// that sorts first. z.Records must be sorted.
func (l *loader) checkCNAMELoops(z *model.Zone) {
	origin := z.Name + "."
	wildcards := false
	for _, rs := range z.Records {
		if rs.Type == "CNAME" && strings.HasPrefix(rs.Name, "*") {
			wildcards = true
		}
	}
	// index finds the record set (name, type), or -1.
	index := func(name, rrtype string) int {
		i := sort.Search(len(z.Records), func(i int) bool {
			return model.CompareKeys(z.Records[i].Name, z.Records[i].Type, name, rrtype) >= 0
		})
		if i < len(z.Records) && z.Records[i].Name == name && z.Records[i].Type == rrtype {
			return i
		}
		return -1
	}
	hasName := func(name string) bool {
		i := sort.Search(len(z.Records), func(i int) bool { return model.CompareNames(z.Records[i].Name, name) >= 0 })
		return i < len(z.Records) && z.Records[i].Name == name
	}
	// exists holds every name with data and every name above one (an
	// empty non-terminal), which stops wildcard matching. Only wildcard
	// CNAMEs need it, so it is built for them only.
	var exists map[string]bool
	existing := func(name string) bool {
		if exists == nil {
			exists = map[string]bool{model.Apex: true}
			for _, rs := range z.Records {
				for n := rs.Name; n != model.Apex && !exists[n]; n = parentName(n) {
					exists[n] = true
				}
			}
		}
		return exists[name]
	}
	next := func(rs *model.RecordSet) int {
		v := rs.Values[0]
		var target string
		switch {
		case v == origin:
			target = model.Apex
		case strings.HasSuffix(v, origin) && len(v) > len(origin) && v[len(v)-len(origin)-1] == '.':
			target = v[:len(v)-len(origin)-1]
		default:
			return -1
		}
		if hasName(target) {
			return index(target, "CNAME")
		}
		if !wildcards || existing(target) {
			return -1
		}
		for n := parentName(target); ; n = parentName(n) {
			if existing(n) {
				return index(wildcardUnder(n), "CNAME")
			}
		}
	}
	// Walk from each CNAME; a walk that meets its own trail has found a
	// loop, one that meets an earlier walk's trail has not.
	walk := make([]int32, len(z.Records))
	var trail []int
	for start, rs := range z.Records {
		if rs.Type != "CNAME" || len(rs.Values) != 1 || rs.Values[0] == "" || walk[start] != 0 {
			continue
		}
		trail = trail[:0]
		at := start
		for at >= 0 && walk[at] == 0 {
			walk[at] = int32(start + 1)
			trail = append(trail, at)
			if c := z.Records[at]; len(c.Values) == 1 && c.Values[0] != "" {
				at = next(c)
			} else {
				at = -1
			}
		}
		if at < 0 || walk[at] != int32(start+1) {
			continue
		}
		loop := trail[slices.Index(trail, at):]
		// Records are sorted, so the lowest index is the first name.
		first := slices.Index(loop, slices.Min(loop))
		names := make([]string, 0, len(loop)+1)
		for j := range loop {
			names = append(names, z.Records[loop[(first+j)%len(loop)]].Name)
		}
		names = append(names, names[0])
		l.errAt(z.Records[loop[first]], "CNAME loop: %s; a resolver following it never gets an answer", strings.Join(names, " -> "))
	}
}

// parentName returns the relative name one label up, the apex above a single label.
func parentName(name string) string {
	if _, rest, ok := strings.Cut(name, "."); ok {
		return rest
	}
	return model.Apex
}

// wildcardUnder returns the wildcard name directly under name.
func wildcardUnder(name string) string {
	if name == model.Apex {
		return "*"
	}
	return "*." + name
}
