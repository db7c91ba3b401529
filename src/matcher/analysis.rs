//! Text into features, the one analysis that knowledge-base texts and
//! questions share: folded and tokenized, stop words and small talk
//! dropped, step references recognised ([`Term`]), then synonyms applied,
//! English words stemmed and Korean words cut into syllable bigrams
//! ([`Feature`]).

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::lexicon::{self, Wording, is_stop};
use super::ordinal::{Ordinals, StepRef};
use super::smalltalk::{is_evaluative_word, is_making_word, is_smalltalk_word};
use super::text::{Script, Token, fold, has_hangul, strip_korean, strip_korean_to, tokenize};
use crate::knowledge::KnowledgeBase;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// What the index stores and a question looks up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Feature {
    /// An English word, stemmed ("failures" → "failur").
    Stem(String),
    /// Two Hangul syllables of a word, or a word of one syllable.
    Hangul(String),
    /// A reference to a step, or to all of them.
    Step(StepRef),
}

/// One unit of analysed text, before it becomes features.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Term {
    Latin(String),
    Korean(String),
    Step(StepRef),
}

/// What reading text needs to know of its knowledge base: which steps it
/// has, its author's name (a framing word, like "author") and the words of
/// its source's title (which say which source, not what of it).
#[derive(Debug, Clone)]
pub(super) struct Reader {
    ordinals: Ordinals,
    author: Vec<String>,
    title: Vec<String>,
}

impl Reader {
    /// Whether an English word (folded) is a word of step references.
    pub(super) fn is_step_word(&self, word: &str) -> bool {
        self.ordinals.is_step_word(word)
    }

    /// A step named by what it is about and shifted by a word ("the one
    /// after the failure-tolerance step"): the shift, and the words of the
    /// description, to be matched on their own. None when the question
    /// names a step by number.
    pub(super) fn described_step(&self, question: &str) -> Option<(i8, String)> {
        if !super::ordinal::mentions_shift(question) {
            return None;
        }
        let tokens = tokenize(&fold(question));
        if !self.ordinals.detect(&tokens, tokens.len()).0.is_empty() {
            return None;
        }
        // Within one clause: "ok before the meeting starts - what's the
        // international support part about" shifts nothing.
        super::text::clauses(question)
            .into_iter()
            .find_map(|clause| {
                let tokens = tokenize(&fold(clause));
                let (shift, words) = self.ordinals.described(&tokens)?;
                let words: Vec<&str> = tokens[words].iter().map(|t| t.text.as_str()).collect();
                Some((shift, words.join(" ")))
            })
    }

    /// A question asking which step is about something ("which step
    /// deals with conferences?"): the words saying what it is about, to be
    /// matched on their own. None when the question names a step by
    /// number or asks for none.
    pub(super) fn which_step(&self, question: &str) -> Option<String> {
        if !super::ordinal::mentions_which(question) {
            return None;
        }
        let tokens = tokenize(&fold(question));
        let rest = super::ordinal::which_step(&tokens)?;
        let rest: Vec<Token> = rest.into_iter().map(|i| tokens[i].clone()).collect();
        if !self.ordinals.detect(&rest, rest.len()).0.is_empty() {
            return None;
        }
        let words: Vec<&str> = rest.iter().map(|t| t.text.as_str()).collect();
        Some(words.join(" "))
    }

    /// Whether an English word (folded) is one edit from a word for a step.
    pub(super) fn near_step_word(&self, word: &str) -> bool {
        self.ordinals.near_step_word(word)
    }

    pub(super) fn new(kb: &KnowledgeBase) -> Self {
        Reader {
            ordinals: Ordinals::new(kb.step_count()).counted_otherwise(counted_otherwise(kb)),
            author: tokenize(&fold(&kb.source.author))
                .into_iter()
                .map(|t| t.text)
                .collect(),
            title: tokenize(&fold(&kb.source.title))
                .into_iter()
                .map(|t| t.text)
                .collect(),
        }
    }
}

