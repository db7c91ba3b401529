//! Text normalisation shared by the index and the queries: Unicode NFKC,
//! case folding, tokenisation into Latin words and Hangul words, Korean
//! particle stripping and jamo decomposition for typo distances.
//!
//! Everything here is applied identically to knowledge-base text and to user
//! questions, so the two always meet in the same form.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// The script a token is written in; decides how it is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters and digits (English words, numbers, "r&d").
    Latin,
    /// Hangul syllables or jamo.
    Hangul,
}

/// One word of normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub script: Script,
}

/// True for a character of the Hangul script (syllables or jamo).
pub fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{AC00}'..='\u{D7A3}' // syllables
        | '\u{1100}'..='\u{11FF}' // conjoining jamo
        | '\u{3130}'..='\u{318F}' // compatibility jamo
        | '\u{A960}'..='\u{A97F}'
        | '\u{D7B0}'..='\u{D7FF}')
}

/// True when the text contains any Hangul: such a question gets Korean UI text.
pub fn has_hangul(text: &str) -> bool {
    text.chars().any(is_hangul)
}

/// NFKC, lower case, and the typographic quotes folded to ASCII, so that a
/// user's `'` meets the column's `’`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = expand_us(text);
    // Most text is already in NFKC (all ASCII is): skip normalising it.
    let normalised: Box<dyn Iterator<Item = char>> = match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => Box::new(text.chars()),
        _ => Box::new(text.nfkc()),
    };
    for c in normalised {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201F}' => out.push('"'),
            c if c.is_uppercase() => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
}

/// "US" and "U.S." written in capitals name the country; folded to lower
/// case they would read as the pronoun "us", a stop word.
fn expand_us(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("US") && !text.contains("U.S") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let bare = word.trim_end_matches(['?', '!', ',', '.', '\'', '’']);
        let rest = &word[bare.len()..];
        match bare {
            "US" | "U.S" | "U.S." | "USA" => {
                out.push_str("usa");
                out.push_str(rest);
            }
            _ => out.push_str(word),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `text` holds `phrase` as whole words ("due to" in "… due to
/// cuts", not in "residue tox"). Both as the caller folded them.
pub fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The words of a word-list data file: one a line, `#` comments, folded.
pub fn word_list(text: &str) -> FxHashSet<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(fold)
        .collect()
}

/// A list of phrases (a data file of one phrase a line, read by
/// [`word_list`]), kept by first word so that finding them in a text costs
/// one lookup per word of it.
#[derive(Debug, Default)]
pub struct PhraseList {
    /// First word → the words after it, one list per phrase.
    by_first: FxHashMap<String, Vec<Vec<String>>>,
}

impl PhraseList {
    pub fn new(text: &str) -> Self {
        let mut list = PhraseList::default();
        for phrase in word_list(text) {
            let mut words = phrase.split(' ').map(str::to_owned);
            if let Some(first) = words.next() {
                list.by_first
                    .entry(first)
                    .or_default()
                    .push(words.collect());
            }
        }
        list
    }

    /// Where a phrase stands in `words`: (first word, number of words).
    pub fn spans<'a, S: AsRef<str>>(
        &'a self,
        words: &'a [S],
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        words.iter().enumerate().flat_map(move |(i, w)| {
            self.by_first
                .get(w.as_ref())
                .into_iter()
                .flatten()
                .filter(move |rest| {
                    words.len() > i + rest.len()
                        && words[i + 1..=i + rest.len()]
                            .iter()
                            .zip(rest.iter())
                            .all(|(a, b)| a.as_ref() == b)
                })
                .map(move |rest| (i, rest.len() + 1))
        })
    }
}

/// Splits folded text into tokens. Latin and Hangul runs split from each
/// other ("2단계" gives "2" and "단계"); punctuation separates words; an
/// English possessive "'s" is dropped; "r&d" stays one word; "%" reads as
/// "percent"; "tl;dr" is "tldr"; letters and digits typed together split
/// ("step3" gives "step" and "3"; "3rd" stays whole); `@mentions` and links
/// are skipped, they never carry a question.
pub fn tokenize(folded: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = folded.chars().collect();
    // Where the last Latin token ended: Hangul starting right there is
    // written onto it ("KIST에서", "DeepSeek의").
    let mut latin_end = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '@' || (matches!(c, 'h' | 'w') && starts_with_link(&chars[i..])) {
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            continue;
        }
        if c == '%' {
            tokens.push(Token {
                text: "percent".into(),
                script: Script::Latin,
            });
            i += 1;
            latin_end = Some(i);
            continue;
        }
        let script = if is_hangul(c) {
            Script::Hangul
        } else if c.is_alphanumeric() {
            Script::Latin
        } else {
            i += 1;
            continue;
        };
        let start = i;
        let mut word = String::with_capacity(16);
        while i < chars.len() {
            let c = chars[i];
            let same = match script {
                Script::Hangul => is_hangul(c),
                Script::Latin => {
                    c.is_alphanumeric() && !is_hangul(c) && !letters_meet_digits(&word, &chars[i..])
                }
            };
            if same {
                word.push(c);
                i += 1;
            } else if script == Script::Latin
                && c == ';'
                && chars.get(i + 1).is_some_and(char::is_ascii_alphabetic)
            {
                // "tl;dr" is one word, "tldr": a semicolon between two
                // letters, with no space after it, ends no clause.
                i += 1;
            } else if script == Script::Latin
                && (c == '\'' || c == '&')
                && chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_alphanumeric() && !is_hangul(*n))
            {
                // "r&d" is one word; "china's" loses its possessive; "don't" stays whole.
                if c == '\''
                    && chars[i + 1] == 's'
                    && !chars.get(i + 2).is_some_and(|n| n.is_alphanumeric())
                {
                    i += 2;
                    break;
                }
                word.push(c);
                i += 1;
            } else {
                break;
            }
        }
        if script == Script::Latin {
            latin_end = Some(i);
        } else if latin_end == Some(start) && strip_korean_to(&word, 0).is_empty() {
            // Only particles written onto an English word ("KIST에서",
            // "AI가"): the word's case, not a word of its own.
            continue;
        }
        tokens.push(Token { text: word, script });
    }
    tokens
}

