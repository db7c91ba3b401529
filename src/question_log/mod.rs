//! The question log: every question the bot handles, the "did you mean"
//! button a user picked, and the 👍 / 👎 feedback, written to SQLite (the
//! default, a file created on first start) or PostgreSQL (several
//! instances sharing one database), through one code path ([`store`]).
//!
//! Answering never waits for it. Handlers [`QuestionLog::record`] an event
//! into a bounded queue, which never blocks; one writer task drains it in
//! batches. When the database is down the queue holds what comes meanwhile
//! (up to `[question_log] buffer` events, then newer ones are dropped and
//! counted), one warning is logged for the outage and one line when it
//! ends, and the bot goes on answering. The queue is bounded in bytes
//! (`[question_log] buffer_bytes`), not in events: a question can be a few
//! bytes or several kilobytes.
//!
//! No user or chat id is stored in the clear: the writer stores a keyed
//! hash ([`key`]) whose key is not in the database, enough to count
//! distinct people. What the operator learns from the log is the
//! `report` module's: it reads this one, not the other way round.

mod chat_kind;
mod config;
pub mod key;
mod private_files;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, oneshot};

use crate::matcher::{Decision, Lang};

pub use chat_kind::ChatKind;
pub use config::QuestionLogConfig;
pub use key::{Key, KeyError, KeySource};
pub use store::{LoggedQuestion, Store};

/// The environment variable with the database URL; it wins over
/// `[question_log] database_url`, and is where a URL with a password goes.
pub const DATABASE_URL_VAR: &str = "QABOT_DATABASE_URL";

/// The query parameters of a PostgreSQL URL that carry a password.
const PASSWORD_PARAMS: [&str; 2] = ["password", "sslpassword"];
/// What a password is shown as.
const BLANKED: &str = "***";

/// At most this many events go to the database in one transaction.
const MAX_BATCH: usize = 256;
/// The first wait before writing again after a failure; it doubles up to
/// [`RETRY_MAX`], so a database that comes back is noticed within seconds.
const RETRY_FIRST: Duration = Duration::from_millis(250);
const RETRY_MAX: Duration = Duration::from_secs(5);
/// Rows past the retention are deleted at start, then this often while
/// questions are written.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Why the question log cannot be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error(
        "the question log's database URL ({shown}) is not usable: {reason}\n    hint: use sqlite:PATH or postgres://USER@HOST/DB, in [question_log] database_url or {DATABASE_URL_VAR}"
    )]
    BadUrl { shown: String, reason: String },
    #[error(
        "there is no question log at {}\n    hint: `qabot run` creates it on first start; check [question_log] database_url or {DATABASE_URL_VAR}",
        path.display()
    )]
    NoSuchFile { path: PathBuf },
    #[error("the question log at {shown}: {what}: {reason}")]
    Database {
        shown: String,
        what: &'static str,
        reason: String,
    },
    #[error(
        "the question log at {shown} has schema version {found}, newer than this qabot knows ({known})\n    hint: run the newer qabot, or point this one at another database"
    )]
    SchemaTooNew {
        shown: String,
        found: i64,
        known: i64,
    },
    #[error(
        "the question log at {shown}: question {id} has {column} {value:?}, which this qabot does not know\n    hint: a newer qabot wrote it: read the log with that one"
    )]
    UnknownValue {
        shown: String,
        id: i64,
        column: &'static str,
        value: String,
    },
    #[error("the question log is off ([question_log] enabled = false)")]
    Disabled,
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl crate::errors::UserError for LogError {
    /// The user can fix it by changing their settings.
    fn is_bad_input(&self) -> bool {
        matches!(
            self,
            LogError::BadUrl { .. }
                | LogError::NoSuchFile { .. }
                | LogError::Disabled
                | LogError::Key(_)
        )
    }
}

