//! Where a passage that is not verbatim in the source first differs from it,
//! so `qabot check` can point at the one wrong character of a long excerpt
//! (a `;` for a `,`, a straight quote for a curly one, a no-break space)
//! rather than quote its start, which is usually right.

use std::fmt;

/// Characters of context shown on each side of the difference.
const CONTEXT: usize = 16;

/// A matching start shorter than this is taken for chance (a few letters
/// occur anywhere), not for where the passage was copied from.
const MIN_ANCHOR: usize = 8;

/// How a passage first departs from the source: the longest start of the
/// passage found anywhere in the source, and what follows it on each side.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Difference {
    /// Characters of the passage, from its start, that the source has.
    pub matched_chars: usize,
    /// Byte offset in the source of the first character that differs (just
    /// past the matching start), or `None` when the matching start is too
    /// short to say where the passage was copied from.
    pub source_offset: Option<usize>,
    /// The end of the matching start and the passage's next characters.
    passage_excerpt: String,
    /// The same stretch of the source; `None` when no start matched.
    source_excerpt: Option<String>,
    /// The first differing character on each side (`None`: that text ends).
    passage_char: Option<char>,
    source_char: Option<char>,
}

/// Finds where `passage`, which the source does not contain whole, first
/// differs from `source`. Works on characters, so multi-byte text is never
/// cut inside a character.
pub(super) fn first_difference(source: &str, passage: &str) -> Difference {
    // Byte offsets of the passage's character boundaries, its end included.
    let bounds: Vec<usize> = passage
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(passage.len()))
        .collect();
    // A start the source contains has every shorter start in it too, so the
    // longest one is found by bisection on its length in characters.
    let (mut lo, mut hi) = (0, bounds.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if source.contains(&passage[..bounds[mid]]) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let matched = lo;
    let split = bounds[matched];
    if matched < MIN_ANCHOR {
        return Difference {
            matched_chars: matched,
            source_offset: None,
            passage_excerpt: excerpt("", passage),
            source_excerpt: None,
            passage_char: None,
            source_char: None,
        };
    }
    let passage_excerpt = excerpt(&passage[..split], &passage[split..]);
    let passage_char = passage[split..].chars().next();
    let at = source.find(&passage[..split]).unwrap_or(0) + split;
    Difference {
        matched_chars: matched,
        source_offset: Some(at),
        passage_excerpt,
        // The same start on both sides, not what precedes it in the source.
        source_excerpt: Some(excerpt(&passage[..split], &source[at..])),
        passage_char,
        source_char: source[at..].chars().next(),
    }
}

/// The last `CONTEXT` characters of `before` and the first of `after`, with
/// `…` where either is cut.
fn excerpt(before: &str, after: &str) -> String {
    let count = before.chars().count();
    let mut shown = String::new();
    if count > CONTEXT {
        shown.push('…');
    }
    shown.extend(before.chars().skip(count.saturating_sub(CONTEXT)));
    shown.extend(after.chars().take(CONTEXT));
    if after.chars().nth(CONTEXT).is_some() {
        shown.push('…');
    }
    shown
}

/// `U+201C`, or `the end` for a text that has ended.
struct CodePoint(Option<char>);

impl fmt::Display for CodePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(c) => write!(f, "U+{:04X}", u32::from(c)),
            None => f.write_str("the end"),
        }
    }
}

impl Difference {
    /// Says where the difference is, naming the source's place as `where_`
    /// (a file and line, e.g. `column.txt:7`).
    pub fn describe(&self, where_: &str) -> String {
        let Some(source_excerpt) = &self.source_excerpt else {
            return format!(
                "its start, {:?}, is nowhere in the source",
                self.passage_excerpt
            );
        };
        format!(
            "from character {} the passage has {:?} where {where_} has {:?} ({} vs {})",
            self.matched_chars + 1,
            self.passage_excerpt,
            source_excerpt,
            CodePoint(self.passage_char),
            CodePoint(self.source_char),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_where_a_passage_first_departs_from_its_source() {
        let column = "Third, we must expand research, evaluation and training abroad.\n\nA “20 percent free time” policy could be considered.";
        // (what, source, passage, characters matched, description)
        let cases: &[(&str, &str, &str, usize, &str)] = &[
            (
                "ASCII, far from the start",
                column,
                "Third, we must expand research; evaluation and training abroad.",
                30,
                r#"from character 31 the passage has "… expand research; evaluation and…" where S:1 has "… expand research, evaluation and…" (U+003B vs U+002C)"#,
            ),
            (
                "at the first character",
                column,
                "third, we must",
                1,
                r#"its start, "third, we must", is nowhere in the source"#,
            ),
            (
                "a straight quote for a curly one, at the start",
                column,
                "\"20 percent free time\" policy",
                0,
                r#"its start, "\"20 percent free…", is nowhere in the source"#,
            ),
            (
                "a straight quote for a curly one",
                column,
                "A “20 percent free time\" policy",
                23,
                r#"from character 24 the passage has "…ercent free time\" policy" where S:1 has "…ercent free time” policy could b…" (U+0022 vs U+201D)"#,
            ),
            (
                "a no-break space for a space",
                column,
                "Third, we\u{a0}must",
                9,
                r#"from character 10 the passage has "Third, we\u{a0}must" where S:1 has "Third, we must expand res…" (U+00A0 vs U+0020)"#,
            ),
            (
                "Korean, multi-byte characters",
                "과학기술 인재 부족은 심각하다.",
                "과학기술 인재 부족은 심각합니다.",
                14,
                r#"from character 15 the passage has "과학기술 인재 부족은 심각합니다." where S:1 has "과학기술 인재 부족은 심각하다." (U+D569 vs U+D558)"#,
            ),
            (
                "at the last character of the source",
                "Label every sample.",
                "Label every sample!",
                18,
                r#"from character 19 the passage has "…bel every sample!" where S:1 has "…bel every sample." (U+0021 vs U+002E)"#,
            ),
            (
                "past the end of the source",
                "Label every sample.",
                "Label every sample. Then return the tools.",
                19,
                r#"from character 20 the passage has "…el every sample. Then return the…" where S:1 has "…el every sample." (U+0020 vs the end)"#,
            ),
            (
                "a start found further on, in another paragraph",
                column,
                "A “20 percent free time” rule",
                25,
                r#"from character 26 the passage has "…cent free time” rule" where S:1 has "…cent free time” policy could be …" (U+0072 vs U+0070)"#,
            ),
        ];
        for (what, source, passage, matched, says) in cases {
            assert!(!source.contains(passage), "{what}: the case must differ");
            let difference = first_difference(source, passage);
            assert_eq!(difference.matched_chars, *matched, "{what}");
            assert_eq!(difference.describe("S:1"), *says, "{what}");
            if let Some(at) = difference.source_offset {
                let start: String = passage.chars().take(*matched).collect();
                assert!(source[..at].ends_with(&start), "{what}: offset {at}");
            }
        }
    }
}