/// Whether the next character, the first of `rest`, starts a number after
/// letters ("step3", "top10") or letters after a number ("3steps",
/// "20percent"): phone typing drops the space there. A single letter
/// stays with its number, as in names of models and versions ("R1", "3D"),
/// and so does an ordinal's suffix ("3rd", "21st").
fn letters_meet_digits(word: &str, rest: &[char]) -> bool {
    let (Some(last), Some(&next)) = (word.chars().last(), rest.first()) else {
        return false;
    };
    if last.is_ascii_alphabetic() && next.is_ascii_digit() {
        let letters = word
            .chars()
            .rev()
            .take_while(char::is_ascii_alphabetic)
            .count();
        return letters >= 2;
    }
    if !(last.is_ascii_digit() && next.is_ascii_alphabetic()) {
        return false;
    }
    let letters: String = rest
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    letters.len() >= 2 && !matches!(letters.as_str(), "st" | "nd" | "rd" | "th")
}

fn starts_with_link(chars: &[char]) -> bool {
    let prefix: String = chars.iter().take(8).collect();
    prefix.starts_with("http://") || prefix.starts_with("https://") || prefix.starts_with("www.")
}

/// The words `passages` write as proper names, folded and tokenized: those
/// capitalised where no sentence starts ("its CEO, Liang Wenfeng" gives
/// "liang" and "wenfeng"; "First, we must" gives nothing).
pub fn proper_names<'p>(passages: impl IntoIterator<Item = &'p String>) -> FxHashSet<String> {
    let mut names = FxHashSet::default();
    for passage in passages {
        let mut sentence_start = true;
        for word in passage.split_whitespace() {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if !sentence_start && bare.chars().next().is_some_and(char::is_uppercase) {
                names.extend(tokenize(&fold(bare)).into_iter().map(|t| t.text));
            }
            sentence_start = word.ends_with(['.', '?', '!']);
        }
    }
    names
}

