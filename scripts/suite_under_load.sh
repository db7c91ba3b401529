#!/usr/bin/env bash
# Runs the whole test suite N times in a row (default 10) while stress-ng
# keeps every core busy, and prints one line a run: exit code, tests passed
# and failed, seconds, load average. For docs/RELIABILITY.md ("The suite
# under load"). Needs stress-ng (Debian: apt-get install stress-ng).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-10}
cargo test --no-run -q >/dev/null 2>&1 || { echo "the tests do not build" >&2; exit 1; }
stress-ng --cpu "$(nproc)" --timeout 7200s >/dev/null 2>&1 &
stress=$!
trap 'kill "$stress" 2>/dev/null' EXIT
log=$(mktemp)
failed_runs=0
for i in $(seq 1 "$runs"); do
    start=$(date +%s)
    cargo test >"$log" 2>&1
    rc=$?
    [ "$rc" -eq 0 ] || { failed_runs=$((failed_runs + 1)); cp "$log" "suite-under-load-run-$i.log"; }
    counts=$(awk '/^test result:/ { for (i = 2; i <= NF; i++) {
            if ($i ~ /^passed;?$/) p += $(i - 1); if ($i ~ /^failed;?$/) f += $(i - 1) } }
        END { printf "%d passed, %d failed", p, f }' "$log")
    echo "run $i: exit $rc, $counts, $(( $(date +%s) - start )) s, load $(cut -d' ' -f1 /proc/loadavg)"
done
rm -f "$log"
echo "$failed_runs of $runs runs failed"
[ "$failed_runs" -eq 0 ]
