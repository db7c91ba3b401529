//! The question log's database, SQLite or PostgreSQL through sqlx's `Any`
//! driver: the same SQL, the same code, for both. The SQL keeps to what
//! both understand: `BIGINT`, `TEXT` and `DOUBLE PRECISION` columns,
//! `$n` parameters, `ON CONFLICT` upserts; times are Unix seconds.
//!
//! The schema is versioned ([`MIGRATIONS`], table `qabot_schema`): each
//! start applies what is missing, in a transaction, so a database created
//! by an older qabot is brought up to date, and one from a newer qabot is
//! refused rather than misread. A version is applied under a lock (an
//! advisory lock on PostgreSQL, the write lock on SQLite) after checking
//! again that nobody applied it meanwhile, so instances starting together
//! against one database do not trip over each other.
//!
//! What the database holds reveals no one: ids are stored as keyed hashes
//! ([`super::key`]), and the key is not in it. A SQLite file is created
//! 0600 in a folder qabot creates 0700 (its `-wal` and `-shm` files take
//! the file's mode), and deleted rows are overwritten (`secure_delete`), so
//! a copy of the file does not hold what retention purged either.
//!
//! Votes and picks are checked where they are written, in the writer's
//! transaction, so no button data can get around it: a vote counts only on
//! a question in the log, a pick only by the person who asked, of an entry
//! among the question's suggestions; one of each per person and question.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use sqlx::any::{Any, AnyRow};
use sqlx::pool::{Pool, PoolOptions};
use sqlx::{AnyConnection, Connection, Executor, Row};
use tokio::sync::OnceCell;

use super::key::{Key, KeySource};
use super::{Backend, ChatKind, DatabaseUrl, Event, LogError, QuestionId, private_files};
use crate::errors::one_line;
use crate::matcher::{Decision, Lang};

/// The schema, one list of statements per version, applied in order.
/// Version 2 also has a step in Rust: the stored hashes are hashed again
/// under the key, and the salt version 1 kept is deleted. Version 4 has one
/// on PostgreSQL: its table is unlogged (see [`UNLOGGED_CONTEXTS`]).
pub const MIGRATIONS: &[(i64, &[&str])] = &[
    (
        1,
        &[
        "CREATE TABLE IF NOT EXISTS qabot_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS questions (
            id BIGINT PRIMARY KEY,
            asked_at BIGINT NOT NULL,
            chat_kind TEXT NOT NULL,
            user_language TEXT,
            lang TEXT NOT NULL,
            question TEXT NOT NULL,
            decision TEXT NOT NULL,
            entry TEXT,
            score DOUBLE PRECISION,
            suggestions TEXT NOT NULL,
            user_hash TEXT,
            chat_hash TEXT
        )",
        "CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at)",
        "CREATE TABLE IF NOT EXISTS picks (
            question_id BIGINT NOT NULL,
            entry TEXT NOT NULL,
            picked_at BIGINT NOT NULL,
            PRIMARY KEY (question_id, entry)
        )",
        "CREATE TABLE IF NOT EXISTS votes (
            question_id BIGINT NOT NULL,
            voter_hash TEXT NOT NULL,
            vote BIGINT NOT NULL,
            voted_at BIGINT NOT NULL,
            PRIMARY KEY (question_id, voter_hash)
        )",
        ],
    ),
    (
        2,
        &[
            // One pick per person and question, by the person who asked.
            "CREATE TABLE picks_v2 (
            question_id BIGINT NOT NULL,
            picker_hash TEXT NOT NULL,
            entry TEXT NOT NULL,
            picked_at BIGINT NOT NULL,
            PRIMARY KEY (question_id, picker_hash)
        )",
            // Version 1 did not record who picked: a pick is kept when the
            // asker could have made it (an entry among the question's
            // suggestions, or an inline result, which Telegram reports),
            // as the asker's, the latest one per question.
            "DELETE FROM picks WHERE NOT EXISTS (
            SELECT 1 FROM questions q WHERE q.id = picks.question_id AND q.user_hash IS NOT NULL
            AND (q.chat_kind = 'inline' OR (picks.entry <> ''
                AND REPLACE(',' || q.suggestions || ',', ',' || picks.entry || ',', '') <> ',' || q.suggestions || ',')))",
            "INSERT INTO picks_v2 (question_id, picker_hash, entry, picked_at)
            SELECT p.question_id, q.user_hash, p.entry, p.picked_at
            FROM picks p JOIN questions q ON q.id = p.question_id
            WHERE NOT EXISTS (SELECT 1 FROM picks later WHERE later.question_id = p.question_id
                AND (later.picked_at > p.picked_at OR (later.picked_at = p.picked_at AND later.entry > p.entry)))
            ON CONFLICT (question_id, picker_hash) DO NOTHING",
            "DROP TABLE picks",
            "ALTER TABLE picks_v2 RENAME TO picks",
            "DELETE FROM votes WHERE NOT EXISTS (SELECT 1 FROM questions q WHERE q.id = votes.question_id)",
        ],
    ),
    (
        3,
        &[
            // The entry a follow-up drew on as context; NULL for a question
            // answered as if asked first, and for every row before.
            "ALTER TABLE questions ADD COLUMN context TEXT",
        ],
    ),
    (
        4,
        &[
            // Conversation contexts shared by the instances on one
            // PostgreSQL (the conversation module's store): a keyed hash of
            // the conversation, its context as JSON (entry ids and a
            // language, no message), and when it was last used (Unix
            // milliseconds).
            "CREATE TABLE conversation_contexts (
            key_hash TEXT PRIMARY KEY,
            context TEXT NOT NULL,
            used_at_ms BIGINT NOT NULL
        )",
            "CREATE INDEX conversation_contexts_used_at ON conversation_contexts (used_at_ms)",
        ],
    ),
];

