//! Roles held now and roles held before. "Who is the current president of
//! the institute?" is not answered by a passage calling someone its
//! "former president": the passage says who held the role, not who holds
//! it. The words for now and before are data lists
//! (`data/now_words.txt`, `data/former_words.txt`).

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use super::text::{fold, strip_korean, tokenize, word_list};

static NOW: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/now_words.txt")));

static FORMER: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_list(include_str!("data/former_words.txt")));

/// The roles a passage says someone held before ("former president" →
/// "president"), folded.
pub(super) fn former_roles(passage: &[String]) -> Vec<String> {
    passage
        .iter()
        .flat_map(|paragraph| {
            let tokens = tokenize(&fold(paragraph));
            tokens
                .windows(2)
                .filter(|pair| FORMER.contains(&pair[0].text))
                .map(|pair| pair[1].text.clone())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The roles a question's words (folded) may ask about as held now: the
/// two words after a word of `now_words.txt` ("the current president" →
/// "president"; "the current KIST president", "지금 KIST 원장은" → "kist",
/// "president" / "원장"), Korean ones without their particles.
pub(super) fn roles_asked_now(words: &[String]) -> Vec<&str> {
    /// How far after the word for now the role may come.
    const REACH: usize = 2;
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| NOW.contains(w.as_str()))
        .flat_map(|(i, _)| words.iter().skip(i + 1).take(REACH))
        .map(|w| strip_korean(w))
        .collect()
}

/// Whether a passage's former `roles` include one asked about as held now.
pub(super) fn held_before(roles: &[String], asked_now: &[&str]) -> bool {
    roles.iter().any(|r| asked_now.contains(&r.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(question: &str) -> Vec<String> {
        tokenize(&fold(question))
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn a_role_held_before_does_not_answer_who_holds_it_now() {
        let passage =
            ["She is a senior fellow, and former president, of the institute.".to_owned()];
        let roles = former_roles(&passage);
        assert_eq!(roles, ["president"]);
        let cases = [
            ("Who is the current president of the institute?", true),
            ("What's the name of the present president?", true),
            ("Was she the president of the institute?", false),
            ("What is her current job?", false),
            ("Who is the current director?", false),
            // A word may come between, and Korean marks its words.
            ("Who's the current KIST president?", true),
            ("현재 원장은 누구야?", false),
        ];
        for (question, want) in cases {
            let words = words(question);
            let asked_now = roles_asked_now(&words);
            assert_eq!(held_before(&roles, &asked_now), want, "{question}");
        }
        // The Korean role as written: the knowledge base's synonyms make it
        // the passage's (`Index::rank`).
        assert_eq!(
            roles_asked_now(&words("지금 KIST 원장은 누구야?")),
            ["kist", "원장"]
        );
        assert!(former_roles(&["The president spoke.".to_owned()]).is_empty());
    }
}
