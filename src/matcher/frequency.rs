//! How common an English word is in general use, from wordfreq's word
//! frequencies on the Zipf scale (the base-10 logarithm of a word's uses per
//! billion words: "the" 7.7, "year" 6.0, "budget" 4.8).
//!
//! Rarity within the knowledge base says how well a word tells one entry
//! from another; it cannot say that "year", "last" or "four" are among the
//! commonest words of English, which a reader's story about themselves is
//! full of. The table (`zipf_en.tsv`, every word at 5.0 or more) is
//! generated at development time by `scripts/zipf_table.py` and compiled
//! in. It is adapted from wordfreq 3.1.1, (c) Robyn Speer, under CC BY-SA
//! 4.0 (`ZIPF-LICENSE`).

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("zipf_en.tsv");

static ZIPF: LazyLock<HashMap<&'static str, f32>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (word, zipf) = l.split_once('\t')?;
            Some((word, zipf.parse().ok()?))
        })
        .collect()
});

/// Reads the table now rather than on the first question that needs it,
/// so its one-off cost counts as start-up, not as a question's latency.
pub fn preload() {
    LazyLock::force(&ZIPF);
}

/// The word's Zipf frequency, for a folded English word at 5.0 or more;
/// `None` for any rarer word (and for words the table does not hold).
pub fn zipf(word: &str) -> Option<f32> {
    ZIPF.get(word).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_have_their_zipf_frequency_and_rarer_ones_none() {
        for (word, least, most) in [
            ("the", 7.5, 8.0),
            ("year", 5.8, 6.1),
            ("last", 5.7, 6.0),
            ("four", 5.3, 5.7),
            ("government", 5.4, 5.7),
        ] {
            let z = zipf(word).unwrap_or_else(|| panic!("{word} missing"));
            assert!((least..=most).contains(&z), "{word}: {z}");
        }
        for word in ["shortage", "overseas", "budget", "deepseek"] {
            assert_eq!(zipf(word), None, "{word}");
        }
    }

    #[test]
    fn every_line_of_the_table_is_read() {
        let lines = TABLE.lines().filter(|l| !l.starts_with('#')).count();
        assert!(lines > 1000, "{lines}");
        assert_eq!(ZIPF.len(), lines);
    }
}
