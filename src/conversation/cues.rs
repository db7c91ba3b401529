//! What kind of follow-up a message is, read from its words alone: "and the
//! next one?", "why?", "tell me more", "who is he?", "and China?". The
//! words are data (`data/*.txt`), one list per kind, in English and
//! Korean; this file only says how a message is compared with them.
//!
//! A message is a bare follow-up (next, previous, why, more) when, once the
//! filler words are dropped, what is left is one of the list's lines: so
//! "and the next one, please?" is one, and "why is Korea short of
//! engineers?" is not (it is a complete question).

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::matcher::text::word_list;
use crate::matcher::text::{fold, has_hangul, strip_korean_to};

/// A follow-up that needs the conversation's context to be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// The step or passage after the last one.
    Next,
    /// The step or passage before the last one.
    Previous,
    /// What the last passage answers, or the reason it gives.
    Why,
    /// The passage that continues or deepens the last one.
    More,
    /// A question with a pronoun for what the last passage was about.
    Pronoun,
    /// A question cut short ("and China?"): what follows the cue word.
    Ellipsis,
}

/// The word lists, folded, loaded once.
struct Lists {
    next: FxHashSet<String>,
    previous: FxHashSet<String>,
    why: FxHashSet<String>,
    more: FxHashSet<String>,
    pronouns: FxHashSet<String>,
    fillers: FxHashSet<String>,
    ellipsis: FxHashSet<String>,
    exit: FxHashSet<String>,
    topic_endings: Vec<String>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| Lists {
    next: word_list(include_str!("data/next.txt")),
    previous: word_list(include_str!("data/previous.txt")),
    why: word_list(include_str!("data/why.txt")),
    more: word_list(include_str!("data/more.txt")),
    pronouns: word_list(include_str!("data/pronouns.txt")),
    fillers: word_list(include_str!("data/fillers.txt")),
    ellipsis: word_list(include_str!("data/ellipsis.txt")),
    exit: word_list(include_str!("data/exit.txt")),
    topic_endings: word_list(include_str!("data/topic_endings.txt"))
        .into_iter()
        .collect(),
});

/// The message's words, folded, without punctuation ("What's next?" gives
/// "what's", "next").
pub fn words(message: &str) -> Vec<String> {
    fold(message)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == ':'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == ':'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// True when the message ends a `qabot chat` session ("quit", "bye", "종료").
pub fn is_exit(message: &str) -> bool {
    let folded = fold(message.trim());
    let bare = folded.trim_matches(|c: char| !(c.is_alphanumeric() || c == ':'));
    LISTS.exit.contains(bare) || LISTS.exit.contains(&words(message).join(" "))
}

/// A Korean word without its particles ("다음은" → "다음"); other words as
/// they are.
fn stem(word: &str) -> &str {
    if has_hangul(word) {
        strip_korean_to(word, 1)
    } else {
        word
    }
}

/// What kind of follow-up `message` is, and for an ellipsis the words after
/// its cue ("and China?" → "china"); None for a message that stands alone.
pub fn classify(message: &str) -> Option<(Cue, String)> {
    let lists = &*LISTS;
    let words = words(message);
    if words.is_empty() {
        return None;
    }
    let whole = words.join(" ");
    let kept: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !lists.fillers.contains(*w) && !lists.fillers.contains(stem(w)))
        .collect();
    let stemmed: Vec<&str> = kept.iter().map(|w| stem(w)).collect();
    let bare = [whole.clone(), kept.join(" "), stemmed.join(" ")];
    let bare_cue = [
        (Cue::Next, &lists.next),
        (Cue::Previous, &lists.previous),
        (Cue::More, &lists.more),
        (Cue::Why, &lists.why),
    ]
    .into_iter()
    .find(|(_, list)| bare.iter().any(|b| !b.is_empty() && list.contains(b)));
    if let Some((cue, _)) = bare_cue {
        return Some((cue, String::new()));
    }
    // "why does he say that?": a why-word with nothing but fillers and
    // pronouns around it.
    let without_pronouns: Vec<&str> = stemmed
        .iter()
        .copied()
        .filter(|w| !lists.pronouns.contains(*w))
        .collect();
    if !without_pronouns.is_empty() && lists.why.contains(&without_pronouns.join(" ")) {
        return Some((Cue::Why, String::new()));
    }
    let pairs = words.windows(2).map(|p| format!("{} {}", p[0], p[1]));
    let has_pronoun = words
        .iter()
        .any(|w| lists.pronouns.contains(w) || lists.pronouns.contains(stem(w)))
        || pairs.into_iter().any(|p| lists.pronouns.contains(&p));
    if let Some(rest) = ellipsis_rest(&words) {
        return Some((Cue::Ellipsis, rest));
    }
    has_pronoun.then(|| (Cue::Pronoun, String::new()))
}

