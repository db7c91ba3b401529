//! Typo correction: the words a knowledge base knows, and the nearest of
//! them to a misspelt one, by Damerau-Levenshtein distance over letters
//! (English) or jamo (Korean), found through shared character bigrams so a
//! large vocabulary is not compared whole.

use rustc_hash::FxHashMap as HashMap;

use super::text::jamo;

/// A spelling the knowledge base knows, kept for typo correction.
#[derive(Debug, Clone)]
pub(super) struct Vocabulary {
    words: Vec<String>,
    /// The same words as compared: letters, or jamo for Hangul.
    letters: Vec<Vec<char>>,
    set: HashMap<String, u32>,
    /// Character bigram → words containing it, to find candidates fast.
    bigrams: HashMap<(char, char), Vec<u32>>,
    /// `by_length[l]`: the first word at least `l` letters long.
    by_length: Vec<u32>,
}

impl Vocabulary {
    pub(super) fn new(words: Vec<String>, hangul: bool) -> Self {
        let mut pairs: Vec<(Vec<char>, String)> = words
            .into_iter()
            .map(|w| {
                (
                    if hangul {
                        jamo(&w)
                    } else {
                        w.chars().collect()
                    },
                    w,
                )
            })
            .collect();
        // Ordered by length, so that the words of a length range are a range
        // of ids, and every bigram's list can be cut to it.
        pairs.sort_unstable_by(|a, b| (a.0.len(), &a.1).cmp(&(b.0.len(), &b.1)));
        pairs.dedup_by(|a, b| a.1 == b.1);
        let (letters, words): (Vec<Vec<char>>, Vec<String>) = pairs.into_iter().unzip();
        let longest = letters.last().map_or(0, Vec::len);
        let by_length = (0..=longest + 1)
            .map(|l| letters.partition_point(|w| w.len() < l) as u32)
            .collect();
        let mut bigrams: HashMap<(char, char), Vec<u32>> = HashMap::default();
        for (i, l) in letters.iter().enumerate() {
            for pair in padded_bigrams(l) {
                let list = bigrams.entry(pair).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        let set = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        Vocabulary {
            words,
            letters,
            set,
            bigrams,
            by_length,
        }
    }

    pub(super) fn contains(&self, word: &str) -> bool {
        self.set.contains_key(word)
    }

    /// The known word nearest to `word` by Damerau-Levenshtein distance, if
    /// near enough to be a typo of it, with its similarity (0–1).
    pub(super) fn correct(&self, letters: &[char], hangul: bool) -> Option<(&str, f32)> {
        let len = letters.len();
        // Short words are too often other real words ("kaist" is not "kist"):
        // English words of four letters may only gain a letter ("rote" is
        // "wrote"), and nothing is corrected to a word under five letters;
        // Korean words change by one jamo at most.
        let allowed = match (hangul, len) {
            (true, 0..=3) => return None,
            (true, _) => 1,
            (false, 0..=3) => return None,
            (false, 4..=7) => 1,
            (false, 8..=11) => 2,
            (false, _) => 3,
        };
        let min_len = if hangul { 4 } else { 5 };
        // Only words of a length within reach of an edit are candidates: a
        // range of ids, counted in a dense array.
        let id_at = |l: usize| self.by_length[l.min(self.by_length.len() - 1)];
        let (lo, hi) = (
            id_at(len.saturating_sub(allowed).max(min_len)),
            id_at(len + allowed + 1),
        );
        if lo >= hi {
            return None;
        }
        let mut shared = vec![0u8; (hi - lo) as usize];
        let pairs = padded_bigrams(letters);
        for pair in &pairs {
            if let Some(list) = self.bigrams.get(pair) {
                let from = list.partition_point(|&w| w < lo);
                let to = list.partition_point(|&w| w < hi);
                for &w in &list[from..to] {
                    shared[(w - lo) as usize] = shared[(w - lo) as usize].saturating_add(1);
                }
            }
        }
        // A typo leaves most bigrams intact: an edit breaks at most two, a
        // transposition ("fuonder") three; one transposition is allowed for
        // (more would let many more candidates through on a large index).
        let need = pairs.len().saturating_sub(2 * allowed + 1).max(1);
        let query: String = letters.iter().collect();
        let mut best: Option<(usize, f64, u32)> = None;
        for (offset, &count) in shared.iter().enumerate() {
            if (count as usize) < need {
                continue;
            }
            let w = lo + offset as u32;
            let cand = &self.letters[w as usize];
            if cand.len().abs_diff(len) > allowed || cand.len() < min_len {
                continue;
            }
            let distance = strsim::generic_damerau_levenshtein(letters, cand);
            if distance > allowed {
                continue;
            }
            // Typos rarely hit the first letter, while real words that
            // differ only there are common ("heading", "leading"): the first
            // letter must match, unless the first two are swapped ("frist").
            let swapped =
                len > 1 && cand.len() > 1 && cand[0] == letters[1] && cand[1] == letters[0];
            if cand[0] != letters[0] && !swapped {
                continue;
            }
            let jw = strsim::jaro_winkler(&query, &cand.iter().collect::<String>());
            let better = match best {
                None => true,
                Some((d, j, b)) => (distance, -jw, w) < (d, -j, b),
            };
            if better {
                best = Some((distance, jw, w));
            }
        }
        best.map(|(d, _, w)| {
            let longest = len.max(self.letters[w as usize].len());
            (
                self.words[w as usize].as_str(),
                1.0 - d as f32 / longest as f32,
            )
        })
    }
}

fn padded_bigrams(letters: &[char]) -> Vec<(char, char)> {
    let mut out = Vec::with_capacity(letters.len() + 1);
    let mut prev = '^';
    for &c in letters {
        out.push((prev, c));
        prev = c;
    }
    out.push((prev, '$'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(words: &[&str]) -> Vocabulary {
        Vocabulary::new(words.iter().map(|w| w.to_string()).collect(), false)
    }

    #[test]
    fn a_typo_is_corrected_to_the_nearest_known_word() {
        let v = vocabulary(&["research", "funding", "failure", "wrote"]);
        let cases: &[(&str, Option<&str>)] = &[
            ("reserach", Some("research")), // transposition
            ("fundng", Some("funding")),    // a letter missing
            ("failiure", Some("failure")),  // a letter too many
            ("wrte", Some("wrote")),        // four letters may gain one
            ("frist", None),                // nothing near enough
            ("kist", None),                 // too short to correct
            ("lunding", None),              // the first letter differs
        ];
        for &(typo, want) in cases {
            let letters: Vec<char> = typo.chars().collect();
            assert_eq!(v.correct(&letters, false).map(|(w, _)| w), want, "{typo}");
        }
    }

    #[test]
    fn similarity_falls_with_the_edits() {
        let v = vocabulary(&["collaboration"]);
        let one: Vec<char> = "colaboration".chars().collect();
        let two: Vec<char> = "colaboratoin".chars().collect();
        let (_, s1) = v.correct(&one, false).unwrap();
        let (_, s2) = v.correct(&two, false).unwrap();
        assert!(s1 > s2 && s2 > 0.0, "{s1} {s2}");
    }

    #[test]
    fn korean_words_change_by_one_jamo_at_most() {
        let v = Vocabulary::new(vec!["연구환경".to_owned()], true);
        assert_eq!(
            v.correct(&jamo("연구환견"), true).map(|(w, _)| w),
            Some("연구환경")
        );
        assert_eq!(v.correct(&jamo("연고환견"), true), None);
        assert!(v.contains("연구환경") && !v.contains("연구"));
    }
}
