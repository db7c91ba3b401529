//! What kind of fact a question asks for, and whether a passage has one.
//!
//! A question about a thing the column names, asking for a fact the column
//! does not give ("which president cut the R&D budget", "in which years was
//! he president of KIST", "what percentage of students choose medicine",
//! "how much did they spend"),
//! matches the entry about that thing well, yet its passage cannot answer
//! it. Classifying the question's answer type and checking that the passage
//! holds something of that type — a year, a percentage, a name that the
//! question does not already contain — lets the matcher hold such an answer
//! back. General logic: no word of the column is listed here.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use super::text::{has_hangul, strip_korean_to, word_list};

/// The kind of fact a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerType {
    /// A date, year or hour: "when", "in which years", "what time", "언제",
    /// "몇 년도".
    Date,
    /// An age: "how old", "몇 살", "나이". A year answers it only as a
    /// year of birth ("born in 1985").
    Age,
    /// A share: "what percentage", "what proportion", "몇 퍼센트", "비율".
    Percent,
    /// A name of a person, organisation or country: "who cut it", "which
    /// company".
    Name,
    /// A person's name: "which player", "which minister", "who did AlphaGo
    /// beat?". A product's or a firm's name ("ChatGPT", "DeepSeek") does
    /// not answer it; a person's does ("Liang Wenfeng").
    Person,
    /// A quantity or a sum: "how much", "얼마", "what is his salary".
    Amount,
    /// Whether something was done since: "has the government adopted any
    /// of these yet?", "정부가 도입했어?". No passage holds that.
    Uptake,
    /// Who made, founded or runs a thing: "who built AlphaGo?", "which
    /// company developed it?". A name answers only in a passage that says
    /// who made something.
    Maker,
    /// What an acronym stands for: "what does KIST stand for?", "STEM이
    /// 뭐의 약자야?". Only a passage that spells out an acronym the question
    /// names answers it.
    Expansion,
}

static NAME_NOUNS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/name_nouns.txt")));
static PERSON_NOUNS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/person_nouns.txt")));
static MONEY_NOUNS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/money_nouns.txt")));
static UPTAKE_VERBS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/uptake_verbs.txt")));
static MAKER_VERBS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/maker_verbs.txt")));
static MAKER_CUES: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/maker_cues.txt")));
static MAKER_NOUNS_KO: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/maker_nouns_ko.txt")));
static AMOUNT_VERBS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/amount_verbs.txt")));
/// The lists' Korean entries, which count as a word's stem.
static UPTAKE_STEMS: LazyLock<Vec<String>> = LazyLock::new(|| korean(&UPTAKE_VERBS));
static MAKER_STEMS: LazyLock<Vec<String>> = LazyLock::new(|| korean(&MAKER_VERBS));

fn korean(list: &HashSet<String>) -> Vec<String> {
    list.iter().filter(|w| has_hangul(w)).cloned().collect()
}

/// Whether `word` (folded; a Korean word without its particles) is what
/// asks for an answer of this type rather than what the answer is about:
/// "percentage" in "what percentage was cut", "연도" in "몇 연도야".
pub fn is_cue(asked: AnswerType, word: &str) -> bool {
    match asked {
        AnswerType::Percent => PERCENT_NOUNS.contains(&word) || is_korean_percent(word),
        AnswerType::Date => DATE_NOUNS.contains(&word) || is_korean_year(word),
        // "which companies does he name?", "what's the name of …": the
        // word for a name says a name is wanted, not what of.
        AnswerType::Name | AnswerType::Person => {
            NAME_CUES.contains(&word) || word.starts_with("이름") || word.starts_with("명칭")
        }
        _ => false,
    }
}

/// Words for a name and for naming, which ask for one.
const NAME_CUES: &[&str] = &["name", "names", "named", "naming", "called"];

/// Whether `word` only says what kind of fact is asked: a cue word
/// ([`is_cue`]), or a word of an age or a birth ("how old", "born"). A
/// question of nothing else asks that fact of whoever it points at.
pub fn says_only_what_is_asked(asked: AnswerType, word: &str) -> bool {
    is_cue(asked, word)
        || match asked {
            AnswerType::Age => AGE_WORDS.contains(&word),
            AnswerType::Date => matches!(word, "when" | "born"),
            _ => false,
        }
}

/// Words of an age and a birth.
const AGE_WORDS: &[&str] = &["old", "age", "aged", "born"];

/// Nouns that, after "what" or "which", ask for a share.
const PERCENT_NOUNS: &[&str] = &["percentage", "percent", "proportion", "share", "ratio"];

/// Nouns that, after "what" or "which", ask for a date.
const DATE_NOUNS: &[&str] = &["year", "years", "date", "dates", "month", "decade"];

/// A Korean word for a share: 퍼센트, 비율.
fn is_korean_percent(word: &str) -> bool {
    word.starts_with("퍼센트") || word.starts_with("비율")
}

/// A Korean word for a year: 연도, 몇년도.
fn is_korean_year(word: &str) -> bool {
    word.contains("년도") || word.starts_with("연도")
}

