//! `qabot report --apply N@CODE…`: the chosen proposals written into the
//! knowledge base's `knowledge.toml`, all or nothing; a number whose code
//! is not the one read (the numbers moved) applies nothing. They are measured
//! together first (as the report measures each); the file is then replaced
//! whole (a new file renamed over it, so a reader never sees half of it),
//! loaded back from disk and measured again; on any problem the original
//! bytes are put back and the error says why.

use std::path::{Path, PathBuf};

use super::proof::{Effect, Floor, Proposal, Workbench};
use super::propose::addition;
use crate::knowledge::{KnowledgeBase, MANIFEST};
use crate::matcher::MatcherConfig;

/// Why proposals were not applied. The knowledge file is as it was.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(
        "the built-in knowledge base cannot be edited; pass --knowledge DIR (or set [knowledge] dir) to the directory whose knowledge.toml to change"
    )]
    Embedded,
    #[error(
        "no proposal {number}: this report has {count}; run `qabot report` with the same --since to see their numbers"
    )]
    NoSuchProposal { number: usize, count: usize },
    #[error(
        "proposal {number} is not the one you read ({expected}): the log or the knowledge base changed since, and it is now {found} ({now}){elsewhere}; nothing written: run `qabot report` again and choose from what it shows"
    )]
    NotAsRead {
        number: usize,
        expected: String,
        found: String,
        /// What proposal `number` is now: "add 2 questions to …".
        now: String,
        /// Where the proposal read is now, if it is still proposed.
        elsewhere: String,
    },
    #[error("{path}: not changed: {why}")]
    Refused { path: PathBuf, why: String },
    #[error(
        "{path}: changed since the report read it; nothing written: run `qabot report --apply` again"
    )]
    Changed { path: PathBuf },
    // The I/O error is in the text, not a `source()`, so it prints once.
    #[error("{path}: cannot {doing}: {error}; the file is as it was")]
    Io {
        path: PathBuf,
        doing: &'static str,
        error: std::io::Error,
    },
}

/// Proposals that cannot be applied are the user's to choose again; a
/// failed read or write is the system's.
impl crate::errors::UserError for ApplyError {
    fn is_bad_input(&self) -> bool {
        !matches!(self, ApplyError::Io { .. })
    }
}

/// A proposal chosen on the command line: `N`, or `N@CODE` as the report
/// prints it, which also says which proposal was read as number N.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub number: usize,
    pub code: Option<String>,
}

/// Text that is not a [`Choice`]: what was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not N or N@CODE (as the report prints it, e.g. 3@1f0c9a2e)")]
pub struct NotAChoice(String);

impl std::str::FromStr for Choice {
    type Err = NotAChoice;

    fn from_str(text: &str) -> Result<Choice, NotAChoice> {
        let bad = || NotAChoice(text.to_owned());
        let (number, code) = match text.split_once('@') {
            Some((number, code)) => (number, Some(code)),
            None => (text, None),
        };
        let number = number
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(bad)?;
        match code {
            Some(code) if code.len() == 8 && code.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Ok(Choice {
                    number,
                    code: Some(code.to_ascii_lowercase()),
                })
            }
            Some(_) => Err(bad()),
            None => Ok(Choice { number, code: None }),
        }
    }
}

/// The proposals `choices` name among `proposals`; one whose code is not
/// the one given is refused, so a number that moved applies nothing.
pub fn chosen<'p>(
    proposals: &'p [Proposal],
    choices: &[Choice],
) -> Result<Vec<&'p Proposal>, ApplyError> {
    choices
        .iter()
        .map(|choice| {
            let number = choice.number;
            let found = proposals.iter().find(|p| p.number == number).ok_or(
                ApplyError::NoSuchProposal {
                    number,
                    count: proposals.len(),
                },
            )?;
            match &choice.code {
                Some(code) if *code != found.code => Err(ApplyError::NotAsRead {
                    number,
                    expected: code.clone(),
                    found: found.code.clone(),
                    now: format!(
                        "add {} to {}",
                        crate::plural::count(found.questions.len(), "question", "questions"),
                        found.target
                    ),
                    elsewhere: proposals
                        .iter()
                        .find(|p| p.code == *code)
                        .map(|p| format!("; the one you read is {}@{code} now", p.number))
                        .unwrap_or_default(),
                }),
                _ => Ok(found),
            }
        })
        .collect()
}

/// Writes `proposals` into `dir`'s `knowledge.toml`, which `bench` holds
/// as it was read; returns the effect measured on the file as written.
pub fn apply(
    dir: &Path,
    bench: &Workbench,
    config: &MatcherConfig,
    files: &[PathBuf],
    proposals: &[&Proposal],
) -> Result<Effect, ApplyError> {
    let path = dir.join(MANIFEST);
    let io = |doing, error| ApplyError::Io {
        path: path.clone(),
        doing,
        error,
    };
    let refused = |why: String| ApplyError::Refused {
        path: path.clone(),
        why,
    };
    if let Some(unread) = bench.unread.first() {
        return Err(refused(format!(
            "cannot measure on a labelled file: {unread}; fix it, or take it out of [report] labelled"
        )));
    }
    let original = std::fs::read(&path).map_err(|e| io("read it", e))?;
    if original != bench.manifest().as_bytes() {
        return Err(ApplyError::Changed { path });
    }
    let additions: Vec<_> = proposals
        .iter()
        .map(|p| addition(&p.target, &p.questions))
        .collect();
    let effect = bench.measure(&additions);
    if let Some(why) = &effect.refused {
        return Err(refused(why.clone()));
    }
    let edited = bench
        .edited(&additions)
        .map_err(|e| refused(e.to_string()))?;
    replace(&path, edited.as_bytes()).map_err(|e| io("write it", e))?;
    // Measured again on the file as written and read back.
    let again = match KnowledgeBase::load_dir(dir) {
        Ok(kb) => {
            let written = Workbench::new(&path.display().to_string(), edited, &kb, config, files);
            check_floors(&effect.floors, &written.figures())
        }
        Err(e) => Err(format!("the file as written fails check: {}", e.headline())),
    };
    if let Err(why) = again {
        replace(&path, &original).map_err(|e| io("put it back as it was", e))?;
        return Err(refused(why));
    }
    Ok(effect)
}

