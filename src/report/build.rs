//! Building a [`Report`] from logged rows: counting, pairing picks with
//! their entries, and grouping what the bot did not answer well.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::dates::{self, date_time};
use super::visible::toml_string;
use super::{
    Asked, BUDGET, Day, Decisions, EntryCount, EntryFeedback, GROUP_SIMILARITY, Group,
    LOW_CONFIDENCE_MARGIN, LeftOut, NotGrouped, Pairing, Report, TOP_ENTRIES, grouping,
};
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Decision, Lang, Matcher, text};
use crate::question_log::LoggedQuestion;

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
        let mut days: BTreeMap<NaiveDate, Day> = BTreeMap::new();
        for r in &rows {
            let day = dates::day(r.at);
            let d = days.entry(day).or_insert_with(|| Day {
                date: day.to_string(),
                questions: 0,
                answered: 0,
                suggested: 0,
                declined: 0,
                smalltalk: 0,
                dropped: 0,
            });
            d.questions += 1;
            *match r.decision {
                Decision::Answer => &mut d.answered,
                Decision::Suggest => &mut d.suggested,
                Decision::Decline => &mut d.declined,
                // A question back about a follow-up with nothing before
                // it: no passage, as with small talk.
                Decision::Smalltalk | Decision::Clarify => &mut d.smalltalk,
                Decision::Dropped => &mut d.dropped,
            } += 1;
        }
        let days: Vec<Day> = days.into_values().collect();
        let mut languages = BTreeMap::new();
        let mut chats = BTreeMap::new();
        for r in &rows {
            *languages.entry(r.lang.to_string()).or_insert(0) += 1;
            *chats.entry(r.chat_kind.to_string()).or_insert(0) += 1;
        }
        let mut decisions = Decisions::default();
        for d in &days {
            decisions.answered += d.answered;
            decisions.suggested += d.suggested;
            decisions.declined += d.declined;
            decisions.smalltalk += d.smalltalk;
            decisions.dropped += d.dropped;
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
        decisions.dropped_share = share(decisions.dropped);

        let mut asked: HashMap<&str, usize> = HashMap::new();
        let mut votes: HashMap<&str, (u32, u32)> = HashMap::new();
        for r in &rows {
            // A pick says which entry the question ended up with.
            let entry = r.picked.last().or(match r.decision {
                Decision::Answer => r.entry.as_ref(),
                Decision::Suggest
                | Decision::Smalltalk
                | Decision::Decline
                | Decision::Dropped
                | Decision::Clarify => None,
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
                .filter(|p| !(r.decision == Decision::Answer && r.entry.as_ref() == Some(*p)));
            if let Some(entry) = taught {
                paired.entry(entry).or_default().push(r);
                continue;
            }
            let low = match r.decision {
                Decision::Decline | Decision::Suggest => true,
                Decision::Answer => {
                    r.votes_down > r.votes_up
                        || r.score
                            .is_some_and(|s| s < answer_threshold + LOW_CONFIDENCE_MARGIN)
                }
                // Never read: nothing to learn from it.
                Decision::Smalltalk | Decision::Dropped | Decision::Clarify => false,
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
            follow_ups: rows.iter().filter(|r| r.context.is_some()).count(),
            days,
            top_entries,
            feedback,
            pairings,
            groups,
            not_grouped,
            proposals: Vec::new(),
            labelled_files: Vec::new(),
            labelled_unread: Vec::new(),
        }
    }
}

pub(super) fn count(questions: &[Asked]) -> usize {
    questions.iter().map(|q| q.count).sum()
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
                    lang: r.lang,
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
    // Compared as the matcher reads them, not by their letters. Reading
    // grows with the log too: those not read by the deadline are not grouped.
    let keys: Vec<Vec<u64>> = by_key
        .iter()
        .map_while(|(_, rows)| (Instant::now() < deadline).then(|| matcher.keys(&rows[0].question)))
        .collect();
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
        *decisions.entry(r.decision).or_insert(0) += 1;
    }
    // A question the knowledge base marks out of scope is declined as it
    // should be: adding it to an entry would make the bot answer what the
    // column does not, so it votes for no entry and goes in no snippet.
    let (settled, open): (Vec<&Asked>, Vec<&Asked>) = questions
        .iter()
        .partition(|q| matcher.is_out_of_scope(&q.question));
    let open: Vec<Asked> = open.into_iter().cloned().collect();
    // The entry the matcher ranks first for most of the group (by summed
    // score, so a strong first place outweighs a weak one), as it stands now.
    let mut votes: HashMap<usize, (f64, f64)> = HashMap::new();
    for q in &open {
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
        already_out_of_scope: settled.len(),
        count: rows.len(),
        snippet: snippet(kb, suggested_entry.as_deref(), &open),
        decisions,
        suggested_entry,
        score: best.map(|(_, (_, max))| round3(max)),
        questions,
    }
}

/// Lines to paste into `knowledge.toml`: the questions as TOML strings,
/// under a comment saying which array of which entry takes them (English
/// and Korean questions go to different arrays).
pub(super) fn snippet(kb: &KnowledgeBase, entry: Option<&str>, questions: &[Asked]) -> String {
    let mut out = String::new();
    for (lang, array) in [(Lang::En, "questions"), (Lang::Ko, "questions_ko")] {
        let lines: Vec<String> = questions
            .iter()
            .filter(|q| q.lang == lang)
            .map(|q| format!("    {},\n", toml_string(&q.question)))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let target = match entry.and_then(|id| kb.entry(id)) {
            Some(e) => format!("[[entry]] id = {:?}, {array} = [", e.id),
            // Out-of-scope questions are one list, whatever their language.
            None => "[out_of_scope] questions = [".to_owned(),
        };
        out.push_str(&format!("# knowledge.toml, add to {target} … ]\n"));
        out.extend(lines);
    }
    out
}
