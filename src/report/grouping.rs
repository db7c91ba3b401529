//! The report's groups of similar questions, found in close to linear time
//! so that no log, however it was filled, can make a report take long.
//!
//! A question is compared by its keys: what the matcher reads in it
//! ([`crate::matcher::Matcher::keys`]: stems after synonyms and typo
//! correction, Korean bigrams of particle-stripped words, step references),
//! so "what does he say about flops" and "failures?" are alike although
//! they share no word. Two questions are similar when the Sørensen–Dice
//! coefficient of their key multisets reaches the threshold. Each
//! question, most asked first, joins the earliest group whose leading
//! question it is similar to, or leads a new one. Comparing each question
//! with every lead is quadratic, so:
//! - **prefix filtering** (Chaudhuri et al. 2006, Bayardo et al. 2007): the
//!   key occurrences of all the questions are put in one order, rarest
//!   key first; two questions of `a` and `b` occurrences can only reach
//!   the threshold `t` if they share `⌈t·a/(2−t)⌉` of them, and then the
//!   first `a − ⌈t·a/(2−t)⌉ + 1` of the one and the like of the other share
//!   at least one. Each lead is indexed under the occurrences of its prefix,
//!   and a question is compared only with the leads that share one of its
//!   own, and whose length leaves the threshold within reach;
//! - **caps**, for logs made to defeat that (every question built from the
//!   same common keys): an occurrence lists at most [`MAX_POSTINGS`] leads,
//!   and a question is compared with at most [`MAX_COMPARISONS`] of its
//!   candidates, those that share the most occurrences with it;
//! - **a deadline**, past which the questions left are not grouped.
//!
//! Where no cap is reached ([`Grouping::trimmed`] is 0) the groups are
//! exactly those of comparing every question with every lead. The module's
//! tests run it on character bigrams too, the densest keys there are: on
//! the dev and held-out questions with near twins added (3,186 distinct)
//! the caps are reached and the groups are still the same.

use std::time::Instant;

use rustc_hash::FxHashMap;

/// Leads listed under one bigram occurrence; later leads with it in their
/// prefix are not found through it.
pub const MAX_POSTINGS: usize = 128;
/// Leads a question is compared with at most.
pub const MAX_COMPARISONS: usize = 32;

/// What [`group`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// The groups, as indices into the keys grouped, each led by its first
    /// member, in the order they were formed.
    pub groups: Vec<Vec<usize>>,
    /// How many keys were grouped: `keys[grouped..]` were left out when the
    /// deadline passed.
    pub grouped: usize,
    /// Similarity coefficients computed: the work that was quadratic.
    pub comparisons: u64,
    /// Times a cap left a lead unlisted or a candidate uncompared; while it
    /// is 0 the grouping is exact.
    pub trimmed: u64,
}

/// A question's key occurrences: `(rank, count)` by rank, where rank is
/// the key's place in the order shared by all the questions (rarest first).
struct Bigrams {
    counts: Vec<(u32, u32)>,
    len: usize,
}

impl Bigrams {
    /// The first occurrences in the shared order, enough that a similar
    /// question shares one of its own; each as `rank << 32 | nth`.
    fn prefix(&self, threshold: f64) -> impl Iterator<Item = u64> + '_ {
        let len = self.len;
        // Rounded down a hair, so float error only ever lengthens the prefix.
        let overlap = ((threshold * len as f64) / (2.0 - threshold) - 1e-9).ceil() as usize;
        let take = len + 1 - overlap.clamp(1, len.max(1));
        self.counts
            .iter()
            .flat_map(|&(rank, count)| {
                (0..count).map(move |nth| u64::from(rank) << 32 | u64::from(nth))
            })
            .take(take)
    }
}

