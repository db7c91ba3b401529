//! The Telegram front end (`qabot run`), and the only module that knows
//! teloxide. It long-polls the Bot API (or, with `[bot.webhook]`, receives
//! updates on its own HTTP server, see [`webhook`]) and puts the core in front of
//! Telegram users: questions go to the [`Matcher`],
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
//!   signals for the binary. [`Telegram`] is the client: sendMessage paced
//!   to the flood limits when `[bot] throttle` is on, the rest plain.
//! - Each question, "did you mean" pick and 👍 / 👎 vote is handed to the
//!   [`QuestionLog`] (a dependency like
//!   the others), which queues it without waiting; admins' `/stats` reads
//!   it back.
//! - [`Live`] holds the knowledge base and matcher the handlers answer
//!   with; it replaces them on SIGHUP (set up by `run`) and on `/reload`
//!   from a user in `[bot] admins`, keeping the old pair when the new one
//!   does not load.
//! - Failures of the Bot API are survived, not propagated: a failed poll is
//!   logged in one line and polling goes on (teloxide keeps the offset), an
//!   update teloxide cannot parse is skipped in one line, a failed reply is
//!   retried by `send` and, when final, logged in one line
//!   (docs/RELIABILITY.md, "Faults").

mod callback;
mod commands;
mod handlers;
pub mod html;
pub mod logging;
mod send;
mod texts;
pub mod webhook;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use futures_util::stream::{BoxStream, StreamExt};
use teloxide::RequestError;
use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::{Limits, Settings};
use teloxide::dispatching::ShutdownToken;
use teloxide::dispatching::{DefaultKey, Dispatcher, UpdateHandler};
use teloxide::error_handlers::{ErrorHandler, IgnoringErrorHandlerSafe};
use teloxide::prelude::*;
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, BotCommand, Me, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, Polling, UpdateListener};

use crate::config::{BotConfig, Config, LogFormat, WebhookConfig};
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Lang, Matcher, MatcherConfig};
use crate::question_log::{self, QuestionLog};

/// The environment variable holding the bot token (the only place it is read from).
pub const TOKEN_VAR: &str = "TELOXIDE_TOKEN";
/// The environment variable holding the Bot API base URL.
pub const API_URL_VAR: &str = "TELOXIDE_API_URL";
/// The environment variable holding an HTTP(S) proxy for the Bot API.
pub const PROXY_VAR: &str = "TELOXIDE_PROXY";
/// How long a stopping bot waits for the question log to write what it
/// holds (longer only when the database is down, and then in vain).
const LOG_FLUSH_AT_STOP: Duration = Duration::from_secs(5);

/// Telegram's Bot API, used when [`API_URL_VAR`] is unset.
pub const TELEGRAM_API_URL: &str = "https://api.telegram.org";

/// The Bot API as the bot uses it: plain requests, and sendMessage paced to
/// Telegram's flood limits when `[bot] throttle` is on.
///
/// Only sendMessage is paced, so only it goes through teloxide's
/// [`Throttle`] adaptor; the rest (getUpdates, edits, callback and inline
/// answers) go straight out, as they would through the adaptor. Without
/// throttling the adaptor is left out altogether: even with limits set high
/// it releases requests in rounds every 250 ms, capped at its per-second
/// limit, which made it the bottleneck of the load test (about 1,000
/// updates/s, p50 5 s).
#[derive(Clone)]
pub struct Telegram {
    bot: Bot,
    throttle: Option<Throttle<Bot>>,
}

impl Telegram {
    /// Requests that are not paced.
    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// The pacer of sendMessage, when throttling is on.
    fn throttle(&self) -> Option<&Throttle<Bot>> {
        self.throttle.as_ref()
    }
}

/// The knowledge base and the matcher built on it, as the handlers read
/// them: replaced whole on reload (SIGHUP or an admin's `/reload`), so an
/// update in flight keeps the pair it started with and the next one gets
/// the new pair. Readers only clone two `Arc`s under the lock, which a
/// reload holds just as long.
#[derive(Clone)]
pub struct Live {
    pair: Arc<RwLock<(Arc<KnowledgeBase>, Arc<Matcher>)>>,
    /// Where a reload reads from; set by [`run`] once the bot has started
    /// (the dispatcher, which holds this `Live`, is built before).
    source: Arc<OnceLock<Reload>>,
}