/// Where the log lives: parsed from a URL, with the password kept out of
/// everything that is shown or logged.
#[derive(Clone)]
pub struct DatabaseUrl {
    /// What sqlx connects to (with the password, if any).
    connect: String,
    /// The URL as shown to people: the password blanked.
    shown: String,
    /// The password, as written in the URL and decoded (`user:PASSWORD@`,
    /// `?password=`, `?sslpassword=`): to blank wherever it appears.
    secrets: Vec<String>,
    backend: Backend,
}

/// The kinds of database the log can live in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A file, created (with its folder) on first start.
    Sqlite(PathBuf),
    Postgres,
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl DatabaseUrl {
    /// Parses `sqlite:PATH` (also `sqlite://PATH`; a relative path is taken
    /// from `base`, the config file's folder) or `postgres://…` /
    /// `postgresql://…`.
    pub fn parse(raw: &str, base: &Path) -> Result<DatabaseUrl, LogError> {
        let raw = raw.trim();
        let (shown, secrets, ambiguous) = blank_secrets(raw);
        let bad = |reason: &str| LogError::BadUrl {
            shown: shown.clone(),
            reason: blank(reason, &secrets),
        };
        if let Some(rest) = raw.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            if rest.contains('?') {
                return Err(bad("give a plain file path, without ?options"));
            }
            if rest.is_empty() || rest == ":memory:" {
                return Err(bad("name a file: the log must outlive the process"));
            }
            let path = base.join(rest);
            let connect = format!("sqlite://{}?mode=rwc", escape_path(&path));
            return Ok(DatabaseUrl {
                shown: format!("sqlite:{}", path.display()),
                connect,
                secrets: Vec::new(),
                backend: Backend::Sqlite(path),
            });
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let url = reqwest::Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
            if ambiguous {
                // A password with a raw `/`, `?` or `#` is read as part of
                // the host, path or fragment, and could not be blanked.
                return Err(bad(
                    "an @ or # after the host: percent-encode @ / ? # in the user name and password (%40 %2F %3F %23)",
                ));
            }
            if url.host_str().is_none_or(str::is_empty) {
                return Err(bad("name the database server's host"));
            }
            return Ok(DatabaseUrl {
                connect: raw.to_owned(),
                shown,
                secrets,
                backend: Backend::Postgres,
            });
        }
        Err(bad("it must start with sqlite: or postgres://"))
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Whether the URL holds a password, in any of the places one can be.
    pub fn has_password(&self) -> bool {
        !self.secrets.is_empty()
    }

    /// The password in every spelling it may take in a message: secrets
    /// for the log writer to blank.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.secrets.iter().map(String::as_str)
    }

    /// `text` (an error from the database driver, say) with the password
    /// blanked wherever it appears.
    pub fn blank(&self, text: &str) -> String {
        blank(text, &self.secrets)
    }

    fn connect_url(&self) -> &str {
        &self.connect
    }
}

/// `raw` with its password blanked, wherever it is (`user:PASSWORD@`,
/// `?password=`, `?sslpassword=`), the password's spellings, and whether
/// the URL is ambiguous: an `@` after the host, or a `#`, is most likely a
/// password with a character that needed encoding, so all but the scheme
/// is hidden. Read from the text itself, so even a URL that does not parse
/// shows no password.
fn blank_secrets(raw: &str) -> (String, Vec<String>, bool) {
    let mut secrets = Vec::new();
    let mut found = |value: &str, decoded: String| {
        for secret in [value.to_owned(), decoded] {
            if !secret.is_empty() && !secrets.contains(&secret) {
                secrets.push(secret);
            }
        }
    };
    let Some((scheme, rest)) = raw.split_once("://") else {
        return (raw.to_owned(), secrets, false);
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let ambiguous = after.contains('@') || rest.contains('#');
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, password)) if !password.is_empty() => {
                found(password, percent_decode(password, false));
                format!("{user}:{BLANKED}@{host}")
            }
            _ => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let (before_query, query_and_fragment) = after.split_at(after.find('?').unwrap_or(after.len()));
    let mut shown = format!("{scheme}://{authority}{before_query}");
    if let Some(query_and_fragment) = query_and_fragment.strip_prefix('?') {
        let (query, fragment) = match query_and_fragment.split_once('#') {
            Some((q, f)) => (q, Some(f)),
            None => (query_and_fragment, None),
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, value))
                    if PASSWORD_PARAMS.contains(&percent_decode(name, true).as_str()) =>
                {
                    found(value, percent_decode(value, true));
                    format!("{name}={BLANKED}")
                }
                _ => pair.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&pairs.join("&"));
        if let Some(fragment) = fragment {
            shown.push('#');
            shown.push_str(fragment);
        }
    }
    if ambiguous {
        shown = format!("{scheme}://…");
    }
    (shown, secrets, ambiguous)
}

