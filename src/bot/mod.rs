//! The Telegram front end (`qabot run`), and the only module that knows
//! teloxide. It long-polls the Bot API and puts the core in front of
//! Telegram users: questions go to the [`Matcher`](crate::matcher::Matcher),
//! replies come from the one [`Renderer`](crate::answer::Renderer), sent as
//! HTML.
//!
//! - [`schema`] is the handler tree; its endpoints (in `handlers`) get their
//!   state — the knowledge base, the matcher, the `[bot]` config and the
//!   bot's own [`Me`] — from the dispatcher's dependencies.
//! - `commands` decides, without I/O, what a message asks for; `callback`
//!   holds the inline keyboards and their self-contained button data;
//!   `texts` the bot's own words; `send` and [`html`] the sending, splitting
//!   and retrying; [`logging`] the token-safe logs.
//! - [`bot`], [`start`] and [`Service::run`] are the lifecycle, which tests
//!   drive against a fake Bot API; [`run`] adds the environment, logging and
//!   signals for the binary.

mod callback;
mod commands;
mod handlers;
pub mod html;
pub mod logging;
mod send;
mod texts;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::{Limits, Settings};
use teloxide::dispatching::ShutdownToken;
use teloxide::dispatching::{DefaultKey, Dispatcher, UpdateHandler};
use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, Me};
use teloxide::update_listeners::Polling;

use crate::config::{BotConfig, Config, LogFormat};
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Lang, Matcher};

/// The environment variable holding the bot token (the only place it is read from).
pub const TOKEN_VAR: &str = "TELOXIDE_TOKEN";
/// The environment variable holding the Bot API base URL.
pub const API_URL_VAR: &str = "TELOXIDE_API_URL";
/// The environment variable holding an HTTP(S) proxy for the Bot API.
pub const PROXY_VAR: &str = "TELOXIDE_PROXY";
/// Telegram's Bot API, used when [`API_URL_VAR`] is unset.
pub const TELEGRAM_API_URL: &str = "https://api.telegram.org";

/// The bot as handlers see it: requests go through the flood-limit adaptor.
pub type TgBot = Throttle<Bot>;

/// What endpoints return.
pub type HandlerResult = Result<(), BotError>;

/// A Telegram request that failed while answering an update.
#[derive(Debug, thiserror::Error)]
#[error("Telegram request failed: {0}")]
pub struct BotError(#[from] RequestError);

/// Why the bot could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "{TOKEN_VAR} is not set: get a token from @BotFather on Telegram, then run `{TOKEN_VAR}=<token> qabot run`"
    )]
    MissingToken,
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
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
}

impl StartError {
    /// Whether the user can fix it by changing their settings (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StartError::MissingToken
                | StartError::BadApiUrl { .. }
                | StartError::BadProxy { .. }
                | StartError::RejectedToken { .. }
        )
    }
}

/// The token from the environment; blank counts as unset.
pub fn token_from_env() -> Result<String, StartError> {
    match std::env::var(TOKEN_VAR) {
        Ok(token) if !token.trim().is_empty() => Ok(token.trim().to_owned()),
        _ => Err(StartError::MissingToken),
    }
}

/// A bot for `token` talking to `api_url` (Telegram's when `None`), through
/// `proxy` if given. Must be called inside a Tokio runtime: the throttle's
/// worker is spawned on it.
pub fn bot(
    token: &str,
    api_url: Option<&str>,
    proxy: Option<&str>,
    config: &BotConfig,
) -> Result<TgBot, StartError> {
    let mut client = teloxide::net::default_reqwest_settings();
    if let Some(proxy) = proxy {
        let bad = |reason: String| StartError::BadProxy { reason };
        let url = reqwest::Url::parse(proxy.trim()).map_err(|e| bad(e.to_string()))?;
        // The HTTP client is built without SOCKS support.
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad(format!("{}:// is not supported", url.scheme())));
        }
        let proxy = reqwest::Proxy::all(url).map_err(|e| bad(logging::one_line(&e)))?;
        client = client.proxy(proxy);
    }
    let client = client
        .build()
        .map_err(|e| StartError::Client(e.to_string()))?;
    let mut bot = Bot::with_client(token, client);
    if let Some(value) = api_url {
        // A trailing slash would double the one teloxide puts before `bot<token>`.
        let url = reqwest::Url::parse(value.trim().trim_end_matches('/')).map_err(|e| {
            StartError::BadApiUrl {
                value: value.to_owned(),
                reason: e.to_string(),
            }
        })?;
        if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
            return Err(StartError::BadApiUrl {
                value: value.to_owned(),
                reason: "not an http(s) URL".into(),
            });
        }
        bot = bot.set_api_url(url);
    }
    let limits = if config.throttle {
        Limits::default()
    } else {
        // Still the adaptor, for its 429 retries; just never pacing.
        Limits {
            messages_per_sec_chat: 1000,
            messages_per_min_chat: 1000,
            messages_per_min_channel_or_supergroup: 1000,
            messages_per_sec_overall: 1000,
        }
    };
    Ok(Throttle::spawn_with_settings(
        bot,
        Settings::default().limits(limits),
    ))
}