/// Words that make "what does … stand for?" ask what someone stands for,
/// not an acronym.
const STANDING_FOR: &[&str] = &[
    "he",
    "she",
    "they",
    "you",
    "we",
    "author",
    "writer",
    "columnist",
    "government",
    "party",
];

/// Whether the question asks what an acronym stands for: "stand(s) for"
/// about no person, "short for", "acronym", "abbreviation", "full form";
/// in Korean 약자, 약어, 줄임말.
fn asks_expansion(words: &[String]) -> bool {
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    let about_someone = words.iter().any(|w| STANDING_FOR.contains(&w.as_str()));
    (0..words.len()).any(|i| match (w(i), w(i + 1)) {
        ("stand" | "stands", "for") => !about_someone,
        ("short", "for") | ("full", "form") => true,
        (a, _) => {
            matches!(a, "acronym" | "abbreviation" | "abbreviated")
                || a.starts_with("약자")
                || a.starts_with("약어")
                || a.starts_with("줄임말")
        }
    })
}

/// Whether a Korean word after "몇" asks for a year: "몇 년이었지?", "몇
/// 년에", not a count of years ("몇 년 동안", "몇 년이나", "몇 년간").
/// "경력 몇 년이래?" and "몇 년이야?" may ask either, and are left alone.
fn is_year_after_how_many(word: &str) -> bool {
    const YEAR_ASKED: &[&str] = &["에", "이었", "였"];
    word.strip_prefix('년')
        .is_some_and(|rest| YEAR_ASKED.iter().any(|p| rest.starts_with(p)))
}

/// Whether a Korean word after "몇" asks for an hour ("몇 시야?", "몇시에"),
/// not a count of hours ("몇 시간").
fn is_hour(word: &str) -> bool {
    word.starts_with('시') && !word.starts_with("시간")
}

/// Whether a question asking for a name asks who made or runs something.
fn asks_maker(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| MAKER_VERBS.contains(w.as_str()) || is_korean_maker_verb(w))
}

/// Whether a Korean word is a form of a maker verb ("만든", "개발한").
fn is_korean_maker_verb(word: &str) -> bool {
    has_hangul(word)
        && MAKER_STEMS
            .iter()
            .any(|stem| word.starts_with(stem.as_str()))
}

/// Whether a Korean maker verb's modifier form is followed by a noun for
/// who made something: "알파고 만든 회사는?" asks for a maker with no
/// question word.
fn names_maker_ko(words: &[String]) -> bool {
    words.windows(2).any(|pair| {
        is_korean_maker_verb(&pair[0])
            && (MAKER_NOUNS_KO.contains(pair[1].as_str())
                || MAKER_NOUNS_KO.contains(strip_korean_to(&pair[1], 1)))
    })
}

/// Whether the question asks if something was done since: an uptake verb
/// beside "yet", or after "has", "have" or "did" with "any" before it or a
/// word pointing back after it ("did korea implement it?"); in Korean, an
/// uptake stem with a past ending, or a past modifier before what was done
/// ("시행된 사례").
fn asks_uptake(words: &[String]) -> bool {
    let auxiliary = words
        .iter()
        .position(|w| matches!(w.as_str(), "has" | "have" | "did"));
    let yet = words
        .iter()
        .any(|w| matches!(w.as_str(), "yet" | "later" | "afterwards" | "afterward"));
    // "did any korean institute try that?": a thing done anywhere since;
    // "did the team try lots of things?" tells what the text tells.
    let any = words.iter().any(|w| w == "any");
    let pointed = |i: usize| {
        words[i + 1..].iter().any(|w| {
            matches!(
                w.as_str(),
                "it" | "that" | "this" | "these" | "those" | "them"
            )
        })
    };
    let english = words.iter().enumerate().any(|(i, w)| {
        UPTAKE_VERBS.contains(w.as_str())
            && (yet || auxiliary.is_some_and(|a| a < i) && (any || pointed(i)))
    });
    let korean = words.iter().filter(|w| has_hangul(w)).any(|w| {
        UPTAKE_STEMS.iter().any(|stem| {
            w.strip_prefix(stem.as_str())
                .is_some_and(|end| end.starts_with(['했', '됐', '한', '된']))
        })
    });
    english || korean
}

/// The answer type a question's words (folded) ask for, if one of these.
pub fn asked(words: &[String]) -> Option<AnswerType> {
    if asks_uptake(words) {
        return Some(AnswerType::Uptake);
    }
    if asks_expansion(words) {
        return Some(AnswerType::Expansion);
    }
    if names_maker_ko(words) {
        return Some(AnswerType::Maker);
    }
    match kind_asked(words) {
        Some(AnswerType::Name | AnswerType::Person) if asks_maker(words) => Some(AnswerType::Maker),
        asked => asked,
    }
}

