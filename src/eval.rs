//! Scoring the matcher on a labelled question file.
//!
//! The file is tab-separated UTF-8: a header `expected<TAB>category<TAB>question`,
//! then one question per line. `expected` is an entry id (the question
//! should be answered with that entry), `smalltalk` or `decline`. Lines
//! starting with `#` and blank lines are skipped.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::files::ReadError;
use crate::knowledge::KnowledgeBase;
use crate::located::Located;
use crate::matcher::{Decision, Matcher, text::has_hangul};

/// The label that says a question must be declined.
pub const DECLINE: &str = "decline";
/// The label that says a question is small talk.
pub const SMALLTALK: &str = "smalltalk";
/// The label that says a message must be answered with a question back
/// (in a conversation: a follow-up with nothing before it).
pub const CLARIFY: &str = "clarify";

/// One labelled question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub line: usize,
    pub expected: String,
    pub category: String,
    pub question: String,
}

/// The largest question file read: a labelled set is hand-made, so a
/// bigger file is almost surely the wrong one.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The two kinds of labelled file `qabot eval` reads, told apart by their
/// header: each error ends with the format of its own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelledKind {
    /// `expected<TAB>category<TAB>question`.
    Questions,
    /// `expected<TAB>turn<TAB>message`: conversations.
    Dialogues,
}

impl LabelledKind {
    /// What a line of this kind of file holds.
    fn format(self) -> &'static str {
        match self {
            LabelledKind::Questions => {
                "each line is expected<TAB>category<TAB>question; expected is an entry id, `smalltalk` or `decline`"
            }
            LabelledKind::Dialogues => {
                "each line is expected<TAB>turn<TAB>message, turn `first` or `follow-up`, a blank line between conversations; expected is an entry id, `smalltalk`, `decline` or `clarify`"
            }
        }
    }
}

/// A labelled file that cannot be read.
///
/// Each message is complete: an I/O error is part of the text and not
/// also a `source()`, or a report that walks the chain would print it twice.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(
        "{path}: cannot read the question file: {error}\n    hint: pass a tab-separated file with columns expected, category, question"
    )]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    /// What is wrong, at its line, or of the whole file (no line).
    #[error("{at}\n    hint: {}", kind.format())]
    Invalid {
        at: Located<String>,
        kind: LabelledKind,
    },
    #[error(
        "{}\n    hint: a labelled file is written by hand; check that this is the right one",
        Located::in_file(path, format!("the file is {bytes} bytes, over the {MAX_BYTES} byte limit"))
    )]
    TooLarge { path: PathBuf, bytes: u64 },
}

impl EvalError {
    /// `message` about `path` of `kind`, at `line` when it has one.
    pub fn invalid(path: &Path, kind: LabelledKind, line: Option<usize>, message: String) -> Self {
        let at = match line {
            Some(line) => Located::on_line(path, line, message),
            None => Located::in_file(path, message),
        };
        EvalError::Invalid { at, kind }
    }
}

/// The text of a labelled file of `kind`, or why it cannot be read.
pub fn read_labelled(path: &Path, kind: LabelledKind) -> Result<String, EvalError> {
    crate::files::read_text(path, MAX_BYTES).map_err(|e| match e {
        ReadError::Io { path, error } => EvalError::Read { path, error },
        ReadError::TooLarge { path, bytes, .. } => EvalError::TooLarge { path, bytes },
        ReadError::NotUtf8 { path, line } => {
            EvalError::invalid(&path, kind, Some(line), "not valid UTF-8".into())
        }
    })
}