/// The knowledge base's words (and their synonyms) that a passage counts
/// with as many as the steps: "three major waves" gives "waves" and, by
/// the synonyms, "stages" and "phases".
fn counted_otherwise(kb: &KnowledgeBase) -> Vec<String> {
    /// How many words after the count may name what it counts ("three
    /// major waves").
    const COUNTED_WITHIN: usize = 2;
    let steps = kb.step_count();
    let count_words: Vec<String> = super::numbers::number(steps)
        .map(|n| n.cardinal.clone())
        .unwrap_or_default()
        .into_iter()
        .chain([steps.to_string()])
        .collect();
    let mut counted: Vec<String> = Vec::new();
    for passage in kb.entries.iter().flat_map(|e| &e.passage) {
        let tokens = tokenize(&fold(passage));
        for (i, token) in tokens.iter().enumerate() {
            if count_words.contains(&token.text) {
                counted.extend(
                    tokens[i + 1..]
                        .iter()
                        .take(COUNTED_WITHIN)
                        .map(|t| t.text.clone()),
                );
            }
        }
    }
    kb.synonyms
        .iter()
        .filter(|(canonical, variants)| {
            counted.contains(canonical) || variants.iter().any(|v| counted.contains(v))
        })
        .flat_map(|(canonical, variants)| std::iter::once(canonical).chain(variants))
        .map(|w| fold(w))
        .collect()
}

/// Text split into terms: stop words and small talk dropped, step
/// references recognised.
pub(super) fn terms(text: &str, wording: Wording, reader: &Reader) -> (Vec<String>, Vec<Term>) {
    let tokens = tokenize(&fold(text));
    // Word lists are checked against a token as written and, for Korean,
    // stripped of its particles (down to one syllable: "봇이에요" is "봇").
    let forms: Vec<[&str; 3]> = tokens
        .iter()
        .map(|t| match t.script {
            Script::Latin => [t.text.as_str(); 3],
            Script::Hangul => [
                t.text.as_str(),
                strip_korean(&t.text),
                strip_korean_to(&t.text, 1),
            ],
        })
        .collect();
    let listed = |i: usize, in_list: fn(&str) -> bool| {
        let [written, stripped, bare] = forms[i];
        in_list(written)
            || (stripped != written && in_list(stripped))
            || (bare != stripped && in_list(bare))
    };
    let in_phrase = lexicon::in_stop_phrase(&tokens, wording);
    let piece = lexicon::names_a_piece(&tokens);
    // Each word's lists are looked up once: this runs on every question.
    let summary: Vec<bool> = (0..tokens.len())
        .map(|i| !in_phrase[i] && listed(i, lexicon::is_summary_request))
        .collect();
    let plain: Vec<bool> = (0..tokens.len())
        .map(|i| {
            !in_phrase[i]
                && !summary[i]
                && !piece[i]
                && !listed(i, is_stop)
                && !listed(i, is_smalltalk_word)
                && !listed(i, is_making_word)
                && !listed(i, is_evaluative_word)
        })
        .collect();
    // "Who made you" is small talk; "who made AlphaGo" asks who made it.
    let other_content = plain.contains(&true);
    // Likewise "what's wrong with the institutes" asks about what is
    // wrong, while "wrong" alone ("oh sorry wrong chat") asks nothing.
    // A summary asked for beside a topic ("결론 부분 summary 해줘") is
    // of that topic; alone, or beside words of the source's title ("tldr of
    // the stem crisis column"), of the whole source.
    let topic_named = summary.contains(&true)
        && (0..tokens.len()).any(|i| {
            plain[i] && !reader.title.contains(&tokens[i].text) && !listed(i, lexicon::is_meta)
        });
    let is_content: Vec<bool> = (0..tokens.len())
        .map(|i| {
            plain[i]
                || (other_content && (listed(i, is_making_word) || listed(i, is_evaluative_word)))
                || (summary[i] && !topic_named)
        })
        .collect();
    let content = is_content.iter().filter(|&&c| c).count();
    // "in the first place" names no step: a stop phrase's words are
    // hidden from the step reader.
    let (steps, used) = if in_phrase.contains(&true) {
        let visible: Vec<Token> = tokens
            .iter()
            .zip(&in_phrase)
            .map(|(t, &hidden)| Token {
                text: if hidden {
                    String::new()
                } else {
                    t.text.clone()
                },
                script: t.script,
            })
            .collect();
        reader.ordinals.detect(&visible, content)
    } else {
        reader.ordinals.detect(&tokens, content)
    };
    let framing = lexicon::framing(&tokens, &reader.author);
    let mut terms: Vec<Term> = steps.into_iter().map(Term::Step).collect();
    for (i, token) in tokens.iter().enumerate() {
        if used[i] || framing[i] || !is_content[i] {
            continue;
        }
        terms.push(match token.script {
            Script::Latin => Term::Latin(token.text.clone()),
            Script::Hangul => Term::Korean(forms[i][1].to_owned()),
        });
    }
    drop(forms);
    let words = tokens.into_iter().map(|t| t.text).collect();
    (words, terms)
}

