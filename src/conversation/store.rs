//! Where contexts are kept between messages, by an opaque conversation key.
//!
//! [`ContextStore`] is the one interface: the in-memory [`MemoryStore`]
//! here, and [`DatabaseStore`] in the question log's PostgreSQL database,
//! shared by several instances behind a proxy ([`database`]).
//! [`Contexts::for_log`] picks one. Its methods return futures, so the
//! database-backed store fits without blocking, and take the time from the
//! caller, so expiry is tested without a clock.

use std::collections::{BTreeMap, HashMap};
use std::future::{Future, ready};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Context;
use crate::question_log::{Backend, QuestionLog};

pub mod database;
pub use database::DatabaseStore;

/// `[conversation]` in the config file: how long and how many contexts are
/// kept (see [`Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConversationConfig {
    /// A conversation's context is forgotten after this many minutes unused.
    pub expiry_minutes: u64,
    /// At most this many conversations' contexts are kept (in memory, or in
    /// the PostgreSQL question log's table, trimmed once a minute).
    pub max_conversations: usize,
}

impl Default for ConversationConfig {
    fn default() -> Self {
        let limits = Limits::default();
        ConversationConfig {
            expiry_minutes: limits.expiry.as_secs() / 60,
            max_conversations: limits.capacity,
        }
    }
}

impl ConversationConfig {
    /// The store's limits these settings make.
    pub fn limits(&self) -> Limits {
        Limits {
            expiry: Duration::from_secs(self.expiry_minutes.saturating_mul(60)),
            capacity: self.max_conversations,
        }
    }
}

/// Identifies one conversation: a private chat, or one person within a
/// group chat. Opaque to the store: the caller decides what it is made of
/// (ids, or salted hashes of them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConversationKey(pub String);

/// A moment, as time since an epoch the caller chooses (the Unix epoch for
/// a store shared between processes).
pub type Moment = Duration;

/// How long contexts live and how many are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A context not used for this long is forgotten.
    pub expiry: Duration,
    /// At most this many contexts; the one used longest ago goes first.
    pub capacity: usize,
}

impl Default for Limits {
    /// 30 minutes, and 10,000 conversations (each a few hundred bytes).
    fn default() -> Self {
        Limits {
            expiry: Duration::from_secs(30 * 60),
            capacity: 10_000,
        }
    }
}

/// Keeps one [`Context`] per conversation.
pub trait ContextStore: Send + Sync {
    /// The conversation's context, if it has one that has not expired at `now`.
    fn load(
        &self,
        key: &ConversationKey,
        now: Moment,
    ) -> impl Future<Output = Option<Context>> + Send;

    /// Keeps `context` for the conversation, as last used at `now`.
    fn save(
        &self,
        key: ConversationKey,
        context: Context,
        now: Moment,
    ) -> impl Future<Output = ()> + Send;
}

/// Contexts in this process's memory, bounded in number and in age.
#[derive(Debug, Default)]
pub struct MemoryStore {
    limits: Limits,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    contexts: HashMap<ConversationKey, Slot>,
    /// Keys by when they were last used (a counter, so two uses at the
    /// same moment keep their order): the first is the one to evict.
    by_use: BTreeMap<u64, ConversationKey>,
    uses: u64,
}

#[derive(Debug)]
struct Slot {
    context: Context,
    used_at: Moment,
    use_number: u64,
}

impl MemoryStore {
    pub fn new(limits: Limits) -> Self {
        MemoryStore {
            limits,
            inner: Mutex::default(),
        }
    }