impl Live {
    pub fn new(kb: Arc<KnowledgeBase>, matcher: Arc<Matcher>) -> Live {
        Live {
            pair: Arc::new(RwLock::new((kb, matcher))),
            source: Arc::default(),
        }
    }

    /// The knowledge base and matcher in force now.
    pub fn current(&self) -> (Arc<KnowledgeBase>, Arc<Matcher>) {
        self.pair.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a new pair in force for the updates that come next.
    pub fn replace(&self, kb: KnowledgeBase, matcher: Matcher) {
        *self.pair.write().unwrap_or_else(|e| e.into_inner()) = (Arc::new(kb), Arc::new(matcher));
    }

    /// Where [`Live::reload`] reads from; only the first call counts.
    pub fn set_source(&self, reload: Reload) {
        let _ = self.source.set(reload);
    }

    /// Reloads the knowledge base and matcher settings (SIGHUP, `/reload`),
    /// logging the outcome. Loading and indexing run off the runtime's
    /// workers, so updates keep being answered, with the old pair, until
    /// the new one is swapped in; one that fails to load is rejected and
    /// the old one keeps serving. The outcome in one line: what is now in
    /// force, or the first line of what is wrong (with file and line).
    pub async fn reload(&self, trigger: &str) -> Result<String, String> {
        tracing::info!("{trigger}: reloading the knowledge base and [matcher] settings");
        let source = self.source.clone();
        let built = tokio::task::spawn_blocking(move || {
            let reload = source
                .get()
                .ok_or_else(|| anyhow::anyhow!("this bot has nothing to reload from"))?;
            let (kb, settings) = reload()?;
            let matcher = Matcher::new(&kb, settings);
            anyhow::Ok((kb, matcher))
        })
        .await;
        let error = match built {
            Ok(Ok((kb, matcher))) => {
                let summary = format!(
                    "knowledge base {} ({} entries, {} steps)",
                    kb.origin,
                    kb.entries.len(),
                    kb.step_count()
                );
                tracing::info!(
                    knowledge = %kb.origin,
                    entries = kb.entries.len(),
                    "reloaded: {summary}; [bot] and [log] changes need a restart",
                );
                self.replace(kb, matcher);
                return Ok(summary);
            }
            Ok(Err(error)) => {
                let error = format!("{error:#}");
                tracing::error!(
                    error = %error,
                    "reload rejected, still answering with the knowledge base loaded before"
                );
                error
            }
            Err(panic) => {
                let error = panic.to_string();
                tracing::error!(
                    error = %error,
                    "reload failed, still answering with the knowledge base loaded before"
                );
                error
            }
        };
        Err(headline(&error))
    }
}

/// An error in one line, for a chat: its first line, and when that only
/// announces a list ("invalid knowledge base (2 problems):"), the first
/// item too, which names the file and line. Hints and the rest are in the log.
fn headline(error: &str) -> String {
    let mut lines = error.lines().map(str::trim);
    let first = lines.next().unwrap_or("");
    match lines.next() {
        Some(item) if first.ends_with(':') => format!("{first} {item}"),
        _ => first.to_owned(),
    }
}

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
        "cannot listen on {address} for the webhook ({reason}): change [bot.webhook] listen, or stop what uses that port"
    )]
    Listen { address: String, reason: String },
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
                | StartError::MissingWebhookSecret
                | StartError::BadWebhookSecret
                | StartError::BadWebhookUrl { .. }
                | StartError::Listen { .. }
        )
    }
}

pub use webhook::SECRET_VAR;