/// The answer type `asked` reads from the question words, before telling a
/// maker apart.
fn kind_asked(words: &[String]) -> Option<AnswerType> {
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    for i in 0..words.len() {
        let (a, b) = (w(i), w(i + 1));
        match (a, b) {
            ("what" | "which", noun) if PERCENT_NOUNS.contains(&noun) => {
                return Some(AnswerType::Percent);
            }
            ("what" | "which", noun) if DATE_NOUNS.contains(&noun) => {
                return Some(AnswerType::Date);
            }
            // "what time is it?", "what time does the subway stop?": a
            // point in time ("how much free time" is an amount).
            ("what", "time") => return Some(AnswerType::Date),
            ("몇", next) if is_hour(next) || is_year_after_how_many(next) => {
                return Some(AnswerType::Date);
            }
            ("since", "when") => return Some(AnswerType::Date),
            // "how old is he?", "몇 살이야?", "나이는?".
            ("how", "old") => return Some(AnswerType::Age),
            ("몇", next) if next.starts_with('살') => return Some(AnswerType::Age),
            // "how big were the cuts?": a size, in figures; "how much did
            // that hurt?" asks how far, in words.
            ("how", "much") if asks_degree(&words[i + 2..]) => {}
            ("how", "much" | "big" | "large") => return Some(AnswerType::Amount),
            ("which" | "what", noun) if PERSON_NOUNS.contains(noun) => {
                return Some(AnswerType::Person);
            }
            ("which" | "what", noun) if NAME_NOUNS.contains(noun) => {
                return Some(AnswerType::Name);
            }
            // "which Korean minister…": one word may describe the noun.
            ("which", _) if PERSON_NOUNS.contains(w(i + 2)) => return Some(AnswerType::Person),
            ("which", _) if NAME_NOUNS.contains(w(i + 2)) => return Some(AnswerType::Name),
            // …or two ("which professional Go player"), neither a stop
            // word ("which step do researchers …" asks a step).
            ("which", _)
                if PERSON_NOUNS.contains(w(i + 3))
                    && !super::lexicon::is_stop(b)
                    && !super::lexicon::is_stop(w(i + 2)) =>
            {
                return Some(AnswerType::Person);
            }
            _ => {}
        }
        // "did the cuts happen in 2024?": a year to find in the passage
        // (a decade, "the 2000s", is a time, not a fact to check).
        if is_year(a)
            || (a == "when" && asks_when(words, i))
            || a.starts_with("언제")
            || is_korean_year(a)
        {
            return Some(AnswerType::Date);
        }
        if a.strip_prefix("몇")
            .is_some_and(|rest| is_hour(rest) || is_year_after_how_many(rest))
        {
            return Some(AnswerType::Date);
        }
        // "연세" is the honorific "나이"; "연세대" a university.
        let honorific_age = a.starts_with("연세") && !a.starts_with("연세대");
        if a.starts_with("나이") || a.starts_with("몇살") || honorific_age || a.starts_with("연령")
        {
            return Some(AnswerType::Age);
        }
        // "what's his age?"; "the age of AI" is an era.
        if a == "age" && i > 0 && matches!(w(i - 1), "his" | "her" | "their" | "your") {
            return Some(AnswerType::Age);
        }
        // "what's the name of …", "CEO 이름이 뭐야?".
        let noun =
            b == "of" || (i > 0 && matches!(w(i - 1), "the" | "his" | "her" | "its" | "their"));
        if (a == "name" && noun) || a.starts_with("이름") || a.starts_with("명칭") {
            return Some(AnswerType::Name);
        }
        if a == "percentage" || is_korean_percent(a) {
            return Some(AnswerType::Percent);
        }
        // "얼마야", "얼마였지" ask a sum; "얼마나" asks how far or how much
        // of anything ("얼마나 중요해").
        let sum = a.starts_with("얼마") && !a.starts_with("얼마나");
        if sum || MONEY_NOUNS.contains(a) || MONEY_NOUNS.contains(strip_korean_to(a, 2)) {
            return Some(AnswerType::Amount);
        }
        // "Who is X" asks what X is, which a passage about X answers;
        // "who wrote it", "who cut it" ask for a name. So in Korean: "누가
        // 깎았어" asks a name, "그 사람 누구야" what he is.
        let describes = matches!(b, "is" | "was" | "are" | "were" | "s");
        // "who is the deepseek guy?", "who was the ceo they hired?": what
        // the one described is, a person.
        if a == "who"
            && describes
            && w(i + 2) == "the"
            && (i + 3..=i + 5).any(|j| PERSON_NOUNS.contains(w(j)))
        {
            return Some(AnswerType::Person);
        }
        // "who did AlphaGo beat?", "whom did he hire?", "누구를 이겼어":
        // the one a thing was done to, a person; "who cut it?" may be an
        // organisation.
        let whom_ko = a.starts_with("누구를") || a.starts_with("누굴");
        if (matches!(a, "who" | "whom" | "whose") && !describes && asks_who(words, i))
            || a.starts_with("누가")
            || whom_ko
        {
            let done_to = a == "whom" || matches!(b, "did" | "does" | "do") || whom_ko;
            return Some(if done_to {
                AnswerType::Person
            } else {
                AnswerType::Name
            });
        }
    }
    None
}