    /// How many contexts are held.
    pub fn len(&self) -> usize {
        self.lock().contexts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves plain data, still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The context, synchronously (the in-memory store never waits).
    pub fn get(&self, key: &ConversationKey, now: Moment) -> Option<Context> {
        let mut inner = self.lock();
        let slot = inner.contexts.get(key)?;
        if now.saturating_sub(slot.used_at) >= self.limits.expiry {
            inner.remove(key);
            return None;
        }
        Some(slot.context.clone())
    }

    /// Keeps the context, synchronously.
    pub fn put(&self, key: ConversationKey, context: Context, now: Moment) {
        let mut inner = self.lock();
        inner.remove(&key);
        // The oldest first: expired ones, then any past the capacity.
        while let Some((_, oldest)) = inner.by_use.first_key_value() {
            let expired = inner
                .contexts
                .get(oldest)
                .is_some_and(|s| now.saturating_sub(s.used_at) >= self.limits.expiry);
            if !expired && inner.contexts.len() < self.limits.capacity {
                break;
            }
            let oldest = oldest.clone();
            inner.remove(&oldest);
        }
        if self.limits.capacity == 0 {
            return;
        }
        inner.uses += 1;
        let use_number = inner.uses;
        inner.by_use.insert(use_number, key.clone());
        inner.contexts.insert(
            key,
            Slot {
                context,
                used_at: now,
                use_number,
            },
        );
    }
}

impl Inner {
    fn remove(&mut self, key: &ConversationKey) {
        if let Some(slot) = self.contexts.remove(key) {
            self.by_use.remove(&slot.use_number);
        }
    }
}

impl ContextStore for MemoryStore {
    fn load(
        &self,
        key: &ConversationKey,
        now: Moment,
    ) -> impl Future<Output = Option<Context>> + Send {
        ready(self.get(key, now))
    }

    fn save(
        &self,
        key: ConversationKey,
        context: Context,
        now: Moment,
    ) -> impl Future<Output = ()> + Send {
        self.put(key, context, now);
        ready(())
    }
}

/// The store a running bot keeps its contexts in, chosen once at start
/// ([`Contexts::for_log`]): one type, so the handlers need not be generic
/// over the store.
#[derive(Debug)]
pub enum Contexts {
    /// This process's memory: with SQLite or no database.
    Memory(MemoryStore),
    /// The question log's PostgreSQL database, shared with the other
    /// instances using it.
    Database(DatabaseStore),
}

impl Contexts {
    /// Contexts in memory, within `limits`.
    pub fn in_memory(limits: Limits) -> Self {
        Contexts::Memory(MemoryStore::new(limits))
    }

    /// The store for a bot whose question log is `log`: the log's database
    /// when it is PostgreSQL, which other instances may share (its pool,
    /// schema and key: conversations are stored under keyed hashes, as the
    /// log's people are); otherwise memory, as a SQLite file or no log is
    /// this instance's alone.
    pub fn for_log(log: &QuestionLog, limits: Limits) -> Self {
        match log.store() {
            Some(store) if *store.url().backend() == Backend::Postgres => {
                Contexts::Database(DatabaseStore::new(store.clone(), limits))
            }
            _ => Contexts::in_memory(limits),
        }
    }
}

impl ContextStore for Contexts {
    async fn load(&self, key: &ConversationKey, now: Moment) -> Option<Context> {
        match self {
            Contexts::Memory(store) => store.get(key, now),
            Contexts::Database(store) => store.get(key, now).await,
        }
    }

