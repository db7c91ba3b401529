//! Fuzzes the knowledge-base loader (`KnowledgeBase::from_parts`, the
//! checks `qabot check` runs on a directory, without the file system).
//!
//! The first byte picks what the rest is:
//! - even: the text of `knowledge.toml`, with the real `column.txt` as the
//!   source it quotes — TOML parsing, serde, and every validation rule;
//! - odd: the source text, with the real `knowledge.toml` — the verbatim
//!   and coverage checks over text they were not written for.
//!
//! Bytes that are not UTF-8 are read lossily: the loader refuses such a file
//! before parsing (a path covered by process tests), so only text gets here.
//!
//! Beyond "no panic", every problem reported must name a line inside the
//! file it names, and a knowledge base that loads must be usable: indexed,
//! and asked a question.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qabot::knowledge::{KnowledgeBase, MANIFEST};
use qabot::matcher::{Matcher, MatcherConfig};

const MANIFEST_TEXT: &str = include_str!("../../knowledge/knowledge.toml");
const SOURCE_TEXT: &str = include_str!("../../knowledge/column.txt");

fn lines(text: &str) -> usize {
    text.split('\n').count()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (manifest, source) = if selector % 2 == 0 {
        (&*text, SOURCE_TEXT)
    } else {
        (MANIFEST_TEXT, &*text)
    };
    match KnowledgeBase::from_parts(MANIFEST, manifest, source) {
        Ok(kb) => {
            let matcher = Matcher::new(&kb, MatcherConfig::default());
            let _ = matcher.decide("what is the second step?");
            let _ = matcher.decide("2단계는 뭐야");
        }
        Err(error) => {
            assert!(!error.problems.is_empty());
            for problem in &error.problems {
                // Only the coverage check reports in the source; its file
                // is whatever `source.text` says, which may even be
                // "knowledge.toml", so the message tells them apart.
                let in_source = problem
                    .message
                    .starts_with("no entry quotes this paragraph");
                let file_lines = lines(if in_source { source } else { manifest });
                if let Some(line) = problem.line {
                    assert!(
                        (1..=file_lines).contains(&line),
                        "line {line} of {file_lines}: {problem}"
                    );
                }
            }
            // The message a user sees is built without panicking.
            let _ = error.to_string();
        }
    }
});
