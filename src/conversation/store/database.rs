//! Contexts in the question log's PostgreSQL database, so that instances
//! behind one proxy share them: a follow-up answered by another instance
//! than the first message still has its context.
//!
//! The store borrows the question log's [`Store`]: its pool, its schema
//! (table `conversation_contexts`, schema version 4) and its key. A
//! conversation's key is stored only as a keyed hash under that key
//! ([`Key::hash_text`], like the log's user and chat hashes), never as the
//! bot made it; the context is JSON of entry ids and a language, no message
//! text.
//!
//! The database being slow or down never stops an answer: every load and
//! save gives up after [`TIMEOUT`], a failed load is no context, a failed
//! save is dropped and counted, and an outage is logged once when it starts
//! and once when it ends, not per message. During an outage loads and saves
//! do not wait on the database at all: one tries again every
//! [`RETRY_AFTER`], the others skip it.
//!
//! Limits as in memory, within one trim: a context unused for the expiry is
//! never returned, and is deleted when loaded; and at most once a minute
//! (of the time the caller gives), on a save, an instance deletes every
//! expired context and those past the capacity, the ones used longest ago
//! first. Between trims the table may hold more than the capacity by the
//! saves made meanwhile.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Row;

use super::{ContextStore, ConversationKey, Limits, Moment};
use crate::conversation::Context;
use crate::question_log::{Key, LogError, Store};

/// The most a load or a save may take, connecting included: a follow-up
/// answered without its context beats a reply held up by the database.
pub const TIMEOUT: Duration = Duration::from_millis(500);

/// During an outage, how long loads and saves skip the database before one
/// tries it again.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

/// How often (in the caller's time) an instance trims the table.
const TRIM_EVERY: Duration = Duration::from_secs(60);

/// What the hashes of conversation keys are hashed as, apart from the
/// log's "user" and "chat".
const HASH_KIND: &str = "conversation";

/// Why a load or save failed: only logged.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error(transparent)]
    Database(#[from] LogError),
    #[error(
        "the conversation contexts at {shown}: no answer within {} ms",
        within.as_millis()
    )]
    TimedOut { shown: String, within: Duration },
    #[error("the database is down: not tried again yet")]
    Skipped,
}

/// Contexts kept in the question log's database.
pub struct DatabaseStore {
    log: Arc<Store>,
    limits: Limits,
    timeout: Duration,
    /// Set once the schema is in place.
    prepared: AtomicBool,
    /// The outage under way, if any: logged once, and the database left
    /// alone until its next try.
    outage: Mutex<Option<Outage>>,
    /// Saves dropped because the database failed, since start.
    dropped: AtomicU64,
    /// When this instance last trimmed the table.
    last_trim: Mutex<Option<Moment>>,
}