/// Version 4's step on PostgreSQL. Contexts live minutes and are worth
/// neither a flush to disk on every save (a few milliseconds each, most of
/// a save's time) nor copies in the write-ahead log and its archives; after
/// a crash of the database, or on a replica, the table is empty, which
/// costs the conversations under way their context.
const UNLOGGED_CONTEXTS: &str = "ALTER TABLE conversation_contexts SET UNLOGGED";

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

/// The PostgreSQL advisory lock migrations hold (an arbitrary constant:
/// "qabot" in ASCII).
const MIGRATION_LOCK: i64 = 0x71_61_62_6f_74;

/// Hashes per statement when version 2 re-hashes the stored ones.
const REKEY_CHUNK: usize = 200;

/// How long a query may wait for a connection before it counts as the
/// database being down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// A question read back from the log, with what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedQuestion {
    pub id: QuestionId,
    pub at: i64,
    pub chat_kind: ChatKind,
    pub user_language: Option<String>,
    pub lang: Lang,
    pub question: String,
    pub decision: Decision,
    pub entry: Option<String>,
    pub score: Option<f64>,
    pub suggestions: Vec<String>,
    /// The entry the answer drew on as context (a follow-up), if any.
    pub context: Option<String>,
    /// The "did you mean" entries the user pressed.
    pub picked: Vec<String>,
    pub votes_up: u32,
    pub votes_down: u32,
    pub user_hash: Option<String>,
}

/// A connection pool to the log, made lazily: nothing is sent until the
/// first write or read.
pub struct Store {
    pool: Pool<Any>,
    url: DatabaseUrl,
    key_source: KeySource,
    /// The key, once read (see [`Store::key`]), and whether reading it
    /// made the key file.
    key: OnceLock<(Key, bool)>,
    /// Set once the schema is in place.
    ready: OnceCell<()>,
}

