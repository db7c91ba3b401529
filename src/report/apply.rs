//! `qabot report --apply N…`: the chosen proposals written into the
//! knowledge base's `knowledge.toml`, all or nothing. They are measured
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

/// The proposals numbered `numbers` among `proposals`.
pub fn chosen<'p>(
    proposals: &'p [Proposal],
    numbers: &[usize],
) -> Result<Vec<&'p Proposal>, ApplyError> {
    numbers
        .iter()
        .map(|&number| {
            proposals
                .iter()
                .find(|p| p.number == number)
                .ok_or(ApplyError::NoSuchProposal {
                    number,
                    count: proposals.len(),
                })
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
