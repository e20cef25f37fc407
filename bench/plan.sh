#!/usr/bin/env bash
# Whole-process measurement of `zonesync plan` on a generated zone, against
# the parse floor (cmd/floor) on the same files, in the same run.
#
#   bench/plan.sh [record-sets] [runs] [other-zonesync...]
#
# Defaults: 100000 record sets, 5 runs. Other zonesync binaries (say, one
# built from an earlier commit) run interleaved with this checkout's, so
# that before and after meet the same load on a shared machine.
#
# Prints the median wall time and peak RSS of each over the runs, and their
# ratio to the floor's. Needs /usr/bin/time (Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-5}
others=("${@:3}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/zonesync" .
go build -o "$work/floor" ./bench/cmd/floor
go run ./bench/cmd/zonegen -n "$n" -dir "$work/project"
echo "spec $(du -h "$work/project/zones/big.example.yaml" | cut -f1), live zone $(du -h "$work/project/live/big.example.zone" | cut -f1), $n record sets, $runs runs"

measure() { # name command... -> appends "seconds kilobytes cpu-seconds" lines to $work/$name.times
  /usr/bin/time -f "%e %M %U %S" -o "$work/t" "${@:2}" >/dev/null
  cat "$work/t" >>"$work/$1.times"
}
for _ in $(seq "$runs"); do
  measure floor "$work/floor" -dir "$work/project"
  measure plan "$work/zonesync" --config "$work/project/zonesync.yaml" plan
  for i in "${!others[@]}"; do
    measure "other$i" "${others[$i]}" --config "$work/project/zonesync.yaml" plan
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ft=$(cut -d' ' -f1 "$work/floor.times" | median); fm=$(cut -d' ' -f2 "$work/floor.times" | median)
awk -v ft="$ft" -v fm="$fm" 'BEGIN { printf "floor\n       median %6.2f s  %5.0f MB peak RSS\n", ft, fm / 1024 }'
report() { # name label
  local t m c
  t=$(cut -d' ' -f1 "$work/$1.times" | median); m=$(cut -d' ' -f2 "$work/$1.times" | median)
  c=$(awk '{print $3 + $4}' "$work/$1.times" | median)
  awk -v ft="$ft" -v fm="$fm" -v t="$t" -v m="$m" -v c="$c" -v label="$2" 'BEGIN {
    printf "%s\n       median %6.2f s  %5.0f MB peak RSS  (%.2f s CPU), ratio to the floor: time %.2fx  memory %.2fx\n", label, t, m / 1024, c, t / ft, m / fm
  }'
}
report plan "plan (this checkout; targets: memory within 1.2x, time within 1.5x)"
for i in "${!others[@]}"; do
  report "other$i" "plan (${others[$i]})"
done