/// `text` with every one of `secrets` replaced, longest first (so that a
/// secret inside another leaves nothing of it).
fn blank(text: &str, secrets: &[String]) -> String {
    let mut secrets: Vec<&String> = secrets.iter().collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.into_iter().fold(text.to_owned(), |text, secret| {
        text.replace(secret.as_str(), BLANKED)
    })
}

/// Percent-decoding as URL parsers do it (with `+` as a space in a query).
fn percent_decode(text: &str, query: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if query => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A path as sqlx reads it from a URL: percent-decoded, so the characters
/// that would end or escape it are encoded.
fn escape_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// The id of a logged question. The bot makes it (it is random, 63 bits),
/// not the database: the buttons under an answer carry it, and they are
/// sent before the question is written, or while the database is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuestionId(pub i64);

impl QuestionId {
    pub fn random() -> QuestionId {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            // Without the OS's randomness, time and a counter keep ids apart.
            static COUNTER: AtomicU64 = AtomicU64::new(0);
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            bytes = (nanos ^ COUNTER.fetch_add(1, Ordering::Relaxed).rotate_left(48)).to_le_bytes();
        }
        // Positive and non-zero, so it fits a signed BIGINT and reads well.
        QuestionId((u64::from_le_bytes(bytes) >> 1).max(1) as i64)
    }

    /// Base 36, lower case: at most 13 characters of callback data.
    pub fn encode(self) -> String {
        let mut n = self.0 as u64;
        let mut digits = Vec::new();
        loop {
            digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
            n /= 36;
            if n == 0 {
                break;
            }
        }
        digits.iter().rev().collect()
    }

    /// The inverse of [`QuestionId::encode`], refusing every other spelling.
    pub fn decode(text: &str) -> Option<QuestionId> {
        if text.is_empty() || text.len() > 13 || text.starts_with('0') {
            return None;
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        {
            return None;
        }
        let n = u64::from_str_radix(text, 36).ok()?;
        i64::try_from(n).ok().filter(|&n| n > 0).map(QuestionId)
    }
}

/// A question as the bot handled it.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub id: QuestionId,
    /// Unix time, seconds.
    pub at: i64,
    pub chat_kind: ChatKind,
    /// The user's language as Telegram reports it ("en", "ko", …).
    pub user_language: Option<String>,
    /// The language the matcher read the question in ("en" or "ko").
    pub lang: Lang,
    pub question: String,
    pub decision: Decision,
    /// The best entry, for an answer or a suggestion.
    pub entry: Option<String>,
    pub score: Option<f32>,
    /// The entries offered to choose from, best first: the "did you mean"
    /// buttons, or for an inline question the results shown. Only these
    /// can be picked.
    pub suggestions: Vec<String>,
    /// Hashed by the writer, never stored as they are.
    pub user: Option<u64>,
    pub chat: Option<i64>,
    /// The entry a follow-up ("and the next one?") drew on as context;
    /// `None` for a question answered as if asked first.
    pub context: Option<String>,
}

/// A vote on an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    Up,
    Down,
}

