//! Word lists the matcher leans on: stop words that carry no topic in either
//! language, and the chatter that surrounds questions in group chats.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use super::text::{
    PhraseList, Script, Token, after_clause, clauses, fold, has_hangul, strip_korean, tokenize,
    word_list,
};

/// The lists as the matcher sees text: folded (NFKC turns compatibility
/// jamo such as "ㅋ" into conjoining jamo, so the lists must be folded too).
static STOP: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut stop = word_list(include_str!("data/stop_en.txt"));
    stop.extend(CHAT_SPELLINGS.iter().cloned());
    stop.extend(word_list(include_str!("data/stop_ko.txt")));
    stop.extend(REACTIONS.iter().cloned());
    stop
});

/// Words judging what was read (`data/reactions.txt`): before a word for
/// the text they only comment on it ("interesting article").
static REACTIONS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/reactions.txt")));

/// Stop words as chat spells them (`data/stop_en_chat.txt`): stop words
/// themselves, never what a typo is read as.
static CHAT_SPELLINGS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/stop_en_chat.txt")));

/// Korean verb stems with no topic in any form (`data/stop_ko_stems.txt`).
static STOP_STEMS: LazyLock<Vec<String>> = LazyLock::new(|| {
    word_list(include_str!("data/stop_ko_stems.txt"))
        .into_iter()
        .collect()
});

/// True for a word (folded) that carries no topic: a listed word, or a
/// Korean word beginning with a listed verb stem.
pub fn is_stop(word: &str) -> bool {
    STOP.contains(word)
        || (!word.is_ascii()
            && STOP_STEMS
                .iter()
                .any(|stem| word.starts_with(stem.as_str())))
}

/// Phrases whose words carry no topic together (`data/stop_phrases.txt`),
/// wishes that close a message among them (`data/smalltalk_wishes.txt`).
static STOP_PHRASES: LazyLock<PhraseList> = LazyLock::new(|| {
    PhraseList::new(concat!(
        include_str!("data/stop_phrases.txt"),
        include_str!("data/smalltalk_wishes.txt")
    ))
});

/// Phrases whose words carry no topic in a reader's message, though the
/// knowledge base's own sentences may give them one
/// (`data/stop_phrases_reader.txt`): "which countries should they go to?"
/// asks nothing about the game of Go, while "go to medical school" in a
/// passage or a listed question is what it says.
static READER_STOP_PHRASES: LazyLock<PhraseList> =
    LazyLock::new(|| PhraseList::new(include_str!("data/stop_phrases_reader.txt")));

/// Whose words are read: a reader's message, or the knowledge base's own
/// (passages, titles, keywords, listed questions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    Reader,
    Knowledge,
}

/// For each token, whether it is part of a phrase that carries no topic
/// ("the state of …", "in terms of …"; in a reader's message also
/// "go to …").
pub fn in_stop_phrase(tokens: &[Token], wording: Wording) -> Vec<bool> {
    let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let mut marked = vec![false; tokens.len()];
    let reader_spans = match wording {
        Wording::Reader => Some(READER_STOP_PHRASES.spans(&words)),
        Wording::Knowledge => None,
    };
    for (start, len) in STOP_PHRASES
        .spans(&words)
        .chain(reader_spans.into_iter().flatten())
    {
        marked[start..start + len].fill(true);
    }
    marked
}

/// Names of countries, companies, universities and people that questions
/// bring up (`data/other_names.txt`). Only a name the knowledge base does
/// not know counts: one in a question says it is about something else,
/// more surely than an ordinary unknown word. Names close to one article's
/// subject belong in its knowledge base (`[out_of_scope] names`).
static OTHER_NAME_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/other_names.txt")));

/// Words for the article and its author (`data/meta.txt`; the author's
/// name is added from the knowledge base). In "what does the column say
/// about China" they only frame the question; in "who is the author" they
/// are what it asks about.
static META: LazyLock<HashSet<String>> = LazyLock::new(|| word_list(include_str!("data/meta.txt")));