/// The handler tree: one endpoint per kind of update the bot answers.
/// Telegram is asked only for these kinds (teloxide derives
/// `allowed_updates` from the tree).
pub fn schema() -> UpdateHandler<BotError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(handlers::message))
        .branch(Update::filter_edited_message().endpoint(handlers::message))
        .branch(Update::filter_callback_query().endpoint(handlers::callback))
        .branch(Update::filter_inline_query().endpoint(handlers::inline))
        .branch(Update::filter_my_chat_member().endpoint(handlers::my_chat_member))
}

/// A started bot, ready to poll.
pub struct Service {
    bot: TgBot,
    me: Me,
    config: Arc<BotConfig>,
    dispatcher: Dispatcher<TgBot, BotError, DefaultKey>,
}

/// Checks the token (getMe), registers the commands, logs what it runs as,
/// and builds the dispatcher.
pub async fn start(
    bot: TgBot,
    kb: Arc<KnowledgeBase>,
    matcher: Arc<Matcher>,
    config: Arc<BotConfig>,
) -> Result<Service, StartError> {
    // A network blip at start is retried like any other; a refusal is final.
    let me = send::retrying(&config, || bot.get_me().send())
        .await
        .map_err(|e| start_error(&bot, e))?;
    register_commands(&bot, &config).await;
    tracing::info!(
        username = me.user.username.as_deref().unwrap_or(""),
        id = me.user.id.0,
        knowledge = %kb.origin,
        entries = kb.entries.len(),
        "running as @{} with knowledge base {} ({} entries, {} steps)",
        me.user.username.as_deref().unwrap_or("?"),
        kb.origin,
        kb.entries.len(),
        kb.step_count(),
    );
    let dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![kb, matcher, config.clone()])
        .default_handler(|update| async move {
            tracing::debug!(update = update.id.0, "no handler for this update");
        })
        .error_handler(Arc::new(LogErrors("could not answer an update")))
        .build();
    Ok(Service {
        bot,
        me,
        config,
        dispatcher,
    })
}

fn start_error(bot: &TgBot, error: RequestError) -> StartError {
    let api = bot.inner().api_url().to_string();
    // What the user reads when the bot will not start: one line, with the
    // causes ("connection refused"), and only the start of a non-JSON answer
    // (an HTML error page, say).
    let reason: String = logging::redact(&logging::one_line(&error), bot.inner().token())
        .chars()
        .take(300)
        .collect();
    match error {
        RequestError::Api(_) => StartError::RejectedToken { api, reason },
        _ => StartError::Unreachable { api, reason },
    }
}

/// `setMyCommands` in English and in Korean. A failure only costs the
/// command menu, so it is logged, not fatal.
async fn register_commands(bot: &TgBot, config: &BotConfig) {
    for lang in [Lang::En, Lang::Ko] {
        let commands: Vec<BotCommand> = texts::command_list(lang)
            .iter()
            .map(|(name, about)| BotCommand::new(*name, *about))
            .collect();
        let mut request = bot.set_my_commands(commands);
        if lang == Lang::Ko {
            request = request.language_code("ko");
        }
        if let Err(e) = send::retrying(config, || request.send_ref()).await {
            tracing::warn!(error = %e, ?lang, "could not register the bot's commands");
        }
    }
}

impl Service {
    /// The bot's own user, as getMe returned it.
    pub fn me(&self) -> &Me {
        &self.me
    }