    async fn save(&self, key: ConversationKey, context: Context, now: Moment) {
        match self {
            Contexts::Memory(store) => store.put(key, context, now),
            Contexts::Database(store) => store.put(&key, &context, now).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> ConversationKey {
        ConversationKey(name.to_owned())
    }

    fn context(last: &str) -> Context {
        Context {
            last: Some(last.to_owned()),
            ..Context::default()
        }
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn contexts_expire_after_the_configured_time() {
        let store = MemoryStore::new(Limits::default());
        store.put(key("a"), context("step-1"), MINUTE);
        // (minutes after saving, still there)
        for (after, kept) in [(0, true), (29, true), (30, false)] {
            let store_copy = MemoryStore::new(Limits::default());
            store_copy.put(key("a"), context("step-1"), MINUTE);
            let got = store_copy.get(&key("a"), MINUTE * (1 + after));
            assert_eq!(got.is_some(), kept, "{after} minutes");
        }
        assert_eq!(store.get(&key("a"), MINUTE * 31), None);
        assert!(store.is_empty(), "an expired context is dropped when seen");
    }

    #[test]
    fn the_oldest_context_is_evicted_first() {
        let store = MemoryStore::new(Limits {
            expiry: MINUTE * 30,
            capacity: 2,
        });
        store.put(key("a"), context("step-1"), MINUTE);
        store.put(key("b"), context("step-2"), MINUTE * 2);
        // Using "a" again makes "b" the oldest.
        store.put(key("a"), context("step-3"), MINUTE * 3);
        store.put(key("c"), context("author"), MINUTE * 4);
        assert_eq!(store.len(), 2);
        assert_eq!(store.get(&key("b"), MINUTE * 4), None);
        assert_eq!(store.get(&key("a"), MINUTE * 4), Some(context("step-3")));
        assert_eq!(store.get(&key("c"), MINUTE * 4), Some(context("author")));
    }

    #[test]
    fn expired_contexts_make_room_before_live_ones_are_evicted() {
        let store = MemoryStore::new(Limits {
            expiry: MINUTE * 30,
            capacity: 10,
        });
        store.put(key("old"), context("step-1"), MINUTE);
        store.put(key("new"), context("step-2"), MINUTE * 40);
        assert_eq!(store.len(), 1, "the expired one went when the new one came");
        assert_eq!(store.get(&key("new"), MINUTE * 41), Some(context("step-2")));
    }

    #[test]
    fn conversations_do_not_share_a_context() {
        let store = MemoryStore::new(Limits::default());
        store.put(key("chat 1 / person 1"), context("step-1"), MINUTE);
        store.put(key("chat 1 / person 2"), context("author"), MINUTE);
        assert_eq!(
            store.get(&key("chat 1 / person 1"), MINUTE),
            Some(context("step-1"))
        );
        assert_eq!(
            store.get(&key("chat 1 / person 2"), MINUTE),
            Some(context("author"))
        );
        assert_eq!(store.get(&key("chat 2 / person 1"), MINUTE), None);
    }

    #[test]
    fn the_config_sets_the_limits() {
        assert_eq!(ConversationConfig::default().limits(), Limits::default());
        let config: ConversationConfig =
            toml::from_str("expiry_minutes = 5\nmax_conversations = 7").unwrap();
        assert_eq!(
            config.limits(),
            Limits {
                expiry: MINUTE * 5,
                capacity: 7
            }
        );
        assert!(toml::from_str::<ConversationConfig>("expiry = 5").is_err());
    }

    #[tokio::test]
    async fn contexts_are_shared_through_postgresql_and_kept_in_memory_otherwise() {
        use crate::question_log::{DatabaseUrl, KeySource, Settings, key};
        let dir = std::env::temp_dir().join(format!("qabot-contexts-{}", std::process::id()));
        let open = |url: &str| {
            QuestionLog::open(Settings {
                url: DatabaseUrl::parse(url, &dir).unwrap(),
                retention_days: 0,
                buffer_bytes: 64 * 1024,
                key: KeySource::Env {
                    var: key::KEY_VAR,
                    key: "k".repeat(key::MIN_KEY_CHARS),
                },
            })
            .unwrap()
        };
        let limits = Limits::default();
        // Nothing listens on the discard port: nothing is sent anyway.
        let postgres = open("postgres://qabot@127.0.0.1:9/qabot");
        assert!(matches!(
            Contexts::for_log(&postgres, limits),
            Contexts::Database(_)
        ));
        let sqlite = open("sqlite:questions.sqlite");
        assert!(matches!(
            Contexts::for_log(&sqlite, limits),
            Contexts::Memory(_)
        ));
        assert!(matches!(
            Contexts::for_log(&QuestionLog::disabled(), limits),
            Contexts::Memory(_)
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_store_of_no_capacity_keeps_nothing() {
        let store = MemoryStore::new(Limits {
            expiry: MINUTE,
            capacity: 0,
        });
        store.put(key("a"), context("step-1"), MINUTE);
        assert!(store.is_empty());
    }
}
