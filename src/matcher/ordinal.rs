//! Step references: "second step", "step 2", "2nd", "step two", "the last
//! step", "두 번째 단계", "2단계" name one step; "the steps", "단계들" and
//! the number of steps ("the four steps", "네 가지 방안") name them all.
//!
//! What they refer to depends on how many steps the knowledge base has:
//! "the last step" is its last one, and "the fourth step" is a step only
//! where there are four. [`Ordinals`] holds the references of one knowledge
//! base, built from the general number words of [`numbers`].

use std::ops::{Range, RangeInclusive};
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::numbers;
use super::text::word_list;
use super::text::{Script, Token, strip_korean_to};

/// Words that make a step reference the step after it ("after step 2").
static AFTER: LazyLock<FxHashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/step_after.txt")));
/// Words that make a step reference the step before it ("before step 2").
static BEFORE: LazyLock<FxHashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/step_before.txt")));

/// The length of the longest word in the two lists above.
static LONGEST_SHIFT: LazyLock<usize> = LazyLock::new(|| {
    AFTER
        .iter()
        .chain(BEFORE.iter())
        .map(String::len)
        .max()
        .unwrap_or(0)
});

/// What a question says about the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepRef {
    /// One step, by number.
    Step(u8),
    /// All the steps.
    All,
}

/// Words that name a step, or what an article may call its steps.
const STEP_WORDS: &[&str] = &[
    "step",
    "stage",
    "phase",
    "part",
    "point",
    "reform",
    "recommendation",
    "proposal",
    "solution",
    "measure",
    "pillar",
    "change",
    "suggestion",
    "one",
    "thing",
    "item",
    "idea",
    "fix",
    "way",
];

/// Their plurals, which name the steps as a set ("the three steps").
const STEP_PLURALS: &[&str] = &[
    "steps",
    "stages",
    "phases",
    "parts",
    "points",
    "reforms",
    "recommendations",
    "proposals",
    "solutions",
    "measures",
    "pillars",
    "changes",
    "suggestions",
    "things",
    "items",
    "ideas",
    "fixes",
    "ways",
];

/// Whether an English word (folded) names the steps as a set: "steps",
/// "proposals", "recommendations".
pub fn is_step_plural(word: &str) -> bool {
    STEP_PLURALS.contains(&word)
}

/// Words for a piece of the text that is no step: an ordinal right before
/// one counts the text's pieces ("the last paragraph's point" is the end of
/// the text, not the last step).
const TEXT_PIECES: &[&str] = &[
    "paragraph",
    "paragraphs",
    "section",
    "sections",
    "passage",
    "passages",
    "sentence",
    "sentences",
    "line",
    "lines",
    "page",
    "chapter",
];

/// What a text says, after a word for the last: "his final point", "the
/// last word" is how the text ends, not its last step.
const CLOSING_SAYS: &[&str] = &[
    "point", "message", "msg", "thought", "thoughts", "word", "words", "takeaway", "remark",
    "remarks", "verdict", "note",
];

/// English words for the last step, whatever its number.
const LAST_WORDS: &[&str] = &["last", "final", "lastly", "finally"];

/// Subjects beside which "finally" means "at last", the end of a wait
/// and no step: "finally someone says it", "they finally did".
const AT_LAST_SUBJECTS: &[&str] = &[
    "i",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "people",
];

/// Korean forms for the last step, typed without spaces ("마지막 단계").
const KOREAN_LAST: &[&str] = &[
    "마지막단계",
    "마지막방안",
    "마지막해법",
    "마지막거",
    "마지막꺼",
    "마지막것",
    "마지막건",
    "마지막은",
];

/// English words for the middle step, when the steps are an odd number
/// of three or more ("the middle one").
const MIDDLE_WORDS: &[&str] = &["middle", "midmost"];

/// Korean forms for the middle step, typed without spaces ("가운데 꺼는").
const KOREAN_MIDDLE: &[&str] = &[
    "가운데단계",
    "가운데거",
    "가운데꺼",
    "가운데것",
    "가운데건",
    "가운데는",
    "중간단계",
    "중간거",
    "중간꺼",
    "중간것",
    "중간건",
    "중간은",
];

/// Korean words read past between a step and the word shifting it: ones
/// saying how close ("바로 전", "그 다음") and ones for the step itself
/// ("첫 번째 거 다음").
const KOREAN_PASSED: &[&str] = &["바로", "곧바로", "그", "거", "꺼", "것", "건"];

/// Korean forms that name the steps as a set, whatever their number.
const KOREAN_ALL: &[&str] = &["단계들", "모든단계"];

/// Korean counters that, after a number, count the steps when a word for
/// them follows ("세 가지 방안", "3개의 해법"); "단계" alone is one too.
const KOREAN_COUNTERS: &[&str] = &["가지", "개의", "개", "단계"];

/// Korean words for the steps, after a count of them ("세 가지 방안").
const KOREAN_STEP_NOUNS: &[&str] = &[
    "단계",
    "방안",
    "해법",
    "방법",
    "대책",
    "해결책",
    "개혁",
    "제안",
    "조치",
    "스텝",
    "처방",
    "전략",
];

/// Step words whose misspellings are read as them ("stpe"), besides the
/// ordinals and the number of steps.
const CORRECTABLE_WORDS: &[&str] = &["step", "steps", "final"];