impl Vote {
    fn value(self) -> i64 {
        match self {
            Vote::Up => 1,
            Vote::Down => -1,
        }
    }
}

/// What the log records.
#[derive(Debug)]
pub enum Event {
    Asked(Asked),
    /// A "did you mean" button pressed (or an inline result sent): the
    /// strongest signal there is of what a question should have found.
    /// Counted only when `picker` asked the question and `entry` was among
    /// its suggestions; a second pick by them replaces the first.
    Picked {
        question: QuestionId,
        picker: u64,
        entry: String,
        at: i64,
    },
    /// 👍 or 👎 on a question in the log; a second press by the same user
    /// replaces the first.
    Voted {
        question: QuestionId,
        voter: u64,
        vote: Vote,
        at: i64,
    },
    /// Answered once everything recorded before it is written.
    Flush(oneshot::Sender<()>),
}

impl Event {
    /// The bytes the event holds in memory, as the queue counts them: its
    /// own size and its texts'. A flush holds nothing to write: 0.
    pub fn size(&self) -> usize {
        if matches!(self, Event::Flush(_)) {
            return 0;
        }
        let text = |s: &String| std::mem::size_of::<String>() + s.len();
        std::mem::size_of::<Event>()
            + match self {
                Event::Asked(a) => {
                    a.question.len()
                        + a.user_language.as_ref().map_or(0, String::len)
                        + a.entry.as_ref().map_or(0, String::len)
                        + a.suggestions.iter().map(text).sum::<usize>()
                }
                Event::Picked { entry, .. } => entry.len(),
                Event::Voted { .. } | Event::Flush(_) => 0,
            }
    }
}

/// The current Unix time in seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How the log is opened: from `[question_log]` and the environment. Not
/// `Debug`: the key may come from the environment, and no log line may
/// show it.
#[derive(Clone)]
pub struct Settings {
    pub url: DatabaseUrl,
    /// Rows older than this many days are deleted; 0 keeps them all.
    pub retention_days: u32,
    /// Bytes of events ([`Event::size`]) held in memory while the database
    /// is slow or down.
    pub buffer_bytes: usize,
    /// Where the key of the user and chat hashes comes from.
    pub key: KeySource,
}

impl Settings {
    /// The settings `[question_log]` and the environment give: `None` when
    /// the log is off. [`DATABASE_URL_VAR`] wins over the config's URL (a
    /// relative SQLite path in it is taken from the working directory), and
    /// [`key::KEY_VAR`] over the key file.
    pub fn from_config(config: &QuestionLogConfig) -> Result<Option<Settings>, LogError> {
        if !config.enabled {
            return Ok(None);
        }
        let env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let url = match env(DATABASE_URL_VAR) {
            Some(url) => DatabaseUrl::parse(&url, Path::new("."))?,
            None => DatabaseUrl::parse(&config.database_url, &config.base_dir)?,
        };
        Ok(Some(Settings {
            url,
            retention_days: config.retention_days,
            buffer_bytes: config.buffer_bytes,
            key: KeySource::from_env_or(config.base_dir.join(&config.key_file))?,
        }))
    }

    /// The secrets these settings hold (the database password, a key from
    /// the environment): for the log writer to blank.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.url.secrets().chain(self.key.secret())
    }
}

/// The handle the bot records through: cheap to clone; a disabled log
/// records nothing.
#[derive(Clone, Default)]
pub struct QuestionLog {
    shared: Option<Arc<Shared>>,
}

struct Shared {
    /// Unbounded as a channel: [`QuestionLog::record`] bounds it in bytes.
    queue: mpsc::UnboundedSender<Event>,
    store: Arc<Store>,
    /// Bytes of the events queued or being written, shared with the writer,
    /// which gives them back once written.
    held: Arc<AtomicUsize>,
    /// The most `held` may reach.
    limit: usize,
    /// Events dropped because the queue was full, in all.
    dropped: AtomicU64,
    /// Whether the queue is full now (one warning per time it fills).
    full: AtomicBool,
}

