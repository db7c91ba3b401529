//! Settings: read from a TOML file (`config.toml` documents every key with
//! its default), every key optional, unknown keys rejected so a typo is an
//! error rather than a silently ignored setting. Secrets such as the
//! Telegram token are never read from this file, only from the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

use crate::files::ReadError;
use crate::located::{Located, line_and_column};
use crate::matcher::MatcherConfig;
use crate::question_log::QuestionLogConfig;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "config.toml";

/// Files larger than this are refused: a config file is a few hundred bytes.
const MAX_BYTES: u64 = 1024 * 1024;

/// The longest long poll: Telegram holds getUpdates open at most 50 s.
const MAX_POLL_SECS: u32 = 50;

/// How much longer than a long poll a request must be allowed to take: the
/// poll's answer still has to travel back.
const POLL_MARGIN_MS: u64 = 500;

/// The largest `max_waiting_per_chat`: each waiting update is answered in
/// the end, at one message a second in a private chat (20 a minute in a
/// group) with pacing on, so more than this is a flood's backlog, kept in
/// memory and answered minutes late.
pub const MAX_WAITING_PER_CHAT: u32 = 32;

/// The longest `stop_deadline_ms`: five minutes, past any service
/// manager's patience.
const MAX_STOP_DEADLINE_MS: u64 = 300_000;

/// All settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub knowledge: KnowledgeConfig,
    pub matcher: MatcherConfig,
    pub log: LogConfig,
    pub bot: BotConfig,
    pub question_log: QuestionLogConfig,
    pub report: crate::report::ReportConfig,
    pub conversation: crate::conversation::store::ConversationConfig,
}

/// Where the knowledge base comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KnowledgeConfig {
    /// A knowledge-base directory; empty means the one built into the
    /// binary. Relative to the config file. `--knowledge` overrides it.
    pub dir: Option<PathBuf>,
    /// Where in the config file `dir` is set, for an error about it (see
    /// [`Config::check_knowledge_dir`]); not a setting.
    #[serde(skip)]
    pub dir_set_at: Option<Located<()>>,
}

/// How logs are written (to standard error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// "text" for people, "json" for log collectors (one object per line).
    pub format: LogFormat,
    /// Filter used when RUST_LOG is not set, in RUST_LOG syntax.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Text,
            filter: "info".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// How `qabot run` talks to the Telegram Bot API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BotConfig {
    /// Pace messages to Telegram's flood limits. A 429 "retry after" is
    /// waited out and re-sent either way; off only makes sense against a
    /// local test server, where pacing would just slow tests down (and cap
    /// a load test at the pacer's rate).
    pub throttle: bool,
    /// Long-poll timeout of getUpdates, in seconds: how long Telegram holds
    /// a poll open when there is nothing new. At least 0.5 s under
    /// `request_timeout_ms`, or every quiet poll would time out.
    pub poll_timeout_secs: u32,
    /// How long one request to the Bot API may take, in milliseconds,
    /// before the HTTP client gives up on it (a network error, retried).
    pub request_timeout_ms: u64,
    /// After a failed getUpdates, or a network error or malformed answer on
    /// a reply, wait this long before retrying; the wait doubles with each
    /// further failure, up to `retry_max_ms`.
    pub retry_first_ms: u64,
    /// The longest wait between retries.
    pub retry_max_ms: u64,
    /// How often a request that failed on a network error, a malformed
    /// answer or a 429 (a reply, or the token check at start) is tried again
    /// before it is given up (and logged). Polling is never given up.
    pub send_retries: u32,
    /// How long Telegram may cache an inline-mode answer, in seconds (for
    /// the sender only when it is in the sender's language).
    pub inline_cache_secs: u32,
    /// Telegram user ids allowed to send `/reload`, and `/stats` in a
    /// private chat; to everyone else the commands do not exist.
    pub admins: Vec<u64>,
    /// Updates one chat (in a group, one member) may have waiting to be
    /// answered, the one being answered included; one user across all chats,
    /// inline queries included, twice that. Past it, new ones are dropped unread
    /// until the backlog goes down, with one notice and one log line per
    /// burst.
    pub max_waiting_per_chat: u32,
    /// How long a stop (SIGINT, SIGTERM) may take, in milliseconds: the
    /// replies being sent get until then to finish; the updates still
    /// queued are dropped at once. A second signal stops at once.
    pub stop_deadline_ms: u64,
    /// Receive updates through a webhook instead of long polling. The
    /// webhook's secret token is not here: like the bot token, it comes
    /// from the environment only (`QABOT_WEBHOOK_SECRET`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookConfig>,
    /// Not a setting: for tests only.
    #[serde(skip)]
    #[doc(hidden)]
    pub stats_hook: StatsHook,
}

