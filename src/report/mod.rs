//! What the operator learns from the question log (`qabot report`,
//! `/stats`): pure, from logged rows to a [`Report`], rendered as text or
//! serialised as JSON.
//!
//! The part that improves the knowledge base is the list of questions the
//! bot did not answer well, each with an entry to add it to and a snippet
//! to paste into `knowledge.toml`:
//! - first, the "did you mean" pairings: the user pressed a suggestion, so
//!   the question belongs to that entry — the strongest signal there is;
//! - then the declined and low-confidence questions (suggested and not
//!   picked, answered with a score just over the threshold, or answered and
//!   voted down), grouped by similarity (Sørensen–Dice on what the
//!   matcher reads in them: stems after synonyms, Korean bigrams of
//!   particle-stripped words), each group with the entry the matcher now
//!   ranks best for it, or none when no entry reaches the suggestion
//!   threshold on any of its questions (then the snippet is for
//!   `[out_of_scope]`).
//!
//! Anyone can fill the log, so building a report is bounded: questions are
//! compared by their first `[matcher] max_question_chars` characters, the
//! grouping is close to linear ([`grouping`]), and past [`BUDGET`] the
//! questions not yet grouped are counted instead ([`NotGrouped`]). Text
//! output shows no character that could hide or disguise text
//! ([`visible`]).
//!
//! Days are UTC days.
//!
//! Each piece of advice is a numbered [`Proposal`], tried on a copy of the
//! knowledge base before it is shown ([`proof`]), which `qabot report
//! --apply N@CODE` writes into `knowledge.toml` ([`apply`]).
//!
//! The steps have a file each: `build` (from rows to a [`Report`]),
//! [`grouping`] (similar questions, in close to linear time), `propose`
//! (proposals from picks and groups), [`proof`] (each measured on a copy in
//! memory), [`edit`] (questions written into the manifest's text with
//! `toml_edit`), [`apply`] (into the file, all or nothing), [`labelled`]
//! (`[report]` and its labelled files), `render` (text and JSON), `html`
//! and [`charts`] (the page), [`visible`] (hidden characters written out)
//! and [`dates`] (the window, in UTC).

pub mod apply;
mod build;
pub mod charts;
pub mod dates;
pub mod edit;
pub mod grouping;
mod html;
pub mod labelled;
pub mod proof;
mod propose;
mod render;
#[cfg(test)]
mod tests;
pub mod visible;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::matcher::{Decision, Lang};

pub use dates::{SinceError, date_time, parse_since};
pub use labelled::ReportConfig;
pub use proof::{Proposal, Workbench};
pub use propose::addition;

/// An answer scoring under `answer_threshold` plus this is low-confidence.
pub const LOW_CONFIDENCE_MARGIN: f64 = 0.05;
/// Two questions at least this similar (0–1) fall in one group.
pub const GROUP_SIMILARITY: f64 = 0.6;
/// Entries listed under "most asked".
pub(crate) const TOP_ENTRIES: usize = 10;
/// Questions listed in a group before "… and N more".
pub(crate) const GROUP_EXAMPLES: usize = 5;
/// How long grouping and ranking the declined and low-confidence questions
/// may take; the questions not reached by then are counted, not grouped.
/// Ordinary logs take milliseconds (docs/PERFORMANCE.md).
pub const BUDGET: Duration = Duration::from_secs(10);

/// The report on a window of the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The window, as UTC date-times (`2026-11-22T10:00:00Z`).
    pub since: String,
    pub until: String,
    pub questions: usize,
    /// Distinct users (by their salted hash).
    pub people: usize,
    pub decisions: Decisions,
    /// Questions by the language the matcher read them in ("en", "ko").
    pub languages: BTreeMap<String, usize>,
    /// Questions by kind of chat ("private", "group", "inline", …).
    pub chats: BTreeMap<String, usize>,
    /// Follow-ups: questions answered with the conversation's context
    /// ("and the next one?" after step 1), told apart from questions
    /// answered as if asked first.
    pub follow_ups: usize,
    pub days: Vec<Day>,
    /// Entries by how often they were the answer (or the pick), most first.
    pub top_entries: Vec<EntryCount>,
    /// 👍 and 👎 per entry, most votes first.
    pub feedback: Vec<EntryFeedback>,
    /// "Did you mean" picks: question → entry, by entry.
    pub pairings: Vec<Pairing>,
    /// Declined and low-confidence questions, grouped, largest group first.
    pub groups: Vec<Group>,
    /// Those left out of `groups`, if any.
    pub not_grouped: Option<NotGrouped>,
    /// The advice of `pairings` and `groups`, each measured on a copy of
    /// the knowledge base ([`Report::prove`]); empty until then.
    pub proposals: Vec<Proposal>,
    /// The labelled files the proposals were measured on.
    pub labelled_files: Vec<String>,
    /// Labelled files that could not be read, each with why.
    pub labelled_unread: Vec<String>,
}

/// Declined and low-confidence questions the report did not group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotGrouped {
    /// How many times they were asked.
    pub count: usize,
    /// How many distinct questions they are.
    pub distinct: usize,
    pub reason: LeftOut,
    /// The time budget grouping had, in milliseconds.
    pub budget_ms: u64,
}

/// Why questions were left out of the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOut {
    /// Grouping and ranking ran past their time budget ([`BUDGET`]).
    TimeBudget,
}

/// Counts by decision, and their shares of all questions (0–1).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Decisions {
    pub answered: usize,
    pub suggested: usize,
    pub declined: usize,
    /// Small talk, and questions back about a follow-up with nothing
    /// before it (`clarify`): neither gets a passage.
    pub smalltalk: usize,
    /// Dropped unread: the chat had too many questions waiting.
    pub dropped: usize,
    pub answered_share: f64,
    pub suggested_share: f64,
    pub declined_share: f64,
    pub smalltalk_share: f64,
    pub dropped_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
    pub questions: usize,
    pub answered: usize,
    pub suggested: usize,
    pub declined: usize,
    pub smalltalk: usize,
    pub dropped: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryCount {
    pub entry: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryFeedback {
    pub entry: String,
    pub up: u32,
    pub down: u32,
}

/// A question text and how often it was asked (folded spellings merged).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asked {
    pub question: String,
    pub count: usize,
    /// "en" or "ko", as the matcher read it.
    pub lang: Lang,
}

/// Questions whose users picked `entry` from "did you mean".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pairing {
    pub entry: String,
    pub questions: Vec<Asked>,
    /// Lines to paste into the entry's `questions` / `questions_ko`.
    pub snippet: String,
}

/// Similar questions the bot declined or was unsure of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// How many times questions of the group were asked.
    pub count: usize,
    pub questions: Vec<Asked>,
    /// How the bot decided them: decision → count.
    pub decisions: BTreeMap<Decision, usize>,
    /// The entry the matcher ranks best for the group now, if any.
    pub suggested_entry: Option<String>,
    /// That entry's best score on the group's questions.
    pub score: Option<f64>,
    /// Distinct questions of the group the knowledge base already marks out
    /// of scope (nearer to an `[out_of_scope]` question than to any entry):
    /// the bot declines them as it should, so they are proposed nowhere.
    pub already_out_of_scope: usize,
    /// Lines to paste into `knowledge.toml`: into the suggested entry, or
    /// into `[out_of_scope]` when no entry fits.
    pub snippet: String,
}
