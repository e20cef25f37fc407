#!/usr/bin/env bash
# Peak memory and wall time of `zonesync plan` on an estate of many small
# zones (zone-file provider), a share of whose record sets differ live.
#
#   bench/estate-memory.sh [zones] [record-sets] [changed-percent] [runs] [other-zonesync...]
#
# Defaults: 10000 zones of 20 record sets, 3% of the sets changed, 5 runs.
# Other zonesync binaries (say, one built from an earlier commit) run
# interleaved with this checkout's, so that before and after meet the same
# load on a shared machine.
#
# Prints the median wall time and peak RSS of each over the runs. Needs
# /usr/bin/time (Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
zones=${1:-10000}
sets=${2:-20}
percent=${3:-3}
runs=${4:-5}
bins=("" "${@:5}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/zonesync" .
bins[0]=$work/zonesync
go run ./bench/cmd/estate -write "$work/project" -zones "$zones" -records "$sets" -changed-percent "$percent"
echo "$zones zones x $sets record sets, $percent% changed, $runs runs"

for _ in $(seq "$runs"); do
  for i in "${!bins[@]}"; do
    /usr/bin/time -f "%e %M" -o "$work/t" "${bins[$i]}" --config "$work/project/zonesync.yaml" plan >"$work/plan.txt"
    cat "$work/t" >>"$work/$i.times"
  done
done
tail -n 1 "$work/plan.txt"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for i in "${!bins[@]}"; do
  t=$(cut -d' ' -f1 "$work/$i.times" | median)
  m=$(cut -d' ' -f2 "$work/$i.times" | median)
  label=${bins[$i]}
  [ "$i" = 0 ] && label="this checkout (target: at most 100 MB)"
  awk -v t="$t" -v m="$m" -v label="$label" 'BEGIN { printf "plan (%s)\n       median %6.2f s wall, %5.0f MB peak RSS\n", label, t, m / 1024 }'
done
