//! `[question_log]`: the question log's own settings, which the main
//! config embeds; read and checked here, where they are used, so the
//! config module knows nothing of database URLs.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{DATABASE_URL_VAR, DatabaseUrl};

/// The question log's queue: at least a few of the largest questions, at
/// most what a small server can spare.
const MIN_BUFFER_BYTES: usize = 64 * 1024;
const MAX_BUFFER_BYTES: usize = 1024 * 1024 * 1024;

/// `[question_log]`: where `qabot run` records the questions it handles,
/// for `qabot report` and `/stats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuestionLogConfig {
    /// Record questions at all.
    pub enabled: bool,
    /// `sqlite:PATH` (relative to the config file's folder) or
    /// `postgres://USER@HOST/DB`. `QABOT_DATABASE_URL` in the environment
    /// wins over it, and is where a URL with a password must go.
    pub database_url: String,
    /// Rows older than this many days are deleted (at start, then hourly
    /// while questions come in); 0
    /// keeps everything.
    pub retention_days: u32,
    /// Bytes of questions, picks and votes held in memory while the
    /// database is slow or down; past it, new ones are dropped (and
    /// counted), never a reply.
    pub buffer_bytes: usize,
    /// The old setting, which counted events; refused with a pointer to
    /// `buffer_bytes` (an event can be a few bytes or many kilobytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buffer: Option<u64>,
    /// The file with the key of the user and chat hashes, relative to the
    /// config file's folder; created (0600, a random key) when missing.
    /// `QABOT_LOG_KEY` in the environment wins over it.
    pub key_file: PathBuf,
    /// The config file's folder, which a relative SQLite path is read
    /// from; not a setting.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

impl Default for QuestionLogConfig {
    fn default() -> Self {
        QuestionLogConfig {
            enabled: true,
            database_url: "sqlite:qabot-questions.sqlite".into(),
            retention_days: 90,
            buffer_bytes: 8 * 1024 * 1024,
            buffer: None,
            key_file: PathBuf::from("qabot-log.key"),
            base_dir: PathBuf::from("."),
        }
    }
}

impl QuestionLogConfig {
    /// Checks values serde cannot. On error, the key to point at and the
    /// message.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if let Some(events) = self.buffer {
            return Err((
                "buffer",
                format!(
                    "question_log.buffer ({events} events) is replaced by question_log.buffer_bytes, the bytes held in memory (default 8388608, 8 MiB): an event can be a few bytes or many kilobytes; remove buffer, and set buffer_bytes if the default does not suit"
                ),
            ));
        }
        if !(MIN_BUFFER_BYTES..=MAX_BUFFER_BYTES).contains(&self.buffer_bytes) {
            return Err((
                "buffer_bytes",
                format!(
                    "question_log.buffer_bytes is {}, outside {MIN_BUFFER_BYTES}–{MAX_BUFFER_BYTES} (64 KiB–1 GiB)",
                    self.buffer_bytes
                ),
            ));
        }
        match DatabaseUrl::parse(&self.database_url, &self.base_dir) {
            Err(e) => {
                let message = e.to_string();
                return Err((
                    "database_url",
                    message.lines().next().unwrap_or_default().to_owned(),
                ));
            }
            Ok(url) if url.has_password() => {
                return Err((
                    "database_url",
                    format!(
                        "question_log.database_url ({url}) holds a password, and secrets never go in this file: set {} in the environment instead",
                        DATABASE_URL_VAR
                    ),
                ));
            }
            Ok(_) => {}
        }
        Ok(())
    }
}
