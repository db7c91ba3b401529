#!/usr/bin/env python3
"""Distils WordNet 3.0 into the matcher's related-word table.

Run at development time, whenever the knowledge base's wording changes:

    apt-get install wordnet-base          # Debian: /usr/share/wordnet
    python3 scripts/wordnet_table.py > src/matcher/wordnet.tsv

The build never needs WordNet: the table is committed and compiled in.

What it writes. For every English word the knowledge base uses (its
entries' questions, keywords, titles and passages, and the column), the
WordNet words a reader may write instead: words sharing one of its
commonest senses (synonyms) and the derivational forms of those senses
("evaluate" / "evaluation"). Each line is `variant<TAB>knowledge-base word`,
one target per variant: the one whose senses are the commonest for both.
Words of the knowledge base are never variants (they match as they are),
and neither are multi-word lemmas.

A second section (`+variant<TAB>knowledge-base word<TAB>cost`) lists a
word's own derivational forms proper: the word, in one of its commonest
senses, linked word to word by WordNet to a knowledge-base word (a listed
synonym counts) in one of that word's commonest senses, so the same idea
in another part of speech ("reduce" / "reduction"). The matcher uses this
section on its own (`Weights::derived`), and the first only if
`Weights::related` is turned on.

A third section lists real English words within two edits of a
knowledge-base word (`=word<TAB>edits`): the matcher must not "correct" them as
typos ("lazy" is not a misspelling of anything), leaving out a word never
seen in WordNet's sense-tagged corpus that is a knowledge-base word with two
neighbouring letters swapped ("chian" is a slip for "china"); and real compounds of two
such words or stop words (`=weekend<TAB>9`), which are not two words run together.

Licence: WordNet 3.0, (c) 2006 Princeton University; the licence permits
use, copying, modification and distribution with its copyright notice,
which src/matcher/WORDNET-LICENSE reproduces.
"""

import re
import sys
import tomllib
from pathlib import Path

WN = Path("/usr/share/wordnet")
ROOT = Path(__file__).resolve().parent.parent
POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# How many of a word's senses count: beyond the commonest few, WordNet's
# senses are rare ones ("step" as a dance step) that match wrongly.
VARIANT_SENSES = 2
TARGET_SENSES = 3
# Words too common or too vague to stand for a knowledge-base word.
MIN_LEN = 3


def kb_words():
    kb = tomllib.loads((ROOT / "knowledge/knowledge.toml").read_text())
    texts = [(ROOT / "knowledge/column.txt").read_text()]
    for entry in kb.get("entry", []):
        texts.append(entry.get("title", ""))
        texts += entry.get("questions", [])
        texts += entry.get("keywords", [])
        texts += entry.get("passage", [])
    listed = set()
    for canonical, variants in kb.get("synonyms", {}).items():
        listed.add(canonical.lower())
        listed.update(v.lower() for v in variants)
    words = set()
    for t in texts:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+", t))
    return words, listed


def read_index():
    """lemma -> [(pos, [synset offsets, commonest first])]"""
    index = {}
    for name, pos in POS.items():
        for line in (WN / f"index.{name}").read_text().splitlines():
            if line.startswith(" "):
                continue
            f = line.split()
            lemma, p_cnt = f[0], int(f[3])
            synsets = f[6 + p_cnt :]
            index.setdefault(lemma, []).append((pos, synsets))
    return index


def read_tagged():
    """Lemmas seen at least once in WordNet's sense-tagged corpus (the
    index's tagsense_cnt, in any part of speech)."""
    tagged = set()
    for name in POS:
        for line in (WN / f"index.{name}").read_text().splitlines():
            if line.startswith(" "):
                continue
            f = line.split()
            p_cnt = int(f[3])
            if int(f[5 + p_cnt]) > 0:
                tagged.add(f[0])
    return tagged


