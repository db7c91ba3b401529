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
//!   voted down), grouped by similarity (Sørensen–Dice on character
//!   bigrams of the folded text), each group with the entry the matcher now
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

pub mod grouping;
pub mod visible;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::LoggedQuestion;
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Matcher, text};
use visible::{toml_string, visible_lines};

/// An answer scoring under `answer_threshold` plus this is low-confidence.
pub const LOW_CONFIDENCE_MARGIN: f64 = 0.05;
/// Two questions at least this similar (0–1) fall in one group.
pub const GROUP_SIMILARITY: f64 = 0.6;
/// Entries listed under "most asked".
const TOP_ENTRIES: usize = 10;
/// Questions listed in a group before "… and N more".
const GROUP_EXAMPLES: usize = 5;
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
    pub smalltalk: usize,
    pub answered_share: f64,
    pub suggested_share: f64,
    pub declined_share: f64,
    pub smalltalk_share: f64,
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
    pub lang: String,
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
    pub decisions: BTreeMap<String, usize>,
    /// The entry the matcher ranks best for the group now, if any.
    pub suggested_entry: Option<String>,
    /// That entry's best score on the group's questions.
    pub score: Option<f64>,
    /// Lines to paste into `knowledge.toml`: into the suggested entry, or
    /// into `[out_of_scope]` when no entry fits.
    pub snippet: String,
}

impl Report {
    /// The report on `rows` (the log from `since` to `until`, Unix seconds),
    /// grouping for at most [`BUDGET`].
    pub fn build(
        rows: &[LoggedQuestion],
        kb: &KnowledgeBase,
        matcher: &Matcher,
        since: i64,
        until: i64,
    ) -> Report {
        Report::build_within(rows, kb, matcher, since, until, BUDGET)
    }

