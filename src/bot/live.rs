//! What the handlers answer with: the knowledge base and matcher in force
//! ([`Live`]), and how they are replaced on SIGHUP and `/reload` from
//! where they came at start ([`Reload`]).

use std::sync::{Arc, RwLock};

use crate::knowledge::KnowledgeBase;
use crate::matcher::{Matcher, MatcherConfig};

/// Loads the knowledge base and the `[matcher]` settings afresh, from where
/// they came at start (for SIGHUP and `/reload`); an error says what is wrong, and where.
pub type Reload = Box<dyn Fn() -> anyhow::Result<(KnowledgeBase, MatcherConfig)> + Send + Sync>;

/// The knowledge base and the matcher built on it, as the handlers read
/// them: replaced whole on reload (SIGHUP or an admin's `/reload`), so an
/// update in flight keeps the pair it started with and the next one gets
/// the new pair. Readers only clone two `Arc`s under the lock, which a
/// reload holds just as long.
#[derive(Clone)]
pub struct Live {
    pair: Arc<RwLock<(Arc<KnowledgeBase>, Arc<Matcher>)>>,
    /// Where a reload reads from: given with the first pair, so a `Live`
    /// always has one.
    source: Arc<Reload>,
}

impl Live {
    /// The pair in force at start, and where reloads read the next ones from.
    pub fn new(kb: Arc<KnowledgeBase>, matcher: Arc<Matcher>, source: Reload) -> Live {
        Live {
            pair: Arc::new(RwLock::new((kb, matcher))),
            source: Arc::new(source),
        }
    }

    /// A `Live` whose reloads index `kb` again with `settings`: for a bot
    /// whose knowledge base has no files to be read again from (tests,
    /// embedders).
    pub fn fixed(kb: KnowledgeBase, settings: MatcherConfig) -> Live {
        let matcher = Matcher::new(&kb, settings.clone());
        let first = Arc::new(kb.clone());
        Live::new(
            first,
            Arc::new(matcher),
            Box::new(move || Ok((kb.clone(), settings.clone()))),
        )
    }

    /// The knowledge base and matcher in force now.
    pub fn current(&self) -> (Arc<KnowledgeBase>, Arc<Matcher>) {
        self.pair.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a new pair in force for the updates that come next.
    pub fn replace(&self, kb: KnowledgeBase, matcher: Matcher) {
        *self.pair.write().unwrap_or_else(|e| e.into_inner()) = (Arc::new(kb), Arc::new(matcher));
    }

    /// Reloads the knowledge base and matcher settings (SIGHUP, `/reload`),
    /// logging the outcome. Loading and indexing run off the runtime's
    /// workers, so updates keep being answered, with the old pair, until
    /// the new one is swapped in; one that fails to load is rejected and
    /// the old one keeps serving. The outcome in one line: what is now in
    /// force, or the first line of what is wrong (with file and line).
    pub async fn reload(&self, trigger: &str) -> Result<String, String> {
        tracing::info!("{trigger}: reloading the knowledge base and [matcher] settings");
        let source = self.source.clone();
        let built = tokio::task::spawn_blocking(move || {
            let (kb, settings) = source()?;
            let matcher = Matcher::new(&kb, settings);
            anyhow::Ok((kb, matcher))
        })
        .await;
        let error = match built {
            Ok(Ok((kb, matcher))) => {
                let summary = format!(
                    "knowledge base {} ({} entries, {} steps)",
                    kb.origin,
                    kb.entries.len(),
                    kb.step_count()
                );
                tracing::info!(
                    knowledge = %kb.origin,
                    entries = kb.entries.len(),
                    "reloaded: {summary}; [bot] and [log] changes need a restart",
                );
                self.replace(kb, matcher);
                return Ok(summary);
            }
            Ok(Err(error)) => {
                let error = crate::errors::with_causes(error.as_ref());
                tracing::error!(
                    error = %error,
                    "reload rejected, still answering with the knowledge base loaded before"
                );
                error
            }
            Err(panic) => {
                let error = panic.to_string();
                tracing::error!(
                    error = %error,
                    "reload failed, still answering with the knowledge base loaded before"
                );
                error
            }
        };
        Err(headline(&error))
    }
}

/// An error in one line, for a chat: its first line, and when that only
/// announces a list ("invalid knowledge base (2 problems):"), the first
/// item too, which names the file and line. Hints and the rest are in the log.
fn headline(error: &str) -> String {
    let mut lines = error.lines().map(str::trim);
    let first = lines.next().unwrap_or("");
    match lines.next() {
        Some(item) if first.ends_with(':') => format!("{first} {item}"),
        _ => first.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reload_error_is_told_in_one_line_with_its_first_problem() {
        let listed = "invalid knowledge base (2 problems):\n  k/knowledge.toml:7: bad\n    hint: fix it\n  k/column.txt: gone";
        assert_eq!(
            headline(listed),
            "invalid knowledge base (2 problems): k/knowledge.toml:7: bad"
        );
        let single = "qabot.toml:3: invalid config: x\n    hint: see config.toml";
        assert_eq!(headline(single), "qabot.toml:3: invalid config: x");
    }
}
