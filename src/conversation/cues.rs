//! What kind of follow-up a message is, read from its words alone: "and the
//! next one?", "why?", "tell me more", "who is he?", "and China?". The
//! words are data (`data/*.txt`), one list per kind, in English and
//! Korean; this file only says how a message is compared with them.
//!
//! A message is a bare follow-up (next, previous, why, more) when, once the
//! filler words are dropped, what is left is one of the list's lines: so
//! "and the next one, please?" is one, and "why is Korea short of
//! engineers?" is not (it is a complete question).
//!
//! Beyond the bare cues, the shape of a short message says what it is: a
//! why-word with a word or two more ("why does Korea need that?", "왜
//! 깎았대?") is a why that may still be a question of its own (the caller
//! asks the matcher); an "other" word with a word or two ("any other
//! problems?", "다른 이유는?") asks for more; a more-phrase with a topic
//! ("tell me more about the budget", "예산 얘기 더 해줘") asks for that
//! topic.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::matcher::answer_type::{self, AnswerType};
use crate::matcher::lexicon::{is_other_name, is_stop};
use crate::matcher::ordinal;
use crate::matcher::text::{PhraseList, word_list};
use crate::matcher::text::{fold, has_hangul, has_phrase, strip_korean_to};

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
    /// An example of what the last passage says ("for example?", "예를
    /// 들면?"): the knowledge base's `example` of it, or more of it.
    Example,
    /// Another passage of the kind just read ("any other problems?",
    /// "다른 이유는?"): what the last passage leads to, as for more, unless
    /// the matcher answers the message with another passage on its own.
    Other,
    /// Which step the last passage belongs to ("이게 한국 제안이랑 무슨
    /// 상관?"): the step that answers a background passage.
    Related,
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
    example: FxHashSet<String>,
    pronouns: FxHashSet<String>,
    fillers: FxHashSet<String>,
    ellipsis: FxHashSet<String>,
    exit: FxHashSet<String>,
    topic_endings: Vec<String>,
    other: FxHashSet<String>,
    question_words: Vec<String>,
    korean_endings: Vec<String>,
    relation: FxHashSet<String>,
    deictic: FxHashSet<String>,
    demonstratives: FxHashSet<String>,
    proximal: FxHashSet<String>,
    prepositions: FxHashSet<String>,
    named: FxHashSet<String>,
    around_number: FxHashSet<String>,
    antecedents: FxHashSet<String>,
    compare: FxHashSet<String>,
    contrast_openings: Vec<String>,
    text_parts: FxHashSet<String>,
    sequence: Vec<String>,
    events: FxHashSet<String>,
    benefit: FxHashSet<String>,
    harm: FxHashSet<String>,
    worse: FxHashSet<String>,
    instead: FxHashSet<String>,
    writer_verbs: FxHashSet<String>,
    writer_phrases: PhraseList,
    pointed_people: FxHashSet<String>,
    person_pronouns: FxHashSet<String>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| Lists {
    next: word_list(include_str!("data/next.txt")),
    previous: word_list(include_str!("data/previous.txt")),
    why: word_list(include_str!("data/why.txt")),
    more: word_list(include_str!("data/more.txt")),
    example: word_list(include_str!("data/example.txt")),
    pronouns: word_list(include_str!("data/pronouns.txt")),
    fillers: word_list(include_str!("data/fillers.txt")),
    ellipsis: word_list(include_str!("data/ellipsis.txt")),
    exit: word_list(include_str!("data/exit.txt")),
    topic_endings: word_list(include_str!("data/topic_endings.txt"))
        .into_iter()
        .collect(),
    other: word_list(include_str!("data/other.txt")),
    question_words: word_list(include_str!("data/question_words.txt"))
        .into_iter()
        .collect(),
    korean_endings: word_list(include_str!("data/korean_endings.txt"))
        .into_iter()
        .collect(),
    relation: word_list(include_str!("data/relation.txt")),
    deictic: word_list(include_str!("data/deictic.txt")),
    demonstratives: word_list(include_str!("data/demonstratives.txt")),
    proximal: word_list(include_str!("data/proximal.txt")),
    prepositions: word_list(include_str!("data/prepositions.txt")),
    named: word_list(include_str!("data/named.txt")),
    around_number: word_list(include_str!("data/around_number.txt")),
    antecedents: word_list(include_str!("data/antecedents.txt")),
    writer_verbs: word_list(include_str!("data/writer_verbs.txt")),
    writer_phrases: PhraseList::new(include_str!("data/writer_phrases.txt")),
    pointed_people: word_list(include_str!("data/pointed_people.txt")),
    person_pronouns: word_list(include_str!("data/person_pronouns.txt")),
    compare: word_list(include_str!("data/compare.txt")),
    contrast_openings: word_list(include_str!("data/contrast_openings.txt"))
        .into_iter()
        .collect(),
    text_parts: word_list(include_str!("data/text_parts.txt")),
    sequence: word_list(include_str!("data/sequence.txt"))
        .into_iter()
        .collect(),
    events: word_list(include_str!("data/events.txt")),
    benefit: word_list(include_str!("data/benefit.txt")),
    harm: word_list(include_str!("data/harm.txt")),
    worse: word_list(include_str!("data/worse.txt")),
    instead: word_list(include_str!("data/instead.txt")),
});