/// Whether the "when" at `at` asks for a time: "when was he born?",
/// "since when?", "do you know when he started?", not the "when" that joins
/// a clause ("what did they do when experiments failed?", "when it comes
/// to hiring, …").
pub(super) fn asks_when(words: &[String], at: usize) -> bool {
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    let after = w(at + 1);
    if after == "it" && w(at + 2) == "comes" {
        return false;
    }
    let before = at.checked_sub(1).map_or("", w);
    at == 0
        || after.is_empty()
        || AUXILIARIES.contains(&after)
        || matches!(
            before,
            "and" | "so" | "but" | "then" | "since" | "until" | "till" | "exactly"
        )
        || ASKING_VERBS.contains(&before)
}

/// Whether the "who" at `at` asks for a person: "who cut the budget?",
/// "wait, who wrote it?", "do you know who built it?", not the "who" after
/// a word it describes ("researchers who try risky ideas"): only a word
/// that says nothing of the topic may stand before it.
fn asks_who(words: &[String], at: usize) -> bool {
    at.checked_sub(1).is_none_or(|i| {
        super::lexicon::is_stop(&words[i]) || ASKING_VERBS.contains(&words[i].as_str())
    })
}

/// Verbs that may follow "when" in a question: "when was he born?".
const AUXILIARIES: &[&str] = &[
    "is", "was", "are", "were", "did", "does", "do", "will", "would", "has", "have", "had", "can",
    "could", "should", "'s", "s",
];

/// Words before a "when" that asks: "do you know when", "tell me when".
const ASKING_VERBS: &[&str] = &[
    "know", "tell", "me", "say", "says", "said", "mention", "mentions", "remember", "wonder",
    "idea", "ask", "asks", "asking", "sure", "explain",
];

/// Whether the words after "how much" ask how far, not how many: an
/// auxiliary, then no verb of money or quantity ("how much did that hurt
/// researchers?", against "how much did they cut?", "how much is it?").
pub(super) fn asks_degree(after: &[String]) -> bool {
    after.first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "do" | "does" | "did" | "will" | "would" | "can" | "could" | "should" | "might"
        )
    }) && !after.iter().any(|w| AMOUNT_VERBS.contains(w.as_str()))
}

/// Whether `word` is a year of the last two centuries: "1985", "2024".
fn is_year(word: &str) -> bool {
    word.len() == 4
        && word.chars().all(|c| c.is_ascii_digit())
        && (word.starts_with("19") || word.starts_with("20"))
}

impl AnswerType {
    /// What one sentence of a passage must hold to answer this type: a
    /// maker's name may stand in a sentence of its own ("Yoon Seok Jin"),
    /// apart from the one saying who made what ("The author is …").
    pub fn in_a_sentence(self) -> AnswerType {
        match self {
            AnswerType::Maker => AnswerType::Name,
            other => other,
        }
    }
}

/// Words that make a figure a sum of money ("$2 billion", "5조 원").
const MONEY_UNITS: &[&str] = &[
    "won", "dollar", "dollars", "yuan", "yen", "euro", "euros", "million", "billion", "trillion",
    "원", "달러", "억", "조",
];

/// The facts a passage holds, by type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provided {
    date: bool,
    /// A year of birth: a year within a few words after "born" or
    /// "birth" ("born in 1985").
    birth: bool,
    percent: bool,
    /// A sum of money: a currency sign, or a figure with a unit of money.
    money: bool,
    /// It says who made, founded, runs or wrote something.
    maker: bool,
    /// Names in the passage, each as its folded words: runs of capitalised
    /// words not opening a sentence, and words with a capital inside
    /// ("DeepSeek").
    names: Vec<Vec<String>>,
    /// Single capitalised words listed together ("Baidu and Alibaba"),
    /// folded: names, though of what kind a list does not say.
    listed: Vec<String>,
    /// The names shaped as a person's: two or more words, each a capital
    /// then small letters ("Liang Wenfeng"), not a brand's inner capital
    /// ("DeepSeek") nor an acronym ("AI"). A firm's name of that shape
    /// passes too: the shape is all a passage tells.
    people: Vec<Vec<String>>,
    /// Acronyms it spells out, folded ("kist").
    spelled_out: Vec<String>,
}

/// Nouns that ask for a country's name. A listed name may be a company's
/// ("Baidu and Alibaba"), so only a name of two or more words answers them.
const COUNTRY_NOUNS: &[&str] = &["country", "countries", "nation", "nations", "나라", "국가"];