/// The words for the article and its author (`data/meta.txt`).
pub fn meta_words() -> impl Iterator<Item = &'static str> {
    META.iter().map(String::as_str)
}

/// True for a word for the article or its author (`data/meta.txt`).
pub fn is_meta(word: &str) -> bool {
    META.contains(word)
}

static SUMMARY_REQUESTS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/summary_requests.txt")));

/// The Korean ones, found inside a word: "요약해줘", "요약좀", "한줄요약".
static SUMMARY_REQUESTS_KOREAN: LazyLock<Vec<String>> = LazyLock::new(|| {
    SUMMARY_REQUESTS
        .iter()
        .filter(|w| has_hangul(w))
        .cloned()
        .collect()
});

/// True for a word asking for a summary ("summary", "요약해줘"): the topic
/// only when the question names no other.
pub fn is_summary_request(word: &str) -> bool {
    SUMMARY_REQUESTS.contains(word)
        || (has_hangul(word)
            && SUMMARY_REQUESTS_KOREAN
                .iter()
                .any(|k| word.contains(k.as_str())))
}

/// True for the name of a well-known country, company, university or person.
pub fn is_other_name(word: &str) -> bool {
    OTHER_NAME_SET.contains(word)
}

/// Verbs that follow a framing word: "the author says", "the article
/// mentions" (`data/frame_verbs.txt`).
static FRAME_VERBS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/frame_verbs.txt")));

/// True for a verb of saying or judging (`data/frame_verbs.txt`): "blames",
/// "pushes", "envisions", and their "-ing" forms ("what is the piece
/// pushing for", "what is he arguing").
pub fn is_frame_verb(word: &str) -> bool {
    FRAME_VERBS.contains(word)
        || word.strip_suffix("ing").is_some_and(|base| {
            FRAME_VERBS.contains(base) || FRAME_VERBS.contains(&format!("{base}e"))
        })
}

/// Words before a framing word: "in the column", "according to the
/// article" (`data/frame_before.txt`).
static FRAME_BEFORE: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/frame_before.txt")));

/// Korean verbs of saying that follow a framing word: "저자가 말하는"
/// (`data/frame_verbs_ko.txt`, matched as the start of a word).
static KOREAN_FRAME_VERBS: LazyLock<Vec<String>> = LazyLock::new(|| {
    word_list(include_str!("data/frame_verbs_ko.txt"))
        .into_iter()
        .collect()
});

/// Verbs of reporting: whoever is before them ("jisoo says", "my prof
/// said") only frames the question (`data/reporting_verbs.txt`).
static REPORTING: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/reporting_verbs.txt")));

/// True when a token is a word for the article or its author (`META`),
/// English as written or Korean with its particles ("칼럼에서").
pub fn names_the_text(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| match t.script {
        Script::Latin => is_meta(&t.text),
        Script::Hangul => is_meta(strip_korean(&t.text)),
    })
}