/// The webhook's secret token from the environment, when `[bot.webhook]`
/// asks for one; blank counts as unset.
pub fn webhook_secret_from_env(config: &BotConfig) -> Result<Option<String>, StartError> {
    if config.webhook.is_none() {
        return Ok(None);
    }
    match std::env::var(SECRET_VAR) {
        Ok(secret) if !secret.trim().is_empty() => {
            let secret = secret.trim().to_owned();
            if webhook::valid_secret(&secret) {
                Ok(Some(secret))
            } else {
                Err(StartError::BadWebhookSecret)
            }
        }
        _ => Err(StartError::MissingWebhookSecret),
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
) -> Result<Telegram, StartError> {
    // teloxide's settings (connect timeout, no Nagle), with our timeout.
    let mut client = teloxide::net::default_reqwest_settings()
        .timeout(Duration::from_millis(config.request_timeout_ms));
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
    let throttle = config.throttle.then(|| {
        // 429s are retried (and logged) by `send::retrying`, like every other
        // failure; the adaptor still pauses all sending when one comes.
        let settings = Settings::default()
            .limits(Limits::default())
            .no_retry()
            .on_queue_full(|pending| async move {
                tracing::warn!(pending, "flood-limit queue full: replies are waiting");
            });
        Throttle::spawn_with_settings(bot.clone(), settings)
    });
    Ok(Telegram { bot, throttle })
}

/// The kinds of update [`schema`] handles, for setWebhook, which is sent
/// before the dispatcher that could derive them exists (its listener warns
/// if they ever differ).
const ALLOWED: [AllowedUpdate; 6] = [
    AllowedUpdate::Message,
    AllowedUpdate::EditedMessage,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::InlineQuery,
    AllowedUpdate::ChosenInlineResult,
    AllowedUpdate::MyChatMember,
];

/// The handler tree: one endpoint per kind of update the bot answers.
/// Telegram is asked only for these kinds (teloxide derives
/// `allowed_updates` from the tree).
pub fn schema() -> UpdateHandler<BotError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(handlers::message))
        .branch(Update::filter_edited_message().endpoint(handlers::message))
        .branch(Update::filter_callback_query().endpoint(handlers::callback))
        .branch(Update::filter_inline_query().endpoint(handlers::inline))
        .branch(Update::filter_chosen_inline_result().endpoint(handlers::chosen_inline_result))
        .branch(Update::filter_my_chat_member().endpoint(handlers::my_chat_member))
}

/// A started bot, ready to poll or, with a webhook, to take updates.
pub struct Service {
    tg: Telegram,
    me: Me,
    config: Arc<BotConfig>,
    dispatcher: Dispatcher<Bot, BotError, DefaultKey>,
    webhook: Option<webhook::Server>,
    live: Live,
}

/// Checks the token (getMe), registers the commands, logs what it runs as,
/// and builds the dispatcher, for long polling. With `[bot.webhook]` set,
/// use [`start_with`].
pub async fn start(
    tg: Telegram,
    kb: Arc<KnowledgeBase>,
    matcher: Arc<Matcher>,
    config: Arc<BotConfig>,
) -> Result<Service, StartError> {
    start_with(tg, kb, matcher, config, None, QuestionLog::disabled()).await
}

/// [`start`], and with `[bot.webhook]` set (and its `secret`): listens,
/// then tells Telegram to send updates there (setWebhook). Questions,
/// picks and votes go to `log`.
pub async fn start_with(
    tg: Telegram,
    kb: Arc<KnowledgeBase>,
    matcher: Arc<Matcher>,
    config: Arc<BotConfig>,
    secret: Option<String>,
    log: QuestionLog,
) -> Result<Service, StartError> {
    // Settings the user must fix fail before anything is sent.
    let hook = match &config.webhook {
        None => None,
        Some(hook) => {
            let secret = secret.ok_or(StartError::MissingWebhookSecret)?;
            if !webhook::valid_secret(&secret) {
                return Err(StartError::BadWebhookSecret);
            }
            let url = reqwest::Url::parse(&hook.url).map_err(|e| StartError::BadWebhookUrl {
                url: hook.url.clone(),
                reason: e.to_string(),
            })?;
            let listener = tokio::net::TcpListener::bind(hook.listen)
                .await
                .map_err(|e| StartError::Listen {
                    address: hook.listen.to_string(),
                    reason: e.to_string(),
                })?;
            Some((hook, url, listener, secret))
        }
    };
    let bot = tg.bot();
    // A network blip at start is retried like any other; a refusal is final.
    let me = send::retrying(&config, || bot.get_me().send())
        .await
        .map_err(|e| start_error(bot, e))?;
    register_commands(bot, &config, kb.step_count()).await;
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
    let webhook = match hook {
        None => None,
        Some((hook, url, listener, secret)) => {
            Some(set_webhook(bot, &config, hook, url, listener, secret).await?)
        }
    };
    let live = Live::new(kb, matcher);
    let dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![
            live.clone(),
            config.clone(),
            tg.clone(),
            log.clone()
        ])
        .default_handler(|update| async move {
            tracing::debug!(update = update.id.0, "no handler for this update");
        })
        .error_handler(Arc::new(LogErrors))
        .build();
    Ok(Service {
        tg,
        me,
        config,
        dispatcher,
        webhook,
        live,
    })
}

