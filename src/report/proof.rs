//! Advice proven before it is shown: each proposal (add these questions to
//! an entry, or to `[out_of_scope]`) is written into a copy of the
//! knowledge base held in memory, and measured there:
//! - the copy passes `qabot check`'s rules;
//! - the proposal's questions now get what it proposes (the entry's
//!   answer, or a decline): "answers K of N";
//! - no floor drops: the questions right in each labelled file
//!   (`[report] labelled`), and the `[out_of_scope]` questions declined,
//!   are at least as many after as before.
//!
//! A proposal that fails any of these is shown with the reason and not
//! advised; `qabot report --apply` measures again before writing.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Asked;
use super::edit::{Addition, EditError, Target, add_questions};
use crate::eval::{self, Labelled};
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Decision, Matcher, MatcherConfig};

/// How many proposals a report measures at most, largest first: each
/// builds and runs a copy of the knowledge base.
pub const MAX_PROPOSALS: usize = 10;

/// The floor of the knowledge base's own out-of-scope questions.
const OUT_OF_SCOPE: &str = "[out_of_scope] questions";

/// One piece of advice, with its measured effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// What `qabot report --apply` takes: 1 for the first.
    pub number: usize,
    pub target: Target,
    /// The questions to add.
    pub questions: Vec<Asked>,
    /// Lines to paste into `knowledge.toml`, the same that `--apply` writes.
    pub toml: String,
    /// Names the proposal as shown: `--apply N@CODE` applies proposal N
    /// only if it is still this one ([`code`]).
    pub code: String,
    pub effect: Effect,
}

/// A short name for what a proposal writes: the first 8 hex digits of the
/// SHA-256 of its TOML (which names its target and every question). The
/// log moves and the knowledge base changes between reading a report and
/// applying it, and numbers move with them; this does not.
pub fn code(toml: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(toml.as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Right of total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub right: usize,
    pub total: usize,
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.right, self.total)
    }
}

/// A floor measured before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Floor {
    /// The labelled file, or `[out_of_scope] questions`.
    pub name: String,
    pub before: Figure,
    pub after: Figure,
}

impl Floor {
    fn dropped(&self) -> bool {
        self.after.right < self.before.right
    }
}

/// What a proposal does to a copy of the knowledge base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    /// The problems `check` finds in the copy; empty when it passes.
    pub problems: Vec<String>,
    /// Of the proposal's questions, those that get what it proposes…
    pub answers: Figure,
    /// …and those that got it before.
    pub answers_before: Figure,
    /// The floors, before and after.
    pub floors: Vec<Floor>,
    /// Why the proposal is not advised; none when it is.
    pub refused: Option<String>,
}

/// A labelled file, read for the knowledge base as it is.
#[derive(Debug, Clone)]
struct LabelledFile {
    name: String,
    questions: Vec<Labelled>,
    before: Figure,
}

/// The knowledge base as text, and what proposals are measured against.
#[derive(Debug, Clone)]
pub struct Workbench {
    /// The manifest's name in problems: its path, or `<embedded>`.
    file: String,
    manifest: String,
    source: String,
    config: MatcherConfig,
    /// The knowledge base as it is, and its matcher.
    kb: KnowledgeBase,
    matcher: Matcher,
    labelled: Vec<LabelledFile>,
    out_of_scope: Vec<String>,
    out_of_scope_before: Figure,
    /// Labelled files that could not be read for this knowledge base, each
    /// with why: they are not measured.
    pub unread: Vec<String>,
}

impl Workbench {
    /// A workbench for `kb`, whose manifest is `manifest` (named `file`),
    /// measured with `config` on the labelled `files`.
    pub fn new(
        file: &str,
        manifest: String,
        kb: &KnowledgeBase,
        config: &MatcherConfig,
        files: &[PathBuf],
    ) -> Workbench {
        let matcher = Matcher::new(kb, config.clone());
        let mut labelled = Vec::new();
        let mut unread = Vec::new();
        for path in files {
            match eval::load(path, kb) {
                Ok(questions) => labelled.push(LabelledFile {
                    name: display_name(path),
                    before: right(&matcher, kb, &questions),
                    questions,
                }),
                Err(e) => unread.push(e.to_string().lines().next().unwrap_or("").to_owned()),
            }
        }
        Workbench {
            file: file.to_owned(),
            manifest,
            source: kb.source.text.clone(),
            config: config.clone(),
            out_of_scope_before: declined(&matcher, &kb.out_of_scope),
            out_of_scope: kb.out_of_scope.clone(),
            kb: kb.clone(),
            matcher,
            labelled,
            unread,
        }
    }