/// Splits a message into clauses at sentence ends, dashes set off by
/// spaces, line breaks, emoji and Hangul letters written alone ("ㅋㅋ"),
/// so that group-chat chatter before or after a question can be matched
/// apart from it. Commas do not split: "deepseek, what is its stock
/// price" must stay one question.
pub fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = match c {
            '.' | '?' | '!' | ';' => next.is_none_or(char::is_whitespace),
            '\n' | '…' | '。' | '？' | '！' => true,
            '-' | '—' | '–' => {
                text[..i].ends_with(char::is_whitespace) && next.is_some_and(char::is_whitespace)
            }
            // "ㅋㅋ", "ㅠㅠ": laughing or crying, as an emoji is.
            c if is_jamo(c) => true,
            c => is_emoji(c),
        };
        if ends {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out.retain(|c| c.chars().any(|c| c.is_alphanumeric() && !is_jamo(c)));
    out
}

/// What follows `clause` in `message`, for a clause handed out by
/// [`clauses`] (a slice of the message, found by its address: its text
/// alone could stand in the message more than once); `None` for a string
/// that is not a slice of `message`.
pub fn after_clause<'m>(message: &'m str, clause: &str) -> Option<&'m str> {
    if !message.as_bytes().as_ptr_range().contains(&clause.as_ptr()) {
        return None;
    }
    let start = clause.as_ptr() as usize - message.as_ptr() as usize;
    message.get(start + clause.len()..)
}

/// A Hangul letter written alone, not in a syllable ("ㅋ", "ㅠ").
fn is_jamo(c: char) -> bool {
    matches!(c, '\u{3131}'..='\u{318E}')
}

pub(super) fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

/// Korean particles and verb endings, longest first, stripped from the end of
/// a Hangul word so "단계는", "단계가" and "단계" meet.
const KOREAN_SUFFIXES: &[&str] = &[
    "이었습니까",
    "이에여",
    "예여",
    "에여",
    "이여",
    "입니까",
    "인가요",
    "이에요",
    "이예요",
    "이라는",
    "이라고",
    "이었나",
    // The copula's past ("언제였어", "누구였지"): what is asked about
    // stands before it.
    "이었어",
    "이었지",
    "이었냐",
    "에게서",
    "한테서",
    "에서는",
    "에서도",
    "으로는",
    "에게는",
    "적으로",
    "하였다",
    "했나요",
    "합니다",
    "습니까",
    "했어요",
    "해야",
    // Verbs made of a noun and 하다, and their nominalised forms
    // ("심각하다", "성공한거"): the noun is the topic. ("는거" follows a
    // verb's own stem, "나오는거": a predicate, see `PREDICATE_ENDINGS`.)
    "하다",
    "한거",
    "하는",
    "하고",
    "하기",
    "하여",
    "해서",
    "하면",
    "한다",
    "했다",
    "했어",
    "하게",
    "하지",
    "되는",
    "되어",
    "됐어",
    "된다",
    "적인",
    "이란",
    "이랑",
    "라는",
    "라고",
    "에서",
    "에선",
    "에게",
    "한테",
    "께서",
    "에도",
    "으로",
    "까지",
    "부터",
    "처럼",
    "보다",
    "이나",
    "이야",
    "였어",
    "였지",
    "였나",
    "였냐",
    "였음",
    "였대",
    "예요",
    "에요",
    "나요",
    "가요",
    "이냐",
    "이래",
    "하대",
    "인지",
    "인데",
    "는데",
    "들은",
    "들이",
    "들을",
    "들의",
    "에는",
    "한",
    "할",
    "함",
    // Informal endings of chat: "누구임", "뭐래", "필요하대".
    "임",
    "래",
    "대",
    "된",
    "적",
    "란",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "께",
    "로",
    "와",
    "과",
    "도",
    "만",
    "나",
    "랑",
    "야",
    "요",
    "냐",
    "들",
    "엔",
    "아",
];

/// Strips up to three particles or endings, never leaving less than two
/// syllables (a bare one-syllable stem matches too much to be useful),
/// except for a one-syllable noun before a case particle of the form its
/// last sound takes ("팀은", "글이", "차를"; see [`case_particle_fits`]).
pub fn strip_korean(word: &str) -> &str {
    strip_korean_to(word, 2)
}