/// For tests only: run where each `/stats` report is built, just before
/// it is, so a test can hold reports in progress and watch the bot answer
/// others meanwhile.
#[derive(Clone, Default)]
#[doc(hidden)]
pub struct StatsHook(pub Option<std::sync::Arc<dyn Fn() + Send + Sync>>);

impl StatsHook {
    pub fn run(&self) {
        if let Some(hook) = &self.0 {
            hook();
        }
    }
}

impl std::fmt::Debug for StatsHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "StatsHook(set)"
        } else {
            "StatsHook(none)"
        })
    }
}

// Code, not a setting: every two configs agree on it.
impl PartialEq for StatsHook {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for StatsHook {}

/// `[bot.webhook]`: where Telegram posts updates, and where qabot listens
/// for them (a reverse proxy forwards the one to the other).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// The public HTTPS URL given to Telegram in setWebhook. Its path is
    /// also the path qabot serves updates on.
    pub url: String,
    /// The local address to listen on, e.g. `127.0.0.1:8080`; port 0 picks
    /// a free port (logged at start).
    pub listen: SocketAddr,
    /// How long a connection may take to send a request's headers, in
    /// milliseconds: from when it opens, or from the first byte of a
    /// request after an idle wait. Then it is closed.
    #[serde(default = "webhook_default::header_timeout_ms")]
    pub header_timeout_ms: u64,
    /// How long an authenticated request's body may take to arrive, in
    /// milliseconds (then 408); also how long a stop waits for requests in
    /// progress before dropping their connections.
    #[serde(default = "webhook_default::body_timeout_ms")]
    pub body_timeout_ms: u64,
    /// How long a kept-alive connection may wait for its next request, in
    /// milliseconds, before it is closed.
    #[serde(default = "webhook_default::idle_timeout_ms")]
    pub idle_timeout_ms: u64,
    /// Connections open at once. At the cap, each new connection closes
    /// the one that has waited longest without sending a whole request.
    #[serde(default = "webhook_default::max_connections")]
    pub max_connections: u32,
    /// Updates accepted and not yet taken by the dispatcher; past it,
    /// requests get 503 and Telegram delivers them again later.
    #[serde(default = "webhook_default::max_queued_updates")]
    pub max_queued_updates: u32,
}

/// `[bot.webhook]`'s defaults, the values `config.toml` documents.
mod webhook_default {
    pub fn header_timeout_ms() -> u64 {
        10_000
    }
    pub fn body_timeout_ms() -> u64 {
        10_000
    }
    pub fn idle_timeout_ms() -> u64 {
        75_000
    }
    pub fn max_connections() -> u32 {
        256
    }
    pub fn max_queued_updates() -> u32 {
        1000
    }
}

impl WebhookConfig {
    /// Checks the limits' ranges; on error, the key and the message.
    fn validate_limits(&self) -> Result<(), (&'static str, String)> {
        let hour = 3_600_000;
        for (key, value, max) in [
            ("header_timeout_ms", self.header_timeout_ms, hour),
            ("body_timeout_ms", self.body_timeout_ms, hour),
            ("idle_timeout_ms", self.idle_timeout_ms, hour),
            ("max_connections", self.max_connections.into(), 100_000),
            (
                "max_queued_updates",
                self.max_queued_updates.into(),
                1_000_000,
            ),
        ] {
            if !(1..=max).contains(&value) {
                return Err((
                    key,
                    format!("bot.webhook.{key} is {value}, outside 1–{max}"),
                ));
            }
        }
        Ok(())
    }
}

impl Default for BotConfig {
    fn default() -> Self {
        BotConfig {
            throttle: true,
            poll_timeout_secs: 10,
            request_timeout_ms: 17_000,
            retry_first_ms: 1000,
            retry_max_ms: 60_000,
            send_retries: 3,
            inline_cache_secs: 300,
            admins: Vec::new(),
            max_waiting_per_chat: 3,
            stop_deadline_ms: 5000,
            webhook: None,
            stats_hook: StatsHook::default(),
        }
    }
}

/// A config file that cannot be used.
///
/// Each message is complete: an I/O error is part of the text and not
/// also a `source()`, or a report that walks the chain would print it twice.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "{path}: cannot read the config file: {error}\n    hint: check the path given to --config"
    )]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{path}: the config file is {bytes} bytes, over the {MAX_BYTES} byte limit\n    hint: check that --config names the right file"
    )]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error("{0}")]
    Invalid(Located<InvalidConfig>),
}