/// At most this many words besides the cue make a short follow-up ("why
/// does Korea need that?" keeps "why", "korea", "need"); more make a
/// question of its own ("why is Korea short of engineers?").
const MAX_BESIDES_WHY: usize = 2;
/// At most this many words besides an "other" word ("any other problems?").
const MAX_BESIDES_OTHER: usize = 2;
/// At most this many words of topic after a more-phrase ("tell me more
/// about the budget").
const MAX_MORE_TOPIC: usize = 3;
/// At most this many words, with a relation word, ask which step the last
/// passage belongs to ("이게 한국 제안이랑 무슨 상관?" keeps five).
const MAX_RELATED: usize = 5;
/// At most this many, when they name the steps as a set ("how does the
/// author connect this to his proposals for Korea?").
const MAX_RELATED_TO_STEPS: usize = 8;
/// At most this many words make a question short enough to leave its
/// subject implied ("몇년생임?", "which companies?").
const MAX_IMPLIED: usize = 3;

/// The message's words, folded, without punctuation and without an "'s"
/// ("What's next?" gives "what", "next"; "why's that?" is "why is that?",
/// the contraction a filler).
pub fn words(message: &str) -> Vec<String> {
    fold(message)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == ':'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == ':'))
        .map(|w| w.strip_suffix("'s").filter(|w| !w.is_empty()).unwrap_or(w))
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

/// A Korean word without one particle or request ending of
/// `korean_endings.txt` ("우리나라는" → "우리나라", "얘기해줘" → "얘기"),
/// the longest that leaves a word; other words as they are.
fn unparticled(word: &str) -> &str {
    if !has_hangul(word) {
        return word;
    }
    LISTS
        .korean_endings
        .iter()
        .filter_map(|e| word.strip_suffix(e.as_str()).filter(|w| !w.is_empty()))
        .min_by_key(|w| w.len())
        .unwrap_or(word)
}

/// Whether the word, as typed, stemmed or without its Korean ending, is a
/// line of the list.
fn in_list(list: &FxHashSet<String>, word: &str) -> bool {
    list.contains(word) || list.contains(stem(word)) || list.contains(unparticled(word))
}

/// The message's words without their Korean particles ("우리나라는" →
/// "우리나라").
pub fn stems(message: &str) -> String {
    words(message)
        .iter()
        .map(|w| unparticled(w))
        .collect::<Vec<_>>()
        .join(" ")
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
    // "얘기해줘" is "얘기" asked for: a filler.
    let is_filler = |w: &str| {
        lists.fillers.contains(w)
            || lists.fillers.contains(stem(w))
            || lists.fillers.contains(unparticled(w))
    };
    let kept: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !is_filler(w))
        .collect();
    let stemmed: Vec<&str> = kept.iter().map(|w| stem(w)).collect();
    // "왜임?", "연결돼?": the Korean ending the matcher's stemmer keeps.
    let plain: Vec<&str> = kept.iter().map(|w| unparticled(w)).collect();
    let bare = [
        whole.clone(),
        kept.join(" "),
        stemmed.join(" "),
        plain.join(" "),
    ];
    let bare_cue = [
        (Cue::Next, &lists.next),
        (Cue::Previous, &lists.previous),
        (Cue::More, &lists.more),
        (Cue::Example, &lists.example),
        (Cue::Why, &lists.why),
    ]
    .into_iter()
    .find(|(cue, list)| {
        // "one more back": a "more" with a direction repeats the direction.
        let says_same =
            |w: &&str| in_list(list, w) || (*cue != Cue::More && in_list(&lists.more, w));
        bare.iter().any(|b| !b.is_empty() && list.contains(b))
            // "back to the previous one": every word left says the same.
            || (kept.iter().any(|w| in_list(list, w)) && kept.iter().all(says_same))
    });
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
    // "any other problems?", "다른 이유는?": another passage of the kind
    // just read. Before the why below: "이유" is a why-word too.
    let is_other = |w: &&str| in_list(&lists.other, w);
    if kept.iter().any(is_other)
        && kept.iter().filter(|w| !is_other(w)).count() <= MAX_BESIDES_OTHER
    {
        return Some((Cue::Other, String::new()));
    }
    // "which step is that?", "몇 번째 단계야?": which step what was just
    // read belongs to, asked of nothing else.
    if asks_which_step_of(&words) {
        return Some((Cue::Related, String::new()));
    }
    // "이게 한국 제안이랑 무슨 상관?": which step this belongs to.
    let is_relation = |w: &&str| in_list(&lists.relation, w);
    let to_the_steps =
        || kept.len() <= MAX_RELATED_TO_STEPS && kept.iter().any(|w| ordinal::is_step_plural(w));
    if kept.iter().any(is_relation) && (kept.len() <= MAX_RELATED || to_the_steps()) {
        return Some((Cue::Related, String::new()));
    }
    // "why does Korea need that?", "왜 깎았대?": the words besides the why
    // are kept, for the caller to tell a follow-up from a question.
    if let Some(rest) = cue_and_rest(&without_pronouns, &lists.why, MAX_BESIDES_WHY) {
        return Some((Cue::Why, rest));
    }
    // "tell me more about the budget", "예산 얘기 더 해줘": the topic.
    let more = cue_and_rest(&kept, &lists.more, MAX_MORE_TOPIC)
        .or_else(|| cue_and_rest(&stemmed, &lists.more, MAX_MORE_TOPIC));
    if let Some(topic) = more {
        return Some((Cue::More, topic));
    }
    // "examples of companies?", "예로 든 기업들은?": what the example is of.
    let example = cue_and_rest(&kept, &lists.example, MAX_MORE_TOPIC)
        .or_else(|| cue_and_rest(&stemmed, &lists.example, MAX_MORE_TOPIC));
    // "그거 실제로 시행된 사례 있어?" asks whether it was taken up, not
    // for the column's example.
    let asks_uptake = || answer_type::asked(&words) == Some(AnswerType::Uptake);
    if let Some(topic) = example.filter(|_| !asks_uptake()) {
        return Some((Cue::Example, topic));
    }
    // "그분 경력은?", "and his company?": about the one just read, not a
    // new topic.
    if has_pronoun(&words) {
        return Some((Cue::Pronoun, String::new()));
    }
    let asks = message.trim_end().ends_with(['?', '？']);
    ellipsis_rest(&words, asks).map(|rest| (Cue::Ellipsis, rest))
}

