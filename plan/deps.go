package plan

// Dependencies returns, for each operation of one zone's ordered list, the
// indexes of the earlier operations it needs to have succeeded. Apply skips
// an operation when one of them failed or was skipped:
//
//   - everything depends on create_zone and switch_mode;
//   - a record set's failover depends on the record set's create or update,
//     and its delete on the failover's removal;
//   - a create at a name depends on the deletes that clear that name first
//     (a CNAME replacing other data, or the reverse);
//   - in ownership mode, a record set's create or update depends on the
//     marker written for it (without its marker, a set zonesync created
//     would be no one's), and the deletion of a marker on its record set's
//     delete (a marker deleted first would leave the set no one's, and so
//     left alone for good).
func Dependencies(ops []*Operation) [][]int {
	deps := make([][]int, len(ops))
	var zoneGate []int
	lastAt := map[string][]int{} // name -> earlier record/failover ops at that name
	claims := map[string]int{}   // record set key -> its marker's create or update
	deletes := map[string]int{}  // record set key -> its delete
	for i, op := range ops {
		deps[i] = append(deps[i], zoneGate...)
		switch {
		case op.Action == CreateZone || op.Action == SwitchMode:
			zoneGate = append(zoneGate, i)
		case op.Action.IsZoneAction():
		case op.Marker != nil:
			k := op.Marker.Name + " " + op.Marker.Type
			if op.Action == Delete {
				if j, ok := deletes[k]; ok {
					deps[i] = append(deps[i], j)
				}
			} else {
				claims[k] = i
			}
		default:
			k := op.Name + " " + op.Type
			switch op.Action {
			case Create, Update:
				if j, ok := claims[k]; ok {
					deps[i] = append(deps[i], j)
				}
			case Delete:
				deletes[k] = i
			}
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
