//! Hostile input to the matcher and the knowledge-base loader (issue 4,
//! "Hostile input"; docs/RELIABILITY.md): property tests over arbitrary
//! Unicode — empty and whitespace-only text, emoji, zero-width and bidi
//! controls, combining marks, lone Hangul jamo, NUL bytes, and messages of
//! 100,000 characters — and a knowledge base cut short at every character.
//! Crashes that fuzzing (`fuzz/`) finds get their regression test here.
//!
//! What must hold for every question: `decide` does not panic; the same
//! question gets the same outcome, even with other questions asked in
//! between (the matcher keeps per-thread scratch buffers); what it names
//! exists; and only the first `max_question_chars` characters are read, so
//! the work per message is bounded whatever its length, and the reply says
//! when a message was cut.
//!
//! Case counts are kept so that the file runs in a few seconds in a debug
//! build; `PROPTEST_CASES=10000 cargo test --release --test tests hostile::` runs
//! more.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use qabot::answer::{Block, Renderer};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Decision, Matcher, MatcherConfig, Outcome};

/// The column's knowledge base and a matcher over it with the default cap.
fn fixture() -> &'static (KnowledgeBase, Matcher) {
    static FIXTURE: OnceLock<(KnowledgeBase, Matcher)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let kb = KnowledgeBase::embedded().expect("the embedded knowledge base is valid");
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        (kb, matcher)
    })
}

fn kb() -> &'static KnowledgeBase {
    &fixture().0
}

fn matcher() -> &'static Matcher {
    &fixture().1
}

/// The cap in force in these tests.
fn cap() -> usize {
    matcher().config().max_question_chars
}

/// The note a reply carries when the question was cut, in either language.
const CUT_NOTES: [&str; 2] = [
    "(Your message was long: only its beginning was read.)",
    "(메시지가 길어서 앞부분만 읽었어요.)",
];

// ---- strategies -------------------------------------------------------------

fn chars_in(range: std::ops::RangeInclusive<u32>) -> impl Strategy<Value = char> {
    // Every range below is free of surrogates, so every value is a char.
    range.prop_map(|c| char::from_u32(c).expect("no surrogates in the range"))
}

/// One character of a hostile kind, or any character at all.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        // Whitespace of every sort, and the controls that end lines.
        select(vec![
            ' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}',
            '\u{2028}', '\u{2029}', '\u{202f}', '\u{3000}',
        ]),
        // Zero-width characters and bidi controls.
        select(vec![
            '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{00ad}', '\u{061c}',
            '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}',
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ]),
        // Combining marks: Latin diacritics, Hangul tone marks, enclosing circle.
        chars_in(0x0300..=0x036f),
        select(vec![
            '\u{302e}', '\u{302f}', '\u{20dd}', '\u{20e3}', '\u{fe0f}'
        ]),
        // Hangul: conjoining jamo, compatibility jamo, extended jamo, syllables.
        chars_in(0x1100..=0x11ff),
        chars_in(0x3131..=0x318e),
        chars_in(0xa960..=0xa97c),
        chars_in(0xd7b0..=0xd7fb),
        chars_in(0xac00..=0xd7a3),
        // Emoji, skin tones, regional indicators (flags), and ZWJ glue.
        chars_in(0x1f300..=0x1faff),
        chars_in(0x1f3fb..=0x1f3ff),
        chars_in(0x1f1e6..=0x1f1ff),
        Just('\u{200d}'),
        // NUL and the other C0/C1 controls.
        chars_in(0x00..=0x1f),
        chars_in(0x7f..=0x9f),
        // Letters that change length or offsets when case-folded or normalized.
        select(vec![
            'İ', 'ß', 'ﬁ', '\u{2126}', '\u{212a}', 'Ⅻ', 'ǅ', 'ΐ', 'ﷺ', '㍿'
        ]),
    ]
}

/// Pieces of real questions, so that hostile characters land inside,
/// between and around words the matcher knows.
const WORDS: &[&str] = &[
    "what is step 2",
    "step",
    "second",
    "the third step",
    "column",
    "R&D",
    "STEM",
    "failure",
    "budget",
    "who wrote this",
    "hi",
    "thanks",
    "2단계",
    "두 번째 단계",
    "칼럼",
    "연구",
    "안녕하세요",
    "뭐야",
    "?",
    "!",
    ",",
    ".",
    "@qa_bot",
    "/ask",
];

/// Text of up to `max` pieces, each a hostile character or a known word.
fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => hostile_char().prop_map(String::from),
        1 => select(WORDS).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..=max).prop_map(|pieces| pieces.concat())
}

/// A message of at least 100,000 characters: a hostile stretch repeated.
fn huge_text() -> impl Strategy<Value = String> {
    hostile_text(24)
        .prop_filter("something to repeat", |s| !s.is_empty())
        .prop_map(|unit| {
            let n = unit.chars().count();
            unit.repeat(100_000usize.div_ceil(n))
        })
}

