#!/usr/bin/env bash
# Smoke run of every fuzz target, one after the other (not run by CI):
#   fuzz/smoke.sh [SECONDS_PER_TARGET]   (default 60)
# Stable Rust only: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags,
# and `-s none` skips AddressSanitizer (safe Rust; debug assertions and
# overflow checks stay on). Crash inputs land in fuzz/artifacts/<target>/.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
targets=(vrplib solomon json_problem json_solution towns_csv road_csv sol osm_pbf)
./seed.sh
cargo fuzz build -s none || exit 1
mkdir -p logs
printf '%-14s %12s %8s %s\n' target executions crashes 'oom/timeout/crash'
for t in "${targets[@]}"; do
    log=logs/$t.log
    # -fork=1 -ignore_crashes=1: keep fuzzing after a crash, hang or OOM and count them all.
    cargo fuzz run -s none "$t" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=1048576 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1 \
        >"$log" 2>&1
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
    if [ "$execs" = 0 ]; then
        execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
    fi
    crashes=$(find "artifacts/$t" -type f 2>/dev/null | wc -l)
    kinds=$(grep -o 'oom/timeout/crash: [0-9/]*' "$log" | tail -n 1 | cut -d' ' -f2)
    printf '%-14s %12s %8s %s\n' "$t" "${execs:-0}" "$crashes" "${kinds:-0/0/0}"
done
