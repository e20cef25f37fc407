package plan

// Dependencies returns, for each operation of one zone's ordered list, the
// indexes of the earlier operations it needs to have succeeded. Apply skips
// an operation when one of them failed or was skipped:
//
//   - everything depends on create_zone and switch_mode;
//   - a record set's failover depends on the record set's create or update,
//     and its delete on the failover's removal;
//   - a create at a name depends on the deletes that clear that name first
//     (a CNAME replacing other data, or the reverse).
func Dependencies(ops []*Operation) [][]int {
	deps := make([][]int, len(ops))
	var zoneGate []int
	lastAt := map[string][]int{} // name -> earlier record/failover ops at that name
	for i, op := range ops {
		deps[i] = append(deps[i], zoneGate...)
		switch {
		case op.Action == CreateZone || op.Action == SwitchMode:
			zoneGate = append(zoneGate, i)
		case op.Action.IsZoneAction():
		default:
			for _, j := range lastAt[op.Name] {
				if needs(op, ops[j]) {
					deps[i] = append(deps[i], j)
				}
			}
			lastAt[op.Name] = append(lastAt[op.Name], i)
		}
	}
	return deps
}

// needs reports whether op, at the same name as the earlier op prev, must
// not run unless prev succeeded.
func needs(op, prev *Operation) bool {
	sameSet := op.Type == prev.Type
	switch {
	case op.Action.IsFailover() && op.Action != DeleteFailover:
		return sameSet && (prev.Action == Create || prev.Action == Update)
	case op.Action == Delete:
		return sameSet && prev.Action == DeleteFailover
	case op.Action == Create || op.Action == Update:
		return prev.Action == Delete && !sameSet
	}
	return false
}