// ---- the invariants ------------------------------------------------------------

/// The first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// What every outcome must satisfy, whatever the question.
fn assert_well_formed(question: &str, outcome: &Outcome) {
    let entries = kb().entries.len();
    assert_eq!(
        outcome.truncated,
        question.chars().count() > cap(),
        "truncated flag for {} chars",
        question.chars().count()
    );
    for c in outcome.best.iter().chain(&outcome.suggestions) {
        assert!(c.entry < entries, "{c:?}");
        assert!(c.score.is_finite() && c.score >= 0.0, "{c:?}");
        assert!(c.coverage.is_finite(), "{c:?}");
    }
    match outcome.decision {
        Decision::Answer => assert!(outcome.best.is_some(), "{outcome:?}"),
        Decision::Suggest => assert!(!outcome.suggestions.is_empty(), "{outcome:?}"),
        Decision::Smalltalk => assert!(outcome.smalltalk.is_some(), "{outcome:?}"),
        Decision::Decline => {}
        Decision::Dropped => panic!("the matcher never drops a question"),
        Decision::Clarify => panic!("the matcher alone never asks back"),
    }
    // The reply is made, in both markups, and says whether the message was cut.
    let reply = Renderer::new(kb()).outcome(outcome);
    let plain = reply.to_plain();
    assert!(!plain.trim().is_empty(), "an empty reply to {question:?}");
    let _ = reply.to_html();
    let noted = reply
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Text(t) if CUT_NOTES.contains(&t.as_str())));
    assert_eq!(noted, outcome.truncated, "{plain}");
}

/// `decide` on `question`, checked, and asked again after `other`: the
/// second answer must be the first.
fn decide_twice(question: &str, other: &str) -> Outcome {
    let m = matcher();
    let first = m.decide(question);
    assert_well_formed(question, &first);
    let _ = m.decide(other);
    assert_eq!(m.decide(question), first, "not deterministic");
    first
}

/// An outcome with `truncated` cleared, to compare with its prefix's.
fn untruncated(outcome: Outcome) -> Outcome {
    Outcome {
        truncated: false,
        ..outcome
    }
}

/// `default` cases, or as many as PROPTEST_CASES says.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), ..ProptestConfig::default() })]

    #[test]
    fn any_text_gets_a_well_formed_deterministic_outcome(
        question in hostile_text(40),
        other in hostile_text(12),
    ) {
        decide_twice(&question, &other);
        // Ranking (inline mode) reads the same prefix and names real entries.
        let ranked = matcher().rank(&question);
        prop_assert!(ranked.iter().all(|c| c.entry < kb().entries.len()));
        prop_assert_eq!(ranked, matcher().rank(&question));
    }

    #[test]
    fn arbitrary_strings_do_not_panic(question in any::<String>()) {
        decide_twice(&question, "what is step 2");
    }
}

proptest! {
    // Each case matches 1,000 characters several times: a twentieth as many.
    #![proptest_config(ProptestConfig { cases: cases(240) / 20, ..ProptestConfig::default() })]

    #[test]
    fn a_huge_message_is_matched_on_its_first_characters_only(question in huge_text()) {
        prop_assert!(question.chars().count() >= 100_000);
        let outcome = decide_twice(&question, "hi");
        prop_assert!(outcome.truncated);
        let head = prefix(&question, cap());
        let head_outcome = matcher().decide(head);
        prop_assert!(!head_outcome.truncated);
        prop_assert_eq!(untruncated(outcome), head_outcome);
        prop_assert_eq!(matcher().rank(&question), matcher().rank(head));
    }
}

// ---- fixed worst cases ------------------------------------------------------------

/// Messages of 100,000 characters of one hostile kind each.
fn huge_cases() -> Vec<(&'static str, String)> {
    let n = 100_000;
    vec![
        ("spaces", " ".repeat(n)),
        ("newlines", "\n".repeat(n)),
        ("NUL bytes", "\0".repeat(n)),
        ("zero-width joiners", "\u{200d}".repeat(n)),
        ("bidi overrides", "\u{202e}\u{2066}".repeat(n / 2)),
        (
            "combining marks on one letter",
            format!("a{}", "\u{301}".repeat(n)),
        ),
        ("lone jamo", "ㄱㅏ".repeat(n / 2)),
        (
            "conjoining jamo",
            "\u{1100}\u{1161}\u{11a8}".repeat(n / 3 + 1),
        ),
        ("one Hangul word", "단계".repeat(n / 2)),
        ("emoji with ZWJ", "👩\u{200d}🔬".repeat(n / 3 + 1)),
        ("one long word", "a".repeat(n)),
        ("known words", "step ".repeat(n / 5)),
        ("clauses", "what is step 2? ".repeat(n / 16 + 1)),
        ("punctuation", "?!.,".repeat(n / 4)),
    ]
}

