#!/usr/bin/env bash
# Whole-process measurement of `zonesync validate` on one big generated spec.
#
#   bench/validate.sh [record-sets] [runs] [style] [other-zonesync...]
#
# Defaults: 1300000 record sets, 3 runs, flow style (one line per record set:
# 1.3M record sets make a 95 MB spec). Other zonesync binaries (say, one
# built from an earlier commit) run interleaved with this checkout's.
#
# Prints the median wall time, CPU time (user + system) and peak RSS of
# each. Needs /usr/bin/time (Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1300000}
runs=${2:-3}
style=${3:-flow}
bins=("" "${@:4}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/zonesync" .
bins[0]=$work/zonesync
go run ./bench/cmd/zonegen -n "$n" -style "$style" -dir "$work/project"
echo "spec $(du -h "$work/project/zones/big.example.yaml" | cut -f1), $n record sets ($style), $runs runs"

for _ in $(seq "$runs"); do
  for i in "${!bins[@]}"; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "${bins[$i]}" --config "$work/project/zonesync.yaml" validate >/dev/null
    cat "$work/t" >>"$work/$i.times"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for i in "${!bins[@]}"; do
  t=$(cut -d' ' -f1 "$work/$i.times" | median)
  c=$(awk '{print $2 + $3}' "$work/$i.times" | median)
  m=$(cut -d' ' -f4 "$work/$i.times" | median)
  label=${bins[$i]}
  [ "$i" = 0 ] && label="this checkout"
  awk -v t="$t" -v c="$c" -v m="$m" -v label="$label" 'BEGIN {
    printf "validate (%s)\n       median %6.2f s wall, %6.2f s CPU, %5.0f MB peak RSS\n", label, t, c, m / 1024
  }'
done