/// Whether the message asks which step, and says nothing besides ("which
/// step number is that?", "그거 몇 번째 단계야?"): "which step deals with
/// failure?" names what it asks of.
pub fn asks_which_step_of_it(message: &str) -> bool {
    asks_which_step_of(&words(message))
}

/// [`asks_which_step_of_it`] on the message's words.
fn asks_which_step_of(words: &[String]) -> bool {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    ordinal::which_step_asked(&words).is_some_and(|asked| {
        let rest: Vec<&str> = (0..words.len())
            .filter(|i| !asked.contains(i))
            .map(|i| words[i])
            .collect();
        content_words(&rest.join(" ")) == 0
    })
}

/// The words besides a run of `words` that is one of `list`'s lines (the
/// longest such run) and besides any other line of one word, when there
/// are one to `max` of them.
fn cue_and_rest(words: &[&str], list: &FxHashSet<String>, max: usize) -> Option<String> {
    let n = words.len();
    let (from, to) = (1..=n)
        .rev()
        .flat_map(|len| (0..=n - len).map(move |at| (at, at + len)))
        .find(|&(from, to)| list.contains(&words[from..to].join(" ")))?;
    // "more details on the budget": another cue word is no topic.
    let rest: Vec<&str> = words[..from]
        .iter()
        .chain(&words[to..])
        .copied()
        .filter(|w| !list.contains(*w))
        .collect();
    (1..=max).contains(&rest.len()).then(|| rest.join(" "))
}

/// The number a message is, alone or with the words a pick comes with
/// (`around_number.txt`): "2", "2?", "#2", "2번", "2번째", "#2 pls", "and
/// #3".
pub fn number(message: &str) -> Option<u8> {
    let words = words(message);
    let mut numbers = words
        .iter()
        .filter(|w| !in_list(&LISTS.around_number, w))
        .map(|w| {
            w.trim_start_matches('#')
                .trim_end_matches("번째")
                .trim_end_matches('번')
                .parse::<u8>()
        });
    match (numbers.next(), numbers.next()) {
        (Some(Ok(n)), None) => Some(n),
        _ => None,
    }
}

/// At most this many words make a message short enough that a word
/// pointing back ("who wrote this?") is all it is about; a longer one
/// ("is it true that Korea cut its R&D budget?") names its topic.
const MAX_DEICTIC: usize = 5;

/// True when a short message points at something already there with a
/// word of `deictic.txt` ("what is it?", "이거 누가 썼어?") or one of
/// `demonstratives.txt` standing alone ("who wrote this?", "where is this
/// from?"), not before a noun ("who wrote this column?"), and no word of
/// `named.txt` says what it points at ("이거 어디 기사야?"). Opening a
/// conversation, it points at nothing yet.
pub fn points_back(message: &str) -> bool {
    let lists = &*LISTS;
    let words = words(message);
    if words.len() > MAX_DEICTIC || words.iter().any(|w| in_list(&lists.named, w)) {
        return false;
    }
    let stands_alone = |next: Option<&String>| {
        next.is_none_or(|next| {
            lists.fillers.contains(next.as_str())
                || lists.prepositions.contains(next.as_str())
                || is_question_word(next)
        })
    };
    words.iter().enumerate().any(|(i, w)| {
        in_list(&lists.deictic, w)
            || (lists.demonstratives.contains(w.as_str()) && stands_alone(words.get(i + 1)))
    })
}

/// True when the message points at what is at hand ("who wrote this?",
/// "이거 누가 썼어?"), by a word of `proximal.txt`.
pub fn points_at_hand(message: &str) -> bool {
    let lists = &*LISTS;
    words(message).iter().any(|w| in_list(&lists.proximal, w))
}