impl QuestionLog {
    /// A log that records nothing (`[question_log] enabled = false`).
    pub fn disabled() -> QuestionLog {
        QuestionLog::default()
    }

    /// Opens the log and starts its writer. The key is read (a missing key
    /// file made) here, so a bad one stops the start; nothing is sent to
    /// the database: the writer connects, creates or migrates the schema,
    /// and retries while the database is down. Must be called inside a
    /// Tokio runtime.
    pub fn open(settings: Settings) -> Result<QuestionLog, LogError> {
        let store = Arc::new(Store::lazy(&settings.url, settings.key)?);
        store.key()?;
        let (queue, events) = mpsc::unbounded_channel();
        let held = Arc::new(AtomicUsize::new(0));
        let shared = Arc::new(Shared {
            queue,
            store: store.clone(),
            held: held.clone(),
            limit: settings.buffer_bytes,
            dropped: AtomicU64::new(0),
            full: AtomicBool::new(false),
        });
        tokio::spawn(write_events(
            store,
            events,
            held,
            settings.retention_days,
            Arc::downgrade(&shared),
        ));
        Ok(QuestionLog {
            shared: Some(shared),
        })
    }

    pub fn is_enabled(&self) -> bool {
        self.shared.is_some()
    }

    /// The log's database (its pool, key and schema), when the log is on:
    /// the conversation contexts share it.
    pub fn store(&self) -> Option<&Arc<Store>> {
        self.shared.as_ref().map(|s| &s.store)
    }

    /// Says where questions are recorded and under which key, and that a
    /// new key was made (which someone should keep): once the bot has
    /// started, as a bot that cannot start says only why.
    pub fn log_start(&self, retention_days: u32) {
        let Some(shared) = &self.shared else {
            tracing::info!("the question log is off ([question_log] enabled = false)");
            return;
        };
        let (database, key) = (shared.store.url(), shared.store.key_source());
        tracing::info!(
            database = %database,
            retention_days,
            key = %key,
            "recording questions in {database}, ids hashed under {key}"
        );
        if shared.store.made_key_file() {
            tracing::info!(
                key = %key,
                "question log: made a new key, {key}; keep it, backed up apart from the database: with another key, new hashes no longer match the old ones"
            );
        }
    }

    /// Queues `event` for the writer; never waits. When the queue would
    /// hold more than `[question_log] buffer_bytes` with it (the database
    /// has been down a while) the event is dropped, counted, and a warning
    /// is logged once until the queue has room again.
    pub fn record(&self, event: Event) {
        let Some(shared) = &self.shared else {
            return;
        };
        let size = event.size();
        let reserved = shared
            .held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(size)
                    .filter(|&after| after <= shared.limit)
            });
        if reserved.is_err() {
            let dropped = shared.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if !shared.full.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    dropped,
                    "question log: the queue is full ([question_log] buffer_bytes), so questions go unrecorded until the database catches up; answering goes on"
                );
            }
            return;
        }
        if shared.queue.send(event).is_err() {
            // The writer is gone (the runtime is stopping).
            shared.held.fetch_sub(size, Ordering::AcqRel);
            return;
        }
        if shared.full.swap(false, Ordering::Relaxed) {
            tracing::info!("question log: the queue has room again");
        }
    }

    /// Bytes of events queued and not yet written.
    pub fn queued_bytes(&self) -> usize {
        self.shared
            .as_ref()
            .map_or(0, |s| s.held.load(Ordering::Acquire))
    }

    /// Events dropped because the queue was full, since start.
    pub fn dropped(&self) -> u64 {
        self.shared
            .as_ref()
            .map_or(0, |s| s.dropped.load(Ordering::Relaxed))
    }

    /// Waits until everything recorded so far is written, at most `within`;
    /// whether it was.
    pub async fn flush(&self, within: Duration) -> bool {
        let Some(shared) = &self.shared else {
            return true;
        };
        let (done, written) = oneshot::channel();
        if shared.queue.send(Event::Flush(done)).is_err() {
            return false;
        }
        matches!(tokio::time::timeout(within, written).await, Ok(Ok(())))
    }

    /// The questions asked since `since` (Unix seconds), with their picks
    /// and votes, for `/stats`.
    pub async fn questions_since(&self, since: i64) -> Result<Vec<LoggedQuestion>, LogError> {
        let shared = self.shared.as_ref().ok_or(LogError::Disabled)?;
        shared.store.questions_since(since).await
    }
}