/// What was done, as a label: an entry id, `suggest:a,b`, `smalltalk`,
/// `decline`, or in a conversation `clarify`.
pub fn outcome_label(kb: &KnowledgeBase, outcome: &crate::matcher::Outcome) -> String {
    let id = |c: &crate::matcher::Candidate| kb.entries[c.entry].id.as_str();
    match outcome.decision {
        Decision::Answer => outcome.best.as_ref().map_or("", id).to_owned(),
        Decision::Suggest => format!(
            "suggest:{}",
            outcome
                .suggestions
                .iter()
                .map(id)
                .collect::<Vec<_>>()
                .join(",")
        ),
        Decision::Smalltalk => SMALLTALK.to_owned(),
        Decision::Decline | Decision::Dropped => DECLINE.to_owned(),
        Decision::Clarify => CLARIFY.to_owned(),
    }
}

/// Reads and checks a labelled question file against the entry ids of `kb`.
pub fn load(path: &Path, kb: &KnowledgeBase) -> Result<Vec<Labelled>, EvalError> {
    let invalid =
        |line, message: String| EvalError::invalid(path, LabelledKind::Questions, line, message);
    let text = read_labelled(path, LabelledKind::Questions)?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty()
            || raw.starts_with('#')
            || (out.is_empty() && raw.starts_with("expected\t"))
        {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let [expected, category, question] = fields[..] else {
            return Err(invalid(
                Some(line),
                format!("expected 3 tab-separated fields, found {}", fields.len()),
            ));
        };
        if expected != DECLINE && expected != SMALLTALK && kb.entry(expected).is_none() {
            return Err(invalid(
                Some(line),
                format!("unknown expected label {expected:?}"),
            ));
        }
        out.push(Labelled {
            line,
            expected: expected.to_owned(),
            category: category.to_owned(),
            question: question.to_owned(),
        });
    }
    if out.is_empty() {
        return Err(invalid(None, "no questions in the file".into()));
    }
    Ok(out)
}

/// Right and total for one group of questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub right: usize,
    pub total: usize,
}

impl Tally {
    /// Counts one more, right or not.
    pub fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
    }

    /// Share right, 0–1 (1 for an empty group).
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:5.1}% ({}/{})",
            100.0 * self.rate(),
            self.right,
            self.total
        )
    }
}

/// A question the matcher got wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub line: usize,
    pub question: String,
    pub expected: String,
    /// What it did: an entry id, `suggest:a,b`, `smalltalk` or `decline`.
    pub got: String,
    pub score: f32,
}

/// The result of running a question file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub overall: Tally,
    pub by_category: BTreeMap<String, Tally>,
    /// Questions with Hangul in them.
    pub korean: Tally,
    /// Questions labelled `decline` that were declined.
    pub out_of_scope: Tally,
    /// Questions labelled with an entry that was answered or among the suggestions.
    pub in_scope_found: Tally,
    /// Questions answered with an entry other than their label (a passage
    /// for a question labelled small talk or decline counts too): the worst
    /// outcome, since the reply quotes the wrong passage confidently.
    /// `right` counts these wrong answers, `total` every question.
    pub wrong_answers: Tally,
    /// Right answers whose reply marks one sentence of the passage as the
    /// one that answers (`right` counts the marked ones).
    pub marked: Tally,
    pub misses: Vec<Miss>,
    /// Time `Matcher::decide` took on each question, in microseconds,
    /// sorted (a rough figure for comparisons; `cargo bench` is the
    /// careful one).
    pub micros: Vec<f64>,
}

/// Runs every question through the matcher.
pub fn run(matcher: &Matcher, kb: &KnowledgeBase, questions: &[Labelled]) -> Report {
    let mut report = Report::default();
    report.micros.reserve(questions.len());
    for q in questions {
        let start = std::time::Instant::now();
        let outcome = matcher.decide(&q.question);
        report.micros.push(start.elapsed().as_secs_f64() * 1e6);
        let got = outcome_label(kb, &outcome);
        let right = got == q.expected;
        report.overall.add(right);
        report
            .wrong_answers
            .add(outcome.decision == Decision::Answer && !right);
        if right && outcome.decision == Decision::Answer {
            report.marked.add(outcome.mark.is_some());
        }
        report
            .by_category
            .entry(q.category.clone())
            .or_default()
            .add(right);
        if has_hangul(&q.question) {
            report.korean.add(right);
        }
        if q.expected == DECLINE {
            report.out_of_scope.add(right);
        } else if q.expected != SMALLTALK {
            let found = right
                || (outcome.decision == Decision::Suggest
                    && outcome
                        .suggestions
                        .iter()
                        .any(|c| kb.entries[c.entry].id == q.expected));
            report.in_scope_found.add(found);
        }
        if !right {
            report.misses.push(Miss {
                line: q.line,
                question: q.question.clone(),
                expected: q.expected.clone(),
                got,
                score: outcome.best.map_or(0.0, |b| b.score),
            });
        }
    }
    report.micros.sort_by(f64::total_cmp);
    report
}