    /// Stops [`Service::run`] once it is polling (before that, shutting
    /// down returns an error: retry it).
    pub fn shutdown_token(&self) -> ShutdownToken {
        self.dispatcher.shutdown_token()
    }

    /// Long-polls and answers until shut down; replies in flight finish
    /// before it returns.
    pub async fn run(mut self) -> Result<(), StartError> {
        let config = self.config.clone();
        let listener = Polling::builder(self.bot.clone())
            .timeout(Duration::from_secs(config.poll_timeout_secs.into()))
            .backoff_strategy(move |errors| send::backoff(&config, errors))
            .delete_webhook()
            .await
            .build();
        let errors = Arc::new(LogErrors("could not get updates"));
        let bot = self.bot.clone();
        self.dispatcher
            .try_dispatch_with_listener(listener, errors)
            .await
            .map_err(|e| start_error(&bot, e))
    }
}

/// Logs errors through tracing (the dispatcher's default uses `log` and
/// Debug formatting).
struct LogErrors(&'static str);

impl<E: std::error::Error + Send + 'static> ErrorHandler<E> for LogErrors {
    fn handle_error(
        self: Arc<Self>,
        error: E,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        tracing::warn!(error = %logging::one_line(&error), "{}", self.0);
        Box::pin(async {})
    }
}

/// `qabot run`: reads the token and API URL from the environment, starts
/// logging, answers until SIGINT or SIGTERM, and returns the exit code.
pub fn run(
    config: &Config,
    kb: KnowledgeBase,
    log_format: Option<LogFormat>,
) -> anyhow::Result<i32> {
    let token = token_from_env()?;
    let env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (api_url, proxy) = (env(API_URL_VAR), env(PROXY_VAR));
    logging::init(&config.log, log_format.unwrap_or(config.log.format), &token);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    runtime.block_on(async {
        // Installed first, so a signal during start-up is ours, not a kill.
        let mut signals = Signals::install().map_err(StartError::Runtime)?;
        let matcher = Matcher::new(&kb, config.matcher.clone());
        let bot = bot(&token, api_url.as_deref(), proxy.as_deref(), &config.bot)?;
        let starting = start(
            bot,
            Arc::new(kb),
            Arc::new(matcher),
            Arc::new(config.bot.clone()),
        );
        let service = tokio::select! {
            service = starting => service?,
            signal = signals.recv() => {
                tracing::info!(signal, "stopped before the bot started");
                return Ok(0);
            }
        };
        let shutdown = service.shutdown_token();
        tokio::spawn(async move {
            let signal = signals.recv().await;
            tracing::info!(signal, "stopping: finishing the replies in flight");
            // The dispatcher refuses a shutdown until it is listening.
            while shutdown.shutdown().is_err() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        service.run().await?;
        tracing::info!("stopped");
        Ok(0)
    })
}

/// SIGINT and SIGTERM, both meaning "stop cleanly".
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => "SIGINT",
                _ = self.terminate.recv() => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unusable_api_url_is_bad_input() {
        for url in ["not a url", "ftp://127.0.0.1/", "mailto:bot@example.com"] {
            let error = bot("1:x", Some(url), None, &BotConfig::default())
                .err()
                .unwrap_or_else(|| panic!("{url} accepted"));
            assert!(matches!(error, StartError::BadApiUrl { .. }), "{error}");
            assert!(error.is_bad_input());
            assert!(error.to_string().contains(API_URL_VAR));
        }
    }

    #[tokio::test]
    async fn only_http_proxies_are_accepted() {
        let config = BotConfig::default();
        for proxy in ["socks5://127.0.0.1:1080", "not a url", "ftp://127.0.0.1:21"] {
            let error = bot("1:x", None, Some(proxy), &config)
                .err()
                .unwrap_or_else(|| panic!("{proxy} accepted"));
            assert!(matches!(error, StartError::BadProxy { .. }), "{error}");
            assert!(error.is_bad_input());
            assert!(error.to_string().contains(PROXY_VAR), "{error}");
        }
        for proxy in ["http://127.0.0.1:3128", "https://user:pass@127.0.0.1:3129"] {
            assert!(bot("1:x", None, Some(proxy), &config).is_ok(), "{proxy}");
        }
    }
}