/// The writer: drains the queue in batches, one transaction each, retrying
/// a batch until the database takes it. Ends when every handle is gone.
async fn write_events(
    store: Arc<Store>,
    mut events: mpsc::UnboundedReceiver<Event>,
    held: Arc<AtomicUsize>,
    retention_days: u32,
    shared: std::sync::Weak<Shared>,
) {
    let mut outage: Option<Instant> = None;
    let mut last_purge: Option<Instant> = None;
    // At start: the schema, and the rows past the retention; a database
    // that is down now is an outage like any other.
    match store.prepare().await {
        Ok(()) => purge(&store, retention_days, &mut last_purge).await,
        Err(error) => outage = Some(unavailable(&error)),
    }
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut flushes = Vec::new();
    while let Some(first) = events.recv().await {
        let mut next = Some(first);
        while let Some(event) = next.take() {
            match event {
                Event::Flush(done) => {
                    // Everything before it is in this batch: answer once written.
                    flushes.push(done);
                    break;
                }
                event => batch.push(event),
            }
            if batch.len() < MAX_BATCH {
                next = events.try_recv().ok();
            }
        }
        let mut wait = RETRY_FIRST;
        loop {
            let written = match store.prepare().await {
                Ok(()) => store.write(&batch).await,
                Err(e) => Err(e),
            };
            match written {
                Ok(()) => break,
                Err(error) => {
                    if outage.is_none() {
                        outage = Some(unavailable(&error));
                    }
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(RETRY_MAX);
                }
            }
        }
        if let Some(since) = outage.take() {
            let dropped = shared
                .upgrade()
                .map_or(0, |s| s.dropped.load(Ordering::Relaxed));
            tracing::info!(
                down_ms = since.elapsed().as_millis() as u64,
                dropped,
                "question log available again; the questions kept meanwhile are written"
            );
        }
        let written: usize = batch.iter().map(Event::size).sum();
        held.fetch_sub(written, Ordering::AcqRel);
        batch.clear();
        for done in flushes.drain(..) {
            let _ = done.send(());
        }
        purge(&store, retention_days, &mut last_purge).await;
    }
}

/// Logs the start of an outage (once per outage); when it started.
fn unavailable(error: &LogError) -> Instant {
    tracing::warn!(
        error = %error,
        "question log unavailable: answering goes on, and questions wait in memory until it is back"
    );
    Instant::now()
}