    /// The manifest's text as the workbench holds it.
    pub fn manifest(&self) -> &str {
        &self.manifest
    }

    /// The figures as they stand: right per labelled file, and the
    /// `[out_of_scope]` questions declined, by the names floors carry.
    pub fn figures(&self) -> Vec<(String, usize)> {
        self.labelled
            .iter()
            .map(|f| (f.name.clone(), f.before.right))
            .chain([(OUT_OF_SCOPE.to_owned(), self.out_of_scope_before.right)])
            .collect()
    }

    /// The names of the labelled files measured.
    pub fn labelled_files(&self) -> Vec<&str> {
        self.labelled.iter().map(|f| f.name.as_str()).collect()
    }

    /// `additions` written into the manifest, as text.
    pub fn edited(&self, additions: &[Addition]) -> Result<String, EditError> {
        add_questions(&self.file, &self.manifest, additions)
    }

    /// Measures `additions`, applied together, on a copy in memory.
    pub fn measure(&self, additions: &[Addition]) -> Effect {
        let asked: usize = additions.iter().map(|a| a.questions.len()).sum();
        let answers_before = got(&self.matcher, &self.kb, additions);
        let refuse = |problems: Vec<String>, why: String| Effect {
            problems,
            answers: Figure {
                right: 0,
                total: asked,
            },
            answers_before,
            floors: Vec::new(),
            refused: Some(why),
        };
        let edited = match self.edited(additions) {
            Ok(text) => text,
            Err(e) => return refuse(vec![e.to_string()], e.to_string()),
        };
        let kb = match KnowledgeBase::from_parts(&self.file, &edited, &self.source) {
            Ok(kb) => kb,
            Err(e) => {
                let problems: Vec<String> = e.problems.iter().map(|p| p.to_string()).collect();
                let why = format!("the changed knowledge base fails check: {}", e.headline());
                return refuse(problems, why);
            }
        };
        let matcher = Matcher::new(&kb, self.config.clone());
        let answers = got(&matcher, &kb, additions);
        let mut floors: Vec<Floor> = self
            .labelled
            .iter()
            .map(|f| Floor {
                name: f.name.clone(),
                before: f.before,
                after: right(&matcher, &kb, &f.questions),
            })
            .collect();
        // The knowledge base's own word on what it does not answer: no
        // proposal may make the bot answer one of those.
        floors.push(Floor {
            name: OUT_OF_SCOPE.to_owned(),
            before: self.out_of_scope_before,
            after: declined(&matcher, &self.out_of_scope),
        });
        let refused = if let Some(f) = floors.iter().find(|f| f.dropped()) {
            Some(format!(
                "{} would drop from {} to {} right",
                f.name, f.before, f.after
            ))
        } else if answers.right <= answers_before.right {
            Some(format!(
                "it gains nothing: {} of its questions get that now, {} after",
                answers_before.right, answers.right
            ))
        } else {
            None
        };
        Effect {
            problems: Vec::new(),
            answers,
            answers_before,
            floors,
            refused,
        }
    }
}

/// How many of the additions' questions get what their target proposes:
/// that entry's answer, or a decline.
fn got(matcher: &Matcher, kb: &KnowledgeBase, additions: &[Addition]) -> Figure {
    let mut figure = Figure { right: 0, total: 0 };
    for addition in additions {
        for (question, _) in &addition.questions {
            let outcome = matcher.decide(question);
            let right = match (&addition.target, outcome.decision) {
                (Target::Entry(id), Decision::Answer) => {
                    outcome.best.is_some_and(|b| kb.entries[b.entry].id == *id)
                }
                (Target::OutOfScope, Decision::Decline) => true,
                _ => false,
            };
            figure.total += 1;
            figure.right += usize::from(right);
        }
    }
    figure
}

/// The file's name for people: its path as given.
fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// How many of `questions` the matcher gets right, as `qabot eval` counts.
fn right(matcher: &Matcher, kb: &KnowledgeBase, questions: &[Labelled]) -> Figure {
    let report = eval::run(matcher, kb, questions);
    Figure {
        right: report.overall.right,
        total: report.overall.total,
    }
}

/// How many of `questions` the matcher declines.
fn declined(matcher: &Matcher, questions: &[String]) -> Figure {
    Figure {
        right: questions
            .iter()
            .filter(|q| matcher.decide(q).decision == Decision::Decline)
            .count(),
        total: questions.len(),
    }
}