/// Serves the webhook on `listener`, then points Telegram at it. The
/// server comes first, so the first update Telegram sends finds it up.
async fn set_webhook(
    bot: &Bot,
    config: &BotConfig,
    hook: &WebhookConfig,
    url: reqwest::Url,
    listener: tokio::net::TcpListener,
    secret: String,
) -> Result<webhook::Server, StartError> {
    let server = webhook::Server::start(listener, hook, url.path(), &secret);
    let request = bot
        .set_webhook(url)
        .secret_token(secret)
        .allowed_updates(ALLOWED);
    if let Err(e) = send::retrying(config, || request.send_ref()).await {
        server.stop().await;
        return Err(start_error(bot, e));
    }
    tracing::info!(
        url = %hook.url,
        listen = %server.address,
        "receiving updates by webhook at {}, listening on {}",
        hook.url,
        server.address,
    );
    Ok(server)
}

fn start_error(bot: &Bot, error: RequestError) -> StartError {
    let api = bot.api_url().to_string();
    // What the user reads when the bot will not start: one line, with the
    // causes ("connection refused"), and only the start of a non-JSON answer
    // (an HTML error page, say).
    let reason: String = logging::redact(&logging::one_line(&error), bot.token())
        .chars()
        .take(300)
        .collect();
    match error {
        RequestError::Api(_) => StartError::RejectedToken { api, reason },
        _ => StartError::Unreachable { api, reason },
    }
}

