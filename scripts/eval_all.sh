#!/usr/bin/env bash
# Prints, for every labelled question file, the figures the accuracy work
# tracks: overall, Korean, out-of-scope declined and wrong answers.
# The out-of-sight files (holdout.tsv, heldout-2.tsv … heldout-31.tsv) are run with --quiet
# only, so their questions and misses are never shown.
# Usage: scripts/eval_all.sh [path/to/qabot]   (default: target/debug/qabot)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/qabot}
printf '%-14s %-22s %-22s %-22s %-22s\n' file overall korean out-of-scope wrong-answers
for f in dev dev-b dev-c dev-d dev-e blind-f blind-g blind-h blind-i blind-j blind-k blind-l blind-m blind-n blind-o blind-p blind-q blind-r blind-s blind-t blind-u blind-v blind-w blind-x blind-y blind-z blind-aa blind-ab blind-ac blind-ad blind-ae blind-af blind-ag blind-ah blind-long holdout heldout-2 heldout-3 heldout-4 heldout-5 heldout-6 heldout-7 heldout-8 heldout-9 heldout-10 heldout-11 heldout-12 heldout-13 heldout-14 heldout-15 heldout-16 heldout-17 heldout-18 heldout-19 heldout-20 heldout-21 heldout-22 heldout-23 heldout-24 heldout-25 heldout-26 heldout-27 heldout-28 heldout-29 heldout-30 heldout-31; do
    "$bin" eval "tests/questions/$f.tsv" --quiet | awk -v f="$f" '
        /^overall/ {o=$2" "$3} /^korean/ {k=$4" "$5} /^out-of-scope/ {s=$3" "$4}
        /^wrong answers/ {w=$3" "$4}
        END {printf "%-14s %-22s %-22s %-22s %-22s\n", f, o, k, s, w}'
done