/// True for a question word: English whole ("which"), Korean by its
/// beginning ("몇년생임" begins with "몇").
fn is_question_word(word: &str) -> bool {
    LISTS.question_words.iter().any(|q| {
        if has_hangul(q) {
            word.starts_with(q.as_str())
        } else {
            word == q
        }
    })
}

/// True for a short question ("몇년생임?", "which companies?"): at most a
/// few words, ending in a question mark or with a question word. Such a
/// question that names nothing the column answers may be about what was
/// just read.
pub fn is_short_question(message: &str) -> bool {
    let words = words(message);
    !words.is_empty() && words.len() <= MAX_IMPLIED && asks(message, &words)
}

/// True when a word of the message is a question word ("whom", "언제").
pub fn asks_with_question_word(message: &str) -> bool {
    words(message).iter().any(|w| is_question_word(w))
}

/// True when the message asks: it ends in a question mark or has a
/// question word ("who", "몇").
pub fn is_question(message: &str) -> bool {
    asks(message, &words(message))
}

/// [`is_question`] with the message's words already read.
fn asks(message: &str, words: &[String]) -> bool {
    message.trim_end().ends_with(['?', '？']) || words.iter().any(|w| is_question_word(w))
}

/// How many words of the message say something: not a stop word, a
/// pronoun, a filler, a question word or a word pointing back ("can you
/// list the reforms he recommends" has three: "list", "reforms",
/// "recommends"; "when was he born?" one; "그 사람 누구야?" none).
pub fn content_words(message: &str) -> usize {
    let lists = &*LISTS;
    let words = words(message);
    // "그 사람": a pronoun of two words.
    let mut in_pair = vec![false; words.len()];
    for i in 1..words.len() {
        if lists
            .pronouns
            .contains(&format!("{} {}", words[i - 1], words[i]))
        {
            in_pair[i - 1] = true;
            in_pair[i] = true;
        }
    }
    words
        .iter()
        .zip(in_pair)
        .filter(|(w, paired)| {
            let bare = unparticled(w);
            !paired
                && !is_stop(w)
                && !is_stop(bare)
                && !in_list(&lists.pronouns, w)
                && !in_list(&lists.fillers, w)
                && !in_list(&lists.deictic, w)
                && !lists.demonstratives.contains(w.as_str())
                && !is_question_word(w)
        })
        .count()
}

/// True when a word of the message points at something said before: a
/// pronoun ("he", "그 사람"), or a word of `deictic.txt` or
/// `demonstratives.txt` anywhere ("how does that connect to …", "이게 …").
pub fn refers_back(message: &str) -> bool {
    has_pronoun(&words(message)) || points_at_thing(message)
}

/// True when a word of the message points at a thing said before, not at
/// a person: a word of `deictic.txt` ("it", "그거") or a demonstrative
/// ("that", "this") anywhere. "the reforms he recommends" points at no
/// thing: "he" is the writer.
pub fn points_at_thing(message: &str) -> bool {
    let lists = &*LISTS;
    let words = words(message);
    words.iter().enumerate().any(|(i, w)| {
        // "so that Korea can lead" joins a clause; it points at nothing.
        let joins = i > 0 && matches!(words[i - 1].as_str(), "so" | "such" | "now");
        in_list(&lists.deictic, w) || (lists.demonstratives.contains(w.as_str()) && !joins)
    })
}

/// Whether a word of `words` (as typed, stemmed or without its Korean
/// ending), or two of them together ("그 사람"), is a pronoun that points
/// out of the message: one after a noun it can stand for
/// (`antecedents.txt`: "who's the author and is he legit?") points at that
/// noun instead.
fn has_pronoun(words: &[String]) -> bool {
    let lists = &*LISTS;
    let first = (0..words.len()).find(|&i| {
        in_list(&lists.pronouns, &words[i])
            || words
                .get(i + 1)
                .is_some_and(|next| lists.pronouns.contains(&format!("{} {next}", words[i])))
    });
    first.is_some_and(|i| !words[..i].iter().any(|w| in_list(&lists.antecedents, w)))
}

/// True when "he" or "she" speaks in the message, right before a verb of
/// saying or thinking (`writer_verbs.txt`): "what's the first thing he
/// says Korea should do?", "what does she think of it"; or a phrase names
/// him or her as who holds a view (`writer_phrases.txt`: "according to
/// him"). In a question put to a bot about one text, that is its writer,
/// whoever the last passage named.
pub fn writer_speaks(message: &str) -> bool {
    let words = words(message);
    words.windows(2).any(|pair| {
        matches!(pair[0].as_str(), "he" | "she") && LISTS.writer_verbs.contains(&pair[1])
    }) || LISTS.writer_phrases.spans(&words).next().is_some()
}

/// True when the message points at a person with a Korean phrase that
/// needs one named before (`pointed_people.txt`: "그 사람이", "그분은").
pub fn points_at_someone(message: &str) -> bool {
    let words = words(message);
    let listed = |phrase: &str| LISTS.pointed_people.contains(phrase);
    words.iter().any(|w| listed(unparticled(w)))
        || words
            .windows(2)
            .any(|pair| listed(&format!("{} {}", pair[0], unparticled(&pair[1]))))
}