/// The step references of one knowledge base: ordinals up to its last step,
/// "last" for that step, and its number of steps for the whole set ("the
/// four steps"). Ordinals past the last step are not step references, so a
/// question about "the fourth step" of three reads "fourth" as a word.
#[derive(Debug, Clone)]
pub struct Ordinals {
    steps: u8,
    /// Ordinal words → step: "second", "2nd", "last".
    ordinal: FxHashMap<String, u8>,
    /// Number words → step: "two", "2", "ii".
    number: FxHashMap<String, u8>,
    /// Words whose misspellings are read as them, in order of preference.
    correctable: Vec<String>,
    /// Lengths of the words worth trying to correct.
    correctable_len: RangeInclusive<usize>,
    /// First letters of the correctable words.
    correctable_starts: Vec<u8>,
    /// Korean forms, matched at the start of the question's words joined
    /// without spaces; the longest pattern wins.
    korean_patterns: Vec<(String, StepRef)>,
    /// Korean counts of the steps ("세가지", "3개의"), which name them all
    /// only before a word for them: "세 가지 물결" are three waves.
    korean_counts: Vec<String>,
    /// Words for the steps that the knowledge base counts as something
    /// else, as many as the steps ("stages", its synonym of the passage's
    /// "three major waves"): "three stages" are those, not the steps.
    counted_otherwise: FxHashSet<String>,
}

impl Ordinals {
    /// Reads "three <word>" as the thing the knowledge base counts, not as
    /// the steps, for each of `words` that is a word for the steps.
    pub fn counted_otherwise(mut self, words: impl IntoIterator<Item = String>) -> Self {
        self.counted_otherwise = words
            .into_iter()
            .filter(|w| w != "steps" && STEP_PLURALS.contains(&w.as_str()))
            .collect();
        self
    }

    /// Whether an English word (folded) is a word of step references: an
    /// ordinal or number of a step, "last", or a word for a step or the
    /// steps ("step", "recommendations").
    pub fn is_step_word(&self, word: &str) -> bool {
        self.ordinal.contains_key(word)
            || self.number.contains_key(word)
            || STEP_WORDS.contains(&word)
            || STEP_PLURALS.contains(&word)
    }

    /// Whether an English word (folded) is one edit from a word for a step
    /// or the steps ("thng" for "thing").
    pub fn near_step_word(&self, word: &str) -> bool {
        STEP_WORDS
            .iter()
            .chain(STEP_PLURALS)
            .any(|s| one_edit_apart(word, s))
    }

    /// The references to a knowledge base of `steps` steps (ordinal words
    /// go up to [`numbers::MAX`]; digits further).
    pub fn new(steps: u8) -> Self {
        let mut ordinal = FxHashMap::default();
        let mut number = FxHashMap::default();
        let mut correctable = Vec::new();
        let mut korean_patterns = Vec::new();
        for n in 1..=steps {
            number.insert(n.to_string(), n);
            let step = StepRef::Step(n);
            for form in ["번째", "단계", "번"] {
                korean_patterns.push((format!("{n}{form}"), step));
            }
            let Some(words) = numbers::number(n) else {
                continue;
            };
            for w in &words.cardinal {
                number.insert(w.clone(), n);
            }
            for w in &words.ordinal {
                ordinal.insert(w.clone(), n);
            }
            correctable.extend(words.ordinal.first().cloned());
            korean_patterns.extend(words.ko_ordinal.iter().map(|p| (p.clone(), step)));
        }
        let mut korean_counts = Vec::new();
        if steps > 0 {
            // Words naming one step by its place: the last, and the middle
            // of an odd number of steps, three or more.
            let mut by_place = |step: u8, english: &[&str], korean: &[&str]| {
                ordinal.extend(english.iter().map(|w| ((*w).to_owned(), step)));
                korean_patterns.extend(
                    korean
                        .iter()
                        .map(|p| ((*p).to_owned(), StepRef::Step(step))),
                );
            };
            by_place(steps, LAST_WORDS, KOREAN_LAST);
            if steps >= 3 && steps % 2 == 1 {
                by_place(steps / 2 + 1, MIDDLE_WORDS, KOREAN_MIDDLE);
            }
            let spelled = numbers::number(steps).map(|w| w.ko_count.as_str());
            correctable.extend(numbers::number(steps).and_then(|w| w.cardinal.first().cloned()));
            for count in spelled.into_iter().chain([steps.to_string().as_str()]) {
                korean_counts.extend(KOREAN_COUNTERS.iter().map(|c| format!("{count}{c}")));
            }
            if let Some(count) = spelled {
                korean_patterns.push((format!("{count}단계"), StepRef::All));
            }
        }
        korean_patterns.extend(KOREAN_ALL.iter().map(|p| ((*p).to_owned(), StepRef::All)));
        correctable.extend(CORRECTABLE_WORDS.iter().map(|w| (*w).to_owned()));
        // A misspelling is at most one letter longer than its word, and
        // words under four letters are too often other words to correct.
        let longest = correctable.iter().map(String::len).max().unwrap_or(0);
        let mut correctable_starts: Vec<u8> = correctable
            .iter()
            .filter_map(|w| w.bytes().next())
            .collect();
        correctable_starts.sort_unstable();
        correctable_starts.dedup();
        Ordinals {
            steps,
            ordinal,
            number,
            correctable,
            correctable_len: 4..=longest + 1,
            correctable_starts,
            korean_patterns,
            korean_counts,
            counted_otherwise: FxHashSet::default(),
        }
    }

    fn ordinal_word(&self, word: &str) -> Option<u8> {
        self.ordinal.get(word).copied()
    }

    fn number_word(&self, word: &str) -> Option<u8> {
        self.number.get(word).copied()
    }

