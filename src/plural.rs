//! Counts of things in English words ("1 question", "2 people"): one
//! helper for every message that counts, so that none says "1 questions".

/// `n` and its noun, singular for one: "1 question", "2 questions".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", noun(n, singular, plural))
}

/// The word for `n` of a thing, singular for one, where the number is
/// written otherwise ("three steps") or not at all ("declines it").
pub fn noun<'a>(n: usize, singular: &'a str, plural: &'a str) -> &'a str {
    if n == 1 { singular } else { plural }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one() {
        let cases = [
            (0, "0 Korean questions"),
            (1, "1 Korean question"),
            (2, "2 Korean questions"),
        ];
        for (n, expected) in cases {
            assert_eq!(count(n, "Korean question", "Korean questions"), expected);
        }
        assert_eq!(count(1, "person", "people"), "1 person");
        assert_eq!(count(3, "person", "people"), "3 people");
        for (n, expected) in [(0, "them"), (1, "it"), (2, "them")] {
            assert_eq!(noun(n, "it", "them"), expected);
        }
    }
}
