//! Precise answering: which sentence of an answered entry's passage answers
//! the question, when one clearly does better than the rest.
//!
//! The index already holds each passage sentence as a document; here each
//! sentence of one entry is scored against the question's features, and the
//! best one is marked only when it explains a fair share of the question,
//! leads the runner-up clearly, and holds the kind of fact the question
//! asks for (a year, a share, a name), if it asks for one. Features of the
//! entry's title do not count: they say which entry, not which sentence
//! ("what does the column say about China" is answered by the whole
//! passage, not by the one sentence that names China).

use std::ops::Range;

use super::answer_type::Provided;
use super::index::Index;
use super::query::Query;
use crate::knowledge::Entry;

/// The least share of the question's weight (beyond the entry's title) the
/// best sentence must explain. Chosen by measuring on the studied question
/// files (docs/PERFORMANCE.md, "Precise answering").
pub const MARK_MIN_SHARE: f32 = 0.3;

/// How far the best sentence's score must lead the runner-up's, as a share
/// of the best one's: 0.5 means the runner-up scores at most half of it.
/// Chosen with [`MARK_MIN_SHARE`].
pub const MARK_LEAD: f32 = 0.5;

/// What holding the kind of fact asked for adds to a sentence's score, as
/// a share of the question: it answers the question word. Chosen with
/// [`MARK_MIN_SHARE`].
pub const MARK_TYPE_SHARE: f32 = 0.3;

/// A sentence picked out of a passage: `entry.passage[excerpt][range]`, an
/// exact substring of the verbatim text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Which excerpt of the entry's passage.
    pub excerpt: usize,
    /// Byte range of the sentence in that excerpt.
    pub range: Range<usize>,
}

impl Mark {
    /// The marked sentence, verbatim; `None` when the mark does not belong to
    /// this entry (a knowledge base reloaded between deciding and rendering).
    pub fn text<'e>(&self, entry: &'e Entry) -> Option<&'e str> {
        entry.passage.get(self.excerpt)?.get(self.range.clone())
    }
}

/// One sentence of a passage as the index holds it.
#[derive(Debug, Clone)]
pub(super) struct Sentence {
    pub(super) excerpt: u32,
    pub(super) range: Range<u32>,
    /// Its features (sorted, distinct), the entry's title features left out.
    pub(super) features: Vec<u32>,
    /// All its features (sorted, distinct), title features included: what
    /// it speaks of.
    pub(super) mentions: Vec<u32>,
    /// The facts it holds, by type.
    pub(super) provided: Provided,
    /// It gives a cause ("because", "due to", "attributed to").
    pub(super) gives_reason: bool,
    /// It states a number, in figures or words.
    pub(super) states_number: bool,
}

impl Sentence {
    pub(super) fn new(excerpt: usize, range: Range<usize>, text: &str, features: Vec<u32>) -> Self {
        let mut mentions = features.clone();
        mentions.sort_unstable();
        mentions.dedup();
        Sentence {
            excerpt: excerpt as u32,
            provided: Provided::of(&[text.to_owned()]),
            gives_reason: gives_reason(text),
            states_number: super::lexicon::states_number(text),
            range: range.start as u32..range.end as u32,
            features,
            mentions,
        }
    }
}

/// Words that ask for a cause. The choice of sentence reads them, and the
/// ranking holds back the overview for them; the matcher's
/// [`AnswerType`](super::answer_type::AnswerType) leaves causes out, since
/// nearly every passage argues one and none should be held back for want
/// of one.
pub(super) fn asks_reason(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        matches!(
            w.as_str(),
            "why" | "reason" | "reasons" | "cause" | "caused"
        ) || (w == "how" && words.get(i + 1).is_some_and(|n| n == "come"))
            || w.starts_with('왜')
            || w.starts_with("이유")
            || w.starts_with("원인")
    })
}

/// Connectives that state a cause, a motive or a harm, in any English
/// text: each answers "why?" ("believing that new ideas drive innovation",
/// "this hinders researchers").
const CAUSES: &[&str] = &[
    "because",
    "due to",
    "owing to",
    "thanks to",
    "attributed to",
    "as a result",
    "caused by",
    "stems from",
    "the reason",
    "which is why",
    "believing that",
    "hinders",
    "prevents",
    "leads to",
];