/// True when the message points at one person: an English pronoun for
/// one (`person_pronouns.txt`: "he", "her") or a Korean phrase for one
/// named before ([`points_at_someone`]). "they" and "it" may be a company
/// or a country.
pub fn points_at_a_person(message: &str) -> bool {
    words(message)
        .iter()
        .any(|w| LISTS.person_pronouns.contains(w.as_str()))
        || points_at_someone(message)
}

/// True when a word of the message asks how things compare (`compare.txt`:
/// "compare", "unlike"; Korean by its beginning: "다르다고", "비교하면"),
/// or two words do ("different from").
pub fn compares(message: &str) -> bool {
    let words = words(message);
    has_listed(&LISTS.compare, &words)
        || words
            .windows(2)
            .any(|pair| LISTS.compare.contains(&pair.join(" ")))
}

/// What a comparison is about: the message without the words asking how
/// things compare or for an example of it ("so korea is the opposite?" →
/// "so korea is the", "그럼 반대로 잘한 사례는?" → "그럼 잘한"). What is
/// left says whether the message speaks of anything beyond the passages.
pub fn compared_subject(message: &str) -> String {
    words(message)
        .into_iter()
        .filter(|w| {
            !has_listed(&LISTS.compare, std::slice::from_ref(w)) && !in_list(&LISTS.example, w)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether one of `words` is a line of `list`: an English word whole, a
/// Korean one by its beginning ("다르다고" for "다르"), since a Korean
/// stem takes its endings on.
fn has_listed(list: &FxHashSet<String>, words: &[String]) -> bool {
    words.iter().any(|w| {
        if has_hangul(w) {
            list.iter()
                .any(|k| has_hangul(k) && w.starts_with(k.as_str()))
        } else {
            list.contains(w.as_str())
        }
    })
}

/// True when a word of the message names a part of the text ("the next
/// step", "다음 단계는?"; `text_parts.txt`).
pub fn names_text_part(message: &str) -> bool {
    words(message).iter().any(|w| in_list(&LISTS.text_parts, w))
}

/// True when "next" or "previous" asks for an event ("and what came after
/// it?", "그 다음에 나온 건?"; `events.txt`), not a part of the text.
pub fn asks_event(message: &str) -> bool {
    has_listed(&LISTS.events, &words(message))
}

/// True when the message points at a part of the text already there:
/// "that step", "this part", "그 단계", "이 부분" (a demonstrative before a
/// word of `text_parts.txt`; Korean 그, 이 and 저 as words of their own).
pub fn points_at_part(message: &str) -> bool {
    let words = words(message);
    words.windows(2).any(|pair| {
        let demonstrative = LISTS.demonstratives.contains(pair[0].as_str())
            || matches!(pair[0].as_str(), "그" | "이" | "저");
        demonstrative && in_list(&LISTS.text_parts, &pair[1])
    })
}

/// At most this many words make a question what something is good for a
/// follow-up ("how would that actually help?" has five).
const MAX_BENEFIT: usize = 7;

/// True when the message's words (from [`words`]) ask for something in
/// place of what was just read (`instead.txt`: "what does he want them to
/// do instead?"), not in
/// place of a thing it names ("instead of top-down management").
pub fn asks_instead(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        LISTS.instead.contains(w.as_str()) && words.get(i + 1).is_none_or(|n| n != "of")
    })
}

/// True when a short message asks what something is good for ("why would
/// that help?", "how would that actually help?", "그게 왜 중요해?"): a
/// "why" (or a "how" not asking a number) and a word of `benefit.txt`.
pub fn asks_benefit(message: &str) -> bool {
    short_why_with(message, &LISTS.benefit, true)
}

/// True when a short message asks why something does harm ("why is that a
/// problem?", "그게 왜 문제야?"): a "why" and a word of `harm.txt`.
pub fn asks_harm(message: &str) -> bool {
    short_why_with(message, &LISTS.harm, false)
}

/// True when the message asks what made something worse ("what made it
/// worse?", "왜 더 심해졌대?"): a word of `worse.txt`.
pub fn asks_aggravation(message: &str) -> bool {
    has_listed(&LISTS.worse, &words(message))
}

/// Whether a message of at most [`MAX_BENEFIT`] words has a word of
/// `list` and a why-word, or (with `how`) a "how" not asking a number.
fn short_why_with(message: &str, list: &FxHashSet<String>, how: bool) -> bool {
    let words = words(message);
    let why = words.iter().enumerate().any(|(i, w)| {
        in_list(&LISTS.why, w)
            || (how
                && w == "how"
                && !words
                    .get(i + 1)
                    .is_some_and(|n| matches!(n.as_str(), "much" | "many" | "long" | "old")))
    });
    words.len() <= MAX_BENEFIT && why && has_listed(list, &words)
}

/// True when an English passage tells events in order: a year, and a
/// phrase of `sequence.txt` ("Since then", "More recently").
pub fn is_chronology(passage: &[String]) -> bool {
    let text = fold(&passage.join(" "));
    let year = text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        w.len() == 4
            && (w.starts_with("19") || w.starts_with("20"))
            && w.chars().all(|c| c.is_ascii_digit())
    });
    let phrase = LISTS.sequence.iter().any(|p| has_phrase(&text, p));
    year && phrase
}