impl Report {
    /// The report as text; with `misses`, every miss is listed.
    /// The `p`-quantile (0–1) of the per-question times, in microseconds.
    pub fn micros_at(&self, p: f64) -> f64 {
        match self.micros.len() {
            0 => 0.0,
            n => self.micros[((n as f64 * p) as usize).min(n - 1)],
        }
    }

    pub fn render(&self, misses: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "overall                 {}", self.overall);
        let _ = writeln!(out, "korean (has Hangul)     {}", self.korean);
        let _ = writeln!(out, "out-of-scope declined   {}", self.out_of_scope);
        let _ = writeln!(
            out,
            "in-scope found (answer or suggestion) {}",
            self.in_scope_found
        );
        let _ = writeln!(out, "wrong answers           {}", self.wrong_answers);
        let _ = writeln!(out, "sentence marked (of right answers) {}", self.marked);
        let (median, p99) = (self.micros_at(0.5), self.micros_at(0.99));
        let _ = writeln!(out, "{}", speed_line(median, p99, cfg!(debug_assertions)));
        let _ = writeln!(out, "by category:");
        for (category, tally) in &self.by_category {
            let _ = writeln!(out, "  {category:<14} {tally}");
        }
        if misses && !self.misses.is_empty() {
            let _ = writeln!(out, "misses ({}):", self.misses.len());
            for m in &self.misses {
                let _ = writeln!(
                    out,
                    "  line {:>3}: {:?}\n            expected {}, got {} (score {:.3})",
                    m.line, m.question, m.expected, m.got, m.score
                );
            }
        }
        out
    }
}

/// Every EvalError is the user's to fix: a question file they gave.
impl crate::errors::UserError for EvalError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

/// The report's speed line. A debug build's figures are many times a
/// release build's, so only they carry the hint to build with --release.
fn speed_line(median: f64, p99: f64, debug_build: bool) -> String {
    let hint = if debug_build {
        "; a debug build: build with --release for real figures"
    } else {
        ""
    };
    format!("speed: median {median:.1} µs, p99 {p99:.1} µs a question (Matcher::decide{hint})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_debug_build_is_told_to_build_with_release() {
        let cases = [
            (
                true,
                "speed: median 2.6 µs, p99 9.0 µs a question (Matcher::decide; a debug build: build with --release for real figures)",
            ),
            (
                false,
                "speed: median 2.6 µs, p99 9.0 µs a question (Matcher::decide)",
            ),
        ];
        for (debug_build, line) in cases {
            assert_eq!(
                speed_line(2.56, 9.0, debug_build),
                line,
                "debug: {debug_build}"
            );
        }
    }

    #[test]
    fn a_question_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = std::env::temp_dir().join(format!("qabot-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("q.tsv");
        std::fs::File::create(&path)
            .unwrap()
            .set_len(MAX_BYTES + 1)
            .unwrap();
        let kb = KnowledgeBase::embedded().unwrap();
        let result = load(&path, &kb);
        let _ = std::fs::remove_dir_all(&dir);
        let error = result.unwrap_err().to_string();
        assert!(
            error.contains(&format!(
                "q.tsv: the file is {} bytes, over the",
                MAX_BYTES + 1
            )),
            "{error}"
        );
    }
}
