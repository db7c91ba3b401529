//! Step references: "second step", "step 2", "2nd", "step two", "the last
//! step", "두 번째 단계", "2단계" name one step; "the three steps", "세 가지"
//! name them all.

use super::text::{Script, Token};

/// What a question says about the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepRef {
    /// One step, by number.
    Step(u8),
    /// All the steps.
    All,
}

/// Words that name a step or what the column calls its steps.
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

fn ordinal_word(word: &str) -> Option<u8> {
    Some(match word {
        "first" | "1st" | "firstly" => 1,
        "second" | "2nd" | "secondly" | "seconds" => 2,
        "third" | "3rd" | "thirdly" | "last" | "final" | "lastly" | "finally" => 3,
        _ => return None,
    })
}

fn number_word(word: &str) -> Option<u8> {
    Some(match word {
        "1" | "one" => 1,
        "2" | "two" | "ii" => 2,
        "3" | "three" | "iii" => 3,
        _ => return None,
    })
}

/// Korean forms, matched at the start of the question's words joined without
/// spaces; the longest pattern wins.
const KOREAN_PATTERNS: &[(&str, StepRef)] = &[
    ("첫번째", StepRef::Step(1)),
    ("첫번쨰", StepRef::Step(1)),
    ("두번쨰", StepRef::Step(2)),
    ("세번쨰", StepRef::Step(3)),
    ("첫째", StepRef::Step(1)),
    ("첫단계", StepRef::Step(1)),
    ("1번째", StepRef::Step(1)),
    ("1단계", StepRef::Step(1)),
    ("1번", StepRef::Step(1)),
    ("두번째", StepRef::Step(2)),
    ("둘째", StepRef::Step(2)),
    ("2번째", StepRef::Step(2)),
    ("2단계", StepRef::Step(2)),
    ("2번", StepRef::Step(2)),
    ("세번째", StepRef::Step(3)),
    ("셋째", StepRef::Step(3)),
    ("3번째", StepRef::Step(3)),
    ("3단계", StepRef::Step(3)),
    ("3번", StepRef::Step(3)),
    ("마지막단계", StepRef::Step(3)),
    ("마지막방안", StepRef::Step(3)),
    ("마지막해법", StepRef::Step(3)),
    ("마지막거", StepRef::Step(3)),
    ("마지막꺼", StepRef::Step(3)),
    ("마지막은", StepRef::Step(3)),
    ("세단계", StepRef::All),
    ("단계들", StepRef::All),
    ("모든단계", StepRef::All),
];

/// Words whose misspellings are read as them ("frist", "secnd", "stpe").
const CORRECTABLE: &[&str] = &[
    "first", "second", "third", "three", "step", "steps", "final",
];

/// `word`, or the ordinal or step word it is one edit away from.
fn corrected(word: &str) -> &str {
    // Every correctable word is 4–6 letters and starts with f, s or t (a
    // swapped first pair puts it second): most words are ruled out at once.
    let starts = |w: &[u8]| w.first().is_some_and(|c| matches!(c, b'f' | b's' | b't'));
    let bytes = word.as_bytes();
    if !(4..=7).contains(&word.len())
        || !(starts(bytes) || starts(&bytes[1..]))
        || CORRECTABLE.contains(&word)
    {
        return word;
    }
    CORRECTABLE
        .iter()
        .find(|c| one_edit_apart(word, c))
        .copied()
        .unwrap_or(word)
}

/// "세 가지" and "3개" name the steps only before a word for them: "세 가지
/// 물결" are the three waves of AI.
const KOREAN_COUNTS: &[&str] = &[
    "세가지",
    "3가지",
    "세개의",
    "3개의",
    "세개",
    "3개",
    "3단계",
    "세단계",
];
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

/// True when `a` and `b` differ by exactly one insertion, deletion,
/// substitution or swap of neighbours. Linear and allocation-free: it runs
/// on every word of every question.
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