/// True when an English passage opens by contrasting itself with the one
/// before it ("By contrast, Korea …"; `contrast_openings.txt`).
pub fn opens_with_contrast(passage: &str) -> bool {
    let lower = fold(passage.trim_start());
    LISTS.contrast_openings.iter().any(|o| {
        lower
            .strip_prefix(o.as_str())
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

/// True when a word of the message, with or without its Korean particle,
/// is the name of a well-known country, company or person ("일본
/// 얘기도 있어?"): the message is about that, not about what was just
/// read.
pub fn names_another_thing(message: &str) -> bool {
    words(message)
        .iter()
        .any(|w| is_other_name(w) || is_other_name(unparticled(w)) || is_other_name(stem(w)))
}

/// The words after an ellipsis cue ("what about Korea?" → "korea"), when
/// only a few follow; or a topic cut short: Korean marked as a topic
/// ("한국은?"), English asked with a question mark ("korea?").
fn ellipsis_rest(words: &[String], asks: bool) -> Option<String> {
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
    let korean = words.iter().all(|w| has_hangul(w))
        && words.last().is_some_and(|w| {
            LISTS
                .topic_endings
                .iter()
                .any(|e| w.ends_with(e.as_str()) && w.len() > e.len())
        });
    // "when?" and "by whom?" ask, they name no topic.
    let names_nothing = words
        .iter()
        .all(|w| is_question_word(w) || LISTS.prepositions.contains(w.as_str()));
    let english = asks && !words.iter().any(|w| has_hangul(w)) && !names_nothing;
    let topic = words.len() <= MAX_TOPIC && (korean || english);
    topic.then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks a yes-or-no reading of messages (or passages) against a
    /// table of them.
    fn table(read: fn(&str) -> bool, cases: &[(&str, bool)]) {
        for &(text, want) in cases {
            assert_eq!(read(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_person_pointed_at_in_korean_is_read_with_its_particles() {
        table(
            points_at_someone,
            &[
                ("그 사람이 말한 두 번째 거 무슨 뜻이야?", true),
                ("그분은 어디서 일해?", true),
                ("걔가 뭐래?", true),
                ("그 칼럼 두 번째 단계가 뭐야?", false),
                ("이 칼럼 쓴 사람 누구야?", false),
                ("who is he?", false),
            ],
        );
    }

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
            ("what comes right before that?", Some(Previous)),
            ("and immediately after?", Some(Next)),
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
            // A relation to the steps as a set, in more words.
            (
                "how does the author connect this to his proposals for Korea?",
                Some(Related),
            ),
            // Which step, asked of nothing but what was read.
            ("which step number is that?", Some(Related)),
            ("which step is this?", Some(Related)),
            ("몇 번째 단계야?", Some(Related)),
            ("그거 몇번째야?", Some(Related)),
            ("which step deals with failure?", None),
            ("for example?", Some(Example)),
            ("any examples?", Some(Example)),
            ("예를 들면?", Some(Example)),
            ("examples of companies?", Some(Example)),
            ("예로 든 기업들은?", Some(Example)),
            // Whether it was taken up is no example the column gives.
            ("그거 실제로 시행된 사례 있어?", None),
            ("who is he?", Some(Pronoun)),
            ("when was he born?", Some(Pronoun)),
            ("what did his company build?", Some(Pronoun)),
            ("그 사람 누구야?", Some(Pronoun)),
            ("and China?", Some(Ellipsis)),
            ("what about Korea?", Some(Ellipsis)),
            ("그럼 중국은?", Some(Ellipsis)),
            ("한국은?", Some(Ellipsis)),
            ("한국은요?", Some(Ellipsis)),
            ("중국 전체적으로는?", Some(Ellipsis)),
            ("what comes after that", Some(Next)),
            ("그 전꺼 다시", Some(Previous)),
            ("why is that needed?", Some(Why)),
            ("왜 필요한데?", Some(Why)),
            ("왜 그렇게 된 거야?", Some(Why)),
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
    fn the_writer_speaks_before_a_verb_of_saying() {
        let cases: &[(&str, bool)] = &[
            ("what's the first thing he says korea should do?", true),
            ("what does he think is the deeper reason?", true),
            ("why does she want more autonomy", true),
            ("who is he?", false),
            ("when was he born?", false),
            ("what did he make before DeepSeek?", false),
            ("what did his company build?", false),
            ("they say korea is behind", false),
            (
                "what's the final step korea should take according to him",
                true,
            ),
            ("in her view, what went wrong?", true),
            ("according to the column, who is he?", false),
        ];
        for &(message, speaks) in cases {
            assert_eq!(writer_speaks(message), speaks, "{message}");
        }
    }

    #[test]
    fn short_follow_ups_are_read_by_their_shape() {
        use Cue::*;
        // (message, the cue and the words kept beside it, or None)
        let cases: &[(&str, Option<(Cue, &str)>)] = &[
            // A why-word and a word or two: the words are kept, for the
            // caller to tell a follow-up from a question.
            ("why does Korea need that?", Some((Why, "korea need"))),
            ("왜 깎았대?", Some((Why, "깎았"))),
            ("why 그런건데?", Some((Why, "그런건데"))),
            ("why's that?", Some((Why, ""))),
            (
                "why does he want autonomy tho",
                Some((Why, "want autonomy")),
            ),
            ("how so?", Some((Why, ""))),
            // "wait", "would" and "even" carry no topic.
            ("wait why would that even help 🤔", Some((Why, "help"))),
            ("원인이 뭐야?", Some((Why, ""))),
            // An "other" word asks for another passage.
            ("any other problems?", Some((Other, ""))),
            ("다른 이유는?", Some((Other, ""))),
            ("그거 말고 다른 원인은?", Some((Other, ""))),
            ("what else is wrong?", Some((Other, ""))),
            // A more-phrase with a topic keeps the topic.
            ("tell me more about the budget part", Some((More, "budget"))),
            ("예산 얘기 더 해줘", Some((More, "예산"))),
            ("the last one in more detail", Some((More, "last"))),
            ("더 얘기해줘", Some((More, ""))),
            ("좀 더 설명해줘", Some((More, ""))),
            // A pronoun wins over a topic cut short.
            ("그분 경력은?", Some((Pronoun, ""))),
            ("and his company?", Some((Pronoun, ""))),
            ("거기서 유명한 회사는?", Some((Pronoun, ""))),
            // Next and previous in other words.
            ("keep going", Some((Next, ""))),
            ("그 담은?", Some((Next, ""))),
            ("그리고?", Some((Next, ""))),
            ("what came before it?", Some((Previous, ""))),
            ("바로 전꺼", Some((Previous, ""))),
            ("one more back", Some((Previous, ""))),
            ("wait go back one", Some((Previous, ""))),
            ("and what came of it eventually", Some((Next, ""))),
            ("그 다음엔 뭐라고 해?", Some((Next, ""))),
            // Every word left says the same cue.
            ("back to the previous one", Some((Previous, ""))),
            ("go on please", Some((Next, ""))),
            ("can you expand on that?", Some((More, ""))),
            ("what's the reasoning behind it?", Some((Why, ""))),
            ("뭐 때문에?", Some((Why, ""))),
            ("또 뭐가 문제야?", Some((Other, ""))),
            // Korean endings the matcher's stemmer keeps.
            ("왜임?", Some((Why, ""))),
            ("더 알려줄래?", Some((More, ""))),
            ("what's causing it?", Some((Why, ""))),
            ("그게 무슨 단계랑 연결돼?", Some((Related, ""))),
            // A relation word asks which step this belongs to.
            ("이게 한국 제안이랑 무슨 상관?", Some((Related, ""))),
            ("which step is this related to?", Some((Related, ""))),
            // A topic cut short, in English with its question mark.
            ("korea?", Some((Ellipsis, "korea"))),
            ("by whom?", None),
            ("the budget?", Some((Ellipsis, "the budget"))),
            ("where?", None),
            ("how?", None),
            // Too many words besides the cue: a question of its own.
            ("why is korea short of engineers?", None),
            (
                "why are more students choosing medicine over science?",
                None,
            ),
            (
                "what other countries does the column mention besides China?",
                None,
            ),
            ("한국은 왜 이공계 인재가 그렇게 부족해?", None),
        ];
        for (message, want) in cases {
            let got = classify(message);
            let want = want.map(|(cue, rest)| (cue, rest.to_owned()));
            assert_eq!(got, want, "{message:?}");
        }
    }

    #[test]
    fn a_short_question_is_told_by_its_length_and_its_question_word() {
        let cases = [
            ("몇년생임?", true),
            ("which companies?", true),
            ("몇 살", true),
            ("어디 출신", true),
            ("where?", true),
            ("what is the third step of the plan?", false),
            ("아 ㅋㅋ 안녕", false),
            ("thanks", false),
            ("", false),
        ];
        table(is_short_question, &cases);
    }

    #[test]
    fn a_number_alone_is_read_with_its_marks() {
        let cases = [
            ("2", Some(2)),
            ("2?", Some(2)),
            ("#3", Some(3)),
            ("1번", Some(1)),
            ("2번째", Some(2)),
            ("#2 pls", Some(2)),
            ("and #3", Some(3)),
            ("option 2", Some(2)),
            ("2번 좀", Some(2)),
            ("step 2", None),
            ("2 and 3", None),
            ("two", None),
            ("999", None),
        ];
        for (message, want) in cases {
            assert_eq!(number(message), want, "{message:?}");
        }
    }

    #[test]
    fn a_word_pointing_back_is_told_from_a_determiner_before_a_noun() {
        let cases = [
            ("who wrote this?", true),
            ("where is this from?", true),
            ("what is it?", true),
            ("이거 누가 썼어?", true),
            ("그거 어디서 나온 거야?", true),
            // A determiner before a noun, or the piece named.
            ("who wrote this column?", false),
            ("이 칼럼 누가 썼어?", false),
            ("이거 어디 기사야?", false),
            ("is this an editorial?", false),
            // Long enough to name its own topic.
            ("is it true that korea cut its research budget?", false),
            ("who wrote the column?", false),
        ];
        table(points_back, &cases);
    }

    #[test]
    fn a_well_known_name_is_found_with_or_without_its_particle() {
        let cases = [
            ("일본 얘기도 있어?", true),
            ("what about Japan?", true),
            ("구글은?", true),
            ("몇년생임?", false),
            ("which companies?", false),
        ];
        table(names_another_thing, &cases);
    }

    #[test]
    fn korean_particles_and_request_endings_are_taken_off() {
        let cases = [
            ("우리나라는?", "우리나라"),
            ("예산은", "예산"),
            ("설명해줘", "설명"),
            ("중국 전체적으로는", "중국 전체적으로"),
            ("and China?", "and china"),
        ];
        for (message, want) in cases {
            assert_eq!(stems(message), want, "{message:?}");
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
        table(is_exit, &cases);
    }

    #[test]
    fn comparisons_asked_and_contrasts_opened() {
        let asked = [
            ("and how does korea compare", true),
            ("How does Korea compare with China?", true),
            ("and how is that different from Korea?", true),
            ("how is Korea different to China", true),
            ("what's the difference with Korea?", true),
            ("give me a different one", false),
            ("중국은 어떻게 다르다고 했어?", true),
            ("한국이랑 비교하면?", true),
            ("unlike china?", true),
            ("한국은 그 반대라는 거지?", true),
            ("so korea is the opposite?", true),
            // "different" and "다른" ask for another one (`other.txt`).
            ("any different reasons?", false),
            ("다른 이유는?", false),
            ("what did his team do differently?", false),
        ];
        table(compares, &asked);
        assert_eq!(
            compared_subject("so korea is the opposite?"),
            "so korea is the"
        );
        assert_eq!(
            compared_subject("한국은 그 반대라는 거지?"),
            "한국은 그 거지"
        );
        assert_eq!(compared_subject("그럼 반대로 잘한 사례는?"), "그럼 잘한");
        let opened = [
            ("By contrast, Korea is grappling with a shortage.", true),
            ("In contrast to that, the town waited.", true),
            ("On the other hand, the river rose.", true),
            ("Unlike its neighbour, the town grew.", true),
            ("Bycontrast is not a word.", false),
            ("The contrast is stark.", false),
        ];
        table(opens_with_contrast, &opened);
    }

    #[test]
    fn events_asked_for_and_passages_telling_them_in_order() {
        let asked = [
            ("and what came after it?", true),
            ("and what was the first big moment before it", true),
            ("그 다음에 나온 건?", true),
            ("and after that?", true),
            ("next?", false),
            ("다음은?", false),
            ("and the one before", false),
        ];
        table(asks_event, &asked);
        let pointed = [
            ("what else is in that step?", true),
            ("anything else in this part", true),
            ("그 단계 다시 설명해줘", true),
            ("what is the next step?", false),
            ("that's a step forward", false),
        ];
        table(points_at_part, &pointed);
        let parts = [
            ("what came in the next step?", true),
            ("다음 단계는?", true),
            ("and what came after it?", false),
        ];
        table(names_text_part, &parts);
        let told = [
            ("In 1990, the mill opened. Since then, it has grown.", true),
            ("In 1990, the mill opened. It grew.", false),
            ("The mill opened. Since then, it has grown.", false),
            ("In 1990, the mill opened; the town was built later.", true),
            ("The collateral was posted in 2001.", false),
        ];
        for (passage, want) in told {
            assert_eq!(is_chronology(&[passage.to_owned()]), want, "{passage:?}");
        }
    }

    #[test]
    fn questions_what_something_is_good_for() {
        let cases = [
            ("why would that help?", true),
            ("wait why would that even help 🤔", true),
            ("how would that actually help?", true),
            ("why does it matter?", true),
            ("그게 왜 중요해?", true),
            ("why is that needed?", false),
            ("how much would that help?", false),
            ("why?", false),
            (
                "why is it important for korea to invest in science and engineering?",
                false,
            ),
        ];
        table(asks_benefit, &cases);
    }

    #[test]
    fn asking_what_harm_something_does() {
        let cases = [
            ("why is that a problem?", true),
            ("why are they a problem?", true),
            ("why is that bad", true),
            ("그게 왜 문제야?", true),
            ("what is the problem?", false),
            ("why?", false),
        ];
        table(asks_harm, &cases);
    }

    #[test]
    fn asking_what_made_something_worse() {
        let cases = [
            ("what made it worse?", true),
            ("what aggravated it?", true),
            ("왜 더 심해졌대?", true),
            ("악화된 이유는?", true),
            ("why?", false),
            ("왜 그렇게 된 거야?", false),
            ("is it getting better?", false),
        ];
        table(asks_aggravation, &cases);
    }

    #[test]
    fn pointing_at_a_thing_not_a_person() {
        let cases = [
            ("does the author want korea to do that too?", true),
            ("그거 언제까지 하자는 거야?", true),
            ("what does he recommend", false),
            (
                "what measures are recommended so that korea can lead",
                false,
            ),
        ];
        table(points_at_thing, &cases);
    }
}
