//! Logs of `qabot run`: tracing to standard error, as text or JSON lines,
//! filtered by RUST_LOG (else the config's filter). Every line passes
//! through a writer that blanks the bot token's secret: teloxide hides it in
//! the errors it builds, but a dependency logging a request URL at trace
//! level would not, and the token must appear in no log line at any level.
//! The webhook's secret token, when there is one, is blanked the same way.
//!
//! A fault is one line: the bot logs each failed request once, in one line
//! ([`one_line`], [`clip`]), and teloxide's own lines that repeat it are
//! turned down ([`QUIET`]) unless the filter names teloxide.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{LogConfig, LogFormat};

/// What stands in for the secret in logs.
pub const REDACTED: &str = "[redacted]";

/// The part of a token worth hiding: after the ':' is the secret; before it
/// is the bot's public numeric id.
fn secret_of(token: &str) -> &str {
    token.split_once(':').map_or(token, |(_, secret)| secret)
}

/// `text` with every occurrence of the token's secret replaced.
pub fn redact(text: &str, token: &str) -> String {
    let secret = secret_of(token);
    if secret.is_empty() {
        return text.to_owned();
    }
    text.replace(secret, REDACTED)
}

pub use crate::errors::one_line;

/// The longest error text a log line carries: an answer that is not JSON
/// comes back whole inside the error, and can be a whole web page.
pub const MAX_ERROR_CHARS: usize = 500;

/// `text` cut to about `max` characters, saying how much was left out. The
/// cut never falls inside a run of token characters, so a secret is either
/// kept whole (and redacted by the writer) or left out whole, never half.
pub fn clip(text: &str, max: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return text.to_owned();
    };
    let token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':');
    let end = text[cut..]
        .find(|c: char| !token_char(c))
        .map_or(text.len(), |i| cut + i);
    if end == text.len() {
        return text.to_owned();
    }
    let left = text[end..].chars().count();
    format!("{}… ({left} more characters)", &text[..end])
}

/// An error in one line, clipped to [`MAX_ERROR_CHARS`]: what log lines carry.
pub fn error_line(error: &dyn std::error::Error) -> String {
    clip(&one_line(error), MAX_ERROR_CHARS)
}

/// Dependencies' log lines that only repeat one of ours: teloxide polling's
/// "retrying getting updates in Ns" (ours says which error, and the wait),
/// the flood-limit pacer's "freezing"/"unfreezing" after a 429 (ours says
/// the 429 and the wait), and sqlx's "slow statement" while the question
/// log's database is down (ours says the outage).
pub const QUIET: [&str; 3] = [
    "teloxide::update_listeners::polling=warn",
    "teloxide_core::adaptors::throttle=error",
    // A write held up by an outage is "slow"; the question log's own line
    // says the outage once.
    "sqlx::query=error",
];

/// Makes one [`RedactedEvent`] per log event.
#[derive(Clone)]
pub struct Redacting {
    token: Arc<str>,
    /// Other secrets, blanked whole (the webhook's secret token).
    others: Arc<[String]>,
}

impl Redacting {
    pub fn new(token: &str) -> Self {
        Self::with_others(token, &[])
    }

