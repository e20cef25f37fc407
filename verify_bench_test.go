package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/zonesync/zonesync/verify"
)

// BenchmarkApplyVerify is the time apply --verify adds to an apply of 20
// zones (one record set changed in each) on a local named: with the
// primary as the zones' only server; with a secondary the primary
// NOTIFYs, which verify waits for; and with that secondary under raised
// BIND rate limits, where it is in sync before verify first asks.
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
	}{{"primary", noSecondary}, {"primary+secondary", notifiedSecondary}, {"primary+secondary-quick", quickSecondary}} {
		p := startDNSProjectWith(b, setup.kind, zones...)
		round := 0 // every apply changes every zone
		b.Setenv("TSIG_SECRET", p.secret)
		for _, mode := range []struct {
			name string
			args []string
		}{
			{"apply", nil},
			{"apply+verify", append([]string{"--verify"}, p.flags("verify-")...)},
		} {
			b.Run(setup.name+"/"+mode.name, func(b *testing.B) {
				var verifyMS float64
				for b.Loop() {
					b.StopTimer()
					round++
					for _, z := range zones {
						p.writeSpec(b, z, "  www:\n    - {type: A, ttl: 300, value: 192.0.2."+strconv.Itoa(1+round%200)+"}\n")
					}
					b.StartTimer()
					var out, errOut bytes.Buffer
					code := run(b.Context(), append([]string{"zonesync", "--config", p.config, "apply", "--auto-approve", "--format", "json"}, mode.args...),
						streams{stdout: &out, stderr: &errOut})
					if code != 0 {
						b.Fatalf("apply exited %d:\n%s%s", code, out.String(), errOut.String())
					}
					var rep struct {
						Verify *verify.Report `json:"verify"`
					}
					if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
						b.Fatal(err)
					}
					if rep.Verify != nil {
						verifyMS += rep.Verify.ElapsedMS
					}
				}
				// verify's own time, from its report: the part of ns/op it adds.
				b.ReportMetric(verifyMS/float64(b.N), "verify-ms/op")
			})
		}
	}
}