/// Whether each floor measured in memory holds on the file as written.
fn check_floors(expected: &[Floor], written: &[(String, usize)]) -> Result<(), String> {
    for floor in expected {
        if let Some((_, right)) = written.iter().find(|(name, _)| *name == floor.name)
            && *right < floor.before.right
        {
            return Err(format!(
                "{} drops from {} to {right} right on the file as written",
                floor.name, floor.before
            ));
        }
    }
    Ok(())
}

/// Replaces `path` with `bytes`: written beside it, then renamed over it.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.qabot-apply"));
    let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// What `--apply` says once the file is written: what was added, the
/// figures, and how a running bot picks the change up.
pub fn applied_text(file: &str, proposals: &[&Proposal], effect: &Effect) -> String {
    let mut out = String::new();
    for p in proposals {
        out.push_str(&format!(
            "applied proposal {}: {} added to {}\n",
            p.number,
            crate::plural::count(p.questions.len(), "question", "questions"),
            p.target
        ));
        // The log may have moved since the report was read: say exactly what.
        for q in &p.questions {
            out.push_str(&format!(
                "    {}\n",
                super::visible::toml_string(&q.question)
            ));
        }
    }
    out.push_str(&format!(
        "{file}: check passes; the proposals' questions get what they propose: {} of {}\n",
        effect.answers.right, effect.answers.total
    ));
    for f in &effect.floors {
        out.push_str(&format!("  {:<40} {} → {}\n", f.name, f.before, f.after));
    }
    out.push_str(
        "A running bot reads it on SIGHUP (kill -HUP with the pid of `qabot run`) or when an admin sends /reload.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Lang;
    use crate::report::Asked;
    use crate::report::edit::Target;
    use crate::report::proof::{Figure, code};

    #[test]
    fn a_choice_is_a_number_or_a_number_and_its_code() {
        // Text, and the number and code read from it (None: refused).
        type Read = Option<(usize, Option<&'static str>)>;
        let cases: [(&str, Read); 9] = [
            ("3", Some((3, None))),
            ("3@1f0c9a2e", Some((3, Some("1f0c9a2e")))),
            ("12@1F0C9A2E", Some((12, Some("1f0c9a2e")))),
            ("0", None),
            ("-1", None),
            ("3@", None),
            ("3@1f0c9a2", None),
            ("3@1f0c9a2g", None),
            ("@1f0c9a2e", None),
        ];
        for (text, expected) in cases {
            let parsed = text.parse::<Choice>();
            match expected {
                Some((number, code)) => assert_eq!(
                    parsed,
                    Ok(Choice {
                        number,
                        code: code.map(str::to_owned)
                    }),
                    "{text}"
                ),
                None => {
                    let error = parsed.unwrap_err().to_string();
                    assert!(error.contains("is not N or N@CODE"), "{text}: {error}");
                }
            }
        }
    }

    fn proposal(number: usize, entry: &str, question: &str) -> Proposal {
        let toml = format!("# add to {entry}\n    {question:?},\n");
        let none = Figure { right: 0, total: 1 };
        Proposal {
            number,
            target: Target::Entry(entry.into()),
            questions: vec![Asked {
                question: question.into(),
                count: 1,
                lang: Lang::En,
            }],
            code: code(&toml),
            toml,
            effect: Effect {
                problems: Vec::new(),
                answers: none,
                answers_before: none,
                floors: Vec::new(),
                refused: None,
            },
        }
    }

    #[test]
    fn a_number_that_moved_applies_nothing() {
        // Read as 1 and 2; one question more in the log since, and the
        // proposal read as 1 is number 2 now.
        let read = [
            proposal(1, "step-2", "how do we keep young researchers"),
            proposal(2, "step-1", "failures?"),
        ];
        let now = [
            proposal(1, "step-3", "what about conferences abroad"),
            proposal(2, "step-2", "how do we keep young researchers"),
        ];
        let as_read = |p: &Proposal| Choice {
            number: p.number,
            code: Some(p.code.clone()),
        };
        assert_eq!(
            chosen(&now, &[as_read(&now[1])]).unwrap()[0].questions,
            read[0].questions
        );
        let error = chosen(&now, &[as_read(&read[0])]).unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(error, ApplyError::NotAsRead { number: 1, .. }),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "proposal 1 is not the one you read ({})",
                read[0].code
            )) && text.contains("it is now ")
                && text.contains("(add 1 question to [[entry]] \"step-3\")")
                && text.contains(&format!("the one you read is 2@{} now", read[0].code)),
            "{text}"
        );
        // Gone from the report altogether: no "is N now".
        let error = chosen(&now, &[as_read(&read[1])]).unwrap_err().to_string();
        assert!(!error.contains("the one you read is"), "{error}");
        // A number alone is taken as it is now.
        let plain = Choice {
            number: 1,
            code: None,
        };
        assert_eq!(chosen(&now, &[plain]).unwrap()[0].code, now[0].code);
    }
}