/// Whether a passage states a cause in one of its sentences ("This
/// achievement is largely attributed to …"): it is its own answer to "why?".
pub fn passage_gives_reason(passage: &[String]) -> bool {
    passage.iter().any(|p| gives_reason(p))
}

fn gives_reason(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    CAUSES.iter().any(|c| super::text::has_phrase(&lower, c))
}

/// The byte ranges of the sentences of an excerpt: cut after ". ", "? "
/// and "! ", each sentence without the spaces around it.
pub(super) fn spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = &text[start..];
        let skipped = rest.len() - rest.trim_start().len();
        let from = start + skipped;
        if from >= text.len() {
            return None;
        }
        let rest = &text[from..];
        let cut = rest
            .match_indices(['.', '?', '!'])
            .map(|(i, _)| i + 1)
            .find(|&i| rest[i..].starts_with(' '))
            .unwrap_or(rest.len());
        start = from + cut;
        Some(from..from + cut)
    })
}

impl Index {
    /// The sentence of `entry`'s passage that answers `query` clearly
    /// better than the others, if one does.
    pub(super) fn mark(&self, query: &Query, entry: usize) -> Option<Mark> {
        let sentences = self.sentences.get(entry)?;
        if sentences.len() < 2 {
            return None;
        }
        let title = &self.title_features[entry];
        let total: f32 = query
            .features
            .iter()
            .filter(|f| f.id.is_none_or(|id| title.binary_search(&id).is_err()))
            .map(|f| f.weight)
            .sum();
        if total <= 0.0 {
            return None;
        }
        // The kind of fact asked for, if any: a sentence without one cannot
        // answer, and one with it answers the question word ("when", "why")
        // that no feature carries.
        let reason = asks_reason(&query.words);
        let scores: Vec<f32> = sentences
            .iter()
            .map(|s| {
                let typed = match query.asked {
                    Some(a) => Some(s.provided.answers(a.in_a_sentence(), &query.words)),
                    None => reason.then_some(s.gives_reason),
                };
                let bonus = match typed {
                    Some(false) => return 0.0,
                    Some(true) => MARK_TYPE_SHARE,
                    None => 0.0,
                };
                let hit: f32 = query
                    .features
                    .iter()
                    .filter_map(|f| Some((f.id?, f.weight * f.similarity)))
                    .filter(|(id, _)| s.features.binary_search(id).is_ok())
                    .map(|(_, gain)| gain)
                    .sum();
                hit / total + bonus
            })
            .collect();
        let (best, &top) = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
        let runner_up = scores
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != best)
            .map(|(_, &s)| s)
            .fold(0.0, f32::max);
        if top < MARK_MIN_SHARE || runner_up > top * (1.0 - MARK_LEAD) {
            return None;
        }
        let s = &sentences[best];
        Some(Mark {
            excerpt: s.excerpt as usize,
            range: s.range.start as usize..s.range.end as usize,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::KnowledgeBase;
    use crate::matcher::{Decision, Matcher, MatcherConfig};

    /// The built-in column: (question, the entry it is answered with, a
    /// piece of the sentence that must be marked, or `None` when nothing
    /// may be).
    const CASES: &[(&str, &str, Option<&str>)] = &[
        // A fact of the kind asked for, in one sentence.
        (
            "When was Liang Wenfeng born?",
            "deepseek-liang",
            Some("born in 1985"),
        ),
        (
            "how old is the deepseek ceo",
            "deepseek-liang",
            Some("born in 1985"),
        ),
        (
            "딥시크 CEO 량원펑 몇년생이야?",
            "deepseek-liang",
            Some("born in 1985"),
        ),
        (
            "when did alphago beat go players",
            "ai-waves",
            Some("In 2016, AlphaGo"),
        ),
        // A detail only one sentence holds.
        (
            "what's the 20% free time policy",
            "step-2",
            Some("20 percent free time"),
        ),
        (
            "20% 자유시간 정책이 뭐야",
            "step-2",
            Some("20 percent free time"),
        ),
        ("baidu alibaba", "china", Some("Baidu and Alibaba")),
        (
            "was this translated by ai?",
            "source",
            Some("Translated using generative AI"),
        ),
        (
            "is the writer from kist?",
            "author",
            Some("senior research fellow"),
        ),
        // A cause asked for: the sentence that gives one, not the one
        // sharing the question's words.
        ("why is china leading in ai", "china", Some("attributed to")),
        ("중국은 왜 AI 강국이 됐어?", "china", Some("attributed to")),
        // The whole passage answers.
        ("what is the second step?", "step-2", None),
        ("2단계가 뭐예요", "step-2", None),
        ("what does the column say about china", "china", None),
        ("who is liang wenfeng", "deepseek-liang", None),
        ("who wrote this?", "author", None),
        ("what does the author say about AI", "ai-waves", None),
        // An overview's sentences are the steps: never one alone.
        (
            "What are the three reforms the author proposes?",
            "overview",
            None,
        ),
        ("what are the three steps", "overview", None),
        // A passage of one sentence has nothing to pick out.
        ("R&D budget cuts", "rd-budget", None),
    ];

    #[test]
    fn the_answering_sentence_is_marked_only_when_it_stands_out() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        for &(question, entry, want) in CASES {
            let outcome = matcher.decide(question);
            assert_eq!(outcome.decision, Decision::Answer, "{question}");
            let answered = &kb.entries[outcome.best.unwrap().entry];
            assert_eq!(answered.id, entry, "{question}");
            let marked = outcome.mark.as_ref().map(|m| m.text(answered).unwrap());
            match (want, marked) {
                (Some(piece), Some(sentence)) => {
                    assert!(sentence.contains(piece), "{question}: marked {sentence:?}");
                }
                (None, None) => {}
                _ => panic!("{question}: want {want:?}, marked {marked:?}"),
            }
            // Inline mode reads the question once for any entry: the same mark.
            let index = outcome.best.unwrap().entry;
            assert_eq!(
                matcher.marker(question).mark(index),
                outcome.mark,
                "{question}"
            );
        }
    }

    #[test]
    fn a_mark_is_a_whole_sentence_of_the_verbatim_passage() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let outcome = matcher.decide("When was Liang Wenfeng born?");
        let mark = outcome.mark.unwrap();
        let entry = &kb.entries[outcome.best.unwrap().entry];
        let excerpt = &entry.passage[mark.excerpt];
        assert_eq!(
            mark.text(entry),
            Some(
                "Its CEO, Liang Wenfeng, born in 1985, defied the traditional career-centered \
                 approach to talent by emphasizing passion and ability over experience, believing \
                 that new ideas drive innovation."
            )
        );
        assert!(excerpt[..mark.range.start].ends_with(". "));
        // A mark that does not fit the entry names nothing.
        let other = kb.entry("rd-budget").unwrap();
        let far = Mark {
            excerpt: 0,
            range: 0..100_000,
        };
        assert_eq!(far.text(other), None);
    }