#[test]
fn huge_messages_of_one_kind_are_cut_and_say_so() {
    for (what, question) in huge_cases() {
        let outcome = decide_twice(&question, "hi");
        assert!(outcome.truncated, "{what}");
        let head = prefix(&question, cap());
        assert_eq!(
            untruncated(outcome),
            matcher().decide(head),
            "{what}: more than the first {} characters were read",
            cap()
        );
    }
}

#[test]
fn only_the_first_cap_characters_are_read() {
    // A message 100 times the cap is decided on its first `cap` characters
    // alone: the same outcome as for that head, flagged as cut. That is
    // what keeps its cost at the head's; the cost itself is a benchmark's
    // to measure (`cargo bench --bench matcher`), not a test's.
    for (what, question) in huge_cases() {
        let head = prefix(&question, cap()).to_owned();
        let long = matcher().decide(&question);
        let short = matcher().decide(&head);
        assert!(long.truncated, "{what}: not flagged as cut");
        assert!(!short.truncated, "{what}: the head is not cut");
        assert_eq!(
            (long.decision, long.best, &long.suggestions),
            (short.decision, short.best, &short.suggestions),
            "{what}"
        );
    }
}

#[test]
fn empty_and_blank_questions_are_small_talk() {
    // Nothing to match is no question about the column: the help text, not
    // a decline or a guess.
    let blank = [
        "",
        " ",
        "\n\t\r",
        "\u{3000}\u{a0}",
        "\u{200b}\u{200d}\u{feff}",
        "\u{202e}\u{2066}\u{2069}",
        "\0",
        "\0\0\0",
    ];
    for question in blank {
        let outcome = decide_twice(question, "what is step 2");
        assert_eq!(outcome.decision, Decision::Smalltalk, "{question:?}");
    }
}

#[test]
fn a_small_cap_is_honoured_too() {
    // The cap comes from the config: any value from 1 up must hold.
    let kb = kb();
    let questions = [
        "what is step 2 of the plan",
        "2단계는 뭐야 그리고 3단계는",
        "👩‍🔬👩‍🔬 step 1",
        "a\u{301}\u{301} step",
    ];
    for cap in [1, 2, 5, 17] {
        let config = MatcherConfig {
            max_question_chars: cap,
            ..MatcherConfig::default()
        };
        let matcher = Matcher::new(kb, config);
        for question in questions {
            let outcome = matcher.decide(question);
            let head = prefix(question, cap);
            assert_eq!(
                outcome.truncated,
                head.len() < question.len(),
                "{cap}: {question:?}"
            );
            assert_eq!(
                untruncated(outcome),
                matcher.decide(head),
                "{cap}: {question:?}"
            );
        }
    }
}

// ---- the knowledge-base loader ------------------------------------------------------

/// The lines a problem may name in `text`: from 1 to one past its last
/// newline (an error at the very end of a file is on its last line).
fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// Loads `manifest` over `source` (without the file system) and checks that
/// it either loads or fails with problems that name a line of their file
/// when they have one.
fn assert_loads_or_names_a_line(manifest: &str, source: &str) {
    let Err(error) = KnowledgeBase::from_parts("knowledge.toml", manifest, source) else {
        return;
    };
    assert!(!error.problems.is_empty());
    for problem in &error.problems {
        // Only the coverage check reports in the source file.
        let in_source = problem
            .message
            .starts_with("no entry quotes this paragraph");
        let lines = line_count(if in_source { source } else { manifest });
        // A problem of the whole file ("has no [[entry]]") has no line.
        let Some(line) = problem.line else {
            continue;
        };
        assert!(
            (1..=lines).contains(&line),
            "line {line} of {lines}: {problem}\n--- manifest:\n{manifest}"
        );
    }
    let _ = error.to_string();
}

fn fixture_file(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/knowledge/valid/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_truncation_of_a_knowledge_base_is_a_clear_error() {
    // A file cut short (a full disk, an interrupted copy) at any character:
    // exhaustively, over the small valid fixture, both files in turn.
    let manifest = fixture_file("knowledge.toml");
    let source = fixture_file("article.txt");
    assert!(KnowledgeBase::from_parts("knowledge.toml", &manifest, &source).is_ok());
    for (cut, _) in manifest.char_indices() {
        assert_loads_or_names_a_line(&manifest[..cut], &source);
    }
    for (cut, _) in source.char_indices() {
        assert_loads_or_names_a_line(&manifest, &source[..cut]);
    }
}

#[test]
fn every_line_of_a_manifest_can_go_missing() {
    // A line lost in an edit: each one left out in turn.
    let manifest = fixture_file("knowledge.toml");
    let source = fixture_file("article.txt");
    let lines: Vec<&str> = manifest.lines().collect();
    for skip in 0..lines.len() {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != skip)
            .map(|(_, l)| *l)
            .collect();
        assert_loads_or_names_a_line(&(text.join("\n") + "\n"), &source);
    }
}
