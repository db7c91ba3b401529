//! Which words of a question are about the asker rather than the topic.
//!
//! A long personal question ("I run a small lab in Daejeon and my grant
//! reviewers only care about quick results — does the author say anything
//! about that?") wraps its topic in the asker's own story. The words of
//! that story the knowledge base does not know say who is asking, not what
//! about; they should not count against the topic the way the unknown
//! words of an off-topic question do. Likewise the names of people in a
//! group chat ("@qabot Jiho wants to know…").
//!
//! A clause is about the asker when it speaks in the first person and the
//! message has another clause that does not (the question itself). A word
//! is a chat name when the message addresses someone (`@name`, or starts
//! with "Name:") and the word is capitalised mid-clause.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use super::lexicon::{is_meta, is_stop};
use super::text::{after_clause, clauses, fold, tokenize, word_list};

static ASKER: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/asker.txt")));

static POINTING: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/pointing.txt")));

static GROUP_ADDRESS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/group_address.txt")));

/// The message after its last clause addressed to the rest of a group
/// chat ("tl;dr anyone? @bot how does it end" → " @bot how does it end"):
/// a clause ending in a word of `data/group_address.txt` asks the others,
/// and the question after it asks the bot. `None` when no such clause has
/// anything after it.
pub fn after_group_aside(message: &str) -> Option<&str> {
    let last = clauses(message).into_iter().rfind(|clause| {
        let folded = fold(clause);
        let last_word = folded
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .rfind(|w| !w.is_empty());
        last_word.is_some_and(|w| GROUP_ADDRESS.contains(w))
    })?;
    let rest = after_clause(message, last)?;
    let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@');
    (!rest.is_empty()).then_some(rest)
}

/// True when `clause`, a slice of `message` (from [`clauses`]), is a
/// question that can be read on its own: the message puts a question mark
/// after it, and it does not point back at the story before it. In a long
/// personal question ("Our grant reviewers only care about quick results.
/// Does the author say anything about how research should be judged?")
/// that clause says what is asked, and the story's many other words only
/// dilute it; "does the author suggest anything like that?" says nothing
/// without the story.
pub fn asks_on_its_own(message: &str, clause: &str) -> bool {
    has_question_mark(message, clause) && !points_back(clause)
}

/// True when a question of the message points back at the story before
/// it ("… New ideas get shot down. Does the author see this as a
/// problem?"): the story is what is asked about.
pub fn asks_about_the_story(message: &str) -> bool {
    clauses(message)
        .into_iter()
        .skip(1)
        .any(|clause| has_question_mark(message, clause) && points_back(clause))
}

/// True when the message puts a question mark after `clause`, a slice of
/// `message` (from [`clauses`]).
pub fn has_question_mark(message: &str, clause: &str) -> bool {
    after_clause(message, clause).is_some_and(|after| after.starts_with(['?', '？']))
}

/// Nouns that make a demonstrative before them still point back: "that
/// kind of approach" is the story's approach, "can you show me that
/// part?" asks for the part the story is about, and "does the column talk
/// about this problem?" for the story's problem: a noun saying only that
/// there is something, not what.
const KINDS: &[&str] = &[
    "problem",
    "problems",
    "issue",
    "issues",
    "situation",
    "trend",
    "thing",
    "things",
    "stuff",
    "matter",
    "kind",
    "kinds",
    "sort",
    "sorts",
    "type",
    "types",
    "part",
    "parts",
    "bit",
    "section",
    "passage",
    "paragraph",
];