/// Words the stemmer would give an unrelated word's stem, with their own
/// (`data/stem_exceptions.txt`).
static STEM_EXCEPTIONS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    include_str!("data/stem_exceptions.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
        })
        .collect()
});

pub(super) fn stem(word: &str) -> String {
    match STEM_EXCEPTIONS.get(word) {
        Some(own) => own.clone(),
        None => STEMMER.stem(word).into_owned(),
    }
}

/// Hangul syllable bigrams of a word; a one-syllable word is its own feature.
fn korean_features(word: &str, out: &mut Vec<Feature>) {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() == 1 {
        out.push(Feature::Hangul(word.to_owned()));
    }
    out.extend(
        chars
            .windows(2)
            .map(|w| Feature::Hangul(w.iter().collect::<String>())),
    );
}

/// The features of a term as written (no typo correction), after the
/// knowledge base's `synonyms` (variant → canonical). A question's term
/// (`query`) that is an exact Korean synonym gives only its canonical form.
pub(super) fn features(
    term: &Term,
    synonyms: &HashMap<String, String>,
    query: bool,
) -> Vec<Feature> {
    let mut out = Vec::new();
    match term {
        Term::Step(step) => out.push(Feature::Step(*step)),
        Term::Latin(w) => {
            let canonical = synonyms.get(w).unwrap_or(w);
            out.push(Feature::Stem(stem(canonical)));
        }
        Term::Korean(w) => {
            if let Some(canonical) = synonyms.get(w) {
                canonical_features(canonical, &mut out);
                // The knowledge base also indexes the word's own bigrams,
                // so compounds written without spaces ("딥시크창업자")
                // still meet it; a question's exact synonym needs only
                // its canonical form, or it would count twice.
                if query {
                    return out;
                }
            } else {
                // Words run together ("중국인재정책") also meet the
                // knowledge base through the synonyms inside them, by
                // their canonical form, which the word's bigrams alone
                // miss when that form is English.
                for canonical in compound(w, synonyms) {
                    canonical_features(canonical, &mut out);
                }
            }
            korean_features(w, &mut out);
        }
    }
    out
}

/// The features of a synonym's canonical word, Korean or English.
fn canonical_features(canonical: &str, out: &mut Vec<Feature>) {
    if has_hangul(canonical) {
        korean_features(canonical, out);
    } else {
        out.push(Feature::Stem(stem(canonical)));
    }
}

/// The longest synonym looked for inside a compound, in syllables.
const MAX_PART_SYLLABLES: usize = 8;