    /// `word`, or the ordinal or step word it is one edit away from.
    fn corrected<'w>(&'w self, word: &'w str) -> &'w str {
        // Most words are ruled out at once by their length and first letter
        // (a swapped first pair puts it second).
        let starts = |w: &[u8]| {
            w.first()
                .is_some_and(|c| self.correctable_starts.contains(c))
        };
        let bytes = word.as_bytes();
        if !self.correctable_len.contains(&word.len())
            || !(starts(bytes) || starts(&bytes[1..]))
            || self.correctable.iter().any(|c| c == word)
        {
            return word;
        }
        // Two letters swapped is the likelier slip where a letter dropped
        // or added reaches another word too: "stesp" is "steps", not "step".
        let swapped = |c: &&String| c.len() == word.len() && one_edit_apart(word, c);
        self.correctable
            .iter()
            .find(|c| swapped(c) && same_letters(word, c))
            .or_else(|| self.correctable.iter().find(|c| one_edit_apart(word, c)))
            .map_or(word, String::as_str)
    }

    /// Finds the step references in `tokens`; returns them with a flag per token
    /// saying whether it was part of one (such tokens are not matched as words).
    pub fn detect(&self, tokens: &[Token], content_words: usize) -> (Vec<StepRef>, Vec<bool>) {
        let mut refs = Vec::new();
        let mut used = vec![false; tokens.len()];
        let word = |i: usize| tokens.get(i).map(|t| self.corrected(t.text.as_str()));
        // Whether the steps, named as a set, are what one is picked from.
        let mut picked_from = false;
        let mut i = 0;
        while i < tokens.len() {
            let w = self.corrected(tokens[i].text.as_str());
            // "step 2", "step two", "stage ii", "step second", "step number 3", "step no 3"
            if STEP_WORDS.contains(&w) && w != "one" {
                let skip = usize::from(matches!(word(i + 1), Some("number" | "no" | "num" | "nr")));
                if let Some(n) = word(i + 1 + skip)
                    .and_then(|x| self.number_word(x).or_else(|| self.ordinal_word(x)))
                {
                    refs.extend(self.relative(tokens, i, i + 1 + skip, n, &mut used));
                    used[i..=i + 1 + skip].iter_mut().for_each(|u| *u = true);
                    i += 2 + skip;
                    continue;
                }
            }
            // "number 2 step", "no. 3 reform"
            if matches!(w, "number" | "no" | "num")
                && let Some(n) = word(i + 1).and_then(|x| self.number_word(x))
                && word(i + 2).is_some_and(|x| STEP_WORDS.contains(&x))
            {
                refs.extend(self.relative(tokens, i, i + 2, n, &mut used));
                used[i..=i + 2].iter_mut().for_each(|u| *u = true);
                i += 3;
                continue;
            }
            // "second step", "2nd big step", and a bare "the second?"; not
            // "the last paragraph", nor "finally someone says it".
            let at_last = w == "finally"
                && [i.checked_sub(1).and_then(word), word(i + 1)]
                    .into_iter()
                    .flatten()
                    .any(|x| AT_LAST_SUBJECTS.contains(&x));
            let closing =
                LAST_WORDS.contains(&w) && word(i + 1).is_some_and(|x| CLOSING_SAYS.contains(&x));
            if let Some(n) = self.ordinal_word(w)
                && !at_last
                && !closing
                && !word(i + 1).is_some_and(|x| TEXT_PIECES.contains(&x))
            {
                // "the last of the three steps"
                if word(i + 1) == Some("of") {
                    let plural = (i + 2..=i + 4)
                        .find(|&j| word(j).is_some_and(|x| STEP_PLURALS.contains(&x)));
                    if let Some(j) = plural {
                        refs.extend(self.relative(tokens, i, j, n, &mut used));
                        used[i..=j].iter_mut().for_each(|u| *u = true);
                        i = j + 1;
                        continue;
                    }
                }
                let step_word =
                    (i + 1..=i + 2).find(|&j| word(j).is_some_and(|x| STEP_WORDS.contains(&x)));
                if let Some(j) = step_word {
                    refs.extend(self.relative(tokens, i, j, n, &mut used));
                    used[i] = true;
                    used[j] = true;
                    i = j + 1;
                    continue;
                }
                // "what does he recommend first?", "what should korea do
                // first": the order of what should be done is the steps'.
                // "which country should we study first?" orders countries.
                let done_in_order = || {
                    i + 1 == tokens.len()
                        && !tokens.iter().any(|t| t.text == "which")
                        && advises(tokens)
                };
                if content_words <= 1
                    || picked_from
                    || self.shift_at(tokens, i, i).is_some()
                    || done_in_order()
                {
                    refs.extend(self.relative(tokens, i, i, n, &mut used));
                    used[i] = true;
                    i += 1;
                    continue;
                }
            }
            // "three steps", "3 reforms": as many as the steps there are
            if self.number_word(w) == Some(self.steps)
                && word(i + 1).is_some_and(|x| {
                    STEP_PLURALS.contains(&x) && !self.counted_otherwise.contains(x)
                })
            {
                picked_from |= partitive(tokens, i, i + 1);
                refs.push(StepRef::All);
                used[i] = true;
                used[i + 1] = true;
                i += 2;
                continue;
            }
            // "all three", "all 3 of them": as many as the steps there are.
            if w == "all" && word(i + 1).and_then(|x| self.number_word(x)) == Some(self.steps) {
                refs.push(StepRef::All);
                used[i] = true;
                used[i + 1] = true;
                i += 2;
                continue;
            }
            if w == "steps" {
                refs.push(StepRef::All);
                used[i] = true;
                i += 1;
                continue;
            }
            if let Some((step, consumed)) = self.korean_at(tokens, i) {
                match step {
                    // "해결하는 3단계", "칼럼 3단계": the steps, as many as
                    // there are, that solve it or that the column gives.
                    // "3단계 중 두 번째": the steps, as the set one is
                    // picked from.
                    StepRef::Step(n)
                        if n == self.steps
                            && (describes_steps(tokens, i)
                                || partitive(tokens, i, i + consumed - 1)) =>
                    {
                        refs.push(StepRef::All);
                    }
                    StepRef::Step(n) => {
                        refs.extend(self.relative(tokens, i, i + consumed - 1, n, &mut used));
                    }
                    StepRef::All => refs.push(step),
                }
                picked_from |=
                    refs.last() == Some(&StepRef::All) && partitive(tokens, i, i + consumed - 1);
                // "두 번째 해결책": the word for a step after its ordinal
                // is part of the reference, as "step" is in "the second
                // step", not a topic.
                let noun_after = matches!(step, StepRef::Step(_))
                    && tokens.get(i + consumed).is_some_and(|t| {
                        t.script == Script::Hangul
                            && is_korean_step_noun(strip_korean_to(&t.text, 1))
                    })
                    && tokens.get(i + consumed + 1).is_some_and(|t| {
                        t.script == Script::Hangul && shift(strip_korean_to(&t.text, 1)).is_some()
                    });
                let consumed = consumed + usize::from(noun_after);
                used[i..i + consumed].iter_mut().for_each(|u| *u = true);
                i += consumed;
                continue;
            }
            // "개혁안 중에 두 번째": a word for the steps before "중" is
            // the set one is picked from, not a topic.
            if tokens[i].script == Script::Hangul
                && is_korean_step_noun(strip_korean_to(&tokens[i].text, 1))
                && partitive(tokens, i, i)
            {
                picked_from = true;
                used[i] = true;
            }
            i += 1;
        }
        // "of the three steps, the second", "세 단계 중에 두 번째": the set
        // a step is picked from is not asked for itself.
        if picked_from && refs.iter().any(|r| matches!(r, StepRef::Step(_))) {
            refs.retain(|r| *r != StepRef::All);
        }
        refs.dedup();
        (refs, used)
    }

