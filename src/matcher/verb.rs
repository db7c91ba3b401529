//! Korean verb forms brought back to their stem, so that a question's
//! conjugation the knowledge base never used meets the one it did: "실린"
//! (published, before a noun) and "실렸어" (was published) are both "실리";
//! "깎였는지" and "깎인" are both "깎이".
//!
//! The rule is the regular one: an ending is taken off, then a final ㄴ, ㄹ
//! or ㅆ that carries tense or a noun-modifying form, then the vowel a
//! contraction made ("려" is "리" + "어"). It is only ever used to look up a
//! word neither the index nor its typo correction knows, so a noun it would
//! mangle ("연구원" read as a verb) costs nothing: no verb of the knowledge
//! base has that stem.

use super::text::Syllable;

/// Endings after a verb stem, longest first within each pair of forms.
const ENDINGS: &[&str] = &[
    "었어요",
    "았어요",
    "었는지",
    "았는지",
    "었는데",
    "았는데",
    "었다고",
    "았다고",
    "었어",
    "았어",
    "었다",
    "았다",
    "었지",
    "았지",
    "었냐",
    "았냐",
    "었나",
    "았나",
    "었대",
    "았대",
    "었던",
    "았던",
    "어요",
    "아요",
    "어야",
    "아야",
    "어서",
    "아서",
    "는지",
    "는데",
    "다고",
    "자는",
    "자고",
    "었",
    "았",
    "어",
    "아",
    "다",
    "는",
    "은",
    "지",
    "냐",
    "대",
];

/// Vowels (by index among the 21) a contraction makes, each with the
/// stem's vowel it came from: ㅕ from ㅣ (리+어), ㅘ from ㅗ (오+아), ㅝ from
/// ㅜ (우+어), ㅙ from ㅚ (되+어).
const CONTRACTIONS: &[(u32, u32)] = &[(6, 20), (9, 8), (14, 13), (10, 11)];

/// ㅐ, made from ㅏ only after ㅎ (하+여 is 해); elsewhere it is the stem's
/// own vowel ("보내").
const AE: u32 = 1;
const A: u32 = 0;
const HIEUH: u32 = 18;

/// The stem of a Korean verb form, or `None` when the word does not look
/// conjugated or the stem left would be too short to mean anything: a
/// single syllable ("하", "되", "없") is half the verbs of the language.
pub(super) fn stem(word: &str) -> Option<String> {
    let mut rest = word;
    let mut changed = false;
    if let Some(shorter) = ENDINGS
        .iter()
        .find_map(|e| word.strip_suffix(e).filter(|s| !s.is_empty()))
    {
        rest = shorter;
        changed = true;
    }
    let mut chars: Vec<char> = rest.chars().collect();
    let mut syllable = Syllable::of(*chars.last()?)?;
    // A final that is the form's own: on a word long enough that the
    // syllable is not the whole stem ("실린"), or after an ending was taken
    // off ("깎였어" → "깎였").
    let tense = matches!(
        syllable.last,
        Syllable::NIEUN | Syllable::RIEUL | Syllable::SSANG_SIOT
    );
    if tense && (changed || chars.len() >= 2) {
        syllable.last = 0;
        changed = true;
    }
    if !changed || chars.len() == 1 {
        return None;
    }
    // With the ending gone, the vowel it merged into is undone too.
    if syllable.last == 0 {
        if let Some(&(_, from)) = CONTRACTIONS
            .iter()
            .find(|&&(made, _)| made == syllable.vowel)
        {
            syllable.vowel = from;
        } else if syllable.vowel == AE && syllable.initial == HIEUH {
            syllable.vowel = A;
        }
    }
    *chars.last_mut()? = syllable.to_char()?;
    Some(chars.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conjugations_meet_at_their_stem() {
        let cases = [
            ("실렸어", Some("실리")),
            ("실린", Some("실리")),
            ("실리는", Some("실리")),
            ("실렸다", Some("실리")),
            ("깎였어", Some("깎이")),
            ("깎였는지", Some("깎이")),
            ("깎인", Some("깎이")),
            ("나왔어", Some("나오")),
            ("나온", Some("나오")),
            // 만들다 drops its ㄹ before ㄴ: both forms meet without it.
            ("만들었는데", Some("만드")),
            ("만든", Some("만드")),
            ("다뤘어", Some("다루")),
            ("다룬", Some("다루")),
            ("키웠대", Some("키우")),
            ("키운", Some("키우")),
            // A stem of one syllable says too little: "하", "되", "없".
            ("했어", None),
            ("한", None),
            ("없었던", None),
            ("뽑았어", None),
            // Not conjugated.
            ("정책", None),
            ("왜", None),
        ];
        for (word, want) in cases {
            assert_eq!(stem(word).as_deref(), want, "{word}");
        }
    }
}