/// What is wrong with a config file; the [`Located`] around it says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidConfig(pub String);

impl std::fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid config: {}\n    hint: see config.toml in the qabot repository for every key and its default",
            self.0
        )
    }
}

/// Config text that TOML or serde refused: where (1-based, the column in
/// characters) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    /// The error in one line, with its place, for a chat: the hint is left
    /// to the log and the command line.
    pub fn headline(&self) -> String {
        match self {
            ConfigError::Read { path, error } => {
                Located::in_file(path, format!("cannot read the config file: {error}")).to_string()
            }
            ConfigError::TooLarge { path, bytes } => Located::in_file(
                path,
                format!("the config file is {bytes} bytes, over the {MAX_BYTES} byte limit"),
            )
            .to_string(),
            ConfigError::Invalid(at) => at
                .clone()
                .map(|InvalidConfig(message)| format!("invalid config: {message}"))
                .to_string(),
        }
    }

    fn invalid(path: &Path, line: usize, message: String) -> Self {
        ConfigError::Invalid(Located::on_line(path, line, InvalidConfig(message)))
    }
}

impl Config {
    /// Reads `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::files::read_text(path, MAX_BYTES).map_err(|e| match e {
            ReadError::Io { path, error } => ConfigError::Read { path, error },
            ReadError::TooLarge { path, bytes, .. } => ConfigError::TooLarge { path, bytes },
            ReadError::NotUtf8 { path, line } => {
                ConfigError::invalid(&path, line, "the file is not valid UTF-8".into())
            }
        })?;
        let mut config = Self::parse(&text).map_err(|e| {
            ConfigError::Invalid(
                Located::on_line(path, e.line, InvalidConfig(e.message)).at_column(e.column),
            )
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.question_log.base_dir = if base.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            base.to_path_buf()
        };
        config.report.relative_to(base);
        if let Some(dir) = &config.knowledge.dir {
            config.knowledge.dir = Some(base.join(dir));
            config.knowledge.dir_set_at = Some(key_at(path, &text, "dir", ()));
        }
        config.validate().map_err(|(key, message)| {
            ConfigError::Invalid(key_at(path, &text, key, InvalidConfig(message)))
        })?;
        Ok(config)
    }

    /// Parses config text.
    pub fn parse(text: &str) -> Result<Config, ParseError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = line_and_column(text, e.span().map_or(0, |s| s.start));
            ParseError {
                line,
                column,
                message: e.message().lines().next().unwrap_or("").trim().to_owned(),
            }
        })
    }

    /// The file named by `--config`, else `config.toml` in the working
    /// directory if there is one, else the defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        match explicit {
            Some(path) => Config::load(path),
            None if Path::new(DEFAULT_FILE).is_file() => Config::load(Path::new(DEFAULT_FILE)),
            None => Ok(Config::default()),
        }
    }

    /// Checks that `knowledge.dir`, when a config file set it, names a
    /// directory. Not part of [`Config::load`], as `--knowledge` overrides
    /// the setting; called when the setting is used, so that the error
    /// names the config file and line, which the knowledge loader cannot.
    pub fn check_knowledge_dir(&self) -> Result<(), ConfigError> {
        let k = &self.knowledge;
        let (Some(dir), Some(at)) = (&k.dir, &k.dir_set_at) else {
            return Ok(());
        };
        let problem = if dir.is_dir() {
            return Ok(());
        } else if dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        Err(ConfigError::Invalid(at.clone().map(|()| {
            InvalidConfig(format!(
                "knowledge.dir: {} {problem} (a relative dir is read from the config file's folder)",
                dir.display()
            ))
        })))
    }

    /// Checks values serde cannot: ranges and their order. On error, the
    /// key to point at and the message.
    fn validate(&self) -> Result<(), (&'static str, String)> {
        let m = &self.matcher;
        for (key, v) in [
            ("answer_threshold", m.answer_threshold),
            ("answer_margin", m.answer_margin),
            ("suggest_threshold", m.suggest_threshold),
            ("suggest_window", m.suggest_window),
            ("out_of_scope_margin", m.out_of_scope_margin),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err((key, format!("matcher.{key} is {v}, outside 0–1")));
            }
        }
        if m.suggest_threshold > m.answer_threshold {
            return Err((
                "suggest_threshold",
                format!(
                    "matcher.suggest_threshold ({}) is above matcher.answer_threshold ({})",
                    m.suggest_threshold, m.answer_threshold
                ),
            ));
        }
        if m.max_question_chars == 0 {
            return Err((
                "max_question_chars",
                "matcher.max_question_chars must be at least 1".into(),
            ));
        }
        let b = &self.bot;
        if !(1..=MAX_POLL_SECS).contains(&b.poll_timeout_secs) {
            return Err((
                "poll_timeout_secs",
                format!(
                    "bot.poll_timeout_secs is {}, outside 1–{MAX_POLL_SECS}",
                    b.poll_timeout_secs
                ),
            ));
        }
        if u64::from(b.poll_timeout_secs) * 1000 + POLL_MARGIN_MS > b.request_timeout_ms {
            return Err((
                "poll_timeout_secs",
                format!(
                    "bot.poll_timeout_secs ({} s) must be at least {POLL_MARGIN_MS} ms under bot.request_timeout_ms ({} ms), or every quiet long poll times out",
                    b.poll_timeout_secs, b.request_timeout_ms
                ),
            ));
        }
        if b.retry_first_ms == 0 || b.retry_first_ms > b.retry_max_ms {
            return Err((
                "retry_first_ms",
                format!(
                    "bot.retry_first_ms ({}) must be at least 1 and at most bot.retry_max_ms ({})",
                    b.retry_first_ms, b.retry_max_ms
                ),
            ));
        }
        if !(1..=MAX_WAITING_PER_CHAT).contains(&b.max_waiting_per_chat) {
            return Err((
                "max_waiting_per_chat",
                format!(
                    "bot.max_waiting_per_chat is {}, outside 1–{MAX_WAITING_PER_CHAT}",
                    b.max_waiting_per_chat
                ),
            ));
        }
        if !(100..=MAX_STOP_DEADLINE_MS).contains(&b.stop_deadline_ms) {
            return Err((
                "stop_deadline_ms",
                format!(
                    "bot.stop_deadline_ms is {}, outside 100–{MAX_STOP_DEADLINE_MS}",
                    b.stop_deadline_ms
                ),
            ));
        }
        self.question_log.validate()?;
        if let Some(webhook) = &b.webhook {
            // Telegram delivers to HTTPS only; the path must not shadow the
            // health check served beside it.
            let path = webhook.url.strip_prefix("https://").and_then(|rest| {
                let path = rest.find('/').map_or("/", |i| &rest[i..]);
                (!rest.starts_with('/') && !rest.is_empty()).then_some(path)
            });
            match path {
                None => {
                    return Err((
                        "url",
                        format!(
                            "bot.webhook.url ({:?}) must be an https:// URL: Telegram delivers updates over HTTPS only",
                            webhook.url
                        ),
                    ));
                }
                Some(_) if !webhook_port_allowed(&webhook.url) => {
                    return Err((
                        "url",
                        format!(
                            "bot.webhook.url ({:?}) must use port 443, 80, 88 or 8443: the only ports Telegram sends webhooks to",
                            webhook.url
                        ),
                    ));
                }
                Some(path) if path.starts_with("/healthz") || path.contains(['?', '#']) => {
                    return Err((
                        "url",
                        format!(
                            "bot.webhook.url ({:?}) needs a path of its own: no query, no fragment, not /healthz",
                            webhook.url
                        ),
                    ));
                }
                Some(_) => {}
            }
            webhook.validate_limits()?;
        }
        Ok(())
    }
}