/// The words after an ellipsis cue ("what about Korea?" → "korea"), when
/// only a few follow; or a Korean topic cut short ("한국은?").
fn ellipsis_rest(words: &[String]) -> Option<String> {
    /// More words than this after the cue make a question of their own.
    const MAX_REST: usize = 3;
    /// At most this many Korean words make a topic cut short ("한국은?").
    const MAX_TOPIC: usize = 2;
    let longest = (1..words.len())
        .rev()
        .find(|&n| LISTS.ellipsis.contains(&words[..n].join(" ")));
    if let Some(longest) = longest {
        let rest = &words[longest..];
        return (rest.len() <= MAX_REST).then(|| rest.join(" "));
    }
    let topic = words.len() <= MAX_TOPIC
        && words.iter().all(|w| has_hangul(w))
        && words.last().is_some_and(|w| {
            LISTS
                .topic_endings
                .iter()
                .any(|e| w.ends_with(e.as_str()) && w.len() > e.len())
        });
    topic.then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_ups_are_classified_in_both_languages() {
        use Cue::*;
        // (message, the cue, or None for a message that stands alone)
        let cases: &[(&str, Option<Cue>)] = &[
            ("and the next one?", Some(Next)),
            ("what's next?", Some(Next)),
            ("next", Some(Next)),
            ("and then?", Some(Next)),
            ("다음은?", Some(Next)),
            ("그 다음은 뭐야", Some(Next)),
            ("the one before", Some(Previous)),
            ("previous step please", Some(Previous)),
            ("그 전 단계", Some(Previous)),
            ("이전 단계는?", Some(Previous)),
            ("why?", Some(Why)),
            ("Why is that?", Some(Why)),
            ("why does he do that", Some(Why)),
            ("왜?", Some(Why)),
            ("왜요", Some(Why)),
            ("tell me more", Some(More)),
            ("tell me more about that", Some(More)),
            ("more details please", Some(More)),
            ("자세히", Some(More)),
            ("더 자세히 알려줘", Some(More)),
            ("who is he?", Some(Pronoun)),
            ("when was he born?", Some(Pronoun)),
            ("what did his company build?", Some(Pronoun)),
            ("그 사람 누구야?", Some(Pronoun)),
            ("and China?", Some(Ellipsis)),
            ("what about Korea?", Some(Ellipsis)),
            ("그럼 중국은?", Some(Ellipsis)),
            ("한국은?", Some(Ellipsis)),
            ("중국 전체적으로는?", Some(Ellipsis)),
            ("what comes after that", Some(Next)),
            ("그 전꺼 다시", Some(Previous)),
            ("why is that needed?", Some(Why)),
            ("왜 필요한데?", Some(Why)),
            // Complete questions stand alone.
            ("why is korea short of engineers?", None),
            ("what is the second step?", None),
            ("who wrote this?", None),
            ("where is this from?", None),
            (
                "and what does the column say about failure in korean labs",
                None,
            ),
            ("hello", None),
            ("", None),
        ];
        for (message, want) in cases {
            let got = classify(message).map(|(cue, _)| cue);
            assert_eq!(got, *want, "{message:?}");
        }
    }

    #[test]
    fn an_ellipsis_keeps_the_words_after_its_cue() {
        let cases = [
            ("and China?", "china"),
            ("What about Korea?", "korea"),
            ("and what about the budget cuts", "the budget cuts"),
            ("그럼 중국은?", "중국은"),
        ];
        for (message, rest) in cases {
            assert_eq!(
                classify(message),
                Some((Cue::Ellipsis, rest.to_owned())),
                "{message:?}"
            );
        }
    }

    #[test]
    fn exit_words_end_a_session_in_both_languages() {
        let cases = [
            ("quit", true),
            ("Exit", true),
            ("bye!", true),
            ("Goodbye.", true),
            ("종료", true),
            ("그만", true),
            (":q", true),
            ("quit smoking advice", false),
            ("what is the first step", false),
            ("", false),
        ];
        for (message, want) in cases {
            assert_eq!(is_exit(message), want, "{message:?}");
        }
    }
}