/// [`strip_korean`] down to `min` syllables: one syllable is right when
/// looking a word up in a list ("봇이에요" is "봇").
pub fn strip_korean_to(word: &str, min: usize) -> &str {
    let mut w = word;
    for _ in 0..3 {
        let Some(candidates) = w
            .chars()
            .next_back()
            .and_then(|last| SUFFIXES_BY_LAST.get(&last))
        else {
            break;
        };
        let stripped = candidates.iter().find_map(|suffix| {
            w.strip_suffix(suffix).filter(|stem| {
                let syllables = stem.chars().count();
                syllables >= min || (syllables == 1 && case_particle_fits(stem, suffix))
            })
        });
        match stripped {
            Some(stem) => w = stem,
            None => break,
        }
    }
    w
}

/// True when `particle` is a case particle in the form that follows `stem`'s
/// last sound: 은, 이, 을, 과 after a final consonant ("팀은", "글이"), 는,
/// 가, 를, 와 after a vowel ("차는", "나라가"). Only then is a two-syllable
/// word a one-syllable noun and its particle: in "가을", "나이" or "국가"
/// the second syllable is the wrong form for a particle, so it is part of
/// the word.
fn case_particle_fits(stem: &str, particle: &str) -> bool {
    let Some(last) = stem.chars().next_back().and_then(Syllable::of) else {
        return false;
    };
    let closed = last.last != 0;
    match particle {
        "은" | "을" | "과" => closed,
        "는" | "가" | "를" | "와" => !closed,
        // The subject particle 이, and the copula in the form it takes
        // after a final consonant ("글이야", "글인가요", "팀이었어").
        _ => closed && particle.starts_with(['이', '인', '입']),
    }
}

/// [`KOREAN_SUFFIXES`] by their last syllable, in list order, so a word
/// is only compared with the suffixes it could end in.
static SUFFIXES_BY_LAST: LazyLock<FxHashMap<char, Vec<&'static str>>> = LazyLock::new(|| {
    let mut map: FxHashMap<char, Vec<&'static str>> = FxHashMap::default();
    for suffix in KOREAN_SUFFIXES {
        if let Some(last) = suffix.chars().next_back() {
            map.entry(last).or_default().push(suffix);
        }
    }
    map
});

/// Korean verb and adjective endings: a word ending in one is a predicate
/// ("나왔다고", "했어요"), which says how something is asked, not about what.
const PREDICATE_ENDINGS: &[&str] = &[
    "다고",
    "었어",
    "았어",
    "였어",
    "했어",
    "햇어",
    "었다",
    "았다",
    "였다",
    "했다",
    "한다",
    "된다",
    "한대",
    "했대",
    "는지",
    "는데",
    "던데",
    "더라",
    "거야",
    "건데",
    "었지",
    "았지",
    "했지",
    "할까",
    "을까",
    "나요",
    "세요",
    "어요",
    "아요",
    "해요",
    "래요",
    "대요",
    "니다",
    "냐고",
    "라고",
    "라는",
    "하는",
    "되는",
    "있는",
    "없는",
    "었던",
    "았던",
    "했던",
    "해줘",
    "주세요",
    "라함",
    "하냐",
    "하니",
    "했나",
    "인가",
    "일까",
    "다며",
    "대며",
    "라며",
    "는거",
    "던거",
    "길래",
];

/// True for a Korean word that looks like a predicate, by its ending, or
/// by a syllable closed by ㅆ ("해줬길", "썼냐"): in Korean that final
/// marks a verb's past tense or 있다/없다's stem, never a noun.
pub fn is_predicate(word: &str) -> bool {
    PREDICATE_ENDINGS.iter().any(|e| word.ends_with(e)) || word.chars().any(closed_by_ssang_siot)
}

/// True for a Hangul syllable whose final consonant is ㅆ.
fn closed_by_ssang_siot(c: char) -> bool {
    Syllable::of(c).is_some_and(|s| s.last == Syllable::SSANG_SIOT)
}

