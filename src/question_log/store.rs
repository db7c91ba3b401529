//! The question log's database, SQLite or PostgreSQL through sqlx's `Any`
//! driver: the same SQL, the same code, for both. The SQL keeps to what
//! both understand: `BIGINT`, `TEXT` and `DOUBLE PRECISION` columns,
//! `$n` parameters, `ON CONFLICT` upserts; times are Unix seconds.
//!
//! The schema is versioned ([`MIGRATIONS`], table `qabot_schema`): each
//! start applies what is missing, in a transaction, so a database created
//! by an older qabot is brought up to date, and one from a newer qabot is
//! refused rather than misread. Every statement is idempotent, so instances
//! starting together against one PostgreSQL do not trip over each other.

use std::collections::HashMap;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::any::Any;
use sqlx::pool::{Pool, PoolOptions};
use sqlx::{AnyConnection, Connection, Executor, Row};
use tokio::sync::OnceCell;

use super::{Backend, DatabaseUrl, Event, LogError, QuestionId};
use crate::errors::one_line;

/// The schema, one list of statements per version, applied in order.
pub const MIGRATIONS: &[(i64, &[&str])] = &[(
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
)];

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

/// The PostgreSQL advisory lock migrations hold (an arbitrary constant:
/// "qabot" in ASCII).
const MIGRATION_LOCK: i64 = 0x71_61_62_6f_74;

/// How long a query may wait for a connection before it counts as the
/// database being down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// A question read back from the log, with what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedQuestion {
    pub id: QuestionId,
    pub at: i64,
    pub chat_kind: String,
    pub user_language: Option<String>,
    pub lang: String,
    pub question: String,
    pub decision: String,
    pub entry: Option<String>,
    pub score: Option<f64>,
    pub suggestions: Vec<String>,
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
    /// The salt from the environment, if given.
    salt_from_env: Option<String>,
    /// The salt in use, once the schema is in place.
    salt: OnceCell<String>,
}

impl Store {
    /// A store for `url`; the SQLite file (and its folder) is created on the
    /// first connection. A salt from the environment wins over the stored one.
    pub fn lazy(url: &DatabaseUrl, salt: Option<String>) -> Result<Store, LogError> {
        sqlx::any::install_default_drivers();
        if let Backend::Sqlite(path) = url.backend()
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            // A folder that cannot be made shows up as the database being down.
            let _ = std::fs::create_dir_all(dir);
        }
        let sqlite = matches!(url.backend(), Backend::Sqlite(_));
        let pool = PoolOptions::<Any>::new()
            .max_connections(if sqlite { 2 } else { 4 })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL: readers (`qabot report`) never block the bot's writes.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy(url.connect_url())
            .map_err(|e| LogError::BadUrl {
                shown: url.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Store {
            pool,
            url: url.clone(),
            salt_from_env: salt.filter(|s| !s.is_empty()),
            salt: OnceCell::new(),
        })
    }

    /// A store for reading a log that must already exist (`qabot report`).
    pub async fn open_existing(url: &DatabaseUrl, salt: Option<String>) -> Result<Store, LogError> {
        if let Backend::Sqlite(path) = url.backend()
            && !path.is_file()
        {
            return Err(LogError::NoSuchFile { path: path.clone() });
        }
        let store = Store::lazy(url, salt)?;
        store.prepare().await?;
        Ok(store)
    }

