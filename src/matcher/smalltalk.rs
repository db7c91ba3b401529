//! Small talk: greetings, thanks, goodbyes, requests for help and "who are
//! you". Such messages get a friendly reply that points at what the bot
//! knows, never a passage.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use serde::Serialize;

use super::text::{PhraseList, fold, is_emoji, strip_korean_to, word_list};

/// What kind of small talk a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmallTalk {
    Greeting,
    Thanks,
    Goodbye,
    /// "help", "what can you do", or a message with nothing to match.
    Help,
    /// "who are you", "are you a bot".
    Identity,
}

/// The word lists (`data/smalltalk_*.txt`) folded the way the matcher folds text.
static LISTS: LazyLock<[HashSet<String>; 7]> = LazyLock::new(|| {
    [
        include_str!("data/smalltalk_greeting.txt"),
        include_str!("data/smalltalk_thanks.txt"),
        include_str!("data/smalltalk_goodbye.txt"),
        include_str!("data/smalltalk_help.txt"),
        include_str!("data/smalltalk_identity.txt"),
        include_str!("data/smalltalk_you.txt"),
        include_str!("data/smalltalk_asking.txt"),
    ]
    .map(word_list)
});
/// Words that make a question about "you" a question about what it can do.
static ABILITY_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/smalltalk_ability.txt")));
/// Words that are small talk when nothing else is asked ("who made you",
/// "넌 누구니") and the topic beside other words ("who made AlphaGo").
static MAKING_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/smalltalk_making.txt")));

/// Wishes that close a message ("have a good one", "take care").
static WISHES: LazyLock<PhraseList> =
    LazyLock::new(|| PhraseList::new(include_str!("data/smalltalk_wishes.txt")));

/// Apologies and never-minds (`data/smalltalk_sorry.txt`).
static SORRY_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/smalltalk_sorry.txt")));
/// Words that judge rather than name a topic (`data/evaluative.txt`).
static EVALUATIVE_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/evaluative.txt")));

/// True when `word` (folded) belongs to small talk rather than to a question's topic.
pub fn is_smalltalk_word(word: &str) -> bool {
    LISTS[..4].iter().any(|list| list.contains(word)) || SORRY_SET.contains(word)
}

/// True for a word that judges ("wrong", "problem"): like a word of
/// `MAKING`, the topic beside other words and nothing to answer alone.
pub fn is_evaluative_word(word: &str) -> bool {
    EVALUATIVE_SET.contains(word)
}

/// True when the message apologises or takes itself back ("sorry",
/// "nvm", "미안해"): what is left of it, if it matches nothing well, is
/// chat ("ㅋㅋ 아 미안"), not a question the column fails to answer.
pub fn is_apology<'a>(words: impl IntoIterator<Item = &'a str>) -> bool {
    words
        .into_iter()
        .any(|w| SORRY_SET.contains(w) || SORRY_SET.contains(strip_korean_to(w, 1)))
}

/// Words that acknowledge or wave off what came before
/// (`data/acknowledgements.txt`).
static ACKNOWLEDGEMENT_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/acknowledgements.txt")));

/// The question after an opening that only acknowledges or waves off what
/// came before ("fine. what's after that?" → "what's after that?", "never
/// mind, who are you anyway?", "cool thanks! and the one before?"). The
/// opening ends at a comma, a sentence end or an emoji, every word of it
/// acknowledges, thanks, greets or apologises, and a question follows.
/// `None` otherwise: "thanks, that was useful" asks nothing more.
pub fn after_acknowledgement(message: &str) -> Option<&str> {
    let (end, _) = message.char_indices().find(|&(_, c)| {
        matches!(c, ',' | '.' | '!' | ';' | '…' | '~' | '，' | '。' | '！') || is_emoji(c)
    })?;
    let (head, rest) = message.split_at(end);
    let words = head
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(fold);
    if !only_acknowledges(words) {
        return None;
    }
    let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@');
    rest.contains(['?', '？']).then_some(rest)
}

