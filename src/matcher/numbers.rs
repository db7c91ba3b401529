//! Number words of English and Korean ("two", "second", "두 가지",
//! "두 번째"), read from `numbers.toml`: general language knowledge, so that
//! the matcher reads ordinals and the replies name a count of steps the same
//! way for any knowledge base, whatever its number of steps.

use std::sync::LazyLock;

use serde::Deserialize;

/// The words of one number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Number {
    pub n: u8,
    /// English number words, the spelled-out one first ("two", "ii").
    pub cardinal: Vec<String>,
    /// English ordinal words ("second", "2nd", "secondly").
    pub ordinal: Vec<String>,
    /// The Korean native numeral before a counter ("두" in "두 가지").
    pub ko_count: String,
    /// Korean ordinal forms as typed without spaces ("두번째", "둘째").
    pub ko_ordinal: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    number: Vec<Number>,
}

/// The largest number with words; a knowledge base numbers its steps up to
/// it. The knowledge base sets it (the matcher reads knowledge bases, not
/// the other way round); the tests below check that every number up to it
/// has its words.
pub const MAX: u8 = crate::knowledge::MAX_STEPS;

static NUMBERS: LazyLock<Vec<Number>> = LazyLock::new(|| {
    // The file is compiled in and checked by the tests below: it cannot be
    // wrong in a build that passed them.
    toml::from_str::<File>(include_str!("numbers.toml"))
        .expect("src/matcher/numbers.toml parses (see its tests)")
        .number
});

/// The words of `n`, for 1 to [`MAX`].
pub fn number(n: u8) -> Option<&'static Number> {
    NUMBERS.get(usize::from(n).checked_sub(1)?)
}

/// `n` in English words ("three"), or in digits past the words.
pub fn english(n: u8) -> String {
    number(n)
        .and_then(|w| w.cardinal.first())
        .cloned()
        .unwrap_or_else(|| n.to_string())
}

/// `n` as the Korean numeral before a counter ("세"), or in digits past the words.
pub fn korean(n: u8) -> String {
    number(n).map_or_else(|| n.to_string(), |w| w.ko_count.clone())
}

/// Whether `word` (folded) counts more than one thing: digits, or an
/// English number word from "two" ("one" also stands for a noun: "this
/// one").
pub fn is_plural_cardinal(word: &str) -> bool {
    match word.parse::<u32>() {
        Ok(n) => n > 1,
        Err(_) => NUMBERS
            .iter()
            .any(|n| n.n > 1 && n.cardinal.iter().any(|c| c == word)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_cardinals_are_digits_or_number_words_above_one() {
        for (word, want) in [
            ("two", true),
            ("12", true),
            ("one", false),
            ("1", false),
            ("second", false),
            ("", false),
            ("2nd", false),
        ] {
            assert_eq!(is_plural_cardinal(word), want, "{word}");
        }
    }

    #[test]
    fn the_file_lists_every_number_from_one_to_max_in_order() {
        assert_eq!(NUMBERS.len(), usize::from(MAX));
        for (i, w) in NUMBERS.iter().enumerate() {
            assert_eq!(usize::from(w.n), i + 1, "{w:?}");
            assert!(!w.cardinal.is_empty() && !w.ordinal.is_empty(), "{w:?}");
            assert!(!w.ko_count.is_empty() && !w.ko_ordinal.is_empty(), "{w:?}");
            // Words are matched as folded question tokens: lower case, no spaces.
            for word in w.cardinal.iter().chain(&w.ordinal).chain(&w.ko_ordinal) {
                assert_eq!(*word, word.to_lowercase(), "{w:?}");
                assert!(!word.contains(char::is_whitespace), "{w:?}");
            }
        }
    }

    #[test]
    fn numbers_in_words_with_digits_past_them() {
        let cases = [
            (1, "one", "한"),
            (3, "three", "세"),
            (4, "four", "네"),
            (20, "twenty", "스무"),
            (21, "21", "21"),
            (0, "0", "0"),
        ];
        for (n, en, ko) in cases {
            assert_eq!((english(n).as_str(), korean(n).as_str()), (en, ko), "{n}");
        }
    }
}