/// For each token, whether it only frames the question (see `META`);
/// `author` holds the words of the author's name, folded.
pub fn framing(tokens: &[Token], author: &[String]) -> Vec<bool> {
    let is_meta = |w: &str| META.contains(w) || author.iter().any(|a| a == w) || misspelt_meta(w);
    let word = |i: usize| tokens.get(i).map(|t| t.text.as_str());
    (0..tokens.len())
        .map(|i| {
            let t = &tokens[i];
            match t.script {
                Script::Latin => {
                    if word(i + 1).is_some_and(|w| REPORTING.contains(w)) {
                        return true;
                    }
                    if !is_meta(&t.text) {
                        return false;
                    }
                    let verb_after = (i + 1..=i + 2).any(|j| word(j).is_some_and(is_frame_verb));
                    // "in the column", "per this article", "according to him"
                    let before = (i.saturating_sub(2)..i).rev().find(|&j| {
                        !matches!(word(j), Some("the" | "this" | "that" | "his" | "her"))
                    });
                    let prep_before =
                        before.is_some_and(|j| word(j).is_some_and(|w| FRAME_BEFORE.contains(w)));
                    // "interesting article, so who is Liang?": a comment
                    // on the text, not its topic.
                    let judged = i
                        .checked_sub(1)
                        .and_then(word)
                        .is_some_and(|w| REACTIONS.contains(w));
                    verb_after || prep_before || judged
                }
                Script::Hangul => {
                    let stem = strip_korean(&t.text);
                    if !is_meta(stem) {
                        return false;
                    }
                    // "칼럼에서", "칼럼에", "칼럼에서는", "칼럼에서도" place
                    // the question inside the column: whatever particles
                    // follow, the first is 에.
                    let particles = &t.text[stem.len()..];
                    let locative = particles.starts_with('에');
                    let frame_verb = |n: &Token| {
                        KOREAN_FRAME_VERBS
                            .iter()
                            .any(|v| n.text.starts_with(v.as_str()))
                    };
                    let verb_after = tokens.get(i + 1).is_some_and(frame_verb);
                    locative || verb_after || speaks_later(tokens, i, particles, frame_verb)
                }
            }
        })
        .collect()
}

/// Whether the Korean word for the article or its author at `at`,
/// followed by `particles`, is the subject of a verb of saying further on
/// ("필자는 연구 실패를 어떻게 봐야 한다고 하나요?", "저자는 뭐라고 봐?"):
/// Korean puts the verb last, so the saying need not follow the word. The
/// word must be marked as the sentence's topic or subject (는, 은, 가, 이,
/// 께서), and the saying is a listed verb or a quotation ("…다고", "…라고").
/// A question asking who ("저자가 누구라고?") asks about the author.
fn speaks_later(
    tokens: &[Token],
    at: usize,
    particles: &str,
    frame_verb: impl Fn(&Token) -> bool,
) -> bool {
    const SUBJECT: [&str; 5] = ["는", "은", "가", "이", "께서"];
    const QUOTATIVE: [&str; 2] = ["다고", "라고"];
    if !SUBJECT.contains(&particles) {
        return false;
    }
    let later = &tokens[at + 1..];
    !later.iter().any(|t| t.text.starts_with("누구"))
        && later.iter().any(|t| {
            t.script == Script::Hangul
                && (frame_verb(t) || QUOTATIVE.iter().any(|q| t.text.contains(q)))
        })
}

/// True for a word one edit from a word for the article or its author
/// ("colum", "autor", "artcile"), that is no English word itself: it frames
/// a question as the word meant would.
fn misspelt_meta(word: &str) -> bool {
    /// Shorter words are too often other words one letter away.
    const MIN_CHARS: usize = 5;
    let near = |m: &&String| {
        // Cheap checks first: this runs on every word of every question.
        m.is_ascii()
            && m.len() >= MIN_CHARS
            && m.len().abs_diff(word.len()) <= 1
            && m.as_bytes()[0] == word.as_bytes()[0]
            && strsim::damerau_levenshtein(word, m) == 1
    };
    word.is_ascii()
        && word.len() >= MIN_CHARS
        && !META.contains(word)
        && META.iter().any(|m| near(&m))
        && !super::wordnet::is_real_word(word, 2)
}

/// True for a word one edit from a stop word ("whixh", "anout", "shoild",
/// "wich"), that is no English word itself: a slip in a word that says
/// nothing, which should not count as an unknown word, the heaviest kind.
pub fn misspelt_stop(word: &str) -> bool {
    /// Shorter words are too often other words one letter away.
    const MIN_CHARS: usize = 4;
    let near = |s: &&String| {
        // Cheap checks first: this runs on every word no entry knows.
        s.len() >= MIN_CHARS
            && s.len().abs_diff(word.len()) <= 1
            && s.as_bytes()[0] == word.as_bytes()[0]
            && s.is_ascii()
            && strsim::damerau_levenshtein(word, s) == 1
    };
    word.is_ascii()
        && word.len() >= MIN_CHARS
        && !STOP.contains(word)
        && STOP.iter().any(|s| near(&s) && !CHAT_SPELLINGS.contains(s))
        && !super::wordnet::is_real_word(word, 2)
}