    /// [`Report::build`], grouping for at most `budget`.
    pub fn build_within(
        rows: &[LoggedQuestion],
        kb: &KnowledgeBase,
        matcher: &Matcher,
        since: i64,
        until: i64,
        budget: Duration,
    ) -> Report {
        let deadline = Instant::now() + budget;
        let max_chars = matcher.config().max_question_chars;
        let rows: Vec<&LoggedQuestion> = rows
            .iter()
            .filter(|r| r.at >= since && r.at <= until)
            .collect();
        let people = rows
            .iter()
            .filter_map(|r| r.user_hash.as_deref())
            .collect::<HashSet<_>>()
            .len();
        let mut days: BTreeMap<i64, Day> = BTreeMap::new();
        for r in &rows {
            let day = r.at.div_euclid(86_400);
            let d = days.entry(day).or_insert_with(|| Day {
                date: date(day * 86_400),
                questions: 0,
                answered: 0,
                suggested: 0,
                declined: 0,
                smalltalk: 0,
            });
            d.questions += 1;
            match r.decision.as_str() {
                "answer" => d.answered += 1,
                "suggest" => d.suggested += 1,
                "decline" => d.declined += 1,
                "smalltalk" => d.smalltalk += 1,
                _ => {}
            }
        }
        let days: Vec<Day> = days.into_values().collect();
        let mut languages = BTreeMap::new();
        let mut chats = BTreeMap::new();
        for r in &rows {
            *languages.entry(r.lang.clone()).or_insert(0) += 1;
            *chats.entry(r.chat_kind.clone()).or_insert(0) += 1;
        }
        let mut decisions = Decisions::default();
        for d in &days {
            decisions.answered += d.answered;
            decisions.suggested += d.suggested;
            decisions.declined += d.declined;
            decisions.smalltalk += d.smalltalk;
        }
        let share = |n: usize| {
            if rows.is_empty() {
                0.0
            } else {
                round3(n as f64 / rows.len() as f64)
            }
        };
        decisions.answered_share = share(decisions.answered);
        decisions.suggested_share = share(decisions.suggested);
        decisions.declined_share = share(decisions.declined);
        decisions.smalltalk_share = share(decisions.smalltalk);

        let mut asked: HashMap<&str, usize> = HashMap::new();
        let mut votes: HashMap<&str, (u32, u32)> = HashMap::new();
        for r in &rows {
            // A pick says which entry the question ended up with.
            let entry = r.picked.last().or(match r.decision.as_str() {
                "answer" => r.entry.as_ref(),
                _ => None,
            });
            if let Some(entry) = entry {
                *asked.entry(entry).or_default() += 1;
                if r.votes_up + r.votes_down > 0 {
                    let v = votes.entry(entry).or_default();
                    v.0 += r.votes_up;
                    v.1 += r.votes_down;
                }
            }
        }
        let mut top_entries: Vec<EntryCount> = asked
            .into_iter()
            .map(|(entry, count)| EntryCount {
                entry: entry.to_owned(),
                count,
            })
            .collect();
        top_entries.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.entry.cmp(&b.entry)));
        top_entries.truncate(TOP_ENTRIES);
        let mut feedback: Vec<EntryFeedback> = votes
            .into_iter()
            .map(|(entry, (up, down))| EntryFeedback {
                entry: entry.to_owned(),
                up,
                down,
            })
            .collect();
        feedback.sort_by(|a, b| {
            (b.up + b.down)
                .cmp(&(a.up + a.down))
                .then_with(|| a.entry.cmp(&b.entry))
        });

        let answer_threshold = f64::from(matcher.config().answer_threshold);
        let mut paired: BTreeMap<&str, Vec<&LoggedQuestion>> = BTreeMap::new();
        let mut unsure = Vec::new();
        for r in &rows {
            // Choosing the entry the bot answered with (an inline result, say)
            // teaches nothing; choosing another one does.
            let taught = r
                .picked
                .last()
                .filter(|p| !(r.decision == "answer" && r.entry.as_ref() == Some(*p)));
            if let Some(entry) = taught {
                paired.entry(entry).or_default().push(r);
                continue;
            }
            let low = match r.decision.as_str() {
                "decline" | "suggest" => true,
                "answer" => {
                    r.votes_down > r.votes_up
                        || r.score
                            .is_some_and(|s| s < answer_threshold + LOW_CONFIDENCE_MARGIN)
                }
                _ => false,
            };
            if low {
                unsure.push(*r);
            }
        }
        let mut pairings: Vec<Pairing> = paired
            .into_iter()
            .map(|(entry, rows)| {
                let questions = distinct(&rows, max_chars);
                Pairing {
                    entry: entry.to_owned(),
                    snippet: snippet(kb, Some(entry), &questions),
                    questions,
                }
            })
            .collect();
        pairings.sort_by(|a, b| {
            count(&b.questions)
                .cmp(&count(&a.questions))
                .then_with(|| a.entry.cmp(&b.entry))
        });
        let (groups, left) = group(&unsure, kb, matcher, deadline);
        let not_grouped = (left.count > 0).then_some(NotGrouped {
            reason: LeftOut::TimeBudget,
            budget_ms: budget.as_millis() as u64,
            ..left
        });
        Report {
            since: date_time(since),
            until: date_time(until),
            questions: rows.len(),
            people,
            decisions,
            languages,
            chats,
            days,
            top_entries,
            feedback,
            pairings,
            groups,
            not_grouped,
        }
    }

    /// The report for people: sections with aligned columns.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let d = &self.decisions;
        out.push_str(&format!(
            "Question log from {} to {}: {} from {}\n",
            self.since,
            self.until,
            plural(self.questions, "question", "questions"),
            plural(self.people, "person", "people")
        ));
        if self.questions == 0 {
            out.push_str("Nothing was asked in this window.\n");
            return out;
        }
        out.push_str(&format!(
            "answered {} · suggested {} · declined {} · small talk {}\n",
            percent(d.answered_share),
            percent(d.suggested_share),
            percent(d.declined_share),
            percent(d.smalltalk_share)
        ));
        out.push_str(&format!(
            "language {}; chats {}\n",
            self.shares(&self.languages),
            self.shares(&self.chats)
        ));
        out.push_str(
            "\nPer day (UTC)\n  date        questions  answered  suggested  declined  small talk\n",
        );
        for day in &self.days {
            out.push_str(&format!(
                "  {}  {:>9}  {:>8}  {:>9}  {:>8}  {:>10}\n",
                day.date, day.questions, day.answered, day.suggested, day.declined, day.smalltalk
            ));
        }
        if !self.top_entries.is_empty() {
            out.push_str("\nMost asked entries\n");
            for e in &self.top_entries {
                out.push_str(&format!("  {:<24} {:>5}\n", e.entry, e.count));
            }
        }
        out.push_str("\nFeedback per entry (👍 / 👎)\n");
        if self.feedback.is_empty() {
            out.push_str("  no votes yet\n");
        }
        for f in &self.feedback {
            out.push_str(&format!("  {:<24} {:>5} / {}\n", f.entry, f.up, f.down));
        }
        out.push_str(
            "\n\"Did you mean\" picks: the user chose the entry, so add the question to it\n",
        );
        if self.pairings.is_empty() {
            out.push_str("  none\n");
        }
        for p in &self.pairings {
            out.push_str(&format!(
                "  → {} ({} asked)\n",
                p.entry,
                count(&p.questions)
            ));
            for q in &p.questions {
                out.push_str(&format!("      {}\n", shown(q)));
            }
            out.push_str(&indent(&p.snippet, "    "));
        }
        out.push_str("\nDeclined and low-confidence questions, grouped by similarity\n");
        if self.groups.is_empty() && self.not_grouped.is_none() {
            out.push_str("  none\n");
        }
        for (i, g) in self.groups.iter().enumerate() {
            let how: Vec<String> = g
                .decisions
                .iter()
                .map(|(decision, n)| format!("{decision} {n}"))
                .collect();
            out.push_str(&format!(
                "  {}. {} asked ({})\n",
                i + 1,
                g.count,
                how.join(", ")
            ));
            for q in g.questions.iter().take(GROUP_EXAMPLES) {
                out.push_str(&format!("      {}\n", shown(q)));
            }
            if g.questions.len() > GROUP_EXAMPLES {
                out.push_str(&format!(
                    "      … and {} more\n",
                    g.questions.len() - GROUP_EXAMPLES
                ));
            }
            match (&g.suggested_entry, g.score) {
                (Some(entry), Some(score)) => out.push_str(&format!(
                    "    suggested entry: {entry} (scores {score:.2})\n"
                )),
                _ => out.push_str("    no entry fits: if the column does not answer it, say so in [out_of_scope]\n"),
            }
            out.push_str(&indent(&g.snippet, "    "));
        }
        if let Some(left) = &self.not_grouped {
            out.push_str(&format!("  {}\n", left.line()));
        }
        // Questions are already TOML-escaped; this catches the rest.
        visible_lines(&out).into_owned()
    }
}