/// A Hangul syllable block by its parts, each an index into Unicode's
/// tables: the initial consonant (of 19), the vowel (of 21), the final
/// consonant (of 28, 0 for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Syllable {
    pub initial: u32,
    pub vowel: u32,
    pub last: u32,
}

impl Syllable {
    const FIRST: u32 = 0xAC00;
    const VOWELS: u32 = 21;
    const FINALS: u32 = 28;
    /// Finals: ㄴ, ㄹ, ㅆ.
    pub const NIEUN: u32 = 4;
    pub const RIEUL: u32 = 8;
    pub const SSANG_SIOT: u32 = 20;

    /// The parts of a Hangul syllable block; `None` for any other character.
    pub fn of(c: char) -> Option<Syllable> {
        let index = (c as u32).checked_sub(Self::FIRST)?;
        (c <= '\u{D7A3}').then_some(Syllable {
            initial: index / Self::FINALS / Self::VOWELS,
            vowel: index / Self::FINALS % Self::VOWELS,
            last: index % Self::FINALS,
        })
    }

    /// The syllable block of these parts.
    pub fn to_char(self) -> Option<char> {
        char::from_u32(
            Self::FIRST + (self.initial * Self::VOWELS + self.vowel) * Self::FINALS + self.last,
        )
    }
}