/// The question without the column's own title, when it names it
/// ("who is the author of \"Three steps to …\"?" asks who the author is,
/// not about the steps its title speaks of): its other words, folded and
/// joined by spaces. Short of the whole title, words of it right before a
/// word for the text ("the STEM crisis column") are left out the same way.
/// `None` when neither is in it, or the title is all of it.
/// `title` holds the title's tokens, folded. A message of several clauses
/// keeps them, each ended by the mark that ends it in the message ("I
/// meant the STEM column. what's the first reform?"), and loses a clause
/// that is only the title.
pub fn without_title(question: &str, title: &[String]) -> Option<String> {
    // Most questions name no title: they are read once, as a whole.
    let whole = without_title_in(question, title)?;
    let clauses = clauses(question);
    if clauses.len() < 2 {
        return Some(whole);
    }
    let mut changed = false;
    let mut out = String::with_capacity(question.len());
    for clause in clauses {
        match without_title_in(clause, title) {
            Some(rest) => {
                changed = true;
                out.push_str(&rest);
            }
            None if tokenize(&fold(clause)).iter().map(|t| &t.text).eq(title) => {
                changed = true;
                continue;
            }
            None => out.push_str(clause.trim()),
        }
        if let Some(mark) = after_clause(question, clause).and_then(|after| after.chars().next()) {
            out.push(mark);
        }
        out.push(' ');
    }
    changed.then(|| out.trim_end().to_owned())
}

/// [`without_title`] for one clause: its other words, folded and joined
/// by spaces.
fn without_title_in(question: &str, title: &[String]) -> Option<String> {
    let tokens = tokenize(&fold(question));
    if title.is_empty() || tokens.len() <= title.len() {
        return without_title_words(&tokens, title);
    }
    let Some(at) = tokens
        .windows(title.len())
        .position(|w| w.iter().zip(title).all(|(t, word)| t.text == *word))
    else {
        return without_title_words(&tokens, title);
    };
    let rest: Vec<&str> = tokens[..at]
        .iter()
        .chain(&tokens[at + title.len()..])
        .map(|t| t.text.as_str())
        .collect();
    Some(rest.join(" "))
}

/// Words for the text itself (`data/text_nouns.txt`).
static TEXT_NOUNS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/text_nouns.txt")));

