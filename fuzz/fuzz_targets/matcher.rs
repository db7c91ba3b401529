//! Fuzzes the matcher: `Matcher::decide` (and `rank`, and the reply the
//! renderer makes of the outcome) on arbitrary input over the column's
//! knowledge base. The bytes are read both as UTF-8 with invalid sequences
//! replaced (what a lossy front end would pass on) and, when they are valid,
//! as the `&str` itself, so inputs with U+FFFD and without both occur.
//!
//! Beyond "no panic", it checks what every caller relies on: the same
//! question gets the same outcome, the cap on question length holds, and an
//! answer or suggestion names entries that exist.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qabot::answer::Renderer;
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Decision, Matcher, MatcherConfig};

struct Fixture {
    kb: KnowledgeBase,
    matcher: Matcher,
}

/// Indexing is done once per process: it is not what is fuzzed here.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let kb = KnowledgeBase::embedded().expect("the embedded knowledge base is valid");
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        Fixture { kb, matcher }
    })
}

fn check(question: &str) {
    let Fixture { kb, matcher } = fixture();
    let outcome = matcher.decide(question);
    assert_eq!(matcher.decide(question), outcome, "not deterministic");
    let cap = matcher.config().max_question_chars;
    assert_eq!(outcome.truncated, question.chars().count() > cap);
    for candidate in outcome.best.iter().chain(&outcome.suggestions) {
        assert!(candidate.entry < kb.entries.len());
        assert!(candidate.score.is_finite(), "{candidate:?}");
    }
    match outcome.decision {
        Decision::Answer => assert!(outcome.best.is_some()),
        Decision::Suggest => assert!(!outcome.suggestions.is_empty()),
        Decision::Smalltalk => assert!(outcome.smalltalk.is_some()),
        Decision::Decline => {}
        Decision::Dropped => panic!("the matcher never drops a question"),
    }
    for candidate in matcher.rank(question) {
        assert!(candidate.entry < kb.entries.len());
    }
    let reply = Renderer::new(kb).outcome(&outcome);
    let _ = (reply.to_plain(), reply.to_html());
}

fuzz_target!(|data: &[u8]| {
    let lossy = String::from_utf8_lossy(data);
    check(&lossy);
    if let Ok(text) = std::str::from_utf8(data) {
        // Valid UTF-8 is already checked, unchanged, as `lossy`.
        debug_assert_eq!(text, lossy);
    } else if let Some(valid) = data.utf8_chunks().next().map(|c| c.valid()) {
        // The valid prefix alone, as a front end that stops at the first bad
        // byte would pass it.
        check(valid);
    }
});