def read_data():
    """(pos, offset) -> (words, derivational links [(source word no, target)])"""
    data = {}
    for name, pos in POS.items():
        for line in (WN / f"data.{name}").read_text().splitlines():
            if line.startswith(" "):
                continue
            f = line.split(" | ")[0].split()
            offset, n = f[0], int(f[3], 16)
            words = [re.sub(r"\(.*\)$", "", f[4 + 2 * i]).lower() for i in range(n)]
            i = 4 + 2 * n
            p_cnt = int(f[i])
            links = []
            for k in range(p_cnt):
                sym, off, ppos, st = f[i + 1 + 4 * k : i + 5 + 4 * k]
                if sym == "+":
                    ppos = "a" if ppos == "s" else ppos
                    links.append((int(st[:2], 16), int(st[2:], 16), (ppos, off)))
            data[(pos if pos != "s" else "a", offset)] = (words, links)
    return data


def exceptions():
    """inflected form -> base forms, from WordNet's exception lists."""
    exc = {}
    for name in POS:
        for line in (WN / f"{name}.exc").read_text().splitlines():
            f = line.split()
            exc.setdefault(f[0], []).extend(f[1:])
    return exc


RULES = [
    ("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
    ("shes", "sh"), ("men", "man"), ("ies", "y"), ("es", "e"), ("es", ""),
    ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("er", ""),
    ("est", ""), ("er", "e"), ("est", "e"),
]


def lemmas(word, index, exc):
    """The WordNet base forms of a word (WordNet's morphy, simplified)."""
    out = [word] if word in index else []
    out += [b for b in exc.get(word, []) if b in index]
    for suffix, repl in RULES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: -len(suffix)] + repl
            if base in index and base not in out:
                out.append(base)
    return out


def osa(a, b, limit):
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            c = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + c)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def stop_words():
    """The matcher's English stop words, read from its data list."""
    lines = (ROOT / "src/matcher/data/stop_en.txt").read_text().splitlines()
    return {l.split("#", 1)[0].strip() for l in lines} - {""}


