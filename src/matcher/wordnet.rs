//! General English word knowledge, distilled from WordNet 3.0: the words a
//! reader may write for a word of the knowledge base (synonyms and
//! derivational forms of its commonest senses, and apart from them each
//! word's own derivational forms: "reduce" for "reduction"), and the real
//! English words that lie within typo distance of it, which must not be
//! "corrected" (but for words never seen in WordNet's sense-tagged corpus
//! that are a knowledge-base word with two neighbouring letters swapped:
//! "chian").
//!
//! The table (`wordnet.tsv`) is generated at development time by
//! `scripts/wordnet_table.py` and compiled in, so neither the build nor
//! the bot needs WordNet. WordNet 3.0 is (c) 2006 Princeton University,
//! under the licence in `WORDNET-LICENSE`.

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("wordnet.tsv");

struct Table {
    /// Variant → (knowledge-base word, cost: the senses' ranks summed).
    related: HashMap<&'static str, (&'static str, u8)>,
    /// A word's own derivational form that the knowledge base uses, the
    /// same idea in another part of speech ("reduce" → "reduction") →
    /// (that word, cost: the senses' ranks summed).
    derived: HashMap<&'static str, (&'static str, u8)>,
    /// Real word → its edit distance to the nearest knowledge-base word.
    real: HashMap<&'static str, u8>,
}

static WORDS: LazyLock<Table> = LazyLock::new(|| {
    let mut table = Table {
        related: HashMap::default(),
        derived: HashMap::default(),
        real: HashMap::default(),
    };
    for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.split('\t');
        let (Some(word), Some(second)) = (fields.next(), fields.next()) else {
            continue;
        };
        if let Some(real) = word.strip_prefix('=') {
            table.real.insert(real, second.parse().unwrap_or(u8::MAX));
            continue;
        }
        let cost = fields
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(u8::MAX);
        match word.strip_prefix('+') {
            Some(variant) => table.derived.insert(variant, (second, cost)),
            None => table.related.insert(word, (second, cost)),
        };
    }
    table
});

/// Reads the table now rather than on the first question that needs it,
/// so its one-off cost counts as start-up, not as a question's latency.
pub fn preload() {
    LazyLock::force(&WORDS);
}

/// WordNet's inflection rules (its "morphy"): the base forms a word may
/// be an inflection of, the word itself first.
fn base_forms(word: &str) -> impl Iterator<Item = String> + '_ {
    const RULES: &[(&str, &str)] = &[
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
        ("er", ""),
        ("est", ""),
        ("er", "e"),
        ("est", "e"),
    ];
    std::iter::once(word.to_owned()).chain(RULES.iter().filter_map(move |(suffix, repl)| {
        let stem = word.strip_suffix(suffix)?;
        (stem.len() > 1).then(|| format!("{stem}{repl}"))
    }))
}

/// The knowledge-base word that `word` (any inflection) stands for, if the
/// senses linking them cost at most `max_cost` (0: both words' commonest
/// sense).
pub fn related(word: &str, max_cost: u8) -> Option<&'static str> {
    nearest(&WORDS.related, word, max_cost)
}

/// The knowledge-base word that is `word`'s (any inflection) own
/// derivational form, in senses costing at most `max_cost`: "reducing" →
/// "reduction".
pub fn derived(word: &str, max_cost: u8) -> Option<&'static str> {
    nearest(&WORDS.derived, word, max_cost)
}

fn nearest(
    table: &HashMap<&'static str, (&'static str, u8)>,
    word: &str,
    max_cost: u8,
) -> Option<&'static str> {
    base_forms(word)
        .filter_map(|base| table.get(base.as_str()).copied())
        .filter(|&(_, cost)| cost <= max_cost)
        .min_by_key(|&(_, cost)| cost)
        .map(|(target, _)| target)
}

/// Whether `word` (any inflection) is a real English word within `edits`
/// of a knowledge-base word, so a look-alike rather than a typo.
pub fn is_real_word(word: &str, edits: u8) -> bool {
    base_forms(word).any(|base| WORDS.real.get(base.as_str()).is_some_and(|&d| d <= edits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_words_reach_the_knowledge_base() {
        // (written, most cost allowed, the knowledge-base word or none)
        let cases: &[(&str, u8, Option<&str>)] = &[
            ("accomplishment", 4, Some("achievement")),
            ("accomplishments", 4, Some("achievement")),
            ("academe", 4, Some("academia")),
            ("zzzz", 4, None),
            // A word of the knowledge base is not a variant of another.
            ("talent", 4, None),
        ];
        for &(word, max, want) in cases {
            assert_eq!(related(word, max), want, "{word}");
        }
    }

    #[test]
    fn derivational_forms_are_the_words_own() {
        let cases: &[(&str, u8, Option<&str>)] = &[
            ("reduce", 2, Some("reduction")),
            ("reducing", 2, Some("reduction")),
            ("explore", 2, Some("exploration")),
            // A word of the knowledge base is not a variant of another.
            ("reduction", 2, None),
            ("zzzz", 2, None),
        ];
        for &(word, max, want) in cases {
            assert_eq!(derived(word, max), want, "{word}");
        }
    }

    #[test]
    fn look_alike_real_words_are_known() {
        let cases: &[(&str, bool)] = &[
            ("lazy", true),
            ("chin", true),
            ("reserch", false),
            ("qwzx", false),
            // Never seen in WordNet's tagged corpus, and a knowledge-base
            // word ("china") with two neighbouring letters swapped: a slip.
            ("chian", false),
        ];
        for &(word, want) in cases {
            assert_eq!(is_real_word(word, 2), want, "{word}");
        }
    }

    #[test]
    fn irregular_inflections_made_of_two_words_are_real_words() {
        // "got" + "ten", "be" + "came": WordNet's exception lists, which
        // the inflection rules do not reach from the lemma.
        for word in ["gotten", "became", "forgiven"] {
            assert!(is_real_word(word, u8::MAX), "{word}");
        }
    }

    #[test]
    fn base_forms_follow_inflection_rules() {
        let forms: Vec<String> = base_forms("studies").collect();
        for want in ["studies", "studie", "study", "studi"] {
            assert!(forms.iter().any(|f| f == want), "{want} in {forms:?}");
        }
    }
}