/// Hangul syllables decomposed into jamo (Unicode NFD), so one wrong letter
/// inside a syllable costs one edit, not a whole syllable.
pub fn jamo(word: &str) -> Vec<char> {
    word.nfd().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(&fold(s)).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn proper_names_are_capitalised_inside_a_sentence() {
        let passages = [
            "First, we must act. Its CEO, Liang Wenfeng, hired Alibaba's staff.".to_owned(),
            "Korea is short of talent.".to_owned(),
        ];
        let mut got: Vec<String> = proper_names(&passages).into_iter().collect();
        got.sort();
        assert_eq!(got, ["alibaba", "ceo", "liang", "wenfeng"]);
    }

    #[test]
    fn phrases_are_found_as_whole_word_runs() {
        let list = PhraseList::new("state of\nin terms of\nbest\n");
        let words = [
            "the", "state", "of", "it", "in", "terms", "of", "best", "state",
        ];
        let spans: Vec<(usize, usize)> = list.spans(&words).collect();
        assert_eq!(spans, [(1, 2), (4, 3), (7, 1)]);
        assert_eq!(list.spans(&["state"]).count(), 0);
    }

    #[test]
    fn tokenize_table() {
        let cases: &[(&str, &[&str])] = &[
            ("What is Step 2?", &["what", "is", "step", "2"]),
            ("2단계가 뭐야", &["2", "단계가", "뭐야"]),
            ("China’s AI", &["china", "ai"]),
            ("R&D budget", &["r&d", "budget"]),
            ("20% free time", &["20", "percent", "free", "time"]),
            ("@qabot who wrote this", &["who", "wrote", "this"]),
            ("see https://example.org/x now", &["see", "now"]),
            ("ＳＴＥＭ", &["stem"]),
            ("what's the US doing", &["what", "the", "usa", "doing"]),
            (
                "does the U.S. have it",
                &["does", "the", "usa", "have", "it"],
            ),
            ("tell us", &["tell", "us"]),
            ("don't", &["don't"]),
            ("top-down", &["top", "down"]),
            ("tl;dr pls", &["tldr", "pls"]),
            ("end; then", &["end", "then"]),
            ("wht does step3 say", &["wht", "does", "step", "3", "say"]),
            ("the 3steps", &["the", "3", "steps"]),
            ("20percent", &["20", "percent"]),
            (
                "the 3rd one, the 21st",
                &["the", "3rd", "one", "the", "21st"],
            ),
            ("3단계", &["3", "단계"]),
            ("KIST에서 일해", &["kist", "일해"]),
            ("DeepSeek의 CEO", &["deepseek", "ceo"]),
            ("20%는", &["20", "percent"]),
            ("AI 가 뭐야", &["ai", "가", "뭐야"]),
            ("AI기술", &["ai", "기술"]),
            ("1985년", &["1985", "년"]),
            (
                "deepseek r1 or a 3d model",
                &["deepseek", "r1", "or", "a", "3d", "model"],
            ),
            ("", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(texts(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn clauses_table() {
        let cases: &[(&str, &[&str])] = &[
            ("what is step 2", &["what is step 2"]),
            ("lol. what is step 2?", &["lol", " what is step 2"]),
            (
                "ok real question tho - why china",
                &["ok real question tho ", " why china"],
            ),
            ("top-down management", &["top-down management"]),
            ("deepseek, stock price?", &["deepseek, stock price"]),
            ("3.5 percent", &["3.5 percent"]),
            (
                "omg 🙄 ok fine what are the 3 steps",
                &["omg ", " ok fine what are the 3 steps"],
            ),
            // Hangul letters alone laugh or cry, as emoji do.
            (
                "경력 없으면 안 뽑아줌 ㅠㅠ @bot does he criticize that?",
                &["경력 없으면 안 뽑아줌 ", " @bot does he criticize that"],
            ),
            ("ㅋㅋ 3단계 뭐임", &[" 3단계 뭐임"]),
            ("", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(clauses(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn what_follows_a_clause_is_found_by_its_address() {
        // The same words twice: each clause is told apart by where it is.
        let message = "why? why!";
        let found = clauses(message);
        let after: Vec<_> = found.iter().map(|c| after_clause(message, c)).collect();
        assert_eq!(after, [Some("? why!"), Some("!")]);
        // A string that is not a slice of the message has no place in it.
        assert_eq!(after_clause(message, "why"), None);
    }

    #[test]
    fn strip_korean_table() {
        let cases = [
            ("단계는", "단계"),
            ("단계", "단계"),
            ("과학자들에게는", "과학자"),
            ("창업자는", "창업자"),
            ("용인하는", "용인"),
            ("예산이", "예산"),
            ("왜", "왜"),
            ("문화", "문화"),
            // Informal chat endings.
            ("누구임", "누구"),
            ("필요하대", "필요"),
            ("저자래", "저자"),
            ("인재라고", "인재"),
            // Never below two syllables: "시대" and "모임" are words.
            ("시대", "시대"),
            ("모임", "모임"),
            // Particles of persons and places, alone or stacked.
            ("인재한테", "인재"),
            ("연구자에게서", "연구자"),
            ("과학자께서", "과학자"),
            ("칼럼에선", "칼럼"),
            ("칼럼에서도", "칼럼"),
            ("중국에도", "중국"),
            // A noun made a verb with 하다, and nominalised.
            ("심각하다", "심각"),
            ("부족하다는", "부족"),
            ("성공한거래", "성공"),
            // The copula's past.
            ("언제였어", "언제"),
            ("출판사였지", "출판사"),
            ("학생이었어", "학생"),
            // A one-syllable stem keeps its ending: "깎였어" is a verb.
            ("깎였어", "깎였어"),
            // A one-syllable noun loses a case particle of the form its
            // last sound takes, stacked after another ending or not …
            ("팀은", "팀"),
            ("글이야", "글"),
            ("차를", "차"),
            ("돈과", "돈"),
            ("글인가요", "글"),
            ("팀이었어", "팀"),
            // … and a second syllable of the wrong form is the word's own.
            ("가을", "가을"),
            ("나이", "나이"),
            ("국가", "국가"),
            ("마을", "마을"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_korean(input), want, "input {input:?}");
        }
    }

    #[test]
    fn predicate_table() {
        let cases = [
            ("나왔다고", true),
            // A syllable closed by ㅆ is a verb's, wherever it stands.
            ("해줬길", true),
            ("썼냐", true),
            ("있었던", true),
            // A verb's own stem nominalised.
            ("나오는거", true),
            ("정책", false),
            ("연구비", false),
            // ㅆ opening a syllable is no final.
            ("쏠림", false),
        ];
        for (word, want) in cases {
            assert_eq!(is_predicate(word), want, "word {word:?}");
        }
    }

    #[test]
    fn jamo_splits_syllables() {
        assert_eq!(jamo("한").len(), 3);
        assert!(has_hangul("abc 한"));
        assert!(!has_hangul("abc"));
    }
}