    /// A step named by what it is about, with a word shifting it by one
    /// ("the one after the failure-tolerance step", "실패 용인 단계 다음
    /// 거"): the shift, and the tokens describing the step it shifts from.
    /// An English shift word precedes its description, a Korean one
    /// follows it; the description must hold a word for a step. For a
    /// question with no step named by number (those are [`Self::detect`]'s).
    pub fn described(&self, tokens: &[Token]) -> Option<(i8, Range<usize>)> {
        let step_word = |t: &Token| match t.script {
            Script::Latin => STEP_WORDS.contains(&t.text.as_str()),
            Script::Hangul => KOREAN_STEP_NOUNS.contains(&strip_korean_to(&t.text, 1)),
        };
        tokens.iter().enumerate().find_map(|(i, t)| {
            let (by, words) = match t.script {
                Script::Latin => (shift(&t.text)?, i + 1..tokens.len()),
                Script::Hangul => (shift(strip_korean_to(&t.text, 1))?, 0..i),
            };
            // The step word and at least one word saying which step.
            let described = tokens[words.clone()].iter().any(step_word)
                && tokens[words.clone()].iter().any(|t| !step_word(t));
            described.then_some((by, words))
        })
    }

    /// Step `n`, named by tokens `start..=end`, or the step after or before
    /// it when a word says so ("after step 2", "2단계 다음"); that word is
    /// then part of the reference. None when the step it names does not
    /// exist ("before the first step").
    fn relative(
        &self,
        tokens: &[Token],
        start: usize,
        end: usize,
        n: u8,
        used: &mut [bool],
    ) -> Option<StepRef> {
        let Some((at, shift)) = self.shift_at(tokens, start, end) else {
            return Some(StepRef::Step(n));
        };
        used[at] = true;
        let shifted = i16::from(n) + i16::from(shift);
        (1..=i16::from(self.steps))
            .contains(&shifted)
            .then_some(StepRef::Step(shifted as u8))
    }

    /// The word that shifts the reference at `start..=end` by one, and by
    /// how much: an English word at most three words before it, or a
    /// Korean one right after it.
    fn shift_at(&self, tokens: &[Token], start: usize, end: usize) -> Option<(usize, i8)> {
        let before = (start.saturating_sub(3)..start)
            .rev()
            .filter(|&j| tokens[j].script == Script::Latin)
            .find_map(|j| shift(&tokens[j].text).map(|s| (j, s)));
        // "첫 번째 단계 다음", "세번째 단계 바로 전": past a word for the
        // step itself and one saying how close.
        let after = (end + 1..tokens.len().min(end + 4))
            .filter(|&j| tokens[j].script == Script::Hangul)
            .map(|j| (j, strip_korean_to(&tokens[j].text, 1)))
            .find(|&(j, word)| {
                !KOREAN_STEP_NOUNS.contains(&word)
                    && !KOREAN_PASSED.contains(&tokens[j].text.as_str())
            })
            .and_then(|(j, word)| shift(word).map(|s| (j, s)));
        before.or(after)
    }