/// The question without words of the title that name the text right
/// before a word for it ("the author of the STEM crisis column" asks who
/// wrote the column, not about the crisis): `None` when it has none.
fn without_title_words(tokens: &[Token], title: &[String]) -> Option<String> {
    let of_title = |t: &Token| !is_stop(&t.text) && title.contains(&t.text);
    let mut naming = vec![false; tokens.len()];
    for (i, token) in tokens.iter().enumerate() {
        if !TEXT_NOUNS.contains(token.text.as_str()) {
            continue;
        }
        for j in (0..i).rev() {
            if !of_title(&tokens[j]) {
                break;
            }
            naming[j] = true;
        }
    }
    naming.contains(&true).then(|| {
        tokens
            .iter()
            .zip(&naming)
            .filter(|&(_, &named)| !named)
            .map(|(t, _)| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Nouns for a piece of the text (`data/piece_nouns.txt`).
static PIECE_NOUNS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/piece_nouns.txt")));

/// For each token, whether it is a noun for a piece of the text naming no
/// topic: "part" in "the budget part", not in "part of the week".
pub fn names_a_piece(tokens: &[Token]) -> Vec<bool> {
    (0..tokens.len())
        .map(|i| {
            PIECE_NOUNS.contains(tokens[i].text.as_str())
                && tokens.get(i + 1).is_none_or(|next| next.text != "of")
        })
        .collect()
}

/// Words asking what happened (`data/event_asks.txt`).
static EVENT_ASKS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/event_asks.txt")));

/// True for a question asking what happened ("what happened to the
/// research money?"), which no proposal of the source tells.
pub fn asks_event(words: &[String]) -> bool {
    words.iter().any(|w| EVENT_ASKS.contains(w.as_str()))
}

/// True for a question that asks for a number: "how many", "how much",
/// "how old", "how long", "what year", "when", "몇", "얼마", "언제".
pub fn asks_number(words: &[String]) -> bool {
    let pairs = words
        .windows(2)
        .enumerate()
        .any(|(i, w)| match (w[0].as_str(), w[1].as_str()) {
            ("how", "much") => !super::answer_type::asks_degree(&words[i + 2..]),
            ("how", "many" | "old" | "long" | "big")
            | ("what" | "which", "year" | "age" | "date") => true,
            _ => false,
        });
    pairs
        || words.iter().enumerate().any(|(i, w)| {
            // "얼마나" is "how much" before 돼/들어/받아…, "how" before an
            // adjective ("얼마나 심각해": how serious).
            let how_much = w.starts_with("얼마나")
                && words.get(i + 1).is_some_and(|n| {
                    [
                        "돼", "되", "들", "받", "벌", "많", "줄", "늘", "올", "깎", "삭감",
                    ]
                    .iter()
                    .any(|p| n.starts_with(p))
                });
            // "몇번째", "몇 단계" ask which one (an ordinal), not how many.
            let which_one = |t: &str| {
                ["번째", "째", "단계", "번 째"]
                    .iter()
                    .any(|p| t.starts_with(p))
            };
            let ordinal = w.strip_prefix('몇').is_some_and(which_one)
                || (w == "몇" && words.get(i + 1).is_some_and(|n| which_one(n)));
            (w == "when" && super::answer_type::asks_when(words, i))
                || (w.starts_with('몇') && !ordinal)
                || (w.starts_with("얼마") && !w.starts_with("얼마나"))
                || how_much
                || w.starts_with("언제")
        })
}

/// True for a request about the asker rather than the column: "how do I",
/// "can I", "should I", "제가", "내가".
pub fn is_personal(words: &[String]) -> bool {
    let asks = words.windows(2).any(|w| {
        matches!(
            (w[0].as_str(), w[1].as_str()),
            (
                "do" | "can" | "could" | "should" | "would" | "will" | "shall" | "am",
                "i"
            ) | ("i", "want" | "need")
        )
    });
    asks || words
        .iter()
        .any(|w| matches!(w.as_str(), "제가" | "내가" | "저도" | "나도"))
}

/// Phrases asking the bot to pick something for the asker
/// (`data/picks_asked.txt`).
static PICKS_ASKED: LazyLock<PhraseList> =
    LazyLock::new(|| PhraseList::new(include_str!("data/picks_asked.txt")));

/// True when a question asks the bot to pick or recommend something for
/// the asker ("can you recommend a good laptop?", "what's the best time
/// to travel to China?") and names neither the source nor its author:
/// "which conferences does the writer recommend?" asks about the source.
pub fn asks_pick(words: &[String]) -> bool {
    PICKS_ASKED.spans(words).next().is_some() && !words.iter().any(|w| is_meta(w))
}

/// Number words a passage may state a quantity with.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty",
    "forty", "hundred", "thousand", "million", "billion", "percent", "decade", "decades",
];

/// True for a number word a passage may state a quantity with ("six").
pub fn is_number_word(word: &str) -> bool {
    NUMBER_WORDS.contains(&word)
}

/// True when a passage states a number (digits or number words).
pub fn states_number(passage: &str) -> bool {
    passage.chars().any(|c| c.is_ascii_digit())
        || passage
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| NUMBER_WORDS.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_for_the_text_or_its_writer_is_found_with_its_particles() {
        let cases = [
            ("does the column say so", true),
            ("what's the author's view", true),
            ("칼럼에서 뭐라고 해?", true),
            ("저자는 누구야", true),
            ("which path pays better in the long run", false),
            ("그 길이 더 나아?", false),
        ];
        for (text, want) in cases {
            let tokens = tokenize(&fold(text));
            assert_eq!(names_the_text(&tokens), want, "{text}");
        }
    }

    #[test]
    fn intents() {
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(asks_number(&words("how much do they earn")));
        assert!(asks_number(&words("의대 정원 몇 명")));
        assert!(asks_number(&words("예산 얼마나 줄었어")));
        assert!(!asks_number(&words("인력난 얼마나 심각하대")));
        assert!(!asks_number(&words("what is step two")));
        // "How much" before another verb asks how far, in words.
        assert!(!asks_number(&words("how much did that hurt researchers")));
        assert!(!asks_number(&words(
            "what did they do when experiments failed"
        )));
        assert!(asks_number(&words("when did it happen")));
        assert!(asks_number(&words("how much did they cut")));
        assert!(!asks_number(&words("해외연수 지원은 몇번째 단계야")));
        assert!(!asks_number(&words("몇 번째 제안이야")));
        assert!(is_personal(&words("how do i get into kaist")));
        assert!(!is_personal(&words("how can korea fix it")));
        assert!(states_number("In 2016, AlphaGo"));
    }

    #[test]
    fn stop_phrases_are_marked_as_whole_words() {
        let cases: &[(&str, &[bool])] = &[
            (
                "the state of stem talent",
                &[false, true, true, false, false],
            ),
            ("state support", &[false, false]),
            ("in terms of money", &[true, true, true, false]),
            ("statement of", &[false, false]),
            ("thanks have a nice day", &[false, true, true, true, true]),
            ("what is his day job", &[false, false, false, false, false]),
            ("last q what is it", &[true, true, false, false, false]),
            ("the last question", &[false, true, true]),
            // Whose view frames a question; the possessive is no word.
            ("why in the writer's view", &[false, true, true, true, true]),
            ("his view of china", &[false, false, false, false]),
        ];
        for &(text, want) in cases {
            for wording in [Wording::Reader, Wording::Knowledge] {
                assert_eq!(
                    in_stop_phrase(&tokenize(&fold(text)), wording),
                    want,
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn the_verb_go_is_a_stop_phrase_only_in_a_readers_message() {
        let cases: &[(&str, Wording, &[bool])] = &[
            (
                "which countries should they go to",
                Wording::Reader,
                &[false, false, false, false, true, true],
            ),
            (
                "students go to medical school",
                Wording::Knowledge,
                &[false, false, false, false, false],
            ),
            ("the game of go", Wording::Reader, &[false; 4]),
        ];
        for &(text, wording, want) in cases {
            assert_eq!(
                in_stop_phrase(&tokenize(&fold(text)), wording),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn picks_asked_for_the_asker() {
        let words = |s: &str| {
            tokenize(&fold(s))
                .into_iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
        };
        let cases: &[(&str, bool)] = &[
            (
                "can you recommend a good laptop for a chemistry student",
                true,
            ),
            ("what's the best time of year to travel to china", true),
            ("which ai tool is best for summarizing long pdfs", true),
            ("주말에 볼 영화 추천 좀", true),
            ("any good movies on netflix", true),
            ("What's a good laptop for machine learning?", true),
            // A task for the asker.
            (
                "Can you help me write a personal statement for med school?",
                true,
            ),
            ("자소서 좀 써줘", true),
            // What the asker might do with their own time.
            (
                "any ideas for what to do in my free time this weekend",
                true,
            ),
            ("fun things to do in seoul", true),
            ("이번 주말에 뭐 하지", true),
            ("is it worth learning go, the board game, as an adult", true),
            (
                "is it worth investing in basic science according to the author",
                false,
            ),
            (
                "what does the column say researchers should do with free time",
                false,
            ),
            ("help me understand the second step", false),
            // About the source: its recommendations, its wording.
            ("which conferences does the writer recommend", false),
            (
                "what's the best way to fix the shortage according to the author",
                false,
            ),
            ("how did the cuts affect recruiting the best people", false),
            ("why is china so good at ai", false),
            ("what's the third recommendation", false),
        ];
        for &(question, want) in cases {
            assert_eq!(asks_pick(&words(question)), want, "{question}");
        }
        assert!(states_number("three major waves"));
        assert!(!states_number("Second, we must build"));
    }

    #[test]
    fn without_title_table() {
        let title: Vec<String> = tokenize(&fold("Three steps to solve Korea's STEM crisis"))
            .into_iter()
            .map(|t| t.text)
            .collect();
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Who is the author of \"Three steps to solve Korea's STEM crisis\"?",
                Some("who is the author of"),
            ),
            (
                "what does three steps to solve korea\u{2019}s stem crisis say about china",
                Some("what does say about china"),
            ),
            ("Three steps to solve Korea's STEM crisis", None),
            ("what are the three steps", None),
            // Title words naming the text before a word for it.
            (
                "I mean the author of the STEM crisis column",
                Some("i mean the author of the column"),
            ),
            ("the STEM column", Some("the column")),
            // Each clause keeps the mark that ends it; a clause that is
            // only the title goes.
            (
                "sorry I meant the STEM column. What's the first reform?",
                Some("sorry i meant the column. What's the first reform?"),
            ),
            (
                "Three steps to solve Korea's STEM crisis — who wrote it?",
                Some("who wrote it?"),
            ),
            // Not before a word for its author.
            ("what are the three steps he suggests", None),
            ("what does the column say about the stem crisis", None),
        ];
        for &(question, want) in cases {
            assert_eq!(
                without_title(question, &title).as_deref(),
                want,
                "{question}"
            );
        }
        assert_eq!(without_title("anything at all", &[]), None);
    }

    #[test]
    fn framing_table() {
        use super::super::text::tokenize;
        let cases: &[(&str, &[&str])] = &[
            ("what does the column say about china", &["column"]),
            ("what does he think of failure", &["he"]),
            // A verb of taking a stance frames as one of saying does.
            ("what kind of evaluation does the writer favor", &["writer"]),
            ("what does he expect from the ministry", &["he"]),
            // The "-ing" form of such a verb frames as the verb does.
            ("what is this piece pushing for", &["piece"]),
            ("what is the writer arguing", &["writer"]),
            ("why is china doing well per this article", &["article"]),
            ("who is the author", &[]),
            ("what is this column", &[]),
            // Judged, the text is only commented on.
            ("interesting article so who is liang", &["article"]),
            ("is the article interesting", &[]),
            ("칼럼에서 중국 얘기 나와?", &["칼럼에서"]),
            ("칼럼에서는 중국 얘기 나와?", &["칼럼에서는"]),
            ("칼럼에서도 중국 얘기 나와?", &["칼럼에서도"]),
            ("칼럼에선 원인 뭐래", &["칼럼에선"]),
            ("칼럼에 중국 얘기 있어?", &["칼럼에"]),
            ("칼럼이 좋아", &[]),
            ("저자가 말하는 해법", &["저자가"]),
            ("저자가 누구야", &[]),
            // Korean puts the verb of saying last: the author as its
            // subject still frames, and a quotation says the same.
            ("필자는 실패를 어떻게 생각해?", &["필자는"]),
            ("저자는 예산 삭감을 뭐라고 봐?", &["저자는"]),
            ("필자는 실패를 어떻게 봐야 한다고 하나요?", &["필자는"]),
            // Not its subject, or asked who it is: the author is the topic.
            ("저자 나이가 몇이라고 나와?", &[]),
            ("저자가 누구라고 했지?", &[]),
            ("저자가 KIST에서 어떤 자리에 있었어?", &[]),
            // A word for the article misspelt frames as the word meant.
            ("who is the autor of this colum", &["colum"]),
            ("what does the artcle say about china", &["artcle"]),
        ];
        for (q, want) in cases {
            let tokens = tokenize(&fold(q));
            let got: Vec<&str> = tokens
                .iter()
                .zip(framing(&tokens, &[]))
                .filter(|(_, f)| *f)
                .map(|(t, _)| t.text.as_str())
                .collect();
            assert_eq!(got, *want, "{q}");
        }
        // The author's name, from the knowledge base, frames like "author".
        let tokens = tokenize(&fold("what does Lindqvist say about rent"));
        let author = ["mara".to_owned(), "lindqvist".to_owned()];
        assert_eq!(
            framing(&tokens, &author),
            [false, false, true, false, false, false]
        );
        assert_eq!(framing(&tokens, &[]), [false; 6]);
    }

    #[test]
    fn misspelt_words_for_the_article() {
        // (word, whether it is a word of meta.txt misspelt by one edit)
        let cases = [
            ("colum", true),
            ("autor", true),
            ("artcle", true),
            ("writter", true),
            ("colunm", true),  // a transposition
            ("column", false), // the word itself
            ("colon", false),  // an English word of its own
            ("auth", false),   // too short to tell
            ("actor", false),  // two edits, and a word of its own
            ("rticle", false), // the first letter is never the typo's
        ];
        for (word, want) in cases {
            assert_eq!(misspelt_meta(word), want, "{word}");
        }
    }

    #[test]
    fn misspelt_stop_words() {
        // (word, whether it is a stop word misspelt by one edit)
        let cases = [
            ("whixh", true),
            ("anout", true),
            ("shoild", true),
            ("wich", true),
            ("which", false), // the word itself
            ("whale", false), // an English word of its own
            ("teh", false),   // too short to tell
            ("hwich", false), // the first letter is never the typo's
            ("bezos", false), // a name, near only a chat spelling ("becos")
        ];
        for (word, want) in cases {
            assert_eq!(misspelt_stop(word), want, "{word}");
        }
    }

    #[test]
    fn pieces_of_the_text() {
        use super::super::text::tokenize;
        let pieces = |q: &str| {
            let tokens = tokenize(&fold(q));
            names_a_piece(&tokens)
                .into_iter()
                .zip(&tokens)
                .filter(|(p, _)| *p)
                .map(|(_, t)| t.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(pieces("and the budget part?"), ["part"]);
        assert_eq!(pieces("the china section please"), ["section"]);
        assert!(pieces("should part of every week be free").is_empty());
    }

    #[test]
    fn questions_asking_what_happened() {
        let words = |q: &str| q.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert!(asks_event(&words("what happened to the research money")));
        assert!(asks_event(&words("r&d budjet cut what happend")));
        assert!(!asks_event(&words(
            "what should happen with research that fails"
        )));
    }

    #[test]
    fn other_names() {
        assert!(is_other_name("japan"));
        assert!(is_other_name("카이스트"));
        assert!(!is_other_name("china"));
    }

    #[test]
    fn stop_words() {
        assert!(is_stop("what"));
        assert!(!is_stop("failure"));
        assert!(is_stop("뭐야"));
        // Any form of a verb stem of `stop_ko_stems.txt`, and the words
        // of `stop_ko.txt` for "like that" and "became".
        for word in [
            "보여줘",
            "보여주세요",
            "나오는",
            "나왔어",
            "나오던데",
            "있었어",
            "있던데",
            "그렇게",
            "된",
            "때문에",
            "때문이야",
        ] {
            assert!(is_stop(word), "{word}");
        }
        assert!(is_stop(&fold("ㅋㅋ")));
        assert!(!is_stop("실패"));
        // Adverbs of degree and time, the verb asking what the column covers.
        for word in ["너무", "많이", "때", "구체", "다뤄"] {
            assert!(is_stop(word), "{word}");
        }
    }
}
