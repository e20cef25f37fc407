// Command zonegen writes a generated zonesync project for benchmarks:
//
//	go run ./bench/cmd/zonegen -n 100000 -dir /tmp/big
//	go run ./bench/cmd/zonegen -n 1300000 -style flow -dir /tmp/huge
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/zonesync/zonesync/bench"
)

func main() {
	n := flag.Int("n", 100000, "record sets in the zone")
	dir := flag.String("dir", "", "directory to write the project into")
	style := flag.String("style", string(bench.Block), "how the spec writes record sets: block (several lines each) or flow (one line each)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "zonegen: -dir is required")
		os.Exit(1)
	}
	if err := bench.GenerateStyle(*dir, *n, bench.Style(*style)); err != nil {
		fmt.Fprintln(os.Stderr, "zonegen:", err)
		os.Exit(1)
	}
}