/// The message after the words that open it only acknowledging what came
/// before, whatever stands between them ("lol ok. what's the one before
/// it" → "what's the one before it"); `None` when it opens with none or is
/// nothing else. A caller checks that the rest asks something.
pub fn after_acknowledging_words(message: &str) -> Option<&str> {
    let mut rest = message;
    loop {
        let trimmed = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        let end = trimmed
            .find(|c: char| !(c.is_alphanumeric() || c == '\''))
            .unwrap_or(trimmed.len());
        if end == 0 || !acknowledges(&fold(&trimmed[..end])) {
            break;
        }
        rest = &trimmed[end..];
    }
    let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@');
    (rest.len() < message.len() && !rest.is_empty()).then_some(rest)
}

/// Whether every word (folded) acknowledges, thanks, greets or
/// apologises: "fair enough, thanks" and "haha ok never mind" ask nothing,
/// whatever topic "enough" or "mind" may name elsewhere.
pub fn only_acknowledges<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> bool {
    let mut words = words.into_iter().peekable();
    words.peek().is_some() && words.all(|w| acknowledges(w.as_ref()))
}

/// Whether a word (folded) acknowledges, thanks, greets or apologises.
/// Not with 로 after it: "예로 든" is "given as an example", not "yes".
fn acknowledges(w: &str) -> bool {
    let [greeting, thanks, ..] = &*LISTS;
    let stripped = strip_korean_to(w, 1);
    let instrumental = w[stripped.len()..].ends_with('로');
    [&*ACKNOWLEDGEMENT_SET, greeting, thanks, &*SORRY_SET]
        .iter()
        .any(|list| list.contains(w) || (!instrumental && list.contains(stripped)))
}

/// True when the words (folded) speak to the bot: "you", "너", "bot".
pub fn addresses_bot(words: &[String]) -> bool {
    let [.., identity, you, _] = &*LISTS;
    words
        .iter()
        .any(|w| you.contains(w.as_str()) || identity.contains(w.as_str()))
}

static THIRD_PERSON: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/third_person.txt")));

/// Whether a question is about the bot itself: it says "you" (or names the
/// bot) and points at no one else ("how old are you?", not "can you tell me
/// how old he is?").
pub fn asks_the_bot(words: &[String]) -> bool {
    addresses_bot(words)
        && !words.iter().any(|w| {
            THIRD_PERSON.contains(w.as_str()) || THIRD_PERSON.contains(strip_korean_to(w, 1))
        })
}

/// True for a word of `MAKING`: small talk alone, the topic beside other words.
pub fn is_making_word(word: &str) -> bool {
    MAKING_SET.contains(word)
}

/// Classifies a message that has no topic words left. `words` are all its
/// words, stop words included.
pub fn classify<'a>(words: impl IntoIterator<Item = &'a str> + Clone) -> SmallTalk {
    let has = |list: &HashSet<String>| {
        words
            .clone()
            .into_iter()
            .any(|w| list.contains(w) || list.contains(strip_korean_to(w, 1)))
    };
    let [greeting, thanks, goodbye, _help, identity, you, asking] = &*LISTS;
    let about_bot = has(identity) || has(&MAKING_SET) || (has(you) && has(asking));
    let how_are_you =
        words.clone().into_iter().any(|w| w == "how") && has(you) && !has(&ABILITY_SET);
    if how_are_you {
        SmallTalk::Greeting
    } else if about_bot && has(&ABILITY_SET) {
        SmallTalk::Help
    } else if about_bot {
        SmallTalk::Identity
    } else if has(thanks) {
        SmallTalk::Thanks
    } else if has(goodbye) || wishes(words.clone()) {
        SmallTalk::Goodbye
    } else if has(greeting) {
        SmallTalk::Greeting
    } else {
        SmallTalk::Help
    }
}

/// Whether the words hold a wish that closes a message.
fn wishes<'a>(words: impl IntoIterator<Item = &'a str>) -> bool {
    let words: Vec<&str> = words.into_iter().collect();
    WISHES.spans(&words).next().is_some()
}

#[cfg(test)]
mod tests {
    use super::super::text::fold;
    use super::*;

