//! "How many X": what a question counts, and what a passage counts.
//!
//! A passage that states some number does not answer every "how many"
//! question about its topic: "how many years did it go without results?"
//! is answered by "the first six years", while "how many people does it
//! employ?" is not answered by a passage whose only figures are years. A
//! question that names what it counts is held back from passages that
//! count nothing of the kind. General language: the people nouns are a
//! data list, and no word of a source is listed here.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use super::analysis::stem;
use super::lexicon::{is_number_word, is_stop};
use super::text::{fold, word_list};

/// Nouns for people (`data/people_nouns.txt`).
static PEOPLE: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/people_nouns.txt")));

/// How many words after a figure may name what it counts ("40 years",
/// "three major waves", "two largest economies").
const COUNTED_WITHIN: usize = 3;

/// How many words a counted noun phrase may run to ("how many med school
/// seats", "how many STEM graduates").
const PHRASE_WORDS: usize = 3;

/// What a "how many" question counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    /// People, under whichever noun ("employees", "researchers", "명").
    People,
    /// Anything else, by its stem ("year", "wave").
    Noun(String),
}

/// What a question's words (folded) count: the last word of the noun
/// phrase after "how many" ("how many STEM graduates does …" counts
/// graduates), or the Korean counter after "몇" (명 people, 년 years).
pub fn counted(words: &[String]) -> Option<Counted> {
    let classify = |word: &str| {
        if PEOPLE.contains(word) {
            Counted::People
        } else {
            Counted::Noun(stem(word))
        }
    };
    if let Some(at) = words
        .windows(2)
        .position(|w| w[0] == "how" && w[1] == "many")
    {
        let head = words[at + 2..]
            .iter()
            .take(PHRASE_WORDS)
            .take_while(|w| !is_stop(w))
            .last()?;
        return Some(classify(head));
    }
    words.iter().enumerate().find_map(|(i, w)| {
        let rest = w.strip_prefix('몇')?;
        // "몇 명", "몇명이야", "몇 년 동안"; not "몇년생", "몇년도" (a date).
        let counter = if rest.is_empty() {
            words.get(i + 1)?.as_str()
        } else {
            rest
        };
        match counter.chars().next()? {
            '명' => Some(Counted::People),
            '년' if !counter.starts_with("년생") && !counter.starts_with("년도") => {
                Some(classify("years"))
            }
            _ => None,
        }
    })
}

/// What a passage counts: the words within [`COUNTED_WITHIN`] after each
/// figure it states, by stem, and whether any of them is people.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    stems: HashSet<String>,
    people: bool,
}

impl Counts {
    pub fn of(passages: &[String]) -> Counts {
        let mut out = Counts::default();
        for p in passages {
            let words: Vec<String> = fold(p)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            for (i, w) in words.iter().enumerate() {
                let figure = w.chars().all(|c| c.is_ascii_digit()) || is_number_word(w);
                if !figure {
                    continue;
                }
                for counted in words.iter().skip(i + 1).take(COUNTED_WITHIN) {
                    out.people |= PEOPLE.contains(counted.as_str());
                    out.stems.insert(stem(counted));
                }
            }
        }
        out
    }

    /// Whether the passage counts what was asked.
    pub fn has(&self, counted: &Counted) -> bool {
        match counted {
            Counted::People => self.people,
            Counted::Noun(s) => self.stems.contains(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(fold).collect()
    }

    #[test]
    fn what_a_question_counts() {
        let cases: &[(&str, Option<Counted>)] = &[
            ("how many people does it employ", Some(Counted::People)),
            (
                "how many stem graduates does korea produce",
                Some(Counted::People),
            ),
            (
                "how many years did it go without results",
                Some(Counted::Noun("year".into())),
            ),
            (
                "how many med school seats were added",
                Some(Counted::Noun("seat".into())),
            ),
            ("직원 몇 명이야", Some(Counted::People)),
            ("과학계에 몇년 있었대", Some(Counted::Noun("year".into()))),
            ("몇년생이야", None),
            ("알파고 몇 년도였어", None),
            ("how many did they build", None),
            ("what is step two", None),
        ];
        for (question, want) in cases {
            assert_eq!(counted(&words(question)), *want, "{question}");
        }
    }

    #[test]
    fn what_a_passage_counts() {
        let counts = Counts::of(&[
            "Despite failing in the first six years, it grew. Some 40 researchers joined.".into(),
        ]);
        assert!(counts.has(&Counted::Noun("year".into())));
        assert!(counts.has(&Counted::People));
        assert!(!counts.has(&Counted::Noun("seat".into())));
        let none = Counts::of(&["Three major waves shape progress.".into()]);
        assert!(none.has(&Counted::Noun("wave".into())));
        assert!(!none.has(&Counted::People));
    }
}