/// The ports Telegram sends webhooks to (Bot API, setWebhook).
pub const WEBHOOK_PORTS: [u16; 4] = [443, 80, 88, 8443];

/// Whether an https:// `url` is on a port Telegram sends webhooks to (443
/// when none is written). A URL that does not parse passes here: starting
/// says what is wrong with it.
fn webhook_port_allowed(url: &str) -> bool {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.port_or_known_default())
        .is_none_or(|port| WEBHOOK_PORTS.contains(&port))
}

/// `error` placed where `key` (a bare name, as [`Config::validate`] gives
/// it) is first set in `text`, the contents of `path`: the exact line and
/// column of the key, from TOML's spans; the whole file when the key is not
/// in it (its value is the default).
fn key_at<E>(path: &Path, text: &str, key: &str, error: E) -> Located<E> {
    fn first(table: &DeTable<'_>, key: &str, found: &mut Option<usize>) {
        for (name, value) in table {
            if name.get_ref() == key {
                let start = name.span().start;
                *found = Some(found.map_or(start, |f| f.min(start)));
            }
            match value.get_ref() {
                DeValue::Table(inner) => first(inner, key, found),
                DeValue::Array(items) => {
                    for item in items {
                        if let DeValue::Table(inner) = item.get_ref() {
                            first(inner, key, found);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = None;
    if let Ok(doc) = DeTable::parse(text) {
        first(doc.get_ref(), key, &mut found);
    }
    match found {
        Some(offset) => Located::at_offset(path, text, offset, error),
        None => Located::in_file(path, error),
    }
}

/// Every ConfigError is the user's to fix: a config file they gave.
impl crate::errors::UserError for ConfigError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_placed_exactly_or_not_at_all() {
        let path = Path::new("c.toml");
        let cases = [
            (
                "[matcher]\nanswer_margin = 1.5\n",
                "answer_margin",
                "c.toml:2:1: x",
            ),
            (
                "# c\n\nmatcher = { answer_margin = 1.5 }\n",
                "answer_margin",
                "c.toml:3:13: x",
            ),
            ("[bot.webhook]\n  url = \"x\"\n", "url", "c.toml:2:3: x"),
            // A comment that names the key does not set it.
            (
                "# answer_margin = 0.1\n[matcher]\nanswer_margin = 2\n",
                "answer_margin",
                "c.toml:3:1: x",
            ),
            // Not in the file: its value is the default, so no line is true.
            (
                "[matcher]\nanswer_threshold = 0.1\n",
                "suggest_threshold",
                "c.toml: x",
            ),
        ];
        for (text, key, shown) in cases {
            assert_eq!(key_at(path, text, key, "x").to_string(), shown, "{text:?}");
        }
    }

    #[test]
    fn the_shipped_config_is_the_defaults() {
        let shipped = Config::parse(include_str!("../config.toml")).unwrap();
        assert_eq!(shipped, Config::default());
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "[matcher]\nanswer_treshold = 0.5\n",
                (2, 1),
                "unknown field",
            ),
            (
                "[matcher]\n  answer_threshold = \"high\"\n",
                (2, 22),
                "invalid type",
            ),
            ("[log]\nformat = \"xml\"\n", (2, 10), "unknown variant"),
            ("[matcher\n", (1, 9), ""),
        ];
        for (text, place, needle) in cases {
            let e = Config::parse(text).unwrap_err();
            assert_eq!((e.line, e.column), place, "{text:?}: {e:?}");
            assert!(e.message.contains(needle), "{text:?}: {e:?}");
        }
    }

    #[test]
    fn values_out_of_range_are_rejected() {
        let mut config = Config::default();
        config.matcher.suggest_threshold = 0.9;
        assert_eq!(config.validate().unwrap_err().0, "suggest_threshold");
        config.matcher.suggest_threshold = 1.5;
        assert!(config.validate().is_err());
    }

    #[test]
    fn bot_timings_out_of_range_are_rejected() {
        let mut config = Config::default();
        config.bot.poll_timeout_secs = 17;
        assert_eq!(config.validate().unwrap_err().0, "poll_timeout_secs");
        config.bot.poll_timeout_secs = 0;
        assert_eq!(config.validate().unwrap_err().0, "poll_timeout_secs");
        // A short request timeout for tests, with a long poll that still fits.
        config.bot.poll_timeout_secs = 1;
        config.bot.request_timeout_ms = 1500;
        assert!(config.validate().is_ok());
        config.bot.request_timeout_ms = 1499;
        assert_eq!(config.validate().unwrap_err().0, "poll_timeout_secs");
        config.bot.request_timeout_ms = 17_000;
        config.bot.poll_timeout_secs = 10;
        config.bot.retry_first_ms = config.bot.retry_max_ms + 1;
        assert_eq!(config.validate().unwrap_err().0, "retry_first_ms");
    }

    #[test]
    fn a_webhook_needs_https_and_a_path_of_its_own() {
        let with = |url: &str| {
            let text = format!("[bot.webhook]\nurl = {url:?}\nlisten = \"127.0.0.1:8080\"\n");
            Config::parse(&text).unwrap().validate()
        };
        for url in [
            "https://bot.example.com/qabot/hook",
            "https://bot.example.com",
            "https://bot.example.com:443/hook",
            "https://bot.example.com:80/hook",
            "https://bot.example.com:88/hook",
            "https://bot.example.com:8443/hook",
        ] {
            assert!(with(url).is_ok(), "{url}");
        }
        for url in [
            "https://bot.example.com:8080/hook",
            "https://bot.example.com:1/hook",
            "https://bot.example.com:444",
            "http://bot.example.com/hook",
            "https:///hook",
            "bot.example.com/hook",
            "https://bot.example.com/healthz",
            "https://bot.example.com/hook?x=1",
        ] {
            assert_eq!(with(url).unwrap_err().0, "url", "{url}");
        }
        // The secret is never a setting, so a file cannot leak it.
        let text = "[bot.webhook]\nurl = \"https://a.example/h\"\nlisten = \"127.0.0.1:1\"\nsecret = \"x\"\n";
        let e = Config::parse(text).unwrap_err();
        assert_eq!((e.line, e.message.contains("unknown field")), (4, true));
    }

    #[test]
    fn the_shipped_webhook_section_is_the_defaults() {
        // Commented out in config.toml, as it turns webhook mode on: its
        // `key = value` lines, uncommented, are the defaults.
        let section: String = include_str!("../config.toml")
            .lines()
            .skip_while(|l| *l != "# [bot.webhook]")
            .take_while(|l| l.starts_with('#'))
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|l| {
                l.starts_with('[')
                    || l.split_once(" = ").is_some_and(|(key, _)| {
                        key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    })
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let shipped = Config::parse(&section).unwrap().bot.webhook.unwrap();
        let minimal = format!(
            "[bot.webhook]\nurl = {:?}\nlisten = \"{}\"\n",
            shipped.url, shipped.listen
        );
        let defaults = Config::parse(&minimal).unwrap().bot.webhook.unwrap();
        assert_eq!(shipped, defaults);
        assert_eq!(shipped.max_queued_updates, 1000, "{section}");
    }

    #[test]
    fn webhook_limits_out_of_range_are_rejected() {
        let base = "[bot.webhook]\nurl = \"https://a.example/h\"\nlisten = \"127.0.0.1:1\"\n";
        for (line, key) in [
            ("header_timeout_ms = 0", "header_timeout_ms"),
            ("body_timeout_ms = 3600001", "body_timeout_ms"),
            ("idle_timeout_ms = 0", "idle_timeout_ms"),
            ("max_connections = 0", "max_connections"),
            ("max_queued_updates = 0", "max_queued_updates"),
        ] {
            let config = Config::parse(&format!("{base}{line}\n")).unwrap();
            let (got, message) = config.validate().unwrap_err();
            assert_eq!(got, key, "{line}");
            assert!(message.contains("outside 1–"), "{line}: {message}");
        }
        let fine = format!("{base}header_timeout_ms = 1\nmax_connections = 100000\n");
        assert!(Config::parse(&fine).unwrap().validate().is_ok());
    }

    #[test]
    fn the_question_log_refuses_a_password_a_bad_url_and_a_bad_buffer() {
        let load = |section: &str| {
            let dir = std::env::temp_dir().join(format!(
                "qabot-config-{}-{}",
                std::process::id(),
                section.len()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("qabot.toml");
            std::fs::write(&path, format!("# qabot\n[question_log]\n{section}\n")).unwrap();
            let loaded = Config::load(&path);
            let _ = std::fs::remove_dir_all(&dir);
            loaded
        };
        let ok = load("database_url = \"sqlite:log/q.sqlite\"").unwrap();
        // A relative SQLite path is read from the config file's folder.
        assert!(ok.question_log.base_dir.ends_with(format!(
            "qabot-config-{}-{}",
            std::process::id(),
            "database_url = \"sqlite:log/q.sqlite\"".len()
        )));
        let cases = [
            (
                "database_url = \"postgres://qabot:hunter2@db/qabot\"",
                "secrets never go in this file",
            ),
            (
                "database_url = \"mysql://db/qabot\"",
                "must start with sqlite:",
            ),
            ("database_url = \"sqlite::memory:\"", "name a file"),
            (
                "database_url = \"postgres://qabot@db/qabot?sslmode=require&password=hunter2\"",
                "secrets never go in this file",
            ),
            (
                "database_url = \"postgresql://qabot@db/qabot?sslpassword=hunter2\"",
                "password=***",
            ),
            ("buffer = 10000", "replaced by question_log.buffer_bytes"),
            ("buffer_bytes = 1000", "outside 65536–1073741824"),
            ("retention = 7", "unknown field"),
        ];
        for (section, needle) in cases {
            let error = load(section).unwrap_err().to_string();
            assert!(error.contains("qabot.toml:3:"), "{section}: {error}");
            assert!(error.contains(needle), "{section}: {error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
    }
}
