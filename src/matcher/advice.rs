//! Questions that ask what should be done ("what does he want the
//! government to do?", "what should the state do for its scientists?",
//! "정부는 뭘 해야 한대?"), and passages that say what should be done.
//!
//! Such a question names an actor ("the government") that a descriptive
//! passage may share ("strong government support" in another country), yet
//! only a passage that recommends something answers it. The ranking holds
//! back a passage without a recommending sentence for it, as it holds back
//! one without the kind of fact a question asks for. General language: the
//! words are data lists, none is about one source.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use super::text::{has_hangul, word_list};

/// Question words that ask for a recommendation (`data/advice_asks.txt`).
static ASKS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/advice_asks.txt")));
/// The Korean ones, matched inside a word.
static ASKS_KOREAN: LazyLock<Vec<String>> =
    LazyLock::new(|| ASKS.iter().filter(|w| has_hangul(w)).cloned().collect());
/// Sentence words that recommend (`data/advice_marks.txt`).
static MARKS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/advice_marks.txt")));

/// Verbs of putting a problem right (`data/remedy_verbs.txt`).
static REMEDIES: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/remedy_verbs.txt")));

/// How many words may stand between "how can" and a verb of putting a
/// problem right ("how can korea fix", "how could the government help
/// reverse").
const REMEDY_REACH: usize = 4;

/// How many words may stand between "want" and "to" for "want X to do" to
/// ask what someone should do ("want the government to", "want korean
/// scientists to"); "want to know" has none and asks nothing of the kind.
const WANT_OBJECT_WORDS: usize = 3;

/// Whether a question's words (folded) ask what should be done.
pub fn asks_advice(words: &[String]) -> bool {
    let listed = words.iter().any(|w| {
        if has_hangul(w) {
            ASKS_KOREAN.iter().any(|k| w.contains(k.as_str()))
        } else {
            ASKS.contains(w.as_str())
        }
    });
    listed
        || wants_someone_to(words)
        || wants_from(words)
        || needs_to(words)
        || asks_how_to_remedy(words)
}

/// "what does Korea need to do?", "what reforms does it need to make?":
/// what must be done. Not asked why ("why does Korea need to change?"
/// asks for a reason), nor "i need to know", the asker's own need.
fn needs_to(words: &[String]) -> bool {
    !words.iter().any(|w| w == "why" || w == "i")
        && words
            .windows(2)
            .any(|pair| matches!(pair[0].as_str(), "need" | "needs") && pair[1] == "to")
}

/// "what does he want from the government?", "what does the author
/// expect from the ministry?": what someone is asked to do.
fn wants_from(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        WANTING.contains(&w.as_str())
            && words
                .iter()
                .skip(i + 1)
                .take(WANT_OBJECT_WORDS + 1)
                .any(|n| n == "from")
    })
}

/// Verbs of wanting something of someone: "want … from", "expect … from".
const WANTING: &[&str] = &[
    "want", "wants", "wanted", "expect", "expects", "expected", "demand", "demands", "demanded",
];

/// "how can X fix …", "how to tackle …": the way to put a problem right,
/// which is what should be done. "how did they overcome it?" asks what was
/// done.
fn asks_how_to_remedy(words: &[String]) -> bool {
    words.windows(2).enumerate().any(|(i, pair)| {
        pair[0] == "how"
            && matches!(pair[1].as_str(), "can" | "could" | "would" | "might" | "to")
            && words
                .iter()
                .skip(i + 2)
                .take(REMEDY_REACH)
                .any(|w| REMEDIES.contains(w.as_str()))
    })
}

/// "want(s) X to …", with one to [`WANT_OBJECT_WORDS`] words for X, not
/// the asker ("i want you to tell me" asks the bot, not the source).
fn wants_someone_to(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        matches!(w.as_str(), "want" | "wants" | "wanted")
            && words
                .iter()
                .skip(i + 1)
                .take(WANT_OBJECT_WORDS + 1)
                .position(|n| n == "to")
                .is_some_and(|at| {
                    at > 0
                        && !words[i + 1..=i + at]
                            .iter()
                            .any(|o| matches!(o.as_str(), "me" | "us" | "you"))
                })
    })
}

/// Whether a passage says in one of its sentences what should be done.
pub fn passage_advises(passage: &[String]) -> bool {
    passage.iter().any(|p| {
        p.split(|c: char| !c.is_alphanumeric())
            .any(|w| MARKS.contains(w.to_lowercase().as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn questions_asking_what_should_be_done() {
        let cases: &[(&str, bool)] = &[
            ("what does he want the government to do", true),
            ("what should the state do for its scientists", true),
            ("does he want korean scientists to go abroad more", true),
            ("what does the author recommend", true),
            ("which reforms does he propose", true),
            ("정부는 뭘 해야 한대", true),
            ("어떻게해야된다는거임", true),
            ("그거 언제까지 하자는 거야", true),
            ("what does the column say about china", false),
            ("i want to know about deepseek", false),
            ("i want you to tell me about step 2", false),
            ("why did the government cut the budget", false),
            ("중국은 어떻게 다르다고 했어", false),
            // The way to put a problem right is what should be done.
            ("how can korea fix its stem talent shortage", true),
            ("how to tackle the brain drain", true),
            ("how did deepseek overcome its failures", false),
            ("how can ai help scientists", false),
            // What someone wants or expects of another is what that one
            // should do.
            ("what does he want from the government", true),
            ("what does the author expect from the ministry", true),
            ("what did the team expect to get", false),
            // So is what someone needs to do, unless asked why.
            ("what does korea need to do", true),
            ("which reforms does it need to make", true),
            ("why does korea need to change", false),
            ("i need to know about step 2", false),
        ];
        for &(question, want) in cases {
            assert_eq!(asks_advice(&words(question)), want, "{question}");
        }
    }

    #[test]
    fn passages_that_recommend() {
        let cases: &[(&str, bool)] = &[
            ("The town must build a bridge.", true),
            ("Investment in schools is essential.", true),
            ("We need to plant trees.", true),
            ("The river flooded twice. The mayor resigned.", false),
            (
                "Its success is largely attributed to government support.",
                false,
            ),
        ];
        for &(passage, want) in cases {
            assert_eq!(passage_advises(&[passage.to_owned()]), want, "{passage}");
        }
    }
}
