//! A [`Report`] rendered: as text for people (aligned columns, hidden
//! characters written out), or as JSON for programs.

use std::collections::BTreeMap;

use super::build::count;
use super::edit::Target;
use super::visible::{toml_string, visible_lines};
use super::{Asked, GROUP_EXAMPLES, LeftOut, NotGrouped, Report};
use crate::plural;

impl Report {
    /// The report for people: sections with aligned columns.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let d = &self.decisions;
        out.push_str(&format!(
            "Question log from {} to {}: {} from {}\n",
            self.since,
            self.until,
            plural::count(self.questions, "question", "questions"),
            plural::count(self.people, "person", "people")
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
        if d.dropped > 0 {
            out.push_str(&format!(
                "dropped unread {} ({}): chats that asked faster than they were answered\n",
                d.dropped,
                percent(d.dropped_share)
            ));
        }
        out.push_str(&format!(
            "language {}; chats {}\n",
            self.shares(&self.languages),
            self.shares(&self.chats)
        ));
        if self.follow_ups > 0 {
            out.push_str(&format!(
                "follow-ups {} ({}): answered with the conversation's context\n",
                self.follow_ups,
                percent(self.follow_ups as f64 / self.questions as f64)
            ));
        }
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
            if g.already_out_of_scope > 0 {
                out.push_str(&format!(
                    "    {} already out of scope: the knowledge base declines {}, as it should\n",
                    plural::count(g.already_out_of_scope, "question", "questions"),
                    plural::noun(g.already_out_of_scope, "it", "them")
                ));
            }
            match (&g.suggested_entry, g.score) {
                (Some(entry), Some(score)) => out.push_str(&format!(
                    "    suggested entry: {entry} (scores {score:.2})\n"
                )),
                _ if g.snippet.is_empty() => {}
                _ => out.push_str("    no entry fits: if the column does not answer it, say so in [out_of_scope]\n"),
            }
            out.push_str(&indent(&g.snippet, "    "));
        }
        if let Some(left) = &self.not_grouped {
            out.push_str(&format!("  {}\n", left.line()));
        }
        out.push_str(&self.proposals_text());
        // Questions are already TOML-escaped; this catches the rest.
        visible_lines(&out).into_owned()
    }

    /// Writes the report as one pretty-printed JSON object and a line end
    /// (`qabot report --json`). Its fields are what the `Serialize` derives
    /// of the report's types say: programs read them, so a renamed field is
    /// a change of format.
    pub fn write_json(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        // An error writing is the writer's I/O error as it was (a closed
        // pipe, say), not one wrapped beyond recognition.
        serde_json::to_writer_pretty(&mut out, self).map_err(std::io::Error::from)?;
        writeln!(out)
    }
}

impl Report {
    /// The proposals, each with its measured effect; nothing when none
    /// were measured.
    fn proposals_text(&self) -> String {
        let mut out = String::new();
        if self.proposals.is_empty() && self.labelled_files.is_empty() {
            return out;
        }
        out.push_str(&format!(
            "\nProposals, each tried on a copy of the knowledge base (labelled files: {})\n",
            if self.labelled_files.is_empty() {
                "none".to_owned()
            } else {
                self.labelled_files.join(", ")
            }
        ));
        for unread in &self.labelled_unread {
            out.push_str(&format!("  not measured on: {unread}\n"));
        }
        if self.proposals.is_empty() {
            out.push_str("  none\n");
        }
        for p in &self.proposals {
            let e = &p.effect;
            let what = match &p.target {
                Target::Entry(_) => "answers",
                Target::OutOfScope => "declines",
            };
            out.push_str(&format!(
                "  {}. add {} to {}: {what} {} of {} (now {})\n",
                p.number,
                plural::count(p.questions.len(), "question", "questions"),
                p.target,
                e.answers.right,
                e.answers.total,
                e.answers_before.right
            ));
            if e.problems.is_empty() {
                out.push_str("      check passes\n");
            }
            for problem in &e.problems {
                out.push_str(&indent(problem, "      "));
            }
            for f in &e.floors {
                out.push_str(&format!(
                    "      {:<40} {} → {}\n",
                    f.name, f.before, f.after
                ));
            }
            match &e.refused {
                Some(why) => out.push_str(&format!("    not advised: {why}\n")),
                None => out.push_str(&format!(
                    "    apply with: qabot report --apply {}@{} (and this report's --since)\n",
                    p.number, p.code
                )),
            }
        }
        out
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
            plural::count(self.count, "question", "questions"),
            self.distinct,
        )
    }
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