    #[test]
    fn causes_asked_and_given() {
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let asked: &[(&str, bool)] = &[
            ("why is china ahead", true),
            ("how come korea lags", true),
            ("what is the reason", true),
            ("중국은 왜 강해", true),
            ("이공계 기피 원인이 뭐야", true),
            ("how does china do it", false),
            ("what is the second step", false),
        ];
        for &(q, want) in asked {
            assert_eq!(asks_reason(&words(q)), want, "{q}");
        }
        let given: &[(&str, bool)] = &[
            ("It failed due to waning interest.", true),
            ("This is largely attributed to support.", true),
            ("Because it rained, we stayed.", true),
            ("Thanks to funding, it grew.", true),
            // A motive and a harm answer "why?" as well.
            ("He hired young people, believing that ideas matter.", true),
            ("This hinders researchers from trying.", true),
            ("Failing to generate results in six years.", false),
            ("The overdue report was late.", false),
            ("Since then, ChatGPT has changed.", false),
            ("It is a leader in AI.", false),
        ];
        for &(s, want) in given {
            assert_eq!(gives_reason(s), want, "{s}");
        }
    }

    #[test]
    fn spans_cut_after_sentence_ends_and_are_exact_substrings() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two? Three! Four", &["One.", "Two?", "Three!", "Four"]),
            ("No end", &["No end"]),
            ("  Lead.  Gap.", &["Lead.", "Gap."]),
            ("R&D. “Quoted.” Next", &["R&D.", "“Quoted.” Next"]),
            ("3.5 percent. Yes.", &["3.5 percent.", "Yes."]),
            ("", &[]),
            ("   ", &[]),
        ];
        for &(text, want) in cases {
            let got: Vec<&str> = spans(text).map(|r| &text[r]).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
