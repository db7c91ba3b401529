//! Scoring conversations: a labelled dialogue file run through
//! [`Conversations`], as `qabot chat` answers it.
//!
//! The file is tab-separated UTF-8: a header
//! `expected<TAB>turn<TAB>message`, then one message a line, a blank line
//! between conversations. `turn` is `first` (a message that stands alone)
//! or `follow-up` (one that needs what came before); `expected` is an entry
//! id, `smalltalk`, `decline` or `clarify` (a question back, for a
//! follow-up with nothing to follow). Lines starting with `#` are skipped.

use std::fmt::{self, Write as _};
use std::path::Path;

use crate::conversation::{Context, Conversations};
pub use crate::eval::CLARIFY;
use crate::eval::{DECLINE, EvalError, LabelledKind, SMALLTALK, Tally};
use crate::knowledge::KnowledgeBase;
use crate::matcher::Decision;

/// The header line that marks a dialogue file (a question file's says
/// `category` where this one says `turn`).
pub const HEADER: &str = "expected\tturn\tmessage";

/// One labelled message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledTurn {
    pub line: usize,
    pub expected: String,
    /// Labelled `follow-up` rather than `first`.
    pub follow_up: bool,
    pub message: String,
}

/// True when `text` is a dialogue file (by its header).
pub fn is_dialogue_file(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|l| l.trim_end_matches('\r') == HEADER)
}

/// Reads and checks a dialogue file against the entry ids of `kb`.
pub fn load(path: &Path, kb: &KnowledgeBase) -> Result<Vec<Vec<LabelledTurn>>, EvalError> {
    let text = crate::eval::read_labelled(path, LabelledKind::Dialogues)?;
    parse(&text, kb)
        .map_err(|(line, message)| EvalError::invalid(path, LabelledKind::Dialogues, line, message))
}

/// The conversations of a dialogue file's text, or what is wrong with it
/// and its line (none when it is the whole file's).
pub fn parse(
    text: &str,
    kb: &KnowledgeBase,
) -> Result<Vec<Vec<LabelledTurn>>, (Option<usize>, String)> {
    let mut conversations = vec![Vec::new()];
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if line == 1 && raw == HEADER || raw.starts_with('#') {
            continue;
        }
        if raw.trim().is_empty() {
            if conversations.last().is_some_and(|c| !c.is_empty()) {
                conversations.push(Vec::new());
            }
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let [expected, turn, message] = fields[..] else {
            return Err((
                Some(line),
                format!(
                    "expected 3 tab-separated fields (expected, turn, message), found {}",
                    fields.len()
                ),
            ));
        };
        let follow_up = match turn {
            "first" => false,
            "follow-up" => true,
            other => {
                return Err((
                    Some(line),
                    format!("turn is {other:?}; write `first` or `follow-up`"),
                ));
            }
        };
        let known = [DECLINE, SMALLTALK, CLARIFY].contains(&expected);
        if !known && kb.entry(expected).is_none() {
            return Err((Some(line), format!("unknown expected label {expected:?}")));
        }
        conversations
            .last_mut()
            .expect("one at least")
            .push(LabelledTurn {
                line,
                expected: expected.to_owned(),
                follow_up,
                message: message.to_owned(),
            });
    }
    conversations.retain(|c| !c.is_empty());
    if conversations.is_empty() {
        return Err((None, "no conversations in the file".into()));
    }
    Ok(conversations)
}

/// A message answered otherwise than its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub line: usize,
    pub message: String,
    pub expected: String,
    pub got: String,
}

/// The result of running a dialogue file.
#[derive(Debug, Clone, Default)]
pub struct DialogueReport {
    pub conversations: usize,
    /// Turns labelled `first`.
    pub first: Tally,
    /// The same turns asked alone, as `qabot ask` answers them (stateless
    /// [`Matcher::decide`](crate::matcher::Matcher::decide)): what a first
    /// turn must be no worse than.
    pub first_alone: Tally,
    /// Turns labelled `follow-up`.
    pub follow_ups: Tally,
    /// Follow-ups with nothing before them in their conversation, or
    /// labelled `clarify`, that were answered with a passage: must be none.
    /// `right` counts those answered with a passage.
    pub passages_without_context: Tally,
    pub misses: Vec<Miss>,
}

/// Runs every conversation, each from an empty context.
pub fn run(
    talk: &Conversations,
    kb: &KnowledgeBase,
    conversations: &[Vec<LabelledTurn>],
) -> DialogueReport {
    let mut report = DialogueReport {
        conversations: conversations.len(),
        ..DialogueReport::default()
    };
    for conversation in conversations {
        let mut context = Context::default();
        for (n, labelled) in conversation.iter().enumerate() {
            let turn = talk.answer(&mut context, &labelled.message);
            let got = crate::eval::outcome_label(kb, &turn.outcome);
            let right = got == labelled.expected;
            if labelled.follow_up {
                report.follow_ups.add(right);
            } else {
                report.first.add(right);
                let alone = talk.matcher().decide(&labelled.message);
                report
                    .first_alone
                    .add(crate::eval::outcome_label(kb, &alone) == labelled.expected);
            }
            if labelled.follow_up && n == 0 || labelled.expected == CLARIFY {
                report
                    .passages_without_context
                    .add(turn.outcome.decision == Decision::Answer);
            }
            if !right {
                report.misses.push(Miss {
                    line: labelled.line,
                    message: labelled.message.clone(),
                    expected: labelled.expected.clone(),
                    got,
                });
            }
        }
    }
    report
}