    /// A Korean pattern starting at token `i`, and how many tokens it spans.
    fn korean_at(&self, tokens: &[Token], i: usize) -> Option<(StepRef, usize)> {
        let mut joined = String::new();
        let mut best = None;
        for (k, token) in tokens[i..].iter().take(3).enumerate() {
            let is_number =
                token.script == Script::Latin && token.text.chars().all(|c| c.is_ascii_digit());
            if token.script != Script::Hangul && !is_number {
                break;
            }
            joined.push_str(&token.text);
            for count in &self.korean_counts {
                // "개혁 3가지 중 첫 번째": the count alone, as the set a
                // step is picked from.
                if joined == *count
                    && partitive(tokens, i, i + k)
                    && best.is_none_or(|(_, _, l)| count.len() > l)
                {
                    best = Some((StepRef::All, k + 1, count.len()));
                }
                for noun in KOREAN_STEP_NOUNS {
                    let len = count.len() + noun.len();
                    if joined.len() >= len
                        && joined.starts_with(count)
                        && joined[count.len()..].starts_with(noun)
                        && joined.len() - token.text.len() < len
                        && best.is_none_or(|(_, _, l)| len > l)
                    {
                        best = Some((StepRef::All, k + 1, len));
                    }
                }
            }
            for (pattern, step) in &self.korean_patterns {
                // The pattern must end inside the last token joined, so that the
                // tokens consumed are exactly the ones it spans.
                if joined.starts_with(pattern) && joined.len() - token.text.len() < pattern.len() {
                    let longer = best.is_none_or(|(_, _, len)| pattern.len() > len);
                    if longer {
                        best = Some((*step, k + 1, pattern.len()));
                    }
                }
            }
        }
        best.map(|(step, n, _)| (step, n))
    }
}

/// Words of [`STEP_WORDS`] too general to name a step when asked which
/// one: "which one", "what thing", "what point does he make" ask for no
/// step, where "which step" and "what reform" do.
const GENERAL_STEP_WORDS: &[&str] = &[
    "part", "point", "change", "one", "thing", "item", "idea", "way",
];

/// Whether an English word (folded) names a step when asked which one.
fn names_a_step_asked_for(word: &str) -> bool {
    STEP_WORDS.contains(&word) && !GENERAL_STEP_WORDS.contains(&word)
}

/// Verbs joining a step asked for to its topic (`data/about_verbs.txt`).
static ABOUT_VERBS: LazyLock<FxHashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/about_verbs.txt")));

/// A question asking which step is about something ("which step deals
/// with conferences?", "which of the proposals is about hierarchy?",
/// "해외 학회 얘기는 몇 번째 제안이야?", "실패 얘기는 어느 단계야?"): the
/// tokens left once the words asking which step and a verb joining it to
/// its topic ("deals") are taken out, which say what the step is about.
/// None when nothing else is left.
pub fn which_step(tokens: &[Token]) -> Option<Vec<usize>> {
    let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let asked = which_step_asked(&words)?;
    let rest: Vec<usize> = (0..tokens.len())
        .filter(|i| !asked.contains(i) && !ABOUT_VERBS.contains(words[*i]))
        .collect();
    (!rest.is_empty()).then_some(rest)
}

/// Whether a question (its tokens) asks what should be done.
fn advises(tokens: &[Token]) -> bool {
    let words: Vec<String> = tokens.iter().map(|t| t.text.clone()).collect();
    super::advice::asks_advice(&words)
}

/// Where `words` (folded) ask which step: "which step", "what step
/// number", "which of the steps", "which one of the proposals", "몇 번째
/// 제안", "몇번째야", "어느 단계". "which step is that?" asks it of
/// nothing but what was just read.
pub fn which_step_asked(words: &[&str]) -> Option<Range<usize>> {
    let text = |i: usize| words.get(i).copied().unwrap_or("");
    let korean_step = |i: usize| KOREAN_STEP_NOUNS.contains(&strip_korean_to(text(i), 1));
    (0..words.len()).find_map(|i| match text(i) {
        "which" | "what" if names_a_step_asked_for(text(i + 1)) => {
            Some(i..i + 2 + usize::from(text(i + 2) == "number"))
        }
        // "which of the steps", "which one of the proposals"
        "which" => {
            let of = (i + 1..=i + 2).find(|&j| text(j) == "of")?;
            let plural = (of + 1..=of + 2).find(|&j| STEP_PLURALS.contains(&text(j)))?;
            (of == i + 1 || text(i + 1) == "one").then_some(i..plural + 1)
        }
        // "몇 번째 제안", "몇번째야", "어느 단계"
        "몇" if text(i + 1).starts_with("번째") => {
            Some(i..i + 2 + usize::from(korean_step(i + 2)))
        }
        w if w.starts_with("몇번째") => Some(i..i + 1 + usize::from(korean_step(i + 1))),
        "어느" if korean_step(i + 1) => Some(i..i + 2),
        _ => None,
    })
}

/// Whether the question (as written) may ask which step: "which" or
/// "what" with a word for a step or the steps, or a Korean "몇" or "어느".
/// A check cheap enough to run on every question before it is read for
/// [`which_step`].
pub fn mentions_which(question: &str) -> bool {
    let (mut asks, mut step) = (false, false);
    for word in question.split(|c: char| !c.is_alphanumeric()) {
        if word.starts_with('몇') || word == "어느" {
            return true;
        }
        if !word.is_ascii() || word.len() > LONGEST_STEP_WORD {
            continue;
        }
        let word = word.to_ascii_lowercase();
        asks |= matches!(word.as_str(), "which" | "what");
        step |= names_a_step_asked_for(&word) || STEP_PLURALS.contains(&word.as_str());
    }
    asks && step
}

/// The length of the longest English step word, singular or plural.
const LONGEST_STEP_WORD: usize = "recommendations".len();