/// True when a clause has a word of `data/pointing.txt` that leans on what
/// came before it: an English one standing alone or before "kind of", a
/// Korean one before anything but a word for the source.
fn points_back(clause: &str) -> bool {
    let folded = fold(clause);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    // "which one should she choose?": one of the things the story named.
    if words
        .windows(2)
        .any(|p| p[0] == "which" && matches!(p[1], "one" | "ones"))
    {
        return true;
    }
    words.iter().enumerate().any(|(i, w)| {
        let pointing = POINTING.contains(*w)
            || POINTING
                .iter()
                .any(|p| !p.is_ascii() && w.starts_with(p.as_str()));
        if !pointing {
            return false;
        }
        let next = words.get(i + 1).copied();
        if w.is_ascii() {
            // An English demonstrative before a noun names its topic
            // ("those cuts", "this column"); standing alone ("like that",
            // "address that?") or before "kind of" ("that kind of
            // approach") it leans on the story, counted or not ("those two
            // things").
            let next = match next {
                Some(n) if super::numbers::is_plural_cardinal(n) => words.get(i + 2).copied(),
                _ => next,
            };
            // "one", a stop word elsewhere, is the thing pointed at here:
            // "who wrote this one" asks of the text.
            return next.is_none_or(|n| (is_stop(n) && n != "one") || KINDS.contains(&n));
        }
        // A Korean one ("그런 문제", "이런 거") points back whatever
        // follows, but for the source ("이 칼럼").
        !next.is_some_and(is_meta)
    })
}

/// True when a clause (any case) speaks in the first person.
fn first_person(clause: &str) -> bool {
    fold(clause)
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .any(|w| ASKER.contains(w))
}

/// The message's clauses, each with whether it is about the asker; a
/// message whose every clause is in the first person has none about the
/// asker ("should I study medicine?" asks about the asker, and is the
/// question).
pub fn split(question: &str) -> Vec<(&str, bool)> {
    // Within a sentence, an aside set off by a comma may be about the
    // asker too ("step two please, I'm on the bus").
    let parts: Vec<&str> = clauses(question)
        .into_iter()
        .flat_map(|c| c.split(", "))
        .filter(|c| c.chars().any(char::is_alphanumeric))
        .collect();
    let marks: Vec<bool> = parts.iter().map(|c| first_person(c)).collect();
    let any_other = marks.iter().any(|m| !m);
    parts
        .into_iter()
        .zip(marks)
        .map(|(c, m)| (c, m && any_other))
        .collect()
}

