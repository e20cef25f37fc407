// Command zonegen writes a generated zonesync project for benchmarks:
//
//	go run ./bench/cmd/zonegen -n 100000 -dir /tmp/big
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
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "zonegen: -dir is required")
		os.Exit(1)
	}
	if err := bench.Generate(*dir, *n); err != nil {
		fmt.Fprintln(os.Stderr, "zonegen:", err)
		os.Exit(1)
	}
}