/// Finds the step references in `tokens`; returns them with a flag per token
/// saying whether it was part of one (such tokens are not matched as words).
pub fn detect(tokens: &[Token], content_words: usize) -> (Vec<StepRef>, Vec<bool>) {
    let mut refs = Vec::new();
    let mut used = vec![false; tokens.len()];
    let word = |i: usize| tokens.get(i).map(|t| corrected(t.text.as_str()));
    let mut i = 0;
    while i < tokens.len() {
        let w = corrected(tokens[i].text.as_str());
        // "step 2", "step two", "stage ii", "step second", "step number 3", "step no 3"
        if STEP_WORDS.contains(&w) && w != "one" {
            let skip = usize::from(matches!(word(i + 1), Some("number" | "no" | "num" | "nr")));
            if let Some(n) =
                word(i + 1 + skip).and_then(|x| number_word(x).or_else(|| ordinal_word(x)))
            {
                refs.push(StepRef::Step(n));
                used[i..=i + 1 + skip].iter_mut().for_each(|u| *u = true);
                i += 2 + skip;
                continue;
            }
        }
        // "number 2 step", "no. 3 reform"
        if matches!(w, "number" | "no" | "num")
            && let Some(n) = word(i + 1).and_then(number_word)
            && word(i + 2).is_some_and(|x| STEP_WORDS.contains(&x))
        {
            refs.push(StepRef::Step(n));
            used[i..=i + 2].iter_mut().for_each(|u| *u = true);
            i += 3;
            continue;
        }
        // "second step", "2nd big step", and a bare "the second?"
        if let Some(n) = ordinal_word(w) {
            // "the last of the three steps"
            if word(i + 1) == Some("of") {
                let plural =
                    (i + 2..=i + 4).find(|&j| word(j).is_some_and(|x| STEP_PLURALS.contains(&x)));
                if let Some(j) = plural {
                    refs.push(StepRef::Step(n));
                    used[i..=j].iter_mut().for_each(|u| *u = true);
                    i = j + 1;
                    continue;
                }
            }
            let step_word =
                (i + 1..=i + 2).find(|&j| word(j).is_some_and(|x| STEP_WORDS.contains(&x)));
            if let Some(j) = step_word {
                refs.push(StepRef::Step(n));
                used[i] = true;
                used[j] = true;
                i = j + 1;
                continue;
            }
            if content_words <= 1 {
                refs.push(StepRef::Step(n));
                used[i] = true;
                i += 1;
                continue;
            }
        }
        // "three steps", "3 reforms"
        if number_word(w) == Some(3) && word(i + 1).is_some_and(|x| STEP_PLURALS.contains(&x)) {
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
        if let Some((step, consumed)) = korean_at(tokens, i) {
            refs.push(step);
            used[i..i + consumed].iter_mut().for_each(|u| *u = true);
            i += consumed;
            continue;
        }
        i += 1;
    }
    refs.dedup();
    (refs, used)
}

/// A Korean pattern starting at token `i`, and how many tokens it spans.
fn korean_at(tokens: &[Token], i: usize) -> Option<(StepRef, usize)> {
    let mut joined = String::new();
    let mut best = None;
    for (k, token) in tokens[i..].iter().take(3).enumerate() {
        let is_number =
            token.script == Script::Latin && token.text.chars().all(|c| c.is_ascii_digit());
        if token.script != Script::Hangul && !is_number {
            break;
        }
        joined.push_str(&token.text);
        for count in KOREAN_COUNTS {
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
        for (pattern, step) in KOREAN_PATTERNS {
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

#[cfg(test)]
mod tests {
    use super::super::text::{fold, tokenize};
    use super::*;

    fn refs(q: &str) -> Vec<StepRef> {
        let tokens = tokenize(&fold(q));
        let content = tokens
            .iter()
            .filter(|t| !super::super::lexicon::is_stop(&t.text))
            .count();
        detect(&tokens, content).0
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
            ("what's the final recommendation", &[Step(3)]),
            ("first?", &[Step(1)]),
            ("what are the three steps", &[All]),
            ("3 reforms", &[All]),
            ("list the steps", &[All]),
            ("두 번째 단계가 뭐야", &[Step(2)]),
            ("두번째는?", &[Step(2)]),
            ("2단계", &[Step(2)]),
            ("3 단계 알려줘", &[Step(3)]),
            ("첫째 방안", &[Step(1)]),
            ("마지막 단계는", &[Step(3)]),
            ("마지막은 뭐야", &[Step(3)]),
            ("마지막에 한국만의 혁신 모델", &[]),
            ("세 가지 단계가 뭐야", &[All]),
            ("3가지 방안", &[All]),
            ("3단계 해법 정리 좀", &[All]),
            ("첫번쨰꺼 다시 설명해줘", &[Step(1)]),
            ("세 가지 물결", &[]),
            ("who is the author", &[]),
            ("first, what does he say about failure", &[]),
            ("second largest economy china", &[]),
        ];
        for (q, want) in cases {
            assert_eq!(refs(q), *want, "question {q:?}");
        }
    }
}
