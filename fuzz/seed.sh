#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the
# repository's own files, so the fuzzers start from realistic input:
# - matcher: every question of the dev sets, one per file;
# - knowledge: the real knowledge.toml and column.txt, and every fixture's
#   manifest, each behind the selector byte its target reads (even: the
#   manifest, odd: the source);
# - config: the shipped config.toml.
# Run it from anywhere; it only adds files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=..

mkdir -p corpus/matcher corpus/knowledge corpus/config

n=0
for tsv in "$root"/tests/questions/dev*.tsv; do
    # Third tab-separated field; the header and comments are not questions.
    while IFS=$'\t' read -r expected _ question; do
        [[ -z "${question:-}" || "$expected" == "expected" || "$expected" == \#* ]] && continue
        n=$((n + 1))
        printf '%s' "$question" > "corpus/matcher/dev-$n"
    done < "$tsv"
done

{ printf '\x00'; cat "$root/knowledge/knowledge.toml"; } > corpus/knowledge/manifest
{ printf '\x01'; cat "$root/knowledge/column.txt"; } > corpus/knowledge/source
for manifest in "$root"/tests/fixtures/knowledge/*/knowledge.toml; do
    name=$(basename "$(dirname "$manifest")")
    { printf '\x00'; cat "$manifest"; } > "corpus/knowledge/fixture-$name"
done

cp "$root/config.toml" corpus/config/shipped

echo "seeded: $n questions, $(ls corpus/knowledge | wc -l) knowledge inputs, $(ls corpus/config | wc -l) config"