/// How many words a year of birth may follow "born" by: "born in 1985",
/// "born on 3 May 1985".
const BIRTH_YEAR_WITHIN: usize = 4;

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Provided {
    pub fn of(passages: &[String]) -> Provided {
        let mut out = Provided::default();
        for p in passages {
            let words: Vec<&str> = p
                .split(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | '/' | '(' | ')'))
                .filter(|w| !w.is_empty())
                .collect();
            out.push_listed(&words);
            for acronym in super::acronym::spelled_out(&words) {
                if !out.spelled_out.contains(&acronym) {
                    out.spelled_out.push(acronym);
                }
            }
            let mut run: Vec<String> = Vec::new();
            // The words shaped as a person's name ending at this one, up
            // to a comma ("its CEO, Liang Wenfeng, born …").
            let mut person: Vec<String> = Vec::new();
            let mut opens = true;
            let mut previous = String::new();
            // Words since the last "born" or "birth", if it was near.
            let mut since_birth: Option<usize> = None;
            for raw in &words {
                let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
                // "2016", and decades: "1990s".
                let year = is_year(word.strip_suffix('s').unwrap_or(word));
                out.date |= year || MONTHS.contains(&word);
                out.birth |= year && since_birth.is_some_and(|n| n <= BIRTH_YEAR_WITHIN);
                let lower = word.to_lowercase();
                // "Born in 1985, he ..." opens a sentence with a capital.
                since_birth = if lower.starts_with("born") || lower.starts_with("birth") {
                    Some(0)
                } else {
                    since_birth.map(|n| n + 1)
                };
                out.percent |= raw.contains('%') || lower == "percent";
                out.maker |= MAKER_CUES.contains(lower.as_str())
                    || (lower == "by" && previous.ends_with("ed"));
                previous = lower.clone();
                out.money |= raw.contains(['$', '₩', '€', '£', '¥'])
                    || MONEY_UNITS.contains(&lower.as_str())
                    || MONEY_UNITS.iter().any(|u| {
                        has_hangul(u)
                            && lower.ends_with(u)
                            && lower.starts_with(|c: char| c.is_ascii_digit())
                    });
                let capital = word.chars().next().is_some_and(char::is_uppercase);
                let inner = word.chars().skip(1).any(char::is_uppercase)
                    && word.chars().any(char::is_lowercase);
                if capital && (!opens || inner) {
                    run.push(word.to_lowercase());
                } else {
                    out.push_name(std::mem::take(&mut run));
                }
                // A sentence may open with a name ("Yoon Seok Jin is …"),
                // not with a stop word ("The Korean …").
                let person_shaped = capital
                    && word.chars().skip(1).all(char::is_lowercase)
                    && word.chars().count() > 1
                    && !super::lexicon::is_stop(&lower);
                if person_shaped {
                    person.push(lower.clone());
                }
                if !person_shaped || raw.ends_with([',', ';', '.', '?', '!', ':']) {
                    out.push_person(std::mem::take(&mut person));
                }
                if inner && !out.names.contains(&vec![word.to_lowercase()]) {
                    out.names.push(vec![word.to_lowercase()]);
                }
                opens = raw.ends_with(['.', '?', '!', ':', '“', '"']);
            }
            out.push_name(run);
            out.push_person(person);
        }
        out
    }

    /// Keeps a run of words shaped as a person's name when it has two or
    /// more: one alone is as often a place or a firm ("Korea", "Baidu").
    fn push_person(&mut self, run: Vec<String>) {
        if run.len() >= 2 && !self.people.contains(&run) {
            self.people.push(run);
        }
    }

    /// Keeps two single capitalised words joined by "and" or "or", neither
    /// opening a sentence nor written all in capitals ("AI"): "Baidu and
    /// Alibaba".
    fn push_listed(&mut self, words: &[&str]) {
        let bare = |raw: &str| raw.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
        // Each word read once: capitalised, and not opening a sentence.
        let capital: Vec<bool> = (0..words.len())
            .map(|i| {
                let word = bare(words[i]);
                let opens = i == 0 || words[i - 1].ends_with(['.', '?', '!', ':', '“', '"']);
                word.chars().next().is_some_and(char::is_uppercase)
                    && word.chars().any(char::is_lowercase)
                    && !opens
            })
            .collect();
        // One capitalised word between words that are not.
        let single = |i: usize| {
            i < words.len()
                && capital[i]
                && (i == 0 || !capital[i - 1])
                && (i + 1 >= words.len() || !capital[i + 1])
        };
        for i in 0..words.len() {
            let joined = words.get(i + 1).is_some_and(|w| matches!(*w, "and" | "or"));
            if single(i) && joined && single(i + 2) {
                for name in [
                    bare(words[i]).to_lowercase(),
                    bare(words[i + 2]).to_lowercase(),
                ] {
                    if !self.listed.contains(&name) {
                        self.listed.push(name);
                    }
                }
            }
        }
    }

    /// Keeps a run of capitalised words as a name when it has two or more:
    /// one capitalised word alone is as often not a name ("We", "Korea's").
    fn push_name(&mut self, run: Vec<String>) {
        if run.len() >= 2 && !self.names.contains(&run) {
            self.names.push(run);
        }
    }

    /// Whether the passage has a name (of two or more words, or with a
    /// capital inside) that the question does not already contain.
    fn has_name_beyond(&self, question: &[String]) -> bool {
        any_beyond(&self.names, question)
    }

    /// Whether the passage can answer a question of this type, whose
    /// words (folded) are `question`: a name must be one the question does
    /// not already contain.
    pub fn answers(&self, asked: AnswerType, question: &[String]) -> bool {
        match asked {
            AnswerType::Date => self.date,
            AnswerType::Age => self.birth,
            AnswerType::Percent => self.percent,
            // "How much free time?" is answered by a share too.
            AnswerType::Amount => self.money || self.percent,
            AnswerType::Name => {
                let country = question.iter().any(|w| COUNTRY_NOUNS.contains(&w.as_str()));
                self.has_name_beyond(question)
                    || (!country && self.listed.iter().any(|w| !question.contains(w)))
            }
            AnswerType::Person => any_beyond(&self.people, question),
            // A text says what should be done, not what came of it.
            AnswerType::Uptake => false,
            // A list of names does not say who made what.
            AnswerType::Maker => self.maker && self.has_name_beyond(question),
            AnswerType::Expansion => self.spelled_out.iter().any(|a| question.contains(a)),
        }
    }
}

