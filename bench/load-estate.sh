#!/usr/bin/env bash
# Loading and validating 10,000 zone specs of 20 record sets each, spelled
# out against the same specs including 5 templates each (BenchmarkLoadEstate).
#
#   bench/load-estate.sh [rounds] [iterations]
#
# Defaults: 7 rounds of 3 iterations. Each round runs both sub-benchmarks
# once, one after the other, from one test binary, so that the two see the
# same load of a shared host. Prints the median wall and CPU time per load
# of each and the ratios of the medians (templates / spelled out).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
iters=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go test -c -o "$work/bench.test" ./bench
for _ in $(seq "$rounds"); do
  for kind in spelled-out templates; do
    "$work/bench.test" -test.run '^$' -test.bench "BenchmarkLoadEstate/$kind/" \
      -test.benchtime "${iters}x" -test.count 1 | tee -a "$work/out" | grep '^Benchmark' >&2
  done
done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# field: the value before the unit $1 on each line of kind $2.
field() { grep "^BenchmarkLoadEstate/$2/" "$work/out" | awk -v unit="$1" '{for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1)}'; }
for kind in spelled-out templates; do
  w=$(field ns/op "$kind" | median)
  c=$(field cpu-ns/op "$kind" | median)
  m=$(field B/op "$kind" | median)
  awk -v k="$kind" -v w="$w" -v c="$c" -v m="$m" -v r="$rounds" -v i="$iters" 'BEGIN {
    printf "%-12s median %6.2f s wall, %6.2f s CPU, %5.0f MB allocated per load (%d rounds of %d)\n", k, w / 1e9, c / 1e9, m / 1e6, r, i
  }'
  echo "$w $c" >"$work/$kind.median"
done
read -r sw sc <"$work/spelled-out.median"
read -r tw tc <"$work/templates.median"
awk -v sw="$sw" -v sc="$sc" -v tw="$tw" -v tc="$tc" 'BEGIN {
  printf "templates / spelled out: %.2fx wall, %.2fx CPU\n", tw / sw, tc / sc
}'