    #[test]
    fn classify_table() {
        let cases: &[(&[&str], SmallTalk)] = &[
            (&["hi"], SmallTalk::Greeting),
            (&["hello", "there"], SmallTalk::Greeting),
            (&["thanks"], SmallTalk::Thanks),
            (&["thank", "you"], SmallTalk::Thanks),
            (&["bye"], SmallTalk::Goodbye),
            (&["have", "a", "good", "one"], SmallTalk::Goodbye),
            (&["take", "care"], SmallTalk::Goodbye),
            (&["thanks", "have", "a", "nice", "day"], SmallTalk::Thanks),
            (&["help"], SmallTalk::Help),
            (&["what", "can", "you", "do"], SmallTalk::Help),
            (&["who", "are", "you"], SmallTalk::Identity),
            (&["안녕하세요"], SmallTalk::Greeting),
            (&["고마워"], SmallTalk::Thanks),
            (&["넌", "누구야"], SmallTalk::Identity),
            (&["봇이에요"], SmallTalk::Identity),
            (&["고마워", "ㅎㅎ"], SmallTalk::Thanks),
            (&["how", "are", "you"], SmallTalk::Greeting),
            (&["who", "made", "you"], SmallTalk::Identity),
            (&["good", "job"], SmallTalk::Thanks),
            (&["test"], SmallTalk::Help),
            (&["오키", "땡큐"], SmallTalk::Thanks),
            (&["lol", "nvm"], SmallTalk::Help),
            (&[], SmallTalk::Help),
        ];
        for (words, want) in cases {
            let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
            assert_eq!(
                classify(folded.iter().map(String::as_str)),
                *want,
                "words {words:?}"
            );
        }
    }

    #[test]
    fn questions_about_the_bot_point_at_no_one_else() {
        let cases = [
            ("how old are you", true),
            ("what's your name", true),
            ("can you tell me how old he is", false),
            ("how old is liang", false),
        ];
        for (question, want) in cases {
            let words: Vec<String> = fold(question)
                .split(|c: char| !(c.is_alphanumeric() || c == '\''))
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            assert_eq!(asks_the_bot(&words), want, "{question}");
        }
    }

    #[test]
    fn acknowledgement_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("fine. what's after that?", Some("what's after that?")),
            (
                "never mind, who are you anyway?",
                Some("who are you anyway?"),
            ),
            (
                "cool thanks! and the one before?",
                Some("and the one before?"),
            ),
            ("ok 👍 what about step 2?", Some("what about step 2?")),
            ("아 그렇구나, 그럼 다음은?", Some("그럼 다음은?")),
            ("thanks, that was useful", None),
            ("deepseek, what is its stock price?", None),
            ("so, what is step 2?", Some("what is step 2?")),
            ("what is step 2?", None),
            ("ok.", None),
        ];
        for &(message, want) in cases {
            assert_eq!(after_acknowledgement(message), want, "{message}");
        }
    }

    #[test]
    fn only_acknowledges_table() {
        let cases: &[(&str, bool)] = &[
            ("fair enough thanks", true),
            ("haha ok never mind", true),
            ("ㅋㅋ 암튼 고마워", true),
            ("got it makes sense", true),
            ("", false),
            ("ok what about china", false),
            ("never enough funding", false),
        ];
        for &(message, want) in cases {
            let folded = fold(message);
            assert_eq!(
                only_acknowledges(folded.split_whitespace()),
                want,
                "{message}"
            );
        }
    }

    #[test]
    fn acknowledging_words_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "lol ok. what's the one before it",
                Some("what's the one before it"),
            ),
            ("haha next", Some("next")),
            ("ok thanks", None),
            ("what is step 2", None),
            ("deepseek lol", None),
            // "예로" is "as an example", not "yes".
            ("예로 든 기업들은?", None),
        ];
        for &(message, want) in cases {
            assert_eq!(after_acknowledging_words(message), want, "{message}");
        }
    }

    #[test]
    fn apology_table() {
        let cases: &[(&str, bool)] = &[
            ("sorry wrong chat", true),
            ("lol nvm", true),
            ("ㅋㅋ 아 미안", true),
            ("미안해요 잘못 보냈어요", true),
            ("what went wrong", false),
            ("고마워", false),
        ];
        for &(message, want) in cases {
            let words: Vec<String> = message.split(' ').map(fold).collect();
            assert_eq!(
                is_apology(words.iter().map(String::as_str)),
                want,
                "{message}"
            );
        }
    }
}