impl std::fmt::Debug for DatabaseStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseStore")
            .field("database", self.log.url())
            .field("limits", &self.limits)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl DatabaseStore {
    /// Contexts in `log`'s database, within `limits`. Nothing is sent
    /// until the first load or save.
    pub fn new(log: Arc<Store>, limits: Limits) -> Self {
        DatabaseStore {
            log,
            limits,
            timeout: TIMEOUT,
            prepared: AtomicBool::new(false),
            outage: Mutex::new(None),
            dropped: AtomicU64::new(0),
            last_trim: Mutex::new(None),
        }
    }

    /// The same store with loads and saves given up after `timeout`
    /// instead of [`TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Saves dropped because the database failed, since start.
    pub fn dropped_saves(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// The conversation's context, or none when it has none, it expired,
    /// or the database failed.
    pub async fn get(&self, key: &ConversationKey, now: Moment) -> Option<Context> {
        match self.within(self.fetch(key, now)).await {
            Ok(context) => context,
            Err(error) => {
                self.failed(&error, Instant::now());
                None
            }
        }
    }

    /// Keeps the context; when the database fails, drops it.
    pub async fn put(&self, key: &ConversationKey, context: &Context, now: Moment) {
        if let Err(error) = self.within(self.upsert(key, context, now)).await {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            self.failed(&error, Instant::now());
        }
    }

    /// Runs `work` unless the database is down and not to be tried yet,
    /// giving up after the timeout.
    async fn within<T>(
        &self,
        work: impl Future<Output = Result<T, ContextError>>,
    ) -> Result<T, ContextError> {
        if !self.may_try(Instant::now()) {
            return Err(ContextError::Skipped);
        }
        let done = tokio::time::timeout(self.timeout, work)
            .await
            .unwrap_or_else(|_| {
                Err(ContextError::TimedOut {
                    shown: self.log.url().to_string(),
                    within: self.timeout,
                })
            })?;
        if let Some(outage) = self.lock_outage().take() {
            tracing::info!(
                down_ms = outage.since.elapsed().as_millis() as u64,
                dropped = self.dropped_saves(),
                "conversation contexts available again"
            );
        }
        Ok(done)
    }

    fn lock_outage(&self) -> std::sync::MutexGuard<'_, Option<Outage>> {
        // A panic elsewhere while holding the lock leaves plain data.
        self.outage.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether to use the database now: yes, unless it is down and its
    /// next try is later; a caller let through during an outage is its
    /// try, so the next one is [`RETRY_AFTER`] on.
    fn may_try(&self, now: Instant) -> bool {
        match self.lock_outage().as_mut() {
            None => true,
            Some(outage) if now >= outage.retry_at => {
                outage.retry_at = now + RETRY_AFTER;
                true
            }
            Some(_) => false,
        }
    }

    /// Notes a failure at `now`: the start of an outage (logged), or its
    /// next try put off.
    fn failed(&self, error: &ContextError, now: Instant) {
        if matches!(error, ContextError::Skipped) {
            return;
        }
        let mut outage = self.lock_outage();
        match outage.as_mut() {
            Some(outage) => outage.retry_at = now + RETRY_AFTER,
            None => {
                *outage = Some(Outage {
                    since: now,
                    retry_at: now + RETRY_AFTER,
                });
                tracing::warn!(
                    error = %error,
                    "conversation contexts unavailable: follow-ups are answered without their context until the database is back"
                );
            }
        }
    }

    /// The schema, made or migrated by a task of its own: a load that
    /// times out must not cut a migration off half-way (holding its lock).
    async fn prepare(&self) -> Result<(), ContextError> {
        if self.prepared.load(Ordering::Acquire) {
            return Ok(());
        }
        let log = self.log.clone();
        match tokio::spawn(async move { log.prepare().await }).await {
            Ok(Ok(())) => {
                self.prepared.store(true, Ordering::Release);
                Ok(())
            }
            Ok(Err(error)) => Err(error.into()),
            // The runtime is stopping.
            Err(_) => Err(ContextError::Skipped),
        }
    }

    fn hash(&self, key: &ConversationKey) -> Result<String, LogError> {
        Ok(stored_key(self.log.key()?, key))
    }

    /// The time before which a context has expired, in Unix milliseconds.
    fn cutoff(&self, now: Moment) -> i64 {
        millis(now).saturating_sub(millis(self.limits.expiry))
    }

    async fn fetch(
        &self,
        key: &ConversationKey,
        now: Moment,
    ) -> Result<Option<Context>, ContextError> {
        self.prepare().await?;
        let hash = self.hash(key)?;
        let error = self.log.error("cannot read a conversation's context");
        let row = sqlx::query(
            "SELECT context, used_at_ms FROM conversation_contexts WHERE key_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(self.log.pool())
        .await
        .map_err(&error)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let used_at: i64 = row.try_get("used_at_ms").map_err(&error)?;
        let cutoff = self.cutoff(now);
        if used_at <= cutoff {
            // Unless another instance used it meanwhile.
            sqlx::query(
                "DELETE FROM conversation_contexts WHERE key_hash = $1 AND used_at_ms <= $2",
            )
            .bind(&hash)
            .bind(cutoff)
            .execute(self.log.pool())
            .await
            .map_err(self.log.error("cannot delete an expired context"))?;
            return Ok(None);
        }
        let text: String = row.try_get("context").map_err(&error)?;
        // One a newer qabot wrote and this one cannot read is no context.
        Ok(from_stored(&text))
    }

    async fn upsert(
        &self,
        key: &ConversationKey,
        context: &Context,
        now: Moment,
    ) -> Result<(), ContextError> {
        if self.limits.capacity == 0 {
            return Ok(());
        }
        self.prepare().await?;
        let hash = self.hash(key)?;
        sqlx::query(
            "INSERT INTO conversation_contexts (key_hash, context, used_at_ms) VALUES ($1, $2, $3)
             ON CONFLICT (key_hash) DO UPDATE SET context = excluded.context, used_at_ms = excluded.used_at_ms",
        )
        .bind(hash)
        .bind(to_stored(context))
        .bind(millis(now))
        .execute(self.log.pool())
        .await
        .map_err(self.log.error("cannot save a conversation's context"))?;
        if self.trim_due(now) {
            self.trim(now).await?;
        }
        Ok(())
    }

    /// Whether this instance's last trim was [`TRIM_EVERY`] ago (or never,
    /// or in the future of a clock set back); if so, the trim is now.
    fn trim_due(&self, now: Moment) -> bool {
        let mut last = self.last_trim.lock().unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|at| now < at || now - at >= TRIM_EVERY);
        if due {
            *last = Some(now);
        }
        due
    }

    /// Deletes the expired contexts, then those past the capacity, the
    /// ones used longest ago first (with the one used at the same
    /// millisecond as the newest of them).
    async fn trim(&self, now: Moment) -> Result<(), ContextError> {
        let error = self.log.error("cannot delete old contexts");
        let capacity = i64::try_from(self.limits.capacity).unwrap_or(i64::MAX);
        for (statement, bound) in [
            (
                "DELETE FROM conversation_contexts WHERE used_at_ms <= $1",
                self.cutoff(now),
            ),
            (
                "DELETE FROM conversation_contexts WHERE used_at_ms <= (
                    SELECT used_at_ms FROM conversation_contexts ORDER BY used_at_ms DESC LIMIT 1 OFFSET $1)",
                capacity,
            ),
        ] {
            sqlx::query(statement)
                .bind(bound)
                .execute(self.log.pool())
                .await
                .map_err(&error)?;
        }
        Ok(())
    }
}

