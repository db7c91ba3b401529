//! Acronyms a passage spells out beside them: "Korea Institute of Science
//! and Technology (KIST)", "STEM — science, technology, engineering and
//! mathematics". A question asking what an acronym stands for is answered
//! by the passage that spells it out, not by every passage that uses it.

/// Little words an acronym leaves out ("Institute of Science and
/// Technology" is "IST").
const SKIPPED: &[&str] = &["and", "of", "the", "for", "in", "on", "&"];

/// The longest acronym looked for, in letters.
const MAX_LETTERS: usize = 8;

/// The acronyms, folded ("kist", "r&d"), that `words` (a passage split at
/// whitespace, dashes and parentheses, punctuation left on) spell out
/// right before or right after them. Of three letters or more, one may
/// differ from its word's initial (a slip of the text: "science,
/// technology, engineering and technology"); the first never may.
pub(super) fn spelled_out(words: &[&str]) -> Vec<String> {
    let bare: Vec<String> = words
        .iter()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&')
                .to_owned()
        })
        .collect();
    let mut out = Vec::new();
    for (i, word) in bare.iter().enumerate() {
        let Some(letters) = letters(word) else {
            continue;
        };
        let after = initials(bare[i + 1..].iter(), letters.len());
        let mut before = initials(bare[..i].iter().rev(), letters.len());
        before.reverse();
        if spells(&letters, &after) || spells(&letters, &before) {
            let folded = word.to_lowercase();
            if !out.contains(&folded) {
                out.push(folded);
            }
        }
    }
    out
}

/// The first `n` initials of these words, lower case, the little words
/// an acronym leaves out skipped.
fn initials<'a>(words: impl Iterator<Item = &'a String>, n: usize) -> Vec<char> {
    words
        .filter(|w| !SKIPPED.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_lowercase())
        .take(n)
        .collect()
}

/// The letters of an acronym ("R&D" is r, d), or `None` for a word that is
/// not one: two to eight capitals, and nothing else but "&".
fn letters(word: &str) -> Option<Vec<char>> {
    let letters: Vec<char> = word
        .chars()
        .filter(|&c| c != '&')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let shaped = word.chars().all(|c| c.is_ascii_uppercase() || c == '&')
        && (2..=MAX_LETTERS).contains(&letters.len());
    shaped.then_some(letters)
}

/// Whether these initials spell the acronym's letters: all of them, or for
/// three letters or more all but one, the first always.
fn spells(letters: &[char], initials: &[char]) -> bool {
    if initials.len() < letters.len() || initials[0] != letters[0] {
        return false;
    }
    let differ = letters.iter().zip(initials).filter(|(a, b)| a != b).count();
    differ == 0 || (letters.len() >= 3 && differ == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        text.split(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | '(' | ')'))
            .filter(|w| !w.is_empty())
            .collect()
    }

    #[test]
    fn acronyms_spelled_out_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "He led the Korea Institute of Science and Technology (KIST).",
                &["kist"],
            ),
            ("cuts in research and development (R&D) budgets", &["r&d"]),
            // One slip in four letters, the first kept.
            (
                "STEM — science, technology, engineering and technology — talent",
                &["stem"],
            ),
            // Used, not spelled out.
            ("a leader in AI and big data", &[]),
            ("Its CEO, Liang Wenfeng, born in 1985", &[]),
            // Two letters must both agree.
            ("a new AI, alpha intelligence", &["ai"]),
            ("a new AI, beta intelligence", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(spelled_out(&split(text)), *want, "{text}");
        }
    }
}
