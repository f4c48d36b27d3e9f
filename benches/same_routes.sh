#!/usr/bin/env bash
# Same routes before and after a change: solves one instance of each variant family, a CVRPLIB X
# instance and a Solomon instance with two backroads binaries at a fixed iteration count (one
# thread, seed 1) and compares their .sol files byte for byte.
#
#   benches/same_routes.sh OLD_BINARY NEW_BINARY [ITERATIONS]
#
# Reads the instances from ../shared/data/ (skipped, with a note, when absent). A refactor or a
# speed-up that is meant to keep the search's decisions prints "identical" for every line.
set -euo pipefail
old=${1:?usage: benches/same_routes.sh OLD_BINARY NEW_BINARY [ITERATIONS]}
new=${2:?usage: benches/same_routes.sh OLD_BINARY NEW_BINARY [ITERATIONS]}
iterations=${3:-3000}
data="$(cd "$(dirname "$0")/../.." && pwd)/shared/data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
first() { ls "$@" 2>/dev/null | head -1 || true; }
instances=(
    "$data/variants/HFVRP/X101-FSMFD.vrp"
    "$data/variants/MDVRPTW/PR11A.vrp"
    "$data/variants/MTVRPTWR/C201R0.25.vrp"
    "$(first "$data"/variants/PCVRPTW/*.vrp)"
    "$(first "$data"/variants/SDVRPTW/*.vrp)"
    "$(first "$data"/variants/VRPB/*.vrp)"
    "$data/cvrplib/X/X-n256-k16.vrp"
    "$data/solomon/solomon100/R101.txt"
)
status=0
for f in "${instances[@]}"; do
    if [ -z "$f" ] || [ ! -f "$f" ]; then
        echo "note: ${f:-an instance} is absent: skipped"
        continue
    fi
    b=$(basename "$f")
    "$old" solve "$f" --iterations "$iterations" --threads 1 --seed 1 --quiet --sol "$out/old-$b.sol" >/dev/null 2>&1 || true
    "$new" solve "$f" --iterations "$iterations" --threads 1 --seed 1 --quiet --sol "$out/new-$b.sol" >/dev/null 2>&1 || true
    if [ -s "$out/old-$b.sol" ] && cmp -s "$out/old-$b.sol" "$out/new-$b.sol"; then
        echo "$b identical"
    else
        echo "$b DIFFERS (or a run wrote nothing)"
        status=1
    fi
done
exit $status