/// The folded words that are names of people in a group chat: capitalised
/// words not opening their clause, in a message addressed to someone.
pub fn chat_names(question: &str) -> HashSet<String> {
    let addressed = question.contains('@')
        || question
            .split_once(':')
            .is_some_and(|(head, _)| head.split_whitespace().count() == 1 && !head.is_empty());
    let mut names = HashSet::default();
    if !addressed {
        return names;
    }
    for clause in clauses(question) {
        for (i, w) in clause.split_whitespace().enumerate() {
            // The clause's first word is capitalised whatever it is, unless
            // it names the speaker ("Minsu:").
            if w.starts_with('@') || (i == 0 && !w.ends_with(':')) {
                continue;
            }
            if w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).any(char::is_lowercase)
            {
                names.extend(tokenize(&fold(w)).into_iter().map(|t| t.text));
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_about_the_asker() {
        // (message, whether each clause is about the asker)
        let cases: &[(&str, &[bool])] = &[
            (
                "I run a small lab. Does the author say anything about that?",
                &[true, false],
            ),
            (
                "Our team lost funding. Does he mention the cuts?",
                &[true, false],
            ),
            (
                "Should I choose medicine or engineering for my major?",
                &[false],
            ),
            ("I like it. I want more.", &[false, false]),
            ("step two please, I'm on the bus", &[false, true]),
            ("What does the column say about the budget?", &[false]),
            (
                "제가 연구소에서 일하는데요. 칼럼은 뭐라고 해?",
                &[true, false],
            ),
        ];
        for &(message, want) in cases {
            let got: Vec<bool> = split(message).into_iter().map(|(_, m)| m).collect();
            assert_eq!(got, want, "{message}");
        }
    }

    #[test]
    fn questions_that_read_on_their_own() {
        // (message, its clause, whether that clause is asked on its own)
        let cases: &[(&str, &str, bool)] = &[
            (
                "I run a lab. Does the author say how research is judged?",
                "Does the author say how research is judged",
                true,
            ),
            // Pointing back at the story: read with it.
            (
                "I lead a team of twelve. Does the author suggest anything like that?",
                "Does the author suggest anything like that",
                false,
            ),
            // A demonstrative before a noun names the topic itself.
            (
                "Our budget was cut. Does he mention those cuts?",
                "Does he mention those cuts",
                true,
            ),
            (
                "I hire people. Does the author address that?",
                "Does the author address that",
                false,
            ),
            (
                "We hire seniors. What did he think of that kind of approach?",
                "What did he think of that kind of approach",
                false,
            ),
            // A noun saying only that there is something is the story's.
            (
                "We repeat old projects. Does the column talk about this problem?",
                "Does the column talk about this problem",
                false,
            ),
            (
                "Fewer kids pick physics. Is this trend in the article?",
                "Is this trend in the article",
                false,
            ),
            // Counted, the things pointed at are still the story's.
            (
                "Our budget was cut. Candidates declined. Does he connect those two things?",
                "Does he connect those two things",
                false,
            ),
            (
                "I run a lab. Does he name those 3 steps?",
                "Does he name those 3 steps",
                true,
            ),
            // "this one" is no count: it names what follows it.
            (
                "I write about op-eds. Who wrote this one?",
                "Who wrote this one",
                true,
            ),
            // A piece of the text, pointed at, is the story's topic.
            (
                "My dad remembers AlphaGo. Can you show me that part?",
                "Can you show me that part",
                false,
            ),
            // "this column" names the source, not the story.
            (
                "I teach physics. How does this column frame AI?",
                "How does this column frame AI",
                true,
            ),
            // One of the things the story named.
            (
                "I use two chatbots at work. Which one is better for coding?",
                "Which one is better for coding",
                false,
            ),
            // Not asked: no question mark after it.
            (
                "I run a lab. Tell me about evaluation",
                "Tell me about evaluation",
                false,
            ),
            ("I run a lab. Does he say anything?", "I run a lab", false),
            (
                "박사과정인데요. 이런 문제에 대해 뭐라고 해?",
                "이런 문제에 대해 뭐라고 해",
                false,
            ),
            (
                "박사과정인데요. 해외 연수에 대해 뭐라고 해？",
                "해외 연수에 대해 뭐라고 해",
                true,
            ),
        ];
        for &(message, clause, want) in cases {
            let slice = clauses(message)
                .into_iter()
                .find(|c| c.trim() == clause)
                .unwrap_or_else(|| panic!("{clause:?} is not a clause of {message:?}"));
            assert_eq!(asks_on_its_own(message, slice), want, "{message}");
        }
        // A string that is not a slice of the message is never asked in it,
        // wherever it lies.
        let other = String::from("What is it");
        assert!(!asks_on_its_own("What is it? Yes.", &other));
        assert!(!asks_on_its_own("What is it? Yes.", "What is it"));
    }

    #[test]
    fn a_question_asked_about_the_story_before_it() {
        let cases = [
            (
                "New ideas get shot down. Does the author see this as a problem?",
                true,
            ),
            (
                "We repeat old projects. Does the column address that?",
                true,
            ),
            // The question names its own topic, or there is no story.
            (
                "We repeat old projects. Does the column talk about hiring?",
                false,
            ),
            ("Does the column address this?", false),
            ("We repeat old projects. Tell me about that", false),
        ];
        for (message, want) in cases {
            assert_eq!(asks_about_the_story(message), want, "{message}");
        }
    }

    #[test]
    fn names_in_a_group_chat() {
        let cases: &[(&str, &[&str])] = &[
            ("@qabot Jiho wants to know about networks", &["jiho"]),
            (
                "Minsu: china is ahead. @qabot what does the column say?",
                &["minsu"],
            ),
            ("@qabot give us the steps, Yuna's too lazy", &["yuna"]),
            // Not addressed to anyone: a capitalised word may be the topic.
            ("What does Samsung think of the column?", &[]),
            ("@qabot what about KIST", &[]),
        ];
        for &(message, want) in cases {
            let mut got: Vec<String> = chat_names(message).into_iter().collect();
            got.sort();
            assert_eq!(got, want, "{message}");
        }
    }

    #[test]
    fn a_question_after_an_aside_to_the_group() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "tl;dr anyone? @bot how does it end",
                Some("@bot how does it end"),
            ),
            ("thoughts, guys? what is step 2", Some("what is step 2")),
            ("얘들아 2단계 뭐였지?", None),
            ("hey guys, anyone know what the 3rd step is?", None),
            ("what is step 2", None),
            ("is it just me or anyone?", None),
        ];
        for &(message, want) in cases {
            assert_eq!(after_group_aside(message), want, "{message}");
        }
    }
}