/// Sørensen–Dice of two bigram multisets, as `strsim::sorensen_dice`
/// computes it on ASCII text (which divides by bytes, not characters, and
/// so underrates every other script).
fn dice(a: &Bigrams, b: &Bigrams) -> f64 {
    if a.len + b.len == 0 {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.counts.len() && j < b.counts.len() {
        let ((ra, ca), (rb, cb)) = (a.counts[i], b.counts[j]);
        match ra.cmp(&rb) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += ca.min(cb) as usize;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared) as f64 / (a.len + b.len) as f64
}

/// Whether two questions of `a` and `b` occurrences could reach the
/// threshold at all: they share at most the shorter one's.
fn lengths_allow(a: usize, b: usize, threshold: f64) -> bool {
    a + b > 0 && (2 * a.min(b)) as f64 / (a + b) as f64 >= threshold
}

/// Each question's keys, ranked in one order: rarest key (in fewest
/// questions) first, so prefixes hold the rare keys that few others share.
fn bigrams(keys: &[Vec<u64>]) -> Vec<Bigrams> {
    let pairs: Vec<Vec<(u64, u32)>> = keys
        .iter()
        .map(|key| {
            let mut pairs = key.clone();
            pairs.sort_unstable();
            let mut counted: Vec<(u64, u32)> = Vec::new();
            for pair in pairs {
                match counted.last_mut() {
                    Some((last, n)) if *last == pair => *n += 1,
                    _ => counted.push((pair, 1)),
                }
            }
            counted
        })
        .collect();
    let mut keys_with: FxHashMap<u64, u32> = FxHashMap::default();
    for counted in &pairs {
        for (pair, _) in counted {
            *keys_with.entry(*pair).or_default() += 1;
        }
    }
    let mut order: Vec<(u32, u64)> = keys_with.into_iter().map(|(p, n)| (n, p)).collect();
    order.sort_unstable();
    let rank: FxHashMap<u64, u32> = order
        .iter()
        .enumerate()
        .map(|(r, &(_, pair))| (pair, r as u32))
        .collect();
    pairs
        .into_iter()
        .map(|counted| {
            let mut counts: Vec<(u32, u32)> =
                counted.iter().map(|(pair, n)| (rank[pair], *n)).collect();
            counts.sort_unstable();
            Bigrams {
                len: counts.iter().map(|&(_, n)| n as usize).sum(),
                counts,
            }
        })
        .collect()
}

/// Groups questions by their `keys` (each question's, in the order taken:
/// most asked first), at `threshold` (0–1); stops taking them once
/// `deadline` has passed.
pub fn group(keys: &[Vec<u64>], threshold: f64, deadline: Instant) -> Grouping {
    let sets = bigrams(keys);
    let mut out = Grouping {
        groups: Vec::new(),
        grouped: keys.len(),
        comparisons: 0,
        trimmed: 0,
    };
    // Bigram occurrence → the groups whose lead has it in its prefix.
    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    // Per group: prefix occurrences shared with the question at hand.
    let mut shared: Vec<u32> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        if Instant::now() >= deadline {
            out.grouped = i;
            break;
        }
        for occurrence in set.prefix(threshold) {
            for &g in index.get(&occurrence).into_iter().flatten() {
                if shared[g as usize] == 0 {
                    touched.push(g);
                }
                shared[g as usize] += 1;
            }
        }
        let mut candidates: Vec<(u32, u32)> = touched
            .drain(..)
            .map(|g| (std::mem::take(&mut shared[g as usize]), g))
            .filter(|&(_, g)| {
                let lead = out.groups[g as usize][0];
                lengths_allow(set.len, sets[lead].len, threshold)
            })
            .collect();
        if candidates.len() > MAX_COMPARISONS {
            out.trimmed += 1;
            candidates
                .select_nth_unstable_by(MAX_COMPARISONS, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            candidates.truncate(MAX_COMPARISONS);
        }
        // The earliest group first, as comparing with every lead would.
        candidates.sort_unstable_by_key(|&(_, g)| g);
        let mut joined = None;
        for (_, g) in candidates {
            out.comparisons += 1;
            if dice(set, &sets[out.groups[g as usize][0]]) >= threshold {
                joined = Some(g);
                break;
            }
        }
        match joined {
            Some(g) => out.groups[g as usize].push(i),
            None => {
                let g = out.groups.len() as u32;
                out.groups.push(vec![i]);
                shared.push(0);
                for occurrence in set.prefix(threshold) {
                    let leads = index.entry(occurrence).or_default();
                    if leads.len() < MAX_POSTINGS {
                        leads.push(g);
                    } else {
                        out.trimmed += 1;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic;
    use std::time::Duration;

    const T: f64 = 0.6;

    /// A text's character bigrams (whitespace left out) as keys: the
    /// densest keys there are, for testing the index and its caps.
    fn chars(keys: &[&str]) -> Vec<Vec<u64>> {
        keys.iter()
            .map(|key| {
                let chars: Vec<char> = key.chars().filter(|c| !c.is_whitespace()).collect();
                chars
                    .windows(2)
                    .map(|w| u64::from(w[0]) << 32 | u64::from(w[1]))
                    .collect()
            })
            .collect()
    }

    fn later() -> Instant {
        Instant::now() + Duration::from_secs(3600)
    }

    /// Comparing each key with every lead: the definition `group` keeps.
    fn every_lead(keys: &[&str], threshold: f64) -> Vec<Vec<usize>> {
        let sets = bigrams(&chars(keys));
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, set) in sets.iter().enumerate() {
            match groups
                .iter_mut()
                .find(|g| dice(set, &sets[g[0]]) >= threshold)
            {
                Some(g) => g.push(i),
                None => groups.push(vec![i]),
            }
        }
        groups
    }

    /// Every question of the dev and held-out sets (English and Korean:
    /// paraphrases, typos, keywords, out-of-scope ones), and each again
    /// with a typo and with a word dropped: a log full of near twins.
    fn ordinary_log() -> Vec<String> {
        let files = [
            include_str!("../../tests/questions/dev.tsv"),
            include_str!("../../tests/questions/dev-b.tsv"),
            include_str!("../../tests/questions/dev-c.tsv"),
            include_str!("../../tests/questions/dev-d.tsv"),
            include_str!("../../tests/questions/dev-e.tsv"),
            include_str!("../../tests/questions/holdout.tsv"),
        ];
        let mut out = Vec::new();
        for line in files.iter().flat_map(|f| f.lines()) {
            let Some(q) = line.split('\t').nth(2).filter(|_| !line.starts_with('#')) else {
                continue;
            };
            let q = crate::matcher::text::fold(q.trim());
            let mut typo: Vec<char> = q.chars().collect();
            if typo.len() > 4 {
                typo.swap(2, 3);
            }
            let words: Vec<&str> = q.split_whitespace().collect();
            let dropped = words[..words.len().saturating_sub(1)].join(" ");
            out.extend([q.clone(), typo.into_iter().collect(), dropped]);
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|q| seen.insert(q.clone()));
        out
    }

    #[test]
    fn on_an_ordinary_log_the_groups_are_those_of_comparing_every_pair() {
        let log = ordinary_log();
        let keys: Vec<&str> = log.iter().map(String::as_str).collect();
        assert!(keys.len() > 3_000, "{}", keys.len());
        let found = group(&chars(&keys), T, later());
        // The caps are reached (a short question is mostly common pairs),
        // and still no group differs.
        assert!(found.trimmed > 0);
        assert_eq!(found.groups, every_lead(&keys, T));
        assert!(
            found.comparisons < 20 * keys.len() as u64,
            "{} comparisons",
            found.comparisons
        );
        assert!(
            found.groups.len() < keys.len() * 3 / 4,
            "near twins are grouped: {} groups",
            found.groups.len()
        );
    }

    #[test]
    fn long_distinct_questions_cost_a_bounded_number_of_comparisons() {
        let n = 2_000;
        let questions = synthetic::long_questions(n, 1_000, 42);
        let keys: Vec<&str> = questions.iter().map(String::as_str).collect();
        let found = group(&chars(&keys), T, later());
        assert_eq!(found.grouped, n);
        // Comparing every pair would take n²/2 = 2,000,000.
        assert!(
            found.comparisons < 50 * n as u64,
            "{} comparisons",
            found.comparisons
        );
        // Distinct, as the generator says: (almost) every one stands alone.
        assert!(found.groups.len() > n * 9 / 10, "{}", found.groups.len());
    }

    #[test]
    fn the_coefficient_is_strsims_on_ascii_and_counts_characters_elsewhere() {
        let cases = [
            ("what is step 2", "what is step 2?"),
            ("best pizza in seoul", "what's the best pizza in seoul"),
            ("aaaa", "aaa"),
            ("step 2", "step2"),
            ("a", "b"),
            ("ab", "ab c"),
            (
                "who won the world cup",
                "how can korea keep its young scientists",
            ),
        ];
        for (a, b) in cases {
            let sets = bigrams(&chars(&[a, b]));
            assert_eq!(
                dice(&sets[0], &sets[1]),
                strsim::sorensen_dice(a, b),
                "{a} / {b}"
            );
        }
        // strsim divides by bytes: two Korean spellings that differ by one
        // syllable would never group (0.30); by characters they do (0.95).
        let (a, b) = ("과학자를 어떻게 붙잡나요", "과학자를 어떻게 붙잡나");
        let sets = bigrams(&chars(&[a, b]));
        assert!(strsim::sorensen_dice(a, b) < T);
        assert!(
            dice(&sets[0], &sets[1]) >= T,
            "{}",
            dice(&sets[0], &sets[1])
        );
    }

    #[test]
    fn a_deadline_that_has_passed_groups_nothing() {
        let found = group(
            &chars(&["what is step 2", "what is step 2?"]),
            T,
            Instant::now(),
        );
        assert_eq!(found.grouped, 0);
        assert!(found.groups.is_empty());
    }

    #[test]
    fn short_and_empty_keys_stand_alone() {
        let found = group(&chars(&["", "a", "b", "ab", "a b"]), T, later());
        assert_eq!(found.groups, [vec![0], vec![1], vec![2], vec![3, 4]]);
    }
}