impl DialogueReport {
    /// The summary, and with `misses` every message answered otherwise.
    pub fn render(&self, misses: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "conversations: {}", self.conversations);
        let _ = writeln!(out, "follow-up turns right: {}", self.follow_ups);
        let _ = writeln!(
            out,
            "first turns right:     {}; asked alone, as `qabot ask`: {}",
            self.first, self.first_alone
        );
        let _ = writeln!(
            out,
            "follow-ups without context answered with a passage: {} (of {})",
            self.passages_without_context.right, self.passages_without_context.total
        );
        if misses {
            for m in &self.misses {
                let _ = writeln!(
                    out,
                    "  line {}: {:?} expected {}, got {}",
                    m.line, m.message, m.expected, m.got
                );
            }
        }
        out
    }
}

impl fmt::Display for DialogueReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Matcher, MatcherConfig};

    #[test]
    fn a_dialogue_file_is_told_from_a_question_file_by_its_header() {
        assert!(is_dialogue_file(
            "expected\tturn\tmessage\nstep-1\tfirst\tstep 1\n"
        ));
        assert!(!is_dialogue_file("expected\tcategory\tquestion\n"));
        assert!(!is_dialogue_file(""));
    }

    #[test]
    fn bad_lines_are_named() {
        let kb = KnowledgeBase::embedded().unwrap();
        // (text, the line at fault, a phrase of the message)
        let cases = [
            (
                "expected\tturn\tmessage\nstep-1\tfirst\n",
                Some(2),
                "3 tab-separated",
            ),
            (
                "expected\tturn\tmessage\nstep-1\tsecond\tx\n",
                Some(2),
                "`first` or `follow-up`",
            ),
            (
                "expected\tturn\tmessage\n\nnope\tfirst\tx\n",
                Some(3),
                "unknown expected label",
            ),
            ("expected\tturn\tmessage\n", None, "no conversations"),
        ];
        for (text, line, phrase) in cases {
            let (got_line, message) = parse(text, &kb).unwrap_err();
            assert_eq!(got_line, line, "{text:?}");
            assert!(message.contains(phrase), "{text:?}: {message}");
        }
    }

    /// Both kinds of labelled file (question files are read by
    /// `eval::load`): an error names the file and its line, or the file
    /// alone for a problem of the whole file, and ends with its kind's format.
    #[test]
    fn a_labelled_files_error_says_where_and_gives_the_format_of_its_kind() {
        let kb = KnowledgeBase::embedded().unwrap();
        let dir =
            std::env::temp_dir().join(format!("qabot-labelled-errors-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        const QUESTIONS: &str = "hint: each line is expected<TAB>category<TAB>question";
        const DIALOGUES: &str = "hint: each line is expected<TAB>turn<TAB>message";
        // (file, its text, what the error starts with, its hint)
        let cases = [
            (
                "q-bad.tsv",
                "expected\tcategory\tquestion\nstep-1\tx\n",
                "q-bad.tsv:2: expected 3 tab-separated fields",
                QUESTIONS,
            ),
            (
                "q-empty.tsv",
                "expected\tcategory\tquestion\n",
                "q-empty.tsv: no questions in the file",
                QUESTIONS,
            ),
            (
                "d-bad.tsv",
                "expected\tturn\tmessage\nstep-1\tsecond\tx\n",
                "d-bad.tsv:2: turn is \"second\"",
                DIALOGUES,
            ),
            (
                "d-empty.tsv",
                "expected\tturn\tmessage\n",
                "d-empty.tsv: no conversations in the file",
                DIALOGUES,
            ),
        ];
        for (name, text, starts, hint) in cases {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            let error = if hint == DIALOGUES {
                load(&path, &kb).unwrap_err()
            } else {
                crate::eval::load(&path, &kb).unwrap_err()
            };
            let shown = error.to_string();
            let starts = format!("{}/{starts}", dir.display());
            assert!(shown.starts_with(&starts), "{name}: {shown}");
            assert!(shown.contains(hint), "{name}: {shown}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn conversations_are_scored_turn_by_turn_from_an_empty_context() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let talk = Conversations::new(&kb, &matcher);
        let text = "expected\tturn\tmessage\n\
                    step-1\tfirst\twhat is the first step\n\
                    step-2\tfollow-up\tand the next one?\n\
                    \n\
                    clarify\tfollow-up\twhy?\n\
                    step-3\tfollow-up\tthe last one\n\
                    \n\
                    step-2\tfollow-up\tnext\n";
        let conversations = parse(text, &kb).unwrap();
        assert_eq!(conversations.len(), 3);
        let report = run(&talk, &kb, &conversations);
        assert_eq!((report.first.right, report.first.total), (1, 1));
        assert_eq!(report.first_alone, report.first);
        // "next" opening a conversation has nothing to follow: a miss, and
        // no passage.
        assert_eq!((report.follow_ups.right, report.follow_ups.total), (3, 4));
        assert_eq!(report.passages_without_context.right, 0);
        assert_eq!(report.passages_without_context.total, 2);
        assert_eq!(report.misses.len(), 1);
        assert_eq!(report.misses[0].got, CLARIFY);
        assert!(
            report
                .render(false)
                .contains("follow-up turns right:  75.0% (3/4)")
        );
    }
}
