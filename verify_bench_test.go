package main

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
)

// BenchmarkApplyVerify is the time apply --verify adds to an apply of 20
// zones (one record set changed in each) on a local named: with the
// primary as the zones' only server, and with a secondary the primary
// NOTIFYs, which verify may find behind and ask again after the interval.
//
//	go test -run '^$' -bench ApplyVerify -benchtime 5x -count 3 .
func BenchmarkApplyVerify(b *testing.B) {
	zones := make([]string, 20)
	for i := range zones {
		zones[i] = fmt.Sprintf("z%02d.test", i+1)
	}
	for _, setup := range []struct {
		name string
		kind secondaryKind
	}{{"primary", noSecondary}, {"primary+secondary", notifiedSecondary}} {
		p := startDNSProjectWith(b, setup.kind, zones...)
		round := 0 // every apply changes every zone
		b.Setenv("TSIG_SECRET", p.secret)
		for _, mode := range []struct {
			name string
			args []string
		}{
			{"apply", nil},
			{"apply+verify", append([]string{"--verify"}, p.flags("verify-")...)},
			{"apply+verify-interval-1s", append([]string{"--verify", "--verify-interval", "1s"}, p.flags("verify-")...)},
		} {
			b.Run(setup.name+"/"+mode.name, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					round++
					for _, z := range zones {
						p.writeSpec(b, z, "  www:\n    - {type: A, ttl: 300, value: 192.0.2."+strconv.Itoa(1+round%200)+"}\n")
					}
					b.StartTimer()
					var out, errOut bytes.Buffer
					code := run(b.Context(), append([]string{"zonesync", "--config", p.config, "apply", "--auto-approve"}, mode.args...),
						streams{stdout: &out, stderr: &errOut})
					if code != 0 {
						b.Fatalf("apply exited %d:\n%s%s", code, out.String(), errOut.String())
					}
				}
			})
		}
	}
}
