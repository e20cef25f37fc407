package spec

import (
	"fmt"
	"strings"
)

// valueProblem says why the zone's provider cannot hold one canonical
// value of rs, for the rules providers declare in their Capabilities.
func (l *loader) valueProblem(rs *RecordSet, v string) string {
	if l.cap == nil {
		return ""
	}
	switch {
	case (rs.Type == "TXT" || rs.Type == "SPF") && !l.cap.EmptyTXT && v == TXTValue(""):
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
func (l *loader) checkDS(z *Zone) {
	for _, rs := range z.Records {
		switch {
		case rs.Type != "DS":
		case rs.Name == Apex:
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
// that sorts first.
func (l *loader) checkCNAMELoops(z *Zone) {
	cnames := map[string]*RecordSet{}
	exists := map[string]bool{Apex: true}
	for _, rs := range z.Records {
		if rs.Type == "CNAME" && len(rs.Values) == 1 && rs.Values[0] != "" {
			cnames[rs.Name] = rs
		}
		// A name exists, and so does every name above it (an empty
		// non-terminal), which stops wildcard matching.
		for n := rs.Name; n != Apex && !exists[n]; n = parentName(n) {
			exists[n] = true
		}
	}
	if len(cnames) == 0 {
		return
	}
	next := func(rs *RecordSet) *RecordSet {
		target, ok := RelativeName(rs.Values[0], z.Name)
		if !ok {
			return nil
		}
		if exists[target] {
			return cnames[target]
		}
		for n := parentName(target); ; n = parentName(n) {
			if exists[n] {
				return cnames[wildcardUnder(n)]
			}
		}
	}
	// Walk from each CNAME; a walk that meets its own trail has found a
	// loop, one that meets an earlier walk's trail has not.
	walk := map[*RecordSet]int{}
	for i, start := range z.Records {
		if cnames[start.Name] != start || walk[start] != 0 {
			continue
		}
		var trail []*RecordSet
		rs := start
		for rs != nil && walk[rs] == 0 {
			walk[rs] = i + 1
			trail = append(trail, rs)
			rs = next(rs)
		}
		if rs == nil || walk[rs] != i+1 {
			continue
		}
		loop := trail[indexOf(trail, rs):]
		first := 0
		for j, m := range loop {
			if CompareNames(m.Name, loop[first].Name) < 0 {
				first = j
			}
		}
		names := make([]string, 0, len(loop)+1)
		for j := range loop {
			names = append(names, loop[(first+j)%len(loop)].Name)
		}
		names = append(names, loop[first].Name)
		l.errAt(loop[first], "CNAME loop: %s; a resolver following it never gets an answer", strings.Join(names, " -> "))
	}
}

// parentName returns the relative name one label up, the apex above a single label.
func parentName(name string) string {
	if _, rest, ok := strings.Cut(name, "."); ok {
		return rest
	}
	return Apex
}

// wildcardUnder returns the wildcard name directly under name.
func wildcardUnder(name string) string {
	if name == Apex {
		return "*"
	}
	return "*." + name
}

func indexOf(list []*RecordSet, rs *RecordSet) int {
	for i, x := range list {
		if x == rs {
			return i
		}
	}
	return -1
}