impl NotGrouped {
    /// "812 questions not grouped (812 distinct): time budget (10 s) reached".
    pub fn line(&self) -> String {
        let why = match self.reason {
            LeftOut::TimeBudget => {
                format!("time budget ({} s) reached", self.budget_ms as f64 / 1000.0)
            }
        };
        format!(
            "{} not grouped ({} distinct): {why}",
            plural(self.count, "question", "questions"),
            self.distinct,
        )
    }
}

/// "1 person", "2 people".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Report {
    /// "ko 60% · en 40%": each key's share of the questions, largest first.
    fn shares(&self, counts: &BTreeMap<String, usize>) -> String {
        let mut counts: Vec<(&String, &usize)> = counts.iter().collect();
        counts.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        counts
            .iter()
            .map(|(k, n)| format!("{k} {}", percent(**n as f64 / self.questions as f64)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

fn count(questions: &[Asked]) -> usize {
    questions.iter().map(|q| q.count).sum()
}

fn shown(q: &Asked) -> String {
    let text = toml_string(&q.question);
    if q.count > 1 {
        format!("{text} ×{}", q.count)
    } else {
        text
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The text questions are compared by: their first `max_chars` characters
/// (as many as the matcher reads), folded (case, width, spacing), and
/// without the punctuation around them.
fn key(question: &str, max_chars: usize) -> String {
    let cut = match question.char_indices().nth(max_chars) {
        Some((end, _)) => &question[..end],
        None => question,
    };
    let folded = text::fold(cut);
    let words: Vec<&str> = folded.split_whitespace().collect();
    words
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_owned()
}

/// The distinct questions among `rows` (by [`key`]), most asked first; each
/// shown as first asked.
fn distinct(rows: &[&LoggedQuestion], max_chars: usize) -> Vec<Asked> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Asked> = Vec::new();
    for r in rows {
        let k = key(&r.question, max_chars);
        match seen.get(&k) {
            Some(&i) => out[i].count += 1,
            None => {
                seen.insert(k, out.len());
                out.push(Asked {
                    question: r.question.trim().to_owned(),
                    count: 1,
                    lang: r.lang.clone(),
                });
            }
        }
    }
    // Stable: ties keep the order they were first asked in.
    out.sort_by_key(|q| std::cmp::Reverse(q.count));
    out
}

/// The declined and low-confidence questions in groups of similar ones
/// ([`grouping`]: each distinct question, most asked first, joins the
/// earliest group whose leading question it resembles, so a group is led
/// by its most asked question), described, largest group first; and what
/// `deadline` left out.
fn group(
    rows: &[&LoggedQuestion],
    kb: &KnowledgeBase,
    matcher: &Matcher,
    deadline: Instant,
) -> (Vec<Group>, NotGrouped) {
    let max_chars = matcher.config().max_question_chars;
    let mut by_key: Vec<(String, Vec<&LoggedQuestion>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in rows {
        let k = key(&r.question, max_chars);
        match index.get(&k) {
            Some(&i) => by_key[i].1.push(*r),
            None => {
                index.insert(k.clone(), by_key.len());
                by_key.push((k, vec![*r]));
            }
        }
    }
    by_key.sort_by_key(|(_, rows)| std::cmp::Reverse(rows.len()));
    let keys: Vec<&str> = by_key.iter().map(|(k, _)| k.as_str()).collect();
    let found = grouping::group(&keys, GROUP_SIMILARITY, deadline);
    let mut left = NotGrouped {
        count: by_key[found.grouped..].iter().map(|(_, r)| r.len()).sum(),
        distinct: by_key.len() - found.grouped,
        reason: LeftOut::TimeBudget,
        budget_ms: 0,
    };
    let mut groups: Vec<(usize, Vec<&LoggedQuestion>)> = found
        .groups
        .iter()
        .map(|members| {
            let rows = members.iter().flat_map(|&i| by_key[i].1.iter().copied());
            (members.len(), rows.collect())
        })
        .collect();
    groups.sort_by_key(|(_, rows)| std::cmp::Reverse(rows.len()));
    let mut described = Vec::with_capacity(groups.len());
    for (distinct, rows) in groups {
        // Ranking each question is the other part that grows with the log.
        if Instant::now() >= deadline {
            left.count += rows.len();
            left.distinct += distinct;
            continue;
        }
        described.push(describe(kb, matcher, &rows));
    }
    (described, left)
}

fn describe(kb: &KnowledgeBase, matcher: &Matcher, rows: &[&LoggedQuestion]) -> Group {
    let questions = distinct(rows, matcher.config().max_question_chars);
    let mut decisions = BTreeMap::new();
    for r in rows {
        *decisions.entry(r.decision.clone()).or_insert(0) += 1;
    }
    // The entry the matcher ranks first for most of the group (by summed
    // score, so a strong first place outweighs a weak one), as it stands now.
    let mut votes: HashMap<usize, (f64, f64)> = HashMap::new();
    for q in &questions {
        if let Some(best) = matcher.rank(&q.question).first() {
            let score = f64::from(best.score);
            let v = votes.entry(best.entry).or_default();
            v.0 += score * q.count as f64;
            v.1 = v.1.max(score);
        }
    }
    // An entry scoring under the suggestion threshold on every question of
    // the group is no better a home for it than any other.
    let floor = f64::from(matcher.config().suggest_threshold);
    let best = votes
        .into_iter()
        .filter(|(_, (_, max))| *max >= floor)
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then_with(|| b.0.cmp(&a.0)));
    let suggested_entry = best.map(|(i, _)| kb.entries[i].id.clone());
    Group {
        count: rows.len(),
        snippet: snippet(kb, suggested_entry.as_deref(), &questions),
        decisions,
        suggested_entry,
        score: best.map(|(_, (_, max))| round3(max)),
        questions,
    }
}

/// Lines to paste into `knowledge.toml`: the questions as TOML strings,
/// under a comment saying which array of which entry takes them (English
/// and Korean questions go to different arrays).
fn snippet(kb: &KnowledgeBase, entry: Option<&str>, questions: &[Asked]) -> String {
    let mut out = String::new();
    for (lang, array) in [("en", "questions"), ("ko", "questions_ko")] {
        let lines: Vec<String> = questions
            .iter()
            .filter(|q| (q.lang == "ko") == (lang == "ko"))
            .map(|q| format!("    {},\n", toml_string(&q.question)))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let target = match entry.and_then(|id| kb.entry(id)) {
            Some(e) => format!("[[entries]] id = {:?}, {array} = [", e.id),
            // Out-of-scope questions are one list, whatever their language.
            None => "[out_of_scope] questions = [".to_owned(),
        };
        out.push_str(&format!("# knowledge.toml, add to {target} … ]\n"));
        out.extend(lines);
    }
    out
}

/// `YYYY-MM-DD` of a Unix time (UTC).
pub fn date(unix: i64) -> String {
    let (y, m, d) = civil(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time.
pub fn date_time(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(unix),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The Gregorian date of a day number (days since 1970-01-01), after
/// Howard Hinnant's `civil_from_days`.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Parses a `--since` value: `7d`, `12h`, `30m`, or a UTC date
/// `YYYY-MM-DD`; the Unix time it names, given `now`.
pub fn parse_since(text: &str, now: i64) -> Result<i64, String> {
    let text = text.trim();
    let unit = |suffix: char, secs: i64| {
        text.strip_suffix(suffix)
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| (1..=36_500 * 86_400 / secs).contains(n))
            .map(|n| now - n * secs)
    };
    if let Some(since) = unit('d', 86_400)
        .or_else(|| unit('h', 3600))
        .or_else(|| unit('m', 60))
    {
        return Ok(since);
    }
    let parts: Vec<&str> = text.split('-').collect();
    if let [y, m, d] = parts[..]
        && y.len() == 4
        && m.len() == 2
        && d.len() == 2
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>())
        && let Some(days) = days_from_civil(y, m, d)
    {
        return Ok(days * 86_400);
    }
    Err(format!(
        "--since {text:?} is not a duration or a date: use e.g. 7d, 12h, 30m or 2026-11-01"
    ))
}

fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > 31 {
        return None;
    }
    // Inverse of `civil`; a day past the month's end is refused by the round trip.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2.rem_euclid(400);
    let mp = i64::from(if m > 2 { m - 3 } else { m + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (civil(days) == (y, m, d)).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::MatcherConfig;
    use crate::question_log::QuestionId;

    fn row(
        id: i64,
        at: i64,
        question: &str,
        decision: &str,
        entry: Option<&str>,
    ) -> LoggedQuestion {
        LoggedQuestion {
            id: QuestionId(id),
            at,
            chat_kind: "private".into(),
            user_language: Some("en".into()),
            lang: if question.chars().any(|c| ('가'..='힣').contains(&c)) {
                "ko".into()
            } else {
                "en".into()
            },
            question: question.into(),
            decision: decision.into(),
            entry: entry.map(str::to_owned),
            score: entry.map(|_| 0.6),
            suggestions: Vec::new(),
            picked: Vec::new(),
            votes_up: 0,
            votes_down: 0,
            user_hash: Some(format!("user{}", id % 3)),
        }
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_910_399, "2026-11-28T23:59:59Z"),
            (1_795_910_400, "2026-11-29T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ];
        for (unix, expected) in cases {
            assert_eq!(date_time(unix), expected, "{unix}");
        }
        let now = 1_795_910_400 + 3600;
        let since: [(&str, Result<i64, ()>); 8] = [
            ("7d", Ok(now - 7 * 86_400)),
            ("12h", Ok(now - 12 * 3600)),
            ("30m", Ok(now - 1800)),
            ("2026-11-01", Ok(1_795_910_400 - 28 * 86_400)),
            ("2026-02-30", Err(())),
            ("0d", Err(())),
            ("-3d", Err(())),
            ("yesterday", Err(())),
        ];
        for (text, expected) in since {
            assert_eq!(parse_since(text, now).map_err(|_| ()), expected, "{text}");
        }
    }

    #[test]
    fn a_report_counts_days_shares_entries_and_feedback() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let day = 1_795_910_400;
        let mut rows = vec![
            row(1, day - 100, "what is step 1", "answer", Some("step-1")),
            row(2, day + 10, "what is step 1?", "answer", Some("step-1")),
            row(
                3,
                day + 20,
                "tell me about step 2",
                "answer",
                Some("step-2"),
            ),
            row(4, day + 30, "hi", "smalltalk", None),
            row(5, day + 40, "what is the weather in seoul", "decline", None),
        ];
        rows[1].votes_up = 2;
        rows[2].votes_down = 1;
        let report = Report::build(&rows, &kb, &matcher, day - 86_400, day + 86_400);
        assert_eq!(report.questions, 5);
        assert_eq!(report.people, 3);
        assert_eq!(
            report
                .days
                .iter()
                .map(|d| (d.date.as_str(), d.questions))
                .collect::<Vec<_>>(),
            [("2026-11-28", 1), ("2026-11-29", 4)]
        );
        assert_eq!(report.decisions.answered, 3);
        assert_eq!(report.languages.get("en"), Some(&5));
        assert_eq!(report.chats.get("private"), Some(&5));
        assert!(
            report
                .to_text()
                .contains("language en 100%; chats private 100%")
        );
        assert_eq!(report.decisions.answered_share, 0.6);
        assert_eq!(report.decisions.declined_share, 0.2);
        assert_eq!(report.top_entries[0].entry, "step-1");
        assert_eq!(report.top_entries[0].count, 2);
        assert_eq!(
            report.feedback,
            [
                EntryFeedback {
                    entry: "step-1".into(),
                    up: 2,
                    down: 0
                },
                EntryFeedback {
                    entry: "step-2".into(),
                    up: 0,
                    down: 1
                },
            ]
        );
        // Voted down, and declined: both need attention; the rest do not.
        let grouped: Vec<&str> = report
            .groups
            .iter()
            .flat_map(|g| g.questions.iter().map(|q| q.question.as_str()))
            .collect();
        assert_eq!(grouped.len(), 2, "{grouped:?}");
        assert!(grouped.contains(&"tell me about step 2"));
        assert!(grouped.contains(&"what is the weather in seoul"));
        // Outside the window: not counted.
        let narrow = Report::build(&rows, &kb, &matcher, day, day + 86_400);
        assert_eq!(narrow.questions, 4);
    }

    #[test]
    fn past_the_budget_questions_are_counted_not_grouped() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let at = 1_795_910_400;
        let rows = vec![
            row(1, at, "who won the world cup", "decline", None),
            row(2, at, "who won the world cup?", "decline", None),
            row(3, at, "best pizza in seoul", "decline", None),
            row(4, at, "what is step 1", "answer", Some("step-1")),
        ];
        let full = Report::build(&rows, &kb, &matcher, at, at);
        assert_eq!(full.groups.len(), 2);
        assert_eq!(full.not_grouped, None);
        assert!(!full.to_text().contains("not grouped"));

        let cut = Report::build_within(&rows, &kb, &matcher, at, at, Duration::ZERO);
        assert!(cut.groups.is_empty());
        assert_eq!(
            cut.not_grouped,
            Some(NotGrouped {
                count: 3,
                distinct: 2,
                reason: LeftOut::TimeBudget,
                budget_ms: 0,
            })
        );
        // The counts do not depend on grouping.
        assert_eq!(cut.decisions, full.decisions);
        let text = cut.to_text();
        assert!(!text.contains("  none\n  3 questions"), "{text}");
        assert!(
            text.contains("  3 questions not grouped (2 distinct): time budget (0 s) reached\n"),
            "{text}"
        );
        let json = serde_json::to_value(&cut).unwrap();
        assert_eq!(
            json["not_grouped"],
            serde_json::json!({"count": 3, "distinct": 2, "reason": "time_budget", "budget_ms": 0})
        );
        assert_eq!(
            serde_json::to_value(&full).unwrap()["not_grouped"],
            serde_json::Value::Null
        );
        // What the command line says of the budget is the budget.
        let cli = <crate::cli::Cli as clap::CommandFactory>::command();
        let help = cli
            .find_subcommand("report")
            .unwrap()
            .get_long_about()
            .unwrap();
        assert!(
            help.to_string()
                .contains(&format!("Grouping stops after {} s", BUDGET.as_secs())),
            "{help}"
        );
    }

    #[test]
    fn questions_are_compared_by_as_much_as_the_matcher_reads() {
        let kb = KnowledgeBase::embedded().unwrap();
        let config = MatcherConfig {
            max_question_chars: 20,
            ..MatcherConfig::default()
        };
        let matcher = Matcher::new(&kb, config);
        let at = 1_795_910_400;
        let rows = vec![
            row(1, at, "what is the weather in busan today", "decline", None),
            row(
                2,
                at,
                "What is the weather in Busan, tomorrow?",
                "decline",
                None,
            ),
        ];
        let report = Report::build(&rows, &kb, &matcher, at, at);
        assert_eq!(report.groups.len(), 1);
        let asked = &report.groups[0].questions;
        assert_eq!(asked.len(), 1, "one question, as far as the matcher reads");
        assert_eq!(asked[0].count, 2);
        assert_eq!(asked[0].question, "what is the weather in busan today");
    }

    #[test]
    fn the_text_report_writes_hidden_characters_out() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let at = 1_795_910_400;
        let hostile = [
            "\u{202E}txt.exe is step 2?",
            "clear \u{1b}[2J the screen \u{9b}31m",
            "one line\u{2028}or two\u{85}?",
            "\u{2066}isolated\u{2069} \u{200F}marks\u{200E}",
        ];
        let mut rows: Vec<LoggedQuestion> = hostile
            .iter()
            .enumerate()
            .map(|(i, q)| row(i as i64 + 1, at, q, "decline", None))
            .collect();
        rows.push(row(9, at, "\u{202E}picked", "suggest", None));
        rows[4].picked = vec!["step-2".into()];
        rows[4].chat_kind = "pri\u{202E}vate".into();
        let text = Report::build(&rows, &kb, &matcher, at, at).to_text();
        let hidden: Vec<char> = text
            .chars()
            .filter(|&c| c != '\n' && visible::is_hidden(c))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?} in {text}");
        for shown in [
            "\"\\u202Etxt.exe is step 2?\"",
            "\\u001B[2J",
            "\\u2028or two\\u0085?",
            "\"\\u202Epicked\"",
            "pri\\u{202e}vate",
        ] {
            assert!(text.contains(shown), "{shown} not in {text}");
        }
    }

    #[test]
    fn picks_come_first_and_similar_misses_are_grouped_with_a_snippet() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let at = 1_795_910_400;
        let mut rows = vec![
            row(
                1,
                at,
                "how can korea keep its young scientists",
                "suggest",
                Some("step-2"),
            ),
            row(
                2,
                at,
                "How can Korea keep its young scientists?",
                "suggest",
                Some("step-2"),
            ),
            row(
                3,
                at,
                "how can korea keep young scientists",
                "decline",
                None,
            ),
            row(4, at, "과학자를 어떻게 붙잡나요", "suggest", Some("step-2")),
            row(5, at, "what's the best pizza in seoul", "decline", None),
            row(6, at, "best pizza in seoul?", "decline", None),
        ];
        rows[0].picked = vec!["step-2".into()];
        rows[3].picked = vec!["step-2".into()];
        let report = Report::build(&rows, &kb, &matcher, at, at);
        assert_eq!(report.pairings.len(), 1);
        let pairing = &report.pairings[0];
        assert_eq!(pairing.entry, "step-2");
        assert_eq!(pairing.questions.len(), 2);
        assert!(
            pairing.snippet.contains(
                "add to [[entries]] id = \"step-2\", questions = [ … ]\n    \"how can korea keep its young scientists\",\n"
            ),
            "{}",
            pairing.snippet
        );
        assert!(
            pairing
                .snippet
                .contains("questions_ko = [ … ]\n    \"과학자를 어떻게 붙잡나요\",\n"),
            "{}",
            pairing.snippet
        );
        // The unpicked spelling of the paired question and its near twin
        // form one group; the pizza questions another.
        assert_eq!(report.groups.len(), 2, "{:#?}", report.groups);
        let scientists = &report.groups[0];
        assert_eq!(scientists.count, 2);
        assert_eq!(scientists.questions.len(), 2);
        assert_eq!(scientists.decisions.get("suggest"), Some(&1));
        assert!(scientists.suggested_entry.is_some());
        let pizza = &report.groups[1];
        assert_eq!(pizza.count, 2);
        let text = report.to_text();
        let picks = text.find("\"Did you mean\" picks").unwrap();
        let groups = text.find("Declined and low-confidence").unwrap();
        assert!(picks < groups, "{text}");
        // A snippet is valid TOML once wrapped in its array.
        for snippet in [&pairing.snippet, &scientists.snippet, &pizza.snippet] {
            let body: String = snippet.lines().filter(|l| !l.starts_with('#')).collect();
            let wrapped = format!("questions = [{body}]");
            assert!(toml::from_str::<toml::Value>(&wrapped).is_ok(), "{wrapped}");
        }
    }
}