/// Whether one of `names` has a word the question does not contain.
fn any_beyond(names: &[Vec<String>], question: &[String]) -> bool {
    names
        .iter()
        .any(|name| name.iter().any(|w| !question.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_saying_only_what_is_asked() {
        let cases = [
            (AnswerType::Age, "old", true),
            (AnswerType::Date, "when", true),
            (AnswerType::Date, "year", true),
            (AnswerType::Date, "alphago", false),
            (AnswerType::Name, "old", false),
            // "which companies does he name?": naming asks a name.
            (AnswerType::Name, "name", true),
            (AnswerType::Person, "called", true),
            (AnswerType::Name, "이름이", true),
            (AnswerType::Date, "name", false),
        ];
        for (asked, word, want) in cases {
            assert_eq!(
                says_only_what_is_asked(asked, word),
                want,
                "{asked:?} {word}"
            );
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn answer_types_asked() {
        let cases: &[(&str, Option<AnswerType>)] = &[
            ("which president cut the budget", Some(AnswerType::Person)),
            ("which korean minister cut it", Some(AnswerType::Person)),
            // An hour is a point in time; free time is an amount.
            ("what time is it in korea right now", Some(AnswerType::Date)),
            (
                "how much free time do researchers get",
                Some(AnswerType::Amount),
            ),
            ("지금 한국 몇 시야", Some(AnswerType::Date)),
            ("what does kist even stand for", Some(AnswerType::Expansion)),
            ("stem이 뭐의 약자야", Some(AnswerType::Expansion)),
            (
                "what does stem stand for according to the article",
                Some(AnswerType::Expansion),
            ),
            // What a person stands for is no acronym.
            ("what does the author stand for", None),
            ("몇시에 문 닫아", Some(AnswerType::Date)),
            // A person, not a firm or a product.
            (
                "which go player did alphago beat in 2016",
                Some(AnswerType::Person),
            ),
            ("which human champion did it beat", Some(AnswerType::Person)),
            // Two words may describe the person; a verb before the noun
            // ends the noun phrase.
            (
                "which professional go player lost to alphago",
                Some(AnswerType::Person),
            ),
            ("which step do researchers like most", None),
            // The one a thing was done to.
            ("who did alphago defeat", Some(AnswerType::Person)),
            ("whom did he hire", Some(AnswerType::Person)),
            ("which company did it beat", Some(AnswerType::Name)),
            // A person who made it is a maker.
            ("which engineer built it", Some(AnswerType::Maker)),
            // "what" before an adjective asks what the adjective's people do.
            ("what korean researchers need", None),
            ("who wrote this", Some(AnswerType::Maker)),
            ("who built alphago", Some(AnswerType::Maker)),
            ("which company developed alphago", Some(AnswerType::Maker)),
            ("딥시크 누가 만들었어", Some(AnswerType::Maker)),
            // A maker noun after the verb asks without a question word.
            ("알파고 만든 회사는", Some(AnswerType::Maker)),
            ("알파고 개발한 회사는 어디야?", Some(AnswerType::Maker)),
            ("딥시크 세운 사람", Some(AnswerType::Maker)),
            ("딥시크가 만든 검색엔진", None),
            ("who cut the budget", Some(AnswerType::Name)),
            ("who is liang wenfeng", None),
            // "who is the … guy" asks what a person described is.
            ("who is the deepseek guy", Some(AnswerType::Person)),
            ("who is the author", None),
            ("how much did that hurt researchers", None),
            ("when was he born", Some(AnswerType::Date)),
            ("what about researchers who try risky ideas", None),
            ("do you know who built it", Some(AnswerType::Maker)),
            ("and who cut the budget", Some(AnswerType::Name)),
            ("wait who cut the budget", Some(AnswerType::Name)),
            ("and when did it start", Some(AnswerType::Date)),
            ("do you know when he started", Some(AnswerType::Date)),
            ("since when", Some(AnswerType::Date)),
            ("what did deepseek do when stuff failed", None),
            (
                "how should institutes change when it comes to independence",
                None,
            ),
            ("when it comes to hiring what does he say", None),
            ("how much does failure matter to him", None),
            ("how much did they cut", Some(AnswerType::Amount)),
            ("how much does it cost", Some(AnswerType::Amount)),
            (
                "by exactly how much was the budget cut",
                Some(AnswerType::Amount),
            ),
            ("in which years was he president", Some(AnswerType::Date)),
            ("when did it start", Some(AnswerType::Date)),
            (
                "what percentage of students choose medicine",
                Some(AnswerType::Percent),
            ),
            // "누가" asks who did something; "누구야", like "who is", asks
            // what someone is, which a passage about them answers.
            ("누가 깎았어", Some(AnswerType::Name)),
            ("알파고가 누구를 이겼어", Some(AnswerType::Person)),
            ("누굴 뽑았대", Some(AnswerType::Person)),
            ("저자가 누구야", None),
            ("거기 나오는 liang은 누군데", None),
            ("딥시크 창업 몇년도임", Some(AnswerType::Date)),
            // "몇 년" with a copula or 에 asks which year; with 동안,
            // 이나 or 간, how many years.
            ("그게 몇 년이었지", Some(AnswerType::Date)),
            ("알파고 대국 몇년에 했어", Some(AnswerType::Date)),
            ("몇 년 동안 실패했어", None),
            ("몇 년이나 걸렸어", None),
            ("몇년간 성과가 없었어", None),
            ("그 사람 경력 몇 년이래", None),
            // A name asked for as a noun, not the verb.
            (
                "what s the name of deepseek s ai search engine",
                Some(AnswerType::Name),
            ),
            ("딥시크 ceo 이름이 뭐야", Some(AnswerType::Name)),
            ("what root cause does he name in his closing", None),
            // A year to find in the passage; a decade is no such fact.
            ("did the cuts happen in 2024", Some(AnswerType::Date)),
            ("we keep running projects that worked in the 2000s", None),
            // An age, from a year of birth.
            ("how old is he", Some(AnswerType::Age)),
            ("그 사람 몇 살이야", Some(AnswerType::Age)),
            ("나이는", Some(AnswerType::Age)),
            ("그분 연세가 어떻게 되세요", Some(AnswerType::Age)),
            ("연세대 나왔어", None),
            ("what's his age", Some(AnswerType::Age)),
            ("in the age of ai", None),
            ("how old are these ideas", Some(AnswerType::Age)),
            ("what does the column say about failure", None),
            ("which step is about networks", None),
            // Organisations people name: "which conferences?" asks for
            // names a passage about conferences in general cannot give.
            ("which conferences", Some(AnswerType::Name)),
            (
                "which institutes is he talking about",
                Some(AnswerType::Name),
            ),
            ("how much did they spend", Some(AnswerType::Amount)),
            ("how big were they", Some(AnswerType::Amount)),
            ("how large were the cuts", Some(AnswerType::Amount)),
            ("what is his salary", Some(AnswerType::Amount)),
            ("량원펑 재산 얼마야", Some(AnswerType::Amount)),
            ("연봉은", Some(AnswerType::Amount)),
            ("실패가 얼마나 중요해", None),
            ("turning failures into assets", None),
            // Whether something was done since.
            (
                "has the government adopted any of these yet",
                Some(AnswerType::Uptake),
            ),
            ("did korea implement it", Some(AnswerType::Uptake)),
            (
                "were the r&d budget cuts reversed later on",
                Some(AnswerType::Uptake),
            ),
            ("what did the author say later in the column", None),
            ("정부가 이거 도입했어", Some(AnswerType::Uptake)),
            ("시행됐대", Some(AnswerType::Uptake)),
            ("그거 실제로 시행된 사례 있어", Some(AnswerType::Uptake)),
            (
                "did any korean institute actually try that 20% thing",
                Some(AnswerType::Uptake),
            ),
            (
                "has any korean lab actually tried it",
                Some(AnswerType::Uptake),
            ),
            // What the text itself tells of.
            (
                "did the team try lots of different things or bet on a single approach",
                None,
            ),
            // Proposed, not asked whether done.
            ("what should research culture adopt", None),
            ("20% 자유시간 도입하자는 거야", None),
        ];
        for &(q, want) in cases {
            assert_eq!(asked(&words(q)), want, "{q}");
        }
    }

    #[test]
    fn cue_words_table() {
        let cases = [
            (AnswerType::Percent, "percentage", true),
            (AnswerType::Percent, "퍼센트", true),
            (AnswerType::Percent, "tolls", false),
            (AnswerType::Date, "year", true),
            (AnswerType::Date, "연도", true),
            // Only the word of the type asked.
            (AnswerType::Amount, "percentage", false),
        ];
        for (asked, word, want) in cases {
            assert_eq!(is_cue(asked, word), want, "{asked:?} {word}");
        }
    }

    #[test]
    fn passages_provide_types() {
        let p = |s: &str| Provided::of(&[s.to_owned()]);
        let budget = p("The budget was cut sharply. Researchers were confused.");
        let founder = p("Its founder, Liang Wenfeng, hired young people in 2023.");
        let share = p("Give researchers 20% of their time.");
        // (passage, type, question words, answers)
        let cases: &[(&Provided, AnswerType, &str, bool)] = &[
            (
                &budget,
                AnswerType::Name,
                "which president cut the budget",
                false,
            ),
            (&budget, AnswerType::Date, "when was the budget cut", false),
            (&founder, AnswerType::Name, "who founded it", true),
            (&founder, AnswerType::Date, "when did he hire", true),
            // An age needs a year of birth, not any year.
            (&founder, AnswerType::Age, "how old is he", false),
            (
                &p("Its CEO, born in 1985, hired young people."),
                AnswerType::Age,
                "how old is he",
                true,
            ),
            (
                &p("He was born on 3 May 1985."),
                AnswerType::Age,
                "how old",
                true,
            ),
            // A sentence may open with it.
            (
                &p("Born in 1985, he founded a company."),
                AnswerType::Age,
                "how old",
                true,
            ),
            // The question already holds the passage's only name.
            (
                &founder,
                AnswerType::Name,
                "which founder liang wenfeng",
                false,
            ),
            (&share, AnswerType::Percent, "what percentage of time", true),
            (
                &budget,
                AnswerType::Percent,
                "what percentage was cut",
                false,
            ),
            (&budget, AnswerType::Amount, "how much was cut", false),
            (&share, AnswerType::Amount, "how much free time", true),
            (
                &p("It raised $300 million last year."),
                AnswerType::Amount,
                "how much did it raise",
                true,
            ),
            (
                &p("예산이 5조원 줄었다."),
                AnswerType::Amount,
                "얼마나 줄었어",
                true,
            ),
        ];
        for &(provided, asked, q, want) in cases {
            assert_eq!(provided.answers(asked, &words(q)), want, "{q}");
        }
    }

    #[test]
    fn only_a_name_shaped_as_a_persons_answers_a_person() {
        let p = |s: &str| Provided::of(&[s.to_owned()]);
        // (passage, question words, answers)
        let cases: &[(&str, &str, bool)] = &[
            // Products, a game and an acronym: names, none a person's.
            (
                "In 2016, AlphaGo shook the world of Go. Since then, ChatGPT \
                 has grown, and China’s AI chatbot of DeepSeek too.",
                "who did alphago defeat",
                false,
            ),
            // A person's name after a title and a comma.
            (
                "Its CEO, Liang Wenfeng, born in 1985, hired young people.",
                "which ceo hired them",
                true,
            ),
            // Opening the sentence.
            (
                "Yoon Seok Jin is a former president.",
                "which scientist wrote it",
                true,
            ),
            // A stop word opening the sentence is not a first name.
            (
                "The Korean government cut the budget.",
                "which minister cut it",
                false,
            ),
            // The question already holds the only person.
            (
                "Its CEO, Liang Wenfeng, hired young people.",
                "which founder liang wenfeng",
                false,
            ),
        ];
        for &(passage, q, want) in cases {
            assert_eq!(
                p(passage).answers(AnswerType::Person, &words(q)),
                want,
                "{passage} / {q}"
            );
        }
    }

    #[test]
    fn names_listed_together_answer_which_but_not_which_country_or_who_made() {
        let p = Provided::of(&["China has cultivated giants such as Baidu and Alibaba. \
             Its AI and big data lead."
            .to_owned()]);
        // (question words, type, answers)
        let cases: &[(&str, AnswerType, bool)] = &[
            ("which companies does it mention", AnswerType::Name, true),
            // A list does not say of what kind its names are.
            ("which country is the other", AnswerType::Name, false),
            // Nor who made what.
            ("who founded those companies", AnswerType::Maker, false),
            // Names the question already holds.
            ("which of baidu and alibaba", AnswerType::Name, false),
        ];
        for &(q, asked, want) in cases {
            assert_eq!(p.answers(asked, &words(q)), want, "{q}");
        }
    }

    #[test]
    fn a_maker_is_answered_only_where_a_passage_says_who_made_something() {
        let p = |s: &str| Provided::of(&[s.to_owned()]);
        // (passage, question words, answers)
        let cases: &[(&str, &str, bool)] = &[
            // Names, but none said to have made anything.
            (
                "In 2016, AlphaGo shook the world. Since then, ChatGPT has grown.",
                "who built alphago",
                false,
            ),
            (
                "Its CEO, Liang Wenfeng, hired young people.",
                "who leads deepseek",
                true,
            ),
            (
                "Translated using generative AI and edited by Korea JoongAng Daily staff.",
                "who wrote this",
                true,
            ),
            // Said who made it, but the only name is the question's own.
            (
                "Its founder, Liang Wenfeng, hired young people.",
                "who founded liang wenfeng",
                false,
            ),
        ];
        for &(passage, q, want) in cases {
            assert_eq!(
                p(passage).answers(AnswerType::Maker, &words(q)),
                want,
                "{q}"
            );
        }
    }
}