/// Whether a word of the question (as written) may shift a step by one:
/// "after", "before", "다음은". A check cheap enough to run on every
/// question before it is read for a described step.
pub fn mentions_shift(question: &str) -> bool {
    question.split(|c: char| !c.is_alphanumeric()).any(|word| {
        // A word longer than every English shift word is not lowercased
        // to be looked up.
        if word.is_ascii() {
            word.len() <= *LONGEST_SHIFT && shift_word(&word.to_ascii_lowercase())
        } else {
            shift_word(strip_korean_to(word, 1))
        }
    })
}

/// Whether a folded word is in the lists of words shifting a step.
fn shift_word(word: &str) -> bool {
    shift(word).is_some()
}

/// By how much a folded word shifts a step: +1 ("after"), −1 ("before").
fn shift(word: &str) -> Option<i8> {
    if AFTER.contains(word) {
        Some(1)
    } else if BEFORE.contains(word) {
        Some(-1)
    } else {
        None
    }
}

/// Whether the steps named by tokens `start..=end` are a set one is
/// picked from: "of" or "among" before them ("of the three steps"), or
/// 중 ("among") right after them ("세 단계 중에", "3단계중").
fn partitive(tokens: &[Token], start: usize, end: usize) -> bool {
    let english = (start.saturating_sub(2)..start)
        .any(|j| matches!(tokens[j].text.as_str(), "of" | "among" | "amongst"));
    let among = |text: &str| {
        let stem = strip_korean_to(text, 1);
        stem == "중" || stem == "중에서"
    };
    let korean = tokens[end].script == Script::Hangul
        && ["중", "중에", "중에서", "중엔"]
            .iter()
            .any(|e| tokens[end].text.ends_with(e) && tokens[end].text.len() > e.len())
        || tokens
            .get(end + 1)
            .is_some_and(|t| t.script == Script::Hangul && among(&t.text));
    english || korean
}

/// Whether a Korean word (without its particles) is a word for the steps,
/// or one with "안" (proposal) after it ("개혁안").
fn is_korean_step_noun(word: &str) -> bool {
    KOREAN_STEP_NOUNS.contains(&word)
        || word
            .strip_suffix('안')
            .is_some_and(|w| KOREAN_STEP_NOUNS.contains(&w))
}

/// Whether the Korean word before position `i` describes what follows it,
/// so that "3단계" there counts the steps rather than naming the third: a
/// verb ending in a modifier ("해결하는", "제시한", "필요한") or a word
/// naming the source ("칼럼", "글").
fn describes_steps(tokens: &[Token], i: usize) -> bool {
    let Some(before) = i.checked_sub(1).map(|b| &tokens[b]) else {
        return false;
    };
    before.script == Script::Hangul
        && (before.text.chars().count() >= 2 && before.text.ends_with(['는', '한', '된'])
            || super::lexicon::is_meta(&before.text))
}

/// True when `a` and `b` differ by exactly one insertion, deletion,
/// substitution or swap of neighbours. Linear and allocation-free: it runs
/// on every word of every question.
/// Whether `a` and `b` hold the same letters, in any order.
fn same_letters(a: &str, b: &str) -> bool {
    let sorted = |s: &str| {
        let mut bytes = s.as_bytes().to_vec();
        bytes.sort_unstable();
        bytes
    };
    sorted(a) == sorted(b)
}

fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::{fold, tokenize};
    use super::*;

    fn refs_in(ordinals: &Ordinals, q: &str) -> Vec<StepRef> {
        let tokens = tokenize(&fold(q));
        let content = tokens
            .iter()
            .filter(|t| !super::super::lexicon::is_stop(&t.text))
            .count();
        ordinals.detect(&tokens, content).0
    }

    #[test]
    fn a_count_of_what_the_knowledge_base_counts_otherwise_is_no_step() {
        let ordinals = Ordinals::new(3).counted_otherwise(["stages".to_owned()]);
        assert_eq!(refs_in(&ordinals, "the three stages of ai"), []);
        assert_eq!(refs_in(&ordinals, "the three steps"), [StepRef::All]);
        assert_eq!(refs_in(&ordinals, "the three phases"), [StepRef::All]);
        // "steps" is never counted otherwise.
        let ordinals = Ordinals::new(3).counted_otherwise(["steps".to_owned()]);
        assert_eq!(refs_in(&ordinals, "the three steps"), [StepRef::All]);
    }

    /// The references in a question to the built-in column's three steps.
    fn refs(q: &str) -> Vec<StepRef> {
        refs_in(&Ordinals::new(3), q)
    }

    #[test]
    fn which_step_table() {
        // The words left to say what the step is about, or none.
        let cases: &[(&str, Option<&str>)] = &[
            ("which step deals with hierarchy?", Some("with hierarchy")),
            (
                "what proposal is about conferences",
                Some("is about conferences"),
            ),
            ("which of the steps covers failure?", Some("failure")),
            ("which one of the reforms mentions china", Some("china")),
            (
                "해외 학회 얘기는 몇 번째 제안이야?",
                Some("해외 학회 얘기는"),
            ),
            ("실패 얘기는 몇번째야?", Some("실패 얘기는")),
            ("실패 얘기는 어느 단계야?", Some("실패 얘기는")),
            // Asking for no step: "which one", "what point", "몇 단계"
            // (how many steps), or nothing said of the step.
            ("which one is about failure?", None),
            ("what point does he make about failure?", None),
            ("몇 단계야?", None),
            ("which step?", None),
        ];
        for (question, want) in cases {
            let tokens = tokenize(&fold(question));
            let got = which_step(&tokens).map(|rest| {
                rest.iter()
                    .map(|&i| tokens[i].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            assert_eq!(got.as_deref(), *want, "{question}");
        }
    }

    #[test]
    fn one_edit_table() {
        let cases = [
            ("frist", "first", true),
            ("secnd", "second", true),
            ("stepp", "step", true),
            ("thrid", "third", true),
            ("first", "first", false),
            ("firsts", "fist", false),
            ("abc", "xyz", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(one_edit_apart(a, b), want, "{a} {b}");
        }
    }

    #[test]
    fn step_references_table() {
        use StepRef::*;
        let cases: &[(&str, &[StepRef])] = &[
            ("what is the second step?", &[Step(2)]),
            ("wat is the secnd stepp", &[Step(2)]),
            ("whats the frist step", &[Step(1)]),
            ("thrid step?", &[Step(3)]),
            ("step second what is", &[Step(2)]),
            ("wat are the thre steps", &[All]),
            // Two letters swapped, though a letter dropped makes "step".
            ("whats the three stesp he suggests", &[All]),
            ("step 2", &[Step(2)]),
            ("what's the last of the three steps", &[Step(3)]),
            ("the second of his reforms", &[Step(2)]),
            ("what's step number one", &[Step(1)]),
            ("reform no. 2", &[Step(2)]),
            ("number 3 step", &[Step(3)]),
            ("Step two please", &[Step(2)]),
            ("2nd step", &[Step(2)]),
            ("the 3rd one", &[Step(3)]),
            ("the last step", &[Step(3)]),
            // An ordinal before a piece of the text counts those pieces.
            ("what's the last paragraph's point", &[]),
            ("the first sentence of the second step", &[Step(2)]),
            ("what's the final recommendation", &[Step(3)]),
            ("and finally?", &[Step(3)]),
            // What the text says last is how it ends.
            ("what's his final point", &[]),
            ("whats the last takeaway", &[]),
            // "finally" beside its subject is "at last".
            ("finally someone says it. how does it end?", &[]),
            ("they finally did it. why?", &[]),
            ("first?", &[Step(1)]),
            ("what are the three steps", &[All]),
            ("3 reforms", &[All]),
            ("can you give me all three together?", &[All]),
            ("all 3 please", &[All]),
            ("list the steps", &[All]),
            ("두 번째 단계가 뭐야", &[Step(2)]),
            ("두번째는?", &[Step(2)]),
            ("2단계", &[Step(2)]),
            ("3 단계 알려줘", &[Step(3)]),
            ("첫째 방안", &[Step(1)]),
            ("마지막 단계는", &[Step(3)]),
            ("마지막은 뭐야", &[Step(3)]),
            ("마지막 건?", &[Step(3)]),
            ("중간 건", &[Step(2)]),
            ("마지막에 한국만의 혁신 모델", &[]),
            ("세 가지 단계가 뭐야", &[All]),
            ("3가지 방안", &[All]),
            ("3단계 해법 정리 좀", &[All]),
            // As many steps as there are, described: the steps.
            ("한국 stem 위기 해결하는 3단계가 뭐야", &[All]),
            ("그 stem 칼럼 3단계 뭐였지", &[All]),
            ("3단계 알려줘", &[Step(3)]),
            ("2단계는 뭐야", &[Step(2)]),
            ("첫번쨰꺼 다시 설명해줘", &[Step(1)]),
            ("세 가지 물결", &[]),
            ("who is the author", &[]),
            ("first, what does he say about failure", &[]),
            // What should be done first is the first step.
            ("what does he recommend first?", &[Step(1)]),
            ("what should korea do first", &[Step(1)]),
            // Unless it is asked which thing comes first.
            ("which country should korea look at first", &[]),
            ("second largest economy china", &[]),
            // Relative references: the step after or before the one named.
            ("what comes after step 2", &[Step(3)]),
            ("whats the step after the first one", &[Step(2)]),
            ("the one following the first step", &[Step(2)]),
            ("what is before the last step", &[Step(2)]),
            ("the step before step 2", &[Step(1)]),
            ("what comes after the last step", &[]),
            ("before the first step", &[]),
            ("2단계 다음은 뭐야", &[Step(3)]),
            ("첫 번째 단계 다음 단계는?", &[Step(2)]),
            ("3단계 전에는 뭐가 있어", &[Step(2)]),
            ("마지막 단계 이전 단계", &[Step(2)]),
            ("아 세번째 단계 바로 전 단계요", &[Step(2)]),
            ("두번째 단계 바로 다음 단계", &[Step(3)]),
            ("첫 번째 거 그 다음은?", &[Step(2)]),
            ("두 번째 해결책 다음 거", &[Step(3)]),
            ("두 번째 방안 다음 거", &[Step(3)]),
            // The middle of the three steps.
            ("the middle one", &[Step(2)]),
            ("what's the middle step about", &[Step(2)]),
            ("가운데 꺼는", &[Step(2)]),
            ("중간 단계는?", &[Step(2)]),
            ("I teach at a middle school", &[]),
            // A step picked from the set of them is that step.
            ("세 단계 중에 첫 번째 다음 거", &[Step(2)]),
            ("3단계중 두번째는?", &[Step(2)]),
            ("of the three steps, which is second?", &[Step(2)]),
            ("세 단계 중에 뭐가 제일 중요해?", &[All]),
            // The set counted with a counter, or named by a word for the
            // steps, before "중".
            ("개혁 3가지 중 첫번째 뭐였지", &[Step(1)]),
            ("세 가지 중 첫 번째는?", &[Step(1)]),
            ("세 개 중에 두 번째", &[Step(2)]),
            ("개혁안 중에 두 번째 말하는 거야", &[Step(2)]),
            ("3가지 알려줘", &[]),
        ];
        for (q, want) in cases {
            assert_eq!(refs(q), *want, "question {q:?}");
        }
    }

    #[test]
    fn steps_described_and_shifted_table() {
        let ordinals = Ordinals::new(3);
        // (question, shift and description, or none)
        let cases: &[(&str, Option<(i8, &str)>)] = &[
            (
                "the one after the failure-tolerance step",
                Some((1, "the failure tolerance step")),
            ),
            (
                "what comes before the part about conferences?",
                Some((-1, "the part about conferences")),
            ),
            ("실패 용인 단계 다음 거", Some((1, "실패 용인 단계"))),
            (
                "자율 얘기하는 단계 전에 뭐야?",
                Some((-1, "자율 얘기하는 단계")),
            ),
            // No word for a step in the description: an event, not a step.
            ("what did deepseek do after the failures?", None),
            // A word for a step and nothing saying which.
            ("and the one after?", None),
            ("the step after", None),
        ];
        for (q, want) in cases {
            let tokens = tokenize(&fold(q));
            let got = ordinals.described(&tokens).map(|(shift, words)| {
                let words: Vec<&str> = tokens[words].iter().map(|t| t.text.as_str()).collect();
                (shift, words.join(" "))
            });
            let want = want.map(|(shift, words)| (shift, words.to_string()));
            assert_eq!(got, want, "question {q:?}");
        }
    }

    #[test]
    fn a_shift_word_is_found_as_written() {
        for (q, want) in [
            ("The one AFTER the failure step", true),
            ("실패 단계 다음은?", true),
            ("3단계 전에는", true),
            ("what does he propose?", false),
            ("afterwards?", false),
        ] {
            assert_eq!(mentions_shift(q), want, "question {q:?}");
        }
    }

    #[test]
    fn step_references_follow_the_number_of_steps() {
        use StepRef::*;
        let kbs = [
            (2, crate::knowledge::with_steps(2)),
            (5, crate::knowledge::with_steps(5)),
        ];
        let cases: &[(u8, &str, &[StepRef])] = &[
            (2, "what is the last step", &[Step(2)]),
            (2, "what's the final recommendation", &[Step(2)]),
            (2, "the second step", &[Step(2)]),
            (2, "step 2", &[Step(2)]),
            (2, "what are the two steps", &[All]),
            (2, "마지막 단계는", &[Step(2)]),
            (2, "두 번째 단계", &[Step(2)]),
            (2, "두 가지 방안", &[All]),
            (2, "두 단계", &[All]),
            // Past the last step an ordinal is a word, not a step.
            (2, "the third step", &[]),
            (2, "thrid step", &[]),
            (2, "step 3", &[]),
            (2, "세 번째 단계", &[]),
            (2, "3단계", &[]),
            // Two steps have no middle one; five have the third.
            (2, "the middle one", &[]),
            (2, "가운데 꺼는", &[]),
            (5, "the middle step", &[Step(3)]),
            (5, "중간 단계는?", &[Step(3)]),
            (2, "세 가지 방안", &[]),
            (5, "what is the last step", &[Step(5)]),
            (5, "the fifth step", &[Step(5)]),
            (5, "the fourth one", &[Step(4)]),
            (5, "whats the fouth step", &[Step(4)]),
            (5, "step four", &[Step(4)]),
            (5, "step 5", &[Step(5)]),
            (5, "step iv", &[Step(4)]),
            (5, "the last of the five steps", &[Step(5)]),
            (5, "what are the five steps", &[All]),
            (5, "5 reforms", &[All]),
            (5, "네 번째 단계가 뭐야", &[Step(4)]),
            (5, "다섯째 방안", &[Step(5)]),
            (5, "5단계", &[Step(5)]),
            (5, "마지막 단계는", &[Step(5)]),
            (5, "다섯 가지 방안", &[All]),
            (5, "세 가지 방안", &[]),
            (5, "the sixth step", &[]),
        ];
        for (steps, kb) in &kbs {
            assert_eq!(kb.step_count(), *steps);
            let ordinals = Ordinals::new(kb.step_count());
            for (_, q, want) in cases.iter().filter(|c| c.0 == *steps) {
                assert_eq!(refs_in(&ordinals, q), *want, "{steps} steps: {q:?}");
            }
        }
    }

    #[test]
    fn the_matcher_answers_ordinals_with_the_knowledge_bases_own_steps() {
        use crate::matcher::{Decision, Matcher, MatcherConfig};
        for steps in [2, 5] {
            let kb = crate::knowledge::with_steps(steps);
            let matcher = Matcher::new(&kb, MatcherConfig::default());
            let last = format!("step-{steps}");
            let all = format!("what are the {} steps", numbers::english(steps));
            let cases = [
                ("what is the last step", last.as_str()),
                ("the second step?", "step-2"),
                ("마지막 단계가 뭐야", last.as_str()),
                (all.as_str(), "overview"),
                ("what comes after step 1", "step-2"),
                ("whats the step after the first one", "step-2"),
                ("1단계 다음은 뭐야", "step-2"),
            ];
            for (q, want) in cases {
                let outcome = matcher.decide(q);
                assert_eq!(outcome.decision, Decision::Answer, "{steps} steps: {q:?}");
                let got = &kb.entries[outcome.best.unwrap().entry].id;
                assert_eq!(got, want, "{steps} steps: {q:?}");
            }
        }
    }
}
