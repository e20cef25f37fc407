#!/usr/bin/env bash
# Whole-process measurement of `zonesync plan` on a generated zone, against
# the parse floor (cmd/floor) on the same files, in the same run.
#
#   bench/plan.sh [record-sets] [runs]      default 100000 record sets, 5 runs
#
# Prints the median wall time and peak RSS of each over the runs, and their
# ratio. Needs /usr/bin/time (Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/zonesync" .
go build -o "$work/floor" ./bench/cmd/floor
go run ./bench/cmd/zonegen -n "$n" -dir "$work/project"
echo "spec $(du -h "$work/project/zones/big.example.yaml" | cut -f1), live zone $(du -h "$work/project/live/big.example.zone" | cut -f1), $n record sets, $runs runs"

measure() { # name command... -> appends "seconds kilobytes" lines to $work/$name
  /usr/bin/time -f "%e %M" -o "$work/t" "${@:2}" >/dev/null
  cat "$work/t" >>"$work/$1.times"
}
for _ in $(seq "$runs"); do
  measure floor "$work/floor" -dir "$work/project"
  measure plan "$work/zonesync" --config "$work/project/zonesync.yaml" plan
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ft=$(cut -d' ' -f1 "$work/floor.times" | median); fm=$(cut -d' ' -f2 "$work/floor.times" | median)
pt=$(cut -d' ' -f1 "$work/plan.times" | median);  pm=$(cut -d' ' -f2 "$work/plan.times" | median)
awk -v ft="$ft" -v fm="$fm" -v pt="$pt" -v pm="$pm" 'BEGIN {
  printf "floor  median %6.2f s  %5.0f MB peak RSS\n", ft, fm / 1024
  printf "plan   median %6.2f s  %5.0f MB peak RSS\n", pt, pm / 1024
  printf "ratio  time %.2fx  memory %.2fx (target: within 1.5x)\n", pt / ft, pm / fm
}'
