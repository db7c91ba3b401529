#!/usr/bin/env python3
"""qabot next to rapidfuzz, on the same strings and the same questions.

The baseline matches each question with rapidfuzz's `process.extractOne`
and `fuzz.token_set_ratio` against every string qabot indexes (alternate
questions in both languages, keywords, titles and passage sentences, each
labelled with its entry) and answers with the entry of the best string when
its score reaches a cutoff, declining otherwise. The cutoff is the one that
gives the baseline its best accuracy on the question file, so the
comparison is as kind to it as it can be. rapidfuzz has no notion of small
talk: those questions count as misses for it.

qabot's figures come from its own `eval` on the same file, run from the
release binary.

Usage (from the repository root):
    pip install rapidfuzz
    cargo build --release
    python3 scripts/compare_rapidfuzz.py [tests/questions/dev.tsv ...]

This is a measuring tool, not part of qabot.
"""

import re
import statistics
import subprocess
import sys
import time
import tomllib

from rapidfuzz import fuzz, process, utils

KNOWLEDGE = "knowledge/knowledge.toml"
QABOT = "target/release/qabot"


def sentences(text):
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


def choices(manifest):
    strings, labels = [], []
    for entry in manifest["entry"]:
        texts = entry.get("questions", []) + entry.get("questions_ko", []) + entry.get("keywords", [])
        texts += [entry["title"]] + ([entry["title_ko"]] if "title_ko" in entry else [])
        for excerpt in entry["passage"]:
            texts += sentences(excerpt)
        for t in texts:
            strings.append(t)
            labels.append(entry["id"])
    return strings, labels


def paragraphs(manifest):
    """The column's paragraphs, each labelled with the entry that quotes it
    (the one quoting most of it): the baseline the issue describes."""
    with open("knowledge/" + manifest["source"]["text"], encoding="utf-8") as f:
        blocks = [b.strip() for b in f.read().split("\n\n") if b.strip()]
    strings, labels = [], []
    for block in blocks:
        quoting = [
            (sum(len(x) for x in e["passage"] if x in block), e["id"])
            for e in manifest["entry"]
            if e["kind"] != "overview"
        ]
        share, label = max(quoting)
        if share:
            strings.append(block)
            labels.append(label)
    return strings, labels


def load_questions(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            line = line.rstrip("\n")
            if not line or line.startswith("#") or (i == 0 and line.startswith("expected\t")):
                continue
            expected, _category, question = line.split("\t")
            rows.append((expected, question))
    return rows


def rapidfuzz_run(rows, strings, labels):
    processed = [utils.default_process(s) for s in strings]
    best, micros = [], []
    for _expected, question in rows:
        start = time.perf_counter()
        match = process.extractOne(
            utils.default_process(question), processed, scorer=fuzz.token_set_ratio, processor=None
        )
        micros.append((time.perf_counter() - start) * 1e6)
        best.append((labels[match[2]], match[1]) if match else (None, 0.0))
    return best, micros


def accuracy(rows, best, cutoff):
    right = 0
    for (expected, _), (label, score) in zip(rows, best):
        got = label if score >= cutoff else "decline"
        right += got == expected
    return right / len(rows)


def qabot_run(path):
    out = subprocess.run([QABOT, "eval", "--quiet", path], capture_output=True, text=True, check=True).stdout
    overall = float(re.search(r"overall\s+([\d.]+)%", out).group(1)) / 100
    median = float(re.search(r"speed: median ([\d.]+) µs", out).group(1))
    return overall, median


def main(paths):
    with open(KNOWLEDGE, "rb") as f:
        manifest = tomllib.load(f)
    baselines = [("same strings", choices(manifest)), ("paragraphs", paragraphs(manifest))]
    for name, (strings, _) in baselines:
        print(f"rapidfuzz on {name}: {len(strings)} strings")
    print(
        f"{'file':28} {'rapidfuzz on':13} {'rf acc':>7} {'qabot acc':>9} {'rf µs':>7} {'qabot µs':>8} {'qabot faster':>12}"
    )
    for path in paths:
        rows = load_questions(path)
        qb_acc, qb_median = qabot_run(path)
        for name, (strings, labels) in baselines:
            best, micros = rapidfuzz_run(rows, strings, labels)
            cutoff = max(range(0, 101, 5), key=lambda c: accuracy(rows, best, c))
            rf_acc = accuracy(rows, best, cutoff)
            rf_median = statistics.median(micros)
            print(
                f"{path:28} {name:13} {rf_acc:7.1%} {qb_acc:9.1%} {rf_median:7.1f} {qb_median:8.1f}"
                f" {rf_median / qb_median:11.1f}x  (cutoff {cutoff})"
            )


if __name__ == "__main__":
    main(sys.argv[1:] or ["tests/questions/dev.tsv"])