/// `setMyCommands` in English and in Korean, for a knowledge base of
/// `steps` steps. A failure only costs the command menu, so it is logged,
/// not fatal.
async fn register_commands(bot: &Bot, config: &BotConfig, steps: u8) {
    for lang in [Lang::En, Lang::Ko] {
        let commands: Vec<BotCommand> = texts::command_list(lang, steps)
            .iter()
            .map(|(name, about)| BotCommand::new(*name, about))
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

    /// The knowledge base and matcher the handlers answer with, for reloads.
    pub fn live(&self) -> Live {
        self.live.clone()
    }

    /// Stops taking updates from the webhook, if there is one: new requests
    /// get 503, and the dispatcher ends once it has taken what was accepted.
    /// Needed besides [`Service::shutdown_token`] because teloxide's
    /// dispatcher looks for a shutdown only when no update is waiting, which
    /// under a steady stream of webhook requests is never.
    pub fn webhook_stop_token(&self) -> Option<StopToken> {
        self.webhook.as_ref().map(webhook::Server::stop_token)
    }

    /// Stops [`Service::run`] once it is polling (before that, shutting
    /// down returns an error: retry it).
    pub fn shutdown_token(&self) -> ShutdownToken {
        self.dispatcher.shutdown_token()
    }

    /// Long-polls (or takes updates from the webhook) and answers until
    /// shut down; replies in flight finish before it returns.
    pub async fn run(mut self) -> Result<(), StartError> {
        let result = self.dispatch().await;
        if let Some(server) = self.webhook.take() {
            // The webhook stays set: other instances may be serving it, and
            // Telegram keeps what it cannot deliver until one answers.
            server.stop().await;
        }
        result
    }

    async fn dispatch(&mut self) -> Result<(), StartError> {
        // The pause polling takes after a failure, for the line that logs it.
        let pause_ms = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(PollErrors {
            pause_ms: pause_ms.clone(),
        });
        let mut attempt = 0;
        loop {
            let outcome = match &self.webhook {
                Some(server) => {
                    self.dispatcher
                        .try_dispatch_with_listener(
                            server.listener(),
                            Arc::new(IgnoringErrorHandlerSafe),
                        )
                        .await
                }
                None => {
                    let listener = self.listener(pause_ms.clone()).await;
                    self.dispatcher
                        .try_dispatch_with_listener(listener, errors.clone())
                        .await
                }
            };
            let Err(error) = outcome else {
                return Ok(());
            };
            // The dispatcher asks getMe once more before it polls, and gives
            // up on any failure: a blip in that moment must not stop a bot
            // that has already started.
            let Some((wait, what)) = send::transient(&self.config, &error, attempt)
                .filter(|_| attempt < self.config.send_retries)
            else {
                return Err(start_error(self.tg.bot(), error));
            };
            tracing::warn!(
                error = %logging::error_line(&error),
                retry_in_ms = wait.as_millis() as u64,
                "could not start polling: {what}"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Long polling with the configured timeout and backoff, which notes
    /// each pause it takes in `pause_ms`.
    async fn listener(&self, pause_ms: Arc<AtomicU64>) -> Readable {
        let config = self.config.clone();
        let polling = Polling::builder(self.tg.bot().clone())
            .timeout(Duration::from_secs(config.poll_timeout_secs.into()))
            .backoff_strategy(move |errors| {
                let wait = send::backoff(&config, errors);
                pause_ms.store(wait.as_millis() as u64, Ordering::Relaxed);
                wait
            })
            .delete_webhook()
            .await
            .build();
        Readable(polling)
    }
}

/// Long polling, less the updates teloxide cannot read: kinds newer than
/// it, or known kinds it fails to parse. Its dispatcher would log each as a
/// multi-line error asking for a bug report; this logs one line and skips
/// it. Polling has already moved its offset past the update, so it is
/// neither lost to the updates around it nor fetched again.
struct Readable(Polling<Bot>);

impl UpdateListener for Readable {
    type Err = RequestError;

    fn stop_token(&mut self) -> StopToken {
        self.0.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.0.hint_allowed_updates(hint);
    }
}

impl<'a> AsUpdateStream<'a> for Readable {
    type StreamErr = RequestError;
    type Stream = BoxStream<'a, Result<Update, RequestError>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        self.0
            .as_stream()
            .filter(|update| std::future::ready(update.as_ref().map_or(true, readable)))
            .boxed()
    }
}

/// Whether the dispatcher should see `update`; logs the ones it should not.
fn readable(update: &Update) -> bool {
    let Update {
        id,
        kind: UpdateKind::Error(raw),
    } = update
    else {
        return true;
    };
    let kind = raw
        .as_object()
        .and_then(|fields| fields.keys().find(|k| *k != "update_id"))
        .map_or("?", String::as_str);
    tracing::warn!(
        update = id.0,
        kind,
        "skipped an update this bot cannot read"
    );
    false
}

/// Logs a failed getUpdates in one line, with the pause before the next
/// poll (teloxide's own line for it is quieted, see [`logging::QUIET`]).
struct PollErrors {
    /// The last pause the backoff strategy chose.
    pause_ms: Arc<AtomicU64>,
}

impl ErrorHandler<RequestError> for PollErrors {
    fn handle_error(
        self: Arc<Self>,
        error: RequestError,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        // Polling waits what a 429 says, else what the backoff chose just now.
        let pause = match &error {
            RequestError::RetryAfter(after) => after.duration(),
            _ => Duration::from_millis(self.pause_ms.load(Ordering::Relaxed)),
        };
        tracing::warn!(
            error = %logging::error_line(&error),
            retry_in_ms = pause.as_millis() as u64,
            "could not get updates"
        );
        Box::pin(async {})
    }
}

/// Logs a failed answer through tracing, in one line (the dispatcher's
/// default uses `log` and Debug formatting).
struct LogErrors;

impl ErrorHandler<BotError> for LogErrors {
    fn handle_error(
        self: Arc<Self>,
        error: BotError,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        tracing::warn!(error = %logging::error_line(&error), "could not answer an update");
        Box::pin(async {})
    }
}

/// Loads the knowledge base and the `[matcher]` settings afresh, from where
/// they came at start (for SIGHUP and `/reload`); an error says what is wrong, and where.
pub type Reload = Box<dyn Fn() -> anyhow::Result<(KnowledgeBase, MatcherConfig)> + Send + Sync>;

/// `qabot run`: reads the token and API URL from the environment, starts
/// logging, answers until SIGINT or SIGTERM, reloads the knowledge base and
/// matcher settings on SIGHUP, and returns the exit code.
pub fn run(
    config: &Config,
    kb: KnowledgeBase,
    log_format: Option<LogFormat>,
    reload: Reload,
) -> anyhow::Result<i32> {
    let token = token_from_env()?;
    let secret = webhook_secret_from_env(&config.bot)?;
    let env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (api_url, proxy) = (env(API_URL_VAR), env(PROXY_VAR));
    let log_settings = question_log::Settings::from_config(&config.question_log)?;
    let format = log_format.unwrap_or(config.log.format);
    // The database password and the hashes' key are secrets too.
    let others: Vec<&str> = secret
        .iter()
        .map(String::as_str)
        .chain(
            log_settings
                .iter()
                .flat_map(question_log::Settings::secrets),
        )
        .collect();
    logging::init(&config.log, format, &token, &others);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    runtime.block_on(async {
        // Installed first, so a signal during start-up is ours, not a kill.
        let mut signals = Signals::install().map_err(StartError::Runtime)?;
        let matcher = Matcher::new(&kb, config.matcher.clone());
        let bot = bot(&token, api_url.as_deref(), proxy.as_deref(), &config.bot)?;
        let retention_days = log_settings.as_ref().map_or(0, |s| s.retention_days);
        let log = match log_settings {
            Some(settings) => QuestionLog::open(settings)?,
            None => QuestionLog::disabled(),
        };
        let starting = start_with(
            bot,
            Arc::new(kb),
            Arc::new(matcher),
            Arc::new(config.bot.clone()),
            secret,
            log.clone(),
        );
        let service = tokio::select! {
            service = starting => service?,
            signal = signals.recv() => {
                tracing::info!(signal, "stopped before the bot started");
                return Ok(0);
            }
        };
        // Said once the bot has started: a bot that cannot start says only why.
        log.log_start(retention_days);
        let live = service.live();
        live.set_source(reload);
        #[cfg(unix)]
        if let Some(mut hangup) = signals.hangup.take() {
            tokio::spawn(async move {
                while hangup.recv().await.is_some() {
                    let _ = live.reload("SIGHUP").await;
                }
            });
        }
        let shutdown = service.shutdown_token();
        let webhook = service.webhook_stop_token();
        tokio::spawn(async move {
            let signal = signals.recv().await;
            tracing::info!(signal, "stopping: finishing the replies in flight");
            if let Some(webhook) = webhook {
                webhook.stop();
            }
            // The dispatcher refuses a shutdown until it is listening.
            while shutdown.shutdown().is_err() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        service.run().await?;
        if !log.flush(LOG_FLUSH_AT_STOP).await {
            tracing::warn!(
                "question log: the questions of the last moments could not be written before stopping"
            );
        }
        tracing::info!("stopped");
        Ok(0)
    })
}

/// SIGINT and SIGTERM, both meaning "stop cleanly"; and SIGHUP, "reload",
/// installed with them so that one during start-up does not kill the bot.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
                hangup: Some(signal(SignalKind::hangup())?),
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
    fn a_reload_error_is_told_in_one_line_with_its_first_problem() {
        let listed = "invalid knowledge base (2 problems):\n  k/knowledge.toml:7: bad\n    hint: fix it\n  k/column.txt: gone";
        assert_eq!(
            headline(listed),
            "invalid knowledge base (2 problems): k/knowledge.toml:7: bad"
        );
        let single = "qabot.toml:3: invalid config: x\n    hint: see config.toml";
        assert_eq!(headline(single), "qabot.toml:3: invalid config: x");
    }

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
