//! The bot's errors: [`BotError`], a Telegram request that failed while
//! answering an update (logged, never fatal), [`ReloadError`], why a reload
//! was refused (the old knowledge base keeps serving), and [`StartError`], why
//! `qabot run` could not start (each says what to do; [`crate::errors::UserError::is_bad_input`]
//! picks the exit code).

use teloxide::RequestError;

use crate::config::ConfigError;
use crate::knowledge::KnowledgeError;

use super::client::{API_URL_VAR, PROXY_VAR, TOKEN_VAR};
use super::webhook::SECRET_VAR;

/// What endpoints return.
pub type HandlerResult = Result<(), BotError>;

/// A Telegram request that failed while answering an update.
#[derive(Debug, thiserror::Error)]
#[error("Telegram request failed: {0}")]
pub struct BotError(#[from] RequestError);

/// Why a reload (SIGHUP, `/reload`) was refused; the knowledge base and
/// matcher loaded before keep answering.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Knowledge(#[from] KnowledgeError),
    /// Loading or indexing stopped on a bug; the message is the panic's.
    #[error("loading the knowledge base failed unexpectedly: {0}")]
    Crashed(String),
}

impl ReloadError {
    /// The error in one line, for an admin's chat: what is wrong and the
    /// file and line of the first problem; hints and the rest are logged.
    pub fn headline(&self) -> String {
        match self {
            ReloadError::Config(error) => error.headline(),
            ReloadError::Knowledge(error) => error.headline(),
            ReloadError::Crashed(_) => self.to_string(),
        }
    }
}

/// Why the bot could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "{TOKEN_VAR} is not set: get a token from @BotFather on Telegram, then run `{TOKEN_VAR}=<token> qabot run`"
    )]
    MissingToken,
    #[error(
        "{TOKEN_VAR} is empty: set it to the token @BotFather gave you, like `{TOKEN_VAR}=123456789:AA… qabot run`"
    )]
    EmptyToken,
    #[error(
        "{TOKEN_VAR} does not look like a bot token ({reason}): a token is the bot's number, ':' and its secret, like 123456789:AA…; copy it again from @BotFather (/mybots → API Token)"
    )]
    MalformedToken { reason: &'static str },
    #[error(
        "{API_URL_VAR} is not a usable URL ({value:?}: {reason}); unset it to use Telegram's, or set it like http://127.0.0.1:8081"
    )]
    BadApiUrl { value: String, reason: String },
    #[error(
        "{PROXY_VAR} is not a usable proxy ({reason}); unset it, or set it to an HTTP(S) proxy like http://127.0.0.1:3128"
    )]
    BadProxy { reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error(
        "the Bot API at {api} rejected the token in {TOKEN_VAR} ({reason}): copy it again from @BotFather (/mybots → API Token)"
    )]
    RejectedToken { api: String, reason: String },
    #[error("cannot reach the Bot API at {api}: {reason}")]
    Unreachable { api: String, reason: String },
    #[error(
        "[bot.webhook] is set but {SECRET_VAR} is not: set it to a secret of 1–256 letters, digits, '_' or '-' (e.g. the output of `openssl rand -hex 32`)"
    )]
    MissingWebhookSecret,
    #[error(
        "{SECRET_VAR} is not a secret Telegram accepts: use 1–256 letters, digits, '_' or '-' (e.g. the output of `openssl rand -hex 32`)"
    )]
    BadWebhookSecret,
    #[error("[bot.webhook] url is not a usable URL ({url:?}: {reason})")]
    BadWebhookUrl { url: String, reason: String },
    #[error(
        "Telegram refused the webhook at {url} ({reason}): set [bot.webhook] url to an https:// URL on port 443, 80, 88 or 8443 that Telegram can reach, with a certificate it trusts"
    )]
    WebhookRefused { url: String, reason: String },
    #[error(
        "cannot listen on {address} for the webhook ({reason}): change [bot.webhook] listen, or stop what uses that port"
    )]
    Listen { address: String, reason: String },
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
}

impl crate::errors::UserError for StartError {
    /// The user can fix it by changing their settings.
    fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StartError::MissingToken
                | StartError::EmptyToken
                | StartError::MalformedToken { .. }
                | StartError::BadApiUrl { .. }
                | StartError::BadProxy { .. }
                | StartError::RejectedToken { .. }
                | StartError::MissingWebhookSecret
                | StartError::BadWebhookSecret
                | StartError::BadWebhookUrl { .. }
                | StartError::WebhookRefused { .. }
                | StartError::Listen { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::InvalidConfig;
    use crate::knowledge::Problem;
    use crate::located::Located;

    fn problem(file: &str, line: Option<usize>, message: &str) -> Problem {
        Problem {
            file: file.into(),
            line,
            message: message.into(),
            hint: "fix it".into(),
        }
    }

    #[test]
    fn a_reload_error_is_told_in_one_line_with_its_first_problem() {
        let cases: [(ReloadError, &str); 4] = [
            (
                KnowledgeError {
                    problems: vec![
                        problem("k/knowledge.toml", Some(7), "bad"),
                        problem("k/column.txt", None, "gone"),
                    ],
                }
                .into(),
                "invalid knowledge base (2 problems): k/knowledge.toml:7: bad",
            ),
            (
                ConfigError::Invalid(
                    Located::on_line("qabot.toml".as_ref(), 3, InvalidConfig("x".into()))
                        .at_column(5),
                )
                .into(),
                "qabot.toml:3:5: invalid config: x",
            ),
            (
                ConfigError::TooLarge {
                    path: "big.toml".into(),
                    bytes: 9_000_000,
                }
                .into(),
                "big.toml: the config file is 9000000 bytes, over the 1048576 byte limit",
            ),
            (
                ReloadError::Crashed("boom".into()),
                "loading the knowledge base failed unexpectedly: boom",
            ),
        ];
        for (error, headline) in cases {
            assert_eq!(error.headline(), headline, "{error:?}");
            assert!(!error.headline().contains('\n'));
        }
    }
}