def is_swap(a, b):
    """Whether b is a with two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def deletes(word):
    """The word with up to two letters deleted (symmetric-delete candidates)."""
    one = {word[:i] + word[i + 1 :] for i in range(len(word))}
    two = {w[:i] + w[i + 1 :] for w in one for i in range(len(w))}
    return one | two | {word}


def main():
    index, data, exc = read_index(), read_data(), exceptions()
    words, listed = kb_words()
    # Knowledge-base lemma -> its commonest synsets, with their rank.
    target_rank = {}
    kb_lemmas = {}
    for w in sorted(words):
        for lemma in lemmas(w, index, exc):
            kb_lemmas.setdefault(lemma, w)
    for lemma in kb_lemmas:
        for pos, synsets in index[lemma]:
            for rank, off in enumerate(synsets[:TARGET_SENSES]):
                target_rank.setdefault((pos, off), []).append((rank, lemma))
    best = {}
    # Derivational forms proper: this very word, in one of its commonest
    # senses, linked word to word to a knowledge-base word (a listed
    # synonym counts) in one of that word's commonest senses: "reduce" /
    # "reduction", the same idea in another part of speech.
    kb_any = {}
    for w in sorted(words | listed):
        for lemma in lemmas(w, index, exc):
            kb_any.setdefault(lemma, w)
    sense_rank = {}
    for lemma in kb_any:
        for pos, synsets in index[lemma]:
            for rank, off in enumerate(synsets[:TARGET_SENSES]):
                sense_rank[(lemma, pos, off)] = rank
    derived = {}

    def offer(variant, cost, target):
        if variant in words or variant in listed or variant in kb_lemmas:
            return
        if len(variant) < MIN_LEN or not variant.isalpha():
            return
        if variant not in best or (cost, target) < best[variant]:
            best[variant] = (cost, target)

    for variant, senses in index.items():
        for pos, synsets in senses:
            for rank, off in enumerate(synsets[:VARIANT_SENSES]):
                words_here, links = data[(pos, off)]
                # Synonyms: the knowledge-base words of the same sense.
                for t_rank, lemma in target_rank.get((pos, off), []):
                    offer(variant, rank + t_rank, kb_lemmas[lemma])
                # Derivational forms of this word in this sense.
                for src, tgt, key in links:
                    if src != 0 and words_here[src - 1] != variant:
                        continue
                    for t_rank, lemma in target_rank.get(key, []):
                        offer(variant, rank + t_rank + 1, kb_lemmas[lemma])
                    if src == 0:
                        continue
                    target_words = data[key][0]
                    if tgt == 0 or tgt > len(target_words):
                        continue
                    target = target_words[tgt - 1]
                    t_rank = sense_rank.get((target, key[0], key[1]))
                    if t_rank is None or target == variant:
                        continue
                    if variant in words or variant in listed or variant in kb_any:
                        continue
                    if len(variant) < MIN_LEN or not variant.isalpha():
                        continue
                    cost = rank + t_rank
                    if variant not in derived or (cost, target) < derived[variant]:
                        derived[variant] = (cost, kb_any[target])
    print("# Generated by scripts/wordnet_table.py from WordNet 3.0")
    print("# (c) 2006 Princeton University; see WORDNET-LICENSE. Do not edit.")
    print("# variant<TAB>knowledge-base word<TAB>cost (sense ranks; 0 = commonest senses)")
    for variant in sorted(best):
        cost, target = best[variant]
        print(f"{variant}\t{target}\t{cost}")
    # Derivational forms proper, a section of their own (`+variant`).
    print("# +derivational form<TAB>knowledge-base word<TAB>cost")
    for variant in sorted(derived):
        cost, target = derived[variant]
        print(f"+{variant}\t{target}\t{cost}")
    # Real words near a knowledge-base word: never typos.
    print("# =real English words within two edits of a knowledge-base word")
    kb_long = [w for w in words | listed if len(w) >= 4 and w.isalpha()]
    neighbours = {}
    for w in kb_long:
        for d in deletes(w):
            neighbours.setdefault(d, set()).add(w)
    # A word never seen in the sense-tagged corpus that is a knowledge-base
    # word with two neighbouring letters swapped ("chian" for "china") is
    # rarer than that slip, the commonest of all. Other untagged words stay
    # real: informal ones ("grad") are common and missing from the corpus.
    tagged = read_tagged()
    kb_by_letters = {}
    for w in kb_long:
        kb_by_letters.setdefault("".join(sorted(w)), set()).add(w)
    real = set()
    for lemma in index:
        if not lemma.isalpha() or len(lemma) < 4 or lemma in words or lemma in listed:
            continue
        if lemma not in tagged and any(
            is_swap(lemma, w) for w in kb_by_letters.get("".join(sorted(lemma)), ())
        ):
            continue
        near = set()
        for d in deletes(lemma):
            near |= neighbours.get(d, set())
        distance = min((osa(lemma, w, 2) for w in near), default=3)
        if distance <= 2:
            real.add((lemma, distance))
    # Real compounds of two such words ("weekend"): one word, not two run
    # together. Marked 9: not near any knowledge-base word.
    stop = stop_words()
    parts = {w for w in words | listed | stop if w.isalpha() and len(w) >= 2}
    near_words = {w for w, _ in real}
    # Irregular inflections ("gotten") are real words too, and the
    # matcher's inflection rules do not reach them from their lemma.
    for lemma in sorted(set(index) | set(exc)):
        if not lemma.isalpha() or len(lemma) < 6 or lemma in words or lemma in listed:
            continue
        if lemma in near_words:
            continue
        if any(lemma[:i] in parts and lemma[i:] in parts for i in range(2, len(lemma) - 1)):
            real.add((lemma, 9))
    for w, distance in sorted(real):
        print(f"={w}\t{distance}")


if __name__ == "__main__":
    sys.exit(main())