    /// Also blanks each of `others`, whole.
    pub fn with_others(token: &str, others: &[&str]) -> Self {
        Redacting {
            token: token.into(),
            others: others
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl<'a> MakeWriter<'a> for Redacting {
    type Writer = RedactedEvent;

    fn make_writer(&'a self) -> RedactedEvent {
        RedactedEvent {
            buf: Vec::new(),
            token: self.token.clone(),
            others: self.others.clone(),
        }
    }
}

/// Buffers one event, so the secret cannot straddle two writes, and writes
/// it redacted to standard error when dropped.
pub struct RedactedEvent {
    buf: Vec<u8>,
    token: Arc<str>,
    others: Arc<[String]>,
}

impl Write for RedactedEvent {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for RedactedEvent {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buf);
        let mut line = redact(&text, &self.token);
        for secret in self.others.iter() {
            line = line.replace(secret.as_str(), REDACTED);
        }
        // Nowhere to report a failure to write a log line.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// Installs the global subscriber. RUST_LOG wins over the config's filter;
/// a RUST_LOG that does not parse falls back to it, with a warning. The
/// token's secret and each of `others` are blanked in every line.
pub fn init(config: &LogConfig, format: LogFormat, token: &str, others: &[&str]) {
    let (filter, bad_env) = match std::env::var("RUST_LOG") {
        Ok(env) if !env.trim().is_empty() => match EnvFilter::try_new(&env) {
            Ok(filter) => (quiet(filter, &env), None),
            Err(e) => (fallback(&config.filter), Some(e.to_string())),
        },
        _ => (fallback(&config.filter), None),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Redacting::with_others(token, others));
    // Another subscriber (a test harness, say) may already be installed; keep it.
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
    if let Some(e) = bad_env {
        tracing::warn!(error = %e, "RUST_LOG does not parse; using the config's [log] filter");
    }
}

fn fallback(filter: &str) -> EnvFilter {
    // Config validation does not parse the filter; a bad one must not stop the bot.
    match EnvFilter::try_new(filter) {
        Ok(parsed) => quiet(parsed, filter),
        Err(_) => quiet(EnvFilter::new("info"), "info"),
    }
}

/// `filter` with [`QUIET`] added, but for the crates its text names: whoever
/// wrote it wants their lines as they asked.
fn quiet(mut filter: EnvFilter, text: &str) -> EnvFilter {
    for directive in QUIET {
        // A filter that names the crate asks for its lines as they come.
        let krate = directive.split("::").next().unwrap_or(directive);
        let krate = krate.split('_').next().unwrap_or(krate);
        if text.contains(krate) {
            continue;
        }
        // Constants that parse (a unit test checks); skipping one only costs quiet.
        if let Ok(d) = directive.parse() {
            filter = filter.add_directive(d);
        }
    }
    filter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_redacted_and_the_bot_id_kept() {
        let token = "123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ";
        let line = format!("POST http://x/bot{token}/GetMe failed");
        let red = redact(&line, token);
        assert!(!red.contains("AAbbCCdd"), "{red}");
        assert_eq!(
            red,
            format!("POST http://x/bot123456:{REDACTED}/GetMe failed")
        );
        assert_eq!(redact("nothing here", token), "nothing here");
    }

    #[test]
    fn clipping_never_halves_a_secret() {
        let token = "123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ";
        let line = format!("raw: \"<p>Cannot POST /bot{token}/GetUpdates</p>\" and more");
        for max in 0..line.len() {
            let clipped = clip(&line, max);
            let red = redact(&clipped, token);
            // Any part of the secret left in is the whole secret, redacted.
            assert!(
                !red.contains("AAbb") && !red.contains("OOppQQ"),
                "{max}: {red}"
            );
        }
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("one two three", 5), "one two… (6 more characters)");
    }

    #[test]
    fn the_quiet_directives_parse() {
        for directive in QUIET {
            assert!(
                directive
                    .parse::<tracing_subscriber::filter::Directive>()
                    .is_ok(),
                "{directive}"
            );
        }
    }

    #[test]
    fn events_are_redacted_whole_even_when_written_in_pieces() {
        let token = "1:SECRETSECRET";
        let mut event = Redacting::new(token).make_writer();
        event.write_all(b"a SECRET").unwrap();
        event.write_all(b"SECRET b\n").unwrap();
        // Taken out, so dropping the event does not print to the test's stderr.
        let buf = std::mem::take(&mut event.buf);
        assert_eq!(
            redact(&String::from_utf8_lossy(&buf), &event.token),
            format!("a {REDACTED} b\n")
        );
    }
}