/// The canonical words of the synonyms of two or more syllables inside a
/// Korean word of several words run together, the longest first from the
/// left; none when it holds none, or only one beside a single syllable
/// ("인재난", "외국인": one word made of a synonym, not words run together).
fn compound<'a>(word: &str, synonyms: &'a HashMap<String, String>) -> Vec<&'a str> {
    let starts: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(word.len()))
        .collect();
    let syllables = starts.len() - 1;
    let mut found = Vec::new();
    if syllables < 3 {
        return found;
    }
    // Words found: the synonyms, and the stretches of two or more
    // syllables between them.
    let (mut words, mut rest_from, mut i) = (0, 0, 0);
    while i + 1 < syllables {
        let longest = (i + 2..=syllables.min(i + MAX_PART_SYLLABLES))
            .rev()
            .find_map(|j| synonyms.get(&word[starts[i]..starts[j]]).map(|c| (j, c)));
        match longest {
            Some((j, canonical)) => {
                words += 1 + usize::from(i - rest_from >= 2);
                found.push(canonical.as_str());
                (rest_from, i) = (j, j);
            }
            None => i += 1,
        }
    }
    words += usize::from(syllables - rest_from >= 2);
    if words < 2 {
        found.clear();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synonyms(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(v, c)| (v.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn terms_become_features() {
        let none = synonyms(&[]);
        let flops = synonyms(&[("flops", "failure"), ("실패작", "실패")]);
        let stem = |w: &str| Feature::Stem(w.to_owned());
        let hangul = |w: &str| Feature::Hangul(w.to_owned());
        // (term, synonyms, read as a question's, its features)
        type Case<'a> = (Term, &'a HashMap<String, String>, bool, Vec<Feature>);
        let cases: Vec<Case> = vec![
            (
                Term::Latin("failures".into()),
                &none,
                true,
                vec![stem("failur")],
            ),
            // A synonym is looked up as its canonical word.
            (
                Term::Latin("flops".into()),
                &flops,
                true,
                vec![stem("failur")],
            ),
            (
                Term::Step(StepRef::Step(2)),
                &none,
                true,
                vec![Feature::Step(StepRef::Step(2))],
            ),
            // Korean words are cut into syllable bigrams; one syllable is itself.
            (
                Term::Korean("연구비".into()),
                &none,
                true,
                vec![hangul("연구"), hangul("구비")],
            ),
            (Term::Korean("왜".into()), &none, true, vec![hangul("왜")]),
            // A question's exact Korean synonym counts once, as its canonical
            // form; indexed text keeps its own bigrams too.
            (
                Term::Korean("실패작".into()),
                &flops,
                true,
                vec![hangul("실패")],
            ),
            (
                Term::Korean("실패작".into()),
                &flops,
                false,
                vec![hangul("실패"), hangul("실패"), hangul("패작")],
            ),
        ];
        for (term, synonyms, query, want) in cases {
            assert_eq!(features(&term, synonyms, query), want, "{term:?}");
        }
    }

    #[test]
    fn words_the_stemmer_conflates_keep_apart() {
        // The stemmer alone gives both "experi".
        assert_eq!(STEMMER.stem("experience"), "experi");
        assert_eq!(stem("experiments"), "experiment");
        assert_eq!(stem("experimenting"), stem("experiment"));
        assert_ne!(stem("experiments"), stem("experience"));
        assert_eq!(stem("failures"), "failur");
        assert_ne!(stem("engineers"), stem("engine"));
        assert_ne!(stem("generative"), stem("generations"));
        assert_ne!(stem("several"), stem("severe"));
        assert_ne!(stem("international"), stem("intern"));
        assert_ne!(stem("internally"), stem("internships"));
    }

    #[test]
    fn compounds_meet_the_synonyms_inside_them() {
        let synonyms = synonyms(&[
            ("중국", "china"),
            ("인재", "talent"),
            ("삭감", "cuts"),
            ("이공계", "stem"),
            ("해결", "solve"),
        ]);
        let cases: &[(&str, &[&str])] = &[
            ("중국인재정책", &["china", "talent"]),
            ("연구비삭감왜", &["cuts"]),
            ("이공계위기해결하려면", &["stem", "solve"]),
            // A synonym beside one syllable is one word made of it.
            ("인재난", &[]),
            ("중국인", &[]),
            ("정책", &[]),
            ("연구개발예산", &[]),
        ];
        for &(word, want) in cases {
            assert_eq!(compound(word, &synonyms), want, "{word}");
        }
        // A question's compound keeps its own bigrams beside the synonyms'
        // canonical forms, as the indexed text does.
        assert_eq!(
            features(&Term::Korean("중국인재".into()), &synonyms, true),
            [
                Feature::Stem("china".into()),
                Feature::Stem("talent".into()),
                Feature::Hangul("중국".into()),
                Feature::Hangul("국인".into()),
                Feature::Hangul("인재".into()),
            ]
        );
    }

    #[test]
    fn stop_words_and_step_references_are_read_apart() {
        let kb = crate::knowledge::with_steps(3);
        let reader = Reader::new(&kb);
        let (_, got) = terms(
            "what does the second step say about bridges?",
            Wording::Reader,
            &reader,
        );
        assert_eq!(
            got,
            [Term::Step(StepRef::Step(2)), Term::Latin("bridges".into())]
        );
    }

    #[test]
    fn a_reason_asked_for_is_no_topic() {
        // "what's his reason?" asks why; it is not about reasoning.
        let kb = crate::knowledge::with_steps(3);
        let reader = Reader::new(&kb);
        let (words, got) = terms("why tho, what's his reason?", Wording::Reader, &reader);
        assert_eq!(got, []);
        assert!(super::super::sentence::asks_reason(&words));
        let (_, got) = terms("reasoning capabilities", Wording::Reader, &reader);
        assert_eq!(
            got,
            [
                Term::Latin("reasoning".into()),
                Term::Latin("capabilities".into())
            ]
        );
    }
}