/// Deletes the rows past the retention, if the last time was an hour ago.
async fn purge(store: &Store, retention_days: u32, last_purge: &mut Option<Instant>) {
    if retention_days == 0 || last_purge.is_some_and(|t| t.elapsed() < PURGE_EVERY) {
        return;
    }
    *last_purge = Some(Instant::now());
    let before = now() - i64::from(retention_days) * 86_400;
    match store.purge(before).await {
        Ok(0) => {}
        Ok(deleted) => tracing::info!(
            deleted,
            retention_days,
            "question log: deleted rows past the retention"
        ),
        Err(error) => tracing::warn!(error = %error, "question log: could not delete old rows"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_ids_round_trip_in_base_36_and_other_spellings_are_refused() {
        for n in [1, 35, 36, 1_000_000, i64::MAX] {
            let id = QuestionId(n);
            let text = id.encode();
            assert!(text.len() <= 13, "{text}");
            assert_eq!(QuestionId::decode(&text), Some(id), "{text}");
        }
        for _ in 0..1000 {
            let id = QuestionId::random();
            assert!(id.0 > 0);
            assert_eq!(QuestionId::decode(&id.encode()), Some(id));
        }
        for forged in ["", "0", "01", "-1", "A", "zzzzzzzzzzzzzz", "1 ", "+1", "é"] {
            assert_eq!(QuestionId::decode(forged), None, "{forged:?}");
        }
        // 2^63 and over do not fit.
        assert_eq!(QuestionId::decode("1y2p0ij32e8e8"), None);
    }

    /// A log whose every write fails: nothing listens on the discard port.
    fn unwritable(buffer_bytes: usize) -> QuestionLog {
        let url = DatabaseUrl::parse("postgres://qabot@127.0.0.1:9/qabot", Path::new(".")).unwrap();
        QuestionLog::open(Settings {
            url,
            retention_days: 0,
            buffer_bytes,
            key: KeySource::Env {
                var: key::KEY_VAR,
                key: "k".repeat(key::MIN_KEY_CHARS),
            },
        })
        .unwrap()
    }

    fn pick(i: i64) -> Event {
        Event::Picked {
            question: QuestionId(i),
            picker: 1,
            entry: "step-1".into(),
            at: 0,
        }
    }

    #[tokio::test]
    async fn a_full_queue_drops_questions_without_waiting_and_counts_them() {
        let log = unwritable(3 * pick(0).size());
        for i in 1..=50 {
            log.record(pick(i));
        }
        // A current-thread runtime: the writer has not run yet, so the
        // queue holds 3 and the other 47 are dropped, at once.
        assert_eq!(log.dropped(), 47);
        assert_eq!(log.queued_bytes(), 3 * pick(0).size());
        assert!(
            !log.flush(Duration::from_millis(200)).await,
            "nothing can be written"
        );
        assert_eq!(QuestionLog::disabled().dropped(), 0);
        assert!(QuestionLog::disabled().flush(Duration::ZERO).await);
    }

    #[tokio::test]
    async fn the_queue_is_bounded_in_bytes_not_in_events() {
        let buffer = 64 * 1024;
        let log = unwritable(buffer);
        let long = |i: i64| {
            Event::Asked(Asked {
                id: QuestionId(i),
                at: 0,
                chat_kind: ChatKind::Private,
                user_language: Some("en".into()),
                lang: Lang::En,
                question: "x".repeat(12_000),
                decision: Decision::Decline,
                entry: None,
                score: None,
                suggestions: Vec::new(),
                user: Some(1),
                chat: Some(1),
                context: None,
            })
        };
        let size = long(0).size();
        assert!(size > 12_000, "{size}");
        for i in 1..=20 {
            log.record(long(i));
        }
        let fit = buffer / size;
        assert_eq!(fit, 5);
        assert_eq!(log.dropped(), 20 - fit as u64);
        assert_eq!(log.queued_bytes(), fit * size);
        // What room is left still takes small events, up to the limit.
        let room = (buffer - fit * size) / pick(0).size();
        for i in 0..room as i64 + 3 {
            log.record(pick(i));
        }
        assert_eq!(log.dropped(), 20 - fit as u64 + 3);
        assert!(log.queued_bytes() <= buffer);
    }

    #[test]
    fn database_urls_name_a_file_or_a_server_and_never_show_the_password() {
        let base = Path::new("/etc/qabot");
        let cases: [(&str, Result<&str, &str>); 19] = [
            ("sqlite:log.sqlite", Ok("sqlite:/etc/qabot/log.sqlite")),
            ("sqlite://log.sqlite", Ok("sqlite:/etc/qabot/log.sqlite")),
            (
                "sqlite:/var/lib/qabot/q.db",
                Ok("sqlite:/var/lib/qabot/q.db"),
            ),
            (
                "postgres://qabot:s3cret@db.internal:5432/qabot",
                Ok("postgres://qabot:***@db.internal:5432/qabot"),
            ),
            (
                "postgresql://qabot@127.0.0.1/qabot",
                Ok("postgresql://qabot@127.0.0.1/qabot"),
            ),
            (
                "postgres://qabot@db/qabot?password=s3cret",
                Ok("postgres://qabot@db/qabot?password=***"),
            ),
            (
                "postgres://qabot@db/qabot?sslmode=require&sslpassword=s3cret&application_name=q",
                Ok("postgres://qabot@db/qabot?sslmode=require&sslpassword=***&application_name=q"),
            ),
            (
                "postgres://qabot:s3cret@db/qabot?pass%77ord=s3cret",
                Ok("postgres://qabot:***@db/qabot?pass%77ord=***"),
            ),
            // Characters a password must encode, left raw: the URL reads
            // differently from what was meant, so it is refused unshown.
            (
                "postgres://u:1/s3cret@db/qabot",
                Err("(postgres://…) is not usable"),
            ),
            ("postgres://u:1#s3cret@db/qabot", Err("percent-encode")),
            ("postgres://u:1?s3cret@db/qabot", Err("percent-encode")),
            (
                "postgres://u:s3/cret@db/qabot",
                Err("(postgres://…) is not usable"),
            ),
            ("mysql://u:s3/cret@db/qabot", Err("must start with")),
            ("sqlite:", Err("name a file")),
            ("sqlite::memory:", Err("name a file")),
            ("mysql://u:s3cret@h/db", Err("must start with")),
            ("mysql://u@h/db?password=s3cret", Err("must start with")),
            ("postgres://u:s3cret@/db", Err("host")),
            ("postgres://u@/db?password=s3cret", Err("host")),
        ];
        for (raw, expected) in cases {
            match (DatabaseUrl::parse(raw, base), expected) {
                (Ok(url), Ok(shown)) => {
                    assert_eq!(url.to_string(), shown, "{raw}");
                    assert_eq!(format!("{url:?}"), shown, "{raw}");
                }
                (Err(e), Err(part)) => {
                    let message = e.to_string();
                    assert!(message.contains(part), "{raw}: {message}");
                    assert!(!message.contains("cret"), "{message}");
                    assert!(!format!("{e:?}").contains("cret"), "{e:?}");
                }
                (got, _) => panic!("{raw}: {:?}", got.map(|u| u.to_string())),
            }
        }
        // Every spelling of the password is a secret to blank: as written
        // in the URL and decoded, as a driver's error might quote it.
        let url = DatabaseUrl::parse("postgres://u:p%40ss@db/q?sslpassword=a+b%26c", base).unwrap();
        assert_eq!(url.to_string(), "postgres://u:***@db/q?sslpassword=***");
        let mut secrets: Vec<&str> = url.secrets().collect();
        secrets.sort_unstable();
        assert_eq!(secrets, ["a b&c", "a+b%26c", "p%40ss", "p@ss"]);
        assert!(url.has_password());
        assert_eq!(
            url.blank("error: password p@ss rejected for postgres://u:p%40ss@db (a b&c)"),
            "error: password *** rejected for postgres://u:***@db (***)"
        );
        let plain = DatabaseUrl::parse("postgres://u@db/q?sslmode=require", base).unwrap();
        assert!(!plain.has_password());
        assert_eq!(plain.blank("nothing"), "nothing");
        let odd = DatabaseUrl::parse("sqlite:a?b#c%d.db", base);
        assert!(odd.is_err(), "a ? is refused, not misread");
        let odd = DatabaseUrl::parse("sqlite:a#c%d.db", base).unwrap();
        assert_eq!(
            odd.connect_url(),
            "sqlite:///etc/qabot/a%23c%25d.db?mode=rwc"
        );
    }
}