impl Store {
    /// A store for `url`, hashing ids under the key `key` gives. The
    /// SQLite file is created here, 0600 (its folder, when qabot makes it,
    /// 0700); one that others may read is tightened, with one log line.
    pub fn lazy(url: &DatabaseUrl, key: KeySource) -> Result<Store, LogError> {
        sqlx::any::install_default_drivers();
        let sqlite = match url.backend() {
            Backend::Sqlite(path) => {
                // A file that cannot be made shows up as the database being down.
                let _ = path
                    .parent()
                    .map_or(Ok(()), private_files::create_dirs)
                    .and_then(|()| private_files::create_empty(path));
                keep_private(path);
                Some(path.clone())
            }
            Backend::Postgres => None,
        };
        let pool = PoolOptions::<Any>::new()
            .max_connections(if sqlite.is_some() { 2 } else { 4 })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _| {
                let sqlite = sqlite.clone();
                Box::pin(async move {
                    if let Some(path) = sqlite {
                        // WAL: readers (`qabot report`) never block the bot's writes.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        // Deleted rows (retention, the old salt) are zeroed, not
                        // left in free pages for a copy of the file to show.
                        conn.execute("PRAGMA secure_delete = ON").await?;
                        // Made again by SQLite if someone deleted it meanwhile.
                        keep_private(&path);
                    }
                    Ok(())
                })
            })
            .connect_lazy(url.connect_url())
            .map_err(|e| LogError::BadUrl {
                shown: url.to_string(),
                reason: url.blank(&e.to_string()),
            })?;
        Ok(Store {
            pool,
            url: url.clone(),
            key_source: key,
            key: OnceLock::new(),
            ready: OnceCell::new(),
        })
    }

    /// The key of the hashes, read (or a missing key file made) the first
    /// time.
    pub fn key(&self) -> Result<&Key, LogError> {
        if let Some((key, _)) = self.key.get() {
            return Ok(key);
        }
        let loaded = Key::load(&self.key_source)?;
        Ok(&self.key.get_or_init(|| loaded).0)
    }

    /// The database, as shown to people.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Where the key comes from.
    pub fn key_source(&self) -> &KeySource {
        &self.key_source
    }

    /// Whether reading the key made the key file (a new key).
    pub fn made_key_file(&self) -> bool {
        self.key.get().is_some_and(|(_, made)| *made)
    }

    /// A store for reading a log that must already exist (`qabot report`).
    /// The key is read only if the log needs migrating.
    pub async fn open_existing(url: &DatabaseUrl, key: KeySource) -> Result<Store, LogError> {
        if let Backend::Sqlite(path) = url.backend()
            && !path.is_file()
        {
            return Err(LogError::NoSuchFile { path: path.clone() });
        }
        let store = Store::lazy(url, key)?;
        store.prepare().await?;
        Ok(store)
    }

    /// The pool, for the conversation contexts kept in the same database
    /// (the conversation module's `DatabaseStore`).
    pub(crate) fn pool(&self) -> &Pool<Any> {
        &self.pool
    }

    /// Turns a driver's error into one naming the database (its password
    /// blanked) and `what` failed.
    pub(crate) fn error(&self, what: &'static str) -> impl Fn(sqlx::Error) -> LogError + '_ {
        // The driver's text could quote the URL, password and all.
        move |e| LogError::Database {
            shown: self.url.to_string(),
            what,
            reason: self.url.blank(&one_line(&e)),
        }
    }

    /// `column` of question `id`'s `row`, one of a fixed set of names: a
    /// name this qabot does not know is an error naming it, not a row
    /// silently counted as nothing.
    fn known<T: FromStr>(
        &self,
        row: &AnyRow,
        id: i64,
        column: &'static str,
    ) -> Result<T, LogError> {
        let value: String = row.try_get(column).map_err(self.error("cannot read"))?;
        match value.parse() {
            Ok(known) => Ok(known),
            Err(_) => Err(LogError::UnknownValue {
                shown: self.url.to_string(),
                id,
                column,
                value,
            }),
        }
    }

    /// Creates or migrates the schema; once it has worked, later calls
    /// return at once.
    pub async fn prepare(&self) -> Result<(), LogError> {
        self.ready
            .get_or_try_init(|| self.migrate())
            .await
            .map(|_| ())
    }

    /// The schema version the database is at (0: empty).
    pub async fn schema_version(&self) -> Result<i64, LogError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(self.error("cannot connect"))?;
        self.version_on(&mut conn).await
    }

    async fn version_on(&self, conn: &mut AnyConnection) -> Result<i64, LogError> {
        let error = self.error("cannot read the schema version");
        conn.execute("CREATE TABLE IF NOT EXISTS qabot_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            .await
            .map_err(&error)?;
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM qabot_schema")
            .fetch_one(&mut *conn)
            .await
            .map_err(&error)?;
        row.try_get::<i64, _>("v").map_err(&error)
    }

    async fn migrate(&self) -> Result<(), LogError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(self.error("cannot connect"))?;
        // Instances starting together against one PostgreSQL take turns:
        // two concurrent CREATE TABLE IF NOT EXISTS can still collide there.
        // (SQLite serialises writers by itself.) The lock ends with the
        // session if this one dies half-way.
        let postgres = matches!(self.url.backend(), Backend::Postgres);
        if postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await
                .map_err(self.error("cannot take the migration lock"))?;
        }
        let migrated = self.migrate_on(&mut conn).await;
        if matches!(migrated, Ok(true)) && !postgres {
            // The WAL file keeps old page images (the salt, the old hashes)
            // until it is overwritten: empty it now. Best effort: a reader
            // holding it open only delays this to a later checkpoint.
            let _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await;
        }
        if postgres {
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await;
            if unlocked.is_err() {
                // Closing the session releases it.
                let _ = conn.detach().close().await;
            }
        }
        migrated.map(|_| ())
    }

    /// Applies the versions the database lacks; whether it applied any.
    async fn migrate_on(&self, conn: &mut AnyConnection) -> Result<bool, LogError> {
        let current = self.version_on(conn).await?;
        if current > latest_version() {
            return Err(LogError::SchemaTooNew {
                shown: self.url.to_string(),
                found: current,
                known: latest_version(),
            });
        }
        let error = self.error("cannot create or update the schema");
        let mut applied = false;
        for (version, statements) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            let mut tx = conn.begin().await.map_err(&error)?;
            // A write first takes SQLite's write lock; then the version is
            // read again, as another process may have applied it meanwhile.
            tx.execute("UPDATE qabot_schema SET applied_at = applied_at WHERE version < 0")
                .await
                .map_err(&error)?;
            if self.version_on(&mut tx).await? >= *version {
                continue;
            }
            for statement in *statements {
                tx.execute(*statement).await.map_err(&error)?;
            }
            if *version == 2 {
                self.rekey(&mut tx).await?;
            }
            if *version == 4 && matches!(self.url.backend(), Backend::Postgres) {
                tx.execute(UNLOGGED_CONTEXTS).await.map_err(&error)?;
            }
            sqlx::query(
                "INSERT INTO qabot_schema (version, applied_at) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
            )
            .bind(*version)
            .bind(super::now())
            .execute(&mut *tx)
            .await
            .map_err(&error)?;
            tx.commit().await.map_err(&error)?;
            tracing::info!(
                database = %self.url,
                version,
                "question log: schema version {version} in place"
            );
            applied = true;
        }
        Ok(applied)
    }

    /// Version 2's step in Rust: deletes the salt version 1 kept in the
    /// database, and hashes every stored hash again under the key
    /// ([`Key::rehash_legacy`]). The old hashes cannot be turned into the
    /// new ones (that would take the ids), so a person who asked before
    /// and after the migration counts as two; before it, the same person's
    /// rows still share one hash.
    async fn rekey(&self, conn: &mut AnyConnection) -> Result<(), LogError> {
        let error = self.error("cannot move the question log to keyed hashes");
        let salts = sqlx::query("DELETE FROM qabot_meta WHERE key = 'salt'")
            .execute(&mut *conn)
            .await
            .map_err(&error)?
            .rows_affected();
        let rows = sqlx::query(
            "SELECT user_hash AS h FROM questions WHERE user_hash IS NOT NULL
             UNION SELECT chat_hash FROM questions WHERE chat_hash IS NOT NULL
             UNION SELECT voter_hash FROM votes
             UNION SELECT picker_hash FROM picks",
        )
        .fetch_all(&mut *conn)
        .await
        .map_err(&error)?;
        let old: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>("h"))
            .collect::<Result<_, _>>()
            .map_err(&error)?;
        if salts == 0 && old.is_empty() {
            // A new log: nothing to move.
            return Ok(());
        }
        let key = self.key()?;
        conn.execute("CREATE TABLE qabot_rekey (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
            .await
            .map_err(&error)?;
        for chunk in old.chunks(REKEY_CHUNK) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
                .collect();
            // Only placeholders are formatted into the statement.
            let statement = format!(
                "INSERT INTO qabot_rekey (old, new) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(statement));
            for hash in chunk {
                query = query.bind(hash.clone()).bind(key.rehash_legacy(hash));
            }
            query.execute(&mut *conn).await.map_err(&error)?;
        }
        for (table, column) in [
            ("questions", "user_hash"),
            ("questions", "chat_hash"),
            ("votes", "voter_hash"),
            ("picks", "picker_hash"),
        ] {
            let statement = format!(
                "UPDATE {table} SET {column} = (SELECT r.new FROM qabot_rekey r WHERE r.old = {table}.{column}) WHERE {column} IS NOT NULL"
            );
            conn.execute(sqlx::AssertSqlSafe(statement))
                .await
                .map_err(&error)?;
        }
        conn.execute("DROP TABLE qabot_rekey")
            .await
            .map_err(&error)?;
        tracing::info!(
            database = %self.url,
            hashes = old.len(),
            salt_deleted = salts > 0,
            "question log: ids are now hashed under {}, which is not in the database; the {} hashes stored before were hashed again under it, and people counted before and after this count twice",
            self.key_source,
            old.len()
        );
        Ok(())
    }

    /// Writes `events` in one transaction, in order (after
    /// [`Store::prepare`]); a question written twice counts once, a second
    /// vote or pick by the same person on a question replaces the first,
    /// and a vote or pick the question does not allow is left out (see the
    /// module's documentation).
    pub async fn write(&self, events: &[Event]) -> Result<(), LogError> {
        let error = self.error("cannot write");
        let key = self.key()?;
        let mut tx = self.pool.begin().await.map_err(&error)?;
        for event in events {
            let query = match event {
                Event::Asked(a) => sqlx::query(
                    "INSERT INTO questions (id, asked_at, chat_kind, user_language, lang, question, decision, entry, score, suggestions, user_hash, chat_hash, context)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(a.id.0)
                .bind(a.at)
                .bind(a.chat_kind.as_str())
                .bind(a.user_language.clone())
                .bind(a.lang.code())
                .bind(a.question.clone())
                .bind(a.decision.as_str())
                .bind(a.entry.clone())
                .bind(a.score.map(|s| (f64::from(s) * 10_000.0).round() / 10_000.0))
                .bind(a.suggestions.join(","))
                .bind(a.user.map(|u| key.hash("user", u as i64)))
                .bind(a.chat.map(|c| key.hash("chat", c)))
                .bind(a.context.clone())
                // Not a prepared statement kept for reuse: sqlx's Any driver
                // binds a missing score (NULL) as a 4-byte float and a present
                // one as 8 bytes, and PostgreSQL refuses a statement prepared
                // for the one with the other's data.
                .persistent(false),
                Event::Picked {
                    question,
                    picker,
                    entry,
                    at,
                } => sqlx::query(
                    "INSERT INTO picks (question_id, picker_hash, entry, picked_at)
                     SELECT $1, $2, $3, $4 WHERE EXISTS (
                        SELECT 1 FROM questions q WHERE q.id = $1 AND q.user_hash = $2 AND $3 <> ''
                        AND REPLACE(',' || q.suggestions || ',', ',' || $3 || ',', '') <> ',' || q.suggestions || ',')
                     ON CONFLICT (question_id, picker_hash) DO UPDATE SET entry = excluded.entry, picked_at = excluded.picked_at",
                )
                .bind(question.0)
                .bind(key.hash("user", *picker as i64))
                .bind(entry.clone())
                .bind(*at),
                Event::Voted {
                    question,
                    voter,
                    vote,
                    at,
                } => sqlx::query(
                    "INSERT INTO votes (question_id, voter_hash, vote, voted_at)
                     SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM questions q WHERE q.id = $1)
                     ON CONFLICT (question_id, voter_hash) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                )
                .bind(question.0)
                .bind(key.hash("user", *voter as i64))
                .bind(vote.value())
                .bind(*at),
                Event::Flush(_) => continue,
            };
            query.execute(&mut *tx).await.map_err(&error)?;
        }
        tx.commit().await.map_err(&error)
    }

    /// Deletes questions, picks and votes from before `before` (Unix
    /// seconds); how many rows went.
    pub async fn purge(&self, before: i64) -> Result<u64, LogError> {
        self.prepare().await?;
        let error = self.error("cannot delete old rows");
        let mut deleted = 0;
        for statement in [
            "DELETE FROM picks WHERE question_id IN (SELECT id FROM questions WHERE asked_at < $1) OR picked_at < $1",
            "DELETE FROM votes WHERE question_id IN (SELECT id FROM questions WHERE asked_at < $1) OR voted_at < $1",
            "DELETE FROM questions WHERE asked_at < $1",
        ] {
            deleted += sqlx::query(statement)
                .bind(before)
                .execute(&self.pool)
                .await
                .map_err(&error)?
                .rows_affected();
        }
        Ok(deleted)
    }

    /// The questions asked at or after `since` (Unix seconds), oldest
    /// first, with the picks and votes on them.
    pub async fn questions_since(&self, since: i64) -> Result<Vec<LoggedQuestion>, LogError> {
        self.prepare().await?;
        let error = self.error("cannot read");
        let rows = sqlx::query(
            "SELECT id, asked_at, chat_kind, user_language, lang, question, decision, entry, score, suggestions, user_hash, context
             FROM questions WHERE asked_at >= $1 ORDER BY asked_at, id",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .map_err(&error)?;
        let mut questions = Vec::with_capacity(rows.len());
        let mut index = HashMap::with_capacity(rows.len());
        for row in rows {
            let suggestions: String = row.try_get("suggestions").map_err(&error)?;
            let id: i64 = row.try_get("id").map_err(&error)?;
            let question = LoggedQuestion {
                id: QuestionId(id),
                at: row.try_get("asked_at").map_err(&error)?,
                chat_kind: self.known(&row, id, "chat_kind")?,
                user_language: row.try_get("user_language").map_err(&error)?,
                lang: self.known(&row, id, "lang")?,
                question: row.try_get("question").map_err(&error)?,
                decision: self.known(&row, id, "decision")?,
                entry: row.try_get("entry").map_err(&error)?,
                score: row.try_get("score").map_err(&error)?,
                suggestions: suggestions
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                context: row.try_get("context").map_err(&error)?,
                picked: Vec::new(),
                votes_up: 0,
                votes_down: 0,
                user_hash: row.try_get("user_hash").map_err(&error)?,
            };
            index.insert(question.id, questions.len());
            questions.push(question);
        }
        let picks = sqlx::query(
            "SELECT p.question_id AS q, p.entry AS entry FROM picks p JOIN questions q ON q.id = p.question_id
             WHERE q.asked_at >= $1 ORDER BY p.picked_at, p.entry",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .map_err(&error)?;
        for row in picks {
            let id = QuestionId(row.try_get("q").map_err(&error)?);
            if let Some(&i) = index.get(&id) {
                questions[i]
                    .picked
                    .push(row.try_get("entry").map_err(&error)?);
            }
        }
        let votes = sqlx::query(
            "SELECT v.question_id AS q, v.vote AS vote FROM votes v JOIN questions q ON q.id = v.question_id
             WHERE q.asked_at >= $1",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .map_err(&error)?;
        for row in votes {
            let id = QuestionId(row.try_get("q").map_err(&error)?);
            let vote: i64 = row.try_get("vote").map_err(&error)?;
            if let Some(&i) = index.get(&id) {
                if vote > 0 {
                    questions[i].votes_up += 1;
                } else {
                    questions[i].votes_down += 1;
                }
            }
        }
        Ok(questions)
    }

    /// The SQLite journal mode ("wal"), for tests; `None` on PostgreSQL.
    pub async fn journal_mode(&self) -> Result<Option<String>, LogError> {
        if !matches!(self.url.backend(), Backend::Sqlite(_)) {
            return Ok(None);
        }
        let error = self.error("cannot read the journal mode");
        let row = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await
            .map_err(&error)?;
        row.try_get::<String, _>(0).map(Some).map_err(&error)
    }

    /// Closes the pool's connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Tightens the SQLite file and its `-wal` and `-shm` files to 0600 if
/// others may read them, saying so in one line.
fn keep_private(path: &Path) {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let tightened = private_files::tighten(&[path.to_path_buf(), with("-wal"), with("-shm")]);
    if !tightened.is_empty() {
        let files: Vec<String> = tightened
            .iter()
            .map(|(p, mode)| format!("{} (was {mode:04o})", p.display()))
            .collect();
        tracing::warn!(
            files = %files.join(", "),
            "question log: others could read the database; set to mode 0600: {}",
            files.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_versions_ascend_so_each_applies_after_the_ones_before() {
        // A database records only the highest version applied: a version
        // listed after a higher one would never be applied to it.
        let versions: Vec<i64> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
        assert_eq!(latest_version(), *versions.last().unwrap());
    }
}
