//! What the handlers answer with: the knowledge base and matcher in force
//! ([`Live`]), and how they are replaced on SIGHUP and `/reload` from
//! where they came at start ([`Reload`]).

use std::fmt;
use std::sync::{Arc, RwLock};

use super::error::ReloadError;
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Matcher, MatcherConfig};
use crate::plural::count;

/// Loads the knowledge base and the `[matcher]` settings afresh, from where
/// they came at start (for SIGHUP and `/reload`); an error says what is wrong, and where.
pub type Reload =
    Box<dyn Fn() -> Result<(KnowledgeBase, MatcherConfig), ReloadError> + Send + Sync>;

/// What a reload put in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// Where the knowledge base came from (its directory, or "built-in").
    pub origin: String,
    pub entries: usize,
    pub steps: usize,
}

impl fmt::Display for Reloaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "knowledge base {} ({}, {})",
            self.origin,
            count(self.entries, "entry", "entries"),
            count(self.steps, "step", "steps")
        )
    }
}

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
    /// the old one keeps serving.
    pub async fn reload(&self, trigger: &str) -> Result<Reloaded, ReloadError> {
        tracing::info!("{trigger}: reloading the knowledge base and [matcher] settings");
        let source = self.source.clone();
        let built = tokio::task::spawn_blocking(move || {
            let (kb, settings) = source()?;
            let matcher = Matcher::new(&kb, settings);
            Ok::<_, ReloadError>((kb, matcher))
        })
        .await
        .unwrap_or_else(|crashed| Err(ReloadError::Crashed(crashed.to_string())));
        match built {
            Ok((kb, matcher)) => {
                let reloaded = Reloaded {
                    origin: kb.origin.clone(),
                    entries: kb.entries.len(),
                    steps: usize::from(kb.step_count()),
                };
                tracing::info!(
                    knowledge = %kb.origin,
                    entries = kb.entries.len(),
                    "reloaded: {reloaded}; [bot] and [log] changes need a restart",
                );
                self.replace(kb, matcher);
                Ok(reloaded)
            }
            Err(error) => {
                tracing::error!(
                    error = %crate::errors::with_causes(&error),
                    "reload rejected, still answering with the knowledge base loaded before"
                );
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::{KnowledgeError, Problem};

    fn live_reloading_from(source: Reload) -> Live {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        Live::new(Arc::new(kb), Arc::new(matcher), source)
    }

    #[tokio::test]
    async fn a_rejected_reload_keeps_the_pair_in_force_and_says_why() {
        let live = live_reloading_from(Box::new(|| {
            Err(ReloadError::Knowledge(KnowledgeError {
                problems: vec![Problem {
                    file: "k/knowledge.toml".into(),
                    line: Some(7),
                    message: "bad".into(),
                    hint: "fix it".into(),
                }],
            }))
        }));
        let before = live.current();
        let error = live.reload("test").await.unwrap_err();
        assert!(matches!(error, ReloadError::Knowledge(_)), "{error:?}");
        assert!(Arc::ptr_eq(&before.0, &live.current().0));
    }

    #[tokio::test]
    async fn a_panicking_reload_is_an_error_not_a_crash() {
        let live = live_reloading_from(Box::new(|| panic!("indexing bug")));
        let error = live.reload("test").await.unwrap_err();
        assert!(matches!(error, ReloadError::Crashed(_)), "{error:?}");
    }

    #[tokio::test]
    async fn an_accepted_reload_says_what_is_now_in_force() {
        let live = live_reloading_from(Box::new(|| {
            Ok((KnowledgeBase::embedded().unwrap(), MatcherConfig::default()))
        }));
        let reloaded = live.reload("test").await.unwrap();
        let kb = live.current().0;
        assert_eq!(
            reloaded,
            Reloaded {
                origin: kb.origin.clone(),
                entries: kb.entries.len(),
                steps: usize::from(kb.step_count()),
            }
        );
    }
}