    fn error(&self, what: &'static str) -> impl Fn(sqlx::Error) -> LogError + '_ {
        move |e| LogError::Database {
            shown: self.url.to_string(),
            what,
            reason: one_line(&e),
        }
    }

    /// Creates or migrates the schema and settles the salt; once it has
    /// worked, later calls return at once.
    pub async fn prepare(&self) -> Result<(), LogError> {
        self.salt
            .get_or_try_init(|| async {
                self.migrate().await?;
                self.settle_salt().await
            })
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
        migrated
    }

    async fn migrate_on(&self, conn: &mut AnyConnection) -> Result<(), LogError> {
        let current = self.version_on(conn).await?;
        if current > latest_version() {
            return Err(LogError::SchemaTooNew {
                shown: self.url.to_string(),
                found: current,
                known: latest_version(),
            });
        }
        let error = self.error("cannot create or update the schema");
        for (version, statements) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            let mut tx = conn.begin().await.map_err(&error)?;
            for statement in *statements {
                tx.execute(*statement).await.map_err(&error)?;
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
        }
        Ok(())
    }

    async fn settle_salt(&self) -> Result<String, LogError> {
        if let Some(salt) = &self.salt_from_env {
            return Ok(salt.clone());
        }
        let error = self.error("cannot read or store the hash salt");
        let mut fresh = [0u8; 32];
        getrandom::getrandom(&mut fresh).map_err(|e| LogError::Database {
            shown: self.url.to_string(),
            what: "cannot make a hash salt",
            reason: e.to_string(),
        })?;
        // The first instance to get here decides; the others read its salt.
        sqlx::query(
            "INSERT INTO qabot_meta (key, value) VALUES ('salt', $1) ON CONFLICT (key) DO NOTHING",
        )
        .bind(hex(&fresh))
        .execute(&self.pool)
        .await
        .map_err(&error)?;
        let row = sqlx::query("SELECT value FROM qabot_meta WHERE key = 'salt'")
            .fetch_one(&self.pool)
            .await
            .map_err(&error)?;
        row.try_get::<String, _>("value").map_err(&error)
    }

    /// The salted hash of a user or chat id: the same person always gets
    /// the same hash in one database, and the id cannot be read back
    /// without the salt.
    fn hash(&self, kind: &str, id: i64) -> Option<String> {
        let salt = self.salt.get()?;
        let digest = Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update([0])
            .chain_update(kind.as_bytes())
            .chain_update([0])
            .chain_update(id.to_string().as_bytes())
            .finalize();
        Some(hex(&digest[..16]))
    }

    /// Writes `events` in one transaction (after [`Store::prepare`]); a
    /// question written twice, or a pick made twice, counts once, and a
    /// second vote by the same user replaces the first.
    pub async fn write(&self, events: &[Event]) -> Result<(), LogError> {
        let error = self.error("cannot write");
        let mut tx = self.pool.begin().await.map_err(&error)?;
        for event in events {
            let query = match event {
                Event::Asked(a) => sqlx::query(
                    "INSERT INTO questions (id, asked_at, chat_kind, user_language, lang, question, decision, entry, score, suggestions, user_hash, chat_hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(a.id.0)
                .bind(a.at)
                .bind(a.chat_kind)
                .bind(a.user_language.clone())
                .bind(a.lang)
                .bind(a.question.clone())
                .bind(a.decision)
                .bind(a.entry.clone())
                .bind(a.score.map(|s| (f64::from(s) * 10_000.0).round() / 10_000.0))
                .bind(a.suggestions.join(","))
                .bind(a.user.and_then(|u| self.hash("user", u as i64)))
                .bind(a.chat.and_then(|c| self.hash("chat", c)))
                // Not a prepared statement kept for reuse: sqlx's Any driver
                // binds a missing score (NULL) as a 4-byte float and a present
                // one as 8 bytes, and PostgreSQL refuses a statement prepared
                // for the one with the other's data.
                .persistent(false),
                Event::Picked {
                    question,
                    entry,
                    at,
                } => sqlx::query(
                    "INSERT INTO picks (question_id, entry, picked_at) VALUES ($1, $2, $3)
                     ON CONFLICT (question_id, entry) DO NOTHING",
                )
                .bind(question.0)
                .bind(entry.clone())
                .bind(*at),
                Event::Voted {
                    question,
                    voter,
                    vote,
                    at,
                } => sqlx::query(
                    "INSERT INTO votes (question_id, voter_hash, vote, voted_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (question_id, voter_hash) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                )
                .bind(question.0)
                .bind(self.hash("user", *voter as i64).unwrap_or_default())
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
            "SELECT id, asked_at, chat_kind, user_language, lang, question, decision, entry, score, suggestions, user_hash
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
            let question = LoggedQuestion {
                id: QuestionId(row.try_get("id").map_err(&error)?),
                at: row.try_get("asked_at").map_err(&error)?,
                chat_kind: row.try_get("chat_kind").map_err(&error)?,
                user_language: row.try_get("user_language").map_err(&error)?,
                lang: row.try_get("lang").map_err(&error)?,
                question: row.try_get("question").map_err(&error)?,
                decision: row.try_get("decision").map_err(&error)?,
                entry: row.try_get("entry").map_err(&error)?,
                score: row.try_get("score").map_err(&error)?,
                suggestions: suggestions
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