/// An outage of the database, as the store saw it.
#[derive(Debug, Clone, Copy)]
struct Outage {
    since: Instant,
    /// Until then, loads and saves skip the database.
    retry_at: Instant,
}

impl ContextStore for DatabaseStore {
    async fn load(&self, key: &ConversationKey, now: Moment) -> Option<Context> {
        self.get(key, now).await
    }

    async fn save(&self, key: ConversationKey, context: Context, now: Moment) {
        self.put(&key, &context, now).await
    }
}

/// What the `key_hash` column holds for `key`: its keyed hash, never the
/// key itself.
pub fn stored_key(log_key: &Key, key: &ConversationKey) -> String {
    log_key.hash_text(HASH_KIND, &key.0)
}

/// What the `context` column holds.
fn to_stored(context: &Context) -> String {
    // Strings, a list of them and an enum: serialising cannot fail.
    serde_json::to_string(context).unwrap_or_default()
}

/// The context in the `context` column, if this qabot can read it.
fn from_stored(text: &str) -> Option<Context> {
    serde_json::from_str(text).ok()
}

/// A moment or a span in whole milliseconds, as the table keeps them.
fn millis(time: Duration) -> i64 {
    i64::try_from(time.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Lang;

    #[test]
    fn the_stored_key_is_a_keyed_hash_never_the_key() {
        let key = Key::from_text(&"k".repeat(40), String::new).unwrap();
        let other = Key::from_text(&"o".repeat(40), String::new).unwrap();
        let conversation = ConversationKey("chat -100123 / user 42".into());
        let stored = stored_key(&key, &conversation);
        assert_eq!(stored.len(), 32, "{stored}");
        assert!(stored.bytes().all(|b| b.is_ascii_hexdigit()), "{stored}");
        assert_ne!(stored, conversation.0);
        assert_eq!(
            stored,
            stored_key(&key, &conversation),
            "the same each time"
        );
        assert_ne!(stored, stored_key(&other, &conversation), "keyed");
        assert_ne!(
            stored,
            stored_key(&key, &ConversationKey("chat -100123 / user 43".into()))
        );
        // Apart from the log's hashes of an id of the same text.
        let chat = ConversationKey("42".into());
        assert_ne!(stored_key(&key, &chat), key.hash("chat", 42));
        assert_ne!(stored_key(&key, &chat), key.hash("user", 42));
    }

    #[test]
    fn a_context_is_stored_as_json_and_read_back_the_same() {
        let full = Context {
            last: Some("step-2".into()),
            before: Some("step-1".into()),
            choices: vec!["step-3".into(), "rd-budget".into()],
            lang: Some(Lang::Ko),
            subject: Some("liang-wenfeng".into()),
            declined: true,
            suggested: true,
        };
        for context in [Context::default(), full] {
            let text = to_stored(&context);
            assert_eq!(from_stored(&text), Some(context), "{text}");
        }
        // Stored before `declined` and `suggested` were kept: read as
        // neither.
        let older = r#"{"last":"step-2","before":null,"choices":[],"lang":"ko","subject":null}"#;
        assert_eq!(
            from_stored(older),
            Some(Context {
                last: Some("step-2".into()),
                lang: Some(Lang::Ko),
                ..Context::default()
            })
        );
        for unreadable in ["", "{", "[]", r#"{"lang": "klingon"}"#] {
            assert_eq!(from_stored(unreadable), None, "{unreadable}");
        }
    }

    #[tokio::test]
    async fn during_an_outage_one_try_goes_to_the_database_every_few_seconds() {
        use crate::question_log::{DatabaseUrl, KeySource, key};
        let url = DatabaseUrl::parse("postgres://qabot@127.0.0.1:9/qabot", ".".as_ref()).unwrap();
        let source = KeySource::Env {
            var: key::KEY_VAR,
            key: "k".repeat(key::MIN_KEY_CHARS),
        };
        let store = DatabaseStore::new(
            Arc::new(Store::lazy(&url, source).unwrap()),
            Limits::default(),
        );
        let t0 = Instant::now();
        assert!(store.may_try(t0), "up: every call tries");
        assert!(store.may_try(t0));
        store.failed(&ContextError::Skipped, t0);
        assert!(store.may_try(t0), "a skipped call is no failure");
        let timed_out = ContextError::TimedOut {
            shown: url.to_string(),
            within: TIMEOUT,
        };
        store.failed(&timed_out, t0);
        let ms = Duration::from_millis;
        // (when, let through)
        for (at, tries) in [
            (ms(0), false),
            (RETRY_AFTER - ms(1), false),
            (RETRY_AFTER, true),
            (RETRY_AFTER, false),
            (RETRY_AFTER * 2 - ms(1), false),
            (RETRY_AFTER * 2, true),
        ] {
            assert_eq!(store.may_try(t0 + at), tries, "{at:?}");
        }
        // The try at 2 × RETRY_AFTER failed too: the next is later again.
        store.failed(&timed_out, t0 + RETRY_AFTER * 2 + ms(400));
        assert!(!store.may_try(t0 + RETRY_AFTER * 3));
        assert!(store.may_try(t0 + RETRY_AFTER * 3 + ms(400)));
    }

    #[test]
    fn times_are_whole_milliseconds_and_never_overflow() {
        assert_eq!(millis(Duration::from_micros(1_999)), 1);
        assert_eq!(millis(Duration::MAX), i64::MAX);
    }
}
